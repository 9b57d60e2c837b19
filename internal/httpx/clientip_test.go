package httpx

import (
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

type seen struct {
	IP    string `json:"ip"`
	HTTPS bool   `json:"https"`
	HSTS  string `json:"-"`
}

// clientServer runs ResolveClient with trusted in front of a handler that
// reports what ClientIP and IsHTTPS decided, on a real listener on
// 127.0.0.1 (the peer every request comes from). tlsOn serves HTTPS.
func clientServer(t *testing.T, trusted []string, hsts, tlsOn bool) *httptest.Server {
	t.Helper()
	var ps []netip.Prefix
	for _, s := range trusted {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	h := ResolveClient(ps, SecurityHeaders(SecurityOptions{HSTS: hsts}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(seen{IP: ClientIP(r), HTTPS: IsHTTPS(r)})
	})))
	var ts *httptest.Server
	if tlsOn {
		ts = httptest.NewTLSServer(h)
	} else {
		ts = httptest.NewServer(h)
	}
	t.Cleanup(ts.Close)
	return ts
}

func ask(t *testing.T, ts *httptest.Server, header http.Header) seen {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+"/", nil)
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s seen
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	s.HSTS = resp.Header.Get("Strict-Transport-Security")
	return s
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestClientIPIgnoresHeadersFromUntrustedPeers(t *testing.T) {
	for name, trusted := range map[string][]string{
		"no trusted proxies":     nil,
		"peer not in the ranges": {"10.0.0.0/8", "fd00::/8"},
	} {
		t.Run(name, func(t *testing.T) {
			ts := clientServer(t, trusted, true, false)
			for _, h := range []http.Header{
				nil,
				hdr("X-Forwarded-For", "203.0.113.7"),
				hdr("X-Forwarded-For", "203.0.113.7, 10.0.0.1", "X-Forwarded-Proto", "https"),
				hdr("X-Forwarded-For", "garbage", "X-Forwarded-For", "198.51.100.1"),
			} {
				got := ask(t, ts, h)
				if got.IP != "127.0.0.1" || got.HTTPS || got.HSTS != "" {
					t.Errorf("headers %v from untrusted 127.0.0.1: ip %q https %v hsts %q; want the peer, plain HTTP, no HSTS", h, got.IP, got.HTTPS, got.HSTS)
				}
			}
		})
	}
}

func TestClientIPFromTrustedProxies(t *testing.T) {
	// The test's listener is the "load balancer" 127.0.0.1; 10.0.0.0/8 are
	// further proxies inside the network.
	ts := clientServer(t, []string{"127.0.0.1/32", "10.0.0.0/8", "2001:db8:ffff::/48"}, true, false)
	for _, tc := range []struct {
		name  string
		h     http.Header
		ip    string
		https bool
	}{
		{"no header: the proxy itself", nil, "127.0.0.1", false},
		{"one hop", hdr("X-Forwarded-For", "203.0.113.7"), "203.0.113.7", false},
		{"proto https", hdr("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https"), "203.0.113.7", true},
		{"proto upper case", hdr("X-Forwarded-Proto", "HTTPS"), "127.0.0.1", true},
		{"proto http", hdr("X-Forwarded-Proto", "http"), "127.0.0.1", false},
		{"proto nonsense", hdr("X-Forwarded-Proto", "gopher"), "127.0.0.1", false},
		{"proto: the nearest proxy's value wins", hdr("X-Forwarded-Proto", "https, http"), "127.0.0.1", false},
		{"client spoofs a left entry", hdr("X-Forwarded-For", "1.2.3.4, 203.0.113.7"), "203.0.113.7", false},
		{"chain of trusted proxies", hdr("X-Forwarded-For", "1.2.3.4, 203.0.113.7, 10.1.1.1, 10.2.2.2"), "203.0.113.7", false},
		{"chain over several header lines", hdr("X-Forwarded-For", "1.2.3.4, 203.0.113.7", "X-Forwarded-For", "10.1.1.1"), "203.0.113.7", false},
		{"every hop trusted: leftmost", hdr("X-Forwarded-For", "10.9.9.9, 10.1.1.1"), "10.9.9.9", false},
		{"IPv6 client", hdr("X-Forwarded-For", "2001:db8::42, 2001:db8:ffff::1"), "2001:db8::42", false},
		{"ports and brackets", hdr("X-Forwarded-For", "[2001:db8::42]:5555, 10.1.1.1:443"), "2001:db8::42", false},
		{"IPv4-mapped IPv6", hdr("X-Forwarded-For", "::ffff:203.0.113.9"), "203.0.113.9", false},
		{"garbage written by a trusted proxy stops the walk", hdr("X-Forwarded-For", "203.0.113.7, unknown, 10.1.1.1"), "10.1.1.1", false},
		{"garbage at the right end: the peer", hdr("X-Forwarded-For", "203.0.113.7, not-an-ip"), "127.0.0.1", false},
	} {
		got := ask(t, ts, tc.h)
		if got.IP != tc.ip || got.HTTPS != tc.https {
			t.Errorf("%s (%v): ip %q https %v; want %q %v", tc.name, tc.h, got.IP, got.HTTPS, tc.ip, tc.https)
		}
	}
}

func TestHSTS(t *testing.T) {
	// Directly over TLS.
	got := ask(t, clientServer(t, nil, true, true), nil)
	if !got.HTTPS || got.HSTS != "max-age=31536000; includeSubDomains" {
		t.Errorf("over TLS: https %v, Strict-Transport-Security %q", got.HTTPS, got.HSTS)
	}
	// A forged X-Forwarded-Proto over TLS does not turn it off either:
	// the peer is not trusted.
	if got := ask(t, clientServer(t, nil, true, true), hdr("X-Forwarded-Proto", "http")); got.HSTS == "" {
		t.Error("untrusted X-Forwarded-Proto: http removed HSTS over TLS")
	}
	// Development: never.
	if got := ask(t, clientServer(t, nil, false, true), nil); got.HSTS != "" {
		t.Errorf("development over TLS sent HSTS %q", got.HSTS)
	}
	// Plain HTTP: never, even with a forged proto.
	if got := ask(t, clientServer(t, nil, true, false), hdr("X-Forwarded-Proto", "https")); got.HSTS != "" {
		t.Errorf("plain HTTP with untrusted X-Forwarded-Proto sent HSTS %q", got.HSTS)
	}
	// Behind a trusted proxy that terminated TLS.
	behind := clientServer(t, []string{"127.0.0.0/8"}, true, false)
	if got := ask(t, behind, hdr("X-Forwarded-Proto", "https")); got.HSTS != HSTSValue {
		t.Errorf("trusted proxy, proto https: HSTS %q", got.HSTS)
	}
	if got := ask(t, behind, hdr("X-Forwarded-Proto", "http")); got.HSTS != "" {
		t.Errorf("trusted proxy, proto http: HSTS %q", got.HSTS)
	}
}

// Without ResolveClient in the chain (handler tests), ClientIP is the peer
// and IsHTTPS follows r.TLS.
func TestClientIPWithoutMiddleware(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "[::ffff:192.0.2.5]:4321"
	r.Header.Set("X-Forwarded-For", "1.2.3.4")
	r.Header.Set("X-Forwarded-Proto", "https")
	if ip := ClientIP(r); ip != "192.0.2.5" || IsHTTPS(r) {
		t.Errorf("ClientIP %q IsHTTPS %v", ip, IsHTTPS(r))
	}
	r.TLS = &tls.ConnectionState{}
	if !IsHTTPS(r) {
		t.Error("IsHTTPS false with r.TLS set")
	}
	r.RemoteAddr = "not-an-address"
	if ip := ClientIP(r); ip != "not-an-address" {
		t.Errorf("ClientIP = %q", ip)
	}
}
