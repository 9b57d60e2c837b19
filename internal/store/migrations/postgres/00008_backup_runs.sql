-- One row per `backup create` run (scheduled or by hand), whichever
-- replica or job ran it. Every replica exports the newest successful run
-- as reccollection_backup_last_success_timestamp_seconds at scrape time,
-- so the BackupTooOld alert sees the same answer from all of them.
-- Backups themselves never contain this table: it describes the backups
-- of this database, not the data. Expand-only.
-- +goose Up
CREATE TABLE backup_runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    succeeded   boolean NOT NULL,
    size_bytes  bigint NOT NULL DEFAULT 0,
    error       text NOT NULL DEFAULT ''
);
CREATE INDEX backup_runs_success_idx ON backup_runs (finished_at DESC) WHERE succeeded;

-- +goose Down
DROP TABLE backup_runs;
