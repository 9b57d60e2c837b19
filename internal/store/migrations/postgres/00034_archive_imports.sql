-- Archive imports (docs/architecture.md, "Import: archives"): a whole
-- archive a person brought from another recipe app (Paprika, Mealie,
-- Tandoor, schema.org pages) or RecCollection's own data export, kept in
-- the blob store under blob_key while one background job at a time works
-- it and records each recipe's result as it goes. status of an import:
-- queued, running, done, failed (error says why: the archive could not
-- be read at all); total is how many recipes the archive holds, done how
-- many have a result, failed how many of those failed. The blob is
-- deleted and blob_key emptied once the import is done or has failed for
-- good. A result is one recipe of the archive by its position in it:
-- running (saved as recipe_id, its photos still being added: a job that
-- resumes finishes it), done, failed (error says why), skipped (imported
-- before from the same source, as recipe_id); photos counts the photos
-- kept. The results' primary key (import_id, position) is the index that
-- finds an import's results; recipe_id is emptied (NULL) when the recipe
-- is deleted later. Expand-only: the previous release never reads the
-- tables.
-- +goose Up
CREATE TABLE archive_imports (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    format     text NOT NULL,
    file_name  text NOT NULL DEFAULT '',
    blob_key   text NOT NULL DEFAULT '',
    status     text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    total      integer NOT NULL DEFAULT 0,
    done       integer NOT NULL DEFAULT 0,
    failed     integer NOT NULL DEFAULT 0,
    error      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX archive_imports_user_idx ON archive_imports (user_id, created_at);

CREATE TABLE archive_import_results (
    import_id uuid NOT NULL REFERENCES archive_imports (id) ON DELETE CASCADE,
    position  integer NOT NULL,
    name      text NOT NULL DEFAULT '',
    status    text NOT NULL CHECK (status IN ('running', 'done', 'failed', 'skipped')),
    recipe_id uuid REFERENCES recipes (id) ON DELETE SET NULL,
    title     text NOT NULL DEFAULT '',
    error     text NOT NULL DEFAULT '',
    photos    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (import_id, position)
);
CREATE INDEX archive_import_results_recipe_idx ON archive_import_results (recipe_id) WHERE recipe_id IS NOT NULL;

-- +goose Down
DROP TABLE archive_import_results;
DROP TABLE archive_imports;
