-- The certificate cache of automatic HTTPS (RECC_TLS_DOMAINS): the ACME
-- account key, certificates with their private keys, and http-01 challenge
-- tokens, under autocert's keys. In the database so every replica serves
-- the same certificates, answers a challenge another replica started, and
-- a new replica does not ask the CA again. Expand-only: the previous
-- release ignores the table.
-- +goose Up
CREATE TABLE tls_cache (
    key        text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 512),
    data       bytea NOT NULL,
    updated_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE tls_cache;
