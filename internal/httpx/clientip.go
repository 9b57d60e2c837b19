package httpx

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// client is what ResolveClient decided about a request's origin.
type client struct {
	ip    string
	https bool
}

const clientKey ctxKey = 100

// ResolveClient decides once per request who the client is and whether it
// came over HTTPS, and records it for ClientIP and IsHTTPS. Forwarded
// headers are believed only when the TCP peer is in trusted (the load
// balancers, RECC_TRUSTED_PROXIES), because any client can send them:
//
//   - X-Forwarded-For is read from the right, each hop having been appended
//     by the proxy to its right; trusted proxy addresses are skipped and the
//     first address that is not trusted is the client. Anything further
//     left was written by the client and is ignored. When every hop is
//     trusted the leftmost is the client; an entry that is not an address
//     stops the walk at the proxy that wrote it.
//   - X-Forwarded-Proto: the rightmost value (set or appended by the
//     nearest trusted proxy), http or https.
//
// With trusted empty the peer address and r.TLS decide, whatever the
// headers say.
func ResolveClient(trusted []netip.Prefix, next http.Handler) http.Handler {
	trusts := func(a netip.Addr) bool {
		a = a.Unmap().WithZone("")
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := client{ip: peerIP(r), https: r.TLS != nil}
		if peer, err := netip.ParseAddr(c.ip); err == nil && len(trusted) > 0 && trusts(peer) {
			c.ip = forwardedFor(r.Header.Values("X-Forwarded-For"), peer, trusts).String()
			if p, ok := forwardedProto(r.Header.Values("X-Forwarded-Proto")); ok {
				c.https = p == "https"
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey, c)))
	})
}

// forwardedFor walks the X-Forwarded-For hops from the right (see
// ResolveClient). peer is trusted.
func forwardedFor(lines []string, peer netip.Addr, trusts func(netip.Addr) bool) netip.Addr {
	var hops []string
	for _, l := range lines {
		hops = append(hops, strings.Split(l, ",")...)
	}
	client := peer.Unmap().WithZone("")
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			return client // the trusted proxy that wrote this is the last we can vouch for
		}
		client = a
		if !trusts(a) {
			return a
		}
	}
	return client
}

// parseHop accepts "addr", "addr:port" and "[v6]:port" (some balancers add
// the port), and the RFC 7239 quoting some proxies copy over.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			return a.Unmap().WithZone(""), true
		}
	}
	return netip.Addr{}, false
}

func forwardedProto(lines []string) (string, bool) {
	if len(lines) == 0 {
		return "", false
	}
	last := lines[len(lines)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	switch p := strings.ToLower(strings.TrimSpace(last)); p {
	case "http", "https":
		return p, true
	}
	return "", false
}

func peerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return a.Unmap().WithZone("").String()
	}
	return host
}

// ClientIP is the address of the client that sent r: the one place that
// decides it, for sign-in throttles, rate limits and session records. It
// is what ResolveClient decided (forwarded headers from trusted proxies
// only), or the peer address for a request that did not pass through it.
func ClientIP(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey).(client); ok {
		return c.ip
	}
	return peerIP(r)
}

// IsHTTPS reports whether the client reached us over HTTPS: directly
// (r.TLS), or through a trusted proxy that says so in X-Forwarded-Proto.
func IsHTTPS(r *http.Request) bool {
	if c, ok := r.Context().Value(clientKey).(client); ok {
		return c.https
	}
	return r.TLS != nil
}
