-- Ingredient groups: a recipe's ingredients may fall into named sections
-- ("For the dough"), as imported pages often have them. The ingredient that
-- opens a section carries its title; every other one has ''. Expand-only:
-- the previous release never reads the column and its inserts take the
-- default.
-- +goose Up
ALTER TABLE recipe_ingredients ADD COLUMN section TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE recipe_ingredients DROP COLUMN section;
