-- Step groups: a recipe's steps may fall into named sections ("For the
-- sauce"), as imported pages often have them. The step that opens a section
-- carries its title; every other step has ''. Expand-only: the previous
-- release never reads the column and its inserts take the default.
-- +goose Up
ALTER TABLE recipe_steps ADD COLUMN section TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE recipe_steps DROP COLUMN section;
