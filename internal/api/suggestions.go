package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/reccollection/reccollection/internal/ai"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// WithAI sets the AI service that answers suggestions (and reads
// imported text); without it the offline generator answers.
func (a *API) WithAI(s *ai.Service) *API {
	a.ai = s
	return a
}

// suggestionAnswer is the answer of POST /api/v1/recipes/suggestions.
type suggestionAnswer struct {
	ai.Suggestion
	// Source names the generator that answered: "ai" or "offline".
	Source string `json:"source"`
	// AIError says why the AI service's suggestion is not the one given
	// (it failed, or the day's allowance is used); "" otherwise.
	AIError string `json:"ai_error"`
}

// suggest proposes a title, a description and tags for a recipe being
// written, from its ingredients and steps. The body is a recipe body as
// POST /api/v1/recipes takes it, checked by the same limits; the title
// may still be empty (that is what a suggestion is for). Nothing is saved
// and nothing leaves the server.
func (a *API) suggest(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	var req recipeRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	in := req.toInput()
	var errs validate.Errors
	for _, e := range in.Normalize() {
		if e.Field == "title" && in.Title == "" {
			continue
		}
		errs = append(errs, e)
	}
	if len(errs) > 0 {
		a.fail(w, r, errs.Err())
		return
	}
	ans := suggestionAnswer{Suggestion: ai.Offline{}.Suggest(in), Source: "offline"}
	if a.ai.Configured() {
		s, source, aiErr := a.ai.Suggest(r.Context(), u.ID, in)
		if errors.Is(aiErr, context.Canceled) {
			return
		}
		ans = suggestionAnswer{Suggestion: s, Source: source}
		if aiErr != nil {
			ans.AIError = aiNotice(aiErr)
		}
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, ans)
}

// aiNotice says why the AI service's suggestions were not had; the
// built-in generator's are given instead.
func aiNotice(err error) string {
	why := "The AI service could not be asked"
	switch {
	case errors.Is(err, ai.ErrBudget):
		why = fmt.Sprintf("You have used today's %d AI requests", ai.DailyBudget)
	case errors.Is(err, ai.ErrRateLimited):
		why = "The AI service is busy right now"
	case errors.Is(err, ai.ErrTimeout):
		why = "The AI service took too long to answer"
	case errors.Is(err, ai.ErrMalformed):
		why = "The AI service's answer could not be used"
	}
	return why + "; these suggestions are the built-in generator's."
}

// aiHistory is the answer of GET /api/v1/me/ai-generations.
type aiHistory struct {
	// Configured says whether an AI service is set up; Model names it.
	Configured  bool                 `json:"configured"`
	Model       string               `json:"model"`
	Used        int                  `json:"used"`
	Limit       int                  `json:"limit"`
	Generations []store.AIGeneration `json:"generations"`
}

// myAIGenerations lists what was asked of the AI service for the caller,
// newest first, with today's use of their budget.
func (a *API) myAIGenerations(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	h := aiHistory{Configured: a.ai.Configured(), Model: a.ai.Model(), Limit: ai.DailyBudget, Generations: []store.AIGeneration{}}
	if a.ai != nil {
		var err error
		if h.Generations, err = a.ai.History(r.Context(), u.ID); err != nil {
			a.fail(w, r, err)
			return
		}
		if h.Used, err = a.ai.Used(r.Context(), u.ID); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, h)
}
