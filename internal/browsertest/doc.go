// Package browsertest holds the end-to-end tests of the web UI: they start
// the whole application on an in-process HTTP server over a fresh SQLite
// database and drive it with a headless Chromium through the Chrome
// DevTools Protocol (github.com/chromedp/chromedp), at a phone and a desktop
// viewport, checking every page with axe-core and saving screenshots.
//
// The package has no code outside its tests. Chromium is found at
// $RECC_TEST_CHROMIUM, or as chromium, chromium-browser or google-chrome on
// the PATH; without one the tests skip, unless RECC_TEST_REQUIRE_BROWSER=1
// (as CI sets), and then they fail. Screenshots go to $RECC_TEST_ARTIFACTS,
// or else to artifacts/screenshots at the repository root. The tests skip
// in -short mode.
//
// Every test calls t.Parallel after needBrowser, and so does every subtest
// that has a server of its own: go test then keeps -parallel tabs busy
// (GOMAXPROCS by default) instead of one while a single-tab test runs.
// Each test has its own server, browser context and screenshot names, so
// nothing is shared but the browser; a test that changes the process's
// environment (t.Setenv) cannot be parallel and must not call t.Parallel.
package browsertest
