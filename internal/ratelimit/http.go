package ratelimit

import (
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Guard applies Rules to requests. Its fields are the few things it needs
// from the rest of the server, so this package imports neither auth nor
// the page renderer.
type Guard struct {
	Limiter Limiter
	// Rules defaults to the package's Rules table.
	Rules []Rule
	// ClientIP is the client's address (httpx.ClientIP: forwarded only
	// by trusted proxies); UserID is the signed-in user's id or "".
	ClientIP func(*http.Request) string
	UserID   func(*http.Request) string
	// Refuse writes the 429 body (a problem or a page); Retry-After and
	// the RateLimit headers are already set.
	Refuse func(w http.ResponseWriter, r *http.Request, retryAfter time.Duration)
	Log    *slog.Logger
}

// Handler limits requests that classify assigns a class to ("" means not
// limited) and passes the rest straight through.
func (g *Guard) Handler(classify func(*http.Request) Class, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := classify(r); c != "" && !g.Check(w, r, c) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Check counts r against every applicable rule of class and sets the
// RateLimit headers from the tightest one. Over a limit it also sets
// Retry-After, answers 429 through Refuse and returns false.
func (g *Guard) Check(w http.ResponseWriter, r *http.Request, class Class) bool {
	tightest, rule, found := g.count(r, class)
	if !found {
		return true
	}
	h := w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(tightest.Limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(tightest.Remaining))
	h.Set("RateLimit-Reset", strconv.Itoa(seconds(tightest.Reset)))
	h.Set("RateLimit-Policy", rule.Policy())
	if tightest.Allowed {
		return true
	}
	h.Set("Retry-After", strconv.Itoa(max(seconds(tightest.RetryAfter), 1)))
	g.Refuse(w, r, tightest.RetryAfter)
	return false
}

// Allow counts one more of class for r, as Check does, without answering:
// for a request that holds several countable things (a form with photos),
// whose handler refuses the ones over the limit itself. retryAfter is
// when one more would be allowed.
func (g *Guard) Allow(r *http.Request, class Class) (ok bool, retryAfter time.Duration) {
	tightest, _, found := g.count(r, class)
	if !found || tightest.Allowed {
		return true, 0
	}
	return false, tightest.RetryAfter
}

// count counts r against every applicable rule of class and returns the
// tightest result; found is false when no rule applied.
func (g *Guard) count(r *http.Request, class Class) (tightest Result, rule Rule, found bool) {
	rules := g.Rules
	if rules == nil {
		rules = Rules
	}
	for _, rl := range rules {
		if rl.Class != class {
			continue
		}
		subject := ""
		switch rl.Scope {
		case PerIP:
			subject = IPSubject(g.ClientIP(r))
		case PerUser:
			subject = g.UserID(r)
		}
		if subject == "" {
			continue
		}
		res, err := g.Limiter.Allow(r.Context(), rl.Name()+":"+subject, rl.Limit, rl.Period)
		if err != nil {
			// Fail open: a limiter that cannot decide must not refuse.
			if g.Log != nil && r.Context().Err() == nil {
				g.Log.WarnContext(r.Context(), "rate limit check failed; allowing", "rule", rl.Name(), "err", err)
			}
			continue
		}
		if !found || tighter(res, tightest) {
			tightest, rule, found = res, rl, true
		}
	}
	return tightest, rule, found
}

// tighter reports whether a constrains the client more than b: a refusal
// over an allowance, then the longer wait, then fewer requests left.
func tighter(a, b Result) bool {
	if a.Allowed != b.Allowed {
		return !a.Allowed
	}
	if !a.Allowed {
		return a.RetryAfter > b.RetryAfter
	}
	if a.Remaining != b.Remaining {
		return a.Remaining < b.Remaining
	}
	return a.Reset > b.Reset
}

// seconds rounds d up to whole seconds, as the headers carry them.
func seconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// IPSubject is the key for a client address: IPv4 as is, IPv6 by its /64
// (one subscriber's prefix; counting single addresses would let a client
// rotate through 2^64 of them).
func IPSubject(ip string) string {
	addr := net.ParseIP(ip)
	if addr == nil {
		return ip
	}
	if v4 := addr.To4(); v4 != nil {
		return v4.String()
	}
	return addr.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
