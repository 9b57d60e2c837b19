-- Password reset tokens (docs/architecture.md, "Password reset"). Only the
-- SHA-256 of the emailed token is kept, so a leak of this table resets no
-- one's password; a token is single-use (used_at) and lives one hour.
-- Expand-only: the previous release never reads the table.
-- +goose Up
CREATE TABLE password_resets (
    id         text PRIMARY KEY,            -- SHA-256 of the emailed token, never the token
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);
CREATE INDEX password_resets_expires_at_idx ON password_resets (expires_at);

-- +goose Down
DROP TABLE password_resets;
