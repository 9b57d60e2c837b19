package ui

import (
	"net/http"

	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/httpx"
)

// setCaching decides who may keep a rendered page. Pages differ per
// user, so by default private caches may keep them and shared caches not,
// and a handler may have asked for less (no-store for a secret). A public
// page (home, browse, a public recipe and its cook mode, a profile) for a
// visitor without credentials is the same for everyone who sends the same
// cookies, so a CDN may keep it for sharedMaxAge: nothing in such a page
// is per request (the site uses no CSRF tokens, the Content-Security-
// Policy no nonces; see docs/architecture.md, "Behind a CDN").
func (u *UI) setCaching(h http.Header, r *http.Request, status int, p *page) {
	// A page depends on the cookies sent (session, flash, measures), and
	// says so even when private: a browser must not show a signed-out
	// visitor's copy once signed in.
	httpx.AddVary(h, "Cookie")
	if p.VaryLanguage {
		httpx.AddVary(h, "Accept-Language")
	}
	if h.Get("Cache-Control") != "" {
		return
	}
	if u.shareable(h, r, status, p) {
		h.Set("Cache-Control", httpx.PublicCacheControl(u.sharedMaxAge))
		return
	}
	h.Set("Cache-Control", "private, no-cache")
}

// shareable answers whether a shared cache may keep this answer: a public
// page, rendered whole (200), for nobody in particular, carrying no
// message for this one visitor and setting no cookie.
func (u *UI) shareable(h http.Header, r *http.Request, status int, p *page) bool {
	return u.sharedMaxAge > 0 && p.Public && status == http.StatusOK && p.User == nil &&
		!authhttp.HasCredentials(r) && p.Flash == "" && len(h.Values("Set-Cookie")) == 0
}
