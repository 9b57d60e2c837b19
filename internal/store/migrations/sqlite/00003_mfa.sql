-- Second factor: TOTP secrets (sealed with the server's key), one-time
-- recovery codes (hashed), and when a session last proved the second
-- factor. Expand-only: the previous release ignores all of it.
-- +goose Up
CREATE TABLE user_totp (
    user_id        TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_sealed  TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    enabled_at     TIMESTAMP,
    last_used_step INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE user_recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMP,
    PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

ALTER TABLE sessions ADD COLUMN mfa_verified_at TIMESTAMP;

-- +goose Down
ALTER TABLE sessions DROP COLUMN mfa_verified_at;
DROP TABLE user_recovery_codes;
DROP TABLE user_totp;
