package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestEveryPageIsACompleteDocument visits every page, anonymous and signed
// in, and checks its status and the frame every page shares.
func TestEveryPageIsACompleteDocument(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	id := ann.createRecipe(t, simpleRecipe("Lemon drizzle cake", "public"))
	anon := s.browser()

	pages := []struct {
		who    *browser
		path   string
		status int
		h1     string // a part of the heading
	}{
		{anon, "/", 200, "Your recipes, kept and shared"},
		{anon, "/about", 200, "About RecCollection"},
		{anon, "/login", 200, "Log in"},
		{anon, "/register", 200, "Create your account"},
		{anon, "/recipes", 200, "Browse recipes"},
		{anon, "/recipes?q=lemon", 200, "lemon"},
		{anon, "/recipes/" + id, 200, "Lemon drizzle cake"},
		{anon, "/recipes/" + id + "/cook", 200, "Step 1 of 3"},
		{anon, "/u/ann", 200, "Ann Cook"},
		{ann, "/", 200, "Your kitchen"},
		{ann, "/?tab=everyone", 200, "Your kitchen"},
		{ann, "/about", 200, "About RecCollection"},
		{ann, "/recipes", 200, "Browse recipes"},
		{ann, "/recipes?q=drizzle", 200, "drizzle"},
		{ann, "/recipes/" + id, 200, "Lemon drizzle cake"},
		{ann, "/recipes/" + id + "/cook", 200, "Step 1 of 3"},
		{ann, "/recipes/" + id + "/edit", 200, "Edit recipe"},
		{ann, "/recipes/" + id + "/delete", 200, "Delete “Lemon drizzle cake”?"},
		{ann, "/u/ann", 200, "Ann Cook"},
		{ann, "/settings", 200, "Settings"},
		{ann, "/recipes/new", 200, "New recipe"},
		{anon, "/no-such-page", 404, "Not found"},
		{anon, "/recipes/no-such-recipe", 404, "Not found"},
		{anon, "/recipes/no-such-recipe/cook", 404, "Not found"},
		{anon, "/recipes/" + id + "/nothing", 404, "Not found"},
		{anon, "/u/nobody", 404, "Not found"},
		{ann, "/no-such-page", 404, "Not found"},
		{ann, "/recipes/no-such-recipe/edit", 404, "Not found"},
	}
	descriptions := map[string]string{} // path → meta description, for pages seen
	for _, p := range pages {
		who := "anonymous"
		if p.who.username != "" {
			who = p.who.username
		}
		t.Run(who+" "+p.path, func(t *testing.T) {
			r := p.who.get(t, p.path).want(t, p.status)
			d := assertDocument(t, r)
			if h := d.first("h1"); h == nil || !strings.Contains(h.textContent(), p.h1) {
				t.Errorf("h1 = %q, want it to contain %q", d.texts("h1"), p.h1)
			}
			// The header shows who is signed in (a minimal page has none).
			signedIn := d.first(`header form[action="/logout"]`) != nil
			if signedIn != (p.who.username != "") && !d.one(t, "body").hasClass("minimal") {
				t.Errorf("header shows signed in = %v for %s", signedIn, who)
			}
			// Search engines show the meta description under the title.
			m := d.first(`head meta[name=description]`)
			if m == nil || strings.TrimSpace(m.get("content")) == "" {
				t.Fatalf("no meta description")
			}
			descriptions[p.path] = m.get("content")
		})
	}
	// A recipe's own description describes its page; other pages say what
	// they are for, not all the same words.
	if got := descriptions["/recipes/"+id]; got != "A test recipe." {
		t.Errorf("the recipe page's meta description is %q, want the recipe's description", got)
	}
	for _, pair := range [][2]string{{"/login", "/register"}, {"/settings", "/recipes/new"}, {"/about", "/no-such-page"}} {
		if descriptions[pair[0]] == descriptions[pair[1]] {
			t.Errorf("%s and %s share the meta description %q", pair[0], pair[1], descriptions[pair[0]])
		}
	}

	t.Run("the register and login pages send a signed-in person home", func(t *testing.T) {
		for _, p := range []string{"/register", "/login"} {
			r := ann.get(t, p).want(t, http.StatusSeeOther)
			if loc := r.location(t); loc != "/" {
				t.Errorf("%s: redirected to %q", p, loc)
			}
		}
	})
	t.Run("favicon.ico redirects to the hashed icon", func(t *testing.T) {
		r := anon.get(t, "/favicon.ico").want(t, http.StatusMovedPermanently)
		if !assetURL.MatchString(r.location(t)) {
			t.Errorf("favicon.ico redirects to %q", r.location(t))
		}
		anon.get(t, r.location(t)).want(t, http.StatusOK)
	})
}

// TestSignInRequired sends anonymous visitors of personal pages to the login
// page and, after they log in there, back where they were going.
func TestSignInRequired(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	id := ann.createRecipe(t, simpleRecipe("Soda bread", "public"))

	for _, path := range []string{"/settings", "/recipes/new", "/recipes/" + id + "/edit", "/recipes/" + id + "/delete", "/settings?x=1&y=2"} {
		r := s.browser().get(t, path).want(t, http.StatusSeeOther)
		if want := "/login?next=" + url.QueryEscape(path); r.location(t) != want {
			t.Errorf("GET %s: redirected to %q, want %q", path, r.location(t), want)
		}
	}
	// Posting a form while signed out (an expired session) also goes to
	// the login page, and from there to a page that exists.
	for _, path := range []string{"/recipes/new", "/settings/profile", "/settings/password", "/settings/tokens", "/recipes/" + id + "/delete"} {
		t.Run("POST "+path, func(t *testing.T) {
			b := s.browser()
			r := b.post(t, path, url.Values{"title": {"x"}}).want(t, http.StatusSeeOther)
			loc, err := url.Parse(r.location(t))
			if err != nil || loc.Path != "/login" {
				t.Fatalf("POST %s: redirected to %q, want the login page", path, r.location(t))
			}
			next := loc.Query().Get("next")
			r = b.post(t, "/login", url.Values{"login": {"ann"}, "password": {testPassword}, "next": {next}}).want(t, http.StatusSeeOther)
			landed := b.follow(t, r)
			if landed.status != http.StatusOK {
				t.Errorf("POST %s while signed out → login with next=%q → %s answers %d, want a page that exists (200)",
					path, next, landed.path, landed.status)
			}
		})
	}

	t.Run("logging in with next lands there", func(t *testing.T) {
		for _, path := range []string{"/recipes/" + id + "/edit", "/settings?x=1&y=2"} {
			b := s.browser()
			login := b.visit(t, path).want(t, http.StatusOK)
			d := assertDocument(t, login)
			if h := d.one(t, "h1").textContent(); h != "Log in" {
				t.Fatalf("%s led to %q, not the login page", path, h)
			}
			next := d.one(t, `form[action="/login"] input[name="next"]`).get("value")
			if next != path {
				t.Errorf("login form carries next=%q, want %q", next, path)
			}
			r := b.post(t, "/login", url.Values{"login": {"ann"}, "password": {testPassword}, "next": {next}}).want(t, http.StatusSeeOther)
			if r.location(t) != path {
				t.Errorf("after login redirected to %q, want %q", r.location(t), path)
			}
			landed := b.follow(t, r).want(t, http.StatusOK)
			if got := flash(t, landed); got != "You are signed in." {
				t.Errorf("flash after login = %q", got)
			}
			assertDocument(t, landed)
		}
	})
}

// TestLoginNextStaysOnSite: a post-login destination that would leave the
// site becomes "/".
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")

	evil := []string{
		"//evil.example", "https://evil.example", "/\\evil.example", "http:evil.example", "javascript:alert(1)",
		"\\\\evil.example", "//evil.example/settings", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
		"/\t\\evil.example", " //evil.example", "",
	}
	for _, next := range evil {
		t.Run(q(next), func(t *testing.T) {
			// The login form carries the neutralised value.
			r := s.browser().get(t, "/login?next="+q(next)).want(t, http.StatusOK)
			if v := r.doc(t).one(t, `input[name="next"]`).get("value"); v != "/" {
				t.Errorf("login form next = %q, want /", v)
			}
			// Someone already signed in is sent on at once.
			r = ann.get(t, "/login?next="+q(next)).want(t, http.StatusSeeOther)
			assertStaysOnSite(t, s, r)
		})
	}
	t.Run("posted", func(t *testing.T) {
		// Each of these costs a password check: a few representative ones.
		for _, next := range []string{"//evil.example", "https://evil.example", "/\\evil.example", "/\t/evil.example"} {
			b := s.browser()
			r := b.post(t, "/login", url.Values{"login": {"ann"}, "password": {testPassword}, "next": {next}}).want(t, http.StatusSeeOther)
			assertStaysOnSite(t, s, r)
		}
	})
}

// assertStaysOnSite checks that a redirect is "/" and that a browser,
// which drops tabs and newlines and reads "\" as "/", stays on the site.
func assertStaysOnSite(t testing.TB, s *site, r *resp) {
	t.Helper()
	loc := r.location(t)
	base, _ := url.Parse(s.URL)
	u, err := url.Parse(browserURL(loc))
	if err == nil {
		u = base.ResolveReference(u)
	}
	if err != nil || u.Host != base.Host {
		t.Errorf("redirect Location %q takes a browser to another site (%v)", loc, u)
	} else if loc != "/" {
		t.Errorf("redirect Location %q, want /", loc)
	}
}
