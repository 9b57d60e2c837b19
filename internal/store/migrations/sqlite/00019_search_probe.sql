-- PostgreSQL's migration 19 adds the function its search probe calls.
-- SQLite's probe reads the FTS5 index directly and needs nothing new; the
-- number is kept so both engines' schemas count the same versions.
-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
