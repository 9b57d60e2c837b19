package app

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"

	"github.com/reccollection/reccollection/internal/httpx"
)

// httpsState is the automatic-HTTPS side of a running App (RECC_TLS_DOMAINS).
type httpsState struct {
	mu   sync.Mutex
	addr string // bound address of the HTTPS listener while Serve runs
}

// HTTPSAddr is the address the HTTPS listener is bound to while Serve runs,
// or "" (not started, or RECC_TLS_DOMAINS unset).
func (a *App) HTTPSAddr() string {
	a.https.mu.Lock()
	defer a.https.mu.Unlock()
	return a.https.addr
}

func (a *App) setHTTPSAddr(s string) {
	a.https.mu.Lock()
	a.https.addr = s
	a.https.mu.Unlock()
}

// certManager obtains and renews certificates for RECC_TLS_DOMAINS through
// ACME, keeping them (and the account key and http-01 tokens) in the
// database, so every replica serves the same certificate and can answer a
// challenge that another replica asked for.
func (a *App) certManager() *autocert.Manager {
	m := &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      a.store.TLSCache(),
		HostPolicy: autocert.HostWhitelist(a.cfg.TLSDomains...),
		Email:      a.cfg.ACMEEmail,
	}
	if a.cfg.ACMEDirectoryURL != "" {
		m.Client = &acme.Client{DirectoryURL: a.cfg.ACMEDirectoryURL}
	}
	return m
}

// listenHTTPS opens RECC_HTTPS_ADDR for the application handler.
func (a *App) listenHTTPS() (net.Listener, error) {
	ln, err := net.Listen("tcp", a.cfg.HTTPSAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on RECC_HTTPS_ADDR=%s: %w", a.cfg.HTTPSAddr, err)
	}
	return ln, nil
}

// plainHTTPHandler is what RECC_HTTP_ADDR answers when the server does its
// own TLS: ACME http-01 challenges (from the database cache, so whichever
// replica the CA reaches can answer), /healthz and /readyz (for probes and
// `reccollection healthcheck`, which use plain HTTP), and for everything
// else a permanent redirect to the same path and query over HTTPS.
func (a *App) plainHTTPHandler(m *autocert.Manager) http.Handler {
	mux := http.NewServeMux()
	probe(mux, "/healthz", a.healthz)
	probe(mux, "/readyz", a.readyz)
	httpx.Route(mux, "/", m.HTTPHandler(http.HandlerFunc(a.redirectToHTTPS)))
	h := httpx.SecurityHeaders(httpx.SecurityOptions{AssetBaseURL: a.cfg.AssetBaseURL}, mux)
	return httpx.ObserveWith(a.log, a.observeHooks(), httpx.ResolveClient(a.cfg.TrustedProxies, a.closeWhenDraining(h)))
}

// redirectToHTTPS answers 301 (GET, HEAD) or 308 (other methods, which
// must be repeated with their body) to https://host/path?query. The host
// is the requested one when it is one of RECC_TLS_DOMAINS, else the first
// of them, so a forged Host header never leads anywhere else. The port is
// left out: clients reach HTTPS on 443, whatever RECC_HTTPS_ADDR binds.
func (a *App) redirectToHTTPS(w http.ResponseWriter, r *http.Request) {
	host := strings.ToLower(strings.TrimSuffix(r.Host, "."))
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = strings.TrimSuffix(h, ".")
	}
	known := false
	for _, d := range a.cfg.TLSDomains {
		known = known || d == host
	}
	if !known {
		host = a.cfg.TLSDomains[0]
	}
	code := http.StatusPermanentRedirect
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		code = http.StatusMovedPermanently
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), code)
}
