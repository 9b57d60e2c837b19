package sharing

import (
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/validate"
)

func TestAddressTakesOneBareAddress(t *testing.T) {
	for _, ok := range []string{"friend@example.com", " friend@example.com ", "a.b+c@mail.example.org"} {
		var errs validate.Errors
		if got := Address(&errs, "to", ok); len(errs) != 0 || got != strings.TrimSpace(ok) {
			t.Errorf("%q: %q, %v", ok, got, errs)
		}
	}
	for _, bad := range []string{"", "friend", "friend@localhost", "Friend <friend@example.com>", "friend@example.com\r\nBcc: x@example.com",
		"friend@example.com\nBcc: x@example.com", "a@example.com, b@example.com", "a@example.com;b@example.com", "(c) a@example.com",
		"a b@example.com", "\"a\"@example.com", "a@example.com\x00", strings.Repeat("a", 250) + "@example.com"} {
		var errs validate.Errors
		if got := Address(&errs, "to", bad); len(errs) != 1 || errs[0].Field != "to" || got != "" {
			t.Errorf("%q accepted as %q (%v)", bad, got, errs)
		}
	}
}

func TestMessageLimits(t *testing.T) {
	var errs validate.Errors
	if got := Message(&errs, "message", "  Line one\r\nLine two\r  "); got != "Line one\nLine two" || len(errs) != 0 {
		t.Errorf("line breaks: %q, %v", got, errs)
	}
	for _, bad := range []string{strings.Repeat("é", MaxMessage+1), "bell\a", "nul\x00"} {
		var errs validate.Errors
		Message(&errs, "message", bad)
		if len(errs) != 1 {
			t.Errorf("%.20q: %v", bad, errs)
		}
	}
	errs = nil
	Message(&errs, "message", strings.Repeat("é", MaxMessage))
	if len(errs) != 0 {
		t.Errorf("a message of exactly %d characters: %v", MaxMessage, errs)
	}
}

func TestExpiryFor(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 30, 0, 0, time.UTC)
	cases := []struct {
		choice, date string
		want         *time.Time
		bad          string
	}{
		{"", "", nil, ""},
		{"never", "", nil, ""},
		{"7d", "", ptr(now.Add(7 * 24 * time.Hour)), ""},
		{"365d", "", ptr(now.Add(365 * 24 * time.Hour)), ""},
		{"", "2026-12-24", ptr(time.Date(2026, 12, 24, 23, 59, 59, 0, time.UTC)), ""},
		{"never", "2026-12-24", ptr(time.Date(2026, 12, 24, 23, 59, 59, 0, time.UTC)), ""},
		{"", "2026-12-07T08:00:00+02:00", ptr(time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)), ""},
		{"", "2026-12-05", nil, "expires_at"},
		{"", "2028-01-01", nil, "expires_at"},
		{"", "24/12/2026", nil, "expires_at"},
		{"7d", "2026-12-24", nil, "expires_at"},
		{"2w", "", nil, "expires"},
	}
	for _, c := range cases {
		var errs validate.Errors
		got := ExpiryFor(&errs, "expires", c.choice, "expires_at", c.date, now)
		switch {
		case c.bad != "" && (len(errs) != 1 || errs[0].Field != c.bad):
			t.Errorf("%q/%q: errors %v, want one on %s", c.choice, c.date, errs, c.bad)
		case c.bad == "" && len(errs) != 0:
			t.Errorf("%q/%q: %v", c.choice, c.date, errs)
		case (got == nil) != (c.want == nil) || (got != nil && !got.Equal(*c.want)):
			t.Errorf("%q/%q: %v, want %v", c.choice, c.date, got, c.want)
		}
	}
}

func TestShowPhotosOnlyForPrivateRecipes(t *testing.T) {
	photo := func() *recipe.Photo {
		return &recipe.Photo{URL: "/media/a.jpg", Variants: []recipe.PhotoVariant{{URL: "/media/a.jpg"}, {URL: "/media/a.webp"}}}
	}
	priv := &recipe.Recipe{Summary: recipe.Summary{Visibility: recipe.Private, Photo: photo()}, Photos: []recipe.Photo{*photo()}}
	ShowPhotos(priv, "tok")
	if priv.Photo.URL != "/media/a.jpg?share=tok" || priv.Photo.Variants[1].URL != "/media/a.webp?share=tok" || priv.Photos[0].URL != "/media/a.jpg?share=tok" {
		t.Errorf("private: %+v %+v", priv.Photo, priv.Photos)
	}
	ShowPhotos(priv, "tok")
	if priv.Photo.URL != "/media/a.jpg?share=tok" {
		t.Errorf("twice: %q", priv.Photo.URL)
	}
	pub := &recipe.Recipe{Summary: recipe.Summary{Visibility: recipe.Public, Photo: photo()}}
	ShowPhotos(pub, "tok")
	if pub.Photo.URL != "/media/a.jpg" {
		t.Errorf("public: %q", pub.Photo.URL)
	}
}

func TestPlausibleToken(t *testing.T) {
	if !PlausibleToken(strings.Repeat("aZ0-_", 8) + "abc") {
		t.Error("a well-formed token refused")
	}
	for _, bad := range []string{"", "short", strings.Repeat("a", 42), strings.Repeat("a", 44), strings.Repeat("a", 42) + "="} {
		if PlausibleToken(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func ptr[T any](v T) *T { return &v }
