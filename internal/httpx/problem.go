// Package httpx holds the HTTP plumbing shared by the API and the web UI:
// problem responses, strict JSON decoding, and the middleware chain
// (request ids, logging, panic recovery, authentication).
package httpx

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/reccollection/reccollection/internal/validate"
)

// Problem is an RFC 9457 problem detail. Errors lists invalid fields for
// validation failures.
type Problem struct {
	Type      string                `json:"type"`
	Title     string                `json:"title"`
	Status    int                   `json:"status"`
	Detail    string                `json:"detail,omitempty"`
	Instance  string                `json:"instance,omitempty"`
	RequestID string                `json:"request_id,omitempty"`
	Errors    []validate.FieldError `json:"errors,omitempty"`
}

func (p *Problem) Error() string { return p.Title + ": " + p.Detail }

// NewProblem builds a problem whose title is the status text.
func NewProblem(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// Invalid is the 422 answer listing every invalid field.
func Invalid(errs validate.Errors) *Problem {
	p := NewProblem(http.StatusUnprocessableEntity, "The request has invalid fields; see errors.")
	p.Errors = errs
	return p
}

// WriteProblem sends p as application/problem+json.
func WriteProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	p.Instance = r.URL.Path
	p.RequestID = RequestID(r.Context())
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	if err := json.NewEncoder(w).Encode(p); err != nil {
		slog.DebugContext(r.Context(), "write problem", "err", err)
	}
}

// WriteJSON sends v with status as JSON.
func WriteJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.DebugContext(r.Context(), "write JSON", "err", err)
	}
}
