-- Comments on recipes (docs/architecture.md, "Comments"): plain text of 1
-- to 5 000 characters, checked by recipe.NormalizeComment before any write
-- and bounded here too, so no path can store more. edited_at is set by an
-- edit and stays NULL until then. A comment goes with its recipe and with
-- its author's account (ON DELETE CASCADE). recipe_comments_recipe_idx
-- walks a recipe's comments in either order for keyset pages and counts
-- them; recipe_comments_author_idx counts what one person wrote in the
-- last day (the daily cap). Expand-only: the previous release never reads
-- the table.
-- +goose Up
CREATE TABLE recipe_comments (
    id         TEXT PRIMARY KEY,
    recipe_id  TEXT NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    author_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at TIMESTAMP NOT NULL,
    edited_at  TIMESTAMP
);
CREATE INDEX recipe_comments_recipe_idx ON recipe_comments (recipe_id, created_at, id);
CREATE INDEX recipe_comments_author_idx ON recipe_comments (author_id, created_at);

-- +goose Down
DROP TABLE recipe_comments;
