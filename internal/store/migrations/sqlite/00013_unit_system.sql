-- The measures a signed-in reader wants recipes in: '' (not chosen: the
-- browser's language decides), 'original', 'metric' or 'us'. The
-- application validates the value; no CHECK, so a later system needs no
-- table rewrite.
-- Expand-only: the previous release ignores the column.
-- +goose Up
ALTER TABLE users ADD COLUMN unit_system TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN unit_system;
