package ui_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// newCollection creates a collection through the form and returns its id.
func (b *browser) newCollection(t *testing.T, name, visibility string) string {
	t.Helper()
	r := b.post(t, "/collections", url.Values{"name": {name}, "visibility": {visibility}}).want(t, http.StatusSeeOther)
	loc := r.location(t)
	if !strings.HasPrefix(loc, "/c/") {
		t.Fatalf("creating a collection redirects to %q", loc)
	}
	return strings.TrimPrefix(loc, "/c/")
}

// addTo adds recipe id to collection c from the recipe page's form.
func (b *browser) addTo(t *testing.T, c, id string) {
	t.Helper()
	r := b.post(t, "/recipes/"+id+"/collections", url.Values{"action": {"add"}, "collection": {c}}).want(t, http.StatusSeeOther)
	if loc := r.location(t); loc != "/recipes/"+id+"#collections" {
		t.Fatalf("adding redirects to %q", loc)
	}
}

func TestCollectionPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann := s.register(t, "ann")
		d := assertDocument(t, ann.get(t, "/collections").want(t, http.StatusOK))
		if !strings.Contains(d.one(t, "main").textContent(), "No collections yet") {
			t.Error("an empty list says nothing")
		}

		// A refused form comes back with the fields kept and marked.
		r := ann.post(t, "/collections", url.Values{"name": {" "}, "description": {"Kept"}, "visibility": {"public"}}).want(t, http.StatusUnprocessableEntity)
		d = assertDocument(t, r)
		assertFieldError(t, d, "name", "is required")
		if got := inputValue(t, d, "description"); got != "Kept" {
			t.Errorf("description not kept: %q", got)
		}
		if links := summaryLinks(t, d); links["name"] == "" {
			t.Errorf("error summary links: %v", links)
		}

		c := ann.newCollection(t, "Weeknight dinners", "public")
		page := ann.follow(t, ann.post(t, "/collections/"+c+"/edit", url.Values{"name": {"Weeknights"}, "description": {"Quick ones"}, "visibility": {"public"}}).want(t, http.StatusSeeOther))
		d = assertDocument(t, page)
		if h := d.one(t, "h1").textContent(); h != "Weeknights" || flash(t, page) != "Collection saved." {
			t.Fatalf("after editing: h1 %q, flash %q", h, flash(t, page))
		}
		if d.one(t, "#share-url").get("value") == "" {
			t.Error("a public collection offers no link to share")
		}

		ids := map[string]string{}
		for _, title := range []string{"Apple tart", "Bean stew", "Corn bread"} {
			ids[title] = ann.createRecipe(t, simpleRecipe(title, "public"))
			ann.addTo(t, c, ids[title])
		}
		// The recipe page knows where the recipe is.
		d = assertDocument(t, ann.get(t, "/recipes/"+ids["Apple tart"]).want(t, http.StatusOK))
		opt := d.one(t, `#add-to-collection option[value="`+c+`"]`)
		if !opt.has("disabled") || !strings.Contains(d.one(t, "#collections").textContent(), "In your collection: Weeknights") {
			t.Errorf("recipe page's collections block: %q", d.one(t, "#collections").textContent())
		}

		anon := s.browser()
		if got := cardTitles(t, anon.get(t, "/c/"+c).want(t, http.StatusOK)); !slices.Equal(got, []string{"Apple tart", "Bean stew", "Corn bread"}) {
			t.Fatalf("a visitor sees %v", got)
		}
		d = assertDocument(t, anon.get(t, "/c/"+c))
		if len(d.all("#arrange")) != 0 || len(d.all(`a[href="/collections/`+c+`/edit"]`)) != 0 {
			t.Error("a visitor gets the owner's controls")
		}

		// Arrange with the buttons: the first has no Up, the last no Down.
		d = assertDocument(t, ann.get(t, "/c/"+c))
		ups, downs := d.all(`#arrange button[value="up"]`), d.all(`#arrange button[value="down"]`)
		if len(ups) != 3 || !ups[0].has("disabled") || ups[1].has("disabled") || !downs[2].has("disabled") {
			t.Fatalf("arrange buttons: %d up, %d down", len(ups), len(downs))
		}
		if !strings.Contains(ups[1].textContent(), "move Bean stew up") {
			t.Errorf("the Up button does not name its recipe: %q", ups[1].textContent())
		}
		move := func(title, to string) {
			t.Helper()
			r := ann.post(t, "/collections/"+c+"/recipes/"+ids[title]+"/move", url.Values{"to": {to}}).want(t, http.StatusSeeOther)
			if loc := r.location(t); loc != "/c/"+c+"#arrange" {
				t.Fatalf("a move redirects to %q", loc)
			}
		}
		move("Corn bread", "up")
		move("Apple tart", "down")
		move("Bean stew", "3")
		if got := cardTitles(t, anon.get(t, "/c/"+c)); !slices.Equal(got, []string{"Corn bread", "Apple tart", "Bean stew"}) {
			t.Fatalf("after the moves: %v", got)
		}
		for _, bad := range []string{"", "0", "sideways", "9999"} {
			ann.post(t, "/collections/"+c+"/recipes/"+ids["Bean stew"]+"/move", url.Values{"to": {bad}}).want(t, http.StatusBadRequest)
		}
		ann.post(t, "/collections/"+c+"/recipes/"+ids["Apple tart"]+"/remove", nil).want(t, http.StatusSeeOther)
		if got := cardTitles(t, anon.get(t, "/c/"+c)); !slices.Equal(got, []string{"Corn bread", "Bean stew"}) {
			t.Fatalf("after removing: %v", got)
		}

		// The checkbox page: untick one, tick a new one.
		d = assertDocument(t, ann.get(t, "/recipes/"+ids["Bean stew"]+"/collections").want(t, http.StatusOK))
		if box := d.one(t, "#in-"+c); !box.has("checked") {
			t.Fatal("the collection holding the recipe is not ticked")
		}
		r = ann.post(t, "/recipes/"+ids["Bean stew"]+"/collections", url.Values{"action": {"set"}, "shown": {c}, "new_name": {"Stews"}}).want(t, http.StatusSeeOther)
		if got := cardTitles(t, anon.get(t, "/c/"+c)); !slices.Equal(got, []string{"Corn bread"}) {
			t.Fatalf("after unticking: %v", got)
		}
		d = assertDocument(t, ann.follow(t, r))
		if n := len(d.all(`.collection-choices input[checked]`)); n != 1 {
			t.Fatalf("%d collections ticked, want the new one", n)
		}
		// A new name that is too long is refused, and nothing changes.
		ann.post(t, "/recipes/"+ids["Corn bread"]+"/collections", url.Values{"action": {"set"}, "shown": {c},
			"new_name": {strings.Repeat("n", 101)}}).want(t, http.StatusUnprocessableEntity)
		if got := cardTitles(t, anon.get(t, "/c/"+c)); !slices.Equal(got, []string{"Corn bread"}) {
			t.Fatalf("a refused form changed the collection: %v", got)
		}
		ann.post(t, "/recipes/"+ids["Corn bread"]+"/collections", url.Values{"action": {"add"}}).want(t, http.StatusBadRequest)

		// Cards link to the checkbox page, the same for everyone; a
		// visitor following it is asked to sign in.
		card := assertDocument(t, anon.get(t, "/recipes")).all(`.recipe-card-collect a[href="/recipes/` + ids["Corn bread"] + `/collections"]`)
		if len(card) != 1 {
			t.Fatalf("%d add-to-collection links on the card", len(card))
		}
		if loc := anon.get(t, "/recipes/"+ids["Corn bread"]+"/collections").want(t, http.StatusSeeOther).location(t); !strings.HasPrefix(loc, "/login") {
			t.Fatalf("a visitor is sent to %q", loc)
		}

		// The profile lists public collections only.
		ann.newCollection(t, "Hidden list", "unlisted")
		profile := assertDocument(t, anon.get(t, "/u/ann").want(t, http.StatusOK))
		var names []string
		for _, a := range profile.all(`.collection-card a[href^="/c/"]`) {
			names = append(names, a.textContent())
		}
		if !slices.Equal(names, []string{"Weeknights"}) {
			t.Fatalf("profile lists %v", names)
		}

		// Deleting keeps the recipes.
		page = ann.follow(t, ann.post(t, "/collections/"+c+"/delete", nil).want(t, http.StatusSeeOther))
		if flash(t, page) == "" || page.path != "/collections" {
			t.Fatalf("after deleting: %s, flash %q", page.path, flash(t, page))
		}
		assertNotFoundPage(t, anon.get(t, "/c/"+c))
		ann.get(t, "/recipes/"+ids["Corn bread"]).want(t, http.StatusOK)
	})
}

// Someone else's private recipe in a public collection is shown only to
// those who may read it; a private collection is the owner's alone and
// looks missing to everyone else; someone else's visible collection is
// theirs to read, not to change.
func TestCollectionPagePrivacy(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob, cat := s.register(t, "ann"), s.register(t, "bob"), s.register(t, "cat")
		anon := s.browser()
		pub := ann.newCollection(t, "Shared", "public")
		priv := ann.newCollection(t, "Mine only", "private")
		soup := ann.createRecipe(t, simpleRecipe("Ann's soup", "public"))
		pie := bob.createRecipe(t, simpleRecipe("Bob's pie", "public"))
		ann.addTo(t, pub, soup)
		ann.addTo(t, pub, pie)
		bob.post(t, "/recipes/"+pie+"/edit", simpleRecipe("Bob's pie", "private").values()).want(t, http.StatusSeeOther)

		for _, tc := range []struct {
			who  *browser
			want []string
		}{{anon, []string{"Ann's soup"}}, {cat, []string{"Ann's soup"}}, {ann, []string{"Ann's soup"}}, {bob, []string{"Ann's soup", "Bob's pie"}}} {
			r := tc.who.get(t, "/c/"+pub).want(t, http.StatusOK)
			if got := cardTitles(t, r); !slices.Equal(got, tc.want) {
				t.Errorf("%q sees %v, want %v", tc.who.username, got, tc.want)
			}
			if body := string(r.body); tc.who != bob && strings.Contains(body, "Bob&#39;s pie") {
				t.Errorf("%q's page names the hidden recipe", tc.who.username)
			}
			count := assertDocument(t, r).one(t, "#collection-count").textContent()
			if want := len(tc.want); !strings.HasPrefix(count, string(rune('0'+want))+" ") {
				t.Errorf("%q's count: %q, want %d", tc.who.username, count, want)
			}
		}
		// The hidden recipe cannot be added by the owner, who cannot read it.
		assertNotFoundPage(t, ann.post(t, "/recipes/"+pie+"/collections", url.Values{"action": {"add"}, "collection": {pub}}))

		for _, who := range []*browser{anon, bob} {
			assertNotFoundPage(t, who.get(t, "/c/"+priv))
		}
		assertNotFoundPage(t, anon.get(t, "/c/not-an-id"))
		assertNotFoundPage(t, bob.get(t, "/collections/"+priv+"/edit"))
		assertNotFoundPage(t, bob.post(t, "/collections/"+priv+"/delete", nil))
		bob.get(t, "/collections/"+pub+"/edit").want(t, http.StatusForbidden)
		bob.post(t, "/collections/"+pub+"/delete", nil).want(t, http.StatusForbidden)
		bob.post(t, "/collections/"+pub+"/recipes/"+soup+"/move", url.Values{"to": {"up"}}).want(t, http.StatusForbidden)
		bob.post(t, "/collections/"+pub+"/recipes/"+soup+"/remove", nil).want(t, http.StatusForbidden)
		assertNotFoundPage(t, bob.post(t, "/recipes/"+soup+"/collections", url.Values{"action": {"add"}, "collection": {priv}}))
		ann.get(t, "/c/"+priv).want(t, http.StatusOK)
	})
}
