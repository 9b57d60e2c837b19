package media_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/media"
)

// failingStat is a store whose service is down.
type failingStat struct{ media.Store }

func (failingStat) Stat(context.Context, string) (media.Object, error) {
	return media.Object{}, errors.New("connection refused")
}

func TestServeBlob(t *testing.T) {
	t.Parallel()
	body := "0123456789abcdefghijklmnopqrstuvwxyz"
	forEachStore(t, func(t *testing.T, s subject) {
		put(t, s.store, "photos/ab/cd.jpg", body)
		put(t, s.store, "notes/plain", body)
		mux := http.NewServeMux()
		mux.HandleFunc("/public/{key...}", func(w http.ResponseWriter, r *http.Request) {
			media.ServeBlob(w, r, s.store, r.PathValue("key"), media.ServeOptions{})
		})
		mux.HandleFunc("/private/{key...}", func(w http.ResponseWriter, r *http.Request) {
			media.ServeBlob(w, r, s.store, r.PathValue("key"), media.ServeOptions{Private: true, ContentType: "image/webp", ETag: "sha-abc"})
		})
		mux.HandleFunc("/down/{key...}", func(w http.ResponseWriter, r *http.Request) {
			media.ServeBlob(w, r, failingStat{s.store}, r.PathValue("key"), media.ServeOptions{})
		})
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		do := func(method, path string, hdr ...string) (*http.Response, string) {
			t.Helper()
			req, _ := http.NewRequest(method, srv.URL+path, nil)
			for i := 0; i < len(hdr); i += 2 {
				req.Header.Set(hdr[i], hdr[i+1])
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}

		resp, got := do("GET", "/public/photos/ab/cd.jpg")
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != 200 || got != body || resp.Header.Get("Content-Type") != "image/jpeg" ||
			resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, `W/`) || len(etag) < 10 {
			t.Fatalf("GET: %d %q %v", resp.StatusCode, got, resp.Header)
		}
		if again, _ := do("GET", "/public/photos/ab/cd.jpg"); again.Header.Get("ETag") != etag {
			t.Errorf("the ETag changed between two GETs: %q, %q", etag, again.Header.Get("ETag"))
		}
		if resp, _ := do("GET", "/public/notes/plain"); resp.Header.Get("Content-Type") != "application/octet-stream" {
			t.Errorf("no extension: Content-Type %q", resp.Header.Get("Content-Type"))
		}
		if resp, got := do("GET", "/public/photos/ab/cd.jpg", "If-None-Match", etag); resp.StatusCode != 304 || got != "" {
			t.Errorf("If-None-Match: %d %q", resp.StatusCode, got)
		}
		if resp, got := do("GET", "/public/photos/ab/cd.jpg", "If-None-Match", `"other"`); resp.StatusCode != 200 || got != body {
			t.Errorf("other ETag: %d %q", resp.StatusCode, got)
		}
		for rng, want := range map[string]string{"bytes=0-9": body[:10], "bytes=20-25": body[20:26], "bytes=-4": body[len(body)-4:]} {
			resp, got := do("GET", "/public/photos/ab/cd.jpg", "Range", rng)
			if resp.StatusCode != 206 || got != want || resp.Header.Get("Content-Length") != strconv.Itoa(len(want)) {
				t.Errorf("Range %s: %d %q, want %q", rng, resp.StatusCode, got, want)
			}
		}
		if resp, _ := do("GET", "/public/photos/ab/cd.jpg", "Range", "bytes=1000-"); resp.StatusCode != 416 {
			t.Errorf("unsatisfiable range: %d", resp.StatusCode)
		}
		if resp, got := do("HEAD", "/public/photos/ab/cd.jpg"); resp.StatusCode != 200 || got != "" || resp.ContentLength != int64(len(body)) {
			t.Errorf("HEAD: %d %q length %d", resp.StatusCode, got, resp.ContentLength)
		}
		resp, got = do("GET", "/private/photos/ab/cd.jpg")
		if resp.StatusCode != 200 || got != body || resp.Header.Get("Cache-Control") != "private, max-age=31536000, immutable" ||
			resp.Header.Get("Content-Type") != "image/webp" || resp.Header.Get("ETag") != `"sha-abc"` {
			t.Errorf("private: %d %v", resp.StatusCode, resp.Header)
		}
		for _, p := range []string{"/public/photos/ab/missing.jpg", "/public/photos/ab", "/public/.health/x", "/public/a//b", "/public/%00"} {
			if resp, _ := do("GET", p); resp.StatusCode != 404 || resp.Header.Get("Cache-Control") != "" {
				t.Errorf("%s: %d, Cache-Control %q; want 404 uncached", p, resp.StatusCode, resp.Header.Get("Cache-Control"))
			}
		}
		if resp, _ := do("GET", "/down/photos/ab/cd.jpg"); resp.StatusCode != 503 {
			t.Errorf("storage down: %d, want 503", resp.StatusCode)
		}
	})
}
