package browsertest

// Page helpers: navigation that reports the HTTP status, selectors by CSS
// and by visible text, form filling, and waits that poll the page (and so
// survive a navigation) instead of sleeping.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/reccollection/reccollection/internal/testutil"
)

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// sel is an element selector: a JavaScript expression that gives the first
// visible matching element, or null (so chromedp's waits keep waiting),
// with a description for messages.
type sel struct {
	expr string
	desc string
}

func (s sel) path() chromedp.JSPath { return chromedp.JSPath(s.expr) }

// visibleJS is true for an element that takes up space on the page.
const visibleJS = `(e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length) && getComputedStyle(e).visibility !== 'hidden')`

// textJS is an element's visible text, or its value or aria-label for
// controls without text, with white space collapsed.
const textJS = `(e => ((e.innerText || '').trim() || e.value || e.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim())`

// sourceTextJS is an element's text as written in the HTML (before CSS
// such as text-transform), with white space collapsed.
const sourceTextJS = `(e => (e.textContent || '').replace(/\s+/g, ' ').trim())`

// css selects the first visible element matching a CSS selector.
func css(selector string) sel {
	return sel{
		expr: fmt.Sprintf(`[...document.querySelectorAll(%s)].find(%s) ?? null`, js(selector), visibleJS),
		desc: selector,
	}
}

// nth selects the i-th (from 0) element matching a CSS selector.
func nth(selector string, i int) sel {
	return sel{
		expr: fmt.Sprintf(`document.querySelectorAll(%s)[%d] ?? null`, js(selector), i),
		desc: fmt.Sprintf("%s #%d", selector, i+1),
	}
}

// byText selects the first visible element matching a CSS selector whose
// text (or value, or aria-label) is exactly text.
func byText(selector, text string) sel {
	return sel{
		expr: fmt.Sprintf(`[...document.querySelectorAll(%s)].find(e => %s(e) && (%s(e) === %s || %s(e) === %s || e.getAttribute('aria-label') === %s)) ?? null`,
			js(selector), visibleJS, textJS, js(text), sourceTextJS, js(text), js(text)),
		desc: fmt.Sprintf("%s with text %q", selector, text),
	}
}

// link selects a visible link by its text; button a visible button
// (<button> or submit input) by its text.
func link(text string) sel { return byText("a", text) }
func button(text string) sel {
	return byText(`button, input[type=submit], input[type=button]`, text)
}

// buttonOrLink selects a visible button or link by its text.
func buttonOrLink(text string) sel {
	return byText(`a, button, input[type=submit], input[type=button]`, text)
}

// do runs actions with the step timeout, and ends the test on an error,
// with what it was doing and why an element could not be used.
func (b *tab) do(what string, s *sel, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatalf("%s: %v%s", what, err, b.explain(s))
	}
}

// explain says why a selector did not work: not there, or there but hidden.
func (b *tab) explain(s *sel) string {
	if s == nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(b.ctx, peekTimeout)
	defer cancel()
	// Count the matches of the selector with and without its visibility
	// filter.
	visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+s.expr+`)`))
	if err != nil || visible {
		return ""
	}
	all := strings.Replace(s.expr, visibleJS+"(e) && ", "", 1)
	all = strings.Replace(all, ".find("+visibleJS+")", ".find(e => true)", 1)
	if found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+all+`)`)); err == nil && found {
		return fmt.Sprintf(" (%s is on the page but not visible)", s.desc)
	}
	return fmt.Sprintf(" (no %s on the page)", s.desc)
}

// evalJS evaluates expr in the page (awaiting a promise) and decodes the
// result into T.
func evalJS[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("evaluate %s: %v", shorten(expr), err)
	}
	return v
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}

// open loads path on the server, waits for the page to load, and checks
// the HTTP status of the document.
func (b *tab) open(path string, status int64) *network.Response {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.fatalf("open %s: %v", path, err)
	}
	if resp == nil {
		b.fatalf("open %s: no response", path)
	}
	if resp.Status != status {
		b.fatalf("open %s: status %d %s, want %d", path, resp.Status, resp.StatusText, status)
	}
	return resp
}

// follow clicks s (a link or a submit button), waits for the page that
// loads, and checks its HTTP status (after any redirects).
func (b *tab) follow(s sel, status int64) *network.Response {
	b.t.Helper()
	b.reveal(s)
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.ScrollIntoView(s.path()), chromedp.Click(s.path()))
	if err != nil {
		b.fatalf("click %s and wait for a page: %v%s", s.desc, err, b.explain(&s))
	}
	if resp == nil {
		b.fatalf("click %s: no page loaded", s.desc)
	}
	if resp.Status != status {
		b.fatalf("click %s: status %d %s, want %d", s.desc, resp.Status, resp.StatusText, status)
	}
	return resp
}

// click clicks s without waiting for a page.
func (b *tab) click(s sel) {
	b.t.Helper()
	b.reveal(s)
	b.do("click "+s.desc, &s, chromedp.ScrollIntoView(s.path()), chromedp.Click(s.path()))
}

// waitVisible waits until s is on the page and visible.
func (b *tab) waitVisible(s sel) {
	b.t.Helper()
	b.reveal(s)
	b.do("wait for "+s.desc, &s, chromedp.WaitVisible(s.path()))
}

// reveal does what a person on a phone does when a link of the header is
// not in sight: taps the menu button. When s is still not shown, the menu
// is closed again so that it covers nothing.
func (b *tab) reveal(s sel) {
	b.t.Helper()
	if evalJS[bool](b, `!!(`+s.expr+`)`) {
		return
	}
	b.openMenu()
	if !evalJS[bool](b, `!!(`+s.expr+`)`) {
		b.closeMenu()
	}
}

// fill empties a text field and types value into it, as a person would.
func (b *tab) fill(s sel, value string) {
	b.t.Helper()
	b.waitVisible(s)
	// (chromedp.SetValue cannot set "": its argument is dropped.)
	evalJS[bool](b, `(e => { e.value = ''; return true })(`+s.expr+`)`)
	b.do("type into "+s.desc, &s, chromedp.SendKeys(s.path(), value))
}

// choose selects the option of a <select> whose value is value.
func (b *tab) choose(s sel, value string) {
	b.t.Helper()
	b.waitVisible(s)
	ok := evalJS[bool](b, fmt.Sprintf(`(() => {
		const e = %s;
		if (!e || ![...e.options].some(o => o.value === %s)) return false;
		e.value = %s;
		e.dispatchEvent(new Event('input', {bubbles: true}));
		e.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`, s.expr, js(value), js(value)))
	if !ok {
		opts := evalJS[[]string](b, fmt.Sprintf(`[...(%s).options].map(o => o.value)`, s.expr))
		b.fatalf("select %s: no option %q (options: %q)", s.desc, value, opts)
	}
}

// text is the visible text of s (or its value, for a control).
func (b *tab) text(s sel) string {
	b.t.Helper()
	b.waitVisible(s)
	return evalJS[string](b, fmt.Sprintf(`%s(%s)`, textJS, s.expr))
}

// texts is the visible text of every element matching a CSS selector.
func (b *tab) texts(selector string) []string {
	b.t.Helper()
	return evalJS[[]string](b, fmt.Sprintf(`[...document.querySelectorAll(%s)].map(%s)`, js(selector), textJS))
}

// count is the number of elements matching a CSS selector.
func (b *tab) count(selector string) int {
	b.t.Helper()
	return evalJS[int](b, fmt.Sprintf(`document.querySelectorAll(%s).length`, js(selector)))
}

// attr is an attribute of the first element matching a CSS selector, and
// whether it has it.
func (b *tab) attr(selector, name string) (string, bool) {
	b.t.Helper()
	v := evalJS[*string](b, fmt.Sprintf(`document.querySelector(%s)?.getAttribute(%s) ?? null`, js(selector), js(name)))
	if v == nil {
		return "", false
	}
	return *v, true
}

// path is the current page's path and query.
func (b *tab) path() string {
	b.t.Helper()
	return evalJS[string](b, `location.pathname + location.search`)
}

// bodyText is the visible text of the page (as shown: CSS text-transform
// applies).
func (b *tab) bodyText() string {
	b.t.Helper()
	return evalJS[string](b, `document.body.innerText`)
}

// waitJS polls the boolean expression cond until it is true; the page may
// navigate meanwhile. It ends the test with what after the step timeout.
func (b *tab) waitJS(what, cond string) {
	b.t.Helper()
	if err := b.poll(cond, actionTimeout); err != nil {
		b.fatalf("waiting for %s: %v\n  the page shows: %s", what, err, b.glimpse())
	}
}

// waitFor polls a condition on the Go side, such as a recorded event,
// until it holds; it ends the test with what after the step timeout, or
// when the tab's own deadline passes first.
func (b *tab) waitFor(what string, cond func() bool) {
	b.t.Helper()
	if err := pollUntil(b.ctx, actionTimeout, cond); err != nil {
		b.fatalf("waiting for %s: %v", what, err)
	}
}

// pollUntil checks cond every 50 ms until it holds (nil), timeout passes
// or ctx ends (the error).
func pollUntil(ctx context.Context, timeout time.Duration, cond func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// glimpse is the start of the page's visible main text, for messages.
func (b *tab) glimpse() string {
	ctx, cancel := context.WithTimeout(b.ctx, peekTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main') || document.body)?.innerText ?? ''`))
	if err != nil {
		return "?"
	}
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return strconv.Quote(s)
}

// poll evaluates cond every 50 ms until it is true or timeout passes.
// Errors (such as the page navigating away mid-evaluation) count as false.
func (b *tab) poll(cond string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	var lastErr error
	for {
		ectx, ecancel := context.WithTimeout(ctx, peekTimeout)
		ok, err := chromedp.Run(ectx, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		ecancel()
		if err == nil && ok {
			return nil
		}
		if err != nil {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			if lastErr != nil && !errors.Is(lastErr, context.DeadlineExceeded) {
				return fmt.Errorf("%w (last error: %v)", ctx.Err(), lastErr)
			}
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// mark tags the current document, so that unmarkedJS tells whether a new
// one has loaded since.
func (b *tab) mark() {
	b.t.Helper()
	evalJS[bool](b, `(window.__reccMark = true)`)
}

const unmarkedJS = `(window.__reccMark === undefined && document.readyState !== 'loading')`

// press sends one key (a kb constant, such as kb.ArrowRight) to the
// focused element of the page.
func (b *tab) press(key string) {
	b.t.Helper()
	b.do("press "+keyName(key), nil, chromedp.KeyEvent(key))
}

func keyName(key string) string {
	if r := []rune(key); len(r) == 1 && kb.Keys[r[0]] != nil {
		return kb.Keys[r[0]].Key
	}
	return strconv.Quote(key)
}

var recipePath = regexp.MustCompile(`^/recipes/([0-9a-fA-F-]{8,}|[0-9]+)(?:[/?#]|$)`)

// recipeIDFrom returns the id in a /recipes/{id} path.
func recipeIDFrom(path string) (string, bool) {
	m := recipePath.FindStringSubmatch(path)
	if m == nil || m[1] == "new" {
		return "", false
	}
	return m[1], true
}

// apiPoster returns a function that POSTs JSON through the API as one
// client (its own cookie jar) and returns the decoded answer, failing the
// test on anything but 200 or 201: for setting up data, not for testing.
func apiPoster(t *testing.T, srv *testutil.Server) func(path string, body any) map[string]any {
	c := srv.Client()
	return func(path string, body any) map[string]any {
		t.Helper()
		buf, _ := json.Marshal(body)
		resp, err := c.Post(srv.URL+path, "application/json", bytes.NewReader(buf))
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %s %v", path, resp.Status, out)
		}
		return out
	}
}
