-- Photos (docs/architecture.md, "Photos"): a recipe's main photo, its
-- gallery and its steps' photos, and users' avatars. A row is written when
-- an upload is accepted (status 'processing', upload_key naming the stored
-- upload); the variants job renders the variants, records them in
-- variants (JSON: key, width, height, format) and removes the upload.
-- bytes is what the row holds in storage, summed for the per-user quota.
-- Blobs are removed after the transaction that drops a row commits; a
-- periodic sweep removes any blob left without a row. Expand-only: the
-- previous release never reads the table.
-- +goose Up
CREATE TABLE photos (
    id         TEXT PRIMARY KEY,
    owner_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipe_id  TEXT REFERENCES recipes (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('main', 'gallery', 'step', 'avatar')),
    step       INTEGER NOT NULL DEFAULT 0,
    position   INTEGER NOT NULL DEFAULT 0,
    alt        TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'ready', 'failed')),
    upload_key TEXT,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    colour     TEXT NOT NULL DEFAULT '',
    variants   TEXT NOT NULL DEFAULT '[]',
    bytes      INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK ((role = 'avatar') = (recipe_id IS NULL))
);
CREATE UNIQUE INDEX photos_main_idx ON photos (recipe_id) WHERE role = 'main';
CREATE UNIQUE INDEX photos_step_idx ON photos (recipe_id, step) WHERE role = 'step';
CREATE UNIQUE INDEX photos_avatar_idx ON photos (owner_id) WHERE role = 'avatar';
CREATE INDEX photos_recipe_idx ON photos (recipe_id, role, position);
CREATE INDEX photos_owner_idx ON photos (owner_id);
CREATE INDEX photos_processing_idx ON photos (created_at) WHERE status = 'processing';

-- +goose Down
DROP TABLE photos;
