package account_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/ratelimit"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

const ownerPassword = "correct horse battery staple"

// throttleFixture is a service on a fresh database with one account, a
// frozen limiter clock (budgets never refill on their own) and a count of
// the passwords checked against a hash.
type throttleFixture struct {
	svc     *account.Service
	store   *store.Store
	user    *auth.User
	clock   *testutil.Clock
	checked atomic.Int64
}

func newThrottleFixture(t *testing.T, engine string) *throttleFixture {
	t.Helper()
	f := &throttleFixture{store: testutil.OpenStore(t, engine), clock: testutil.NewClock()}
	hash, err := auth.HashPassword(ownerPassword)
	if err != nil {
		t.Fatal(err)
	}
	f.user = &auth.User{Username: "olga", Email: "olga@example.test", PasswordHash: hash, Role: auth.RoleAdmin}
	if err := f.store.CreateUser(context.Background(), f.user); err != nil {
		t.Fatal(err)
	}
	f.svc = account.New(f.store)
	f.svc.SetLimiter(ratelimit.NewMemoryWithClock(0, f.clock.Now))
	account.SetPasswordCheck(f.svc, func(hash, password string) error {
		f.checked.Add(1)
		return auth.CheckPassword(hash, password)
	})
	return f
}

// deviceCookie signs the owner in from a browser without a device cookie
// and returns the one the browser is given.
func (f *throttleFixture) deviceCookie(t *testing.T, ip string) string {
	t.Helper()
	u, err := f.svc.Authenticate(context.Background(), "olga", ownerPassword, account.Client{IP: ip})
	if err != nil {
		t.Fatalf("owner's first sign-in: %v", err)
	}
	rec := httptest.NewRecorder()
	f.svc.RememberDevice(rec, httptest.NewRequest("POST", "/login", nil), u, true)
	for _, c := range rec.Result().Cookies() {
		if c.Name == account.DeviceCookie {
			if !c.HttpOnly || !c.Secure || c.MaxAge < 300*24*3600 || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("device cookie %+v: want HttpOnly, Secure, SameSite=Lax and long-lived", c)
			}
			return c.Value
		}
	}
	t.Fatal("no device cookie set")
	return ""
}

// Forty wrong passwords at once from forty addresses: each attempt is
// reserved before the hash is checked, so only the account's budget for
// unknown devices reaches the hash; the rest are refused with a wait. The
// owner's browser, known from an earlier sign-in, still gets in during the
// attack; a fresh device, right password or not, is refused.
func TestConcurrentGuessesAreReservedBeforeChecking(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			f := newThrottleFixture(t, engine)
			ctx := context.Background()
			device := f.deviceCookie(t, "198.51.100.7")
			f.checked.Store(0)

			const attackers = 40
			var wg sync.WaitGroup
			var bad, throttled, other atomic.Int64
			start := make(chan struct{})
			for i := range attackers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, err := f.svc.Authenticate(ctx, "olga", fmt.Sprintf("guess %d", i), account.Client{IP: fmt.Sprintf("203.0.113.%d", i+1)})
					var te *account.ThrottledError
					switch {
					case errors.Is(err, account.ErrBadCredentials):
						bad.Add(1)
					case errors.As(err, &te) && te.RetryAfter >= time.Second:
						throttled.Add(1)
					default:
						other.Add(1)
						t.Errorf("attacker %d: %v", i, err)
					}
				}()
			}
			// The owner signs in from the known browser while the guesses run.
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if _, err := f.svc.Authenticate(ctx, "olga", ownerPassword, account.Client{IP: "198.51.100.7", Device: device}); err != nil {
					t.Errorf("owner on a known device during the attack: %v", err)
				}
			}()
			close(start)
			wg.Wait()

			// One check is the owner's; the guesses got FailuresPerAccount.
			if got := f.checked.Load(); got != account.FailuresPerAccount+1 {
				t.Errorf("%d passwords checked against the hash, want %d guesses + the owner's", got, account.FailuresPerAccount)
			}
			if bad.Load() != account.FailuresPerAccount || throttled.Load() != attackers-account.FailuresPerAccount {
				t.Errorf("%d wrong, %d throttled; want %d and %d", bad.Load(), throttled.Load(), account.FailuresPerAccount, attackers-account.FailuresPerAccount)
			}

			// After the attack, still frozen in it: the known browser gets
			// in again, a fresh device with the right password does not,
			// and neither does a forged or another account's cookie.
			if _, err := f.svc.Authenticate(ctx, "olga", ownerPassword, account.Client{IP: "198.51.100.7", Device: device}); err != nil {
				t.Errorf("owner on a known device after the attack: %v", err)
			}
			var te *account.ThrottledError
			for _, dev := range []string{"", device + "x", "bm90IGEgdG9rZW4.AAAA"} {
				if _, err := f.svc.Authenticate(ctx, "olga", ownerPassword, account.Client{IP: "192.0.2.50", Device: dev}); !errors.As(err, &te) {
					t.Errorf("fresh device (cookie %q) during the attack: %v, want throttled", dev, err)
				}
			}
		})
	}
}

// A known device's failures count against that device only, up to its own
// budget; the account's budget for unknown devices is not touched.
func TestKnownDeviceHasItsOwnBudget(t *testing.T) {
	f := newThrottleFixture(t, "sqlite")
	ctx := context.Background()
	device := f.deviceCookie(t, "198.51.100.7")
	known := account.Client{IP: "198.51.100.7", Device: device}
	for i := range account.FailuresPerDevice {
		if _, err := f.svc.Authenticate(ctx, "olga", "typo", known); !errors.Is(err, account.ErrBadCredentials) {
			t.Fatalf("typo %d: %v", i+1, err)
		}
	}
	var te *account.ThrottledError
	if _, err := f.svc.Authenticate(ctx, "olga", ownerPassword, known); !errors.As(err, &te) {
		t.Fatalf("known device past its budget: %v, want throttled", err)
	}
	if _, err := f.svc.Authenticate(ctx, "olga", ownerPassword, account.Client{IP: "192.0.2.9"}); err != nil {
		t.Fatalf("another device after the known one's typos: %v; its budget is separate", err)
	}
	// The device's budget refills with time, one attempt per interval.
	f.clock.Advance(account.FailureWindow / account.FailuresPerDevice)
	if _, err := f.svc.Authenticate(ctx, "olga", ownerPassword, known); err != nil {
		t.Fatalf("known device one interval later: %v", err)
	}
}

// Unknown devices are slowed, not locked: once the short budget is spent
// one attempt comes back per interval, and once the daily budget is spent
// too the wait grows to the daily interval.
func TestUnknownDevicesAreSlowedDown(t *testing.T) {
	f := newThrottleFixture(t, "sqlite")
	ctx := context.Background()
	guess := func(i int) error {
		_, err := f.svc.Authenticate(ctx, "olga", "guess", account.Client{IP: fmt.Sprintf("203.0.113.%d", i%250+1)})
		return err
	}
	var waits []time.Duration
	for i := 0; i < 200 && len(waits) < 40; i++ {
		err := guess(i)
		var te *account.ThrottledError
		switch {
		case errors.As(err, &te):
			waits = append(waits, te.RetryAfter)
			f.clock.Advance(te.RetryAfter)
		case !errors.Is(err, account.ErrBadCredentials):
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	short := account.FailureWindow / account.FailuresPerAccount
	day := 24 * time.Hour / account.FailuresPerAccountDaily
	if waits[0] > short || waits[len(waits)-1] < day-short {
		t.Errorf("waits grew from %v to %v; want from at most %v to about %v", waits[0], waits[len(waits)-1], short, day)
	}
	// The attacker takes the attempt that just came back; the owner from a
	// fresh device then waits like anyone, and gets in after the wait.
	if err := guess(0); !errors.Is(err, account.ErrBadCredentials) {
		t.Fatalf("guess after the wait: %v", err)
	}
	if _, err := f.svc.Authenticate(ctx, "olga", ownerPassword, account.Client{IP: "192.0.2.9"}); err == nil {
		t.Error("a fresh device got in without waiting during the attack")
	}
	f.clock.Advance(day)
	if _, err := f.svc.Authenticate(ctx, "olga", ownerPassword, account.Client{IP: "192.0.2.9"}); err != nil {
		t.Errorf("a fresh device after the wait: %v", err)
	}
}

// A right password gives its reservation back; the failures before it stay.
func TestSuccessGivesTheAttemptBack(t *testing.T) {
	f := newThrottleFixture(t, "sqlite")
	ctx := context.Background()
	c := account.Client{IP: "192.0.2.9"}
	for range account.FailuresPerAccount - 1 {
		if _, err := f.svc.Authenticate(ctx, "olga", "typo", c); !errors.Is(err, account.ErrBadCredentials) {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		if _, err := f.svc.Authenticate(ctx, "olga", ownerPassword, c); err != nil {
			t.Fatalf("sign-in %d with one failure left in the budget: %v", i+1, err)
		}
	}
	if _, err := f.svc.Authenticate(ctx, "olga", "typo", c); !errors.Is(err, account.ErrBadCredentials) {
		t.Fatalf("last failure in the budget: %v", err)
	}
	var te *account.ThrottledError
	if _, err := f.svc.Authenticate(ctx, "olga", ownerPassword, c); !errors.As(err, &te) {
		t.Fatalf("after %d failures: %v, want throttled (successes must not reset the count)", account.FailuresPerAccount, err)
	}
}

// Re-entering the password while signed in (password change, second factor
// enrolment) is reserved before checking too, on its own budget, so a
// sign-in attack does not block the owner's password change.
func TestReauthenticationIsThrottledApart(t *testing.T) {
	f := newThrottleFixture(t, "sqlite")
	ctx := context.Background()
	for i := range 40 {
		_, _ = f.svc.Authenticate(ctx, "olga", "guess", account.Client{IP: fmt.Sprintf("203.0.113.%d", i+1)})
	}
	if err := f.svc.CheckPassword(f.user, "password", ownerPassword); err != nil {
		t.Fatalf("re-authentication during a sign-in attack: %v", err)
	}
	f.checked.Store(0)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = f.svc.CheckPassword(f.user, "password", "wrong")
		}()
	}
	wg.Wait()
	if got := f.checked.Load(); got != account.FailuresPerAccount {
		t.Errorf("%d of 20 parallel re-authentications checked, want %d", got, account.FailuresPerAccount)
	}
	var te *account.ThrottledError
	if _, err := f.svc.ChangePassword(ctx, f.user, ownerPassword, "a whole new passphrase 42", account.Client{IP: "192.0.2.1"}, auth.Credential{}); !errors.As(err, &te) {
		t.Errorf("password change past the re-authentication budget: %v, want throttled", err)
	}
}

// The per-address budget counts an IPv6 client by its /64, so rotating
// through one subscriber's addresses gains nothing.
func TestAddressBudgetGroupsIPv6By64(t *testing.T) {
	f := newThrottleFixture(t, "sqlite")
	ctx := context.Background()
	for i := range account.FailuresPerIP {
		// A different unknown login each time: only the address budget applies.
		_, err := f.svc.Authenticate(ctx, fmt.Sprintf("nobody%d", i), "guess", account.Client{IP: fmt.Sprintf("2001:db8:0:7::%x", i+1)})
		if !errors.Is(err, account.ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	var te *account.ThrottledError
	if _, err := f.svc.Authenticate(ctx, "nobody-else", "guess", account.Client{IP: "2001:db8:0:7:ffff::1"}); !errors.As(err, &te) {
		t.Errorf("another address in the same /64: %v, want throttled", err)
	}
	if _, err := f.svc.Authenticate(ctx, "olga", ownerPassword, account.Client{IP: "2001:db8:0:8::1"}); err != nil {
		t.Errorf("the next /64: %v", err)
	}
}
