-- Data exports (docs/architecture.md, "Your data: export"): a zip of
-- everything of one person's, made by a background job and offered for
-- download until expires_at. status: queued, running, ready (blob_key
-- holds the zip, size its bytes), failed (error says why). Rows go with
-- the account; the zip's blob is deleted with its row (the expiry sweep,
-- and account deletion after its commit). Expand-only: the previous
-- release never reads the table.
-- +goose Up
CREATE TABLE data_exports (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status      text NOT NULL CHECK (status IN ('queued', 'running', 'ready', 'failed')),
    created_at  timestamptz NOT NULL,
    finished_at timestamptz,
    expires_at  timestamptz,
    blob_key    text NOT NULL DEFAULT '',
    size        bigint NOT NULL DEFAULT 0,
    error       text NOT NULL DEFAULT ''
);
CREATE INDEX data_exports_user_idx ON data_exports (user_id, created_at);
CREATE INDEX data_exports_expires_idx ON data_exports (expires_at) WHERE expires_at IS NOT NULL;

-- +goose Down
DROP TABLE data_exports;
