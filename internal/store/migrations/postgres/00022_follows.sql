-- Follows and the home feed (docs/architecture.md, "Follows and the
-- feed"): one row per follower and person followed, so following twice is
-- the same row (the toggle inserts with ON CONFLICT DO NOTHING and deletes
-- by key); nobody follows themselves (the check backs the store's
-- refusal). Counts are not stored: followers and following are counted
-- from these rows, as likes are, so they stay exact whatever writes run
-- at once and however rows go (an account deleted cascades here).
-- follows_followee_newest_idx and follows_follower_newest_idx list a
-- person's followers and the people they follow newest first, and count
-- them; the primary key answers "does the reader follow them".
-- recipes_author_public_newest_idx makes the feed an index walk: for each
-- person followed, their public recipes newest first, never the others'.
-- Expand-only: the previous release never reads the table or the index.
-- +goose Up
CREATE TABLE follows (
    follower_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);
CREATE INDEX follows_followee_newest_idx ON follows (followee_id, created_at DESC, follower_id DESC);
CREATE INDEX follows_follower_newest_idx ON follows (follower_id, created_at DESC, followee_id DESC);
CREATE INDEX recipes_author_public_newest_idx ON recipes (author_id, created_at DESC, id DESC) WHERE visibility = 'public';

-- +goose Down
DROP INDEX recipes_author_public_newest_idx;
DROP TABLE follows;
