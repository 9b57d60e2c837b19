// Package ratelimit bounds how often one client may call the expensive or
// abusable endpoints: sign-in, registration, writes and search.
//
// Every limit is a GCRA ("generic cell rate algorithm", a leaky bucket
// that stores one timestamp per key): a budget of Limit requests that
// refills evenly over Period, so a client may burst up to Limit and then
// gets one more every Period/Limit. One timestamp per key keeps memory
// small and makes the Redis version a single atomic script.
//
// Two Limiter implementations share the algorithm: Memory (per process,
// the default) and Redis (one budget shared by every replica). The limits
// themselves are the Rules table in policy.go; Guard (http.go) applies
// them to requests and writes the RateLimit headers.
package ratelimit

import (
	"context"
	"time"
)

// Result is the outcome of one request against one limit.
type Result struct {
	Allowed bool
	// Limit is the size of the budget (requests per period).
	Limit int
	// Remaining is how many more requests would be allowed right now.
	Remaining int
	// Reset is when the budget is full again.
	Reset time.Duration
	// RetryAfter is how long a refused client must wait; zero when allowed.
	RetryAfter time.Duration
}

// Limiter counts one request for key against a budget of limit requests
// per period. Implementations are safe for concurrent use. An error means
// the limiter could not decide (Redis unreachable); callers treat it as
// allowed.
//
// Allow is also a reservation: the request is counted before the caller
// does the work it guards, atomically, so parallel requests cannot all
// pass a check before any of them is recorded. Refund gives one allowed
// request back (a sign-in that turned out to be right costs nothing); it
// never takes the budget above full.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, period time.Duration) (Result, error)
	Refund(ctx context.Context, key string, limit int, period time.Duration) error
}

// gcra is the algorithm both limiters run, on integer units (nanoseconds
// here, microseconds in the Redis script) so the arithmetic is exact. tat
// is the stored "theoretical arrival time" (zero when the key is unknown);
// it returns the new tat to store (nothing is stored for a refused
// request, so refusals do not push the client's budget further away).
func gcra(now, tat int64, limit int, period int64) (newTAT int64, r Result) {
	interval := ceilDiv(period, int64(limit))
	window := interval * int64(limit)
	if tat < now {
		tat = now
	}
	newTAT = tat + interval
	allowAt := newTAT - window
	r.Limit = limit
	if now < allowAt {
		r.RetryAfter = time.Duration(allowAt - now)
		r.Reset = time.Duration(tat - now)
		return 0, r
	}
	r.Allowed = true
	r.Remaining = int((now - allowAt) / interval)
	r.Reset = time.Duration(newTAT - now)
	return newTAT, r
}

// gcraRefund undoes one allowed request: the stored tat moves back one
// interval. keep is false when the budget is then full (nothing to store).
func gcraRefund(now, tat int64, limit int, period int64) (newTAT int64, keep bool) {
	newTAT = tat - ceilDiv(period, int64(limit))
	return newTAT, newTAT > now
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }
