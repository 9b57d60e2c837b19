-- Second factor: TOTP secrets (sealed with the server's key), one-time
-- recovery codes (hashed), and when a session last proved the second
-- factor. Expand-only: the previous release ignores all of it.
-- +goose Up
CREATE TABLE user_totp (
    user_id        uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_sealed  text NOT NULL,
    created_at     timestamptz NOT NULL,
    enabled_at     timestamptz,            -- null while enrolment awaits its first code
    last_used_step bigint NOT NULL DEFAULT 0
);

CREATE TABLE user_recovery_codes (
    user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

ALTER TABLE sessions ADD COLUMN mfa_verified_at timestamptz;

-- +goose Down
ALTER TABLE sessions DROP COLUMN mfa_verified_at;
DROP TABLE user_recovery_codes;
DROP TABLE user_totp;
