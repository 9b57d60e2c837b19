package ai_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/ai"
	"github.com/reccollection/reccollection/internal/ai/aitest"
	"github.com/reccollection/reccollection/internal/recipe"
)

const freeText = `Nonna's lemon cake, serves 8
You need 200 g butter, 200 g sugar, 4 eggs, 200 g self-raising flour and the zest of 2 lemons.
Cream the butter and sugar, beat in the eggs, fold in the flour and zest, bake 40 min at 180C.`

var cakeAnswer = map[string]any{
	"title": "Nonna's Lemon Cake", "description": "A lemon sponge from my grandmother.",
	"servings": 8, "prep_minutes": nil, "cook_minutes": 40,
	"ingredients": []string{"200 g butter", "200 g sugar", "4 eggs", "200 g self-raising flour", "zest of 2 lemons"},
	"steps":       []string{"Cream the butter and sugar.", "Beat in the eggs.", "Fold in the flour and zest.", "Bake for 40 minutes at 180°C."},
	"tags":        []string{"cake", "lemon"},
}

func TestRecipeFromFreeText(t *testing.T) {
	srv := aitest.Start(t, aitest.Reply{Content: aitest.JSON(cakeAnswer), PromptTokens: 310, CompletionTokens: 95})
	c := ai.New(ai.Options{BaseURL: srv.BaseURL(), APIKey: "sk-test", Model: "test-model"})
	r, g, err := c.Recipe(context.Background(), freeText)
	if err != nil {
		t.Fatal(err)
	}
	if r.Title != "Nonna's Lemon Cake" || len(r.Ingredients) != 5 || len(r.Steps) != 4 || r.Via != "ai" {
		t.Errorf("recipe %+v", r)
	}
	if r.Servings == nil || *r.Servings != 8 || r.PrepMinutes != nil || r.CookMinutes == nil || *r.CookMinutes != 40 {
		t.Errorf("servings %v, prep %v, cook %v", r.Servings, r.PrepMinutes, r.CookMinutes)
	}
	if !slices.Equal(r.Keywords, []string{"cake", "lemon"}) {
		t.Errorf("keywords %q", r.Keywords)
	}
	if g.Status != "ok" || g.Model != "test-model" || g.PromptTokens != 310 || g.CompletionTokens != 95 || len(g.InputHash) != 64 || g.Latency <= 0 {
		t.Errorf("generation %+v", g)
	}
	if g.Output != aitest.JSON(cakeAnswer) {
		t.Errorf("output %q", g.Output)
	}

	// What was asked: the model, a stream with usage, a strict JSON
	// schema, the key, and the text.
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1 (no retries)", len(reqs))
	}
	body := reqs[0].Body
	if reqs[0].Auth != "Bearer sk-test" || body["model"] != "test-model" || body["stream"] != true {
		t.Errorf("request auth %q, model %v, stream %v", reqs[0].Auth, body["model"], body["stream"])
	}
	rf, _ := body["response_format"].(map[string]any)
	js, _ := rf["json_schema"].(map[string]any)
	if rf["type"] != "json_schema" || js["strict"] != true || js["schema"] == nil {
		t.Errorf("response_format %v", rf)
	}
	msgs, _ := body["messages"].([]any)
	if len(msgs) != 2 || msgs[1].(map[string]any)["content"] != freeText {
		t.Errorf("messages %v", msgs)
	}
	// The same text asked again hashes the same.
	_, g2, err := c.Recipe(context.Background(), freeText)
	if err != nil || g2.InputHash != g.InputHash {
		t.Errorf("second hash %q vs %q (%v)", g2.InputHash, g.InputHash, err)
	}
}

func TestGenerationFailures(t *testing.T) {
	missing := map[string]any{"title": "Cake", "description": "", "servings": nil, "prep_minutes": nil, "cook_minutes": nil, "ingredients": []string{"1 egg"}, "steps": []string{"Bake."}}
	extra := map[string]any{"title": "Cake", "description": "", "servings": nil, "prep_minutes": nil, "cook_minutes": nil,
		"ingredients": []string{}, "steps": []string{}, "tags": []string{}, "calories": 300}
	wrongType := map[string]any{"title": "Cake", "description": "", "servings": "eight", "prep_minutes": nil, "cook_minutes": nil,
		"ingredients": []string{}, "steps": []string{}, "tags": []string{}}
	for _, c := range []struct {
		name   string
		reply  aitest.Reply
		want   error
		status string
	}{
		{"not JSON", aitest.Reply{Content: "Sure! Here is your recipe: Lemon cake..."}, ai.ErrMalformed, "malformed"},
		{"a field missing", aitest.Reply{Content: aitest.JSON(missing)}, ai.ErrMalformed, "malformed"},
		{"a field too many", aitest.Reply{Content: aitest.JSON(extra)}, ai.ErrMalformed, "malformed"},
		{"a wrong type", aitest.Reply{Content: aitest.JSON(wrongType)}, ai.ErrMalformed, "malformed"},
		{"two values", aitest.Reply{Content: aitest.JSON(cakeAnswer) + aitest.JSON(cakeAnswer)}, ai.ErrMalformed, "malformed"},
		{"cut off", aitest.Reply{Content: `{"title": "Cake", "descr`, Finish: "length"}, ai.ErrMalformed, "malformed"},
		{"rate limited", aitest.Reply{Status: http.StatusTooManyRequests}, ai.ErrRateLimited, "rate_limited"},
		{"server error", aitest.Reply{Status: http.StatusInternalServerError}, ai.ErrProvider, "error"},
		{"bad key", aitest.Reply{Status: http.StatusUnauthorized}, ai.ErrProvider, "error"},
		{"too slow", aitest.Reply{Content: aitest.JSON(cakeAnswer), Delay: 2 * time.Second}, ai.ErrTimeout, "timeout"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := aitest.Start(t, c.reply)
			cl := ai.New(ai.Options{BaseURL: srv.BaseURL(), Model: "m", Timeout: 300 * time.Millisecond})
			r, g, err := cl.Recipe(context.Background(), freeText)
			if !errors.Is(err, c.want) || r != nil {
				t.Fatalf("recipe %v, error %v; want %v", r, err, c.want)
			}
			if g == nil || g.Status != c.status || g.Error == "" {
				t.Errorf("generation %+v, want status %s with its error", g, c.status)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("%d requests: a failure must not be retried", n)
			}
		})
	}
	// Text over the limit is not sent at all.
	srv := aitest.Start(t, aitest.Reply{Content: aitest.JSON(cakeAnswer)})
	cl := ai.New(ai.Options{BaseURL: srv.BaseURL(), Model: "m"})
	if _, _, err := cl.Recipe(context.Background(), strings.Repeat("a", ai.MaxInputBytes+1)); !errors.Is(err, ai.ErrInputTooBig) || len(srv.Requests()) != 0 {
		t.Errorf("too long a text: %v, %d requests", err, len(srv.Requests()))
	}
}

func TestAISuggestions(t *testing.T) {
	srv := aitest.Start(t, aitest.Reply{Content: aitest.JSON(map[string]any{
		"title": "  Lemon   Drizzle Cake ", "description": "A light sponge soaked in lemon syrup.",
		"tags": []string{"Cake", "baking!", "lemon", "cake", strings.Repeat("x", 41)},
	})})
	c := ai.New(ai.Options{BaseURL: srv.BaseURL(), Model: "m"})
	in := recipe.Input{Ingredients: []recipe.Ingredient{recipe.IngredientLine("200 g butter")}, Steps: []string{"Bake."}, Tags: []string{"lemon"}}
	s, g, err := c.Suggest(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Lemon Drizzle Cake" || s.Description != "A light sponge soaked in lemon syrup." {
		t.Errorf("suggestion %+v", s)
	}
	// Cleaned into labels, the recipe's own and the overlong left out.
	if !slices.Equal(s.Tags, []string{"cake", "baking"}) {
		t.Errorf("tags %q", s.Tags)
	}
	if g.Kind != "suggestions" || g.Status != "ok" {
		t.Errorf("generation %+v", g)
	}
	body := srv.Requests()[0].Body
	msgs := body["messages"].([]any)
	if user := msgs[1].(map[string]any)["content"].(string); !strings.Contains(user, "- 200 g butter") || !strings.Contains(user, "1. Bake.") {
		t.Errorf("the recipe as sent: %q", user)
	}
}
