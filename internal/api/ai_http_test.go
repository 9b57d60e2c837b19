package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/ai"
	"github.com/reccollection/reccollection/internal/ai/aitest"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

// The AI service as configured (RECC_AI_BASE_URL, RECC_AI_MODEL,
// RECC_AI_TIMEOUT) against an in-process server speaking the
// chat-completions protocol: free text becomes a preview, never a saved
// recipe; a malformed answer, a timeout and a 429 each say so clearly and
// save nothing; every request is recorded for its person.

const aiText = `Nonna's lemon cake, serves 8
You need 200 g butter, 200 g sugar, 4 eggs, 200 g self-raising flour and the zest of 2 lemons.
Cream the butter and sugar, beat in the eggs, fold in the flour and zest, bake 40 min at 180C.`

var aiCake = map[string]any{
	"title": "Nonna's Lemon Cake", "description": "A lemon sponge from my grandmother.",
	"servings": 8, "prep_minutes": nil, "cook_minutes": 40,
	"ingredients": []string{"200 g butter", "200 g sugar", "4 eggs", "200 g self-raising flour", "zest of 2 lemons"},
	"steps":       []string{"Cream the butter and sugar.", "Beat in the eggs.", "Fold in the flour and zest.", "Bake for 40 minutes at 180°C."},
	"tags":        []string{"cake", "Lemon"},
}

func aiServer(t *testing.T, engine string) (*server, *aitest.Server) {
	t.Helper()
	fake := aitest.Start(t, aitest.Reply{Content: aitest.JSON(aiCake), PromptTokens: 300, CompletionTokens: 90})
	srv := testutil.StartServerWith(t, engine, func(cfg *config.Config) {
		cfg.AIBaseURL, cfg.AIModel, cfg.AIAPIKey, cfg.AITimeout = fake.BaseURL(), "test-model", "sk-test", 400*time.Millisecond
	})
	return &server{Server: srv, engine: engine}, fake
}

func TestAIImportPreview(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s, fake := aiServer(t, engine)
			c := s.apiClient(t, "cook")
			var p struct {
				Draft struct {
					Via string `json:"via"`
				} `json:"draft"`
				Recipe struct {
					Title       string            `json:"title"`
					Servings    *int              `json:"servings"`
					CookMinutes *int              `json:"cook_minutes"`
					Ingredients []json4Ingredient `json:"ingredients"`
					Steps       []string          `json:"steps"`
					Tags        []string          `json:"tags"`
					Visibility  string            `json:"visibility"`
					SourceURL   string            `json:"source_url"`
				} `json:"recipe"`
				Missing []string `json:"missing"`
			}
			c.do(t, "POST", "/api/v1/imports", map[string]any{"text": aiText, "ai": true, "base_url": "https://www.instagram.com/p/CpAsTa123/?igsh=x"}).
				want(t, http.StatusOK).decode(t, &p)
			r := p.Recipe
			if p.Draft.Via != "ai" || r.Title != "Nonna's Lemon Cake" || len(r.Ingredients) != 5 || len(r.Steps) != 4 || r.Visibility != "private" {
				t.Errorf("preview %+v", p)
			}
			if r.Ingredients[3].Quantity == nil || *r.Ingredients[3].Quantity != 200 || r.Ingredients[3].Unit != "g" || r.Ingredients[3].Name != "self-raising flour" {
				t.Errorf("the AI's line was not parsed as any line: %+v", r.Ingredients[3])
			}
			if r.Servings == nil || *r.Servings != 8 || r.CookMinutes == nil || *r.CookMinutes != 40 || strings.Join(r.Tags, ",") != "cake,lemon" {
				t.Errorf("servings %v, cook %v, tags %q", r.Servings, r.CookMinutes, r.Tags)
			}
			if r.SourceURL != "https://www.instagram.com/p/CpAsTa123/" {
				t.Errorf("source %q", r.SourceURL)
			}
			if n := len(fake.Requests()); n != 1 {
				t.Errorf("%d requests to the AI service", n)
			}

			for _, f := range []struct {
				name   string
				reply  aitest.Reply
				status int
				title  string
			}{
				{"malformed", aitest.Reply{Content: "Here is the recipe: lemon cake."}, http.StatusBadGateway, "The AI's answer could not be used"},
				{"timeout", aitest.Reply{Content: aitest.JSON(aiCake), Delay: 2 * time.Second}, http.StatusGatewayTimeout, "The AI service took too long"},
				{"429", aitest.Reply{Status: http.StatusTooManyRequests}, http.StatusTooManyRequests, "The AI service is busy"},
				{"500", aitest.Reply{Status: http.StatusInternalServerError}, http.StatusBadGateway, "The AI service answered with an error"},
			} {
				fake.Set(f.reply)
				res := c.do(t, "POST", "/api/v1/imports", map[string]any{"text": aiText, "ai": true}, upstreamFailure)
				prob := res.wantProblem(t, f.status)
				if prob.Title != f.title || !strings.Contains(prob.Detail, "import the text without AI") {
					t.Errorf("%s: problem %q: %q", f.name, prob.Title, prob.Detail)
				}
				if f.status == http.StatusTooManyRequests && res.header.Get("Retry-After") == "" {
					t.Errorf("%s: no Retry-After", f.name)
				}
			}
			// Nothing was saved by any of it.
			if n, err := s.App.Store().CountVisibleRecipes(context.Background(), c.user.ID, c.user.ID); err != nil || n != 0 {
				t.Errorf("%d recipes saved (%v)", n, err)
			}
			// Each request is recorded for its person, newest first.
			var hist struct {
				Generations []struct {
					Kind, Model, Status, Output string
					InputHash                   string `json:"input_hash"`
					PromptTokens                int    `json:"prompt_tokens"`
				} `json:"generations"`
				Used  int `json:"used"`
				Limit int `json:"limit"`
			}
			c.do(t, "GET", "/api/v1/me/ai-generations", nil).want(t, http.StatusOK).decode(t, &hist)
			var statuses []string
			for _, g := range hist.Generations {
				statuses = append(statuses, g.Status)
			}
			if strings.Join(statuses, ",") != "error,rate_limited,timeout,malformed,ok" || hist.Used != 5 || hist.Limit != ai.DailyBudget {
				t.Errorf("history %v, used %d of %d", statuses, hist.Used, hist.Limit)
			}
			if g := hist.Generations[4]; g.Kind != "recipe" || g.Model != "test-model" || g.PromptTokens != 300 || len(g.InputHash) != 64 || !strings.Contains(g.Output, "Nonna") {
				t.Errorf("the first generation %+v", g)
			}
			// Another person sees none of it.
			other := s.apiClient(t, "other")
			other.do(t, "GET", "/api/v1/me/ai-generations", nil).want(t, http.StatusOK).decode(t, &hist)
			if len(hist.Generations) != 0 || hist.Used != 0 {
				t.Errorf("another person sees %d generations", len(hist.Generations))
			}
			// ai goes with text only.
			c.do(t, "POST", "/api/v1/imports", map[string]any{"url": "https://example.com/x", "ai": true}).wantProblem(t, http.StatusUnprocessableEntity, "ai")
		})
	}
}

func TestAISuggestionsFallBack(t *testing.T) {
	s, fake := aiServer(t, "sqlite")
	c := s.apiClient(t, "cook")
	fake.Set(aitest.Reply{Content: aitest.JSON(map[string]any{"title": "Lemon Drizzle Cake", "description": "A lemon sponge.", "tags": []string{"cake"}})})
	body := map[string]any{"ingredients": []string{"200 g butter", "2 lemons"}, "steps": []string{"Bake the cake for 40 minutes."}}
	var got suggestionJSON
	c.do(t, "POST", "/api/v1/recipes/suggestions", body).want(t, http.StatusOK).decode(t, &got)
	if got.Source != "ai" || got.Title != "Lemon Drizzle Cake" {
		t.Errorf("AI suggestion %+v", got)
	}
	// The service busy: the built-in generator answers, and says why.
	fake.Set(aitest.Reply{Status: http.StatusTooManyRequests})
	var fallback struct {
		suggestionJSON
		AIError string `json:"ai_error"`
	}
	c.do(t, "POST", "/api/v1/recipes/suggestions", body).want(t, http.StatusOK).decode(t, &fallback)
	if fallback.Source != "offline" || fallback.Title == "" || !strings.HasPrefix(fallback.AIError, "The AI service is busy right now") {
		t.Errorf("fallback %+v", fallback)
	}
}

type json4Ingredient struct {
	Quantity *float64 `json:"quantity"`
	Unit     string   `json:"unit"`
	Name     string   `json:"name"`
}
