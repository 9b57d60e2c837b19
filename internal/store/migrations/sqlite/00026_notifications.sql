-- Notifications (docs/architecture.md, "Notifications"): one row per
-- thing that happened to a person (a follow, a like, a comment, a
-- followed cook's new recipe, a recipe shared with them), written in the
-- event's own transaction or, for a new recipe's followers, by the
-- new_recipe_fanout job in batches. dedupe_key makes a repeat the same
-- row: one per actor, kind and target a day (a like, unlike and like
-- again notifies once), and one per recipe for a new recipe, so a retried
-- fan-out adds nothing. delivery is the recipient's channel for the kind
-- when the row was written ('app', 'email', 'digest'; 'off' writes no
-- row); emailed_at is set once an email or a digest carried it.
-- notifications_user_newest_idx lists and counts a person's
-- notifications newest first; the partial unread index makes the count in
-- the navigation an index range scan; notifications_email_due_idx finds
-- what the digest still owes; the actor, recipe and comment indexes
-- serve the cascades when one of those is deleted. notification_prefs
-- holds only the choices that differ from the defaults (no row: the
-- default channel).
-- follows_followee_follower_idx walks a cook's followers by id, the
-- fan-out's batches. Rows go with their recipient, actor, recipe or
-- comment. Expand-only: the previous release never reads the tables.
-- +goose Up
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('follow', 'like', 'comment', 'new_recipe', 'shared')),
    actor_id    TEXT REFERENCES users (id) ON DELETE CASCADE,
    recipe_id   TEXT REFERENCES recipes (id) ON DELETE CASCADE,
    comment_id  TEXT REFERENCES recipe_comments (id) ON DELETE CASCADE,
    dedupe_key  TEXT NOT NULL,
    delivery    TEXT NOT NULL CHECK (delivery IN ('app', 'email', 'digest')),
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP,
    emailed_at  TIMESTAMP,
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user_newest_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_actor_idx ON notifications (actor_id);
CREATE INDEX notifications_recipe_idx ON notifications (recipe_id);
CREATE INDEX notifications_comment_idx ON notifications (comment_id);
CREATE INDEX notifications_email_due_idx ON notifications (delivery, created_at) WHERE emailed_at IS NULL AND delivery <> 'app';

CREATE TABLE notification_prefs (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('follow', 'like', 'comment', 'new_recipe', 'shared')),
    channel TEXT NOT NULL CHECK (channel IN ('app', 'email', 'digest', 'off')),
    PRIMARY KEY (user_id, kind)
);

CREATE INDEX follows_followee_follower_idx ON follows (followee_id, follower_id);

-- +goose Down
DROP INDEX follows_followee_follower_idx;
DROP TABLE notification_prefs;
DROP TABLE notifications;
