package browsertest

// The harness: one headless Chromium for the whole package, started in
// TestMain; one incognito-like browser context (own cookies, own cache) and
// tab per test; viewports, screenshots and the axe-core accessibility check.
// The page helpers (typed selectors, forms, waits) are in helpers_test.go.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/reccollection/reccollection/internal/testutil"
)

// The deadlines say when to give up waiting, never how fast a page must
// be: each is multiplied by testutil's timeout scale (RECC_TEST_TIMEOUT_SCALE,
// higher by default under -race), and set in runTests once the scale is
// known to be valid. Waits poll for their condition and return as soon
// as it holds, so generous deadlines cost nothing when all is well.
var (
	// testTimeout bounds everything one test does in its tab.
	testTimeout time.Duration
	// actionTimeout bounds one step (a navigation, a wait for an element),
	// so that a missing element fails with a message naming it rather
	// than at the end of the whole test.
	actionTimeout time.Duration
	// peekTimeout bounds one evaluation while polling, and a glance at the
	// page (its URL, its text) for a failure message.
	peekTimeout time.Duration
	// a11yTimeout bounds one axe-core run, which checks the whole page.
	a11yTimeout time.Duration
	// startTimeout bounds the start of the browser.
	startTimeout time.Duration
)

// setTimeouts scales the deadlines; the base values hold on an idle machine
// with room to spare.
func setTimeouts() {
	testTimeout = testutil.Scaled(3 * time.Minute)
	actionTimeout = testutil.Scaled(15 * time.Second)
	peekTimeout = testutil.Scaled(5 * time.Second)
	a11yTimeout = testutil.Scaled(30 * time.Second)
	startTimeout = testutil.Scaled(60 * time.Second)
}

// axeFile is axe-core, vendored for the tests only (MPL-2.0, see
// testdata/axe-LICENSE.txt).
const axeFile = "testdata/axe-4.11.0.min.js"

var (
	// browserCtx holds the browser that TestMain started; each test opens
	// its own browser context (cookies, cache, storage) and tab from it.
	browserCtx context.Context
	// skipReason is set when the tests cannot run here and may skip.
	skipReason string
	// axeSource is the axe-core script injected into pages.
	axeSource string
)

func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	flag.Parse()
	if _, err := testutil.TimeoutScale(); err != nil {
		fmt.Fprintf(os.Stderr, "browsertest: %v\n", err)
		return 1
	}
	setTimeouts()
	required := os.Getenv("RECC_TEST_REQUIRE_BROWSER") == "1"
	if testing.Short() {
		skipReason = "browser tests do not run in -short mode"
		return m.Run()
	}
	fail := func(err error) int {
		if required {
			fmt.Fprintf(os.Stderr, "browsertest: %v (RECC_TEST_REQUIRE_BROWSER=1, so this fails)\n", err)
			return 1
		}
		skipReason = err.Error() + "; install chromium or set RECC_TEST_CHROMIUM to run the browser tests"
		return m.Run()
	}
	src, err := os.ReadFile(axeFile)
	if err != nil {
		fmt.Fprintf(os.Stderr, "browsertest: %v\n", err)
		return 1
	}
	axeSource = string(src)
	path, err := findChromium()
	if err != nil {
		return fail(err)
	}
	stop, err := startBrowser(path)
	if err != nil {
		return fail(err)
	}
	defer stop()
	return m.Run()
}

// findChromium returns $RECC_TEST_CHROMIUM or the first Chromium or Chrome
// on the PATH.
func findChromium() (string, error) {
	if p := os.Getenv("RECC_TEST_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("RECC_TEST_CHROMIUM=%s: %w", p, err)
		}
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "/usr/bin/chromium"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", errors.New("no Chromium found (looked for chromium, chromium-browser, google-chrome)")
}

// startBrowser starts headless Chromium with a fresh, empty profile and no
// background networking (the tests must work without a network), and sets
// browserCtx.
func startBrowser(path string) (stop func(), err error) {
	profile, err := os.MkdirTemp("", "recc-chromium-profile-")
	if err != nil {
		return nil, err
	}
	out := &lockedBuffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in CI containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-domain-reliability", true),
		// Production-mode tests serve HTTPS with httptest's certificate;
		// trust that one key only, never certificate errors in general.
		chromedp.Flag("ignore-certificate-errors-spki-list", testCertSPKI()),
		chromedp.WindowSize(1280, 800),
		// A language without a country: the site then shows recipes in
		// the units they were written in (en-US would convert them to
		// US measures), which is what most tests read.
		chromedp.Flag("accept-lang", "en"),
		chromedp.CombinedOutput(out),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	stop = func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }() // starts the browser, with no deadline
	select {
	case err = <-started:
	case <-time.After(startTimeout):
		err = fmt.Errorf("no answer within %s", startTimeout)
	}
	if err != nil {
		stop()
		return nil, fmt.Errorf("start %s: %w\n%s", path, err, out.String())
	}
	browserCtx = ctx
	return stop, nil
}

// testCertSPKI is the base64 SHA-256 of the public key of the certificate
// every httptest TLS server presents, in the form Chromium's
// --ignore-certificate-errors-spki-list takes.
func testCertSPKI() string {
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	defer ts.Close()
	sum := sha256.Sum256(ts.Certificate().RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// lockedBuffer keeps the browser's output, for the message when it fails
// to start.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 {
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// viewport is a screen the tests run at.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	phone     = viewport{name: "phone", width: 390, height: 844, mobile: true}
	desktop   = viewport{name: "desktop", width: 1280, height: 800}
	viewports = []viewport{phone, desktop}
)

// emulate sets the tab's viewport: a phone is a mobile device (the page's
// meta viewport applies) with a device pixel ratio of 2.
func (v viewport) emulate() chromedp.Action[chromedp.Void] {
	if v.mobile {
		return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateScale(2))
	}
	return chromedp.EmulateViewport(v.width, v.height)
}

// tab is one test's browser tab, in a browser context of its own, against
// one server.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string // the server's URL, without a trailing slash
	vp   viewport
	test string // the top-level test's name, for screenshot files
	step int    // numbers the screenshots in the order they were taken
	noJS bool   // scripts are off in the tab's pages

	mu         sync.Mutex
	exceptions []string // uncaught JavaScript exceptions, with their page
	consoleErr []string
	badLoads   []string // subresources (scripts, styles, images…) that failed
	security   []string // security errors, such as Content-Security-Policy violations
	// answered are failed loads the test provoked on purpose (a refused
	// search's 400), as prefixes of the entries of badLoads.
	answered []string
}

// needBrowser skips the test when the browser tests cannot run here; call
// it first, before starting servers.
func needBrowser(t *testing.T) {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
}

// newTab opens a tab at viewport vp for a test against the server at base.
// It skips the test when there is no browser. When the test ends, a failed
// test gets a last screenshot, and uncaught JavaScript exceptions fail it.
func newTab(t *testing.T, base string, vp viewport) *tab {
	t.Helper()
	return newTabOf(t, base, vp, "")
}

// newTabOf is newTab for one of several people in a test: who goes into
// the names of the tab's screenshots, so that each person's are numbered
// on their own.
func newTabOf(t *testing.T, base string, vp viewport, who string) *tab {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
	deadline, cancelDeadline := context.WithTimeout(browserCtx, testTimeout)
	ctx, cancelTab := chromedp.NewContext(deadline, chromedp.WithNewBrowserContext())
	t.Cleanup(func() {
		cancelTab()
		cancelDeadline()
	})
	name, _, _ := strings.Cut(t.Name(), "/")
	if who != "" {
		name += "-" + who
	}
	b := &tab{t: t, ctx: ctx, base: strings.TrimSuffix(base, "/"), vp: vp, test: name}
	if err := chromedp.Do(ctx, vp.emulate()); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	if err := chromedp.Listen(ctx, b.onEvent); err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	t.Cleanup(b.finish)
	// This test's screenshots of an earlier run would mix with this run's.
	if dir, err := screenshotDir(); err == nil {
		old, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("%s-[0-9][0-9]-*-%s.png", b.test, vp.name)))
		for _, f := range old {
			os.Remove(f)
		}
	}
	return b
}

// startServer starts the application over a fresh SQLite database.
func startServer(t *testing.T) string {
	t.Helper()
	return testutil.StartServer(t, "sqlite").URL
}

// onEvent runs in the tab's event loop: it only records.
func (b *tab) onEvent(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		b.mu.Lock()
		b.exceptions = append(b.exceptions, fmt.Sprintf("%s (%s:%d:%d)", msg, d.URL, d.LineNumber+1, d.ColumnNumber+1))
		b.mu.Unlock()
	case *network.EventResponseReceived:
		// A page's own failures are the tests' to check; its scripts,
		// styles and images must load.
		if ev.Type != network.ResourceTypeDocument && ev.Response.Status >= 400 {
			b.mu.Lock()
			b.badLoads = append(b.badLoads, fmt.Sprintf("%s %s: %d %s", ev.Type, strings.TrimPrefix(ev.Response.URL, b.base), ev.Response.Status, ev.Response.StatusText))
			b.mu.Unlock()
		}
	case *log.EventEntryAdded:
		if e := ev.Entry; e.Source == log.EntrySourceSecurity && e.Level == log.EntryLevelError {
			b.mu.Lock()
			b.security = append(b.security, fmt.Sprintf("%s (%s)", e.Text, strings.TrimPrefix(e.URL, b.base)))
			b.mu.Unlock()
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			if len(a.Value) > 0 {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		b.mu.Lock()
		b.consoleErr = append(b.consoleErr, strings.Join(parts, " "))
		b.mu.Unlock()
	}
}

// finish reports what the page did wrong on its own, and takes a screenshot
// of a failed test's last page.
func (b *tab) finish() {
	b.mu.Lock()
	exceptions, consoleErr, security := b.exceptions, b.consoleErr, b.security
	badLoads := slices.Compact(slices.Sorted(slices.Values(b.badLoads)))
	badLoads = slices.DeleteFunc(badLoads, func(l string) bool {
		return slices.ContainsFunc(b.answered, func(p string) bool { return strings.HasPrefix(l, p) })
	})
	b.mu.Unlock()
	if len(security) > 0 {
		b.t.Errorf("security errors in the pages (such as Content-Security-Policy violations):\n  %s", strings.Join(security, "\n  "))
	}
	if len(badLoads) > 0 {
		b.t.Errorf("resources of the pages failed to load:\n  %s", strings.Join(badLoads, "\n  "))
	}
	for _, m := range consoleErr {
		b.t.Logf("console.error: %s", m)
	}
	if len(exceptions) > 0 {
		b.t.Errorf("uncaught JavaScript exceptions in the pages:\n  %s", strings.Join(exceptions, "\n  "))
	}
	if b.t.Failed() && b.ctx.Err() == nil {
		b.shot("failure")
	}
}

// fatalf ends the test with the message, the viewport and the current URL.
func (b *tab) fatalf(format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf("[%s, at %s] %s", b.vp.name, b.location(), fmt.Sprintf(format, args...))
}

// errorf marks the test failed with the message, the viewport and the
// current URL, and goes on.
func (b *tab) errorf(format string, args ...any) {
	b.t.Helper()
	b.t.Errorf("[%s, at %s] %s", b.vp.name, b.location(), fmt.Sprintf(format, args...))
}

// location is the tab's current URL, or "?" when the page does not answer.
func (b *tab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, peekTimeout)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return strings.TrimPrefix(u, b.base)
}

// shot saves a full-page PNG screenshot as <test>-<nn>-<step>-<viewport>.png
// in the artifacts folder; nn numbers the test's screenshots in order.
func (b *tab) shot(step string) {
	b.t.Helper()
	dir, err := screenshotDir()
	if err != nil {
		b.t.Errorf("screenshot %s: %v", step, err)
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	// From the top, or a sticky header is drawn where the page was scrolled.
	_ = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	png, err := chromedp.Run(ctx, fullPagePNG)
	if err != nil {
		b.t.Errorf("screenshot %s: %v", step, err)
		return
	}
	b.mu.Lock()
	b.step++
	n := b.step
	b.mu.Unlock()
	name := fmt.Sprintf("%s-%02d-%s-%s.png", b.test, n, fileSafe(step), b.vp.name)
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", step, err)
	}
}

// fullPagePNG captures the whole page as a PNG, as chromedp.FullScreenshot(100)
// does, but with Chromium's fast PNG encoding: the same pixels in a file
// about a third larger, encoded in about a fifth less time (a test takes
// dozens of screenshots).
func fullPagePNG(ctx context.Context, t *chromedp.Target) ([]byte, error) {
	yes := true
	r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: &yes,
		FromSurface:           &yes,
		OptimizeForSpeed:      &yes,
	})
	if err != nil {
		return nil, err
	}
	return r.Data, nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileSafe(s string) string { return strings.Trim(unsafeChars.ReplaceAllString(s, "-"), "-") }

var (
	shotDirOnce sync.Once
	shotDir     string
	shotDirErr  error
)

// screenshotDir is $RECC_TEST_ARTIFACTS, or artifacts/screenshots at the
// root of the repository (where go.mod is); it is created when missing.
func screenshotDir() (string, error) {
	shotDirOnce.Do(func() {
		dir := os.Getenv("RECC_TEST_ARTIFACTS")
		if dir == "" {
			wd, err := os.Getwd()
			if err != nil {
				shotDirErr = err
				return
			}
			for d := wd; ; d = filepath.Dir(d) {
				if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
					dir = filepath.Join(d, "artifacts", "screenshots")
					break
				}
				if filepath.Dir(d) == d {
					shotDirErr = fmt.Errorf("no go.mod above %s", wd)
					return
				}
			}
		}
		shotDir, shotDirErr = dir, os.MkdirAll(dir, 0o755)
	})
	return shotDir, shotDirErr
}

// axeViolation is the part of an axe-core result the report needs.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  string `json:"target"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axeRun runs the WCAG 2.0/2.1 A and AA rules and the best practices on
// the whole document. Only violations are reported in full: every rule
// still runs on every element, but axe-core then skips building a unique
// selector for each node of the passing, incomplete and inapplicable
// results (it keeps one of each), much of its time on a long page.
const axeRun = `axe.run(document, {runOnly: ['wcag2a','wcag2aa','wcag21a','wcag21aa','best-practice'], resultTypes: ['violations']})
  .then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : String(t)).join(', '),
      summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
    })),
  }))}))`

// axeResult is what axeRun gives.
type axeResult struct {
	Passes     int            `json:"passes"`
	Violations []axeViolation `json:"violations"`
}

// checkA11y runs axe-core on the current page of ctx and fails the test
// (without stopping it) for every violation, whatever its impact, with the
// rule, its help and the failing elements. "Moderate" rules such as
// landmark-unique (two regions a screen reader lists under one name) are
// real problems too, and a check that only logs them lets them pile up.
func checkA11y(t *testing.T, ctx context.Context, pageName string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, a11yTimeout)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object' && typeof window.axe.run === 'function'`))
	if err != nil {
		t.Errorf("a11y %s: %v", pageName, err)
		return
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource+"\n;void 0")); err != nil {
			t.Errorf("a11y %s: inject axe-core: %v", pageName, err)
			return
		}
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Errorf("a11y %s: axe.run: %v", pageName, err)
		return
	}
	var res axeResult
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Errorf("a11y %s: read axe results: %v", pageName, err)
		return
	}
	if res.Passes == 0 && len(res.Violations) == 0 {
		t.Errorf("a11y %s: axe-core checked nothing", pageName)
	}
	for _, v := range res.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "a11y %s: [%s] %s: %s (%s)", pageName, v.Impact, v.ID, v.Help, v.HelpURL)
		for i, n := range v.Nodes {
			if i == 8 {
				fmt.Fprintf(&b, "\n    … and %d more", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(&b, "\n    %s — %s", n.Target, n.Summary)
		}
		t.Error(b.String())
	}
}

// checkPage checks the current page: axe-core (see checkA11y), and no
// element with the hidden attribute shows (CSS such as display:flex on a
// class overrides [hidden]; "Add ingredient" would then show without the
// script that makes it work, or a control the script hides would stay).
func (b *tab) checkPage(pageName string) {
	b.t.Helper()
	if b.noJS {
		if evalJS[string](b, `typeof window.htmx`) != "undefined" {
			b.fatalf("%s: scripts ran in the page although JavaScript is off", pageName)
		}
		// axe-core needs timers, which do not run with scripts off; turn
		// them on for it. The page's own scripts, skipped as it loaded,
		// do not run now.
		b.setJavaScript(true)
		checkA11y(b.t, b.ctx, pageName+" ("+b.vp.name+")")
		b.setJavaScript(false)
	} else {
		checkA11y(b.t, b.ctx, pageName+" ("+b.vp.name+")")
	}
	for _, h := range shownHidden(b) {
		b.errorf("%s: an element with the hidden attribute is shown: %s", pageName, h)
	}
	for _, s := range smallTargets(b) {
		b.errorf("%s: a touch target is smaller than 44×44 px: %s", pageName, s)
	}
	for _, s := range unreachableControls(b) {
		b.errorf("%s: a control sticks out of the start of its scrolling box, where no one can scroll to it: %s", pageName, s)
	}
}

// smallTargets lists the controls a finger must hit that are less than
// 44 px high (or wide, for icon buttons). Links inside running text are
// exempt, as WCAG's target-size rule allows; controls hidden for screen
// readers only (1 px boxes) are not targets at all.
func smallTargets(b *tab) []string {
	b.t.Helper()
	return evalJS[[]string](b, `[...document.querySelectorAll(
			'button, input:not([type=hidden]), select, textarea, summary, .button, nav a, .tags a, .tabs a, .pager a, .recipe-actions a')]
		.filter(`+visibleJS+`)
		.filter(e => !e.closest('.visually-hidden') && !e.classList.contains('visually-hidden'))
		.map(e => [e, targetBox(e)])
		.filter(([e, r]) => r.width > 2 && (r.height < 43.5 || (e.classList.contains('icon-button') && r.width < 43.5)))
		.map(([e, r]) => Math.round(r.width) + '×' + Math.round(r.height) + ' ' + e.outerHTML.replace(/\s+/g, ' ').slice(0, 120));
		// A checkbox or radio button is toggled by its label too, so its
		// target is the box around both.
		function targetBox(e) {
			const r = e.getBoundingClientRect();
			if (!['checkbox', 'radio'].includes(e.type) || !e.labels || !e.labels.length) return r;
			let top = r.top, bottom = r.bottom, left = r.left, right = r.right;
			for (const l of e.labels) {
				const b = l.getBoundingClientRect();
				top = Math.min(top, b.top); bottom = Math.max(bottom, b.bottom);
				left = Math.min(left, b.left); right = Math.max(right, b.right);
			}
			return {width: right - left, height: bottom - top};
		}`)
}

// shownHidden lists the elements of the page that have the hidden
// attribute and are rendered all the same.
func shownHidden(b *tab) []string {
	b.t.Helper()
	return evalJS[[]string](b, `[...document.querySelectorAll('body [hidden]:not([hidden="until-found"])')]
		.filter(`+visibleJS+`)
		.map(e => e.outerHTML.replace(/\s+/g, ' ').slice(0, 160))`)
}

// TestHarness checks the harness on pages that need no web UI: the browser
// starts, loads the server's JSON and plain pages, takes a screenshot, runs
// axe-core, and a 404 answer's status is visible.
func TestHarness(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	base := startServer(t)
	b := newTab(t, base, desktop)

	resp := b.open("/healthz", 200)
	if ct := resp.MimeType; ct == "" {
		t.Errorf("/healthz: no content type")
	}
	resp = b.open("/api/v1/openapi.json", 200)
	if !strings.Contains(resp.MimeType, "json") {
		t.Errorf("/api/v1/openapi.json: content type %q", resp.MimeType)
	}
	doc := evalJS[string](b, `document.body.innerText`)
	var spec struct {
		OpenAPI string `json:"openapi"`
	}
	if err := json.Unmarshal([]byte(doc), &spec); err != nil || !strings.HasPrefix(spec.OpenAPI, "3.") {
		t.Errorf("openapi.json as the browser shows it: openapi=%q, err=%v", spec.OpenAPI, err)
	}

	// axe-core runs and reports: a page with a known serious violation
	// (an image without alt text) must give one.
	b.open("/healthz", 200)
	evalJS[int](b, `(() => { document.body.innerHTML = '<main><img src="data:,"></main>'; return 1 })()`)
	got := axeViolations(t, b.ctx)
	if !containsRule(got, "image-alt") {
		t.Errorf("axe-core found %v on a page with an image without alt; want image-alt", got)
	}

	// …and a moderate one: two regions with one name (as when a section
	// named by its heading holds a scrolling region labelled the same).
	evalJS[int](b, `(() => { document.body.innerHTML = '<main><section aria-labelledby="h"><h2 id="h">Feature flags</h2>' +
		'<div role="region" aria-label="Feature flags" tabindex="0"><p>table</p></div></section></main>'; return 1 })()`)
	if got := axeViolations(t, b.ctx); !containsRule(got, "landmark-unique") {
		t.Errorf("axe-core found %v on a page with two regions named alike; want landmark-unique", got)
	}

	// An element with the hidden attribute that CSS shows is found.
	// (A constructed stylesheet, since the site's CSP refuses <style>.)
	evalJS[int](b, `(() => { document.body.innerHTML = '<button class="b" hidden>Add</button>';
		const s = new CSSStyleSheet(); s.replaceSync('.b{display:inline-flex}'); document.adoptedStyleSheets = [s]; return 1 })()`)
	if got := shownHidden(b); len(got) != 1 {
		t.Errorf("shownHidden found %q, want the one shown hidden button", got)
	}

	// Network events reach the harness: a 404's status is visible.
	b.open("/no-such-page", 404)

	// Content-Security-Policy violations are recorded (and would fail the
	// test at its end).
	b.open("/healthz", 200)
	evalJS[int](b, `(() => {
		const m = document.createElement('meta');
		m.httpEquiv = 'Content-Security-Policy';
		m.content = "img-src 'none'";
		document.head.append(m);
		const i = document.createElement('img');
		i.src = '/favicon.ico';
		document.body.append(i);
		return 1;
	})()`)
	b.waitFor("a recorded CSP violation", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return len(b.security) > 0
	})
	// Leave the page before forgetting what it provoked: Chromium's own
	// favicon fetch for it is refused by the same policy, at a time of its
	// choosing, and must not be reported against a later page.
	b.open("/healthz", 200)
	b.mu.Lock()
	b.security = nil
	b.mu.Unlock()
}

// axeViolations runs axe-core on the current page and returns the rule ids
// of its violations; the harness test uses it to check checkA11y's engine.
func axeViolations(t *testing.T, ctx context.Context) []string {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource+"\n;void 0")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	var res axeResult
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range res.Violations {
		ids = append(ids, v.ID)
	}
	return ids
}

func containsRule(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
