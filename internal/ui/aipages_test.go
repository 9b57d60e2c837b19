package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/ai/aitest"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

// The import page's "Read it with AI" against an in-process AI service:
// the text becomes the recipe form to check; a failure is said by the text
// box with the text kept; settings list the requests.
func TestImportTextWithAI(t *testing.T) {
	t.Parallel()
	fake := aitest.Start(t, aitest.Reply{Content: aitest.JSON(map[string]any{
		"title": "Quick Flatbreads", "description": "", "servings": 6, "prep_minutes": 10, "cook_minutes": 12,
		"ingredients": []string{"250 g self-raising flour", "250 g Greek yoghurt", "1 tsp salt"},
		"steps":       []string{"Mix into a soft dough.", "Roll out six rounds.", "Cook in a dry pan, 2 minutes a side."},
		"tags":        []string{"bread"},
	}), PromptTokens: 120, CompletionTokens: 80})
	srv := testutil.StartServerWith(t, "sqlite", func(cfg *config.Config) {
		cfg.AIBaseURL, cfg.AIModel, cfg.AITimeout = fake.BaseURL(), "kitchen-model", 300*time.Millisecond
	})
	s := wrapSite(t, srv, "sqlite")
	ann := s.register(t, "ann")

	d := assertDocument(t, ann.get(t, "/import").want(t, http.StatusOK))
	if box := d.one(t, "#ai"); box.get("type") != "checkbox" || !strings.Contains(d.one(t, "#ai-hint").textContent(), "kitchen-model") {
		t.Error("the text form does not offer the AI service by name")
	}
	text := "flatbreads: 250g flour, 250g yoghurt, salt. mix, roll, cook in a pan"
	d = assertDocument(t, ann.post(t, "/import", url.Values{"text": {text}, "ai": {"1"}}).want(t, http.StatusOK))
	if inputValue(t, d, "title") != "Quick Flatbreads" || inputValue(t, d, "ingredient-1") != "250 g Greek yoghurt" ||
		inputValue(t, d, "step-2") != "Cook in a dry pan, 2 minutes a side." || inputValue(t, d, "servings") != "6" {
		t.Errorf("form %q, %q, %q, %q", inputValue(t, d, "title"), inputValue(t, d, "ingredient-1"), inputValue(t, d, "step-2"), inputValue(t, d, "servings"))
	}

	// Too slow: said by the text box, the text and the choice kept.
	fake.Set(aitest.Reply{Content: "{}", Delay: time.Second})
	d = assertDocument(t, ann.post(t, "/import", url.Values{"text": {text}, "ai": {"1"}}).want(t, http.StatusGatewayTimeout, http.StatusUnprocessableEntity))
	if got := d.one(t, "#error-summary h2").textContent(); got != "The AI service took too long" {
		t.Errorf("summary %q", got)
	}
	if !strings.Contains(d.one(t, "#text-error").textContent(), "Nothing was saved") || inputValue(t, d, "text") != text || !d.one(t, "#ai").has("checked") {
		t.Error("the failure is not by the text box with the text and the choice kept")
	}

	// Without AI the built-in reader still reads it.
	d = assertDocument(t, ann.post(t, "/import", url.Values{"text": {"Flatbreads\n\nIngredients\n250 g flour\n\nMethod\n1. Mix."}}).want(t, http.StatusOK))
	if inputValue(t, d, "title") != "Flatbreads" {
		t.Errorf("without AI: %q", inputValue(t, d, "title"))
	}
	if n := len(fake.Requests()); n != 2 {
		t.Errorf("%d requests to the AI service, want 2", n)
	}

	// Settings list both requests, newest first.
	d = assertDocument(t, ann.get(t, "/settings/ai").want(t, http.StatusOK))
	items := d.texts(".ai-list li")
	if len(items) != 2 || !strings.Contains(items[0], "took too long") || !strings.Contains(items[1], "answered") || !strings.Contains(items[1], "120 + 80 tokens") {
		t.Errorf("history %q", items)
	}
	if !strings.Contains(d.one(t, ".ai-history").textContent(), "used 2 of 50") {
		t.Error("the day's allowance is not shown")
	}
}

func TestAIHistoryWithoutAI(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	d := assertDocument(t, ann.get(t, "/settings/ai").want(t, http.StatusOK))
	if !strings.Contains(d.one(t, ".ai-history").textContent(), "No AI service is set up") {
		t.Error("the page does not say there is no AI service")
	}
	if d := assertDocument(t, ann.get(t, "/import").want(t, http.StatusOK)); d.first("#ai") != nil {
		t.Error("the import page offers AI that is not set up")
	}
}
