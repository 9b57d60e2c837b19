package ui_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/planner"
)

// joinHousehold puts member into owner's household by an invitation link.
func joinHousehold(t *testing.T, owner, member *browser) {
	t.Helper()
	link := owner.post(t, "/household/invitations", url.Values{}).want(t, http.StatusOK).doc(t).one(t, "#invitation-link").get("value")
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	member.post(t, u.Path, url.Values{}).want(t, http.StatusSeeOther)
}

// shoppingLines is a list page's lines as read: "aisle: amount name
// (sources)", the basket's under "basket".
func shoppingLines(t *testing.T, d *node) []string {
	t.Helper()
	var out []string
	for _, sec := range d.all("section.aisle") {
		aisle := sec.one(t, "h2").textContent()
		if sec.hasClass("aisle-checked") {
			aisle = "basket"
		}
		for _, li := range sec.all("li.shopping-line") {
			line := aisle + ": " + li.one(t, ".line-text").textContent()
			if src := li.first(".line-sources"); src != nil {
				line += " (" + src.textContent() + ")"
			}
			out = append(out, line)
		}
	}
	return out
}

// TestShoppingPages: a member starts a list, adds a recipe from its page
// at other servings and the week's plan, the butter of both on one line;
// ticks with a plain form move a line to the basket for the other member
// too; a line is filed under another aisle; bad input is a 422 with the
// reason; another household's list is a 404.
func TestShoppingPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, ben, cat := s.register(t, "ann"), s.register(t, "ben"), s.register(t, "cat")
		joinHousehold(t, ann, ben)
		cake := simpleRecipe("Butter cake", "public")
		cake.Ingredients = []string{"200 g butter", "2 eggs", "1 tsp salt"}
		cakeID := ann.createRecipe(t, cake)
		shortbread := simpleRecipe("Shortbread", "public")
		shortbread.Servings = "2"
		shortbread.Ingredients = []string{"0.5 kg butter", "1 cup sugar"}
		shortbreadID := ben.createRecipe(t, shortbread)

		d := ann.get(t, "/shopping").want(t, http.StatusOK).doc(t)
		if nav := d.one(t, `.nav-row a[href="/shopping"]`); nav.get("aria-current") != "page" {
			t.Errorf("the Shopping nav item is not current")
		}
		loc := ann.post(t, "/shopping", url.Values{"name": {"Saturday"}}).want(t, http.StatusSeeOther).location(t)
		listID := strings.TrimPrefix(loc, "/shopping/")

		// From the recipe page, scaled to 8: the link keeps the servings.
		href := ann.get(t, "/recipes/"+cakeID+"?servings=8").doc(t).one(t, "a#shop").get("href")
		if href != "/shopping/add?recipe="+cakeID+"&servings=8" {
			t.Fatalf("Add to shopping list links to %q", href)
		}
		d = ann.get(t, href).want(t, http.StatusOK).doc(t)
		if got := d.one(t, "#add-servings").get("value"); got != "8" {
			t.Errorf("servings field %q", got)
		}
		ann.post(t, "/shopping/add", url.Values{"recipe_id": {cakeID}, "servings": {"8"}, "list_id": {listID}}).want(t, http.StatusSeeOther)
		// Ben plans his shortbread for 2 this week and adds the week.
		monday := planner.WeekOf(time.Now().UTC()).Format(planner.DayLayout)
		ben.post(t, "/plan", url.Values{"day": {monday}, "slot": {"dinner"}, "recipe_id": {shortbreadID}, "servings": {"2"}}).want(t, http.StatusSeeOther)
		if got := ben.get(t, "/plan?week="+monday).doc(t).one(t, "a#shop-week").get("href"); got != "/shopping/add?week="+monday {
			t.Errorf("Shop for this week links to %q", got)
		}
		ben.post(t, "/shopping/add", url.Values{"week": {monday}, "list_id": {listID}, "staples": {"1"}}).want(t, http.StatusSeeOther)

		d = ben.get(t, "/shopping/"+listID).want(t, http.StatusOK).doc(t)
		want := []string{
			"Dairy & eggs: 900 g butter (for Butter cake (400 g), Shortbread (500 g))",
			"Dairy & eggs: 4 eggs (for Butter cake (4))",
			"Pantry: 1 cup sugar (for Shortbread (1 cup))",
		}
		if got := shoppingLines(t, d); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// Salt was a staple of the cake, added without staples.
		if strings.Contains(d.one(t, "#shopping-lines").textContent(), "salt") {
			t.Error("salt is on the list")
		}

		// Ben ticks the butter; Ann sees it in the basket, ticked by Ben.
		butter := d.first("li.shopping-line").get("data-line")
		ben.post(t, "/shopping/"+listID+"/lines/"+butter, url.Values{"action": {"tick"}}).want(t, http.StatusSeeOther)
		d = ann.get(t, "/shopping/"+listID).doc(t)
		basket := d.one(t, "section.aisle-checked")
		if got := basket.one(t, "h2").textContent(); got != "In the basket (1)" {
			t.Errorf("basket heading %q", got)
		}
		if b := basket.one(t, "button.tick"); b.get("aria-pressed") != "true" || !strings.Contains(basket.textContent(), "ticked by Ben Cook") {
			t.Errorf("the ticked butter: %q pressed=%q", basket.textContent(), b.get("aria-pressed"))
		}
		// Eggs to "Other": the next eggs go there too.
		eggs := d.first("section.aisle li.shopping-line").get("data-line")
		ann.post(t, "/shopping/"+listID+"/lines/"+eggs, url.Values{"action": {"aisle"}, "aisle": {"other"}}).want(t, http.StatusSeeOther)
		ann.post(t, "/shopping/"+listID, url.Values{"action": {"clear"}}).want(t, http.StatusSeeOther)
		ann.post(t, "/shopping/"+listID, url.Values{"action": {"add"}, "text": {"6 eggs"}}).want(t, http.StatusSeeOther)
		got := shoppingLines(t, ann.get(t, "/shopping/"+listID).doc(t))
		if strings.Join(got, "\n") != "Pantry: 1 cup sugar (for Shortbread (1 cup))\nOther: 10 eggs (for Butter cake (4))" {
			t.Errorf("after clearing and adding eggs:\n%s", strings.Join(got, "\n"))
		}

		// Refused input: 422 with the reason, the text kept.
		d = ann.post(t, "/shopping/"+listID, url.Values{"action": {"add"}, "text": {strings.Repeat("x", 201)}}).want(t, http.StatusUnprocessableEntity).doc(t)
		if msg := d.one(t, "#shopping-error").textContent(); !strings.Contains(msg, "at most 200") {
			t.Errorf("error %q", msg)
		}
		ann.post(t, "/shopping/"+listID+"/lines/"+eggs, url.Values{"action": {"aisle"}, "aisle": {"cellar"}}).want(t, http.StatusUnprocessableEntity)
		ann.post(t, "/shopping/"+listID+"/lines/"+eggs, url.Values{"action": {"explode"}}).want(t, http.StatusUnprocessableEntity)
		d = ann.post(t, "/shopping/add", url.Values{"recipe_id": {cakeID}, "servings": {"lots"}, "list_id": {listID}}).want(t, http.StatusUnprocessableEntity).doc(t)
		if msg := d.one(t, "#add-error").textContent(); !strings.Contains(msg, "whole number") {
			t.Errorf("error %q", msg)
		}
		// A refused add to a new list leaves no list behind.
		before := len(ann.get(t, "/shopping").doc(t).all(".shopping-index li"))
		for _, servings := range []string{"0", "lots", "1001"} {
			ann.post(t, "/shopping/add", url.Values{"recipe_id": {cakeID}, "servings": {servings}, "list_id": {"new"}}).want(t, http.StatusUnprocessableEntity)
		}
		if after := len(ann.get(t, "/shopping").doc(t).all(".shopping-index li")); after != before {
			t.Errorf("refused adds to a new list left %d lists, were %d", after, before)
		}
		// Someone else's list is no list at all.
		cat.get(t, "/shopping/"+listID).want(t, http.StatusNotFound)
		cat.post(t, "/shopping/"+listID+"/lines/"+eggs, url.Values{"action": {"tick"}}).want(t, http.StatusNotFound)
		cat.get(t, "/shopping/"+listID+"/events").want(t, http.StatusNotFound)

		// Delete: gone for both.
		ben.post(t, "/shopping/"+listID, url.Values{"action": {"delete"}}).want(t, http.StatusSeeOther)
		ann.get(t, "/shopping/"+listID).want(t, http.StatusNotFound)
	})
}

// TestShoppingEvents: the live list's events say its version at once and
// again after another member's tick.
func TestShoppingEvents(t *testing.T) {
	s := newSite(t, "sqlite")
	ann, ben := s.register(t, "ann"), s.register(t, "ben")
	joinHousehold(t, ann, ben)
	listID := strings.TrimPrefix(ann.post(t, "/shopping", url.Values{"name": {"Live"}}).location(t), "/shopping/")
	ann.post(t, "/shopping/"+listID, url.Values{"action": {"add"}, "text": {"2 lemons"}}).want(t, http.StatusSeeOther)
	line := ann.get(t, "/shopping/"+listID).doc(t).first("li.shopping-line").get("data-line")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/shopping/"+listID+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "recc_session", Value: ann.cookie("recc_session")})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || ct != "text/event-stream" {
		t.Fatalf("events: %d %q", res.StatusCode, ct)
	}
	events := bufio.NewScanner(res.Body)
	next := func() string {
		var ev []string
		for events.Scan() {
			if events.Text() == "" {
				if len(ev) > 0 && !strings.HasPrefix(ev[0], ":") {
					return strings.Join(ev, "|")
				}
				ev = nil
				continue
			}
			ev = append(ev, events.Text())
		}
		t.Fatalf("events ended: %v", events.Err())
		return ""
	}
	first := next()
	if !strings.Contains(first, "event: version|data: ") {
		t.Fatalf("first event %q", first)
	}
	ben.post(t, "/shopping/"+listID+"/lines/"+line, url.Values{"action": {"tick"}}).want(t, http.StatusSeeOther)
	second := next()
	if second == first || !strings.HasPrefix(second, "event: version|data: ") {
		t.Fatalf("after a tick: %q (before %q)", second, first)
	}

	// One person keeps at most 8 open (the phones and tabs of one
	// cook); the next is refused with 503, and the page polls instead.
	open := func() *http.Response {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/shopping/"+listID+"/events", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: "recc_session", Value: ann.cookie("recc_session")})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	for i := 2; i <= 8; i++ {
		if res := open(); res.StatusCode != http.StatusOK {
			t.Fatalf("live connection %d: %d", i, res.StatusCode)
		}
	}
	if res := open(); res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("a 9th live connection: %d, Retry-After %q; want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

// TestOfflineWorker: the service worker is served from the site's root
// (its scope is the path it comes from) and revalidated on every check;
// the pages of a household member say to register it, a signed-out
// visitor's do not; the manifest offers the lists and the plan as
// shortcuts.
func TestOfflineWorker(t *testing.T) {
	s := newSite(t, "sqlite")
	anon := s.browser()
	r := anon.get(t, "/sw.js").want(t, http.StatusOK)
	if ct, cc := r.header.Get("Content-Type"), r.header.Get("Cache-Control"); !strings.HasPrefix(ct, "text/javascript") || cc != "no-cache" {
		t.Errorf("/sw.js: Content-Type %q, Cache-Control %q", ct, cc)
	}
	if !strings.Contains(r.String(), `addEventListener("fetch"`) {
		t.Error("/sw.js handles no fetches")
	}
	if anon.get(t, "/").doc(t).one(t, "body").has("data-offline") {
		t.Error("a visitor's page asks for the offline worker")
	}
	ann := s.register(t, "ann")
	if !ann.get(t, "/").doc(t).one(t, "body").has("data-offline") {
		t.Error("a member's page does not ask for the offline worker")
	}
	m := ann.get(t, "/manifest.webmanifest").want(t, http.StatusOK).String()
	for _, want := range []string{`"url": "/shopping"`, `"url": "/plan"`, `"display": "standalone"`} {
		if !strings.Contains(m, want) {
			t.Errorf("the manifest lacks %s", want)
		}
	}
}
