package config

import "time"

const (
	varAITimeout = "RECC_AI_TIMEOUT"
	defAITimeout = "60s"
	// A model on a CPU can take minutes for a long recipe; past ten a
	// person has given up waiting, and a request holds a connection.
	minAITimeout = 100 * time.Millisecond
	maxAITimeout = 10 * time.Minute
)

// aiTimeout is the time one AI generation may take, streaming included.
func (l *loader) aiTimeout() time.Duration {
	raw := l.str(varAITimeout, defAITimeout)
	d, err := time.ParseDuration(raw)
	if err != nil {
		l.fail(varAITimeout, "invalid duration %q; use a Go duration such as 60s or 2m", raw)
		return 0
	}
	if d < minAITimeout || d > maxAITimeout {
		l.fail(varAITimeout, "must be between %s and %s, got %s", minAITimeout, maxAITimeout, d)
	}
	return d
}
