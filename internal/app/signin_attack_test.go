package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

const attackOwnerPassword = "correct horse battery staple"

// startInstance runs one app on cfg behind a real listener; several
// instances on one cfg share its database (and Redis, if set), as
// replicas behind a load balancer would.
func startInstance(t *testing.T, cfg *config.Config) (*app.App, *httptest.Server) {
	t.Helper()
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("start app: %v", err)
	}
	ts := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		ts.Close()
		a.Close()
	})
	return a, ts
}

func apiLogin(t *testing.T, c *http.Client, base, password string) rlAnswer {
	t.Helper()
	return rlSend(t, c, "POST", base+"/api/v1/auth/login", "application/json",
		fmt.Sprintf(`{"login":"olga","password":%q}`, password))
}

func pageLogin(t *testing.T, c *http.Client, base, password string) rlAnswer {
	t.Helper()
	return rlSend(t, c, "POST", base+"/login", "application/x-www-form-urlencoded",
		url.Values{"login": {"olga"}, "password": {password}}.Encode(), "Accept", "text/html")
}

// loginAudit counts the refused sign-ins in the audit log by reason.
func loginAudit(t *testing.T, s *store.Store) map[string]int {
	t.Helper()
	entries, err := s.AuditLog(context.Background(), 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, e := range entries {
		if e.Action == account.AuditLoginFailed {
			n[e.Details]++
		}
	}
	return n
}

// attack sends 40 wrong passwords for olga at once, each from its own
// address, spread over the instances, and checks that only the budget was
// checked against the hash (the audit log records each check's failure)
// and the rest were refused with 429 and Retry-After.
func attack(t *testing.T, s *store.Store, bases ...string) {
	t.Helper()
	const attackers = 40
	answers := make([]rlAnswer, attackers)
	var wg sync.WaitGroup
	for i := range attackers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = apiLogin(t, rlClientFrom(fmt.Sprintf("127.0.1.%d", i+1)), bases[i%len(bases)], fmt.Sprintf("guess %d", i))
		}()
	}
	wg.Wait()
	refused := 0
	for i, a := range answers {
		switch a.status {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			refused++
			if ra, err := strconv.Atoi(a.header.Get("Retry-After")); err != nil || ra < 1 {
				t.Errorf("attacker %d: 429 with Retry-After %q", i, a.header.Get("Retry-After"))
			}
		default:
			t.Errorf("attacker %d: %d %s", i, a.status, a.body)
		}
	}
	got := loginAudit(t, s)
	if got[account.FailureBadCredentials] != account.FailuresPerAccount || got[account.FailureThrottled] != attackers-account.FailuresPerAccount ||
		refused != attackers-account.FailuresPerAccount {
		t.Errorf("audit log %v and %d refusals; want %d wrong passwords checked and %d refused", got, refused,
			account.FailuresPerAccount, attackers-account.FailuresPerAccount)
	}
}

// Forty parallel guesses from forty addresses reach the hash only up to
// the account's budget; the owner's browser, which signed in before, signs
// in during the attack (page and API), while a fresh browser is refused.
func TestSignInDuringGuessingAttack(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, ts := startInstance(t, testutil.Config(t, engine))
			createOwner(t, a.Store())
			owner := rlClientFrom("127.0.0.9")
			first := pageLogin(t, owner, ts.URL, attackOwnerPassword)
			if first.status != http.StatusSeeOther {
				t.Fatalf("owner's first sign-in: %d %s", first.status, first.body)
			}
			device := deviceCookieOf(t, (&http.Response{Header: first.header}).Cookies())
			if !device.HttpOnly || device.MaxAge < 300*24*3600 || device.Path != "/" {
				t.Errorf("device cookie %+v: want HttpOnly, long-lived, for every path", device)
			}

			attack(t, a.Store(), ts.URL)

			if r := pageLogin(t, owner, ts.URL, attackOwnerPassword); r.status != http.StatusSeeOther {
				t.Errorf("owner's known browser, page, during the attack: %d %s", r.status, r.body)
			}
			if r := apiLogin(t, owner, ts.URL, attackOwnerPassword); r.status != http.StatusOK {
				t.Errorf("owner's known browser, API, during the attack: %d %s", r.status, r.body)
			}
			fresh := rlClientFrom("127.0.0.10")
			r := pageLogin(t, fresh, ts.URL, attackOwnerPassword)
			if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
				t.Errorf("fresh browser, page, during the attack: %d (Retry-After %q), want 429", r.status, r.header.Get("Retry-After"))
			}
			if r := apiLogin(t, fresh, ts.URL, attackOwnerPassword); r.status != http.StatusTooManyRequests {
				t.Errorf("fresh browser, API, during the attack: %d, want 429", r.status)
			}
		})
	}
}

// Two instances sharing Redis share the account's budget: the attack
// split between them still reaches the hash only budget times.
func TestSignInBudgetSharedThroughRedis(t *testing.T) {
	redisURL, prefix, _ := testutil.Redis(t)
	cfg := testutil.Config(t, "postgres")
	cfg.RedisURL, cfg.RedisKeyPrefix = redisURL, prefix
	one, tsOne := startInstance(t, cfg)
	_, tsTwo := startInstance(t, cfg)
	createOwner(t, one.Store())
	owner := rlClientFrom("127.0.0.9")
	if r := apiLogin(t, owner, tsOne.URL, attackOwnerPassword); r.status != http.StatusOK {
		t.Fatalf("owner's first sign-in: %d %s", r.status, r.body)
	}

	attack(t, one.Store(), tsOne.URL, tsTwo.URL)

	// The device cookie one instance issued is good on the other.
	if r := apiLogin(t, owner, tsTwo.URL, attackOwnerPassword); r.status != http.StatusOK {
		t.Errorf("owner's known client on the other instance during the attack: %d %s", r.status, r.body)
	}
	if r := apiLogin(t, rlClientFrom("127.0.0.10"), tsTwo.URL, attackOwnerPassword); r.status != http.StatusTooManyRequests {
		t.Errorf("fresh client during the attack: %d, want 429", r.status)
	}
}

func createOwner(t *testing.T, s *store.Store) {
	t.Helper()
	hash, err := auth.HashPassword(attackOwnerPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(context.Background(), &auth.User{Username: "olga", Email: "olga@example.test", PasswordHash: hash, Role: auth.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
}

func deviceCookieOf(t *testing.T, cookies []*http.Cookie) *http.Cookie {
	t.Helper()
	for _, c := range cookies {
		if c.Name == account.DeviceCookie {
			return c
		}
	}
	t.Fatalf("no %s cookie among %v", account.DeviceCookie, cookies)
	return nil
}
