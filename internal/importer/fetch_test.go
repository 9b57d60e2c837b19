package importer

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPageSendsBrowserHeadersAndFollowsRedirects(t *testing.T) {
	var got http.Header
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		case "/new":
			got = r.Header.Clone()
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<title>Soup</title>")
		}
	})
	page, err := privateFetcher(FetcherOptions{}).Page(context.Background(), srv.URL+"/old")
	if err != nil {
		t.Fatal(err)
	}
	if page.URL != srv.URL+"/new" || page.ContentType != "text/html" || string(page.Body) != "<title>Soup</title>" {
		t.Errorf("page = %q %q %q", page.URL, page.ContentType, page.Body)
	}
	if ua := got.Get("User-Agent"); !strings.Contains(ua, "Chrome/") || ua != DefaultUserAgent {
		t.Errorf("User-Agent = %q", ua)
	}
	if al := got.Get("Accept-Language"); al != "en-GB,en;q=0.9" {
		t.Errorf("Accept-Language = %q", al)
	}
	if a := got.Get("Accept"); !strings.HasPrefix(a, "text/html") {
		t.Errorf("Accept = %q", a)
	}
	if ae := got.Get("Accept-Encoding"); ae != "gzip" {
		t.Errorf("Accept-Encoding = %q; the transport should ask for gzip and decompress", ae)
	}
}

func TestPageUserAgentOption(t *testing.T) {
	var ua string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		ua = r.UserAgent()
		w.Header().Set("Content-Type", "text/html")
	})
	if _, err := privateFetcher(FetcherOptions{UserAgent: "Test/1"}).Page(context.Background(), srv.URL); err != nil {
		t.Fatal(err)
	}
	if ua != "Test/1" {
		t.Errorf("User-Agent = %q", ua)
	}
}

// /hop/N redirects to /hop/N+1 until N reaches stop.
func hops(t *testing.T, stop int) string {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		if n < stop {
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n+1), http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<p>hop %d</p>", n)
	})
	return srv.URL + "/hop/0"
}

func TestRedirectLimit(t *testing.T) {
	f := privateFetcher(FetcherOptions{})
	page, err := f.Page(context.Background(), hops(t, MaxRedirects))
	if err != nil {
		t.Fatalf("%d redirects: %v", MaxRedirects, err)
	}
	if !strings.HasSuffix(page.URL, fmt.Sprintf("/hop/%d", MaxRedirects)) {
		t.Errorf("final URL %s", page.URL)
	}
	if _, err := f.Page(context.Background(), hops(t, MaxRedirects+1)); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("%d redirects: %v, want ErrTooManyRedirects", MaxRedirects+1, err)
	}
	if _, err := f.Page(context.Background(), hops(t, 1000)); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("endless redirects: %v, want ErrTooManyRedirects", err)
	}
}

func TestPageSizeLimit(t *testing.T) {
	page := func(n int) []byte {
		b := bytes.Repeat([]byte("a"), n)
		copy(b, "<html><body>")
		return b
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Header().Set("Content-Type", "text/html")
		body := page(n)
		if r.URL.Query().Has("chunked") {
			// No Content-Length: the limit must hold while reading.
			w.Write(body[:10])
			w.(http.Flusher).Flush()
			w.Write(body[10:])
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.Write(body)
	})
	f := privateFetcher(FetcherOptions{})
	for _, mode := range []string{"", "&chunked"} {
		p, err := f.Page(context.Background(), fmt.Sprintf("%s/?n=%d%s", srv.URL, MaxPageBytes, mode))
		if err != nil || len(p.Body) != MaxPageBytes {
			t.Errorf("exactly the limit%s: %v", mode, err)
		}
		if _, err := f.Page(context.Background(), fmt.Sprintf("%s/?n=%d%s", srv.URL, MaxPageBytes+1, mode)); !errors.Is(err, ErrTooLarge) {
			t.Errorf("one byte over%s: %v, want ErrTooLarge", mode, err)
		}
	}
}

// A few kilobytes of gzip that inflate past the limit are refused after
// reading just past the limit, not inflated whole.
func TestGzipBombIsRefused(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("<html><body>"))
	zw.Write(make([]byte, MaxPageBytes+1<<20))
	zw.Close()
	if gz.Len() > 64<<10 {
		t.Fatalf("the bomb is %d bytes compressed; it should be small", gz.Len())
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Error("the request did not accept gzip")
		}
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	})
	if _, err := privateFetcher(FetcherOptions{}).Page(context.Background(), srv.URL); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Page = %v, want ErrTooLarge", err)
	}
}

func TestGzipPageIsDecompressed(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("<title>Bread</title>"))
	zw.Close()
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	})
	p, err := privateFetcher(FetcherOptions{}).Page(context.Background(), srv.URL)
	if err != nil || string(p.Body) != "<title>Bread</title>" {
		t.Errorf("Page = %q, %v", p.Body, err)
	}
}

func TestPageContentTypes(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		ct := r.URL.Query().Get("type")
		if ct == "none" {
			w.Header()["Content-Type"] = nil // no sniffing by the server either
		} else {
			w.Header().Set("Content-Type", ct)
		}
		fmt.Fprint(w, r.URL.Query().Get("body"))
	})
	f := privateFetcher(FetcherOptions{})
	for _, c := range []struct {
		ctype, body, want string
		err               error
	}{
		{"text/html", "<p>x", "text/html", nil},
		{"TEXT/HTML; charset=UTF-8", "<p>x", "text/html", nil},
		{"application/xhtml+xml", "<html/>", "application/xhtml+xml", nil},
		{"application/ld+json", `{"@type":"Recipe"}`, "application/ld+json", nil},
		{"application/json", `{"@type":"Recipe"}`, "application/json", nil},
		{"none", "<!DOCTYPE html><title>x</title>", "text/html", nil},
		{"none", "%PDF-1.7", "", ErrNotHTML},
		{"none", "just words", "", ErrNotHTML},
		{"application/pdf", "%PDF-1.7", "", ErrNotHTML},
		{"text/plain", "<p>x", "", ErrNotHTML},
		{"image/jpeg", "x", "", ErrNotHTML},
		{"application/octet-stream", "<p>x", "", ErrNotHTML},
		{"text/html-not", "<p>x", "", ErrNotHTML},
	} {
		raw := fmt.Sprintf("%s/?type=%s&body=%s", srv.URL, urlEscape(c.ctype), urlEscape(c.body))
		p, err := f.Page(context.Background(), raw)
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("%s %q: %v, want %v", c.ctype, c.body, err, c.err)
			}
			continue
		}
		if err != nil || p.ContentType != c.want {
			t.Errorf("%s %q: %v %v, want %s", c.ctype, c.body, p, err, c.want)
		}
	}
}

func TestStatuses(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.URL.Query().Get("code"))
		if v := r.URL.Query().Get("cf"); v != "" {
			w.Header().Set("cf-mitigated", v)
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(code)
		fmt.Fprint(w, r.URL.Query().Get("body"))
	})
	f := privateFetcher(FetcherOptions{})
	for _, c := range []struct {
		query string
		want  error
	}{
		{"code=200", nil},
		{"code=203", nil},
		{"code=401", ErrBlocked},
		{"code=403", ErrBlocked},
		{"code=429", ErrBlocked},
		{"code=451", ErrBlocked},
		{"code=503&cf=challenge", ErrBlocked},
		{"code=403&cf=challenge", ErrBlocked},
		{"code=503&body=" + urlEscape("<html><head><TITLE>Just a moment...</TITLE></head>"), ErrBlocked},
		{"code=503&body=down", ErrUpstream},
		{"code=404", ErrPageNotFound},
		{"code=410", ErrPageNotFound},
		{"code=500", ErrUpstream},
		{"code=502", ErrUpstream},
		{"code=400", ErrUpstream},
		{"code=304", ErrUpstream},
		{"code=300", ErrUpstream},
	} {
		_, err := f.Page(context.Background(), srv.URL+"/?"+c.query)
		if (c.want == nil && err != nil) || !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.query, err, c.want)
		}
	}
}

func TestUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/"
	l.Close()
	f := privateFetcher(FetcherOptions{})
	if _, err := f.Page(context.Background(), closed); !errors.Is(err, ErrUnreachable) {
		t.Errorf("a closed port: %v, want ErrUnreachable", err)
	}
	if _, err := f.Page(context.Background(), "https://no-such-host.example.com/"); !errors.Is(err, ErrUnreachable) {
		t.Errorf("an unknown name: %v, want ErrUnreachable", err)
	}
	// A plain-HTTP server spoken to in TLS: the handshake fails.
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {})
	if _, err := f.Page(context.Background(), strings.Replace(srv.URL, "http:", "https:", 1)); !errors.Is(err, ErrUnreachable) {
		t.Errorf("a failed TLS handshake: %v, want ErrUnreachable", err)
	}
}

// stall holds a handler until the client gives up or the test ends.
func stall(t *testing.T, r *http.Request) {
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	select {
	case <-r.Context().Done():
	case <-stop:
	}
}

func TestTimeouts(t *testing.T) {
	slowHeaders := serve(t, func(w http.ResponseWriter, r *http.Request) { stall(t, r) })
	slowBody := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<p>"))
		w.(http.Flusher).Flush()
		stall(t, r)
	})
	slowImage := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte("\xff\xd8\xff"))
		w.(http.Flusher).Flush()
		stall(t, r)
	})
	f := privateFetcher(FetcherOptions{HeaderTimeout: 100 * time.Millisecond, Timeout: 5 * time.Second})
	if _, err := f.Page(context.Background(), slowHeaders.URL); !errors.Is(err, ErrTimeout) {
		t.Errorf("no headers: %v, want ErrTimeout", err)
	}
	f = privateFetcher(FetcherOptions{Timeout: 200 * time.Millisecond})
	if _, err := f.Page(context.Background(), slowBody.URL); !errors.Is(err, ErrTimeout) {
		t.Errorf("a body that never ends: %v, want ErrTimeout", err)
	}
	if _, _, err := f.Image(context.Background(), slowImage.URL); !errors.Is(err, ErrTimeout) {
		t.Errorf("an image that never ends: %v, want ErrTimeout", err)
	}
	// The caller's deadline counts too.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := privateFetcher(FetcherOptions{}).Page(ctx, slowHeaders.URL); !errors.Is(err, ErrTimeout) {
		t.Errorf("the caller's deadline: %v, want ErrTimeout", err)
	}
}

func TestCharsetIsDecodedToUTF8(t *testing.T) {
	latin1 := func(s string) string {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r)) // every rune used here is below U+0100
		}
		return string(b)
	}
	longASCII := strings.Repeat("<!-- padding -->", 100) // past the 1024 bytes sniffed
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", r.URL.Query().Get("type"))
		if r.URL.Query().Has("pad") {
			fmt.Fprint(w, longASCII)
		}
		fmt.Fprint(w, r.URL.Query().Get("body"))
	})
	f := privateFetcher(FetcherOptions{})
	for _, c := range []struct{ name, ctype, body, want string }{
		{"header charset", "text/html; charset=ISO-8859-1",
			latin1("<title>Crème brûlée</title>"), "<title>Crème brûlée</title>"},
		{"meta charset", "text/html",
			latin1(`<meta charset="windows-1252"><title>Crème brûlée</title>`), `<meta charset="windows-1252"><title>Crème brûlée</title>`},
		{"http-equiv", "text/html",
			latin1(`<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>Jalapeño</p>`),
			`<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>Jalapeño</p>`},
		{"undeclared Latin-1", "text/html", latin1("<p>Café</p>"), "<p>Café</p>"},
		{"UTF-8 stays", "text/html; charset=utf-8", "<p>Café ½ cup</p>", "<p>Café ½ cup</p>"},
		{"undeclared UTF-8 after 1 KiB", "text/html", "<p>Café ½</p>", longASCII + "<p>Café ½</p>"},
		{"meta wrong, body UTF-8", "text/html", `<meta charset="iso-8859-1"><p>Café</p>`, `<meta charset="iso-8859-1"><p>Café</p>`},
		{"UTF-8 BOM dropped", "text/html", "\ufeff<p>Café</p>", "<p>Café</p>"},
		{"Shift_JIS", "text/html; charset=Shift_JIS", "\x8e\xf5\x8e\x69", "寿司"},
	} {
		raw := fmt.Sprintf("%s/?type=%s&body=%s", srv.URL, urlEscape(c.ctype), urlEscape(c.body))
		if strings.HasPrefix(c.want, longASCII) {
			raw += "&pad"
		}
		p, err := f.Page(context.Background(), raw)
		if err != nil || string(p.Body) != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, body(p), err, c.want)
		}
	}
}

func body(p *Page) []byte {
	if p == nil {
		return nil
	}
	return p.Body
}

func TestImage(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/photo.jpg":
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write([]byte("\xff\xd8\xff\xe0jpeg"))
		case "/untyped":
			w.Header()["Content-Type"] = nil
			w.Write(png)
		case "/untyped-text":
			w.Header()["Content-Type"] = nil
			w.Write([]byte("hello"))
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<p>no"))
		case "/svg":
			w.Header().Set("Content-Type", "image/svg+xml")
			w.Write([]byte("<svg/>"))
		case "/huge":
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(make([]byte, MaxImageBytes+1))
		case "/limit":
			w.Header().Set("Content-Type", "image/webp")
			w.Write(make([]byte, MaxImageBytes))
		case "/gone":
			w.WriteHeader(http.StatusNotFound)
		}
	})
	f := privateFetcher(FetcherOptions{})
	b, ct, err := f.Image(context.Background(), srv.URL+"/photo.jpg")
	if err != nil || ct != "image/jpeg" || string(b) != "\xff\xd8\xff\xe0jpeg" {
		t.Errorf("a JPEG: %q %q %v", b, ct, err)
	}
	if b, ct, err := f.Image(context.Background(), srv.URL+"/untyped"); err != nil || ct != "image/png" || !bytes.Equal(b, png) {
		t.Errorf("an untyped PNG: %q %v", ct, err)
	}
	if b, _, err := f.Image(context.Background(), srv.URL+"/limit"); err != nil || len(b) != MaxImageBytes {
		t.Errorf("exactly the limit: %d bytes, %v", len(b), err)
	}
	for path, want := range map[string]error{
		"/untyped-text": ErrNotHTML,
		"/page":         ErrNotHTML,
		"/svg":          ErrNotHTML,
		"/huge":         ErrTooLarge,
		"/gone":         ErrPageNotFound,
	} {
		if _, _, err := f.Image(context.Background(), srv.URL+path); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", path, err, want)
		}
	}
}

func urlEscape(s string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "+", "%2B", " ", "%20", "#", "%23", ";", "%3B", "=", "%3D", "?", "%3F").Replace(s)
}

// The connect, TLS and header timeouts are the transport's own; a connect
// that hangs cannot be provoked portably, so their wiring is checked here
// and the whole-fetch deadline is tested for real in TestTimeouts.
func TestTimeoutOptions(t *testing.T) {
	f := NewFetcher(FetcherOptions{})
	tr := f.client.Transport.(*http.Transport)
	if f.dialer.Timeout != DefaultConnectTimeout || tr.TLSHandshakeTimeout != DefaultTLSTimeout ||
		tr.ResponseHeaderTimeout != DefaultHeaderTimeout || f.opts.Timeout != DefaultTimeout {
		t.Errorf("defaults: connect %v, TLS %v, headers %v, total %v", f.dialer.Timeout, tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout, f.opts.Timeout)
	}
	f = NewFetcher(FetcherOptions{ConnectTimeout: time.Second, TLSTimeout: 2 * time.Second, HeaderTimeout: 3 * time.Second, Timeout: 4 * time.Second})
	tr = f.client.Transport.(*http.Transport)
	if f.dialer.Timeout != time.Second || tr.TLSHandshakeTimeout != 2*time.Second ||
		tr.ResponseHeaderTimeout != 3*time.Second || f.opts.Timeout != 4*time.Second {
		t.Errorf("options: connect %v, TLS %v, headers %v, total %v", f.dialer.Timeout, tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout, f.opts.Timeout)
	}
	if f.client.Timeout != 0 || f.client.Jar != nil {
		t.Error("the client should have no timeout of its own (the context bounds the fetch) and no cookie jar")
	}
}
