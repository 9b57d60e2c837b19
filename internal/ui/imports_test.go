package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/testutil"
)

// The import pages on the real importer, against a real recipe site: a
// link, a page's HTML or a text in; the recipe form filled in for
// checking; saved with the page's photo; bulk import on the job queue.

func TestImportNeedsSignIn(t *testing.T) {
	t.Parallel()
	s, k := importSite(t, "sqlite")
	anon := s.browser()
	page := k.URL + "/lemon-cake"
	r := anon.get(t, "/import?url="+q(page)+"&go=1").want(t, http.StatusSeeOther)
	if got, want := r.location(t), "/login?next="+q("/import?url="+q(page)+"&go=1"); got != want {
		t.Errorf("redirect %q, want %q", got, want)
	}
	for _, p := range []string{"/import/bulk", "/import/bulk/x"} {
		if loc := anon.get(t, p).want(t, http.StatusSeeOther).location(t); !strings.HasPrefix(loc, "/login?next=") {
			t.Errorf("GET %s: redirect %q", p, loc)
		}
	}
	for _, p := range []string{"/import", "/import/save", "/import/bulk", "/import/bulk/x/retry"} {
		if loc := anon.post(t, p, url.Values{"url": {page}, "urls": {page}}).want(t, http.StatusSeeOther).location(t); !strings.HasPrefix(loc, "/login") {
			t.Errorf("POST %s: redirect %q", p, loc)
		}
	}
	if n := k.pages.Load(); n != 0 {
		t.Errorf("a signed-out visitor made the importer fetch %d pages", n)
	}
}

func TestImportHiddenWithoutFlows(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	s.App.SetImportFlows(nil)
	ann := s.register(t, "ann")
	home := ann.get(t, "/").want(t, http.StatusOK)
	if home.doc(t).first(`a[href="/import"]`) != nil {
		t.Error("a page offers import, which is not configured")
	}
	for _, p := range []string{"/import", "/import/bulk", "/import/bulk/x"} {
		assertNotFoundPage(t, ann.get(t, p))
	}
	for _, p := range []string{"/import", "/import/save", "/import/bulk", "/import/bulk/x/retry"} {
		assertNotFoundPage(t, ann.post(t, p, url.Values{"url": {"https://example.com/"}}))
	}
	var m map[string]any
	r := ann.get(t, "/manifest.webmanifest").want(t, http.StatusOK)
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if _, ok := m["share_target"]; ok {
		t.Error("the manifest offers a share target that leads nowhere")
	}
}

func TestImportPage(t *testing.T) {
	t.Parallel()
	s, k := importSite(t, "sqlite")
	ann := s.register(t, "ann")
	pageOK := k.URL + "/lemon-cake"

	t.Run("the form", func(t *testing.T) {
		r := ann.get(t, "/import").want(t, http.StatusOK)
		d := assertDocument(t, r)
		if a := d.first(`header a[href="/import"]`); a == nil {
			t.Error("no Import entry in the navigation")
		} else if a.get("aria-current") != "page" {
			t.Error("the navigation's Import entry is not marked current")
		}
		in := d.one(t, "#url")
		if in.get("type") != "url" || !in.has("autofocus") || in.get("name") != "url" || !strings.Contains(in.get("aria-describedby"), "url-hint") {
			t.Errorf("URL field %v", in)
		}
		if form := d.one(t, "form.import-url"); form.get("method") != "post" || form.get("action") != "/import" || form.has("data-autosubmit") {
			t.Errorf("URL form %v", form)
		}
		det := d.one(t, "details#paste-html")
		if det.has("open") {
			t.Error("the paste-the-page disclosure starts open")
		}
		if det.one(t, "form").get("enctype") != "multipart/form-data" || det.first("textarea#html") == nil || det.first("input#base_url") == nil {
			t.Error("the paste-the-page form is incomplete")
		}
		if d.first("textarea#text") == nil {
			t.Error("no text box")
		}
		bm := d.one(t, "a[data-bookmarklet]").get("href")
		if !strings.HasPrefix(bm, "javascript:") {
			t.Errorf("bookmarklet href %q", bm)
		}
		// Browsers percent-decode a javascript: URL before running it.
		js, _ := url.PathUnescape(strings.TrimPrefix(bm, "javascript:"))
		if want := `void(location.href='http://localhost:8080/import?go=1\u0026url='+encodeURIComponent(location.href))`; js != want {
			t.Errorf("bookmarklet runs %q, want %q", js, want)
		}
		// The ways in from elsewhere.
		for _, p := range []string{"/", "/recipes/new"} {
			if ann.get(t, p).want(t, http.StatusOK).doc(t).first(`main a[href="/import"]`) == nil {
				t.Errorf("%s does not offer import", p)
			}
		}
	})

	t.Run("a link arrives filled in, not fetched", func(t *testing.T) {
		before := k.pages.Load()
		for _, c := range []struct{ query, url, text string }{
			{"url=" + q(pageOK), pageOK, ""},
			{"url=" + q(pageOK) + "&go=1", pageOK, ""},
			// Share sheets put the link in the text, often after words.
			{"title=Cake&text=" + q("Look at this: "+pageOK+"."), pageOK, ""},
			{"text=" + q("("+pageOK+")"), pageOK, ""},
			// Words without a link are a recipe's text.
			{"title=" + q("Pancakes") + "&text=" + q("2 eggs\nMix."), "", "Pancakes\n\n2 eggs\nMix."},
			{"url=" + q("javascript:alert(1)"), "", ""},
			{"url=" + q("ftp://recipes.test/x") + "&go=1", "", ""},
		} {
			d := assertDocument(t, ann.get(t, "/import?"+c.query).want(t, http.StatusOK))
			if got := inputValue(t, d, "url"); got != c.url {
				t.Errorf("?%s: URL field %q, want %q", c.query, got, c.url)
			}
			if got := inputValue(t, d, "text"); got != c.text {
				t.Errorf("?%s: text %q, want %q", c.query, got, c.text)
			}
			auto := d.one(t, "form.import-url").has("data-autosubmit")
			if want := strings.Contains(c.query, "go=1") && c.url != ""; auto != want {
				t.Errorf("?%s: auto-submit %v, want %v", c.query, auto, want)
			}
		}
		if k.pages.Load() != before {
			t.Error("a GET fetched the page")
		}
	})

	t.Run("problems are told by the field", func(t *testing.T) {
		for _, c := range []struct {
			form     url.Values
			field    string
			says     string
			openHTML bool
		}{
			{url.Values{"url": {""}}, "url", "Paste the address", false},
			{url.Values{"url": {"recipes.test/lemon-cake"}}, "url", "not a web address", false},
			{url.Values{"url": {"file:///etc/passwd"}}, "url", "not a web address", false},
			{url.Values{"url": {"https://" + strings.Repeat("a", 2050)}}, "url", "not a web address", false},
			{url.Values{"url": {k.URL + "/blocked"}}, "url", "refused", true},
			{url.Values{"url": {k.URL + "/about-us"}}, "url", "text", false},
			// 127.0.0.1 in disguise: refused even where private hosts are
			// allowed.
			{url.Values{"url": {"http://2130706433/recipe"}}, "url", "private network", false},
			{url.Values{"html": {"<p>just words</p>"}}, "html", "text", true},
			{url.Values{"html": {lemonPage}, "base_url": {"javascript:x"}}, "html", "page’s address", true},
			{url.Values{"text": {strings.Repeat("x", 200<<10+1)}}, "text", "longer than a recipe", false},
		} {
			r := ann.post(t, "/import", c.form).want(t, http.StatusUnprocessableEntity)
			d := assertDocument(t, r)
			assertFieldError(t, d, c.field, c.says)
			if links := summaryLinks(t, d); !strings.Contains(links[c.field], c.says) {
				t.Errorf("%.80v: error summary %v", c.form, links)
			}
			if open := d.one(t, "details#paste-html").has("open"); open != c.openHTML {
				t.Errorf("%.80v: HTML disclosure open %v, want %v", c.form, open, c.openHTML)
			}
			if !strings.HasPrefix(d.one(t, "title").textContent(), "Please check the form") {
				t.Errorf("%.80v: title does not say so", c.form)
			}
		}
		// A blocked site: the page's address is carried into the HTML form.
		d := ann.post(t, "/import", url.Values{"url": {k.URL + "/blocked"}}).doc(t)
		if got := inputValue(t, d, "base_url"); got != k.URL+"/blocked" {
			t.Errorf("base_url after a blocked site = %q", got)
		}
	})

	t.Run("an oversized page is refused unread", func(t *testing.T) {
		big := strings.Repeat("<p>Recipe</p>", (6<<20)/13)
		r := ann.post(t, "/import", url.Values{"html": {big}}).want(t, http.StatusRequestEntityTooLarge)
		assertDocument(t, r)
	})
}

func TestImportPreviewAndSave(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			importPreviewAndSave(t, engine)
		})
	}
}

func importPreviewAndSave(t *testing.T, engine string) {
	s, k := importSite(t, engine)
	workJobs(t, s)
	ann := s.register(t, "ann")
	pageOK, photoURL := k.URL+"/lemon-cake", k.URL+"/lemon-cake.jpg"

	r := ann.post(t, "/import", url.Values{"url": {pageOK}}).want(t, http.StatusOK)
	d := assertDocument(t, r)
	if h := d.one(t, "h1").textContent(); h != "Check the imported recipe" {
		t.Errorf("heading %q", h)
	}
	if !strings.Contains(d.one(t, ".import-check").textContent(), "Check the recipe before saving") {
		t.Error("no banner asking to check the recipe")
	}
	form := d.one(t, "form#recipe-form")
	if form.get("action") != "/import/save" || form.get("method") != "post" {
		t.Errorf("form %v", form)
	}
	for id, want := range map[string]string{"title": lemonTitle, "prep_minutes": "20", "cook_minutes": "45",
		"servings": "", "source_url": pageOK, "ingredient-0": "225 g butter, softened", "ingredient-3": "# For the drizzle", "ingredient-4": "1 lemon, zested",
		"step-1": "Heat the oven to 180 °C.", "step-6": "Pour over the warm cake.", "tags": "baking"} {
		if got := inputValue(t, d, id); got != want {
			t.Errorf("#%s = %q, want %q", id, got, want)
		}
	}
	if v := d.one(t, `#visibility option[selected]`).get("value"); v != "private" {
		t.Errorf("visibility %q, want private", v)
	}
	// What the page lacked is marked, and described to a screen reader.
	if !strings.Contains(d.one(t, "#servings").get("aria-describedby"), "servings-missing") ||
		d.one(t, "#servings-missing").textContent() != "Not found on the page — fill in" {
		t.Error("servings are not marked as missing")
	}
	if d.first("#title-missing") != nil || strings.Contains(d.one(t, "#title").get("aria-describedby"), "missing") {
		t.Error("the title is marked missing")
	}
	// The photo: a choice, never a hotlink, and not fetched yet.
	if strings.Contains(strings.Join(pageAssets(t, r), " "), k.URL) {
		t.Error("the page's photo is hotlinked")
	}
	if keep := d.one(t, "#keep_photo"); !keep.has("checked") || keep.get("type") != "checkbox" {
		t.Error("Keep the page's photo is not offered, checked")
	}
	if v := d.one(t, `input[name="image_url"]`).get("value"); v != photoURL {
		t.Errorf("image_url %q, want %q", v, photoURL)
	}
	if k.photos.Load() != 0 {
		t.Error("the preview fetched the photo")
	}
	if d.first("#photo") != nil {
		t.Error("the upload field shows on an import")
	}
	// The steps' sections are the form's own heading boxes.
	var rows []string
	for _, e := range d.all(`textarea[name="step"]`) {
		rows = append(rows, e.rawText())
	}
	if want := "# For the cake|Heat the oven to 180 °C.|Beat the butter and sugar.|Bake for 45 minutes.|# For the drizzle|Stir the sugar into the lemon juice.|Pour over the warm cake.|"; strings.Join(rows, "|") != want {
		t.Errorf("step rows %q", rows)
	}

	// Save what the form holds, as a browser would send it.
	values := formValues(d, "recipe-form")
	values.Set("title", "Lemon drizzle loaf")
	values.Set("servings", "8")
	res := ann.post(t, "/import/save", values).want(t, http.StatusSeeOther)
	id, ok := strings.CutPrefix(res.location(t), "/recipes/")
	if !ok {
		t.Fatalf("saved to %q", res.location(t))
	}
	page := ann.follow(t, res).want(t, http.StatusOK)
	if got := flash(t, page); got != "Imported. The photo appears in a moment." {
		t.Errorf("flash %q", got)
	}
	if h := page.doc(t).one(t, "h1").textContent(); h != "Lemon drizzle loaf" {
		t.Errorf("recipe page heading %q", h)
	}
	rec, err := s.Store.Recipe(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Author.ID != s.userID(t, "ann") || rec.Visibility != recipe.Private || rec.Servings == nil || *rec.Servings != 8 ||
		len(rec.Ingredients) != 4 || len(rec.Steps) != 5 || rec.SourceURL != pageOK {
		t.Errorf("saved %+v", rec)
	}
	if g := rec.StepGroups; len(g) != 2 || g[1] != (recipe.StepGroup{Title: "For the drizzle", Start: 3}) {
		t.Errorf("step groups saved %+v", g)
	}
	// The page's heading among its ingredient lines is a section, through
	// the form's "# " row, not an ingredient.
	if g := rec.IngredientGroups; len(g) != 1 || g[0] != (recipe.IngredientGroup{Title: "For the drizzle", Start: 3}) {
		t.Errorf("ingredient groups saved %+v", g)
	}
	// The job queue brings the photo.
	eventually(t, "the page's photo on the recipe", func() bool {
		rec, err := s.Store.Recipe(context.Background(), id)
		return err == nil && rec.Photo != nil
	})
	if k.photos.Load() == 0 {
		t.Error("the recipe has a photo the site never sent")
	}

	// Again, without the photo, a step emptied: the sections follow.
	values.Del("keep_photo")
	steps := values["step"]
	steps[2] = ""
	values["step"] = steps
	res = ann.post(t, "/import/save", values).want(t, http.StatusSeeOther)
	if got := flash(t, ann.follow(t, res)); got != "Imported." {
		t.Errorf("flash without a photo %q", got)
	}
	rec, err = s.Store.Recipe(context.Background(), strings.TrimPrefix(res.location(t), "/recipes/"))
	if err != nil {
		t.Fatal(err)
	}
	if g := rec.StepGroups; len(g) != 2 || g[1].Start != 2 || len(rec.Steps) != 4 {
		t.Errorf("after emptying a step: groups %+v over %d steps", g, len(rec.Steps))
	}

	// The same page once more: the form offers the first import.
	d = assertDocument(t, ann.post(t, "/import", url.Values{"url": {pageOK}}).want(t, http.StatusOK))
	n := d.one(t, "#import-existing")
	if !strings.Contains(n.textContent(), "You imported this before:") {
		t.Errorf("notice %q", n.textContent())
	}
	var open, again bool
	for _, a := range n.all("a") {
		switch a.textContent() {
		case "Open it":
			open = strings.HasPrefix(a.get("href"), "/recipes/")
		case "Import again anyway":
			again = a.get("href") == "#title"
		}
	}
	if !open || !again {
		t.Errorf("notice links: open %v, again %v", open, again)
	}
}

func TestImportSaveProblems(t *testing.T) {
	t.Parallel()
	s, k := importSite(t, "sqlite")
	ann := s.register(t, "ann")
	d := ann.post(t, "/import", url.Values{"url": {k.URL + "/lemon-cake"}}).want(t, http.StatusOK).doc(t)
	good := formValues(d, "recipe-form")
	saved := func() int { return len(recipeCards(t, ann.get(t, "/").want(t, http.StatusOK))) }

	t.Run("invalid fields come back with the summary", func(t *testing.T) {
		v := cloneValues(good)
		v.Set("title", "")
		v.Set("prep_minutes", "soon")
		r := ann.post(t, "/import/save", v).want(t, http.StatusUnprocessableEntity)
		d := assertDocument(t, r)
		assertFieldError(t, d, "title", "required")
		assertFieldError(t, d, "prep_minutes", "whole number")
		links := summaryLinks(t, d)
		if links["title"] == "" || links["prep_minutes"] == "" {
			t.Errorf("summary %v", links)
		}
		// The import's own parts survive the round trip.
		if d.one(t, "form#recipe-form").get("action") != "/import/save" || !d.one(t, "#keep_photo").has("checked") ||
			d.one(t, `input[name="image_url"]`).get("value") != k.URL+"/lemon-cake.jpg" || d.first("#servings-missing") == nil {
			t.Error("the corrected form lost the import's photo or notes")
		}
		if inputValue(t, d, "prep_minutes") != "soon" {
			t.Error("the typed value is not shown back")
		}
	})

	t.Run("tampered hidden fields are refused", func(t *testing.T) {
		for name, change := range map[string]func(url.Values){
			"photo not a web address": func(v url.Values) { v.Set("image_url", "javascript:alert(1)") },
			"photo a file":            func(v url.Values) { v.Set("image_url", "file:///etc/passwd") },
			"photo too long":          func(v url.Values) { v.Set("image_url", "https://recipes.test/"+strings.Repeat("p", 2048)) },
		} {
			v := cloneValues(good)
			change(v)
			r := ann.post(t, "/import/save", v).want(t, http.StatusBadRequest)
			assertDocument(t, r)
			if n := saved(); n != 0 {
				t.Fatalf("%s: saved anyway (%d recipes)", name, n)
			}
		}
	})

	t.Run("a heading left without steps is pointed at", func(t *testing.T) {
		v := cloneValues(good)
		v["step"] = []string{"# For the cake", "Only step.", "# For the drizzle", ""}
		d := assertDocument(t, ann.post(t, "/import/save", v).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "step-2", "section heading with no step")
		if saved() != 0 || d.one(t, "form#recipe-form").get("action") != "/import/save" {
			t.Error("saved anyway, or the import's form was lost")
		}
	})
}

func TestImportFromHTMLAndText(t *testing.T) {
	t.Parallel()
	s, k := importSite(t, "sqlite")
	ann := s.register(t, "ann")
	before := k.pages.Load()
	// Pasted without its address: the photo's relative URL leads nowhere.
	r := ann.postMultipart(t, "/import", url.Values{"html": {lemonPage}})
	d := assertDocument(t, r.want(t, http.StatusOK))
	if inputValue(t, d, "title") != lemonTitle || inputValue(t, d, "ingredient-2") != "4 eggs" {
		t.Error("the pasted page's recipe is not in the form")
	}
	if d.first("#keep_photo") != nil || d.first("#photo-missing") == nil {
		t.Error("a page without a usable photo offers to keep one")
	}
	// With its address: the source, and the photo found.
	d = assertDocument(t, ann.postMultipart(t, "/import", url.Values{"html": {lemonPage}, "base_url": {k.URL + "/lemon-cake"}}).want(t, http.StatusOK))
	if inputValue(t, d, "source_url") != k.URL+"/lemon-cake" || d.first("#keep_photo") == nil {
		t.Error("the page's address did not give the source and the photo")
	}
	if k.pages.Load() != before {
		t.Error("pasting a page fetched it")
	}

	// A link pasted into the text box is imported as a link.
	d = assertDocument(t, ann.post(t, "/import", url.Values{"text": {" " + k.URL + "/lemon-cake\n"}}).want(t, http.StatusOK))
	if inputValue(t, d, "source_url") != k.URL+"/lemon-cake" {
		t.Error("a link in the text box was not imported as a link")
	}

	text := "Quick flatbreads\n\nIngredients\n250 g self-raising flour\n250 g Greek yoghurt\n1 tsp salt\n\n" +
		"Method\n1. Mix everything into a soft dough.\n2. Divide into six and roll out thinly.\n3. Cook in a hot dry pan for 2 minutes a side."
	d = assertDocument(t, ann.post(t, "/import", url.Values{"text": {text}}).want(t, http.StatusOK))
	if inputValue(t, d, "title") != "Quick flatbreads" || inputValue(t, d, "ingredient-2") != "1 tsp salt" ||
		!strings.HasPrefix(inputValue(t, d, "step-2"), "Cook in a hot dry pan") {
		t.Errorf("the text's recipe is not in the form: %q, %q, %q", inputValue(t, d, "title"), inputValue(t, d, "ingredient-2"), inputValue(t, d, "step-2"))
	}
	for _, id := range []string{"prep_minutes", "cook_minutes"} {
		if !strings.Contains(d.one(t, "#"+id).get("aria-describedby"), "time-missing") {
			t.Errorf("#%s is not marked missing", id)
		}
	}
	res := ann.post(t, "/import/save", formValues(d, "recipe-form")).want(t, http.StatusSeeOther)
	if got := flash(t, ann.follow(t, res)); got != "Imported." {
		t.Errorf("flash %q", got)
	}
}

func TestImportBulk(t *testing.T) {
	t.Parallel()
	s, k := importSite(t, "sqlite")
	workJobs(t, s)
	ann := s.register(t, "ann")
	d := assertDocument(t, ann.get(t, "/import/bulk").want(t, http.StatusOK))
	if !strings.Contains(d.one(t, "#urls-hint").textContent(), "Up to 200 links") {
		t.Error("the limit is not shown")
	}

	lemon, blocked, about := k.URL+"/lemon-cake", k.URL+"/blocked", k.URL+"/about-us"
	for _, c := range []struct{ urls, says string }{
		{"", "at least one link"},
		{"\n \n", "at least one link"},
		{lemon + "\nnot a link", "Line 2 is not a web address"},
		{"javascript:alert(1)", "Line 1"},
		{manyLinks(lemon, 201), "more than 200 links"},
	} {
		r := ann.post(t, "/import/bulk", url.Values{"urls": {c.urls}}).want(t, http.StatusUnprocessableEntity)
		d := assertDocument(t, r)
		assertFieldError(t, d, "urls", c.says)
		if inputValue(t, d, "urls") != c.urls {
			t.Error("the list is not shown back")
		}
	}
	if k.pages.Load() != 0 {
		t.Fatal("a refused list was fetched")
	}

	r := ann.post(t, "/import/bulk", url.Values{"urls": {lemon + "\n\n" + blocked + "\n" + lemon + "\r\n" + about}}).want(t, http.StatusSeeOther)
	loc := r.location(t)
	if !strings.HasPrefix(loc, "/import/bulk/") {
		t.Fatalf("redirect %q", loc)
	}
	var p *resp
	eventually(t, "the bulk import to finish", func() bool {
		p = ann.get(t, loc).want(t, http.StatusOK)
		return p.doc(t).first("[data-refresh]") == nil
	})
	d = assertDocument(t, p)
	if strings.Contains(string(p.body), `http-equiv="refresh"`) {
		t.Error("a finished import's page still refreshes")
	}
	if h := d.one(t, "h1").textContent(); h != "Recipes imported" {
		t.Errorf("heading %q", h)
	}
	if bar := d.one(t, "progress#bulk-bar"); bar.get("max") != "3" || bar.get("value") != "3" {
		t.Errorf("progress %v (blank and repeated lines are dropped)", bar)
	}
	status := d.one(t, "#bulk-status").textContent()
	for _, want := range []string{"3 of 3", "1 saved", "0 already imported", "2 failed"} {
		if !strings.Contains(status, want) {
			t.Errorf("status %q does not say %q", status, want)
		}
	}
	rows := d.all("table.bulk-items tbody tr")
	if len(rows) != 3 || rows[0].first(`a[href^="/recipes/"]`) == nil || !strings.Contains(rows[0].textContent(), lemonTitle) ||
		!strings.Contains(rows[1].textContent(), "Failed:") || !strings.Contains(rows[2].textContent(), "Failed:") {
		t.Errorf("rows: %q", d.texts("table.bulk-items tbody tr"))
	}
	retry := d.one(t, "form.bulk-retry")
	if retry.get("action") != loc+"/retry" || !strings.Contains(retry.textContent(), "Retry the 2 failed") {
		t.Errorf("retry form %v", retry)
	}
	fetched := k.pages.Load()
	r = ann.post(t, loc+"/retry", nil).want(t, http.StatusSeeOther)
	if r.location(t) != loc {
		t.Errorf("retry went to %q", r.location(t))
	}
	eventually(t, "the failed links to be tried again", func() bool {
		return k.pages.Load() >= fetched+2 && ann.get(t, loc).want(t, http.StatusOK).doc(t).first("[data-refresh]") == nil
	})

	// Another person's import is nobody's business.
	bob := s.register(t, "bob")
	assertNotFoundPage(t, bob.get(t, loc))
	assertNotFoundPage(t, bob.post(t, loc+"/retry", nil))
	assertNotFoundPage(t, ann.get(t, "/import/bulk/nope"))
}

func TestWebManifest(t *testing.T) {
	t.Parallel()
	s, _ := importSite(t, "sqlite")
	anon := s.browser()
	d := anon.get(t, "/").want(t, http.StatusOK).doc(t)
	if l := d.one(t, `link[rel="manifest"]`); l.get("href") != "/manifest.webmanifest" {
		t.Errorf("manifest link %v", l)
	}
	r := anon.get(t, "/manifest.webmanifest").want(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "application/manifest+json" {
		t.Errorf("Content-Type %q", ct)
	}
	var m struct {
		Name        string
		ShortName   string `json:"short_name"`
		StartURL    string `json:"start_url"`
		Display     string
		Icons       []struct{ Src, Sizes, Type string }
		ShareTarget struct {
			Action, Method string
			Params         map[string]string
		} `json:"share_target"`
	}
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("manifest: %v\n%s", err, r.body)
	}
	if m.ShortName == "" || m.StartURL != "/" || m.Display != "standalone" || len(m.Icons) == 0 {
		t.Errorf("manifest %+v", m)
	}
	st := m.ShareTarget
	if st.Action != "/import" || st.Method != "GET" || st.Params["url"] != "url" || st.Params["text"] != "text" || st.Params["title"] != "title" {
		t.Errorf("share target %+v", st)
	}
	for _, icon := range m.Icons {
		anon.get(t, icon.Src).want(t, http.StatusOK)
	}
}

func manyLinks(base string, n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(base + "?n=" + strconv.Itoa(i) + "\n")
	}
	return b.String()
}

// formValues is what a browser sends for the form with id: named inputs
// (checkboxes only when checked), textareas and each select's chosen
// option.
func formValues(d *node, id string) url.Values {
	v := url.Values{}
	form := d.first("form#" + id)
	if form == nil {
		return v
	}
	form.each(func(e *node) {
		name := e.get("name")
		if name == "" || e.has("disabled") {
			return
		}
		switch e.tag {
		case "input":
			switch e.get("type") {
			case "checkbox", "radio":
				if e.has("checked") {
					v.Add(name, valueOr(e, "on"))
				}
			case "file", "submit", "button":
			default:
				v.Add(name, e.get("value"))
			}
		case "textarea":
			v.Add(name, strings.TrimPrefix(e.rawText(), "\n"))
		case "select":
			var chosen, first *node
			for _, o := range e.all("option") {
				if first == nil {
					first = o
				}
				if o.has("selected") {
					chosen = o
				}
			}
			if chosen == nil {
				chosen = first
			}
			if chosen != nil {
				v.Add(name, chosen.get("value"))
			}
		}
	})
	return v
}

func valueOr(e *node, def string) string {
	if v, ok := e.attr("value"); ok {
		return v
	}
	return def
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Imports fetch from other sites: the pages count against the import
// rate limit, the API's budget, and the 61st within the hour is refused.
func TestImportRateLimited(t *testing.T) {
	t.Parallel()
	srv := testutil.StartServerWith(t, "sqlite", func(c *config.Config) { c.RateLimits = true })
	s := wrapSite(t, srv, "sqlite")
	ann := s.register(t, "ann")
	for i := range 60 {
		if r := ann.post(t, "/import", url.Values{"url": {""}}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("import %d: status %d", i+1, r.status)
		}
	}
	r := ann.post(t, "/import", url.Values{"url": {"https://example.com/"}}).want(t, http.StatusTooManyRequests)
	assertDocument(t, r)
	if r.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	ann.post(t, "/import/bulk", url.Values{"urls": {"https://example.com/"}}).want(t, http.StatusTooManyRequests)
	// Following an import is not limited.
	ann.get(t, "/import").want(t, http.StatusOK)
}
