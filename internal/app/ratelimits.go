package app

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/ratelimit"
)

// limitedRoutes says which routes count against which rate limit class
// (the limits themselves are ratelimit.Rules). Pages and API share each
// class, so a client cannot double its budget by switching front end.
// Search routes count only when they carry a query (q=); plain browsing is
// not limited. Handler panics at start-up if a pattern here is not a
// registered route, so renaming a route cannot silently drop its limit.
var limitedRoutes = map[string]ratelimit.Class{
	"POST /api/v1/auth/login": ratelimit.Login,
	"POST /login":             ratelimit.Login,
	// Second-factor codes: per IP on top of the per-account throttle.
	"POST /api/v1/me/mfa/verify": ratelimit.Login,
	"POST /login/verify":         ratelimit.Login,
	// Password reset: each request may send an email, each confirmation
	// hashes a password; per address on top (internal/account's reset.go).
	"POST /api/v1/auth/password-reset":         ratelimit.Login,
	"POST /api/v1/auth/password-reset/confirm": ratelimit.Login,
	"POST /forgot-password":                    ratelimit.Login,
	"POST /password-reset/{token}":             ratelimit.Login,
	// Email change confirmations: per IP, against guessing tokens; the
	// requests count per account and address on top (emailchange.go).
	"POST /api/v1/auth/email-change/confirm": ratelimit.Login,
	"POST /email-change/{token}":             ratelimit.Login,
	// Deleting an account checks the password (and a second factor) again:
	// per IP like sign-in, on top of the per-account re-authentication
	// throttle.
	"DELETE /api/v1/me":     ratelimit.Login,
	"POST /settings/delete": ratelimit.Login,

	"POST /api/v1/auth/register": ratelimit.Register,
	"POST /register":             ratelimit.Register,

	"GET /api/v1/recipes": ratelimit.Search,
	"GET /recipes":        ratelimit.Search,
	"GET /plan":           ratelimit.Search, // its recipe search (?q=)

	"POST /api/v1/ingredients/parse": ratelimit.Parse,
	// Suggestions by the built-in generator cost as little as a parse.
	"POST /api/v1/recipes/suggestions": ratelimit.Parse,

	"PUT /api/v1/recipes/{id}/photo":             ratelimit.Upload,
	"POST /api/v1/recipes/{id}/photos":           ratelimit.Upload,
	"PUT /api/v1/me/avatar":                      ratelimit.Upload,
	"DELETE /api/v1/recipes/{id}/photo":          ratelimit.Write,
	"PATCH /api/v1/recipes/{id}/photos/{photo}":  ratelimit.Write,
	"DELETE /api/v1/recipes/{id}/photos/{photo}": ratelimit.Write,
	"DELETE /api/v1/me/avatar":                   ratelimit.Write,
	"POST /settings/avatar":                      ratelimit.Upload,
	"POST /settings/avatar/remove":               ratelimit.Write,

	// Imports fetch from other sites: their own budget. Saving an
	// imported recipe is a write; following a bulk import is not limited.
	"POST /api/v1/imports":                 ratelimit.Import,
	"POST /api/v1/imports/bulk":            ratelimit.Import,
	"POST /api/v1/imports/bulk/{id}/retry": ratelimit.Import,
	"POST /api/v1/imports/save":            ratelimit.Write,
	"POST /import":                         ratelimit.Import,
	"POST /import/bulk":                    ratelimit.Import,
	"POST /import/bulk/{id}/retry":         ratelimit.Import,
	"POST /import/save":                    ratelimit.Write,
	// An archive from another recipe app: an upload of up to 512 MB,
	// and one import at a time per person on top.
	"POST /api/v1/imports/archives": ratelimit.Upload,
	"POST /import/archive":          ratelimit.Upload,

	"POST /api/v1/recipes":                ratelimit.Write,
	"PUT /api/v1/recipes/{id}":            ratelimit.Write,
	"PATCH /api/v1/recipes/{id}":          ratelimit.Write,
	"DELETE /api/v1/recipes/{id}":         ratelimit.Write,
	"PATCH /api/v1/me":                    ratelimit.Write,
	"POST /api/v1/me/email-change/resend": ratelimit.Write,
	"DELETE /api/v1/me/email-change":      ratelimit.Write,
	"POST /settings/email":                ratelimit.Write,
	"POST /settings/email/resend":         ratelimit.Write,
	"POST /settings/email/cancel":         ratelimit.Write,
	"POST /api/v1/me/password":            ratelimit.Write,
	"POST /api/v1/auth/tokens":            ratelimit.Write,
	"DELETE /api/v1/auth/tokens/{id}":     ratelimit.Write,
	"POST /recipes/new":                   ratelimit.Write,
	"POST /recipes/{id}/edit":             ratelimit.Write,
	"POST /recipes/{id}/delete":           ratelimit.Write,
	"POST /settings/profile":              ratelimit.Write,
	"POST /settings/password":             ratelimit.Write,
	"POST /settings/tokens":               ratelimit.Write,
	"POST /settings/tokens/{id}/revoke":   ratelimit.Write,
	"POST /recipes/{id}/units":            ratelimit.Write,
	// Likes, saves and ratings: a write each, from the API or a page.
	"PUT /api/v1/recipes/{id}/like":      ratelimit.Write,
	"DELETE /api/v1/recipes/{id}/like":   ratelimit.Write,
	"PUT /api/v1/recipes/{id}/save":      ratelimit.Write,
	"DELETE /api/v1/recipes/{id}/save":   ratelimit.Write,
	"PUT /api/v1/recipes/{id}/rating":    ratelimit.Write,
	"DELETE /api/v1/recipes/{id}/rating": ratelimit.Write,
	"POST /recipes/{id}/like":            ratelimit.Write,
	"POST /recipes/{id}/save":            ratelimit.Write,
	"POST /recipes/{id}/rating":          ratelimit.Write,
	"POST /settings/units":               ratelimit.Write,
	// Data exports: a write each, on top of the daily number per person.
	"POST /api/v1/me/exports": ratelimit.Write,
	"POST /settings/export":   ratelimit.Write,
	// Collections: every change is a write, from the API or a page.
	"POST /api/v1/collections":                           ratelimit.Write,
	"PATCH /api/v1/collections/{id}":                     ratelimit.Write,
	"DELETE /api/v1/collections/{id}":                    ratelimit.Write,
	"POST /api/v1/collections/{id}/recipes":              ratelimit.Write,
	"PATCH /api/v1/collections/{id}/recipes/{recipeID}":  ratelimit.Write,
	"DELETE /api/v1/collections/{id}/recipes/{recipeID}": ratelimit.Write,
	"POST /collections":                                  ratelimit.Write,
	"POST /collections/{id}/edit":                        ratelimit.Write,
	"POST /collections/{id}/delete":                      ratelimit.Write,
	"POST /collections/{id}/recipes/{recipeID}/move":     ratelimit.Write,
	"POST /collections/{id}/recipes/{recipeID}/remove":   ratelimit.Write,
	"POST /recipes/{id}/collections":                     ratelimit.Write,
	// Follows: a write each, from the API or a profile's button.
	"PUT /api/v1/users/{username}/follow":    ratelimit.Write,
	"DELETE /api/v1/users/{username}/follow": ratelimit.Write,
	"POST /u/{username}/follow":              ratelimit.Write,
	// Comments: posting and editing have their own budget (the flood to
	// slow); removing one is a write.
	"POST /api/v1/recipes/{id}/comments":             ratelimit.Comment,
	"PATCH /api/v1/recipes/{id}/comments/{comment}":  ratelimit.Comment,
	"DELETE /api/v1/recipes/{id}/comments/{comment}": ratelimit.Write,
	"POST /recipes/{id}/comments":                    ratelimit.Comment,
	"POST /recipes/{id}/comments/{comment}/edit":     ratelimit.Comment,
	"POST /recipes/{id}/comments/{comment}/delete":   ratelimit.Write,
	// Share links: making one and emailing one have budgets of their own
	// (internal/ratelimit's policy.go); revoking is a write.
	"POST /api/v1/recipes/{id}/share-links":            ratelimit.ShareLink,
	"POST /recipes/{id}/share-links":                   ratelimit.ShareLink,
	"POST /api/v1/recipes/{id}/share-links/email":      ratelimit.ShareEmail,
	"POST /recipes/{id}/share-links/email":             ratelimit.ShareEmail,
	"DELETE /api/v1/recipes/{id}/share-links/{linkID}": ratelimit.Write,
	"POST /recipes/{id}/share-links/{linkID}/revoke":   ratelimit.Write,
	// Households: an invitation (link or email) has its own budget; every
	// other change, and answering an invitation, is a write.
	"POST /api/v1/households/current/invitations":         ratelimit.Invitation,
	"POST /household/invitations":                         ratelimit.Invitation,
	"PATCH /api/v1/households/current":                    ratelimit.Write,
	"DELETE /api/v1/households/current/invitations/{id}":  ratelimit.Write,
	"POST /api/v1/households/current/leave":               ratelimit.Write,
	"PATCH /api/v1/households/current/members/{userID}":   ratelimit.Write,
	"DELETE /api/v1/households/current/members/{userID}":  ratelimit.Write,
	"POST /api/v1/households/invitations/{token}/accept":  ratelimit.Write,
	"POST /api/v1/households/invitations/{token}/decline": ratelimit.Write,
	"POST /household": ratelimit.Write,
	"POST /household/invitations/{id}/withdraw": ratelimit.Write,
	"POST /household/members/{userID}/role":     ratelimit.Write,
	"POST /household/members/{userID}/remove":   ratelimit.Write,
	"POST /household/leave":                     ratelimit.Write,
	"POST /household/join/{token}":              ratelimit.Write,
	"POST /household/join/{token}/decline":      ratelimit.Write,
	// The meal plan and shopping lists: every change is a write, from
	// the API or a page. 60 a minute is far beyond a shopper ticking a
	// list, and an offline phone's queued ticks wait and retry on 429.
	"PUT /api/v1/households/current/slots":              ratelimit.Write,
	"POST /api/v1/meal-plan/entries":                    ratelimit.Write,
	"PATCH /api/v1/meal-plan/entries/{id}":              ratelimit.Write,
	"DELETE /api/v1/meal-plan/entries/{id}":             ratelimit.Write,
	"POST /api/v1/meal-plan/entries/{id}/copy":          ratelimit.Write,
	"POST /api/v1/meal-plan/calendar":                   ratelimit.Write,
	"DELETE /api/v1/meal-plan/calendar":                 ratelimit.Write,
	"POST /plan":                                        ratelimit.Write,
	"POST /plan/entries/{id}":                           ratelimit.Write,
	"POST /plan/calendar":                               ratelimit.Write,
	"POST /api/v1/shopping-lists":                       ratelimit.Write,
	"PATCH /api/v1/shopping-lists/{id}":                 ratelimit.Write,
	"DELETE /api/v1/shopping-lists/{id}":                ratelimit.Write,
	"POST /api/v1/shopping-lists/{id}/items":            ratelimit.Write,
	"POST /api/v1/shopping-lists/{id}/recipes":          ratelimit.Write,
	"POST /api/v1/shopping-lists/{id}/meal-plan":        ratelimit.Write,
	"PATCH /api/v1/shopping-lists/{id}/items/{itemID}":  ratelimit.Write,
	"DELETE /api/v1/shopping-lists/{id}/items/{itemID}": ratelimit.Write,
	"POST /api/v1/shopping-lists/{id}/clear-checked":    ratelimit.Write,
	"POST /shopping":                                    ratelimit.Write,
	"POST /shopping/add":                                ratelimit.Write,
	"POST /shopping/{id}":                               ratelimit.Write,
	"POST /shopping/{id}/lines/{lineID}":                ratelimit.Write,
	// Notifications: marking read and saving preferences are writes; an
	// unsubscribe link is per IP like the other signed-out token links.
	"POST /api/v1/me/notifications/read":      ratelimit.Write,
	"POST /notifications/read":                ratelimit.Write,
	"PUT /api/v1/me/notification-preferences": ratelimit.Write,
	"POST /settings/notifications":            ratelimit.Write,
	"POST /unsubscribe/{token}":               ratelimit.Login,
}

// redisRateLimitPrefix follows RECC_REDIS_KEY_PREFIX in every rate limit key.
const redisRateLimitPrefix = "rl:"

// newRateLimits builds the limiter the configuration asks for: shared
// through Redis with RECC_REDIS_URL (falling back to per-instance limits
// while Redis is unreachable), else per instance. Sign-in and
// second-factor attempts always count on it; the request rate limits (g)
// only without RECC_RATE_LIMITS=off, which makes g nil. closeFn releases
// the Redis client.
func (a *App) newRateLimits(ctx context.Context) (limiter ratelimit.Limiter, g *ratelimit.Guard, closeFn func() error, err error) {
	closeFn = func() error { return nil }
	now := a.cfg.LimiterClock
	if now == nil {
		now = time.Now
	}
	limiter = ratelimit.NewMemoryWithClock(0, now)
	if a.cfg.RedisURL != "" {
		client, err := ratelimit.OpenRedisWithTimeout(a.cfg.RedisURL, a.cfg.LimiterRedisTimeout)
		if err != nil {
			return nil, nil, closeFn, err
		}
		prefix := a.cfg.RedisKeyPrefix
		if prefix == "" {
			prefix = "recc:"
		}
		rl := ratelimit.NewRedis(client, prefix+redisRateLimitPrefix, limiter, a.log)
		if a.cfg.LimiterClock != nil {
			rl.WithClock(a.cfg.LimiterClock)
		}
		if err := rl.Ping(ctx); err != nil {
			// Not fatal: the limiter falls back until Redis answers.
			a.log.Warn("rate limiting: Redis unreachable at start-up; using per-instance limits until it answers", "err", err)
		}
		limiter, closeFn = rl, client.Close
	}
	if !a.cfg.RateLimits {
		a.log.Warn("rate limits are off (RECC_RATE_LIMITS=off); sign-in throttling stays on")
		return limiter, nil, closeFn, nil
	}
	return limiter, &ratelimit.Guard{
		Limiter:  limiter,
		ClientIP: httpx.ClientIP,
		UserID: func(r *http.Request) string {
			if u := auth.UserFrom(r.Context()); u != nil {
				return u.ID
			}
			return ""
		},
		Refuse: a.refuseRateLimited,
		Log:    a.log,
	}, closeFn, nil
}

// refuseRateLimited answers 429: a page for a browser, a problem for the API.
func (a *App) refuseRateLimited(w http.ResponseWriter, r *http.Request, retryAfter time.Duration) {
	if httpx.WantsHTML(r) {
		a.ui.TooManyRequests(w, r, retryAfter)
		return
	}
	secs := int((retryAfter + time.Second - 1) / time.Second)
	httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusTooManyRequests,
		"Too many requests. Try again in "+strconv.Itoa(max(secs, 1))+" seconds."))
}

// limitRoutes puts the rate limits in front of mux. It runs inside
// authentication, so per-user limits know the user, and asks mux which
// pattern a request will match, so limits follow routes, not raw paths.
func (a *App) limitRoutes(mux *http.ServeMux) http.Handler {
	if a.limits == nil {
		return mux
	}
	if err := checkLimitedRoutes(mux); err != nil {
		panic(err) // a programming error, caught by every test that builds the handler
	}
	return a.limits.Handler(func(r *http.Request) ratelimit.Class {
		_, pattern := mux.Handler(r)
		c := limitedRoutes[pattern]
		if c == ratelimit.Search && strings.TrimSpace(r.URL.Query().Get("q")) == "" {
			return ""
		}
		return c
	}, mux)
}

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// checkLimitedRoutes makes sure every pattern in limitedRoutes is served
// by mux under exactly that pattern.
func checkLimitedRoutes(mux *http.ServeMux) error {
	for pattern := range limitedRoutes {
		method, path, _ := strings.Cut(pattern, " ")
		probe, err := http.NewRequest(method, "http://localhost"+wildcard.ReplaceAllString(path, "x"), nil)
		if err != nil {
			return fmt.Errorf("rate limit route %q: %w", pattern, err)
		}
		if _, got := mux.Handler(probe); got != pattern {
			return fmt.Errorf("rate limit route %q is not registered (the request matches %q); update limitedRoutes", pattern, got)
		}
	}
	return nil
}

// photoBudget counts one photo of a page's form against the upload rate
// limit, as each API upload counts: a recipe form carries up to 21 photos
// and its route counts once. Without request rate limits it counts nothing.
func (a *App) photoBudget(r *http.Request) (bool, time.Duration) {
	if a.limits == nil {
		return true, 0
	}
	return a.limits.Allow(r, ratelimit.Upload)
}
