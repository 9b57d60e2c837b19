package authhttp_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/reccollection/reccollection/internal/auth/authhttp"
)

// TestKeepPrivate: whatever a handler says, no answer to a request with
// credentials, none that sets a cookie, and no unsaid error, redirect or
// write can be kept by a shared cache.
func TestKeepPrivate(t *testing.T) {
	const public = "public, max-age=0, s-maxage=60, stale-while-revalidate=600"
	cases := []struct {
		name, method, cookie, auth, cc, setCookie string
		status                                    int
		want                                      string
	}{
		{"anonymous public page", "GET", "", "", public, "", 200, public},
		{"session cookie", "GET", "recc_session=abc", "", public, "", 200, "private, max-age=0"},
		{"bearer token", "GET", "", "Bearer x", "public, max-age=300", "", 200, "private, max-age=300"},
		{"sets a cookie", "GET", "", "", public, "recc_flash=; Max-Age=0", 200, "private, max-age=0"},
		{"other cookie only", "GET", "units=metric", "", public, "", 200, public},
		{"immutable for a user", "GET", "recc_session=abc", "", "public, max-age=31536000, immutable", "", 200, "private, max-age=31536000, immutable"},
		{"already private", "GET", "recc_session=abc", "", "private, no-store", "", 200, "private, no-store"},
		{"unsaid anonymous read", "GET", "", "", "", "", 200, ""},
		{"unsaid read for a user", "GET", "recc_session=abc", "", "", "", 200, "private, no-cache"},
		{"unsaid redirect", "GET", "", "", "", "", 303, "private, no-cache"},
		{"unsaid error", "GET", "", "", "", "", 404, "private, no-cache"},
		{"unsaid write", "POST", "", "", "", "", 200, "private, no-cache"},
	}
	for _, c := range cases {
		h := authhttp.KeepPrivate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if c.cc != "" {
				w.Header().Set("Cache-Control", c.cc)
			}
			if c.setCookie != "" {
				w.Header().Set("Set-Cookie", c.setCookie)
			}
			w.WriteHeader(c.status)
		}))
		r := httptest.NewRequest(c.method, "/x", nil)
		if c.cookie != "" {
			r.Header.Set("Cookie", c.cookie)
		}
		if c.auth != "" {
			r.Header.Set("Authorization", c.auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if got := w.Header().Get("Cache-Control"); got != c.want {
			t.Errorf("%s: Cache-Control %q, want %q", c.name, got, c.want)
		}
	}
}
