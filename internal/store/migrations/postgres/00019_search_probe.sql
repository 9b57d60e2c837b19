-- Whether any public recipe matches a search term: the probe each search
-- makes before it decides to correct a word (internal/store/search.go).
-- Asked as a plain EXISTS, the planner takes a rare or misspelt word for
-- common enough that a sequential scan meets a match early, and then
-- reads every recipe to learn there is none (70 ms of CPU at 100 000
-- recipes for "chiken"). Planned here with only bitmap scans allowed, the
-- question always goes to the GIN index first: the word's posting list,
-- then heap pages only until the first public match.
-- Expand-only: the previous release does not call it.
-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION search_term_public(query tsquery) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET enable_seqscan = off
    SET enable_indexscan = off
AS $$
    SELECT EXISTS (SELECT 1 FROM recipes WHERE visibility = 'public' AND search_vector @@ query)
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION search_term_public(tsquery);
