package importer_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/reccollection/reccollection/internal/images/imagetest"
)

// recipeSite is a real web server with recipe pages marked up as
// schema.org Recipe in JSON-LD, the way most recipe sites publish them.
type recipeSite struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]string // path → HTML
	// fetches counts requests per path.
	fetches sync.Map
	photo   []byte
	total   atomic.Int64
}

// recipePage is a page holding one recipe. image is a path on the site
// or "".
func recipePage(title, image string, ingredients, steps []string) string {
	ld := map[string]any{
		"@context": "https://schema.org", "@type": "Recipe", "name": title,
		"description":        "A good " + title + ".",
		"recipeIngredient":   ingredients,
		"recipeInstructions": steps,
		"recipeYield":        "4 servings",
		"prepTime":           "PT15M",
		"cookTime":           "PT1H",
		"keywords":           "Weeknight, Kid's favourites, one-pot",
		"recipeCategory":     "Dinner",
		"recipeCuisine":      "French",
	}
	if image != "" {
		ld["image"] = image
	}
	b, _ := json.Marshal(ld)
	return fmt.Sprintf(`<!doctype html><html><head><title>%s | A Site</title>
<script type="application/ld+json">%s</script></head>
<body><h1>%s</h1><p>Some story.</p></body></html>`, html.EscapeString(title), b, html.EscapeString(title))
}

func newRecipeSite(t *testing.T) *recipeSite {
	t.Helper()
	s := &recipeSite{pages: map[string]string{}, photo: imagetest.Encoded(t, "jpeg", 640, 480)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.total.Add(1)
		n, _ := s.fetches.LoadOrStore(r.URL.Path, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		switch r.URL.Path {
		case "/photo.jpg":
			w.Header().Set("Content-Type", "image/jpeg")
			_, _ = w.Write(s.photo)
			return
		case "/blocked":
			http.Error(w, "no robots", http.StatusForbidden)
			return
		case "/menu.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			_, _ = w.Write([]byte("%PDF-1.4"))
			return
		}
		s.mu.Lock()
		// Like many sites, a trailing slash is the same page.
		page, ok := s.pages[strings.TrimSuffix(r.URL.Path, "/")]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	}))
	t.Cleanup(s.Close)
	s.set("/soup", recipePage("Leek and Potato Soup", "/photo.jpg",
		[]string{"2 leeks, sliced", "500 g potatoes", "1 l stock", "salt to taste"},
		[]string{"Soften the leeks in butter.", "Add the potatoes and stock; simmer 20 minutes.", "Blend and season."}))
	s.set("/stew", recipePage("Beef Stew", "/photo.jpg",
		[]string{"1 kg beef", "3 carrots"}, []string{"Brown the beef.", "Stew for two hours."}))
	s.set("/bread", recipePage("Plain Bread", "",
		[]string{"500 g flour", "10 g salt", "7 g yeast", "350 ml water"}, []string{"Mix.", "Knead.", "Bake."}))
	s.set("/about", `<!doctype html><html><head><title>About us</title></head><body><p>We like food.</p></body></html>`)
	return s
}

func (s *recipeSite) set(path, page string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = page
}

func (s *recipeSite) count(path string) int64 {
	n, ok := s.fetches.Load(path)
	if !ok {
		return 0
	}
	return n.(*atomic.Int64).Load()
}
