-- What was asked of the AI service on a person's behalf (docs/
-- architecture.md, "AI"): each generation with the hash of its prompt,
-- the answer as it came (at most 256 KiB), the model, how long it took,
-- the tokens it cost and how it ended. The person sees their own; the
-- count of the last 24 hours is their daily budget. Deleted with the
-- person. Expand-only: the previous release never reads the table.
-- +goose Up
CREATE TABLE ai_generations (
    id                uuid PRIMARY KEY,
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind              text NOT NULL CHECK (kind IN ('recipe', 'suggestions')),
    model             text NOT NULL,
    input_hash        text NOT NULL,
    output            text NOT NULL,
    status            text NOT NULL CHECK (status IN ('ok', 'timeout', 'rate_limited', 'error', 'malformed', 'refused')),
    error             text NOT NULL DEFAULT '',
    prompt_tokens     integer NOT NULL DEFAULT 0,
    completion_tokens integer NOT NULL DEFAULT 0,
    latency_ms        integer NOT NULL,
    created_at        timestamptz NOT NULL
);
CREATE INDEX ai_generations_user_idx ON ai_generations (user_id, created_at);

-- +goose Down
DROP TABLE ai_generations;
