package httpx

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func serve(t *testing.T, h http.Handler) (*httptest.Server, *bytes.Buffer) {
	t.Helper()
	logs := &bytes.Buffer{}
	mux := http.NewServeMux()
	Route(mux, "GET /items/{id}", h)
	ts := httptest.NewServer(Observe(slog.New(slog.NewJSONHandler(logs, nil)), mux))
	t.Cleanup(ts.Close)
	return ts, logs
}

func decodeProblem(t *testing.T, resp *http.Response) Problem {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json", ct)
	}
	var p Problem
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPanicBecomesProblemWithRequestID(t *testing.T) {
	ts, logs := serve(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	resp, err := http.Get(ts.URL + "/items/7")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 500 {
		t.Fatalf("status %d, want 500", resp.StatusCode)
	}
	p := decodeProblem(t, resp)
	id := resp.Header.Get("X-Request-Id")
	if id == "" || p.RequestID != id || p.Status != 500 || strings.Contains(p.Detail, "boom") {
		t.Errorf("problem %+v, header id %q: want the request id and no panic text", p, id)
	}
	if !strings.Contains(logs.String(), `"panic":"boom"`) || !strings.Contains(logs.String(), `"stack"`) {
		t.Errorf("panic not logged with its stack:\n%s", logs)
	}
}

func TestRequestLogLine(t *testing.T) {
	ts, logs := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SetLogUser(r.Context(), "user-42")
		w.WriteHeader(http.StatusTeapot)
	}))
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/items/99", nil)
	req.Header.Set("X-Request-Id", "lb-abc-123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Request-Id") != "lb-abc-123" {
		t.Errorf("a plain upstream request id should be kept, got %q", resp.Header.Get("X-Request-Id"))
	}
	var line map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if strings.Contains(l, `"msg":"request"`) {
			_ = json.Unmarshal([]byte(l), &line)
		}
	}
	want := map[string]any{"request_id": "lb-abc-123", "method": "GET", "route": "GET /items/{id}", "status": float64(418), "user_id": "user-42"}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("log %s = %v, want %v (line %v)", k, line[k], v, line)
		}
	}
	if _, ok := line["duration"]; !ok {
		t.Errorf("log line has no duration: %v", line)
	}
}

func TestForgedRequestIDReplaced(t *testing.T) {
	ts, _ := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, bad := range []string{"has space", strings.Repeat("a", 65), "quote\"d", "<script>"} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/items/1", nil)
		req.Header["X-Request-Id"] = []string{bad}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Request-Id"); got == bad || len(got) != 16 {
			t.Errorf("request id %q was echoed as %q; want a fresh 16-hex id", bad, got)
		}
	}
}

type sample struct {
	Name  string   `json:"name"`
	Count *int     `json:"count"`
	Items []shaped `json:"items"`
}

type shaped struct{ v string }

type shapedObject struct {
	Label string `json:"label"`
}

func (shaped) ObjectShape() any { return shapedObject{} }

func (s *shaped) UnmarshalJSON(b []byte) error { s.v = string(b); return nil }

func decode(t *testing.T, contentType, body string) *Problem {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	var dst sample
	return DecodeJSON(r, &dst)
}

func TestDecodeJSON(t *testing.T) {
	cases := []struct {
		name, ct, body string
		status         int
		fields         []string
	}{
		{"ok", "application/json", `{"name":"a","count":1,"items":["x",{"label":"y"}]}`, 0, nil},
		{"ok without content type", "", `{"name":"a"}`, 0, nil},
		{"vendor json", "application/merge-patch+json", `{"name":"a"}`, 0, nil},
		{"wrong media type", "text/plain", `{"name":"a"}`, 415, nil},
		{"empty", "application/json", "  ", 400, nil},
		{"malformed", "application/json", `{"name":`, 400, nil},
		{"trailing garbage", "application/json", `{"name":"a"} {}`, 400, nil},
		{"array", "application/json", `[1,2]`, 400, nil},
		{"string", "application/json", `"x"`, 400, nil},
		{"invalid utf-8", "application/json", "{\"name\":\"\xff\xfe\"}", 400, nil},
		{"wrong type", "application/json", `{"count":"ten"}`, 400, []string{"count"}},
		{"unknown fields everywhere", "application/json", `{"nme":"a","extra":1,"items":[{"label":"x","colour":"red"},"ok"]}`, 422,
			[]string{"extra", "items[0].colour", "nme"}},
		{"too large", "application/json", `{"name":"` + strings.Repeat("x", MaxBody) + `"}`, 413, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := decode(t, c.ct, c.body)
			if c.status == 0 {
				if p != nil {
					t.Fatalf("unexpected problem %+v", p)
				}
				return
			}
			if p == nil || p.Status != c.status {
				t.Fatalf("got %+v, want status %d", p, c.status)
			}
			var got []string
			for _, e := range p.Errors {
				got = append(got, e.Field)
			}
			if c.fields != nil && strings.Join(got, ",") != strings.Join(c.fields, ",") {
				t.Errorf("fields %v, want %v", got, c.fields)
			}
		})
	}
}

func TestDecodeJSONReadsAtMostTheLimit(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader(`{"name":"`), infinite{}))
	r.ContentLength = -1
	var dst sample
	if p := DecodeJSON(r, &dst); p == nil || p.Status != 413 {
		t.Fatalf("endless body: %+v, want 413", p)
	}
}

type infinite struct{}

func (infinite) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestJSONPath(t *testing.T) {
	for in, want := range map[string]string{"title": "title", "ingredients.2.name": "ingredients[2].name", "tags.0": "tags[0]"} {
		if got := jsonPath(in); got != want {
			t.Errorf("jsonPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGzip(t *testing.T) {
	big := strings.Repeat("recipe ", 500)
	h := Gzip(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("ETag", `"abc"`)
			io.WriteString(w, big)
		case "/small":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "tiny")
		case "/png":
			w.Header().Set("Content-Type", "image/png")
			io.WriteString(w, big)
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	ts := httptest.NewServer(h)
	defer ts.Close()
	get := func(path string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := get("/html")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("ETag") != `"abc-gzip"` {
		t.Fatalf("html: encoding %q etag %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("ETag"))
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	resp.Body.Close()
	if string(body) != big {
		t.Errorf("decompressed body differs (%d bytes, want %d)", len(body), len(big))
	}
	for _, path := range []string{"/small", "/png", "/empty"} {
		resp := get(path)
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s was compressed", path)
		}
	}
}

func TestPanicInABrowserGetsAnHTMLPage(t *testing.T) {
	ts, _ := serve(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/items/7", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 500 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(body), resp.Header.Get("X-Request-Id")) {
		t.Errorf("status %d, type %q, body %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
