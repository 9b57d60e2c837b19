-- The search probe as a function (internal/store/search.go,
-- postgresDialect.probeTerms has the rule): for each search word, in
-- order, whether it is a stop word, whether a public recipe has it, how
-- many of the newest 100 public recipes have it, the planner's count of
-- recipes (the same on every row) and, for each of the first few words
-- that are neither stop words nor public (unless exact), the most similar
-- known words a public recipe has, space separated. The two counts decide
-- how the search reads its rank window (searchPlan.walks). Searches run
-- with plan_cache_mode = force_custom_plan, which their ranked statement
-- needs, and the probe,
-- planned afresh with them, spent 0.5 ms of a search's 4 in the planner
-- for a plan that does not depend on the words: every branch is an index
-- walk or a call of search_term_public, which plans for its word itself.
-- Here it is planned once per connection (PL/pgSQL keeps its plans) and
-- the generic plan is asked for.
-- Expand-only: the previous release does not call it.
-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION search_probe(words text[], exact boolean, max_fixes integer)
    RETURNS TABLE (stop boolean, public boolean, newest_hits bigint, recipe_count real, near text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    RETURN QUERY
    WITH term AS (SELECT t.word, t.i FROM unnest(words) WITH ORDINALITY AS t(word, i)),
    newest AS MATERIALIZED (
        SELECT r.search_vector FROM recipes r WHERE r.visibility = 'public'
        ORDER BY r.created_at DESC, r.id DESC LIMIT 100),
    sampled AS MATERIALIZED (
        SELECT term.word, term.i, numnode(plainto_tsquery('english', term.word)) = 0 AS is_stop,
            (SELECT count(*) FROM newest WHERE newest.search_vector @@ plainto_tsquery('english', term.word)) AS hits
        FROM term),
    probed AS MATERIALIZED (
        SELECT sampled.*, sampled.hits > 0 OR search_term_public(plainto_tsquery('english', sampled.word)) AS is_public
        FROM sampled),
    missed AS (
        SELECT probed.*, NOT probed.is_stop AND NOT probed.is_public AND NOT exact AND
            count(*) FILTER (WHERE NOT probed.is_stop AND NOT probed.is_public) OVER (ORDER BY probed.i) <= max_fixes AS fix
        FROM probed)
    SELECT missed.is_stop, missed.is_public, missed.hits,
        (SELECT c.reltuples FROM pg_class c WHERE c.oid = 'recipes'::regclass),
        CASE WHEN missed.fix THEN array_to_string(ARRAY(
        SELECT c.term FROM (SELECT st.term FROM search_terms st WHERE st.term % missed.word
                ORDER BY similarity(st.term, missed.word) DESC, st.term LIMIT 10) c
        WHERE EXISTS (SELECT 1 FROM newest WHERE newest.search_vector @@ plainto_tsquery('english', c.term))
            OR search_term_public(plainto_tsquery('english', c.term))), ' ') ELSE '' END
    FROM missed ORDER BY missed.i;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION search_probe(text[], boolean, integer);
