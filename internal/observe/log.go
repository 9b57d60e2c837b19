// Package observe sets up what operators watch: structured logs now, and
// metrics and error tracking as they are added.
package observe

import (
	"io"
	"log/slog"
)

// NewLogger returns a slog logger writing format ("json" or "text") at
// level to w. JSON is for staging and production, where logs are shipped
// and queried; text is for a developer's terminal.
func NewLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
