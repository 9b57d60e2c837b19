package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/reccollection/reccollection/internal/store"
)

// TestCrossOriginFormPostsRefused: a form on another site cannot make a
// signed-in browser change anything, even with its cookie attached.
func TestCrossOriginFormPostsRefused(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	annID := s.userID(t, "ann")
	id := ann.createRecipe(t, simpleRecipe("Guarded gratin", "public"))

	countRecipes := func() int {
		page, err := s.Store.ListRecipes(context.Background(), store.ListQuery{ViewerID: annID, AuthorID: annID})
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Items)
	}
	profile := url.Values{"display_name": {"Hacked"}, "email": {"hacked@evil.example"}, "bio": {"pwned"}}
	posts := []struct {
		path string
		form url.Values
	}{
		{"/recipes/new", simpleRecipe("Injected recipe", "public").values()},
		{"/settings/profile", profile},
		{"/settings/password", url.Values{"current_password": {testPassword}, "new_password": {"attacker password 1"}}},
		{"/settings/tokens", url.Values{"name": {"stolen"}}},
		{"/recipes/" + id + "/edit", simpleRecipe("Defaced", "private").values()},
		{"/recipes/" + id + "/delete", nil},
		{"/logout", nil},
	}
	attacks := map[string][]opt{
		"Sec-Fetch-Site: cross-site":     {withHeader("Sec-Fetch-Site", "cross-site")},
		"Sec-Fetch-Site: same-site":      {withHeader("Sec-Fetch-Site", "same-site")},
		"Origin: https://evil.example":   {withHeader("Origin", "https://evil.example")},
		"Origin: null":                   {withHeader("Origin", "null")},
		"cross-site with a same Referer": {withHeader("Sec-Fetch-Site", "cross-site"), withHeader("Referer", s.URL+"/settings")},
	}
	for name, opts := range attacks {
		for _, p := range posts {
			r := ann.post(t, p.path, p.form, opts...)
			if r.status != http.StatusForbidden {
				t.Errorf("%s POST %s: %d, want 403", name, p.path, r.status)
			}
		}
	}
	// Nothing changed.
	if n := countRecipes(); n != 1 {
		t.Errorf("%d recipes after the attacks, want 1", n)
	}
	if rec, err := s.Store.Recipe(context.Background(), id); err != nil || rec.Title != "Guarded gratin" {
		t.Errorf("recipe after the attacks: %v, %v", rec, err)
	}
	if u, _ := s.Store.UserByUsername(context.Background(), "ann"); u.DisplayName != "Ann Cook" || u.Email != "ann@example.test" {
		t.Errorf("profile after the attacks: %+v", u)
	}
	if toks, _ := s.Store.APITokens(context.Background(), annID); len(toks) != 0 {
		t.Errorf("%d tokens created by cross-site posts", len(toks))
	}
	if !ann.signedIn(t) {
		t.Fatal("a cross-site post signed ann out")
	}

	// The same posts from the site itself work.
	same := withHeader("Sec-Fetch-Site", "same-origin")
	ann.post(t, "/settings/profile", url.Values{"display_name": {"Ann B"}, "email": {"ann@example.test"}}, same).want(t, http.StatusSeeOther)
	ann.post(t, "/settings/profile", url.Values{"display_name": {"Ann C"}, "email": {"ann@example.test"}}, withHeader("Origin", s.URL)).
		want(t, http.StatusSeeOther)
	ann.post(t, "/recipes/new", simpleRecipe("Same-site soup", "public").values(), same).want(t, http.StatusSeeOther)
	// A user typing the address or following a bookmark: "none".
	ann.post(t, "/recipes/new", simpleRecipe("Bookmarked bake", "public").values(), withHeader("Sec-Fetch-Site", "none")).want(t, http.StatusSeeOther)
	if n := countRecipes(); n != 3 {
		t.Errorf("%d recipes after same-origin posts, want 3", n)
	}
	if u, _ := s.Store.UserByUsername(context.Background(), "ann"); u.DisplayName != "Ann C" {
		t.Errorf("same-origin profile post did not save: %q", u.DisplayName)
	}
	ann.post(t, "/logout", nil, same).want(t, http.StatusSeeOther)
	if ann.signedIn(t) {
		t.Error("same-origin logout did not sign out")
	}

	// Reading pages cross-site is fine (links from elsewhere).
	s.browser().get(t, "/recipes/"+id, withHeader("Sec-Fetch-Site", "cross-site")).want(t, http.StatusOK)
}
