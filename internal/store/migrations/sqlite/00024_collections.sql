-- Collections (docs/architecture.md, "Collections"): a person's named,
-- described lists of recipes, public, unlisted or private, in an order
-- they choose. collection_recipes holds each recipe once per collection;
-- position orders it, unique per collection, and the store keeps the
-- positions dense (0, 1, 2, ...) by rewriting them in the transaction of
-- every change, which first locks the collection's row, so concurrent
-- moves run one after another. Deleting an account cascades to its
-- collections, and deleting a recipe removes it from every collection
-- (the next change of each collection closes the gap; reads order by
-- position and never depend on it being dense). recipe_idx serves the
-- cascade and "which of my collections hold this recipe". Expand-only:
-- the previous release never reads the tables.
-- +goose Up
CREATE TABLE collections (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    visibility  TEXT NOT NULL CHECK (visibility IN ('public', 'unlisted', 'private')),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX collections_owner_idx ON collections (owner_id, created_at);

CREATE TABLE collection_recipes (
    collection_id TEXT NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    recipe_id     TEXT NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    added_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (collection_id, recipe_id),
    UNIQUE (collection_id, position)
);
CREATE INDEX collection_recipes_recipe_idx ON collection_recipes (recipe_id, collection_id);

-- +goose Down
DROP TABLE collection_recipes;
DROP TABLE collections;
