-- Feature flag overrides, one row per environment and flag. Flags
-- themselves are declared in code (internal/flags/registry.go); a row here
-- only changes a flag's answer in one environment. Allow and deny lists
-- are JSON arrays of user ids kept in the row: they are short, always read
-- and written with the row as one unit, and one query then loads every
-- override of an environment. Expand-only: the previous release ignores
-- the table.
-- +goose Up
CREATE TABLE feature_flags (
    environment     TEXT NOT NULL CHECK (environment IN ('development', 'staging', 'production')),
    key             TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
    enabled         BOOLEAN NOT NULL CHECK (enabled IN (0, 1)),
    rollout_percent INTEGER NOT NULL CHECK (rollout_percent BETWEEN 0 AND 100),
    allow_users     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(allow_users) AND json_type(allow_users) = 'array'),
    deny_users      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(deny_users) AND json_type(deny_users) = 'array'),
    updated_at      TIMESTAMP NOT NULL,
    updated_by      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (environment, key)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE feature_flags;
