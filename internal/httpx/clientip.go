package httpx

import (
	"net"
	"net/http"
)

// ClientIP is the address of the client that sent r: the one place that
// decides it, for sign-in throttles, rate limits and session records. It
// is the peer address; forwarded headers (X-Forwarded-For) are not
// believed until trusted proxies are configured, because any client can
// send them.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
