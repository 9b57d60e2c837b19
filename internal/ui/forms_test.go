package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/store"
)

// The forms work as plain form posts, without JavaScript.

func TestRegisterForm(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")

	t.Run("success signs in and welcomes", func(t *testing.T) {
		b := s.browser()
		r := b.post(t, "/register", url.Values{"username": {"Ann"}, "email": {"Ann@Example.test"},
			"password": {testPassword}, "display_name": {"Ann Cook"}}).want(t, http.StatusSeeOther)
		if r.location(t) != "/" {
			t.Errorf("redirected to %q", r.location(t))
		}
		var session *http.Cookie
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			if c.Name == authhttp.SessionCookie {
				session = c
			}
		}
		if session == nil || session.Value == "" || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" {
			t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/", session)
		}
		home := b.follow(t, r).want(t, http.StatusOK)
		assertDocument(t, home)
		if f := flash(t, home); !strings.Contains(f, "Welcome") {
			t.Errorf("flash after sign-up = %q, want a welcome", f)
		}
		if h := home.doc(t).one(t, "h1").textContent(); h != "Your kitchen" {
			t.Errorf("signed-up home page heading %q", h)
		}
		// The flash is shown once.
		if f := flash(t, b.get(t, "/").want(t, http.StatusOK)); f != "" {
			t.Errorf("flash shown again on reload: %q", f)
		}
		if u, err := s.Store.UserByUsername(context.Background(), "ann"); err != nil || u.Email != "ann@example.test" || u.DisplayName != "Ann Cook" {
			t.Errorf("stored user = %+v, %v", u, err)
		}
	})

	t.Run("every field invalid", func(t *testing.T) {
		b := s.browser()
		form := url.Values{"username": {"x!"}, "email": {"not-an-email"}, "display_name": {strings.Repeat("d", 81)}, "password": {"short7!"}}
		r := b.post(t, "/register", form).want(t, http.StatusUnprocessableEntity)
		if strings.Contains(r.String(), "short7!") {
			t.Error("the page sends the typed password back")
		}
		d := assertDocument(t, r)
		if !strings.HasPrefix(d.one(t, "title").textContent(), "Please check the form") {
			t.Errorf("title %q does not say the form has errors", d.one(t, "title").textContent())
		}
		for id, want := range map[string]string{"username": "x!", "email": "not-an-email", "display_name": strings.Repeat("d", 81), "password": ""} {
			if got := inputValue(t, d, id); got != want {
				t.Errorf("#%s value = %q, want %q", id, got, want)
			}
		}
		assertFieldError(t, d, "username", "must be 3 to 32 characters")
		assertFieldError(t, d, "email", "valid email address")
		assertFieldError(t, d, "display_name", "at most 80")
		assertFieldError(t, d, "password", "at least 8 characters")
		// The hints stay described too.
		if !strings.Contains(d.one(t, "#username").get("aria-describedby"), "username-hint") {
			t.Error("#username lost its hint")
		}
		links := summaryLinks(t, d)
		for _, id := range []string{"username", "email", "display_name", "password"} {
			if _, ok := links[id]; !ok {
				t.Errorf("error summary has no link to #%s: %v", id, links)
			}
		}
		if sum := d.one(t, "#error-summary"); sum.get("role") != "alert" || !strings.Contains(sum.textContent(), "these 4 fields") {
			t.Errorf("error summary: role=%q text=%q", sum.get("role"), sum.textContent())
		}
		if b.cookie(authhttp.SessionCookie) != "" {
			t.Error("a failed sign-up set a session cookie")
		}
	})

	t.Run("taken username and email", func(t *testing.T) {
		r := s.browser().post(t, "/register", url.Values{"username": {"ANN"}, "email": {"other@example.test"}, "password": {testPassword}}).
			want(t, http.StatusUnprocessableEntity)
		d := assertDocument(t, r)
		assertFieldError(t, d, "username", "already taken")
		if inputValue(t, d, "username") != "ANN" {
			t.Errorf("typed username not kept: %q", inputValue(t, d, "username"))
		}
		r = s.browser().post(t, "/register", url.Values{"username": {"bob"}, "email": {"ann@example.test"}, "password": {testPassword}}).
			want(t, http.StatusUnprocessableEntity)
		assertFieldError(t, assertDocument(t, r), "email", "already taken")
	})
}

func TestLoginForm(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	s.register(t, "ann")
	s.register(t, "bob")

	t.Run("empty fields", func(t *testing.T) {
		r := s.browser().post(t, "/login", url.Values{"login": {""}, "password": {""}}).want(t, http.StatusUnprocessableEntity)
		d := assertDocument(t, r)
		assertFieldError(t, d, "login", "is required")
		assertFieldError(t, d, "password", "is required")
	})
	t.Run("wrong password", func(t *testing.T) {
		b := s.browser()
		r := b.post(t, "/login", url.Values{"login": {"ann"}, "password": {"wrong password"}, "next": {"/settings"}}).want(t, http.StatusUnauthorized)
		d := assertDocument(t, r)
		msg := d.first("main .error-summary[role=alert]")
		if msg == nil || !strings.Contains(msg.textContent(), "do not match") {
			t.Errorf("no message about the wrong credentials: %v", d.texts("main .error-summary"))
		}
		if inputValue(t, d, "login") != "ann" || inputValue(t, d, "password") != "" {
			t.Error("the login should be kept and the password not")
		}
		if v := d.one(t, `input[name="next"]`).get("value"); v != "/settings" {
			t.Errorf("next lost: %q", v)
		}
		if strings.Contains(r.String(), "wrong password") {
			t.Error("the typed password is sent back")
		}
		if b.cookie(authhttp.SessionCookie) != "" {
			t.Error("a failed login set a session cookie")
		}
	})
	t.Run("by email, any case", func(t *testing.T) {
		b := s.browser()
		b.post(t, "/login", url.Values{"login": {"Ann@Example.TEST"}, "password": {testPassword}}).want(t, http.StatusSeeOther)
		if !b.signedIn(t) {
			t.Error("not signed in after logging in by email")
		}
	})
	t.Run("throttled after five failures", func(t *testing.T) {
		b := s.browser()
		for i := range 5 {
			b.post(t, "/login", url.Values{"login": {"bob"}, "password": {"guess " + strconv.Itoa(i)}}).want(t, http.StatusUnauthorized)
		}
		// Even the right password is refused now.
		r := b.post(t, "/login", url.Values{"login": {"bob"}, "password": {testPassword}}).want(t, http.StatusTooManyRequests)
		secs, err := strconv.Atoi(r.header.Get("Retry-After"))
		if err != nil || secs < 1 || secs > 15*60 {
			t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
		}
		d := assertDocument(t, r)
		if msg := d.first("main .error-summary"); msg == nil || !strings.Contains(msg.textContent(), "Too many failed attempts") {
			t.Errorf("no throttling message: %v", d.texts("main .error-summary"))
		}
		if b.cookie(authhttp.SessionCookie) != "" {
			t.Error("a throttled login set a session cookie")
		}
		// Another account is not locked by bob's failures.
		s.login(t, "ann")
	})
}

func TestRecipeFormCreate(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")

	form := ann.get(t, "/recipes/new").want(t, http.StatusOK)
	d := assertDocument(t, form)
	f := d.one(t, "form#recipe-form")
	if f.get("method") != "post" || f.get("action") != "/recipes/new" {
		t.Errorf("form method=%q action=%q", f.get("method"), f.get("action"))
	}
	// Without JavaScript there are empty rows to type into.
	if n := len(d.all(`input[name="ingredient"]`)); n < 3 {
		t.Errorf("%d ingredient rows on the empty form", n)
	}
	if n := len(d.all(`textarea[name="step"]`)); n < 3 {
		t.Errorf("%d step rows on the empty form", n)
	}
	if v := d.one(t, "#visibility option[selected]").get("value"); v != "private" {
		t.Errorf("new recipes default to %q, want private", v)
	}

	r := ann.post(t, "/recipes/new", recipeForm{
		Title: "Pancakes", Servings: "4", Visibility: "public", Prep: "10", Cook: "20",
		Ingredients: []string{"1 1/2 cups flour", "1 egg, beaten"},
		Steps:       []string{"Whisk everything.", "Fry in a hot pan."},
	}.values()).want(t, http.StatusSeeOther)
	m := recipePath.FindStringSubmatch(r.location(t))
	if m == nil {
		t.Fatalf("redirected to %q, want the recipe page", r.location(t))
	}
	page := ann.follow(t, r).want(t, http.StatusOK)
	d = assertDocument(t, page)
	if f := flash(t, page); f != "Recipe saved." {
		t.Errorf("flash = %q, want Recipe saved.", f)
	}
	if h := d.one(t, "h1").textContent(); h != "Pancakes" {
		t.Errorf("h1 = %q", h)
	}
	ings := d.all("#ingredients li.ingredient")
	if len(ings) != 2 {
		t.Fatalf("%d ingredients shown, want 2: %q", len(ings), d.texts("#ingredients li"))
	}
	if got := ings[0].textContent(); got != "1½ cups flour" {
		t.Errorf("first ingredient %q, want 1½ cups flour", got)
	}
	if q, u := ings[0].first(".qty"), ings[0].first(".unit"); q == nil || q.textContent() != "1½" || u == nil || u.textContent() != "cups" {
		t.Errorf("quantity/unit markup of the first ingredient: %q", ings[0].textContent())
	}
	if got := ings[1].textContent(); got != "1 egg, beaten" {
		t.Errorf("second ingredient %q, want 1 egg, beaten", got)
	}
	if steps := d.texts("#steps li"); fmtList(steps) != fmtList([]string{"Whisk everything.", "Fry in a hot pan."}) {
		t.Errorf("steps %q", steps)
	}
	if got := d.texts(".facts dd"); !contains(got, "10 min") || !contains(got, "20 min") || !contains(got, "30 min") {
		t.Errorf("facts %q lack prep, cook and total", got)
	}
	// The flash is gone on reload.
	if f := flash(t, ann.get(t, "/recipes/"+m[1]).want(t, http.StatusOK)); f != "" {
		t.Errorf("flash shown again: %q", f)
	}
	rec, err := s.Store.Recipe(context.Background(), m[1])
	if err != nil || len(rec.Ingredients) != 2 || len(rec.Steps) != 2 || rec.Visibility != "public" {
		t.Fatalf("stored recipe %+v, %v", rec, err)
	}
}

func TestRecipeFormInvalid(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")

	t.Run("empty title, junk servings, too many ingredients", func(t *testing.T) {
		ings := make([]string, 101)
		for i := range ings {
			ings[i] = strconv.Itoa(i+1) + " g item number " + strconv.Itoa(i+1)
		}
		f := recipeForm{Title: "", Description: "Typed <b>description</b>", Servings: "abc", Prep: "5", Difficulty: "hard",
			Visibility: "unlisted", Tags: "one, two", Categories: "lunch", Source: "https://example.test/x",
			Ingredients: ings, Steps: []string{"First step.", "Second step."}}
		r := ann.post(t, "/recipes/new", f.values()).want(t, http.StatusUnprocessableEntity)
		d := assertDocument(t, r)
		assertFieldError(t, d, "title", "is required")
		assertFieldError(t, d, "servings", "whole number")
		if e := d.first("#ingredients-error"); e == nil || !strings.Contains(e.textContent(), "at most 100") {
			t.Errorf("no error about the number of ingredients")
		}
		links := summaryLinks(t, d)
		for _, id := range []string{"title", "servings", "ingredients"} {
			if _, ok := links[id]; !ok {
				t.Errorf("error summary has no link for %s: %v", id, links)
			}
		}
		// Everything typed is kept.
		for id, want := range map[string]string{"title": "", "description": "Typed <b>description</b>", "servings": "abc", "prep_minutes": "5",
			"tags": "one, two", "categories": "lunch", "source_url": "https://example.test/x"} {
			if got := inputValue(t, d, id); got != want {
				t.Errorf("#%s = %q, want %q", id, got, want)
			}
		}
		if v := d.one(t, "#difficulty option[selected]").get("value"); v != "hard" {
			t.Errorf("difficulty kept as %q", v)
		}
		if v := d.one(t, "#visibility option[selected]").get("value"); v != "unlisted" {
			t.Errorf("visibility kept as %q", v)
		}
		rows := d.all(`input[name="ingredient"]`)
		if len(rows) < 101 {
			t.Fatalf("%d ingredient rows kept, want all 101", len(rows))
		}
		for i, line := range ings {
			if rows[i].get("value") != line || rows[i].get("id") != "ingredient-"+strconv.Itoa(i) {
				t.Errorf("row %d: id=%q value=%q, want ingredient-%d %q", i, rows[i].get("id"), rows[i].get("value"), i, line)
				break
			}
		}
		if steps := d.all(`textarea[name="step"]`); len(steps) < 2 || steps[0].rawText() != "First step." || steps[1].rawText() != "Second step." {
			t.Error("steps not kept")
		}
	})

	t.Run("an over-long ingredient line is marked on its row", func(t *testing.T) {
		long := "1 cup " + strings.Repeat("x", 495) // 501 characters
		f := simpleRecipe("Long line", "public")
		f.Ingredients = []string{"2 eggs", long, "1 pinch salt"}
		f.Steps = append(f.Steps, strings.Repeat("s", 5001))
		r := ann.post(t, "/recipes/new", f.values()).want(t, http.StatusUnprocessableEntity)
		d := assertDocument(t, r)
		assertFieldError(t, d, "ingredient-1", "at most 500 characters")
		for _, id := range []string{"ingredient-0", "ingredient-2"} {
			if d.one(t, "#"+id).has("aria-invalid") {
				t.Errorf("#%s is marked invalid", id)
			}
		}
		if got := inputValue(t, d, "ingredient-1"); got != long {
			t.Errorf("the long line was not kept as typed (%d chars)", len(got))
		}
		assertFieldError(t, d, "step-3", "at most 5000")
		links := summaryLinks(t, d)
		if !strings.HasPrefix(links["ingredient-1"], "Ingredient 2") || !strings.HasPrefix(links["step-3"], "Step 4") {
			t.Errorf("error summary links %v", links)
		}
		if inputValue(t, d, "title") != "Long line" {
			t.Error("title not kept")
		}
	})

	t.Run("unreadable posts get an error page", func(t *testing.T) {
		big := simpleRecipe("Huge", "public").values()
		big.Set("description", strings.Repeat("x", 2<<20))
		r := ann.post(t, "/recipes/new", big).want(t, http.StatusRequestEntityTooLarge)
		if !strings.Contains(assertDocument(t, r).one(t, "main").textContent(), "larger than we accept") {
			t.Error("the 413 page does not say what went wrong")
		}
		r = ann.do(t, http.MethodPost, "/recipes/new", nil, func(req *http.Request) {
			req.Body = io.NopCloser(strings.NewReader("title=%zz&ingredient=%"))
			req.ContentLength = -1
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}).want(t, http.StatusBadRequest)
		assertDocument(t, r)
	})

	t.Run("nothing was saved", func(t *testing.T) {
		page, err := s.Store.ListRecipes(context.Background(), store.ListQuery{ViewerID: s.userID(t, "ann"), AuthorID: s.userID(t, "ann")})
		if err != nil || len(page.Items) != 0 {
			t.Errorf("recipes saved from invalid forms: %v, %v", page, err)
		}
	})
}

func TestRecipeEditAndDelete(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	id := ann.createRecipe(t, simpleRecipe("Tomato soup", "public"))

	t.Run("edit", func(t *testing.T) {
		r := ann.get(t, "/recipes/"+id+"/edit").want(t, http.StatusOK)
		d := assertDocument(t, r)
		if a := d.one(t, "form#recipe-form").get("action"); a != "/recipes/"+id+"/edit" {
			t.Errorf("edit form action %q", a)
		}
		if inputValue(t, d, "title") != "Tomato soup" || inputValue(t, d, "ingredient-0") != "1 1/2 cups flour" ||
			inputValue(t, d, "step-2") != "Bake until golden." || inputValue(t, d, "servings") != "4" {
			t.Errorf("edit form does not show the recipe as written")
		}
		// Without scripts an edit carries one spare row per list, to add
		// one more; not a block of blank boxes under the recipe.
		ings, steps := d.all(`input[name="ingredient"]`), d.all(`textarea[name="step"]`)
		if len(ings) != 4 || ings[2].get("value") == "" || ings[3].get("value") != "" {
			t.Errorf("edit form has %d ingredient rows, want the 3 of the recipe and 1 spare", len(ings))
		}
		if len(steps) != 4 || steps[3].textContent() != "" {
			t.Errorf("edit form has %d step rows, want the 3 of the recipe and 1 spare", len(steps))
		}
		f := simpleRecipe("Roast tomato soup", "unlisted")
		f.Ingredients = []string{"6 tomatoes, halved"}
		r = ann.post(t, "/recipes/"+id+"/edit", f.values()).want(t, http.StatusSeeOther)
		if r.location(t) != "/recipes/"+id {
			t.Errorf("redirected to %q", r.location(t))
		}
		page := ann.follow(t, r)
		if flash(t, page) != "Recipe saved." || page.doc(t).one(t, "h1").textContent() != "Roast tomato soup" {
			t.Errorf("after editing: flash %q, h1 %q", flash(t, page), page.doc(t).texts("h1"))
		}
		if got := page.doc(t).texts("#ingredients li"); fmtList(got) != fmtList([]string{"6 tomatoes, halved"}) {
			t.Errorf("ingredients after edit %q", got)
		}
		// An invalid edit keeps the page and changes nothing.
		f.Title = ""
		r = ann.post(t, "/recipes/"+id+"/edit", f.values()).want(t, http.StatusUnprocessableEntity)
		assertFieldError(t, assertDocument(t, r), "title", "is required")
		if rec, _ := s.Store.Recipe(context.Background(), id); rec.Title != "Roast tomato soup" {
			t.Errorf("an invalid edit changed the title to %q", rec.Title)
		}
	})

	t.Run("delete", func(t *testing.T) {
		r := ann.get(t, "/recipes/"+id+"/delete").want(t, http.StatusOK)
		d := assertDocument(t, r)
		if a := d.one(t, "main form").get("action"); a != "/recipes/"+id+"/delete" {
			t.Errorf("confirmation form action %q", a)
		}
		if !strings.Contains(d.one(t, "h1").textContent(), "Roast tomato soup") {
			t.Errorf("confirmation does not name the recipe: %q", d.one(t, "h1").textContent())
		}
		// Looking at the confirmation page deletes nothing.
		s.browser().get(t, "/recipes/"+id).want(t, http.StatusOK)
		r = ann.post(t, "/recipes/"+id+"/delete", nil).want(t, http.StatusSeeOther)
		if r.location(t) != "/" {
			t.Errorf("redirected to %q", r.location(t))
		}
		if f := flash(t, ann.follow(t, r)); f != "Recipe deleted." {
			t.Errorf("flash %q", f)
		}
		assertNotFoundPage(t, ann.get(t, "/recipes/"+id))
		assertNotFoundPage(t, ann.post(t, "/recipes/"+id+"/delete", nil))
	})
}

func TestOtherPeoplesRecipes(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	bob := s.register(t, "bob")
	pub := ann.createRecipe(t, simpleRecipe("Ann's public pie", "public"))
	unl := ann.createRecipe(t, simpleRecipe("Ann's unlisted pie", "unlisted"))
	priv := ann.createRecipe(t, simpleRecipe("Ann's private pie", "private"))

	for _, id := range []string{pub, unl} {
		for _, path := range []string{"/recipes/" + id + "/edit", "/recipes/" + id + "/delete"} {
			r := bob.get(t, path).want(t, http.StatusForbidden)
			if h := assertDocument(t, r).one(t, "h1").textContent(); h != "Not yours to change" {
				t.Errorf("GET %s: h1 %q", path, h)
			}
		}
		// The recipe page offers bob no edit or delete links.
		d := bob.get(t, "/recipes/"+id).want(t, http.StatusOK).doc(t)
		if d.first(`a[href="/recipes/`+id+`/edit"]`) != nil || d.first(`a[href="/recipes/`+id+`/delete"]`) != nil {
			t.Error("another person's recipe page links to edit or delete")
		}
	}
	for _, path := range []string{"/recipes/" + priv + "/edit", "/recipes/" + priv + "/delete"} {
		assertNotFoundPage(t, bob.get(t, path))
	}

	// Posts change nothing.
	bob.post(t, "/recipes/"+pub+"/delete", nil).want(t, http.StatusForbidden)
	assertNotFoundPage(t, bob.post(t, "/recipes/"+priv+"/delete", nil))
	bob.post(t, "/recipes/"+pub+"/edit", simpleRecipe("Bob was here", "private").values()).want(t, http.StatusForbidden)
	assertNotFoundPage(t, bob.post(t, "/recipes/"+priv+"/edit", simpleRecipe("Bob was here", "public").values()))
	for id, title := range map[string]string{pub: "Ann's public pie", unl: "Ann's unlisted pie", priv: "Ann's private pie"} {
		rec, err := s.Store.Recipe(context.Background(), id)
		if err != nil || rec.Title != title {
			t.Errorf("recipe %s after bob's posts: %v, %v", id, rec, err)
		}
	}
	// Anonymous posts are sent to log in.
	s.browser().post(t, "/recipes/"+pub+"/delete", nil).want(t, http.StatusSeeOther)
	if _, err := s.Store.Recipe(context.Background(), pub); err != nil {
		t.Errorf("anonymous delete removed the recipe: %v", err)
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	cookie := ann.cookie(authhttp.SessionCookie)

	r := ann.post(t, "/logout", nil).want(t, http.StatusSeeOther)
	if r.location(t) != "/" {
		t.Errorf("redirected to %q", r.location(t))
	}
	home := ann.follow(t, r)
	if f := flash(t, home); f != "You are signed out." {
		t.Errorf("flash %q", f)
	}
	if home.doc(t).first(`header form[action="/logout"]`) != nil {
		t.Error("still shown as signed in")
	}
	if ann.cookie(authhttp.SessionCookie) != "" {
		t.Error("session cookie not cleared")
	}
	if ann.signedIn(t) {
		t.Error("still signed in after logging out")
	}
	// The old cookie is dead on the server, not just forgotten.
	if s.withSession(cookie).signedIn(t) {
		t.Error("the session cookie still works after logging out")
	}
	// There is no logout by GET (a link or image could sign people out).
	other := s.login(t, "ann")
	other.get(t, "/logout").want(t, http.StatusNotFound, http.StatusMethodNotAllowed)
	if !other.signedIn(t) {
		t.Error("GET /logout signed the browser out")
	}
}
