-- Idempotency-Key records of anonymous requests (registration and sign-in;
-- docs/architecture.md, "Idempotent creates"). They have no user to belong
-- to, so they live in a scope of their own, keyed by the key alone; the
-- fingerprint is a salted argon2id hash (the bodies carry a password) and
-- the answer is sealed. Kept 24 hours, then pruned. Expand-only: the
-- previous release never reads the table.
-- +goose Up
CREATE TABLE anonymous_idempotency_keys (
    key          text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint  text NOT NULL,
    status       integer NOT NULL,
    content_type text NOT NULL DEFAULT '',
    location     text NOT NULL DEFAULT '',
    body         bytea NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX anonymous_idempotency_keys_created_idx ON anonymous_idempotency_keys (created_at);

-- +goose Down
DROP TABLE anonymous_idempotency_keys;
