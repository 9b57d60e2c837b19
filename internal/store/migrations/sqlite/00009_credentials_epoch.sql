-- Revocation that lasts: every user has a credentials epoch, and every
-- session and API token records the epoch it was issued in. A session or
-- token counts only while its epoch is the user's, so a revocation
-- (disable, admin reset or revoke, password change) that raises the
-- epoch also ends a credential issued by a sign-in that checked the old
-- password a moment before. The rows are deleted as well; the epoch
-- closes the gap between a sign-in's password check and its insert.
-- Expand-only: the previous release ignores the columns (during a rolling
-- update a session it issues to a user revoked since this release started
-- carries epoch 0 and has to sign in again).
-- +goose Up
ALTER TABLE users ADD COLUMN credentials_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN epoch;
ALTER TABLE sessions DROP COLUMN epoch;
ALTER TABLE users DROP COLUMN credentials_epoch;
