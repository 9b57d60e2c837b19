package config

import "time"

const (
	varSearchTimeout = "RECC_SEARCH_TIMEOUT"
	defSearchTimeout = "2s"
	// A budget under 100ms would refuse ordinary searches on a busy
	// database; over a minute it no longer protects anyone.
	minSearchTimeout = 100 * time.Millisecond
	maxSearchTimeout = time.Minute
)

// searchTimeout is each search's time budget; past it the search is
// stopped, in the database too, and answered with 503.
func (l *loader) searchTimeout() time.Duration {
	raw := l.str(varSearchTimeout, defSearchTimeout)
	d, err := time.ParseDuration(raw)
	if err != nil {
		l.fail(varSearchTimeout, "invalid duration %q; use a Go duration such as 2s or 500ms", raw)
		return 0
	}
	if d < minSearchTimeout || d > maxSearchTimeout {
		l.fail(varSearchTimeout, "must be between %s and %s, got %s", minSearchTimeout, maxSearchTimeout, d)
	}
	return d
}
