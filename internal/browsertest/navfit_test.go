package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/testutil"
)

// The narrowest phones in use, the common Android width, the common iPhone
// width, and a laptop.
var fitViewports = []viewport{
	{name: "w320", width: 320, height: 640, mobile: true},
	{name: "w360", width: 360, height: 740, mobile: true},
	{name: "w390", width: 390, height: 844, mobile: true},
	{name: "w1280", width: 1280, height: 800},
}

// TestNavigationFits visits every page as a visitor, a signed-in cook and an
// administrator at 320, 360, 390 and 1280 px, and fails when a page
// scrolls sideways or a destination of the main navigation is neither
// visible nor one tap away (behind the menu button, opened and measured).
func TestNavigationFits(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range fitViewports {
		t.Run(vp.name, func(t *testing.T) {
			// A server of its own: the walk makes its cook an admin for a
			// while, which another screen's walk must not see.
			t.Parallel()
			srv := testutil.StartServer(t, "sqlite")
			id := seedRecipes(t, srv, 3)
			cook := account{username: "weigher", password: "a long passphrase"}
			u, err := srv.Store.UserByUsername(context.Background(), cook.username)
			if err != nil {
				t.Fatalf("find %s: %v", cook.username, err)
			}
			list, err := srv.Store.CreateShoppingList(context.Background(), u.ID, "Weekend", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := srv.Store.AddShoppingItem(context.Background(), u.ID, list.ID, "2 tins of chopped tomatoes with garlic and herbs", time.Now()); err != nil {
				t.Fatal(err)
			}
			common := []string{"/", "/recipes", "/recipes?q=garlic", "/recipes/" + id, "/recipes/" + id + "/cook",
				"/u/" + cook.username, "/about", "/no-such-page"}
			visitor := append([]string{"/login", "/register"}, common...)
			signedIn := append([]string{"/recipes/new", "/recipes/" + id + "/edit", "/recipes/" + id + "/delete", "/settings",
				"/import", "/import/bulk", "/saved", "/household", "/plan", "/plan/month", "/shopping", "/shopping/" + list.ID,
				"/shopping/add?recipe=" + id}, common...)

			b := newTab(t, srv.URL, vp)
			// axe-core on every page at the narrowest and the widest
			// screen; the widths between change only the layout.
			axe := vp.width == 320 || vp.width == 1280
			walk := func(who string, paths []string) {
				for _, p := range paths {
					status := int64(200)
					if p == "/no-such-page" {
						status = 404
					}
					b.open(p, status)
					checkFit(b, who+" "+p)
					if axe {
						b.checkPage(who + " " + p)
					}
				}
			}
			walk("visitor", visitor)
			b.open("/login", 200)
			login(b, cook)
			walk("cook", signedIn)
			checkCurrent(b, "/settings", "Settings")
			checkCurrent(b, "/plan", "Plan")
			checkCurrent(b, "/shopping", "Shopping")
			checkCurrent(b, "/u/"+cook.username, "Profile")
			b.open("/", 200)
			b.openMenu()
			b.shot("menu-open")

			if err := srv.Store.SetRole(context.Background(), u.ID, auth.RoleAdmin); err != nil {
				t.Fatalf("make %s an admin: %v", cook.username, err)
			}
			walk("admin", []string{"/admin", "/admin?q=weigher"})
			b.shot("admin")
			if err := srv.Store.SetRole(context.Background(), u.ID, auth.RoleUser); err != nil {
				t.Fatalf("make %s a cook again: %v", cook.username, err)
			}
			logout(b)
		})
	}
}

// checkFit fails the test when the current page scrolls sideways, or when
// a destination of the main navigation cannot be seen whole inside the
// viewport, either at once or after one tap on the menu button.
func checkFit(b *tab, page string) {
	b.t.Helper()
	if w := evalJS[[]int](b, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); w[0] > w[1] {
		b.errorf("%s: the page scrolls sideways (%d px wide in a %d px viewport)", page, w[0], w[1])
		b.shot("too-wide " + page)
	}
	// A minimal page (cook mode) has no site navigation; its first link,
	// the way back, must be in view.
	if evalJS[bool](b, `document.body.classList.contains('minimal')`) {
		if !evalJS[bool](b, `(a => !!a && `+visibleJS+`(a) && `+inViewJS+`(a))(document.querySelector('main a[href]'))`) {
			b.errorf("%s: a page without the site's navigation, and its way back is not in view", page)
		}
		return
	}
	want := navDestinations(b)
	if len(want) == 0 {
		b.fatalf("%s: no links in the main navigation", page)
	}
	shown := reachableNav(b)
	if missing := missingFrom(want, shown); len(missing) > 0 {
		// Not all in view: one tap on the menu button must show the rest.
		if !evalJS[bool](b, `(s => !!s && `+visibleJS+`(s) && `+inViewJS+`(s))(document.querySelector('nav[aria-label=Main] summary'))`) {
			b.errorf("%s: %q not in view and no menu button to show them", page, missing)
			b.shot("clipped " + page)
			return
		}
		b.openMenu()
		shown = reachableNav(b)
		if missing := missingFrom(want, shown); len(missing) > 0 {
			b.errorf("%s: %q not in view even with the menu open (in view: %q)", page, missing, shown)
			b.shot("clipped " + page)
		}
		b.closeMenu()
	}
}

// inViewJS is true for an element whose box lies wholly inside the viewport
// and that is the element a tap on its centre reaches (nothing covers it).
const inViewJS = `(e => { const r = e.getBoundingClientRect();
	if (r.width < 1 || r.height < 1 || r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) return false;
	const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
	return !!hit && (hit === e || e.contains(hit)); })`

// navDestinations is the text of every link and button of the main
// navigation in the HTML, shown or not.
func navDestinations(b *tab) []string {
	return evalJS[[]string](b, `[...new Set([...document.querySelectorAll('nav[aria-label=Main] a:not(.brand), nav[aria-label=Main] button')].map(`+sourceTextJS+`))]`)
}

// reachableNav is the text of the main navigation's links and buttons that
// are visible and wholly in view now.
func reachableNav(b *tab) []string {
	return evalJS[[]string](b, `[...new Set([...document.querySelectorAll('nav[aria-label=Main] a:not(.brand), nav[aria-label=Main] button')]
		.filter(e => `+visibleJS+`(e) && `+inViewJS+`(e)).map(`+sourceTextJS+`))]`)
}

func missingFrom(want, have []string) []string {
	var out []string
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			out = append(out, w)
		}
	}
	return out
}

// checkCurrent opens path and checks the navigation marks its link to the
// page as the current one, where it is shown (opening the menu if needed).
func checkCurrent(b *tab, path, text string) {
	b.t.Helper()
	b.open(path, 200)
	b.openMenu()
	cur := evalJS[[]string](b, `[...document.querySelectorAll('nav[aria-label=Main] [aria-current=page]')].filter(`+visibleJS+`).map(`+sourceTextJS+`)`)
	if strings.Join(cur, ",") != text {
		b.errorf("%s: the navigation marks %q as the current page, want %q", path, cur, text)
	}
	b.closeMenu()
}

// openMenu taps the main navigation's menu button when it is shown and
// the menu is closed; closeMenu taps it again when the menu is open.
func (b *tab) openMenu()  { b.tapMenu(false) }
func (b *tab) closeMenu() { b.tapMenu(true) }

func (b *tab) tapMenu(whenOpen bool) {
	b.t.Helper()
	s := css("nav[aria-label=Main] details > summary")
	if !evalJS[bool](b, fmt.Sprintf(`(s => !!s && s.parentElement.open === %v)(%s)`, whenOpen, s.expr)) {
		return
	}
	b.click(s)
	b.waitJS("the menu to "+map[bool]string{false: "open", true: "close"}[whenOpen],
		fmt.Sprintf(`document.querySelector('nav[aria-label=Main] details').open === %v`, !whenOpen))
}
