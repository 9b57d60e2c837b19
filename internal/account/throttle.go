package account

import (
	"context"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/ratelimit"
)

// Password attempts are throttled through the same limiter as the request
// rate limits (internal/ratelimit: GCRA, per process or shared by every
// replica through Redis). Each attempt is reserved before the password is
// checked, atomically per key, so parallel guesses cannot all slip through
// a check made before any of them was recorded. A right password gives its
// reservation back: only failures use the budget.
//
// Which budgets an attempt counts against (every one must allow it):
//   - its client address (an IPv6 client by its /64): FailuresPerIP;
//   - a known device of the account (a valid device cookie, device.go):
//     that device's own FailuresPerDevice — strangers' failures never
//     touch it, so the owner's browser is not locked out by an attack;
//   - any other device: the account's shared budget for unknown devices,
//     FailuresPerAccount per FailureWindow and FailuresPerAccountDaily per
//     day. Under a sustained attack it refills one attempt at a time, so
//     unknown devices are slowed down (the wait grows from minutes to an
//     hour as the daily budget runs out), never locked out for good.
//
// An attempt on an unknown login is counted by what was typed, so probing
// for accounts costs the same as guessing.
const (
	FailuresPerAccount      = 5
	FailuresPerAccountDaily = 20
	FailuresPerDevice       = 5
	FailuresPerIP           = 20
	FailureWindow           = 15 * time.Minute
)

// budget is one limit of password attempts; name goes into the key so a
// key's two budgets are counted apart.
type budget struct {
	name   string
	limit  int
	period time.Duration
}

var (
	ipBudgets      = []budget{{"window", FailuresPerIP, FailureWindow}}
	accountBudgets = []budget{
		{"window", FailuresPerAccount, FailureWindow},
		{"day", FailuresPerAccountDaily, 24 * time.Hour},
	}
	deviceBudgets = []budget{{"window", FailuresPerDevice, FailureWindow}}
	// Re-entering the password while signed in (a password change, second
	// factor enrolment) has its own budget per account: it needs a session,
	// and strangers' sign-in failures must not block the owner's password
	// change in the middle of an attack.
	reauthBudgets = []budget{{"window", FailuresPerAccount, FailureWindow}}
	// Second-factor codes, per account (mfa.go).
	mfaBudgets = []budget{{"window", FailuresPerAccountMFA, FailureWindow}}
)

// Key prefixes in the limiter, apart from the request rate limits' keys.
func ipKey(ip string) string          { return "signin:ip:" + ratelimit.IPSubject(ip) }
func accountKey(userID string) string { return "signin:account:" + userID }
func loginKey(login string) string    { return "signin:login:" + strings.ToLower(login) }
func deviceKey(userID, nonce string) string {
	return "signin:device:" + userID + ":" + nonce
}
func reauthKey(userID string) string { return "reauth:" + userID }
func mfaKey(userID string) string    { return "mfa:" + userID }

// charge is one budget of one key.
type charge struct {
	key string
	budget
}

func charges(key string, bs []budget) []charge {
	cs := make([]charge, len(bs))
	for i, b := range bs {
		cs[i] = charge{key + ":" + b.name, b}
	}
	return cs
}

// reservation is what an allowed attempt holds, to give back on success.
type reservation struct {
	limiter ratelimit.Limiter
	held    []charge
}

// reserve counts one attempt against every charge in order. If one
// refuses, the attempt is given back to those already counted (a refused
// attempt checks nothing, so it should not spend budget) and a
// *ThrottledError says how long to wait.
func reserve(ctx context.Context, l ratelimit.Limiter, cs ...charge) (*reservation, error) {
	res := &reservation{limiter: l}
	for _, c := range cs {
		r, err := l.Allow(ctx, c.key, c.limit, c.period)
		if err != nil {
			// Only a cancelled request gets here (the Redis limiter falls
			// back to memory on its own); it checks no password.
			res.release(context.WithoutCancel(ctx))
			return nil, err
		}
		if !r.Allowed {
			res.release(ctx)
			return nil, &ThrottledError{RetryAfter: max(r.RetryAfter, time.Second)}
		}
		res.held = append(res.held, c)
	}
	return res, nil
}

// release gives the attempt back to every budget it was counted against.
// A refund that fails (the request went away) leaves the attempt counted:
// the safe side.
func (r *reservation) release(ctx context.Context) {
	for _, c := range r.held {
		_ = r.limiter.Refund(ctx, c.key, c.limit, c.period)
	}
	r.held = nil
}
