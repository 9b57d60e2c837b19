package browsertest

// Importing recipes as a new cook does: a link to a recipe site (a real
// HTTP server with a JSON-LD recipe and its photo), checked in the recipe
// form and saved, its photo arriving through the job queue; a recipe
// pasted as text; the bookmarklet run on the recipe site's page; at a
// phone's and a desktop's size.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

// recipeSite is another site, with one recipe page and its photo.
type recipeSite struct {
	*httptest.Server
	pageFetches, photoFetches atomic.Int32
}

const importedTitle = "Lemon Drizzle Loaf"

func startRecipeSite(t *testing.T) *recipeSite {
	t.Helper()
	photo := photoJPEG(t, 1200, 900)
	s := &recipeSite{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cakes/lemon-drizzle", func(w http.ResponseWriter, r *http.Request) {
		s.pageFetches.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>Lemon drizzle loaf | Test Kitchen</title>
<meta property="og:image" content="/img/lemon-drizzle.jpg">
<script type="application/ld+json">{
  "@context": "https://schema.org", "@type": "Recipe",
  "name": %q, "description": "A soft loaf soaked in sharp lemon syrup.",
  "image": ["/img/lemon-drizzle.jpg"],
  "prepTime": "PT20M", "cookTime": "PT45M", "recipeYield": "8 slices",
  "recipeIngredient": ["225 g butter, softened", "225 g caster sugar", "4 eggs", "225 g self-raising flour", "2 lemons, zested and juiced"],
  "recipeInstructions": [
    {"@type": "HowToSection", "name": "For the loaf", "itemListElement": [
      {"@type": "HowToStep", "text": "Heat the oven to 180 °C and line a loaf tin."},
      {"@type": "HowToStep", "text": "Beat the butter and sugar, then the eggs, flour and zest."},
      {"@type": "HowToStep", "text": "Bake for 45 minutes."}]},
    {"@type": "HowToSection", "name": "For the drizzle", "itemListElement": [
      {"@type": "HowToStep", "text": "Stir 85 g sugar into the lemon juice."},
      {"@type": "HowToStep", "text": "Prick the warm loaf and pour the drizzle over."}]}
  ]
}</script></head><body><h1>Lemon drizzle loaf</h1><p>Our favourite cake.</p></body></html>`, importedTitle)
	})
	// Browsers ask every site for one.
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>`)
	})
	mux.HandleFunc("GET /members-only", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "members only", http.StatusForbidden)
	})
	mux.HandleFunc("GET /img/lemon-drizzle.jpg", func(w http.ResponseWriter, r *http.Request) {
		s.photoFetches.Add(1)
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(photo)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// startImportServer runs the app as `serve` does (the job queue fetches
// the photos), allowed to fetch from this machine, where the recipe site
// runs.
func startImportServer(t *testing.T) *testutil.Serving {
	t.Helper()
	return testutil.StartServing(t, "sqlite", func(cfg *config.Config) { cfg.ImportAllowPrivateHosts = true })
}

func TestImportRecipe(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			site := startRecipeSite(t)
			srv := startImportServer(t)
			b := newTab(t, srv.URL, vp)
			pageURL := site.URL + "/cakes/lemon-drizzle"

			// The share sheet's way in, signed out: the log-in page, then
			// back to the form with the shared link filled in, not fetched.
			acct := newAccount("Ida", vp)
			b.open("/register", 200)
			register(b, acct)
			logout(b)
			b.open("/import?title=Cake&text="+url.QueryEscape("Look at this "+pageURL), 200)
			if !strings.HasPrefix(b.path(), "/login") {
				b.fatalf("a signed-out visitor is at %s, not the log-in page", b.path())
			}
			login(b, acct)
			if !strings.HasPrefix(b.path(), "/import?") || b.text(css("#url")) != pageURL {
				b.errorf("after logging in: at %s with the link %q", b.path(), b.text(css("#url")))
			}
			if site.pageFetches.Load() != 0 {
				b.errorf("the shared link was fetched before pressing Import")
			}
			b.open("/", 200)
			b.follow(link("Import"), 200)
			b.checkPage("import form")
			b.shot("import-form")

			// Paste a link, import, check.
			b.fill(css("#url"), pageURL)
			b.follow(button("Import"), 200)
			b.waitVisible(css(".import-check"))
			if got := b.text(css("#title")); got != importedTitle {
				b.errorf("title %q, want %q", got, importedTitle)
			}
			ings := evalJS[[]string](b, `[...document.querySelectorAll('textarea[name=step], input[name=ingredient]')].filter(e => e.name === 'ingredient').map(e => e.value).filter(Boolean)`)
			if len(ings) != 5 || ings[0] != "225 g butter, softened" {
				b.errorf("ingredients in the form: %q", ings)
			}
			steps := evalJS[[]string](b, `[...document.querySelectorAll('textarea[name=step]')].map(e => e.value).filter(Boolean)`)
			if len(steps) != 7 || steps[0] != "# For the loaf" || steps[4] != "# For the drizzle" {
				b.errorf("step boxes: %q", steps)
			}
			if v := evalJS[string](b, `document.getElementById('visibility').value`); v != "private" {
				b.errorf("visibility %q, want private", v)
			}
			if !evalJS[bool](b, `document.getElementById('keep_photo').checked`) {
				b.errorf("Keep the page's photo is not ticked")
			}
			if n := evalJS[int](b, fmt.Sprintf(`[...document.images].filter(i => i.src.startsWith(%s)).length`, js(site.URL))); n != 0 {
				b.errorf("the preview hotlinks %d images of the recipe site", n)
			}
			if site.photoFetches.Load() != 0 {
				b.errorf("the photo was fetched before saving")
			}
			b.checkPage("import preview")
			b.noSidewaysScroll("import preview")
			b.shot("import-preview")

			b.follow(button("Save recipe"), 200)
			if _, ok := recipeIDFrom(b.path()); !ok {
				b.fatalf("after saving, at %s", b.path())
			}
			if f := b.text(css("#flash")); f != "Imported. The photo appears in a moment." {
				b.errorf("flash %q", f)
			}
			if h := b.text(css("h1")); h != importedTitle {
				b.errorf("recipe heading %q", h)
			}
			body := b.bodyText()
			for _, want := range []string{"For the loaf", "For the drizzle", "Prick the warm loaf", "225 g caster sugar"} {
				if !strings.Contains(body, want) {
					b.errorf("the recipe page does not show %q", want)
				}
			}
			// The job queue fetches the photo and renders it; a reload
			// then shows it.
			recipePath := b.path()
			// Fetching and rendering the photo is a job of its own, which
			// a busy machine runs late: more than one step's time.
			err := pollUntil(b.ctx, 4*actionTimeout, func() bool {
				time.Sleep(250 * time.Millisecond)
				b.open(recipePath, 200)
				return evalJS[bool](b, `!!document.querySelector('.recipe-hero img')`)
			})
			if err != nil {
				b.fatalf("waiting for the page's photo on the recipe: %v", err)
			}
			if site.photoFetches.Load() == 0 {
				b.errorf("the photo shows, yet was never fetched from the site")
			}
			b.checkPage("imported recipe")
			b.noSidewaysScroll("imported recipe")
			b.shot("imported-recipe")

			// Imported before: the form says so.
			b.open("/import", 200)
			b.fill(css("#url"), pageURL)
			b.follow(button("Import"), 200)
			b.waitVisible(css("#import-existing"))
			if !strings.Contains(b.text(css("#import-existing")), "You imported this before") {
				b.errorf("no notice of the earlier import")
			}

			// Plain text: ingredients and steps split into rows.
			b.open("/import", 200)
			b.fill(css("#text"), "Quick flatbreads\n\nIngredients\n250 g self-raising flour\n250 g Greek yoghurt\n1 tsp salt\n\n"+
				"Method\n1. Mix everything into a soft dough.\n2. Divide into six and roll out thinly.\n3. Cook in a hot dry pan for 2 minutes a side.")
			b.follow(button("Import the text"), 200)
			b.waitVisible(css(".import-check"))
			if got := b.text(css("#title")); got != "Quick flatbreads" {
				b.errorf("text import title %q", got)
			}
			ings = evalJS[[]string](b, `[...document.querySelectorAll('input[name=ingredient]')].map(e => e.value).filter(Boolean)`)
			steps = evalJS[[]string](b, `[...document.querySelectorAll('textarea[name=step]')].map(e => e.value).filter(Boolean)`)
			if len(ings) != 3 || len(steps) != 3 || !strings.HasPrefix(steps[2], "Cook in a hot dry pan") {
				b.errorf("text import: ingredients %q, steps %q", ings, steps)
			}
			b.shot("text-preview")
			b.follow(button("Save recipe"), 200)
			if h := b.text(css("h1")); h != "Quick flatbreads" {
				b.errorf("text recipe heading %q", h)
			}
			if f := b.text(css("#flash")); f != "Imported." {
				b.errorf("flash %q", f)
			}
		})
	}
}

// TestImportBookmarklet runs the bookmarklet's script on the recipe site's
// page, as clicking the bookmark does: the import page opens with the
// page's address, imports it, and shows the recipe to check.
func TestImportBookmarklet(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	site := startRecipeSite(t)
	srv := startImportServer(t)
	b := newTab(t, srv.URL, desktop)
	b.open("/register", 200)
	register(b, newAccount("Bo", desktop))
	b.open("/import", 200)
	href, _ := b.attr("a[data-bookmarklet]", "href")
	script, err := url.PathUnescape(strings.TrimPrefix(href, "javascript:"))
	if !strings.HasPrefix(href, "javascript:") || err != nil {
		b.fatalf("bookmarklet %q", href)
	}
	// The bookmark's base is the configured one (localhost:8080); the test
	// server listens elsewhere.
	script = strings.Replace(script, `http://localhost:8080`, srv.URL, 1)
	b.openElsewhere(site.URL + "/cakes/lemon-drizzle")
	evalJS[bool](b, "("+script+", true)")
	b.waitJS("the imported recipe's form", `!!document.querySelector('.import-check') && location.pathname === '/import'`)
	if got := b.text(css("#title")); got != importedTitle {
		b.errorf("title %q", got)
	}
	// Back does not import again: go=1 left the address.
	if strings.Contains(evalJS[string](b, `location.search`), "go=1") {
		b.errorf("the address keeps go=1")
	}
}

// TestImportBulkProgress imports a list of links and watches the progress
// page follow the job queue without reloading (import.js), at a phone's
// size: one link saved, one refused by its site, and a retry of that one.
func TestImportBulkProgress(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	site := startRecipeSite(t)
	srv := startImportServer(t)
	b := newTab(t, srv.URL, phone)
	b.open("/register", 200)
	register(b, newAccount("Bu", phone))
	b.open("/import", 200)
	b.follow(link("import a list of links"), 200)
	b.fill(css("#urls"), site.URL+"/cakes/lemon-drizzle\n"+site.URL+"/members-only")
	b.follow(button("Import all"), 200)
	if !strings.HasPrefix(b.path(), "/import/bulk/") {
		b.fatalf("after starting, at %s", b.path())
	}
	b.checkPage("bulk progress")
	// The script swaps the progress in; the page itself stays.
	b.mark()
	b.waitJS("the import to finish", `document.querySelector('h1')?.textContent.trim() === 'Recipes imported'`)
	if !evalJS[bool](b, `window.__reccMark === true`) {
		b.errorf("the page reloaded instead of updating in place")
	}
	rows := b.texts("table.bulk-items tbody tr")
	if len(rows) != 2 || !strings.Contains(rows[0], "Saved: "+importedTitle) || !strings.Contains(rows[1], "Failed:") {
		b.errorf("rows %q", rows)
	}
	if v := evalJS[string](b, `String(document.getElementById('bulk-bar').value)`); v != "2" {
		b.errorf("progress value %s, want 2", v)
	}
	b.noSidewaysScroll("bulk progress")
	b.shot("bulk-done")
	b.follow(button("Retry the 1 failed"), 200)
	b.waitJS("the retry to finish", `document.querySelector('h1')?.textContent.trim() === 'Recipes imported'`)
	b.follow(link(importedTitle), 200)
	if h := b.text(css("h1")); h != importedTitle {
		b.errorf("the saved recipe's heading %q", h)
	}
}

// openElsewhere loads a page of another site in the tab.
func (b *tab) openElsewhere(u string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(u)); err != nil {
		b.fatalf("open %s: %v", u, err)
	}
}
