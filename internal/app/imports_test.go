package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Imports through the API on the whole application: Serve's job queue
// downloads photos and works bulk imports, from a real web site.

// imSite is a recipe site: pages with schema.org Recipe in JSON-LD, a
// photo, a page that refuses robots; any other path is 404.
type imSite struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]string
}

func imPage(title string, withPhoto bool) string {
	ld := map[string]any{
		"@context": "https://schema.org", "@type": "Recipe", "name": title,
		"recipeIngredient":   []string{"2 leeks", "For the base:", "500 g potatoes", "1 l stock"},
		"recipeInstructions": []string{"Soften the leeks.", "Simmer with the potatoes.", "Blend."},
		"recipeYield":        "4", "prepTime": "PT10M", "cookTime": "PT30M", "keywords": "soup, winter",
	}
	if withPhoto {
		ld["image"] = "/photo.jpg"
	}
	b, _ := json.Marshal(ld)
	return fmt.Sprintf(`<!doctype html><html><head><title>%s</title><script type="application/ld+json">%s</script></head><body></body></html>`,
		html.EscapeString(title), b)
}

func newImSite(t *testing.T) *imSite {
	t.Helper()
	s := &imSite{pages: map[string]string{"/soup": imPage("Leek Soup", true), "/stew": imPage("Winter Stew", false)}}
	photo := imagetest.Encoded(t, "jpeg", 800, 600)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/photo.jpg":
			w.Header().Set("Content-Type", "image/jpeg")
			_, _ = w.Write(photo)
			return
		case "/blocked":
			http.Error(w, "no", http.StatusForbidden)
			return
		}
		s.mu.Lock()
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
	return s
}

func (s *imSite) set(path, page string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = page
}

func allowPrivate(c *config.Config) { c.ImportAllowPrivateHosts = true }

// imPreview is the part of POST /api/v1/imports the tests read.
type imPreview struct {
	Recipe struct {
		Title       string `json:"title"`
		Ingredients []struct {
			Original string   `json:"original"`
			Quantity *float64 `json:"quantity"`
			Unit     string   `json:"unit"`
			Name     string   `json:"name"`
		} `json:"ingredients"`
		IngredientGroups []struct {
			Title string `json:"title"`
			Start int    `json:"start"`
		} `json:"ingredient_groups"`
		Steps      []string `json:"steps"`
		Servings   *int     `json:"servings"`
		Tags       []string `json:"tags"`
		SourceURL  string   `json:"source_url"`
		Visibility string   `json:"visibility"`
	} `json:"recipe"`
	ImageURL string   `json:"image_url"`
	Missing  []string `json:"missing"`
	Existing *struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"existing"`
}

func imDecode[T any](t *testing.T, a phAnswer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
	return v
}

// TestImportPreviewSaveWithPhoto: a preview of a page, saved through
// /imports/save with its photo, which the queue downloads and renders;
// importing the address again offers the saved recipe.
func TestImportPreviewSaveWithPhoto(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			site := newImSite(t)
			srv := testutil.StartServing(t, engine, allowPrivate)
			cook := phRegister(t, srv.URL, "cook")
			a := phWant(t, phJSON(t, "POST", srv.URL+"/api/v1/imports", cook, map[string]string{"url": site.URL + "/soup?utm_source=x"}),
				http.StatusOK, "preview")
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(a.body, &raw); err != nil {
				t.Fatal(err)
			}
			p := imDecode[imPreview](t, a)
			if p.Recipe.Title != "Leek Soup" || len(p.Recipe.Ingredients) != 3 || p.Recipe.Ingredients[1].Name != "potatoes" ||
				p.Recipe.Ingredients[1].Unit != "g" || p.Recipe.Visibility != "private" || p.Recipe.SourceURL != site.URL+"/soup" {
				t.Fatalf("preview %s", a.body)
			}
			// The page's heading line is a section of the ingredients.
			if g := p.Recipe.IngredientGroups; len(g) != 1 || g[0].Title != "For the base" || g[0].Start != 1 {
				t.Errorf("preview's ingredient groups %+v", g)
			}
			if p.ImageURL != site.URL+"/photo.jpg" || len(p.Missing) != 0 || p.Existing != nil || string(raw["existing"]) != "null" || raw["draft"] == nil {
				t.Errorf("preview %s", a.body)
			}

			// The client sends the recipe back as the recipe routes take
			// it, with the photo's address.
			var recipeBody map[string]any
			if err := json.Unmarshal(raw["recipe"], &recipeBody); err != nil {
				t.Fatal(err)
			}
			delete(recipeBody, "total_minutes")
			recipeBody["image_url"] = p.ImageURL
			recipeBody["visibility"] = "public"
			// With an Idempotency-Key, as a client that lost the answer
			// and sends the save again would: one recipe, the same answer.
			body, err := json.Marshal(recipeBody)
			if err != nil {
				t.Fatal(err)
			}
			save := func() phAnswer {
				return phWant(t, phDo(t, "POST", srv.URL+"/api/v1/imports/save", cook, body,
					"Content-Type", "application/json", "Idempotency-Key", `"import-leek-soup"`), http.StatusCreated, "save")
			}
			saved := save()
			if retry := save(); retry.header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(retry.body, saved.body) {
				t.Errorf("retried save: replayed %q, body %.300s; want the first answer %.300s",
					retry.header.Get("Idempotent-Replayed"), retry.body, saved.body)
			}
			rec := imDecode[struct {
				ID               string `json:"id"`
				SourceURL        string `json:"source_url"`
				IngredientGroups []struct {
					Title string `json:"title"`
				} `json:"ingredient_groups"`
			}](t, saved)
			if saved.header.Get("Location") != "/api/v1/recipes/"+rec.ID || rec.SourceURL != site.URL+"/soup" || len(rec.IngredientGroups) != 1 {
				t.Errorf("saved %s (Location %q)", saved.body, saved.header.Get("Location"))
			}
			r := imPhotoReady(t, srv.URL, cook, rec.ID)
			if r.Photo == nil || r.Photo.Width != 800 || len(r.Photo.Variants) == 0 {
				t.Fatalf("photo after the queue: %+v", r.Photo)
			}
			phFetch(t, srv.URL, cook, r)

			again := imDecode[imPreview](t, phWant(t, phJSON(t, "POST", srv.URL+"/api/v1/imports", cook,
				map[string]string{"url": site.URL + "/soup/#comments"}), http.StatusOK, "preview again"))
			if again.Existing == nil || again.Existing.ID != rec.ID || again.Existing.Title != "Leek Soup" {
				t.Errorf("second import offers %+v, want %s", again.Existing, rec.ID)
			}
		})
	}
}

// TestImportRefusals: every bad request is a 4xx problem naming what to
// fix, and nothing is saved.
func TestImportRefusals(t *testing.T) {
	site := newImSite(t)
	srv := testutil.StartServing(t, "sqlite", allowPrivate)
	cook := phRegister(t, srv.URL, "cook")
	post := func(path string, body any) phAnswer {
		return phJSON(t, "POST", srv.URL+path, cook, body)
	}
	type field = struct {
		Field string `json:"field"`
	}
	problem := func(a phAnswer) (string, []field, string) {
		p := imDecode[struct {
			Detail string  `json:"detail"`
			Errors []field `json:"errors"`
		}](t, a)
		return p.Detail, p.Errors, a.header.Get("Content-Type")
	}
	many := make([]string, 201)
	for i := range many {
		many[i] = fmt.Sprintf("%s/r%d", site.URL, i)
	}
	for _, c := range []struct {
		name   string
		path   string
		body   any
		status int
		field  string
		detail string
	}{
		{"empty", "/api/v1/imports", map[string]any{}, 422, "url", ""},
		{"two sources", "/api/v1/imports", map[string]any{"url": site.URL + "/soup", "text": "Soup"}, 422, "text", ""},
		{"not a URL", "/api/v1/imports", map[string]any{"url": "soup please"}, 422, "url", ""},
		{"file URL", "/api/v1/imports", map[string]any{"url": "file:///etc/passwd"}, 422, "url", ""},
		{"unknown field", "/api/v1/imports", map[string]any{"url": site.URL + "/soup", "cookie": "x"}, 422, "cookie", ""},
		{"html too long", "/api/v1/imports", map[string]any{"html": strings.Repeat("a", 5<<20+1)}, 422, "html", ""},
		{"bad base URL", "/api/v1/imports", map[string]any{"html": "<p>x</p>", "base_url": "javascript:x"}, 422, "base_url", ""},
		{"no page", "/api/v1/imports", map[string]any{"url": site.URL + "/nowhere"}, 422, "url", "no page"},
		{"blocked", "/api/v1/imports", map[string]any{"url": site.URL + "/blocked"}, 422, "", "paste"},
		{"no recipe", "/api/v1/imports", map[string]any{"html": "<html><title>About</title><p>Hello</p></html>"}, 422, "", "paste the recipe's text"},
		{"no URLs", "/api/v1/imports/bulk", map[string]any{"urls": []string{}}, 422, "urls", ""},
		{"too many URLs", "/api/v1/imports/bulk", map[string]any{"urls": many}, 422, "urls", ""},
		{"a bad URL", "/api/v1/imports/bulk", map[string]any{"urls": []string{site.URL + "/soup", "ftp://x/y"}}, 422, "urls[1]", ""},
		{"save without title", "/api/v1/imports/save", map[string]any{"title": "", "ingredients": []string{"salt"}}, 422, "title", ""},
		{"save with a bad photo", "/api/v1/imports/save", map[string]any{"title": "Soup", "image_url": "data:image/png;base64,AA"}, 422, "image_url", ""},
	} {
		a := post(c.path, c.body)
		if a.status != c.status {
			t.Errorf("%s: %d %.300s, want %d", c.name, a.status, a.body, c.status)
			continue
		}
		detail, errs, ct := problem(a)
		if ct != "application/problem+json" {
			t.Errorf("%s: Content-Type %q", c.name, ct)
		}
		if c.field != "" && (len(errs) == 0 || errs[0].Field != c.field) {
			t.Errorf("%s: errors %+v, want one on %s", c.name, errs, c.field)
		}
		if c.detail != "" && !strings.Contains(detail, c.detail) {
			t.Errorf("%s: detail %q, want it to say %q", c.name, detail, c.detail)
		}
	}
	// A site that cannot be reached is worth another try later.
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/imports", strings.NewReader(`{"url":"`+gone.URL+`/soup"}`))
	req.Header.Set("Authorization", "Bearer "+cook)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "paste") {
		t.Errorf("unreachable site: %d, Retry-After %q, %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	// A body over the route's own limit is refused before it is read.
	huge := phDo(t, "POST", srv.URL+"/api/v1/imports", cook, []byte(`{"html":"`+strings.Repeat("a", 16<<20)+`"}`), "Content-Type", "application/json")
	if huge.status != http.StatusRequestEntityTooLarge {
		t.Errorf("16 MiB body: %d, want 413", huge.status)
	}
	// Other routes keep the 1 MiB limit.
	big := phDo(t, "POST", srv.URL+"/api/v1/imports/bulk", cook, []byte(`{"urls":["`+strings.Repeat("a", 2<<20)+`"]}`), "Content-Type", "application/json")
	if big.status != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB bulk body: %d, want 413", big.status)
	}
	if a := phJSON(t, "POST", srv.URL+"/api/v1/imports", "", map[string]string{"url": site.URL + "/soup"}); a.status != http.StatusUnauthorized {
		t.Errorf("anonymous preview: %d", a.status)
	}
	if a := phDo(t, "GET", srv.URL+"/api/v1/imports/bulk/0190f3c4-0000-7000-8000-000000000000", cook, nil); a.status != http.StatusNotFound {
		t.Errorf("unknown bulk: %d", a.status)
	}
	var n int
	if err := srv.App.Store().DB().QueryRow("SELECT (SELECT count(*) FROM recipes) + (SELECT count(*) FROM import_bulks)").Scan(&n); err != nil || n != 0 {
		t.Errorf("refused requests stored %d rows (%v)", n, err)
	}
}

// imPhotoReady waits for the photo job to give the recipe a main photo,
// and for its variants.
func imPhotoReady(t *testing.T, base, token, id string) phRecipe {
	t.Helper()
	end := time.Now().Add(photoDeadline)
	for phRecipeOf(t, base, token, id).Photo == nil {
		if time.Now().After(end) {
			t.Fatalf("recipe %s has no photo after %v", id, photoDeadline)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return phReady(t, base, token, id)
}

// imBulk is the JSON of a bulk import.
type imBulk struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Total  int    `json:"total"`
	Done   int    `json:"done"`
	Failed int    `json:"failed"`
	Items  []struct {
		URL      string `json:"url"`
		Status   string `json:"status"`
		RecipeID string `json:"recipe_id"`
		Title    string `json:"title"`
		Error    string `json:"error"`
	} `json:"items"`
}

// imFinished polls a bulk import until it is done.
func imFinished(t *testing.T, base, token, id string) imBulk {
	t.Helper()
	end := time.Now().Add(photoDeadline)
	for {
		b := imDecode[imBulk](t, phWant(t, phDo(t, "GET", base+"/api/v1/imports/bulk/"+id, token, nil), http.StatusOK, "bulk"))
		if b.Status == "done" {
			return b
		}
		if time.Now().After(end) {
			t.Fatalf("bulk %s not done after %v: %+v", id, photoDeadline, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBulkImportOnTheQueue: three addresses, one without a page, worked
// by the queue; each has its result, the failure is retried once its page
// exists, and another person cannot see or retry the bulk.
func TestBulkImportOnTheQueue(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			site := newImSite(t)
			srv := testutil.StartServing(t, engine, allowPrivate)
			cook, other := phRegister(t, srv.URL, "cook"), phRegister(t, srv.URL, "other")
			urls := []string{site.URL + "/soup", site.URL + "/later", site.URL + "/stew"}
			a := phWant(t, phJSON(t, "POST", srv.URL+"/api/v1/imports/bulk", cook, map[string]any{"urls": urls}), http.StatusAccepted, "start bulk")
			b := imDecode[imBulk](t, a)
			if a.header.Get("Location") != "/api/v1/imports/bulk/"+b.ID || b.Total != 3 || b.Status != "queued" {
				t.Fatalf("started %s (Location %q)", a.body, a.header.Get("Location"))
			}
			b = imFinished(t, srv.URL, cook, b.ID)
			if b.Done != 3 || b.Failed != 1 {
				t.Fatalf("finished %+v", b)
			}
			for i, want := range []string{"done", "failed", "done"} {
				if b.Items[i].Status != want || b.Items[i].URL != urls[i] {
					t.Errorf("item %d: %+v, want %s", i, b.Items[i], want)
				}
			}
			if b.Items[0].Title != "Leek Soup" || !strings.Contains(b.Items[1].Error, "no page") {
				t.Errorf("items %+v", b.Items)
			}
			soup := imPhotoReady(t, srv.URL, cook, b.Items[0].RecipeID)
			if soup.Photo == nil {
				t.Error("the bulk import saved the soup without its photo")
			}
			if a := phDo(t, "GET", srv.URL+"/api/v1/imports/bulk/"+b.ID, other, nil); a.status != http.StatusNotFound {
				t.Errorf("another person reads the bulk: %d", a.status)
			}
			if a := phDo(t, "POST", srv.URL+"/api/v1/imports/bulk/"+b.ID+"/retry", other, nil); a.status != http.StatusNotFound {
				t.Errorf("another person retries the bulk: %d", a.status)
			}

			site.set("/later", imPage("Late Lasagne", false))
			r := imDecode[imBulk](t, phWant(t, phDo(t, "POST", srv.URL+"/api/v1/imports/bulk/"+b.ID+"/retry", cook, nil), http.StatusAccepted, "retry"))
			if r.Status != "queued" || r.Items[1].Status != "queued" || r.Items[0].Status != "done" {
				t.Fatalf("retried %+v", r)
			}
			r = imFinished(t, srv.URL, cook, b.ID)
			if r.Failed != 0 || r.Items[1].Status != "done" || r.Items[1].Title != "Late Lasagne" || r.Items[0].RecipeID != b.Items[0].RecipeID {
				t.Errorf("after retry %+v", r)
			}
			// Nothing left to retry: the bulk as it is.
			phWant(t, phDo(t, "POST", srv.URL+"/api/v1/imports/bulk/"+b.ID+"/retry", cook, nil), http.StatusOK, "retry without failures")

			var recipes int
			if err := srv.App.Store().DB().QueryRow("SELECT count(*) FROM recipes").Scan(&recipes); err != nil || recipes != 3 {
				t.Errorf("%d recipes (%v), want 3", recipes, err)
			}
		})
	}
}

// TestImportRateLimited: previews count against the import budget, per
// person, and a bulk import shares it.
func TestImportRateLimited(t *testing.T) {
	ts := rlStartApp(t, nil, withLimits)
	ana, ben := rlClientFrom("127.0.0.1"), rlClientFrom("127.0.0.1")
	registerAt(t, ana, ts.URL, "ana")
	registerAt(t, ben, ts.URL, "ben")
	preview := func(c *http.Client) rlAnswer {
		return rlSend(t, c, "POST", ts.URL+"/api/v1/imports", "application/json", `{"html":"<p>no recipe here</p>"}`)
	}
	for i := range 60 {
		if a := preview(ana); a.status != http.StatusUnprocessableEntity {
			t.Fatalf("preview %d: %d %s", i+1, a.status, a.body)
		}
	}
	wantLimited(t, preview(ana), 60)
	wantLimited(t, rlSend(t, ana, "POST", ts.URL+"/api/v1/imports/bulk", "application/json", `{"urls":["https://example.com/a"]}`), 60)
	if a := preview(ben); a.status != http.StatusUnprocessableEntity || a.header.Get("RateLimit-Limit") == "" {
		t.Errorf("another person: %d, RateLimit-Limit %q", a.status, a.header.Get("RateLimit-Limit"))
	}
}
