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

// KeepPrivate makes every answer to a request with credentials, every
// answer that sets a cookie, and every answer that says nothing about
// caching private, whatever the handler said: a shared cache (CDN) must
// never hand one person's page, token or session cookie to another, nor
// guess that an answer is anyone's. The pages decide what is public (ui's
// setCaching); this is the rule no handler can get wrong, enforced at the
// moment the headers go out.
func KeepPrivate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&privateWriter{ResponseWriter: w, credentials: HasCredentials(r)}, r)
	})
}

type privateWriter struct {
	http.ResponseWriter
	credentials bool
	wrote       bool
}

func (p *privateWriter) seal() {
	if p.wrote {
		return
	}
	p.wrote = true
	h := p.Header()
	if p.credentials || len(h.Values("Set-Cookie")) > 0 || h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", httpx.Private(h.Get("Cache-Control")))
	}
}

func (p *privateWriter) WriteHeader(code int) {
	p.seal()
	p.ResponseWriter.WriteHeader(code)
}

func (p *privateWriter) Write(b []byte) (int, error) {
	p.seal()
	return p.ResponseWriter.Write(b)
}

// Flush keeps server-sent events streaming through the wrapper.
func (p *privateWriter) Flush() {
	p.seal()
	_ = http.NewResponseController(p.ResponseWriter).Flush() // a writer that cannot flush sends at the end
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (p *privateWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }
