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
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status     text NOT NULL CHECK (status IN ('queued', 'running', 'done')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX import_bulks_user_idx ON import_bulks (user_id, created_at);

CREATE TABLE import_bulk_items (
    bulk_id   uuid NOT NULL REFERENCES import_bulks (id) ON DELETE CASCADE,
    position  integer NOT NULL,
    url       text NOT NULL,
    status    text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'skipped')),
    recipe_id text NOT NULL DEFAULT '',
    title     text NOT NULL DEFAULT '',
    error     text NOT NULL DEFAULT '',
    PRIMARY KEY (bulk_id, position)
);

CREATE INDEX recipes_author_source_idx ON recipes (author_id) WHERE source_url <> '';

-- +goose Down
DROP INDEX recipes_author_source_idx;
DROP TABLE import_bulk_items;
DROP TABLE import_bulks;
