package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
)

// profileFollow reads a profile page's counts and follow button ("" for
// none).
type profileFollow struct {
	recipes, followers, following, button string
	status                                bool
}

func readProfile(t *testing.T, b *browser, username string) profileFollow {
	t.Helper()
	d := assertDocument(t, b.get(t, "/u/"+username).want(t, http.StatusOK))
	p := profileFollow{
		recipes: d.one(t, "#recipe-count").textContent(), followers: d.one(t, "#follower-count").textContent(),
		following: d.one(t, "#following-count").textContent(), status: d.first(".follow-status") != nil,
	}
	if btn := d.first("#follow-button"); btn != nil {
		p.button = btn.textContent()
	}
	for _, list := range []string{"followers", "following"} {
		if len(d.all(`a[href="/u/`+username+"/"+list+`"]`)) != 1 {
			t.Errorf("%s's profile does not link its %s", username, list)
		}
	}
	return p
}

// listedPeople are the usernames a followers or following page lists.
func listedPeople(t *testing.T, b *browser, path string) []string {
	t.Helper()
	d := assertDocument(t, b.get(t, path).want(t, http.StatusOK))
	out := []string{}
	for _, a := range d.all(".people-list a") {
		out = append(out, strings.TrimPrefix(a.get("href"), "/u/"))
	}
	return out
}

// The profile's follow button works as a plain form: it posts, comes back
// to the profile, and the page then says the state in words and counts.
func TestFollowOnTheProfilePage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob := s.register(t, "ann"), s.register(t, "bob")
		anon := s.browser()
		ann.createRecipe(t, simpleRecipe("Nettle soup", "public"))
		ann.createRecipe(t, simpleRecipe("Nettle tea", "private"))

		if got := readProfile(t, anon, "ann"); got != (profileFollow{"1", "0", "0", "Follow @ann", false}) {
			t.Fatalf("a visitor's view: %+v", got)
		}
		// A visitor's form posts plainly, and leads to signing in and back.
		if n := len(assertDocument(t, anon.get(t, "/u/ann")).all("#follow form[hx-post]")); n != 0 {
			t.Errorf("a visitor's follow form is posted by script (%d)", n)
		}
		r := anon.post(t, "/u/ann/follow", url.Values{"to": {"on"}}).want(t, http.StatusSeeOther)
		if loc := r.location(t); loc != "/login?next="+url.QueryEscape("/u/ann") {
			t.Fatalf("a visitor's follow went to %q", loc)
		}
		if n := len(assertDocument(t, bob.get(t, "/u/ann")).all("#follow form[hx-post]")); n != 1 {
			t.Errorf("a reader's follow form is not swapped in place (%d)", n)
		}

		for range 2 { // twice is once
			r := bob.post(t, "/u/ann/follow", url.Values{"to": {"on"}}).want(t, http.StatusSeeOther)
			if loc := r.location(t); loc != "/u/ann#follow" {
				t.Fatalf("follow redirects to %q", loc)
			}
		}
		if got := readProfile(t, bob, "ann"); got != (profileFollow{"1", "1", "0", "Unfollow @ann", true}) {
			t.Fatalf("bob's view after following: %+v", got)
		}
		// A visitor, whose page may be kept, sees the new count and no state.
		if got := readProfile(t, anon, "ann"); got != (profileFollow{"1", "1", "0", "Follow @ann", false}) {
			t.Fatalf("a visitor's view after bob followed: %+v", got)
		}
		// No button on one's own profile, which counts private recipes.
		if got := readProfile(t, ann, "ann"); got != (profileFollow{"2", "1", "0", "", false}) {
			t.Fatalf("ann's own view: %+v", got)
		}
		if got := readProfile(t, anon, "bob"); got.following != "1" || got.followers != "0" {
			t.Fatalf("bob's profile: %+v", got)
		}

		// The lists, public, linked to the people.
		if got := listedPeople(t, anon, "/u/ann/followers"); !slices.Equal(got, []string{"bob"}) {
			t.Fatalf("ann's followers: %q", got)
		}
		if got := listedPeople(t, anon, "/u/bob/following"); !slices.Equal(got, []string{"ann"}) {
			t.Fatalf("bob's following: %q", got)
		}
		d := assertDocument(t, anon.get(t, "/u/ann/following"))
		if got := d.one(t, ".empty").textContent(); !strings.Contains(got, "does not follow anyone") {
			t.Fatalf("ann's empty following page says %q", got)
		}
		if d.one(t, `a[aria-current="page"]`).get("href") != "/u/ann/following" {
			t.Error("the following page's tab is not marked current")
		}
		// An old or altered cursor starts the list again.
		if got := listedPeople(t, anon, "/u/ann/followers?cursor=bogus"); !slices.Equal(got, []string{"bob"}) {
			t.Fatalf("ann's followers with a bad cursor: %q", got)
		}
		assertNotFoundPage(t, anon.get(t, "/u/nobody/followers"))
		assertNotFoundPage(t, anon.get(t, "/u/nobody/following"))

		// Bad forms are 400 pages; oneself is refused; nobody is not found.
		for _, form := range []url.Values{{}, {"to": {"yes"}}, {"to": {"ON"}}} {
			bob.post(t, "/u/ann/follow", form).want(t, http.StatusBadRequest)
		}
		d = assertDocument(t, ann.post(t, "/u/ann/follow", url.Values{"to": {"on"}}).want(t, http.StatusBadRequest))
		if h := d.one(t, "h1").textContent(); !strings.Contains(h, "cannot follow yourself") {
			t.Errorf("self-follow page says %q", h)
		}
		assertNotFoundPage(t, bob.post(t, "/u/nobody/follow", url.Values{"to": {"on"}}))
		if got := readProfile(t, anon, "ann"); got.followers != "1" {
			t.Fatalf("refused forms wrote: %+v", got)
		}

		r = bob.post(t, "/u/ann/follow", url.Values{"to": {"off"}}).want(t, http.StatusSeeOther)
		if loc := r.location(t); loc != "/u/ann#follow" {
			t.Fatalf("unfollow redirects to %q", loc)
		}
		if got := readProfile(t, bob, "ann"); got != (profileFollow{"1", "0", "0", "Follow @ann", false}) {
			t.Fatalf("bob's view after unfollowing: %+v", got)
		}
	})
}

// The home page's Following tab: the public recipes of the people the
// reader follows, newest first, in pages; empty, it says how to follow.
func TestFollowingFeedTab(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob, carl := s.register(t, "ann"), s.register(t, "bob"), s.register(t, "carl")
		bob.get(t, "/") // takes the welcome message, which would show on the first page only
		var ins []recipe.Input
		var want []string
		for i := range 14 {
			title := fmt.Sprintf("Ann's bake %02d", i)
			ins = append(ins, recipe.Input{Title: title, Visibility: recipe.Public})
			want = append([]string{title}, want...)
		}
		s.seedRecipes(t, "ann", ins...)
		ann.createRecipe(t, simpleRecipe("Ann's unlisted", "unlisted"))
		ann.createRecipe(t, simpleRecipe("Ann's private", "private"))
		carl.createRecipe(t, simpleRecipe("Carl's public", "public"))

		r := bob.get(t, "/?tab=following").want(t, http.StatusOK)
		d := assertDocument(t, r)
		if d.one(t, `nav.tabs a[aria-current="page"]`).get("href") != "/?tab=following" {
			t.Error("the Following tab is not marked current")
		}
		empty := d.one(t, ".empty")
		if !strings.Contains(empty.textContent(), "follow") || len(empty.all(`a[href="/?tab=everyone"]`)) != 1 {
			t.Errorf("the empty feed does not say how to follow people: %q", empty.textContent())
		}

		bob.post(t, "/u/ann/follow", url.Values{"to": {"on"}}).want(t, http.StatusSeeOther)
		var got []string
		path := "/?tab=following"
		for range 5 {
			r := bob.get(t, path).want(t, http.StatusOK)
			got = append(got, cardTitles(t, r)...)
			next := r.doc(t).first(".pager a")
			if next == nil {
				break
			}
			path = next.get("href")
			if !strings.HasPrefix(path, "/?tab=following&cursor=") {
				t.Fatalf("the feed's next page is %q", path)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("bob's feed: %q, want %q", got, want)
		}
		if cc := bob.get(t, "/?tab=following").header.Get("Cache-Control"); !strings.Contains(cc, "private") {
			t.Errorf("the feed's Cache-Control %q", cc)
		}
		// The default tab stays the reader's own recipes.
		if d := assertDocument(t, bob.get(t, "/")); d.one(t, `nav.tabs a[aria-current="page"]`).get("href") != "/" {
			t.Error("the home page no longer opens on My recipes")
		}
		// An altered cursor starts again; a visitor gets the landing page.
		if got := cardTitles(t, bob.get(t, "/?tab=following&cursor=bogus").want(t, http.StatusOK)); len(got) != 12 || got[0] != want[0] {
			t.Fatalf("feed with a bad cursor: %q", got)
		}
		if got := cardTitles(t, s.browser().get(t, "/?tab=following").want(t, http.StatusOK)); slices.Contains(got, "Ann's unlisted") {
			t.Fatalf("a visitor's landing page: %q", got)
		}
		bob.post(t, "/u/ann/follow", url.Values{"to": {"off"}}).want(t, http.StatusSeeOther)
		if got := cardTitles(t, bob.get(t, "/?tab=following")); len(got) != 0 {
			t.Fatalf("after unfollowing: %q", got)
		}
	})
}
