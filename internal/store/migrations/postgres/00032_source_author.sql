-- The creator a recipe is credited to when it came from someone else's
-- page or post ("Ana Cooks (@anacooks)"), as the source names them;
-- empty for the cook's own recipes. Adding a column with a default is
-- expand-only: the previous release ignores it.
-- +goose Up
ALTER TABLE recipes ADD COLUMN source_author text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE recipes DROP COLUMN source_author;
