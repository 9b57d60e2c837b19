// Package aitest is an in-process chat-completions server speaking the
// OpenAI protocol (streamed and not), for tests of what asks an AI
// service: it answers with what the test sets, including errors, rate
// limits, answers that are not JSON, and answers too slow to wait for.
package aitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Reply is what the server answers the next requests with.
type Reply struct {
	// Content is the assistant's message, streamed in a few chunks.
	Content string
	// Status, when not 200, answers with an OpenAI-style error body.
	Status int
	// Delay holds the answer back (a slow model) before the first chunk.
	Delay time.Duration
	// Finish is the finish reason ("stop" when empty; "length" for an
	// answer cut off).
	Finish string
	// PromptTokens and CompletionTokens are reported as the usage.
	PromptTokens, CompletionTokens int
}

// Request is a request as received.
type Request struct {
	Auth string
	Body map[string]any
}

// Server is the fake endpoint; its URL + "/v1" is the base URL to give.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	reply    Reply
	requests []Request
}

// Start starts a server answering reply until Set changes it.
func Start(t testing.TB, reply Reply) *Server {
	t.Helper()
	s := &Server{reply: reply}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// BaseURL is what RECC_AI_BASE_URL would be.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Set changes the reply.
func (s *Server) Set(r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reply = r
}

// Requests are the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Auth: r.Header.Get("Authorization"), Body: body})
	reply := s.reply
	s.mu.Unlock()

	if reply.Delay > 0 {
		select {
		case <-time.After(reply.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if reply.Status != 0 && reply.Status != http.StatusOK {
		w.Header().Set("Content-Type", "application/json")
		if reply.Status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "20")
		}
		w.WriteHeader(reply.Status)
		fmt.Fprintf(w, `{"error":{"message":"fake error %d","type":"error","code":null}}`, reply.Status)
		return
	}
	finish := reply.Finish
	if finish == "" {
		finish = "stop"
	}
	model, _ := body["model"].(string)
	if stream, _ := body["stream"].(bool); !stream {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-test", "object": "chat.completion", "created": time.Now().Unix(), "model": model,
			"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": reply.Content}, "finish_reason": finish}},
			"usage":   map[string]any{"prompt_tokens": reply.PromptTokens, "completion_tokens": reply.CompletionTokens, "total_tokens": reply.PromptTokens + reply.CompletionTokens},
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}}
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	for _, part := range pieces(reply.Content, 3) {
		send(chunk(map[string]any{"content": part}, nil))
	}
	send(chunk(map[string]any{}, finish))
	send(map[string]any{"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": model,
		"choices": []any{}, "usage": map[string]any{"prompt_tokens": reply.PromptTokens, "completion_tokens": reply.CompletionTokens,
			"total_tokens": reply.PromptTokens + reply.CompletionTokens}})
	fmt.Fprint(w, "data: [DONE]\n\n")
}

// pieces splits s into about n parts, at character boundaries.
func pieces(s string, n int) []string {
	r := []rune(s)
	if len(r) == 0 {
		return nil
	}
	size := max(1, len(r)/n)
	var out []string
	for len(r) > 0 {
		k := min(size, len(r))
		out = append(out, string(r[:k]))
		r = r[k:]
	}
	return out
}

// JSON encodes v as a reply's content.
func JSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return strings.TrimSpace(string(b))
}
