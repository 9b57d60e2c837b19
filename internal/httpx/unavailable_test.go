package httpx

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// The outage answer: 503 and Retry-After either way, a problem for API
// clients, and for browsers a page whose own style the CSP allows (the
// page cannot rely on the stylesheet being served).
func TestWriteUnavailable(t *testing.T) {
	ts := httptest.NewServer(SecurityHeaders(SecurityOptions{}, http.HandlerFunc(WriteUnavailable)))
	defer ts.Close()
	for _, accept := range []string{"application/json", "text/html"} {
		req, _ := http.NewRequest("GET", ts.URL+"/recipes", nil)
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "5" {
			t.Errorf("%s: %d, Retry-After %q; want 503 and 5", accept, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if accept == "application/json" {
			var p Problem
			if resp.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal(body, &p) != nil || p.Status != 503 {
				t.Errorf("API answer %q: %s", resp.Header.Get("Content-Type"), body)
			}
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "Back in a moment") {
			t.Errorf("page answer %q: %s", resp.Header.Get("Content-Type"), body)
		}
		style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindSubmatch(body)
		if style == nil {
			t.Fatal("no style in the outage page")
		}
		sum := sha256.Sum256(style[1])
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
			t.Errorf("outage page CSP %q does not allow its style", csp)
		}
	}
}
