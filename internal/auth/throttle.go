package auth

import (
	"sync"
	"time"
)

// Throttle limits failed sign-in attempts per key (an account or an IP
// address) in a sliding window. It lives in memory: each replica counts on
// its own, which still bounds guessing to replicas × limit per window. A
// shared implementation can replace it behind the same methods.
type Throttle struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

// maxThrottleKeys bounds memory under a flood of distinct keys; past it the
// table is swept of stale entries, and if still full the new key is not
// tracked (the per-IP limit still applies to the flood's source).
const maxThrottleKeys = 100_000

// NewThrottle allows limit failures per key within window.
func NewThrottle(limit int, window time.Duration) *Throttle {
	return &Throttle{limit: limit, window: window, now: time.Now, failures: map[string][]time.Time{}}
}

// Check reports whether key may try again now, and if not how long to wait.
func (t *Throttle) Check(key string) (ok bool, retryAfter time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fs := t.prune(key)
	if len(fs) < t.limit {
		return true, 0
	}
	wait := fs[0].Add(t.window).Sub(t.now())
	if wait < time.Second {
		wait = time.Second
	}
	return false, wait
}

// Fail records a failed attempt for key.
func (t *Throttle) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fs := t.prune(key)
	if fs == nil && len(t.failures) >= maxThrottleKeys {
		t.sweep()
		if len(t.failures) >= maxThrottleKeys {
			return
		}
	}
	t.failures[key] = append(fs, t.now())
}

// Reset forgets key's failures, after a successful sign-in.
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, key)
}

func (t *Throttle) prune(key string) []time.Time {
	fs := t.failures[key]
	cutoff := t.now().Add(-t.window)
	i := 0
	for i < len(fs) && !fs[i].After(cutoff) {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(t.failures, key)
		return nil
	}
	t.failures[key] = fs
	return fs
}

func (t *Throttle) sweep() {
	for k := range t.failures {
		t.prune(k)
	}
}
