package httpx

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"
)

// processCPU is the user and system time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// gzipBodies are answers the size of the common ones: an API recipe
// (about 2 kB of JSON) and a recipe page (about 40 kB of HTML).
func gzipBodies() map[string]struct {
	contentType string
	body        []byte
} {
	var js, page bytes.Buffer
	js.WriteString(`{"id":"01a24988-0c18-7cd7-88de-750bccb12acc","title":"Smoky chicken tacos","ingredients":[`)
	for i := range 24 {
		fmt.Fprintf(&js, `{"quantity":%d,"unit":"g","name":"ingredient number %d, chopped"},`, i*25, i)
	}
	js.WriteString(`{}]}`)
	page.WriteString("<!doctype html><html lang=\"en\"><head><title>Smoky chicken tacos</title></head><body><main>")
	for i := range 300 {
		fmt.Fprintf(&page, "<li class=\"ingredient\" data-index=\"%d\"><span class=\"qty\">%d g</span> ingredient %d, finely chopped</li>\n", i, i*5, i)
	}
	page.WriteString("</main></body></html>")
	return map[string]struct {
		contentType string
		body        []byte
	}{
		"json-" + fmt.Sprint(js.Len()/1024) + "kB":   {"application/json", js.Bytes()},
		"html-" + fmt.Sprint(page.Len()/1024) + "kB": {"text/html; charset=utf-8", page.Bytes()},
	}
}

// BenchmarkGzip is the CPU the compression middleware adds to one answer,
// and (as a metric) how much of the body it keeps.
func BenchmarkGzip(b *testing.B) {
	for name, tc := range gzipBodies() {
		h := Gzip(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tc.contentType)
			_, _ = w.Write(tc.body)
		}))
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			var size int
			b.ReportAllocs()
			cpu0 := processCPU()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				size = rec.Body.Len()
			}
			// CPU time rather than wall time: on a shared machine the
			// benchmark waits for a core, which wall time counts.
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(size)/float64(len(tc.body)), "ratio")
		})
	}
}

func TestGzipBenchBodiesRoundTrip(t *testing.T) {
	for name, tc := range gzipBodies() {
		h := Gzip(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tc.contentType)
			_, _ = w.Write(tc.body)
		}))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: not compressed", name)
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, tc.body) {
			t.Fatalf("%s: round trip lost the body (err %v)", name, err)
		}
	}
}
