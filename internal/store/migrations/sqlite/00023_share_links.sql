-- Share links (docs/architecture.md, "Share links"): a recipe's author
-- hands out an unguessable URL that shows the recipe read-only to whoever
-- holds it, private recipes included. Only the SHA-256 of the link's token
-- is kept (token_hash, unique: a visit is one index probe by hash), so a
-- leak of this table opens no recipe. expires_at NULL means the link lasts
-- until revoked; revoking deletes the row, so an unknown, expired and
-- revoked token all answer the same. A recipe deleted takes its links with
-- it, and so does the account that made them. share_links_recipe_idx lists
-- and counts a recipe's links (the cap on live links per recipe).
-- Expand-only: the previous release never reads the table.
-- +goose Up
CREATE TABLE share_links (
    id           TEXT PRIMARY KEY,
    recipe_id    TEXT NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    created_by   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,        -- SHA-256 of the token, never the token
    label        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    use_count    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX share_links_recipe_idx ON share_links (recipe_id, created_at);
CREATE INDEX share_links_created_by_idx ON share_links (created_by);

-- +goose Down
DROP TABLE share_links;
