-- Bulk recipe imports (docs/architecture.md, "Import: flows"): a list of
-- URLs a person asked to import, worked by one background job per bulk
-- that fetches each page in turn and records each URL's result. status of
-- a bulk: queued, running, done; of an item: queued, running, done
-- (recipe_id saved), failed (error says why), skipped (already imported
-- as recipe_id). recipe_id is not a foreign key: a recipe deleted later
-- leaves the history of its import as it was. The partial index on
-- recipes finds a person's recipe imported from a URL. Expand-only: the
-- previous release never reads the tables.
-- +goose Up
CREATE TABLE import_bulks (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status     TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX import_bulks_user_idx ON import_bulks (user_id, created_at);

CREATE TABLE import_bulk_items (
    bulk_id   TEXT NOT NULL REFERENCES import_bulks (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    url       TEXT NOT NULL,
    status    TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'skipped')),
    recipe_id TEXT NOT NULL DEFAULT '',
    title     TEXT NOT NULL DEFAULT '',
    error     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (bulk_id, position)
);

CREATE INDEX recipes_author_source_idx ON recipes (author_id) WHERE source_url <> '';

-- +goose Down
DROP INDEX recipes_author_source_idx;
DROP TABLE import_bulk_items;
DROP TABLE import_bulks;
