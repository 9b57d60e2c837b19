-- Foundation schema: accounts, sessions, API tokens, recipes and their
-- ordered parts, tags and categories, and full-text search. Times are
-- stored as fixed-width UTC text (see store/dialect.go) so they sort
-- correctly as strings.
-- +goose Up
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    bio           TEXT NOT NULL DEFAULT '',
    avatar_url    TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    -- 'login' tokens come with a sign-in and may be pruned to make room;
    -- 'user' tokens were created on purpose and are never pruned.
    source       TEXT NOT NULL DEFAULT 'user' CHECK (source IN ('user', 'login')),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    expires_at   TIMESTAMP
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id, created_at);

CREATE TABLE recipes (
    -- rid is the FTS5 index's row key. It is an INTEGER PRIMARY KEY, whose
    -- values VACUUM keeps, unlike an implicit rowid.
    rid                INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    author_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title              TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    prep_minutes       INTEGER,
    cook_minutes       INTEGER,
    total_minutes      INTEGER,
    servings           INTEGER,
    difficulty         TEXT NOT NULL DEFAULT '' CHECK (difficulty IN ('', 'easy', 'medium', 'hard')),
    visibility         TEXT NOT NULL CHECK (visibility IN ('public', 'unlisted', 'private')),
    source_url         TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    search_tags        TEXT NOT NULL DEFAULT '',
    search_ingredients TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recipes_author_newest_idx ON recipes (author_id, created_at DESC, id DESC);
CREATE INDEX recipes_public_newest_idx ON recipes (created_at DESC, id DESC) WHERE visibility = 'public';
CREATE INDEX recipes_public_title_idx ON recipes (lower(title), id) WHERE visibility = 'public';
CREATE INDEX recipes_public_quickest_idx ON recipes (total_minutes, id) WHERE visibility = 'public';
CREATE INDEX recipes_difficulty_idx ON recipes (difficulty);

-- Full-text index over the recipe row's own text columns (the store keeps
-- search_tags and search_ingredients in step with the child tables), kept
-- current by triggers so that every path that writes or deletes a recipe,
-- cascades included, updates it.
CREATE VIRTUAL TABLE recipes_fts USING fts5 (
    title,
    search_tags,
    search_ingredients,
    description,
    content = 'recipes',
    content_rowid = 'rid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- The vocabulary of titles, tags and ingredient names as written (not
-- stemmed), for correcting a misspelt search term; the same table as on
-- PostgreSQL, so both engines correct alike.
CREATE TABLE search_terms (
    term TEXT PRIMARY KEY
) WITHOUT ROWID;

-- +goose StatementBegin
CREATE TRIGGER recipes_fts_after_insert AFTER INSERT ON recipes BEGIN
    INSERT INTO recipes_fts (rowid, title, search_tags, search_ingredients, description)
    VALUES (new.rid, new.title, new.search_tags, new.search_ingredients, new.description);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER recipes_fts_after_delete AFTER DELETE ON recipes BEGIN
    INSERT INTO recipes_fts (recipes_fts, rowid, title, search_tags, search_ingredients, description)
    VALUES ('delete', old.rid, old.title, old.search_tags, old.search_ingredients, old.description);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER recipes_fts_after_update AFTER UPDATE ON recipes BEGIN
    INSERT INTO recipes_fts (recipes_fts, rowid, title, search_tags, search_ingredients, description)
    VALUES ('delete', old.rid, old.title, old.search_tags, old.search_ingredients, old.description);
    INSERT INTO recipes_fts (rowid, title, search_tags, search_ingredients, description)
    VALUES (new.rid, new.title, new.search_tags, new.search_ingredients, new.description);
END;
-- +goose StatementEnd

CREATE TABLE recipe_ingredients (
    recipe_id    TEXT NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    quantity     REAL,
    quantity_max REAL,
    unit         TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    original     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (recipe_id, position)
) WITHOUT ROWID;

CREATE TABLE recipe_steps (
    recipe_id TEXT NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (recipe_id, position)
) WITHOUT ROWID;

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE recipe_tags (
    recipe_id TEXT NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    tag_id    INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (recipe_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX recipe_tags_tag_id_idx ON recipe_tags (tag_id, recipe_id);

CREATE TABLE categories (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE recipe_categories (
    recipe_id   TEXT NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (recipe_id, category_id)
) WITHOUT ROWID;
CREATE INDEX recipe_categories_category_id_idx ON recipe_categories (category_id, recipe_id);

-- +goose Down
DROP TABLE recipe_categories;
DROP TABLE categories;
DROP TABLE recipe_tags;
DROP TABLE tags;
DROP TABLE recipe_steps;
DROP TABLE recipe_ingredients;
DROP TRIGGER recipes_fts_after_update;
DROP TRIGGER recipes_fts_after_delete;
DROP TRIGGER recipes_fts_after_insert;
DROP TABLE search_terms;
DROP TABLE recipes_fts;
DROP TABLE recipes;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
