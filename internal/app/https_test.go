package app_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Behind a trusted load balancer, rate limits and session records see the
// client from X-Forwarded-For; a client that is not the balancer cannot
// escape its budget by forging the header.
func TestTrustedProxiesThroughTheApp(t *testing.T) {
	ts := rlStartApp(t, nil, func(c *config.Config) {
		c.RateLimits = true
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
	login := func(c *http.Client, i int, headers ...string) rlAnswer {
		return rlSend(t, c, "POST", ts.URL+"/api/v1/auth/login", "application/json",
			fmt.Sprintf(`{"login":"nobody%d","password":"wrong password here"}`, i), headers...)
	}
	lb := rlClientFrom("127.0.0.1") // the trusted balancer
	for i := range 10 {
		if a := login(lb, i, "X-Forwarded-For", "203.0.113.1"); a.status != http.StatusUnauthorized {
			t.Fatalf("client 1 attempt %d: %d", i+1, a.status)
		}
	}
	wantLimited(t, login(lb, 10, "X-Forwarded-For", "203.0.113.1"), 10)
	// Another client behind the same balancer has its own budget: before
	// trusted proxies, every client shared the balancer's.
	if a := login(lb, 11, "X-Forwarded-For", "203.0.113.2"); a.status != http.StatusUnauthorized || a.header.Get("RateLimit-Remaining") != "9" {
		t.Errorf("second client behind the balancer: %d remaining %q, want 401 with 9", a.status, a.header.Get("RateLimit-Remaining"))
	}
	// The client's own spoofed entry, left of the balancer's, is ignored.
	if a := login(lb, 12, "X-Forwarded-For", "198.51.100.77, 203.0.113.1"); a.status != http.StatusTooManyRequests {
		t.Errorf("spoofed left entry escaped the budget: %d", a.status)
	}
	// An untrusted peer forging a fresh address each time still counts as itself.
	direct := rlClientFrom("127.0.0.2")
	for i := range 10 {
		if a := login(direct, 100+i, "X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i+1)); a.status != http.StatusUnauthorized {
			t.Fatalf("direct attempt %d: %d", i+1, a.status)
		}
	}
	wantLimited(t, login(direct, 200, "X-Forwarded-For", "192.0.2.99"), 10)
}

// Sessions record the client's address (account.ClientOf) from a trusted
// proxy's header, and HSTS follows its X-Forwarded-Proto outside
// development.
func TestSessionIPAndHSTSBehindProxy(t *testing.T) {
	cfg := testutil.Config(t, "sqlite")
	cfg.Env = config.Production
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: a.Handler()}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close(); a.Close() })
	base := "http://" + ln.Addr().String()
	c := rlClientFrom("127.0.0.1")
	// Production cookies are Secure and the API needs no cookie; same-origin
	// POSTs from a non-browser client pass cross-origin protection.
	if r := rlSend(t, c, "POST", base+"/api/v1/auth/register", "application/json",
		`{"username":"proxied","email":"proxied@example.test","password":"a long enough password 1"}`,
		"X-Forwarded-For", "203.0.113.50", "X-Forwarded-Proto", "https"); r.status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	r := rlSend(t, c, "POST", base+"/api/v1/auth/login", "application/json",
		`{"login":"proxied","password":"a long enough password 1"}`,
		"X-Forwarded-For", "2001:db8::7, 203.0.113.60", "X-Forwarded-Proto", "https")
	if r.status != http.StatusOK {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	if got := r.header.Get("Strict-Transport-Security"); got != "max-age=31536000; includeSubDomains" {
		t.Errorf("HSTS behind a TLS-terminating proxy = %q", got)
	}
	var ips []string
	rows, err := a.Store().DB().Query("SELECT ip FROM sessions")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ip string
		_ = rows.Scan(&ip)
		ips = append(ips, ip)
	}
	rows.Close()
	if len(ips) == 0 || ips[len(ips)-1] != "203.0.113.60" {
		t.Errorf("session IPs %q, want the forwarded client 203.0.113.60", ips)
	}
	// Plain HTTP through the proxy: no HSTS.
	if h := rlSend(t, c, "GET", base+"/healthz", "", "", "X-Forwarded-Proto", "http"); h.header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS on a plain-HTTP request")
	}
}

const testHost = "recipes.test"

// selfSigned returns autocert's cache entry for host (the PEM private key
// followed by the certificate chain, stored under the bare domain for an
// ECDSA key; RSA keys go under "<domain>+rsa") and a pool trusting it.
func selfSigned(t *testing.T, host string) ([]byte, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: host},
		DNSNames:     []string{host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_ = pem.Encode(&buf, &pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	_ = pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return buf.Bytes(), pool
}

type tlsServing struct {
	app       *app.App
	httpAddr  string
	httpsAddr string
	stop      func() error
}

// startTLS runs app.Serve with RECC_TLS_DOMAINS on engine, with the
// database cache seeded by seed before the listeners open. The ACME
// directory is an address where nothing listens: no test talks to a CA.
func startTLS(t *testing.T, engine string, env config.Env, seed func(*app.App)) *tlsServing {
	t.Helper()
	cfg := testutil.Config(t, engine)
	cfg.Env = env
	cfg.MetricsAddr = ""
	cfg.ShutdownDelay = 0
	cfg.TLSDomains = []string{testHost, "www." + testHost}
	cfg.HTTPSAddr = "127.0.0.1:0"
	cfg.ACMEDirectoryURL = "https://127.0.0.1:1/directory"
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if seed != nil {
		seed(a)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	stopped := false
	var stopErr error
	stop := func() error {
		if !stopped {
			stopped = true
			cancel()
			stopErr = <-done
			a.Close()
		}
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })
	deadline := time.Now().Add(10 * time.Second)
	for a.HTTPSAddr() == "" {
		if time.Now().After(deadline) {
			t.Fatal("HTTPS listener did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return &tlsServing{app: a, httpAddr: ln.Addr().String(), httpsAddr: a.HTTPSAddr(), stop: stop}
}

// TestHTTPSFromDatabaseCertificateCache: a certificate put into the
// database cache (as another replica, having obtained it, would have) is
// what the HTTPS listener presents; the handshake verifies against it and
// the whole application answers behind it, with HSTS outside development.
func TestHTTPSFromDatabaseCertificateCache(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			var pool *x509.CertPool
			s := startTLS(t, engine, config.Production, func(a *app.App) {
				var entry []byte
				entry, pool = selfSigned(t, testHost)
				if err := a.Store().TLSCache().Put(context.Background(), testHost, entry); err != nil {
					t.Fatal(err)
				}
			})
			dialer := &net.Dialer{Timeout: 5 * time.Second}
			client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
				TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: testHost, MinVersion: tls.VersionTLS12},
				DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
					return dialer.DialContext(ctx, network, s.httpsAddr)
				},
				ForceAttemptHTTP2: true,
			}}
			resp, err := client.Get("https://" + testHost + "/healthz")
			if err != nil {
				t.Fatalf("HTTPS request: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"ok"`) {
				t.Fatalf("GET /healthz over HTTPS: %d %s", resp.StatusCode, body)
			}
			if resp.TLS == nil || len(resp.TLS.PeerCertificates) == 0 || resp.TLS.PeerCertificates[0].Subject.CommonName != testHost {
				t.Fatalf("TLS state %+v", resp.TLS)
			}
			if got := resp.Header.Get("Strict-Transport-Security"); got != "max-age=31536000; includeSubDomains" {
				t.Errorf("HSTS over TLS in production = %q", got)
			}
			if resp.Header.Get("Content-Security-Policy") == "" {
				t.Error("security headers missing over HTTPS")
			}
			if resp.ProtoMajor != 2 {
				t.Errorf("protocol %s, want HTTP/2 over TLS", resp.Proto)
			}
			// A page of the application, not only the health check.
			resp, err = client.Get("https://" + testHost + "/api/v1/recipes")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET /api/v1/recipes over HTTPS: %d", resp.StatusCode)
			}

			// www. is in RECC_TLS_DOMAINS but has nothing in the cache, and
			// the CA is unreachable: no certificate, so the one above came
			// from the database.
			www := &tls.Config{InsecureSkipVerify: true, ServerName: "www." + testHost}
			if c, err := tls.Dial("tcp", s.httpsAddr, www); err == nil {
				c.Close()
				t.Error("handshake for a domain without a cached certificate succeeded")
			}
			// A name not in RECC_TLS_DOMAINS gets no certificate.
			bad := &tls.Config{InsecureSkipVerify: true, ServerName: "evil.example"}
			if c, err := tls.Dial("tcp", s.httpsAddr, bad); err == nil {
				c.Close()
				t.Error("handshake for a host outside RECC_TLS_DOMAINS succeeded")
			}

			// Stopping drains and closes both listeners.
			if err := s.stop(); err != nil {
				t.Fatalf("stop: %v", err)
			}
			for _, addr := range []string{s.httpsAddr, s.httpAddr} {
				if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
					c.Close()
					t.Errorf("%s still accepts connections after Serve returned", addr)
				}
			}
		})
	}
}

// TestHTTPRedirectListener: with RECC_TLS_DOMAINS, RECC_HTTP_ADDR answers
// ACME http-01 challenges from the database cache, health probes, and
// redirects everything else to HTTPS with path and query intact.
func TestHTTPRedirectListener(t *testing.T) {
	s := startTLS(t, "sqlite", config.Production, func(a *app.App) {
		// As the replica that asked the CA would have stored it.
		if err := a.Store().TLSCache().Put(context.Background(), "tok-abc_123+http-01", []byte("tok-abc_123.key-thumbprint")); err != nil {
			t.Fatal(err)
		}
	})
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, host, target string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+s.httpAddr+target, strings.NewReader("a=1"))
		req.Host = host
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	for _, tc := range []struct {
		method, host, target string
		status               int
		location             string
	}{
		{"GET", testHost, "/recipes/abc?q=tomato+soup&page=2", 301, "https://" + testHost + "/recipes/abc?q=tomato+soup&page=2"},
		{"GET", testHost + ":80", "/", 301, "https://" + testHost + "/"},
		{"HEAD", "WWW.Recipes.Test", "/login", 301, "https://www." + testHost + "/login"},
		{"POST", testHost, "/api/v1/recipes?x=%2F", 308, "https://" + testHost + "/api/v1/recipes?x=%2F"},
		{"DELETE", testHost, "/api/v1/recipes/1", 308, "https://" + testHost + "/api/v1/recipes/1"},
		// A forged Host never leads elsewhere.
		{"GET", "evil.example", "/x?y", 301, "https://" + testHost + "/x?y"},
	} {
		resp, _ := do(tc.method, tc.host, tc.target)
		if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.location {
			t.Errorf("%s %s%s: %d %q, want %d %q", tc.method, tc.host, tc.target, resp.StatusCode, resp.Header.Get("Location"), tc.status, tc.location)
		}
		if resp.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s %s: HSTS over plain HTTP", tc.method, tc.target)
		}
	}

	// A path that looks like a host is cleaned by the mux first and stays a
	// path on this host.
	if resp, _ := do("GET", testHost, "//evil.example/path"); strings.HasPrefix(resp.Header.Get("Location"), "//") ||
		strings.Contains(resp.Header.Get("Location"), "://evil.example") {
		t.Errorf("//evil.example/path redirected to %q", resp.Header.Get("Location"))
	}

	// The ACME challenge path is answered, not redirected, from the cache.
	resp, body := do("GET", testHost, "/.well-known/acme-challenge/tok-abc_123")
	if resp.StatusCode != 200 || body != "tok-abc_123.key-thumbprint" {
		t.Errorf("challenge: %d %q", resp.StatusCode, body)
	}
	if resp, _ := do("GET", testHost, "/.well-known/acme-challenge/unknown"); resp.StatusCode != 404 {
		t.Errorf("unknown challenge token: %d, want 404", resp.StatusCode)
	}
	if resp, _ := do("GET", "evil.example", "/.well-known/acme-challenge/tok-abc_123"); resp.StatusCode != 403 {
		t.Errorf("challenge for a host outside RECC_TLS_DOMAINS: %d, want 403", resp.StatusCode)
	}

	// Probes and `reccollection healthcheck` use plain HTTP.
	resp, body = do("GET", "10.0.0.5:8080", "/readyz")
	var ready struct{ Status string }
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &ready) != nil || ready.Status != "ready" {
		t.Errorf("/readyz on the HTTP listener: %d %s", resp.StatusCode, body)
	}
	if resp, _ := do("GET", testHost, "/healthz"); resp.StatusCode != 200 {
		t.Errorf("/healthz on the HTTP listener: %d", resp.StatusCode)
	}
}
