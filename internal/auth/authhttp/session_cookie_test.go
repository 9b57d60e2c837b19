package authhttp_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// A session in use outlives the cookie's first Max-Age: when the server
// slides the expiry forward (at most daily) it sends the cookie again with
// the new Max-Age; in between it sends nothing.
func TestSessionCookieFollowsSlidingExpiry(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := testutil.OpenStore(t, engine)
			u := &auth.User{Username: "sam", Email: "sam@example.test", PasswordHash: "x", Role: auth.RoleUser}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			secret := auth.NewSecret()
			hash := auth.HashSecret(secret)
			now := time.Now().UTC()
			if err := s.CreateSession(ctx, auth.Session{ID: hash, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
				ExpiresAt: now.Add(auth.SessionLifetime)}); err != nil {
				t.Fatal(err)
			}
			h := authhttp.Authenticate(s, func(err error) bool { return errors.Is(err, store.ErrNotFound) }, true,
				http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if auth.UserFrom(r.Context()) == nil {
						w.WriteHeader(http.StatusUnauthorized)
					}
				}))
			// get makes a request with the session cookie and returns the
			// session cookie the answer sets, if any.
			get := func() *http.Cookie {
				t.Helper()
				req := httptest.NewRequest("GET", "/", nil)
				req.AddCookie(&http.Cookie{Name: authhttp.SessionCookie, Value: secret})
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("request with a live session: %d", rec.Code)
				}
				for _, c := range rec.Result().Cookies() {
					if c.Name == authhttp.SessionCookie {
						return c
					}
				}
				return nil
			}
			// age moves the session back in time as if last seen ago.
			age := func(ago time.Duration) {
				t.Helper()
				past := time.Now().UTC().Add(-ago)
				if err := s.ExtendSession(ctx, hash, past, past.Add(auth.SessionLifetime)); err != nil {
					t.Fatal(err)
				}
			}
			expiry := func() time.Time {
				t.Helper()
				sess, _, err := s.UserBySession(ctx, hash)
				if err != nil {
					t.Fatal(err)
				}
				return sess.ExpiresAt
			}

			if c := get(); c != nil {
				t.Errorf("fresh session: cookie re-sent (%v)", c)
			}
			// Last seen two hours ago: last-seen is written, but the expiry
			// would move by less than a day, so neither it nor the cookie moves.
			age(2 * time.Hour)
			before := expiry()
			if c := get(); c != nil {
				t.Errorf("within a day: cookie re-sent (%v)", c)
			}
			if !expiry().Equal(before) {
				t.Errorf("within a day the expiry moved from %v to %v", before, expiry())
			}
			// Last seen (and expiry set) over a day ago: both move, and the
			// browser is told.
			age(25 * time.Hour)
			c := get()
			if c == nil {
				t.Fatal("after a day: the cookie was not re-sent with the new expiry")
			}
			if c.Value != secret || c.MaxAge != int(auth.SessionLifetime/time.Second) || !c.HttpOnly || !c.Secure || c.Path != "/" {
				t.Errorf("re-sent cookie %+v: want the same session, Max-Age %d, HttpOnly, Secure, Path /", c, int(auth.SessionLifetime/time.Second))
			}
			if got := time.Until(expiry()); got < auth.SessionLifetime-time.Minute {
				t.Errorf("expiry in the database is %v away, want about %v", got, auth.SessionLifetime)
			}
			if c := get(); c != nil {
				t.Errorf("right after the refresh: cookie re-sent again (%v)", c)
			}
		})
	}
}
