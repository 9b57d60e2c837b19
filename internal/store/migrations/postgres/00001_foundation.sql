-- Foundation schema: accounts, sessions, API tokens, recipes and their
-- ordered parts, tags and categories, and full-text search.
-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    username      text NOT NULL UNIQUE,
    email         text NOT NULL UNIQUE,
    display_name  text NOT NULL DEFAULT '',
    bio           text NOT NULL DEFAULT '',
    avatar_url    text NOT NULL DEFAULT '',
    role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    last_login_at timestamptz
);

CREATE TABLE sessions (
    id           text PRIMARY KEY,            -- SHA-256 of the cookie value, never the value
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    user_agent   text NOT NULL DEFAULT '',
    ip           text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    -- 'login' tokens come with a sign-in and may be pruned to make room;
    -- 'user' tokens were created on purpose and are never pruned.
    source       text NOT NULL DEFAULT 'user' CHECK (source IN ('user', 'login')),
    token_hash   text NOT NULL UNIQUE,        -- SHA-256 of the token
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    expires_at   timestamptz
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id, created_at);

CREATE TABLE recipes (
    id                 uuid PRIMARY KEY,
    author_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title              text NOT NULL,
    description        text NOT NULL DEFAULT '',
    prep_minutes       integer,
    cook_minutes       integer,
    total_minutes      integer,
    servings           integer,
    difficulty         text NOT NULL DEFAULT '' CHECK (difficulty IN ('', 'easy', 'medium', 'hard')),
    visibility         text NOT NULL CHECK (visibility IN ('public', 'unlisted', 'private')),
    source_url         text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    -- Denormalised search text kept in step by the store on every write, so
    -- one generated tsvector can weigh title, tags, ingredients and description.
    search_tags        text NOT NULL DEFAULT '',
    search_ingredients text NOT NULL DEFAULT '',
    search_vector      tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', search_tags), 'B') ||
        setweight(to_tsvector('english', search_ingredients), 'C') ||
        setweight(to_tsvector('english', description), 'D')
    ) STORED
);
CREATE INDEX recipes_author_newest_idx ON recipes (author_id, created_at DESC, id DESC);
CREATE INDEX recipes_public_newest_idx ON recipes (created_at DESC, id DESC) WHERE visibility = 'public';
CREATE INDEX recipes_public_title_idx ON recipes (lower(title), id) WHERE visibility = 'public';
CREATE INDEX recipes_public_quickest_idx ON recipes (total_minutes, id) WHERE visibility = 'public';
CREATE INDEX recipes_difficulty_idx ON recipes (difficulty);
CREATE INDEX recipes_search_vector_idx ON recipes USING gin (search_vector);

-- The vocabulary of titles, tags and ingredient names, for correcting a
-- misspelt search term with pg_trgm: a small table, so a trigram lookup
-- stays fast however many recipes there are.
CREATE TABLE search_terms (
    term text PRIMARY KEY
);
CREATE INDEX search_terms_trgm_idx ON search_terms USING gin (term gin_trgm_ops);

CREATE TABLE recipe_ingredients (
    recipe_id    uuid NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    quantity     double precision,
    quantity_max double precision,
    unit         text NOT NULL DEFAULT '',
    name         text NOT NULL,
    note         text NOT NULL DEFAULT '',
    original     text NOT NULL DEFAULT '',
    PRIMARY KEY (recipe_id, position)
);

CREATE TABLE recipe_steps (
    recipe_id uuid NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    position  integer NOT NULL,
    body      text NOT NULL,
    PRIMARY KEY (recipe_id, position)
);

CREATE TABLE tags (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE recipe_tags (
    recipe_id uuid NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    tag_id    bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (recipe_id, tag_id)
);
CREATE INDEX recipe_tags_tag_id_idx ON recipe_tags (tag_id, recipe_id);

CREATE TABLE categories (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE recipe_categories (
    recipe_id   uuid NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    category_id bigint NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (recipe_id, category_id)
);
CREATE INDEX recipe_categories_category_id_idx ON recipe_categories (category_id, recipe_id);

-- +goose Down
DROP TABLE recipe_categories;
DROP TABLE categories;
DROP TABLE recipe_tags;
DROP TABLE tags;
DROP TABLE recipe_steps;
DROP TABLE recipe_ingredients;
DROP TABLE search_terms;
DROP TABLE recipes;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
