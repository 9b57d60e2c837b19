package ui

import (
	"net/http"
	"time"

	"github.com/reccollection/reccollection/internal/ai"
	"github.com/reccollection/reccollection/internal/store"
)

// SetAI sets the AI service: the import page then offers to read a
// recipe's text with it, and settings list what was asked of it.
func (u *UI) SetAI(s *ai.Service) { u.aiService = s }

// aiView is the page of a person's AI requests.
type aiView struct {
	Configured  bool
	Model       string
	Used, Limit int
	Generations []aiRow
}

type aiRow struct {
	store.AIGeneration
	Latency string
}

// aiHistory is GET /settings/ai: what the person asked of the AI service,
// newest first, with each answer as it came and its cost.
func (u *UI) aiHistory(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	v := aiView{Configured: u.aiService.Configured(), Model: u.aiService.Model(), Limit: ai.DailyBudget}
	if u.aiService != nil {
		list, err := u.aiService.History(r.Context(), me.ID)
		if err != nil {
			u.serverError(w, r, err)
			return
		}
		if v.Used, err = u.aiService.Used(r.Context(), me.ID); err != nil {
			u.serverError(w, r, err)
			return
		}
		for _, g := range list {
			v.Generations = append(v.Generations, aiRow{AIGeneration: g, Latency: (time.Duration(g.LatencyMS) * time.Millisecond).Round(10 * time.Millisecond).String()})
		}
	}
	w.Header().Set("Cache-Control", "private, no-store")
	u.render(w, r, http.StatusOK, "ai_history", &page{Title: "AI requests", Data: v})
}
