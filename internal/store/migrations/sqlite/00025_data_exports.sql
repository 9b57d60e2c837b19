-- Data exports (docs/architecture.md, "Your data: export"): a zip of
-- everything of one person's, made by a background job and offered for
-- download until expires_at. status: queued, running, ready (blob_key
-- holds the zip, size its bytes), failed (error says why). Rows go with
-- the account; the zip's blob is deleted with its row (the expiry sweep,
-- and account deletion after its commit). Expand-only: the previous
-- release never reads the table.
-- +goose Up
CREATE TABLE data_exports (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'ready', 'failed')),
    created_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    expires_at  TIMESTAMP,
    blob_key    TEXT NOT NULL DEFAULT '',
    size        INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX data_exports_user_idx ON data_exports (user_id, created_at);
CREATE INDEX data_exports_expires_idx ON data_exports (expires_at) WHERE expires_at IS NOT NULL;

-- +goose Down
DROP TABLE data_exports;
