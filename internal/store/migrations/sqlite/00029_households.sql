-- Households (docs/architecture.md, "Households"): the people who plan
-- meals and shop together. A person is in at most one household
-- (household_members' key is the user); one without a row gets a
-- household of their own the first time they need one. Invitations are
-- single-use and expire; the table holds the SHA-256 of each token,
-- never the token, as share_links do. Deleting an account removes its
-- membership; the store then deletes a household left empty or promotes
-- a member of one left without an owner, in the same transaction.
-- Expand-only: the previous release never reads the tables.
-- +goose Up
CREATE TABLE households (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE household_members (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    joined_at    TIMESTAMP NOT NULL
);
CREATE INDEX household_members_household_idx ON household_members (household_id, joined_at);

CREATE TABLE household_invitations (
    id           TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    email        TEXT NOT NULL DEFAULT '',
    invited_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX household_invitations_household_idx ON household_invitations (household_id, created_at);
CREATE INDEX household_invitations_invited_by_idx ON household_invitations (invited_by);

-- +goose Down
DROP TABLE household_invitations;
DROP TABLE household_members;
DROP TABLE households;
