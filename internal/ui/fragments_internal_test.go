package ui

import (
	"bytes"
	"fmt"
	"html/template"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
)

// testUI is a UI with its templates and nothing else, for drawing
// fragments.
func testUI(t *testing.T) *UI {
	t.Helper()
	a, err := NewAssets("")
	if err != nil {
		t.Fatal(err)
	}
	u := &UI{assets: a}
	if u.pages, err = parseTemplates(u.funcs()); err != nil {
		t.Fatal(err)
	}
	return u
}

// drawUncached draws a fragment without the cache, as the page would
// inline it.
func drawUncached(t *testing.T, u *UI, name string, data any) string {
	t.Helper()
	tmpl, _, err := u.pages.page("browse")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func intp(n int) *int { return &n }

// A card is kept by everything it is drawn from: change any one input
// the card shows and the cache must draw it afresh, never hand back the
// card it kept for the old value.
func TestFragmentKeySeesEveryCardInput(t *testing.T) {
	u := testUI(t)
	plain := func() *recipe.Summary {
		return &recipe.Summary{ID: "r1", Title: "Lentil soup", Description: "Warming.",
			Author:       recipe.Author{ID: "u1", Username: "ann", DisplayName: "Ann Cook"},
			TotalMinutes: intp(45), Difficulty: "easy", Visibility: recipe.Public,
			Tags: []string{"soup"}, CreatedAt: time.Unix(0, 0), UpdatedAt: time.Unix(0, 0)}
	}
	withPhoto := func() *recipe.Summary { s := plain(); s.Photo = testPhoto("soup", 1600, 1200); return s }
	type drawn struct {
		card any
		i    int
	}
	later := drawn{plain(), 5} // a card past the eager ones
	cases := []struct {
		name          string
		before, after func() drawn
	}{
		{"title", func() drawn { return later }, func() drawn { s := plain(); s.Title = "Lentil stew"; return drawn{s, 5} }},
		{"description", func() drawn { return later }, func() drawn { s := plain(); s.Description = "Hearty."; return drawn{s, 5} }},
		{"minutes", func() drawn { return later }, func() drawn { s := plain(); s.TotalMinutes = intp(50); return drawn{s, 5} }},
		{"difficulty", func() drawn { return later }, func() drawn { s := plain(); s.Difficulty = "hard"; return drawn{s, 5} }},
		{"visibility", func() drawn { return later }, func() drawn { s := plain(); s.Visibility = recipe.Private; return drawn{s, 5} }},
		{"tags", func() drawn { return later }, func() drawn { s := plain(); s.Tags = []string{"soup", "vegan"}; return drawn{s, 5} }},
		{"author", func() drawn { return later }, func() drawn { s := plain(); s.Author.DisplayName = "Ann Baker"; return drawn{s, 5} }},
		{"avatar", func() drawn { return later }, func() drawn { s := plain(); s.Author.Avatar = testPhoto("ann", 800, 800); return drawn{s, 5} }},
		{"photo", func() drawn { return later }, func() drawn { return drawn{withPhoto(), 5} }},
		{"photo colour", func() drawn { return drawn{withPhoto(), 5} }, func() drawn { s := withPhoto(); s.Photo.Colour = "#000000"; return drawn{s, 5} }},
		{"photo ready", func() drawn { return drawn{withPhoto(), 5} }, func() drawn {
			s := withPhoto()
			s.Photo.Status = recipe.PhotoProcessing
			return drawn{s, 5}
		}},
		{"likes", func() drawn { return later }, func() drawn { s := plain(); s.Likes = 3; return drawn{s, 5} }},
		{"rating", func() drawn { s := plain(); s.Rating = recipe.NewRating(2, 9); return drawn{s, 5} }, func() drawn {
			s := plain()
			s.Rating = recipe.NewRating(3, 10)
			return drawn{s, 5}
		}},
		{"eager", func() drawn { return drawn{withPhoto(), 5} }, func() drawn { return drawn{withPhoto(), 0} }},
		{"one author", func() drawn { return later }, func() drawn { return drawn{oneAuthorCard{plain()}, 5} }},
		{"search", func() drawn { return later }, func() drawn {
			return drawn{searchCard{Summary: plain(), MarkedTitle: "<mark>Lentil</mark> soup", Where: "tags", Snippet: "soup"}, 5}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u.fragments = fragmentCache{} // start empty
			b, a := tc.before(), tc.after()
			old, err := u.fragment("recipe-card", cardAt(b.card, b.i))
			if err != nil {
				t.Fatal(err)
			}
			want := drawUncached(t, u, "recipe-card", cardAt(a.card, a.i))
			if string(old) == want {
				t.Fatalf("the change does not show on the card, so a stale card could not be told apart:\n%s", want)
			}
			for range 2 { // drawn, then from the cache
				got, err := u.fragment("recipe-card", cardAt(a.card, a.i))
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != want {
					t.Fatalf("card from the cache differs from a fresh drawing:\n got %s\nwant %s", got, want)
				}
			}
		})
	}
}

// The cache holds at most two generations of fragmentCacheSize entries
// and keeps the ones still asked for.
func TestFragmentCacheBounded(t *testing.T) {
	var fc fragmentCache
	for i := range 5 * fragmentCacheSize {
		fc.put(fmt.Sprint(i), template.HTML("x"))
		if i%10 == 0 {
			fc.put("popular", "p")
		}
		if _, ok := fc.get("popular"); !ok {
			t.Fatalf("the popular entry was dropped at %d", i)
		}
	}
	if n := len(fc.cur) + len(fc.old); n > 2*fragmentCacheSize {
		t.Errorf("%d entries, want at most %d", n, 2*fragmentCacheSize)
	}
	if _, ok := fc.get("0"); ok {
		t.Error("the first entry, never asked for again, is still kept")
	}
}
