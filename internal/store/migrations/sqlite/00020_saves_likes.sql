-- Saves, likes and ratings (docs/architecture.md, "Saves, likes and
-- ratings"): one row per person and recipe in each table, so a second like
-- or save is the same row (the toggles insert with ON CONFLICT DO NOTHING
-- and delete by key). A rating is 1 to 5 stars, changed in place. Counts
-- are not stored: each is counted from these rows through the
-- recipe-first index, so they are exact whatever writes run at once and
-- however rows go (an account or a recipe deleted cascades here).
-- saves_user_idx lists a person's library newest first. Expand-only: the
-- previous release never reads the tables.
-- +goose Up
CREATE TABLE recipe_likes (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipe_id  TEXT NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, recipe_id)
);
CREATE INDEX recipe_likes_recipe_idx ON recipe_likes (recipe_id, user_id);

CREATE TABLE recipe_saves (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipe_id  TEXT NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, recipe_id)
);
CREATE INDEX recipe_saves_recipe_idx ON recipe_saves (recipe_id, user_id);
CREATE INDEX recipe_saves_user_idx ON recipe_saves (user_id, created_at);

CREATE TABLE recipe_ratings (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipe_id  TEXT NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    stars      INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, recipe_id)
);
CREATE INDEX recipe_ratings_recipe_idx ON recipe_ratings (recipe_id, stars);

-- +goose Down
DROP TABLE recipe_ratings;
DROP TABLE recipe_saves;
DROP TABLE recipe_likes;
