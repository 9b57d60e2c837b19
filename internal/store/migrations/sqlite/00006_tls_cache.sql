-- The certificate cache of automatic HTTPS (RECC_TLS_DOMAINS): the ACME
-- account key, certificates with their private keys, and http-01 challenge
-- tokens, under autocert's keys. In the database so every replica serves
-- the same certificates, answers a challenge another replica started, and
-- a new replica does not ask the CA again. Expand-only: the previous
-- release ignores the table.
-- +goose Up
CREATE TABLE tls_cache (
    key        TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 512),
    data       BLOB NOT NULL CHECK (typeof(data) = 'blob'),
    updated_at TIMESTAMP NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE tls_cache;
