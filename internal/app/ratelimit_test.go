package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

func withLimits(c *config.Config) { c.RateLimits = true }

func badLogin(t *testing.T, c *http.Client, base string, i int) rlAnswer {
	t.Helper()
	// A different unknown login each time, so the per-account failure
	// throttle (a different mechanism) never steps in.
	return rlSend(t, c, "POST", base+"/api/v1/auth/login", "application/json",
		fmt.Sprintf(`{"login":"nobody%d","password":"wrong password here"}`, i))
}

// wantLimited checks a 429 with Retry-After and the RateLimit headers.
func wantLimited(t *testing.T, a rlAnswer, limit int) {
	t.Helper()
	if a.status != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429: %s", a.status, a.body)
	}
	if ra, err := strconv.Atoi(a.header.Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After = %q, want whole seconds ≥ 1", a.header.Get("Retry-After"))
	}
	if a.header.Get("RateLimit-Limit") != strconv.Itoa(limit) || a.header.Get("RateLimit-Remaining") != "0" {
		t.Errorf("RateLimit-Limit %q, Remaining %q; want %d and 0", a.header.Get("RateLimit-Limit"), a.header.Get("RateLimit-Remaining"), limit)
	}
	if r, err := strconv.Atoi(a.header.Get("RateLimit-Reset")); err != nil || r < 1 {
		t.Errorf("RateLimit-Reset = %q", a.header.Get("RateLimit-Reset"))
	}
	if a.header.Get("RateLimit-Policy") == "" {
		t.Error("no RateLimit-Policy")
	}
}

func TestLoginLimitedPerIP(t *testing.T) {
	ts := rlStartApp(t, nil, withLimits)
	c := rlClientFrom("127.0.0.1")
	for i := range 10 {
		a := badLogin(t, c, ts.URL, i)
		if a.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401: %s", i+1, a.status, a.body)
		}
		if got, want := a.header.Get("RateLimit-Remaining"), strconv.Itoa(9-i); got != want || a.header.Get("RateLimit-Limit") != "10" {
			t.Errorf("attempt %d: RateLimit-Limit %q Remaining %q, want 10 and %s", i+1, a.header.Get("RateLimit-Limit"), got, want)
		}
	}
	a := badLogin(t, c, ts.URL, 10)
	wantLimited(t, a, 10)
	if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("API 429 Content-Type %q, want problem+json", ct)
	}
	var p struct {
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal([]byte(a.body), &p); err != nil || p.Status != 429 || !strings.Contains(p.Detail, "Try again in") {
		t.Errorf("problem %+v (%v) from %s", p, err, a.body)
	}
	checkSecurityHeaders(t, "429 problem", a.header)

	// The sign-in page shares the budget and answers with a page.
	page := rlSend(t, c, "POST", ts.URL+"/login", "application/x-www-form-urlencoded",
		url.Values{"login": {"someone"}, "password": {"x"}}.Encode(), "Accept", "text/html")
	wantLimited(t, page, 10)
	if !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") || !strings.Contains(page.body, "Slow down") {
		t.Errorf("page 429: %q %s", page.header.Get("Content-Type"), page.body)
	}
	checkSecurityHeaders(t, "429 page", page.header)

	// Another address has its own budget.
	if a := badLogin(t, rlClientFrom("127.0.0.2"), ts.URL, 11); a.status != http.StatusUnauthorized || a.header.Get("RateLimit-Remaining") != "9" {
		t.Errorf("another IP: %d remaining %q, want 401 with 9 remaining", a.status, a.header.Get("RateLimit-Remaining"))
	}
	// Unlimited routes carry no RateLimit headers.
	if a := rlSend(t, c, "GET", ts.URL+"/api/v1/recipes", "", ""); a.status != 200 || a.header.Get("RateLimit-Limit") != "" {
		t.Errorf("plain list: %d, RateLimit-Limit %q", a.status, a.header.Get("RateLimit-Limit"))
	}
}

func TestRegistrationLimitedPerIP(t *testing.T) {
	ts := rlStartApp(t, nil, withLimits)
	c := rlClientFrom("127.0.0.1")
	register := func(i int) rlAnswer {
		return rlSend(t, c, "POST", ts.URL+"/api/v1/auth/register", "application/json",
			fmt.Sprintf(`{"username":"cook%d","email":"cook%d@example.test","password":"correct horse battery staple"}`, i, i))
	}
	for i := range 5 {
		if a := register(i); a.status != http.StatusCreated {
			t.Fatalf("registration %d: %d %s", i+1, a.status, a.body)
		}
	}
	a := register(5)
	wantLimited(t, a, 5)
	if ra, _ := strconv.Atoi(a.header.Get("Retry-After")); ra < 11*60 || ra > 12*60 {
		t.Errorf("Retry-After %d s, want about 12 minutes (5 per hour)", ra)
	}
}

// registerAt creates an account from c and leaves c signed in.
func registerAt(t *testing.T, c *http.Client, base, name string) {
	t.Helper()
	a := rlSend(t, c, "POST", base+"/api/v1/auth/register", "application/json",
		fmt.Sprintf(`{"username":%q,"email":"%s@example.test","password":"correct horse battery staple"}`, name, name))
	if a.status != http.StatusCreated {
		t.Fatalf("register %s: %d %s", name, a.status, a.body)
	}
}

func TestWritesLimitedPerUser(t *testing.T) {
	ts := rlStartApp(t, nil, withLimits)
	ana, ben := rlClientFrom("127.0.0.1"), rlClientFrom("127.0.0.1")
	registerAt(t, ana, ts.URL, "ana")
	registerAt(t, ben, ts.URL, "ben")
	patch := func(c *http.Client, i int) rlAnswer {
		return rlSend(t, c, "PATCH", ts.URL+"/api/v1/me", "application/json", fmt.Sprintf(`{"display_name":"Cook %d"}`, i))
	}
	for i := range 60 {
		if a := patch(ana, i); a.status != http.StatusOK {
			t.Fatalf("write %d: %d %s", i+1, a.status, a.body)
		}
	}
	wantLimited(t, patch(ana, 60), 60)
	// The page form counts against the same budget.
	page := rlSend(t, ana, "POST", ts.URL+"/settings/profile", "application/x-www-form-urlencoded",
		url.Values{"display_name": {"Ana"}}.Encode(), "Accept", "text/html")
	wantLimited(t, page, 60)
	// Reads are not writes.
	if a := rlSend(t, ana, "GET", ts.URL+"/api/v1/me", "", ""); a.status != http.StatusOK {
		t.Errorf("read after the write limit: %d", a.status)
	}
	// Another user on the same address writes on.
	if a := patch(ben, 0); a.status != http.StatusOK || a.header.Get("RateLimit-Remaining") != "59" {
		t.Errorf("another user: %d remaining %q, want 200 with 59", a.status, a.header.Get("RateLimit-Remaining"))
	}
}

func TestSearchLimitedPerIP(t *testing.T) {
	ts := rlStartApp(t, nil, withLimits)
	c := rlClientFrom("127.0.0.1")
	for i := range 60 {
		a := rlSend(t, c, "GET", ts.URL+"/api/v1/recipes?q=soup", "", "")
		if a.status != http.StatusOK || a.header.Get("RateLimit-Remaining") != strconv.Itoa(59-i) {
			t.Fatalf("search %d: %d remaining %q", i+1, a.status, a.header.Get("RateLimit-Remaining"))
		}
	}
	wantLimited(t, rlSend(t, c, "GET", ts.URL+"/api/v1/recipes?q=soup", "", ""), 60)
	page := rlSend(t, c, "GET", ts.URL+"/recipes?q=soup", "", "", "Accept", "text/html")
	wantLimited(t, page, 60)
	if !strings.Contains(page.body, "Slow down") {
		t.Errorf("search page 429 body: %s", page.body)
	}
	// Browsing without a query is not search.
	if a := rlSend(t, c, "GET", ts.URL+"/recipes", "", "", "Accept", "text/html"); a.status != http.StatusOK {
		t.Errorf("browse without q: %d", a.status)
	}
	if a := rlSend(t, rlClientFrom("127.0.0.3"), "GET", ts.URL+"/api/v1/recipes?q=soup", "", ""); a.status != http.StatusOK {
		t.Errorf("search from another IP: %d", a.status)
	}
}

func TestRateLimitsOff(t *testing.T) {
	ts := rlStartApp(t, nil, nil) // testutil's configuration: RECC_RATE_LIMITS=off
	c := rlClientFrom("127.0.0.1")
	for i := range 15 {
		if a := badLogin(t, c, ts.URL, i); a.status != http.StatusUnauthorized || a.header.Get("RateLimit-Limit") != "" {
			t.Fatalf("attempt %d with limits off: %d, RateLimit-Limit %q", i+1, a.status, a.header.Get("RateLimit-Limit"))
		}
	}
}

// Two instances (as two replicas would be, each with its own process-local
// state) sharing one Redis share one budget: requests split between them
// are refused at the shared count.
func TestRedisSharesLimitsAcrossInstances(t *testing.T) {
	redisURL, prefix, client := testutil.Redis(t)
	// One frozen clock for both, as replicas share Redis's: each test
	// configuration's own would start wherever its instance started.
	clock := testutil.NewClock()
	shared := func(c *config.Config) {
		c.RateLimits, c.RedisURL, c.RedisKeyPrefix, c.LimiterClock = true, redisURL, prefix, clock.Now
	}
	var logs rlLogBuffer
	one, two := rlStartApp(t, &logs, shared), rlStartApp(t, &logs, shared)
	defer func() {
		if t.Failed() {
			t.Logf("server logs:\n%s", logs.String())
		}
	}()
	c := rlClientFrom("127.0.0.1")
	for i := range 10 {
		base := []string{one.URL, two.URL}[i%2]
		a := badLogin(t, c, base, i)
		if a.status != http.StatusUnauthorized || a.header.Get("RateLimit-Remaining") != strconv.Itoa(9-i) {
			t.Fatalf("attempt %d on instance %d: %d remaining %q, want 401 with %d", i+1, i%2+1, a.status, a.header.Get("RateLimit-Remaining"), 9-i)
		}
	}
	wantLimited(t, badLogin(t, c, one.URL, 10), 10)
	wantLimited(t, badLogin(t, c, two.URL, 11), 10)

	// Sign-in attempts also count in Redis, on the password throttle's
	// keys (rl:signin:…); the request rate is this one key.
	keys := testutil.RedisKeys(t, client, prefix+"rl:login:")
	if len(keys) != 1 || keys[0] != prefix+"rl:login:ip:127.0.0.1" {
		t.Errorf("Redis keys %v, want the one login budget of 127.0.0.1", keys)
	}
	for _, k := range keys {
		if ttl := client.PTTL(t.Context(), k).Val(); ttl <= 0 || ttl.Seconds() > 61 {
			t.Errorf("key %s expires in %v, want within the one-minute period", k, ttl)
		}
	}
}

// With Redis down, requests are still served (each instance limits on its
// own) and the outage is logged.
func TestRedisDownStillServes(t *testing.T) {
	var logs rlLogBuffer
	ts := rlStartApp(t, &logs, func(c *config.Config) {
		c.RateLimits, c.RedisURL = true, "redis://127.0.0.1:1/0"
	})
	c := rlClientFrom("127.0.0.1")
	for i := range 10 {
		if a := badLogin(t, c, ts.URL, i); a.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d with Redis down: %d %s", i+1, a.status, a.body)
		}
	}
	wantLimited(t, badLogin(t, c, ts.URL, 10), 10)
	if a := rlSend(t, c, "GET", ts.URL+"/api/v1/recipes?q=soup", "", ""); a.status != http.StatusOK {
		t.Errorf("search with Redis down: %d", a.status)
	}
	if !strings.Contains(logs.String(), "Redis unreachable") {
		t.Errorf("no warning logged:\n%s", logs.String())
	}
}
