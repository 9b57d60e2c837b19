-- PostgreSQL's migration 27 makes its search probe a function. SQLite's
-- probe reads the FTS5 index directly and needs nothing new; the number
-- is kept so both engines' schemas count the same versions.
-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
