-- API tokens remember when they proved the second factor, like sessions
-- (00003): a bearer client of an account with TOTP verifies once per
-- token. Expand-only: the previous release ignores the column.
-- +goose Up
ALTER TABLE api_tokens ADD COLUMN mfa_verified_at TIMESTAMP;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN mfa_verified_at;
