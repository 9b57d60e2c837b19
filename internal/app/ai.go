package app

import (
	"github.com/reccollection/reccollection/internal/ai"
)

// setUpAI builds the AI service: an OpenAI-compatible client when
// RECC_AI_BASE_URL and RECC_AI_MODEL are set, else none, and the offline
// generator answers suggestions alone. Its requests do not go through the
// import fetcher: a model served on the local network (Ollama, vLLM) is
// the operator's choice, not an address a person typed.
func (a *App) setUpAI() {
	var client *ai.Client
	if a.cfg.AIBaseURL != "" && a.cfg.AIModel != "" {
		client = ai.New(ai.Options{BaseURL: a.cfg.AIBaseURL, APIKey: a.cfg.AIAPIKey, Model: a.cfg.AIModel, Timeout: a.cfg.AITimeout})
	}
	a.ai = ai.NewService(a.store, client, a.log)
}

// AI exposes the AI service, for tests.
func (a *App) AI() *ai.Service { return a.ai }
