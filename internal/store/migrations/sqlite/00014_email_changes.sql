-- Pending email address changes (docs/architecture.md, "Changing the email
-- address"). A new address takes effect only when the link sent to it is
-- followed. One pending change per user (user_id is unique: a new request
-- replaces the old). Only the SHA-256 of the emailed token is kept; it is
-- NULL until the job that sends the message has made one. Confirming
-- deletes the row, so a token works once. Expand-only: the previous
-- release never reads the table.
-- +goose Up
CREATE TABLE email_changes (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    new_email  TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX email_changes_expires_at_idx ON email_changes (expires_at);

-- +goose Down
DROP TABLE email_changes;
