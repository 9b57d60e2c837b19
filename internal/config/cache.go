package config

import (
	"strconv"
	"time"
)

const (
	varCacheSMaxAge = "RECC_CACHE_SMAXAGE"
	defCacheSMaxAge = "60s"
	// A shared cache holding a public page for longer than an hour would
	// keep an edit or a recipe made private out of sight for too long.
	maxCacheSMaxAge = time.Hour
)

// cacheSMaxAge is how long a shared cache (a CDN, a caching proxy) may
// serve an anonymous visitor's public page without asking the server: a Go
// duration in whole seconds, or plain seconds as in the header ("60"); 0
// keeps every page private.
func (l *loader) cacheSMaxAge() time.Duration {
	raw := l.str(varCacheSMaxAge, defCacheSMaxAge)
	d, err := time.ParseDuration(raw)
	if n, nerr := strconv.Atoi(raw); nerr == nil {
		d, err = time.Duration(n)*time.Second, nil
	}
	if err != nil {
		l.fail(varCacheSMaxAge, "invalid duration %q; use seconds (60) or a Go duration such as 60s", raw)
		return 0
	}
	if d < 0 || d > maxCacheSMaxAge || d%time.Second != 0 {
		l.fail(varCacheSMaxAge, "must be whole seconds between 0s and %s, got %s", maxCacheSMaxAge, d)
		return 0
	}
	return d
}
