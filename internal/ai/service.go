package ai

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// DailyBudget is how many generations one person may ask of the AI
// service in 24 hours: enough for an evening of typing in recipes, and a
// bound on what one account can cost the installation.
const DailyBudget = 50

var (
	// ErrNotConfigured: no AI service is set up (RECC_AI_BASE_URL).
	ErrNotConfigured = errors.New("ai: no AI service is set up on this server")
	// ErrBudget: the person's DailyBudget is spent.
	ErrBudget = errors.New("ai: today's allowance of AI requests is used")
)

// Service is what the app asks of AI: a recipe from free text and
// suggestions, within each person's daily budget, every generation
// recorded for its person to see. Without a client only the offline
// generator answers.
type Service struct {
	client *Client
	store  *store.Store
	log    *slog.Logger
	now    func() time.Time
}

// NewService returns the service; client may be nil (no AI configured).
func NewService(s *store.Store, client *Client, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{client: client, store: s, log: log, now: time.Now}
}

// Configured reports whether an AI service is set up.
func (s *Service) Configured() bool { return s != nil && s.client != nil }

// Model is the configured model's name, or "".
func (s *Service) Model() string {
	if !s.Configured() {
		return ""
	}
	return s.client.Model()
}

// Recipe structures text as a recipe with the AI service. The draft is
// not saved: the importer shows it for checking like any other.
func (s *Service) Recipe(ctx context.Context, userID, text string) (*extract.Recipe, error) {
	if !s.Configured() {
		return nil, ErrNotConfigured
	}
	if err := s.withinBudget(ctx, userID); err != nil {
		return nil, err
	}
	r, g, err := s.client.Recipe(ctx, text)
	s.record(ctx, userID, g)
	return r, err
}

// Suggest proposes a title, a description and tags: from the AI service
// when one is set up and the person's budget allows, else (or when the
// service fails) from the offline generator. aiErr says why the service's
// suggestion is not the one given, for the person to see; source names
// the generator that answered ("ai" or "offline").
func (s *Service) Suggest(ctx context.Context, userID string, in recipe.Input) (sug Suggestion, source string, aiErr error) {
	if s.Configured() {
		if aiErr = s.withinBudget(ctx, userID); aiErr == nil {
			var g *Generation
			sug, g, aiErr = s.client.Suggest(ctx, in)
			s.record(ctx, userID, g)
			if aiErr == nil {
				return sug, "ai", nil
			}
		}
		if errors.Is(aiErr, context.Canceled) {
			return Suggestion{}, "", aiErr
		}
	}
	return Offline{}.Suggest(in), "offline", aiErr
}

// History is userID's latest generations, newest first.
func (s *Service) History(ctx context.Context, userID string) ([]store.AIGeneration, error) {
	return s.store.AIGenerations(ctx, userID)
}

// Used is how many of today's DailyBudget userID has used.
func (s *Service) Used(ctx context.Context, userID string) (int, error) {
	return s.store.AIGenerationsSince(ctx, userID, s.now().Add(-24*time.Hour))
}

func (s *Service) withinBudget(ctx context.Context, userID string) error {
	n, err := s.Used(ctx, userID)
	if err != nil {
		return err
	}
	if n >= DailyBudget {
		return fmt.Errorf("%w (%d in 24 hours)", ErrBudget, DailyBudget)
	}
	return nil
}

// record stores g; a failure to record is logged, never the person's
// problem.
func (s *Service) record(ctx context.Context, userID string, g *Generation) {
	if g == nil {
		return
	}
	rec := &store.AIGeneration{Kind: g.Kind, Model: g.Model, InputHash: g.InputHash, Output: g.Output, Status: g.Status,
		Error: g.Error, PromptTokens: g.PromptTokens, CompletionTokens: g.CompletionTokens, LatencyMS: int(g.Latency.Milliseconds())}
	if rec.InputHash == "" {
		rec.InputHash = "-"
	}
	if err := s.store.RecordAIGeneration(context.WithoutCancel(ctx), userID, rec); err != nil {
		s.log.WarnContext(ctx, "record AI generation", "err", err)
	}
}
