-- PostgreSQL's migration 28 keeps a search window of the newest public
-- recipes. SQLite's FTS5 index reads its matches newest first and stops at
-- the search's bound, so it needs none; the number is kept so both
-- engines' schemas count the same versions.
-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
