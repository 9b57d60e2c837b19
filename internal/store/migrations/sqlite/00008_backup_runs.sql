-- One row per `backup create` run (scheduled or by hand), whichever
-- replica or job ran it. Every replica exports the newest successful run
-- as reccollection_backup_last_success_timestamp_seconds at scrape time,
-- so the BackupTooOld alert sees the same answer from all of them.
-- Backups themselves never contain this table: it describes the backups
-- of this database, not the data. Expand-only.
-- +goose Up
CREATE TABLE backup_runs (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    succeeded   BOOLEAN NOT NULL CHECK (succeeded IN (0, 1)),
    size_bytes  INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX backup_runs_success_idx ON backup_runs (finished_at DESC) WHERE succeeded = 1;

-- +goose Down
DROP TABLE backup_runs;
