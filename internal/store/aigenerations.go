package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// AIGeneration is one request made of the AI service for a person
// (migration 00033): what it was for, the hash of what was asked, the
// answer as it came, and its cost.
type AIGeneration struct {
	ID               string    `json:"id"`
	Kind             string    `json:"kind"` // recipe, suggestions
	Model            string    `json:"model"`
	InputHash        string    `json:"input_hash"`
	Output           string    `json:"output"`
	Status           string    `json:"status"` // ok, timeout, rate_limited, error, malformed, refused
	Error            string    `json:"error"`
	PromptTokens     int       `json:"prompt_tokens"`
	CompletionTokens int       `json:"completion_tokens"`
	LatencyMS        int       `json:"latency_ms"`
	CreatedAt        time.Time `json:"created_at"`
}

// Bounds on what one generation's record keeps.
const (
	maxAIOutput = 256 << 10
	maxAIError  = 1000
	// MaxAIGenerationsListed is the most of a person's generations listed.
	MaxAIGenerationsListed = 100
)

// RecordAIGeneration stores g for userID; its ID and CreatedAt are set
// here.
func (s *Store) RecordAIGeneration(ctx context.Context, userID string, g *AIGeneration) error {
	if !validID(userID) {
		return ErrNotFound
	}
	g.ID = newID()
	g.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	g.Output = clipStored(g.Output, maxAIOutput)
	g.Error = clipStored(g.Error, maxAIError)
	_, err := s.read().ExecContext(ctx, `INSERT INTO ai_generations
		(id, user_id, kind, model, input_hash, output, status, error, prompt_tokens, completion_tokens, latency_ms, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.ID, userID, g.Kind, clipStored(g.Model, 200), g.InputHash, g.Output, g.Status, g.Error,
		g.PromptTokens, g.CompletionTokens, g.LatencyMS, g.CreatedAt)
	if err != nil {
		return fmt.Errorf("record AI generation: %w", err)
	}
	return nil
}

// AIGenerationsSince counts userID's generations since t: the daily
// budget's measure.
func (s *Store) AIGenerationsSince(ctx context.Context, userID string, t time.Time) (int, error) {
	if !validID(userID) {
		return 0, nil
	}
	var n int
	err := s.read().QueryRowContext(ctx, `SELECT count(*) FROM ai_generations WHERE user_id = ? AND created_at >= ?`,
		userID, t.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count AI generations: %w", err)
	}
	return n, nil
}

// AIGenerations lists userID's latest generations, newest first, at most
// MaxAIGenerationsListed.
func (s *Store) AIGenerations(ctx context.Context, userID string) ([]AIGeneration, error) {
	out := []AIGeneration{}
	if !validID(userID) {
		return out, nil
	}
	rows, err := s.read().QueryContext(ctx, `SELECT id, kind, model, input_hash, output, status, error,
		prompt_tokens, completion_tokens, latency_ms, created_at
		FROM ai_generations WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, userID, MaxAIGenerationsListed)
	if err != nil {
		return nil, fmt.Errorf("list AI generations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g AIGeneration
		if err := rows.Scan(&g.ID, &g.Kind, &g.Model, &g.InputHash, &g.Output, &g.Status, &g.Error,
			&g.PromptTokens, &g.CompletionTokens, &g.LatencyMS, &g.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan AI generation: %w", err)
		}
		g.CreatedAt = g.CreatedAt.UTC()
		out = append(out, g)
	}
	return out, rows.Err()
}

// clipStored cuts s to at most n bytes of valid text.
func clipStored(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")
}
