package ui_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/recipe"
)

// The import pages: a link, a page's HTML or a text in; the recipe form
// filled in for checking; saved with the page's photo.

func TestImportNeedsSignIn(t *testing.T) {
	t.Parallel()
	s, f := importSite(t, "sqlite")
	anon := s.browser()
	r := anon.get(t, "/import?url="+q(pageOK)+"&go=1").want(t, http.StatusSeeOther)
	if got, want := r.location(t), "/login?next="+q("/import?url="+q(pageOK)+"&go=1"); got != want {
		t.Errorf("redirect %q, want %q", got, want)
	}
	for _, p := range []string{"/import/bulk", "/import/bulk/bulk1"} {
		if loc := anon.get(t, p).want(t, http.StatusSeeOther).location(t); !strings.HasPrefix(loc, "/login?next=") {
			t.Errorf("GET %s: redirect %q", p, loc)
		}
	}
	for _, p := range []string{"/import", "/import/save", "/import/bulk", "/import/bulk/bulk1/retry"} {
		if loc := anon.post(t, p, url.Values{"url": {pageOK}}).want(t, http.StatusSeeOther).location(t); !strings.HasPrefix(loc, "/login") {
			t.Errorf("POST %s: redirect %q", p, loc)
		}
	}
	if n := f.previewCount(); n != 0 {
		t.Errorf("a signed-out visitor made %d previews", n)
	}
}

func TestImportHiddenWithoutFlows(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	s.App.SetImportFlows(nil)
	ann := s.register(t, "ann")
	home := ann.get(t, "/").want(t, http.StatusOK)
	if home.doc(t).first(`header a[href="/import"]`) != nil {
		t.Error("the navigation offers import, which is not configured")
	}
	for _, p := range []string{"/import", "/import/bulk", "/import/bulk/x"} {
		assertNotFoundPage(t, ann.get(t, p))
	}
	for _, p := range []string{"/import", "/import/save", "/import/bulk", "/import/bulk/x/retry"} {
		assertNotFoundPage(t, ann.post(t, p, url.Values{"url": {pageOK}}))
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
	s, f := importSite(t, "sqlite")
	ann := s.register(t, "ann")

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
		if f.previewCount() != 0 {
			t.Error("showing the form fetched something")
		}
	})

	t.Run("a link arrives filled in, not fetched", func(t *testing.T) {
		for _, c := range []struct{ query, url, text string }{
			{"url=" + q(pageOK), pageOK, ""},
			{"url=" + q(pageOK) + "&go=1", pageOK, ""},
			// Share sheets put the link in the text, often after words.
			{"title=Cake&text=" + q("Look at this: "+pageOK+"."), pageOK, ""},
			{"text=" + q("("+pageOK+")"), pageOK, ""},
			// Words without a link are a recipe's text.
			{"title=" + q("Pancakes") + "&text=" + q("2 eggs\nMix."), "", "Pancakes\n\n2 eggs\nMix."},
			{"url=" + q("javascript:alert(1)"), "", ""},
			{"url=" + q("ftp://recipes.test/x"), "", ""},
		} {
			d := assertDocument(t, ann.get(t, "/import?"+c.query).want(t, http.StatusOK))
			if got := inputValue(t, d, "url"); got != c.url {
				t.Errorf("?%s: URL field %q, want %q", c.query, got, c.url)
			}
			if got := inputValue(t, d, "text"); got != c.text {
				t.Errorf("?%s: text %q, want %q", c.query, got, c.text)
			}
			auto := d.one(t, "form.import-url").has("data-autosubmit")
			if want := strings.Contains(c.query, "go=1"); auto != want {
				t.Errorf("?%s: auto-submit %v, want %v", c.query, auto, want)
			}
		}
		if f.previewCount() != 0 {
			t.Error("a GET fetched something")
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
			{url.Values{"url": {pageBlocked}}, "url", "refused to send us the page", true},
			{url.Values{"url": {pageEmpty}}, "url", "Paste the recipe’s text", false},
			{url.Values{"url": {pageRefused}}, "url", "can’t be imported", false},
			{url.Values{"html": {"<p>just words</p>"}}, "html", "found no recipe", true},
			{url.Values{"html": {"<p>Recipe</p>"}, "base_url": {"javascript:x"}}, "html", "page’s address", true},
			{url.Values{"text": {strings.Repeat("x", 200<<10+1)}}, "text", "longer than a recipe", false},
		} {
			r := ann.post(t, "/import", c.form).want(t, http.StatusUnprocessableEntity)
			d := assertDocument(t, r)
			assertFieldError(t, d, c.field, c.says)
			if links := summaryLinks(t, d); !strings.Contains(links[c.field], c.says) {
				t.Errorf("%v: error summary %v", c.form, links)
			}
			if open := d.one(t, "details#paste-html").has("open"); open != c.openHTML {
				t.Errorf("%v: HTML disclosure open %v, want %v", c.form, open, c.openHTML)
			}
			if !strings.HasPrefix(d.one(t, "title").textContent(), "Please check the form") {
				t.Errorf("%v: title does not say so", c.form)
			}
		}
		// A blocked site: the page's address is carried into the HTML form.
		d := ann.post(t, "/import", url.Values{"url": {pageBlocked}}).doc(t)
		if got := inputValue(t, d, "base_url"); got != pageBlocked {
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
	forEachEngine(t, func(t *testing.T, s *site) {
		f := newRecordedFlows(s.Store)
		s.App.SetImportFlows(f)
		ann := s.register(t, "ann")

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
		for id, want := range map[string]string{"title": "Lemon drizzle cake", "prep_minutes": "20", "cook_minutes": "45",
			"servings": "", "source_url": pageOK, "ingredient-0": "225 g butter, softened", "ingredient-3": "1 lemon, zested",
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
		// The photo: a choice, never a hotlink.
		if d.first(`img[src="`+pageImage+`"]`) != nil || strings.Contains(strings.Join(pageAssets(t, r), " "), "recipes.test") {
			t.Error("the page's photo is hotlinked")
		}
		if keep := d.one(t, "#keep_photo"); !keep.has("checked") || keep.get("type") != "checkbox" {
			t.Error("Keep the page's photo is not offered, checked")
		}
		if v := d.one(t, `input[name="image_url"]`).get("value"); v != pageImage {
			t.Errorf("image_url %q", v)
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
		loc := res.location(t)
		if !strings.HasPrefix(loc, "/recipes/") {
			t.Fatalf("saved to %q", loc)
		}
		page := ann.follow(t, res).want(t, http.StatusOK)
		if got := flash(t, page); got != "Imported. The photo appears in a moment." {
			t.Errorf("flash %q", got)
		}
		if h := page.doc(t).one(t, "h1").textContent(); h != "Lemon drizzle loaf" {
			t.Errorf("recipe page heading %q", h)
		}
		saved := f.lastSave(t)
		if saved.userID != s.userID(t, "ann") || saved.imageURL != pageImage {
			t.Errorf("saved for %q with photo %q", saved.userID, saved.imageURL)
		}
		if saved.in.Visibility != recipe.Private || *saved.in.Servings != 8 || len(saved.in.Ingredients) != 4 || len(saved.in.Steps) != 5 ||
			saved.in.SourceURL != pageOK {
			t.Errorf("saved %+v", saved.in)
		}
		if g := saved.in.StepGroups; len(g) != 2 || g[1] != (recipe.StepGroup{Title: "For the drizzle", Start: 3}) {
			t.Errorf("step groups saved %+v", g)
		}

		// Without the photo; a step emptied moves the sections after it.
		values.Del("keep_photo")
		steps := values["step"]
		steps[2] = ""
		values["step"] = steps
		res = ann.post(t, "/import/save", values).want(t, http.StatusSeeOther)
		if got := flash(t, ann.follow(t, res)); got != "Imported." {
			t.Errorf("flash without a photo %q", got)
		}
		saved = f.lastSave(t)
		if saved.imageURL != "" {
			t.Errorf("photo %q saved though not kept", saved.imageURL)
		}
		if g := saved.in.StepGroups; len(g) != 2 || g[1].Start != 2 || len(saved.in.Steps) != 4 {
			t.Errorf("after emptying step 2: groups %+v over %d steps", g, len(saved.in.Steps))
		}
	})
}

func TestImportSaveProblems(t *testing.T) {
	t.Parallel()
	s, f := importSite(t, "sqlite")
	ann := s.register(t, "ann")
	d := ann.post(t, "/import", url.Values{"url": {pageOK}}).want(t, http.StatusOK).doc(t)
	good := formValues(d, "recipe-form")

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
			d.one(t, `input[name="image_url"]`).get("value") != pageImage ||
			d.first("#servings-missing") == nil {
			t.Error("the corrected form lost the import's photo, sections or notes")
		}
		if inputValue(t, d, "prep_minutes") != "soon" {
			t.Error("the typed value is not shown back")
		}
	})

	t.Run("tampered hidden fields are refused", func(t *testing.T) {
		before := len(f.saves)
		for name, change := range map[string]func(url.Values){
			"photo not a web address": func(v url.Values) { v.Set("image_url", "javascript:alert(1)") },
			"photo a file":            func(v url.Values) { v.Set("image_url", "file:///etc/passwd") },
			"photo too long":          func(v url.Values) { v.Set("image_url", "https://recipes.test/"+strings.Repeat("p", 2048)) },
		} {
			v := cloneValues(good)
			change(v)
			r := ann.post(t, "/import/save", v).want(t, http.StatusBadRequest)
			assertDocument(t, r)
			if len(f.saves) != before {
				t.Fatalf("%s: saved anyway", name)
			}
		}
	})

	t.Run("a heading left without steps is pointed at", func(t *testing.T) {
		before := len(f.saves)
		v := cloneValues(good)
		v["step"] = []string{"# For the cake", "Only step.", "# For the drizzle", ""}
		d := assertDocument(t, ann.post(t, "/import/save", v).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "step-2", "section heading with no step")
		if len(f.saves) != before || d.one(t, "form#recipe-form").get("action") != "/import/save" {
			t.Error("saved anyway, or the import's form was lost")
		}
	})
}

func TestImportExistingRecipe(t *testing.T) {
	t.Parallel()
	s, f := importSite(t, "sqlite")
	ann := s.register(t, "ann")
	id := ann.createRecipe(t, simpleRecipe("My lemon cake", "private"))
	f.existing = &recipe.Summary{ID: id, Title: "My lemon cake"}
	d := assertDocument(t, ann.post(t, "/import", url.Values{"url": {pageOK}}).want(t, http.StatusOK))
	n := d.one(t, "#import-existing")
	if !strings.Contains(n.textContent(), "You imported this before: My lemon cake") {
		t.Errorf("notice %q", n.textContent())
	}
	var open, again bool
	for _, a := range n.all("a") {
		switch a.textContent() {
		case "Open it":
			open = a.get("href") == "/recipes/"+id
		case "Import again anyway":
			again = a.get("href") == "#title"
		}
	}
	if !open || !again {
		t.Errorf("notice links: open %v, again %v", open, again)
	}
}

func TestImportFromHTMLAndText(t *testing.T) {
	t.Parallel()
	s, f := importSite(t, "sqlite")
	ann := s.register(t, "ann")
	r := ann.postMultipart(t, "/import", url.Values{"html": {`<script type="application/ld+json">{"@type":"Recipe"}</script>`}, "base_url": {pageOK}})
	d := assertDocument(t, r.want(t, http.StatusOK))
	if inputValue(t, d, "title") != "Lemon drizzle cake" || inputValue(t, d, "source_url") != pageOK {
		t.Error("the pasted page's recipe is not in the form")
	}
	if d.first("#keep_photo") != nil || d.first("#photo-missing") == nil {
		t.Error("a page without a photo offers to keep one")
	}
	if src := f.previews[len(f.previews)-1]; src.HTML == "" || src.BaseURL != pageOK || src.URL != "" {
		t.Errorf("previewed %+v", src)
	}

	// A link pasted into the text box is imported as a link.
	ann.post(t, "/import", url.Values{"text": {" " + pageOK + "\n"}}).want(t, http.StatusOK)
	if src := f.previews[len(f.previews)-1]; src.URL != pageOK || src.Text != "" {
		t.Errorf("a link in the text box previewed as %+v", src)
	}

	d = assertDocument(t, ann.post(t, "/import", url.Values{"text": {"Pancakes\n2 eggs\nMix."}}).want(t, http.StatusOK))
	if inputValue(t, d, "title") != "Pancakes" {
		t.Error("the text's recipe is not in the form")
	}
	for _, id := range []string{"ingredients", "steps"} {
		desc := d.one(t, "fieldset#"+id).get("aria-describedby")
		if id == "ingredients" && desc != "ingredients-missing" || id == "steps" && desc != "" {
			t.Errorf("fieldset #%s described by %q", id, desc)
		}
	}
	for _, id := range []string{"prep_minutes", "cook_minutes"} {
		if !strings.Contains(d.one(t, "#"+id).get("aria-describedby"), "time-missing") {
			t.Errorf("#%s is not marked missing", id)
		}
	}
}

func TestImportBulk(t *testing.T) {
	t.Parallel()
	s, f := importSite(t, "sqlite")
	ann := s.register(t, "ann")
	d := assertDocument(t, ann.get(t, "/import/bulk").want(t, http.StatusOK))
	if !strings.Contains(d.one(t, "#urls-hint").textContent(), "Up to 200 links") {
		t.Error("the limit is not shown")
	}

	for _, c := range []struct{ urls, says string }{
		{"", "at least one link"},
		{"\n \n", "at least one link"},
		{pageOK + "\nnot a link", "Line 2 is not a web address"},
		{"javascript:alert(1)", "Line 1"},
		{manyLinks(201), "more than 200 links"},
	} {
		r := ann.post(t, "/import/bulk", url.Values{"urls": {c.urls}}).want(t, http.StatusUnprocessableEntity)
		d := assertDocument(t, r)
		assertFieldError(t, d, "urls", c.says)
		if inputValue(t, d, "urls") != c.urls {
			t.Error("the list is not shown back")
		}
	}
	if len(f.bulks) != 0 {
		t.Fatal("a refused list started an import")
	}

	r := ann.post(t, "/import/bulk", url.Values{"urls": {pageOK + "\n\n" + pageBlocked + "\n" + pageOK + "\r\n" + pageEmpty}}).want(t, http.StatusSeeOther)
	loc := r.location(t)
	if loc != "/import/bulk/bulk1" {
		t.Fatalf("redirect %q", loc)
	}
	if b := f.bulks["bulk1"]; b.Total != 3 {
		t.Errorf("bulk of %d links, want 3 (blank and repeated lines dropped)", b.Total)
	}
	p := ann.get(t, loc).want(t, http.StatusOK)
	d = assertDocument(t, p)
	if bar := d.one(t, "progress#bulk-bar"); bar.get("max") != "3" || bar.get("value") != "0" {
		t.Errorf("progress %v", bar)
	}
	if !strings.Contains(string(p.body), `<noscript><meta http-equiv="refresh" content="2"></noscript>`) {
		t.Error("a running import's page does not refresh itself")
	}
	if d.first("#bulk-progress[data-refresh]") == nil {
		t.Error("no data-refresh for import.js")
	}
	if d.first(".bulk-retry") != nil {
		t.Error("retry offered while running")
	}

	recID := ann.createRecipe(t, simpleRecipe("Lemon cake", "private"))
	f.finish("bulk1",
		recipeItem(pageOK, "done", recID, "Lemon cake"),
		recipeItem(pageBlocked, "failed", "", ""),
		recipeItem(pageEmpty, "skipped", recID, "Lemon cake"))
	p = ann.get(t, loc).want(t, http.StatusOK)
	d = assertDocument(t, p)
	if strings.Contains(string(p.body), `http-equiv="refresh"`) || d.first("[data-refresh]") != nil {
		t.Error("a finished import's page still refreshes")
	}
	if h := d.one(t, "h1").textContent(); h != "Recipes imported" {
		t.Errorf("heading %q", h)
	}
	status := d.one(t, "#bulk-status").textContent()
	for _, want := range []string{"3 of 3", "1 saved", "1 already imported", "1 failed"} {
		if !strings.Contains(status, want) {
			t.Errorf("status %q does not say %q", status, want)
		}
	}
	rows := d.all("table.bulk-items tbody tr")
	if len(rows) != 3 || rows[0].first(`a[href="/recipes/`+recID+`"]`) == nil || !strings.Contains(rows[1].textContent(), "Failed: the site said no") ||
		!strings.Contains(rows[2].textContent(), "Imported before") {
		t.Errorf("rows: %q", d.texts("table.bulk-items tbody tr"))
	}
	retry := d.one(t, "form.bulk-retry")
	if retry.get("action") != "/import/bulk/bulk1/retry" {
		t.Errorf("retry form %v", retry)
	}
	r = ann.post(t, "/import/bulk/bulk1/retry", nil).want(t, http.StatusSeeOther)
	if r.location(t) != loc || len(f.retried) != 1 {
		t.Errorf("retry went to %q, retried %v", r.location(t), f.retried)
	}

	// Another person's import is nobody's business.
	bob := s.register(t, "bob")
	assertNotFoundPage(t, bob.get(t, loc))
	assertNotFoundPage(t, bob.post(t, "/import/bulk/bulk1/retry", nil))
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

func recipeItem(u, status, id, title string) importer.BulkItem {
	it := importer.BulkItem{URL: u, Status: importer.BulkStatus(status), RecipeID: id, Title: title}
	if status == "failed" {
		it.Error = "the site said no"
	}
	return it
}

func manyLinks(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(pageOK + "?n=" + strconv.Itoa(i) + "\n")
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
