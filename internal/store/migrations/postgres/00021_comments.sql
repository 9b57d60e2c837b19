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
    id         uuid PRIMARY KEY,
    recipe_id  uuid NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    author_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    created_at timestamptz NOT NULL,
    edited_at  timestamptz
);
CREATE INDEX recipe_comments_recipe_idx ON recipe_comments (recipe_id, created_at, id);
CREATE INDEX recipe_comments_author_idx ON recipe_comments (author_id, created_at);

-- +goose Down
DROP TABLE recipe_comments;
