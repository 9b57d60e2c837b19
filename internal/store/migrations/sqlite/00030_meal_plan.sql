-- The meal plan (docs/architecture.md, "Meal plan"): a household's
-- entries, each on a day in a slot (breakfast, lunch, ... as the
-- household's meal_slots name them), in an order. An entry is a recipe at
-- some servings or a line of free text ("leftovers"); title keeps what it
-- said when planned, so an entry whose recipe is deleted (recipe_id set
-- to NULL) still reads as it did. calendar_token_hash is the SHA-256 of
-- the household's secret iCalendar feed token, NULL when there is none.
-- SQLite cannot add a UNIQUE column, so a unique index stands in. day is
-- the text YYYY-MM-DD, which sorts as dates do.
-- +goose Up
ALTER TABLE households ADD COLUMN meal_slots TEXT NOT NULL DEFAULT '["breakfast","lunch","dinner","snack"]';
ALTER TABLE households ADD COLUMN calendar_token_hash TEXT;
CREATE UNIQUE INDEX households_calendar_token_idx ON households (calendar_token_hash);

CREATE TABLE meal_plan_entries (
    id           TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    day          TEXT NOT NULL CHECK (length(day) = 10),
    slot         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    recipe_id    TEXT REFERENCES recipes (id) ON DELETE SET NULL,
    title        TEXT NOT NULL,
    servings     INTEGER CHECK (servings BETWEEN 1 AND 1000),
    note         TEXT NOT NULL DEFAULT '',
    cooked_at    TIMESTAMP,
    created_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX meal_plan_entries_day_idx ON meal_plan_entries (household_id, day, slot, position);
CREATE INDEX meal_plan_entries_recipe_idx ON meal_plan_entries (recipe_id);
CREATE INDEX meal_plan_entries_created_by_idx ON meal_plan_entries (created_by);

-- +goose Down
DROP TABLE meal_plan_entries;
DROP INDEX households_calendar_token_idx;
ALTER TABLE households DROP COLUMN calendar_token_hash;
ALTER TABLE households DROP COLUMN meal_slots;
