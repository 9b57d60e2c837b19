package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

// kitchenSite is another site to import from: a real HTTP server with a
// recipe page (JSON-LD, two sections of steps, a photo), a page without a
// recipe, and a page that refuses robots. It counts what is fetched.
type kitchenSite struct {
	*httptest.Server
	pages, photos atomic.Int32
}

const lemonTitle = "Lemon drizzle cake"

func startKitchenSite(t testing.TB) *kitchenSite {
	t.Helper()
	photo := testJPEG(t, 800, 600)
	k := &kitchenSite{}
	mux := http.NewServeMux()
	html := func(w http.ResponseWriter, body string) {
		k.pages.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}
	mux.HandleFunc("GET /lemon-cake", func(w http.ResponseWriter, r *http.Request) { html(w, lemonPage) })
	mux.HandleFunc("GET /about-us", func(w http.ResponseWriter, r *http.Request) {
		html(w, `<!doctype html><title>About us</title><h1>About us</h1><p>We are a small bakery.</p>`)
	})
	mux.HandleFunc("GET /blocked", func(w http.ResponseWriter, r *http.Request) {
		k.pages.Add(1)
		http.Error(w, "no robots", http.StatusForbidden)
	})
	mux.HandleFunc("GET /lemon-cake.jpg", func(w http.ResponseWriter, r *http.Request) {
		k.photos.Add(1)
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(photo)
	})
	k.Server = httptest.NewServer(mux)
	t.Cleanup(k.Close)
	return k
}

// lemonPage gives no yield, so servings are for the person to fill in.
const lemonPage = `<!doctype html><html lang="en"><head><title>Lemon drizzle cake</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Recipe",
 "name": "Lemon drizzle cake", "description": "A loaf cake soaked in lemon syrup.",
 "image": "/lemon-cake.jpg", "prepTime": "PT20M", "cookTime": "PT45M", "keywords": "baking",
 "recipeIngredient": ["225 g butter, softened", "225 g caster sugar", "4 eggs", "For the drizzle:", "1 lemon, zested"],
 "recipeInstructions": [
  {"@type": "HowToSection", "name": "For the cake", "itemListElement": [
   {"@type": "HowToStep", "text": "Heat the oven to 180 °C."},
   {"@type": "HowToStep", "text": "Beat the butter and sugar."},
   {"@type": "HowToStep", "text": "Bake for 45 minutes."}]},
  {"@type": "HowToSection", "name": "For the drizzle", "itemListElement": [
   {"@type": "HowToStep", "text": "Stir the sugar into the lemon juice."},
   {"@type": "HowToStep", "text": "Pour over the warm cake."}]}]}</script>
</head><body><h1>Lemon drizzle cake</h1></body></html>`

// importSite is the app on engine, allowed to fetch from this machine
// (where the kitchen site runs), with the kitchen site beside it.
func importSite(t *testing.T, engine string) (*site, *kitchenSite) {
	t.Helper()
	k := startKitchenSite(t)
	srv := testutil.StartServerWith(t, engine, func(cfg *config.Config) { cfg.ImportAllowPrivateHosts = true })
	return wrapSite(t, srv, engine), k
}

// workJobs runs the app's job queue (page photos, bulk imports) until the
// test ends.
func workJobs(t *testing.T, s *site) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.App.Jobs().Start(ctx); err != nil {
		t.Fatalf("start the job queue: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		sctx, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		_ = s.App.Jobs().Stop(sctx)
	})
}

// eventually polls cond every 50 ms for up to 20 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
