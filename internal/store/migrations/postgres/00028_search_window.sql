-- The search window (internal/store/list.go, filter.windowed): a copy of
-- the newest public recipes' search vectors, with its own GIN index, where
-- a ranked search looks for its matches first. The same question asked of
-- recipes ANDed the word's whole posting list with a range of the newest
-- index and read each match's wide row; a word's posting list here holds
-- only its matches among the window, so it stays the same length however
-- large the collection grows.
--
-- The window holds every public recipe created at or after its edge
-- (search_window_edge), kept so by a trigger in the writing transaction,
-- so a recipe made private or deleted leaves it at once. search_window_trim
-- (run every minute by the server) raises the edge to the size-th newest
-- public recipe and drops the rows below it; the edge never falls (a lower
-- edge would need older recipes copied in), so a window whose recipes were
-- deleted or made private is smaller until newer ones arrive. A search
-- reads the edge in its own statement and looks below it in recipes, so
-- the two parts never overlap or leave a gap, whenever the trim ran.
-- Expand-only: the previous release does not read it, and the trigger
-- keeps it while either release writes.
-- +goose Up
CREATE TABLE search_window (
    id            uuid PRIMARY KEY REFERENCES recipes (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL,
    search_vector tsvector NOT NULL
);
CREATE INDEX search_window_vector_idx ON search_window USING gin (search_vector);

CREATE TABLE search_window_edge (
    one  boolean PRIMARY KEY DEFAULT true CHECK (one),
    edge timestamptz NOT NULL
);
INSERT INTO search_window_edge (edge) VALUES ('-infinity');

-- +goose StatementBegin
CREATE FUNCTION search_window_sync() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.visibility = 'public' AND NEW.created_at >= (SELECT edge FROM search_window_edge) THEN
        INSERT INTO search_window (id, created_at, search_vector)
        VALUES (NEW.id, NEW.created_at, NEW.search_vector)
        ON CONFLICT (id) DO UPDATE SET created_at = EXCLUDED.created_at, search_vector = EXCLUDED.search_vector;
    ELSIF TG_OP = 'UPDATE' THEN
        DELETE FROM search_window WHERE id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER search_window_insert AFTER INSERT ON recipes
    FOR EACH ROW EXECUTE FUNCTION search_window_sync();
CREATE TRIGGER search_window_update AFTER UPDATE ON recipes
    FOR EACH ROW WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector
        OR OLD.visibility IS DISTINCT FROM NEW.visibility
        OR OLD.created_at IS DISTINCT FROM NEW.created_at)
    EXECUTE FUNCTION search_window_sync();

-- +goose StatementBegin
CREATE FUNCTION search_window_trim(size integer) RETURNS bigint
    LANGUAGE plpgsql
AS $$
DECLARE
    newest timestamptz;
    dropped bigint;
BEGIN
    SELECT r.created_at INTO newest FROM recipes r WHERE r.visibility = 'public'
        ORDER BY r.created_at DESC, r.id DESC OFFSET size - 1 LIMIT 1;
    IF newest IS NOT NULL THEN
        UPDATE search_window_edge SET edge = newest WHERE edge < newest;
    END IF;
    DELETE FROM search_window WHERE created_at < (SELECT edge FROM search_window_edge);
    GET DIAGNOSTICS dropped = ROW_COUNT;
    RETURN dropped;
END
$$;
-- +goose StatementEnd

-- Filled once: the edge first (so a large collection copies only the
-- window), then the recipes at or above it; the trigger is already in
-- place for anything written meanwhile.
SELECT search_window_trim(10000);
INSERT INTO search_window (id, created_at, search_vector)
    SELECT r.id, r.created_at, r.search_vector FROM recipes r
    WHERE r.visibility = 'public' AND r.created_at >= (SELECT edge FROM search_window_edge)
    ON CONFLICT (id) DO NOTHING;

-- +goose Down
DROP TRIGGER search_window_update ON recipes;
DROP TRIGGER search_window_insert ON recipes;
DROP FUNCTION search_window_trim(integer);
DROP FUNCTION search_window_sync();
DROP TABLE search_window_edge;
DROP TABLE search_window;
