-- The meal plan (docs/architecture.md, "Meal plan"): a household's
-- entries, each on a day in a slot (breakfast, lunch, ... as the
-- household's meal_slots name them), in an order. An entry is a recipe at
-- some servings or a line of free text ("leftovers"); title keeps what it
-- said when planned, so an entry whose recipe is deleted (recipe_id set
-- to NULL) still reads as it did. day is the text YYYY-MM-DD on both
-- engines (it sorts as dates do, and the backup catalog knows text).
-- calendar_token_hash is the SHA-256 of
-- the household's secret iCalendar feed token, NULL when there is none.
-- Expand-only: the previous release never reads the new table or columns.
-- +goose Up
ALTER TABLE households ADD COLUMN meal_slots text NOT NULL DEFAULT '["breakfast","lunch","dinner","snack"]';
ALTER TABLE households ADD COLUMN calendar_token_hash text UNIQUE;

CREATE TABLE meal_plan_entries (
    id           uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    day          text NOT NULL CHECK (length(day) = 10),
    slot         text NOT NULL,
    position     integer NOT NULL,
    recipe_id    uuid REFERENCES recipes (id) ON DELETE SET NULL,
    title        text NOT NULL,
    servings     integer CHECK (servings BETWEEN 1 AND 1000),
    note         text NOT NULL DEFAULT '',
    cooked_at    timestamptz,
    created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX meal_plan_entries_day_idx ON meal_plan_entries (household_id, day, slot, position);
CREATE INDEX meal_plan_entries_recipe_idx ON meal_plan_entries (recipe_id);
CREATE INDEX meal_plan_entries_created_by_idx ON meal_plan_entries (created_by);

-- +goose Down
DROP TABLE meal_plan_entries;
ALTER TABLE households DROP COLUMN calendar_token_hash;
ALTER TABLE households DROP COLUMN meal_slots;
