package httpx

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

// SecurityOptions configure SecurityHeaders.
type SecurityOptions struct {
	// AssetBaseURL is RECC_ASSET_BASE_URL: when static files come from a
	// CDN, its origin may serve scripts, styles and images.
	AssetBaseURL string
	// MediaBaseURL is RECC_MEDIA_BASE_URL: photos may come from its origin.
	MediaBaseURL string
	// HSTS adds Strict-Transport-Security to answers to HTTPS requests
	// (IsHTTPS: directly over TLS, or per a trusted proxy). Off in
	// development, where a browser would remember it for localhost.
	HSTS bool
}

// HSTSValue is the Strict-Transport-Security header: one year, including
// subdomains. Not preloaded: joining the preload list is a decision for
// the domain's owner, not a default.
const HSTSValue = "max-age=31536000; includeSubDomains"

// SecurityHeaders sets the headers every response carries, pages, API,
// static files and errors alike. The Content-Security-Policy allows only
// this origin (and the asset CDN): no inline script or style, no eval —
// the pages use external scripts only, and htmx is configured not to
// inject styles or evaluate code — so an injected <script> or onclick=
// does nothing even if escaping were ever to fail. JSON-LD blocks are data
// and are not affected.
func SecurityHeaders(opt SecurityOptions, next http.Handler) http.Handler {
	csp := ContentSecurityPolicy(opt.AssetBaseURL, opt.MediaBaseURL)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		// frame-ancestors 'none' supersedes it; kept for old browsers.
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		// Cook mode keeps the screen on (Wake Lock); nothing else is used.
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), screen-wake-lock=(self)")
		// Browsers ignore it over plain HTTP, so it is sent only where it
		// counts; ResolveClient decides the scheme.
		if opt.HSTS && IsHTTPS(r) {
			h.Set("Strict-Transport-Security", HSTSValue)
		}
		next.ServeHTTP(w, r)
	})
}

// ContentSecurityPolicy is the policy for pages served with static files
// from assetBaseURL and photos from mediaBaseURL ("" for this server).
func ContentSecurityPolicy(assetBaseURL, mediaBaseURL string) string {
	self := "'self'"
	if o := origin(assetBaseURL); o != "" {
		self += " " + o
	}
	img := self
	if o := origin(mediaBaseURL); o != "" && o != origin(assetBaseURL) {
		img += " " + o
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src " + self,
		"style-src " + self,
		// blob: lets the upload forms preview a chosen photo at once
		// (URL.createObjectURL) before a byte is sent. Such a URL names
		// data this page itself holds and only this page can create, so
		// it admits no content from elsewhere; scripts, styles and
		// frames still may not come from blob:.
		"img-src " + img + " data: blob:",
		"font-src " + self,
		"connect-src 'self'",
		"form-action 'self'",
		"base-uri 'none'",
		"frame-ancestors 'none'",
		"object-src 'none'",
	}, "; ")
}

// AllowFrames lets the page about to be written show frames from
// origins (a video player the person asked for), on top of the policy
// SecurityHeaders set: only that page's policy names them.
func AllowFrames(h http.Header, origins ...string) {
	csp := h.Get("Content-Security-Policy")
	if csp == "" || len(origins) == 0 {
		return
	}
	h.Set("Content-Security-Policy", csp+"; frame-src "+strings.Join(origins, " "))
}

// origin is scheme://host[:port] of u, or "" when u is empty or invalid.
func origin(u string) string {
	p, err := url.Parse(u)
	if u == "" || err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
		return ""
	}
	return p.Scheme + "://" + p.Host
}

// errorPageCSP replaces the site policy on the last-resort 500 page, which
// must not depend on anything that could be failing (templates, static
// files) and so carries its own small stylesheet, allowed by its hash.
var errorPageCSP = func() string {
	start := strings.Index(errorPage, "<style>") + len("<style>")
	end := strings.Index(errorPage, "</style>")
	sum := sha256.Sum256([]byte(errorPage[start:end]))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
}()
