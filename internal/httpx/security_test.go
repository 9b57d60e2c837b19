package httpx

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestContentSecurityPolicy(t *testing.T) {
	for base, want := range map[string]string{
		"":                             "script-src 'self';",
		"https://cdn.example.com/recc": "script-src 'self' https://cdn.example.com;",
		"http://localhost:9000":        "script-src 'self' http://localhost:9000;",
		"not a url":                    "script-src 'self';",
	} {
		if got := ContentSecurityPolicy(base, ""); !strings.Contains(got, want) || strings.Contains(got, "unsafe") {
			t.Errorf("ContentSecurityPolicy(%q) = %q, want it to contain %q", base, got, want)
		}
	}
}

// The last-resort 500 page cannot use the site's stylesheet, so it gets a
// policy of its own that allows exactly its inline style, by hash.
func TestErrorPageStyleAllowedByHash(t *testing.T) {
	h := Observe(slog.New(slog.NewTextHandler(io.Discard, nil)),
		SecurityHeaders(SecurityOptions{}, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })))
	ts := httptest.NewServer(h)
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/recipes", nil)
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 500 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindSubmatch(body)
	if style == nil {
		t.Fatalf("no style in the error page")
	}
	sum := sha256.Sum256(style[1])
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") ||
		!strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
		t.Errorf("error page CSP %q does not allow exactly its style", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("error page lost the other security headers")
	}
}

// Photos from the media CDN may be shown, but its origin gains no script
// or style rights.
func TestContentSecurityPolicyMediaOrigin(t *testing.T) {
	got := ContentSecurityPolicy("", "https://photos.example.com/x")
	if !strings.Contains(got, "img-src 'self' https://photos.example.com data:") {
		t.Errorf("img-src does not allow the media origin: %q", got)
	}
	if strings.Contains(strings.Split(got, "img-src")[0], "photos.example.com") {
		t.Errorf("the media origin got more than images: %q", got)
	}
}
