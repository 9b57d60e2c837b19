package httpx

import (
	"net/http"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// compressible lists the content types worth compressing; images and
// already-compressed formats are left alone.
var compressible = []string{"text/", "application/json", "application/problem+json", "application/javascript", "image/svg+xml"}

// gzipMinSize: below this, the gzip header costs more than it saves.
const gzipMinSize = 1024

// gzipLevel is BestSpeed (1), nginx's default too. Answers are small and
// made afresh for each request, so the level's fixed cost counts most:
// resetting a level-6 compressor clears about 640 kB of match tables
// per answer, while level 1 only moves an offset. BenchmarkGzip measures
// about 60 % of level 6's CPU time per answer; on a real API recipe
// (2 kB), recipe page (10 kB) and browse page (46 kB) level 1 sends
// 10-13 % more bytes (1 040 B instead of 931, 3 126 instead of 2 815,
// 6 885 instead of 6 065). Static assets are compressed
// once at BestCompression (ui/assets.go) and pass through untouched.
//
// The compressor is klauspost/compress's, a drop-in for compress/gzip
// (already a dependency of the S3 client): at the same level and within
// 1 % of its output size it takes 35-40 % less CPU (BenchmarkGzip: a
// 31 kB page 67 → 44 µs, a 1 kB answer 10.4 → 6.8 µs), and gzip is
// a quarter of the CPU of an API list answer.
const gzipLevel = gzip.BestSpeed

var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzipLevel)
	return w
}}

// Gzip compresses compressible responses for clients that accept gzip.
// The decision is made at the first write, from the Content-Type the
// handler set; responses that already carry a Content-Encoding (such as
// pre-compressed assets) pass through untouched.
func Gzip(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		AddVary(w.Header(), "Accept-Encoding")
		if !AcceptsGzip(r) || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w, ifNoneMatch: r.Header.Get("If-None-Match")}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

// AcceptsGzip says whether the client takes a gzip-encoded answer.
func AcceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

type gzipWriter struct {
	http.ResponseWriter
	gz      *gzip.Writer
	decided bool
	status  int
	pending []byte
	// ifNoneMatch is the request's, so that a 304 names the encoding
	// the client holds.
	ifNoneMatch string
}

func (g *gzipWriter) WriteHeader(code int) {
	if g.status == 0 {
		g.status = code
	}
	// Bodiless and not-modified answers are sent as they are.
	if code < 200 || code == http.StatusNoContent || code == http.StatusNotModified {
		if code == http.StatusNotModified {
			g.tagNotModified()
		}
		g.decided = true
		g.ResponseWriter.WriteHeader(code)
	}
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if g.status == 0 {
		g.status = http.StatusOK
	}
	if g.decided {
		if g.gz != nil {
			return g.gz.Write(b)
		}
		return g.ResponseWriter.Write(b)
	}
	// Hold back small beginnings until we know the body is worth it.
	g.pending = append(g.pending, b...)
	if len(g.pending) < gzipMinSize {
		return len(b), nil
	}
	if err := g.decide(); err != nil {
		return 0, err
	}
	return len(b), nil
}

// tagNotModified gives a 304 the gzip encoding's tag when that is the one
// the client revalidates: a cache that stored the gzip answer must find
// its own tag in the 304 to freshen it.
func (g *gzipWriter) tagNotModified() {
	h := g.ResponseWriter.Header()
	etag := h.Get("ETag")
	if etag == "" {
		return
	}
	gz := GzipETag(etag)
	for _, c := range strings.Split(g.ifNoneMatch, ",") {
		if strings.TrimPrefix(strings.TrimSpace(c), "W/") == gz {
			h.Set("ETag", gz)
			return
		}
	}
}

func (g *gzipWriter) decide() error {
	g.decided = true
	h := g.ResponseWriter.Header()
	if len(g.pending) >= gzipMinSize && h.Get("Content-Encoding") == "" && isCompressible(h.Get("Content-Type")) {
		h.Del("Content-Length")
		h.Set("Content-Encoding", "gzip")
		if etag := h.Get("ETag"); etag != "" {
			h.Set("ETag", GzipETag(etag))
		}
		g.gz = gzipPool.Get().(*gzip.Writer)
		g.gz.Reset(g.ResponseWriter)
	}
	g.ResponseWriter.WriteHeader(g.status)
	p := g.pending
	g.pending = nil
	if g.gz != nil {
		_, err := g.gz.Write(p)
		return err
	}
	_, err := g.ResponseWriter.Write(p)
	return err
}

func (g *gzipWriter) close() {
	if !g.decided && g.status != 0 {
		_ = g.decide()
	}
	if g.gz != nil {
		_ = g.gz.Close()
		gzipPool.Put(g.gz)
		g.gz = nil
	}
}

// Flush sends what is buffered (for streamed responses).
func (g *gzipWriter) Flush() {
	if !g.decided && g.status != 0 {
		_ = g.decide()
	}
	if g.gz != nil {
		_ = g.gz.Flush()
	}
	// Through any wrappers outside this one (the access log's, the
	// security headers'): a type assertion would stop at the first.
	_ = http.NewResponseController(g.ResponseWriter).Flush()
}

func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

func isCompressible(ct string) bool {
	for _, p := range compressible {
		if strings.HasPrefix(ct, p) {
			return true
		}
	}
	return false
}
