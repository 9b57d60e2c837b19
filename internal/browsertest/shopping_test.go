package browsertest

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/testutil"
)

// liveWithin is how soon a tick on one phone must show on the other: the
// promise is two seconds (the list polls its version every second),
// stretched like every deadline here on a slow or instrumented run.
var liveWithin = testutil.Scaled(2 * time.Second)

// TestShoppingTwoPhones is two members of one household on two phones.
// Ana plans three recipes for the week at different servings and builds
// a list from the week: the butter of two recipes (200 g and 0.25 kg
// scaled to 500 g) is one line of 700 g naming both. Ana ticks it and
// Ben sees it ticked within two seconds. Then Ana's phone loses its
// signal: the banner says so, she ticks two lines, which wait on the
// phone while Ben ticks another; the list, the week's plan and a planned
// recipe still open; back online, her ticks reach Ben and his reach her,
// and both phones show the same basket.
func TestShoppingTwoPhones(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := testutil.StartServer(t, "sqlite")
	anaTab := newTabOf(t, srv.URL, phone, "ana")
	benTab := newTabOf(t, srv.URL, phone, "ben")
	ana, ben := newAccount("Ana", phone), newAccount("Ben", phone)

	anaTab.open("/register", 200)
	register(anaTab, ana)
	benTab.open("/register", 200)
	register(benTab, ben)
	anaTab.open("/household", 200)
	anaTab.follow(button("Create an invitation link"), 200)
	invite, err := url.Parse(evalJS[string](anaTab, `document.querySelector('#invitation-link').value`))
	if err != nil {
		t.Fatal(err)
	}
	benTab.open(invite.Path, 200)
	benTab.follow(button("Join "+ana.displayName+"’s household"), 200)

	// Ana's recipes, each written for its own number of servings.
	user, err := srv.Store.UserByUsername(context.Background(), ana.username)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(title string, servings int, lines ...string) string {
		in := recipe.Input{Title: title, Servings: &servings, Difficulty: recipe.Easy, Visibility: recipe.Public,
			Steps: []string{"Cook it."}}
		for _, l := range lines {
			in.Ingredients = append(in.Ingredients, recipe.ParseIngredient(l))
		}
		r, err := srv.Store.CreateRecipe(context.Background(), user.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	pancakes := mk("Pancakes", 4, "100 g butter", "2 cups milk", "2 eggs", "1 pinch salt")
	shortbread := mk("Shortbread", 2, "0.25 kg butter", "100 g sugar")
	soup := mk("Onion soup", 4, "1 l stock", "2 onions")

	// Planned at other servings: two from their pages, the soup found
	// with the plan's search.
	for _, p := range []struct {
		id, slot, servings string
	}{{pancakes, "breakfast", "8"}, {shortbread, "snack", "4"}, {soup, "dinner", "2"}} {
		if p.id == soup {
			anaTab.open("/plan", 200)
			anaTab.fill(css("#plan-q"), "onion soup")
			anaTab.follow(button("Search"), 200)
			anaTab.checkPage("plan, recipes found")
			anaTab.follow(css("ul.plan-found a"), 200)
			if got := evalJS[string](anaTab, `document.querySelector('#plan-recipe').value`); got != soup {
				anaTab.errorf("the found recipe is not chosen: %q", got)
			}
		} else {
			anaTab.open("/recipes/"+p.id, 200)
			anaTab.follow(link("Plan this"), 200)
		}
		anaTab.choose(css("#plan-slot"), p.slot)
		anaTab.fill(css("#plan-servings"), p.servings)
		anaTab.follow(button("Add"), 200)
	}
	anaTab.follow(link("Shop for this week"), 200)
	anaTab.checkPage("add the week to a list")
	anaTab.shot("add-week")
	anaTab.follow(button("Add to the list"), 200)
	if f := anaTab.text(css("#flash")); !strings.HasPrefix(f, "Added to the list.") {
		anaTab.errorf("flash %q", f)
	}

	// One line of butter, summed and converted, naming both recipes; as
	// the person reads it.
	lineText := func(b *tab, name string) string {
		return evalJS[string](b, `(() => {
			const li = [...document.querySelectorAll('li.shopping-line')].find(li => li.querySelector('.line-name').textContent === `+js(name)+`);
			return li ? li.innerText.replace(/\s+/g, ' ').trim() : '';
		})()`)
	}
	butter := lineText(anaTab, "butter")
	if !strings.HasPrefix(butter, "700 g butter for Pancakes (200 g), Shortbread (500 g)") {
		anaTab.errorf("the butter line reads %q", butter)
	}
	if n := evalJS[int](anaTab, `[...document.querySelectorAll('.line-name')].filter(e => e.textContent === 'butter').length`); n != 1 {
		anaTab.errorf("%d butter lines, want 1", n)
	}
	for name, want := range map[string]string{"milk": "4 cups milk", "eggs": "4 eggs", "stock": "500 ml stock", "onion": "1 onion"} {
		if got := lineText(anaTab, name); !strings.HasPrefix(got, want) {
			anaTab.errorf("the %s line reads %q, want it to begin %q", name, got, want)
		}
	}
	if strings.Contains(anaTab.text(css("#shopping-lines")), "salt") {
		anaTab.errorf("salt, a pantry staple, is on the list")
	}
	anaTab.checkPage("shopping list")
	anaTab.shot("list")
	listPath := anaTab.path()
	// Installable: the manifest Chromium read has no errors, opens
	// standalone with its three icons (the drawing, 192 and 512 pixels),
	// and a service worker controls the page.
	anaTab.call("read the manifest", func(ctx context.Context) error {
		m, err := chromedp.Call(ctx, page.GetAppManifest, page.GetAppManifestParams{})
		if err != nil {
			return err
		}
		for _, e := range m.Errors {
			anaTab.errorf("manifest: %s", e.Message)
		}
		switch {
		case m.Manifest == nil:
			anaTab.errorf("no manifest read: %s", m.Data)
		// Chromium names the display "kStandalone".
		case !strings.HasSuffix(strings.ToLower(m.Manifest.Display), "standalone") || len(m.Manifest.Icons) != 3 || len(m.Manifest.Shortcuts) != 2:
			anaTab.errorf("manifest as read: display %q, %d icons, %d shortcuts", m.Manifest.Display, len(m.Manifest.Icons), len(m.Manifest.Shortcuts))
		}
		return nil
	})
	if !evalJS[bool](anaTab, `!!navigator.serviceWorker.controller`) {
		anaTab.errorf("no service worker controls the list")
	}

	benTab.open("/shopping", 200)
	benTab.follow(css(".shopping-index a"), 200)
	if benTab.path() != listPath {
		benTab.fatalf("Ben opened %s, want %s", benTab.path(), listPath)
	}
	if got := lineText(benTab, "butter"); got != butter {
		benTab.errorf("Ben's butter line %q, Ana's %q", got, butter)
	}

	// Ana ticks the butter; Ben sees it without touching his phone.
	tickJS := func(name string) string {
		return `[...document.querySelectorAll('li.shopping-line')].find(li => li.querySelector('.line-name').textContent === ` + js(name) + `)?.querySelector('button.tick')`
	}
	tickedJS := func(name string) string {
		return `(b => !!b && b.getAttribute('aria-pressed') === 'true' && !!b.closest('.aisle-checked'))(` + tickJS(name) + `)`
	}
	anaTab.click(sel{expr: tickJS("butter"), desc: "the butter's tick"})
	ticked := time.Now()
	anaTab.waitJS("the butter ticked on Ana's phone", `(`+tickJS("butter")+`)?.getAttribute('aria-pressed') === 'true'`)
	if err := benTab.poll(tickedJS("butter"), liveWithin); err != nil {
		benTab.errorf("Ben does not see the butter ticked within %s: %v", liveWithin, err)
	}
	t.Logf("Ana's tick showed on Ben's phone after %s", time.Since(ticked).Round(10*time.Millisecond))
	// A screen reader on Ben's phone hears it; Ana's does not hear her own.
	if got, want := evalJS[string](benTab, `document.getElementById('live-changes').textContent`), "butter ticked by "+ana.displayName+"."; got != want {
		benTab.errorf("announced %q, want %q", got, want)
	}
	if got := evalJS[string](anaTab, `document.getElementById('live-changes').textContent`); got != "" {
		anaTab.errorf("Ana's own tick is announced to her: %q", got)
	}
	benTab.shot("butter-ticked")

	// No signal in the shop: Ana's ticks wait on her phone.
	anaTab.offline(true)
	anaTab.waitJS("the offline banner", `!document.getElementById('offline-banner').hidden`)
	anaTab.click(sel{expr: tickJS("eggs"), desc: "the eggs' tick"})
	anaTab.click(sel{expr: tickJS("milk"), desc: "the milk's tick"})
	anaTab.waitJS("two ticks kept", `document.getElementById('live-status').textContent.includes('2 ticks are kept on this device')`)
	anaTab.checkPage("shopping list, offline")
	anaTab.shot("offline-ticks")
	benTab.click(sel{expr: tickJS("sugar"), desc: "the sugar's tick"})
	benTab.waitJS("the sugar ticked on Ben's phone", tickedJS("sugar"))
	if evalJS[bool](benTab, tickedJS("eggs")) {
		benTab.errorf("Ben sees the eggs ticked while Ana is offline")
	}

	// Offline, the list (with her waiting ticks), the week's plan and a
	// planned recipe still open on Ana's phone.
	anaTab.open(listPath, 200)
	anaTab.waitJS("the eggs still ticked offline", tickedJS("eggs")+` || (`+tickJS("eggs")+`)?.getAttribute('aria-pressed') === 'true'`)
	if !strings.Contains(anaTab.text(css("#live-status")), "2 ticks are kept") {
		anaTab.errorf("offline status %q", anaTab.text(css("#live-status")))
	}
	anaTab.open("/plan", 200)
	if got := anaTab.texts(".plan-entry-text a"); !slices.Contains(got, "Onion soup") {
		anaTab.errorf("the plan offline shows %q", got)
	}
	anaTab.open("/recipes/"+soup, 200)
	if h := anaTab.text(css("h1")); h != "Onion soup" {
		anaTab.errorf("the planned recipe offline: heading %q", h)
	}
	anaTab.shot("offline-recipe")
	anaTab.open(listPath, 200)

	// Back online: the queue goes out, and the two phones agree.
	anaTab.offline(false)
	online := time.Now()
	anaTab.waitJS("the queue sent", `document.getElementById('live-status').textContent === ''`)
	sent := time.Now()
	if err := benTab.poll(tickedJS("eggs")+" && "+tickedJS("milk"), liveWithin); err != nil {
		benTab.errorf("Ben does not see Ana's offline ticks within %s of her sending them: %v", liveWithin, err)
	}
	t.Logf("back online: Ana's queue sent after %s, on Ben's phone %s later", sent.Sub(online).Round(10*time.Millisecond), time.Since(sent).Round(10*time.Millisecond))
	anaTab.waitJS("Ben's sugar on Ana's phone", tickedJS("sugar"))
	basket := func(b *tab) []string {
		got := b.texts(".aisle-checked .line-name")
		slices.Sort(got)
		return got
	}
	want := []string{"butter", "eggs", "milk", "sugar"}
	for _, b := range []*tab{anaTab, benTab} {
		if got := basket(b); !slices.Equal(got, want) {
			b.errorf("the basket holds %q, want %q", got, want)
		}
		if h := b.text(css("#aisle-checked")); h != "In the basket (4)" {
			b.errorf("basket heading %q", h)
		}
		b.shot("agreed")
	}
}

// offline cuts the tab off the network, service worker included, and
// tells the page (navigator.onLine, the offline event), or connects it
// again.
func (b *tab) offline(off bool) {
	b.t.Helper()
	b.call("network offline="+map[bool]string{true: "on", false: "off"}[off], func(ctx context.Context) error {
		rules := []*network.Conditions{}
		if off {
			rules = append(rules, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		}
		if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &off, MatchedNetworkConditions: rules}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	})
}
