-- Idempotency-Key records (docs/architecture.md, "Idempotent creates"):
-- the first successful answer to a keyed POST, written in the same
-- transaction as what the POST created, so a retry after a lost answer
-- replays it instead of creating twice. Kept 24 hours, then pruned.
-- Expand-only: nothing else reads the table.
-- +goose Up
CREATE TABLE idempotency_keys (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint  text NOT NULL,
    status       integer NOT NULL,
    content_type text NOT NULL DEFAULT '',
    location     text NOT NULL DEFAULT '',
    body         bytea NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
