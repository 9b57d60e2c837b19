package httpx

import (
	"net/http"
	"strings"
	"testing"
)

func TestETagMatches(t *testing.T) {
	const etag = `"abc123"`
	for header, want := range map[string]bool{
		`"abc123"`:                               true,
		`W/"abc123"`:                             true,
		`"x", "abc123"`:                          true,
		` "x" ,W/"abc123" `:                      true,
		`*`:                                      true,
		``:                                       false,
		`"abc12"`:                                false,
		`abc123`:                                 false,
		`"abc123x"`:                              false,
		`"ABC123"`:                               false,
		`W/"x", "y"`:                             false,
		`"abc123"garbage`:                        false,
		`W/W/"abc123"`:                           false,
		`"abc123", "abc123"`:                     true,
		`w/"abc123"`:                             false,
		`"abc123"` + strings.Repeat(`, "z"`, 50): true,
		`"abc123-gzip"`:                          true,
		`W/"abc123-gzip"`:                        true,
		`"abc123-gzip-gzip"`:                     false,
		`"abc123-br"`:                            false,
	} {
		if got := ETagMatches(header, etag); got != want {
			t.Errorf("ETagMatches(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestGzipETag(t *testing.T) {
	for in, want := range map[string]string{`"abc"`: `"abc-gzip"`, `W/"abc"`: `W/"abc-gzip"`, `"abc-gzip"`: `"abc-gzip"`, `abc`: `abc`} {
		if got := GzipETag(in); got != want {
			t.Errorf("GzipETag(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAddVary(t *testing.T) {
	h := http.Header{}
	h.Add("Vary", "Accept-Encoding")
	h.Add("Vary", "Origin, accept-encoding")
	AddVary(h, "Cookie", "cookie", "Accept-Language")
	if got := h.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding, Origin, Cookie, Accept-Language" {
		t.Errorf("Vary = %q, want one line naming each header once", got)
	}
}
