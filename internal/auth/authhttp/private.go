package authhttp

import (
	"net/http"

	"github.com/reccollection/reccollection/internal/httpx"
)

// HasCredentials reports whether r carries a session cookie or an
// Authorization header, valid or not. Such a request never gets an answer
// a shared cache may keep: even an expired cookie's answer clears it.
func HasCredentials(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		return true
	}
	c, err := r.Cookie(SessionCookie)
	return err == nil && c.Value != ""
}

// KeepPrivate makes every answer to a request with credentials and every
// answer that sets a cookie private, whatever the handler said: a shared
// cache (CDN) must never hand one person's page, token or session cookie
// to another. An answer that says nothing about caching is made private
// too, unless it is a 200 to an anonymous read, which is the same for
// every anonymous client (a public recipe's JSON) and stays as the handler
// left it; redirects, errors and the answers to writes are nobody's to
// share. The pages decide what is public (ui's setCaching); this is the
// rule no handler can get wrong, enforced when the headers go out.
func KeepPrivate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		read := r.Method == http.MethodGet || r.Method == http.MethodHead
		next.ServeHTTP(&privateWriter{ResponseWriter: w, credentials: HasCredentials(r), read: read}, r)
	})
}

type privateWriter struct {
	http.ResponseWriter
	credentials bool
	read        bool // GET or HEAD
	wrote       bool
}

func (p *privateWriter) seal(status int) {
	if p.wrote {
		return
	}
	p.wrote = true
	h := p.Header()
	unsaid := h.Get("Cache-Control") == "" && !(p.read && status == http.StatusOK)
	if p.credentials || len(h.Values("Set-Cookie")) > 0 || unsaid {
		h.Set("Cache-Control", httpx.Private(h.Get("Cache-Control")))
	}
}

func (p *privateWriter) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		p.seal(code)
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *privateWriter) Write(b []byte) (int, error) {
	p.seal(http.StatusOK)
	return p.ResponseWriter.Write(b)
}

// Flush keeps server-sent events streaming through the wrapper.
func (p *privateWriter) Flush() {
	p.seal(http.StatusOK)
	_ = http.NewResponseController(p.ResponseWriter).Flush() // a writer that cannot flush sends at the end
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (p *privateWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }
