-- What was asked of the AI service on a person's behalf (docs/
-- architecture.md, "AI"): each generation with the hash of its prompt,
-- the answer as it came (at most 256 KiB), the model, how long it took,
-- the tokens it cost and how it ended. The person sees their own; the
-- count of the last 24 hours is their daily budget. Deleted with the
-- person. Expand-only: the previous release never reads the table.
-- +goose Up
CREATE TABLE ai_generations (
    id                TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('recipe', 'suggestions')),
    model             TEXT NOT NULL,
    input_hash        TEXT NOT NULL,
    output            TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('ok', 'timeout', 'rate_limited', 'error', 'malformed', 'refused')),
    error             TEXT NOT NULL DEFAULT '',
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    latency_ms        INTEGER NOT NULL,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX ai_generations_user_idx ON ai_generations (user_id, created_at);

-- +goose Down
DROP TABLE ai_generations;
