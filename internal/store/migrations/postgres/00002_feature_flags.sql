-- Feature flag overrides, one row per environment and flag. Flags
-- themselves are declared in code (internal/flags/registry.go); a row here
-- only changes a flag's answer in one environment. Allow and deny lists
-- are JSON arrays of user ids kept in the row: they are short, always read
-- and written with the row as one unit, and one query then loads every
-- override of an environment. Expand-only: the previous release ignores
-- the table.
-- +goose Up
CREATE TABLE feature_flags (
    environment     text NOT NULL CHECK (environment IN ('development', 'staging', 'production')),
    key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
    enabled         boolean NOT NULL,
    rollout_percent integer NOT NULL CHECK (rollout_percent BETWEEN 0 AND 100),
    allow_users     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(allow_users) = 'array'),
    deny_users      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(deny_users) = 'array'),
    updated_at      timestamptz NOT NULL,
    updated_by      text NOT NULL DEFAULT '',
    PRIMARY KEY (environment, key)
);

-- +goose Down
DROP TABLE feature_flags;
