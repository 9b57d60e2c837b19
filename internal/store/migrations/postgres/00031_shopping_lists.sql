-- Shopping lists (docs/architecture.md, "Shopping lists"): a household's
-- lists, their lines, where each line's amount came from, and the aisle
-- the household filed an ingredient under.
--
-- A line is one ingredient (item_key, its normalised name) in one measure:
-- "mass" or "volume" when its amounts convert (quantity is then in g or
-- ml), else the unit as written ("clove", "" for a count). Lines merge
-- while unchecked: the partial unique index lets one unchecked line per
-- ingredient and measure exist, so two members adding the same butter at
-- once meet at one row. shown_in says which measures to show the sum in
-- ("metric" or "us"). shopping_item_sources keep each contribution (a
-- recipe at some servings, or by hand), so a line says which recipes
-- need it. version counts the list's changes: live views and offline
-- copies compare it. aisle and shopping_aisles.aisle are one of the
-- built-in aisles (internal/planner/shopping.go).
-- Expand-only: the previous release never reads the new tables.
-- +goose Up
CREATE TABLE shopping_lists (
    id           uuid PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    name         text NOT NULL,
    version      bigint NOT NULL DEFAULT 0,
    created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX shopping_lists_household_idx ON shopping_lists (household_id, created_at);
CREATE INDEX shopping_lists_created_by_idx ON shopping_lists (created_by);

CREATE TABLE shopping_items (
    id         uuid PRIMARY KEY,
    list_id    uuid NOT NULL REFERENCES shopping_lists (id) ON DELETE CASCADE,
    name       text NOT NULL,
    item_key   text NOT NULL,
    measure    text NOT NULL,
    quantity   double precision,
    shown_in   text NOT NULL DEFAULT '',
    aisle      text NOT NULL,
    checked_at timestamptz,
    checked_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX shopping_items_list_idx ON shopping_items (list_id, created_at);
CREATE UNIQUE INDEX shopping_items_open_idx ON shopping_items (list_id, item_key, measure) WHERE checked_at IS NULL;
CREATE INDEX shopping_items_checked_by_idx ON shopping_items (checked_by);

CREATE TABLE shopping_item_sources (
    id         uuid PRIMARY KEY,
    item_id    uuid NOT NULL REFERENCES shopping_items (id) ON DELETE CASCADE,
    recipe_id  uuid REFERENCES recipes (id) ON DELETE SET NULL,
    title      text NOT NULL DEFAULT '',
    quantity   double precision,
    created_at timestamptz NOT NULL
);
CREATE INDEX shopping_item_sources_item_idx ON shopping_item_sources (item_id);
CREATE INDEX shopping_item_sources_recipe_idx ON shopping_item_sources (recipe_id);

CREATE TABLE shopping_aisles (
    household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    item_key     text NOT NULL,
    aisle        text NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (household_id, item_key)
);

-- +goose Down
DROP TABLE shopping_aisles;
DROP TABLE shopping_item_sources;
DROP TABLE shopping_items;
DROP TABLE shopping_lists;
