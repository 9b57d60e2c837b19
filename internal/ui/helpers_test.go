package ui_test

// Helpers shared by the web page tests: a server per test, a "browser"
// (an HTTP client with its own cookie jar that never follows redirects on
// its own) whose every request fails the test on a 5xx, a small HTML tree
// built with encoding/xml's HTML mode for assertions, and shortcuts for
// the forms people fill in.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/testutil"
)

const testPassword = "correct horse battery staple"

// site is the whole application on one engine.
type site struct {
	*testutil.Server
	engine string
	tr     *http.Transport
}

// newSite starts the app on a fresh database of engine.
func newSite(t testing.TB, engine string) *site {
	t.Helper()
	return wrapSite(t, testutil.StartServer(t, engine), engine)
}

func wrapSite(t testing.TB, srv *testutil.Server, engine string) *site {
	// No transparent decompression: the tests look at Content-Encoding
	// themselves and ask for gzip only when they mean to.
	tr := &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 16}
	t.Cleanup(tr.CloseIdleConnections)
	return &site{Server: srv, engine: engine, tr: tr}
}

// forEachEngine runs fn in a parallel subtest per engine.
func forEachEngine(t *testing.T, fn func(t *testing.T, s *site)) {
	t.Helper()
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, newSite(t, engine))
		})
	}
}

// browser is one person's browser without JavaScript: a cookie jar and
// plain form posts.
type browser struct {
	s        *site
	hc       *http.Client
	username string
	password string
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// browser returns an anonymous browser with an empty cookie jar.
func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{s: s, hc: &http.Client{Jar: jar, Transport: rawLocation{s.tr}, Timeout: 30 * time.Second, CheckRedirect: noRedirects}}
}

// rawLocation keeps a redirect's Location exactly as sent, in
// X-Test-Raw-Location, and hides one that net/http's client refuses to
// parse (such as one with a tab), so that the test can judge it the way a
// browser would instead of failing in the client.
type rawLocation struct{ rt http.RoundTripper }

const rawLocationHeader = "X-Test-Raw-Location"

func (r rawLocation) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := r.rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if loc, ok := res.Header["Location"]; ok && len(loc) > 0 {
		res.Header.Set(rawLocationHeader, loc[0])
		if _, err := url.Parse(loc[0]); err != nil {
			res.Header.Set("Location", "/unparsable-location")
		}
	}
	return res, nil
}

// opt adjusts a request before it is sent.
type opt func(*http.Request)

func withHeader(key, value string) opt { return func(r *http.Request) { r.Header.Set(key, value) } }

// resp is a fully read answer. body is as received (possibly gzip).
type resp struct {
	method string
	path   string
	status int
	header http.Header
	body   []byte
	tree   *node
}

func (r *resp) String() string { return string(r.body) }

// doc parses the body as HTML once.
func (r *resp) doc(t testing.TB) *node {
	t.Helper()
	if r.tree == nil {
		r.tree = parseHTML(t, r.body, r.method+" "+r.path)
	}
	return r.tree
}

// want fails the test unless the status is one of statuses.
func (r *resp) want(t testing.TB, statuses ...int) *resp {
	t.Helper()
	for _, s := range statuses {
		if r.status == s {
			return r
		}
	}
	t.Fatalf("%s %s: status %d, want %v; body:\n%s", r.method, r.path, r.status, statuses, truncate(string(r.body), 3000))
	return r
}

// location is the redirect target, failing the test without one.
func (r *resp) location(t testing.TB) string {
	t.Helper()
	loc := r.header.Get(rawLocationHeader)
	if loc == "" {
		t.Fatalf("%s %s: status %d without Location", r.method, r.path, r.status)
	}
	return loc
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// do sends one request. A 5xx anywhere in the suite fails the test: no
// page may ever answer with a server error.
func (b *browser) do(t testing.TB, method, path string, form url.Values, opts ...opt) *resp {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, b.s.URL+path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	for _, o := range opts {
		o(req)
	}
	res, err := b.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	r := &resp{method: method, path: path, status: res.StatusCode, header: res.Header, body: data}
	if r.status >= 500 {
		t.Fatalf("%s %s: server error %d:\n%s", method, path, r.status, truncate(string(data), 3000))
	}
	return r
}

func (b *browser) get(t testing.TB, path string, opts ...opt) *resp {
	t.Helper()
	return b.do(t, http.MethodGet, path, nil, opts...)
}

func (b *browser) post(t testing.TB, path string, form url.Values, opts ...opt) *resp {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	return b.do(t, http.MethodPost, path, form, opts...)
}

// follow GETs redirect targets, as a browser does, until an answer that is
// not a redirect.
func (b *browser) follow(t testing.TB, r *resp) *resp {
	t.Helper()
	for i := 0; r.status >= 300 && r.status < 400 && r.status != http.StatusNotModified; i++ {
		if i == 10 {
			t.Fatalf("more than 10 redirects from %s", r.path)
		}
		r = b.get(t, sameSitePath(t, b.s.URL, r.location(t)))
	}
	return r
}

// visit GETs path and follows redirects.
func (b *browser) visit(t testing.TB, path string, opts ...opt) *resp {
	t.Helper()
	return b.follow(t, b.get(t, path, opts...))
}

// sameSitePath turns a Location into a path on the test server, failing
// the test if it leads elsewhere.
func sameSitePath(t testing.TB, base, loc string) string {
	t.Helper()
	u, err := url.Parse(browserURL(loc))
	if err != nil {
		t.Fatalf("bad Location %q: %v", loc, err)
	}
	b, _ := url.Parse(base)
	abs := b.ResolveReference(u)
	if abs.Host != b.Host {
		t.Fatalf("redirect to another site: %q", loc)
	}
	return abs.RequestURI()
}

// browserURL applies what the URL standard does to a URL before parsing
// it: tabs and newlines vanish and, for http(s), "\" counts as "/".
func browserURL(s string) string {
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	return strings.ReplaceAll(s, `\`, "/")
}

// cookie returns the value of the named cookie the jar would send.
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.s.URL)
	for _, c := range b.hc.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// withCookie is a new browser holding only the given session cookie, as
// someone who copied it would.
func (s *site) withSession(value string) *browser {
	b := s.browser()
	u, _ := url.Parse(s.URL)
	b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: authhttp.SessionCookie, Value: value, Path: "/"}})
	return b
}

// ---- Accounts

// register signs a new account up through the form and returns the
// browser that is now signed in with it.
func (s *site) register(t testing.TB, username string) *browser {
	t.Helper()
	b := s.browser()
	r := b.post(t, "/register", url.Values{
		"username": {username}, "email": {username + "@example.test"}, "password": {testPassword},
		"display_name": {displayName(username)},
	}).want(t, http.StatusSeeOther)
	if loc := r.location(t); loc != "/" {
		t.Fatalf("register %s: redirected to %q, want /", username, loc)
	}
	if b.cookie(authhttp.SessionCookie) == "" {
		t.Fatalf("register %s: no session cookie", username)
	}
	b.username, b.password = username, testPassword
	return b
}

func displayName(username string) string {
	return strings.ToUpper(username[:1]) + username[1:] + " Cook"
}

// login signs username in through the form in a new browser.
func (s *site) login(t testing.TB, username string) *browser {
	t.Helper()
	b := s.browser()
	b.post(t, "/login", url.Values{"login": {username}, "password": {testPassword}, "next": {"/"}}).want(t, http.StatusSeeOther)
	if b.cookie(authhttp.SessionCookie) == "" {
		t.Fatalf("login %s: no session cookie", username)
	}
	b.username, b.password = username, testPassword
	return b
}

// signedIn reports whether the browser's session is live: /settings
// answers instead of sending it to the login page.
func (b *browser) signedIn(t testing.TB) bool {
	t.Helper()
	r := b.get(t, "/settings").want(t, http.StatusOK, http.StatusSeeOther)
	return r.status == http.StatusOK
}

// userID looks username up in the store.
func (s *site) userID(t testing.TB, username string) string {
	t.Helper()
	u, err := s.Store.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("look up %s: %v", username, err)
	}
	return u.ID
}

// ---- Recipes

// recipeForm is what a person types into the recipe form. Blank rows are
// added like the form's spare rows.
type recipeForm struct {
	Title, Description, Prep, Cook, Servings, Difficulty, Visibility, Source, Tags, Categories string
	Ingredients, Steps                                                                         []string
}

func (f recipeForm) values() url.Values {
	v := url.Values{
		"title": {f.Title}, "description": {f.Description}, "prep_minutes": {f.Prep}, "cook_minutes": {f.Cook},
		"servings": {f.Servings}, "difficulty": {f.Difficulty}, "visibility": {f.Visibility}, "source_url": {f.Source},
		"tags": {f.Tags}, "categories": {f.Categories},
	}
	v["ingredient"] = append(append([]string{}, f.Ingredients...), "", "", "")
	v["step"] = append(append([]string{}, f.Steps...), "", "", "")
	return v
}

// simpleRecipe is a complete recipe form with the given title and visibility.
func simpleRecipe(title, visibility string) recipeForm {
	return recipeForm{
		Title: title, Description: "A test recipe.", Prep: "15", Cook: "30", Servings: "4", Difficulty: "easy",
		Visibility: visibility, Tags: "test", Categories: "dinner",
		Ingredients: []string{"1 1/2 cups flour", "3/4 tsp salt", "2 eggs"},
		Steps:       []string{"Mix the flour and salt.", "Beat in the eggs.", "Bake until golden."},
	}
}

// assetURL is a fingerprinted static file URL: /static/<name>.<16 hex>.<ext>.
var assetURL = regexp.MustCompile(`^/static/([A-Za-z0-9._/-]+)\.([0-9a-f]{16})\.([a-z0-9]+)$`)

var recipePath = regexp.MustCompile(`^/recipes/([A-Za-z0-9_-]+)$`)

// createRecipe submits the recipe form and returns the new recipe's id.
func (b *browser) createRecipe(t testing.TB, f recipeForm) string {
	t.Helper()
	r := b.post(t, "/recipes/new", f.values()).want(t, http.StatusSeeOther)
	m := recipePath.FindStringSubmatch(r.location(t))
	if m == nil {
		t.Fatalf("create recipe %q: redirected to %q", f.Title, r.location(t))
	}
	return m[1]
}

// seedRecipes writes recipes straight to the store (no form), for lists
// that need many of them.
func (s *site) seedRecipes(t testing.TB, username string, ins ...recipe.Input) []string {
	t.Helper()
	id := s.userID(t, username)
	var ids []string
	for _, in := range ins {
		if errs := in.Normalize(); len(errs) > 0 {
			t.Fatalf("seed recipe %q: %v", in.Title, errs)
		}
		rec, err := s.Store.CreateRecipe(context.Background(), id, in)
		if err != nil {
			t.Fatalf("seed recipe %q: %v", in.Title, err)
		}
		ids = append(ids, rec.ID)
	}
	return ids
}

func intp(n int) *int { return &n }

// ---- HTML

// node is an element or, with tag "", a text node.
type node struct {
	tag    string
	attrs  []xml.Attr
	kids   []*node
	parent *node
	text   string
}

// parseHTML builds a tree with encoding/xml in its HTML mode: void
// elements auto-close, HTML entities resolve and unquoted or bare
// attributes are accepted. what names the page in failures.
func parseHTML(t testing.TB, body []byte, what string) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.AutoClose = htmlVoidElements
	d.Entity = xml.HTMLEntity
	root := &node{tag: "#document"}
	cur := root
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: parse HTML: %v\n%s", what, err, truncate(string(body), 2000))
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{tag: strings.ToLower(tk.Name.Local), parent: cur}
			for _, a := range tk.Attr {
				name := a.Name.Local
				if a.Name.Space != "" {
					name = a.Name.Space + ":" + name
				}
				n.attrs = append(n.attrs, xml.Attr{Name: xml.Name{Local: strings.ToLower(name)}, Value: a.Value})
			}
			cur.kids = append(cur.kids, n)
			cur = n
		case xml.EndElement:
			if cur.parent != nil {
				cur = cur.parent
			}
		case xml.CharData:
			cur.kids = append(cur.kids, &node{parent: cur, text: string(tk)})
		}
	}
	return root
}

// attr returns an attribute's value and whether it is present.
func (n *node) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// get returns an attribute's value, "" when absent.
func (n *node) get(name string) string {
	v, _ := n.attr(name)
	return v
}

func (n *node) has(name string) bool {
	_, ok := n.attr(name)
	return ok
}

func (n *node) hasClass(c string) bool {
	for _, f := range strings.Fields(n.get("class")) {
		if f == c {
			return true
		}
	}
	return false
}

// rawText is the text inside n as written.
func (n *node) rawText() string {
	var sb strings.Builder
	var walk func(*node)
	walk = func(n *node) {
		if n.tag == "" {
			sb.WriteString(n.text)
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(n)
	return sb.String()
}

// textContent is the text inside n with whitespace collapsed.
func (n *node) textContent() string { return strings.Join(strings.Fields(n.rawText()), " ") }

// each visits every element below n in document order.
func (n *node) each(fn func(*node)) {
	for _, k := range n.kids {
		if k.tag != "" {
			fn(k)
			k.each(fn)
		}
	}
}

// compound is one simple selector: tag#id.class[attr][attr=value].
type compound struct {
	tag, id string
	classes []string
	attrs   [][2]string // name, value ("\x00" = any value)
}

var (
	selectorTag  = regexp.MustCompile(`^[a-z0-9*]+`)
	selectorPart = regexp.MustCompile(`^(#[A-Za-z0-9_-]+|\.[A-Za-z0-9_-]+|\[([a-z0-9_:-]+)(?:(=|\^=)(?:"([^"]*)"|([^\]"]*)))?\])`)
)

func parseCompound(s string) compound {
	var c compound
	rest := s
	if m := selectorTag.FindString(rest); m != "" {
		c.tag, rest = m, rest[len(m):]
	}
	for rest != "" {
		m := selectorPart.FindStringSubmatch(rest)
		if m == nil {
			panic("unsupported selector: " + s)
		}
		switch {
		case m[1][0] == '#':
			c.id = m[1][1:]
		case m[1][0] == '.':
			c.classes = append(c.classes, m[1][1:])
		case m[3] == "":
			c.attrs = append(c.attrs, [2]string{m[2], "\x00"})
		case m[3] == "^=":
			c.attrs = append(c.attrs, [2]string{m[2], "\x01" + m[4] + m[5]})
		default:
			c.attrs = append(c.attrs, [2]string{m[2], m[4] + m[5]})
		}
		rest = rest[len(m[0]):]
	}
	return c
}

func (c compound) matches(n *node) bool {
	if c.tag != "" && c.tag != "*" && c.tag != n.tag {
		return false
	}
	if c.id != "" && n.get("id") != c.id {
		return false
	}
	for _, cl := range c.classes {
		if !n.hasClass(cl) {
			return false
		}
	}
	for _, a := range c.attrs {
		v, ok := n.attr(a[0])
		switch {
		case !ok:
			return false
		case a[1] == "\x00":
		case strings.HasPrefix(a[1], "\x01"):
			if !strings.HasPrefix(v, a[1][1:]) {
				return false
			}
		case v != a[1]:
			return false
		}
	}
	return true
}

// all returns the elements below n matching a selector of compounds
// joined by the descendant combinator (a space), e.g.
// `header nav[aria-label] a.brand`.
func (n *node) all(selector string) []*node {
	var parts []compound
	for _, s := range strings.Fields(selector) {
		parts = append(parts, parseCompound(s))
	}
	var out []*node
	n.each(func(e *node) {
		if !parts[len(parts)-1].matches(e) {
			return
		}
		// Match the ancestors right to left, greedily.
		i := len(parts) - 2
		for a := e.parent; a != nil && i >= 0; a = a.parent {
			if a.tag != "" && a.tag != "#document" && parts[i].matches(a) {
				i--
			}
		}
		if i < 0 {
			out = append(out, e)
		}
	})
	return out
}

// first returns the first match or nil.
func (n *node) first(selector string) *node {
	if m := n.all(selector); len(m) > 0 {
		return m[0]
	}
	return nil
}

// one returns the single match, failing the test otherwise.
func (n *node) one(t testing.TB, selector string) *node {
	t.Helper()
	m := n.all(selector)
	if len(m) != 1 {
		t.Fatalf("%d elements match %q, want 1", len(m), selector)
	}
	return m[0]
}

// texts returns the collapsed text of every match.
func (n *node) texts(selector string) []string {
	var out []string
	for _, e := range n.all(selector) {
		out = append(out, e.textContent())
	}
	return out
}

// ---- Page checks

// assertDocument checks what every page must have: a complete HTML
// document with a language, a title, one h1, the skip link first, the
// main landmark it points to, the header's navigation, unique ids, and
// labels, descriptions and in-page links that point at elements that exist.
func assertDocument(t testing.TB, r *resp) *node {
	t.Helper()
	what := r.method + " " + r.path
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(string(r.body))), "<!doctype html>") {
		t.Errorf("%s: no <!doctype html> at the start", what)
	}
	d := r.doc(t)
	if html := d.all("html"); len(html) != 1 || html[0].get("lang") != "en" {
		t.Errorf("%s: want one <html lang=\"en\">", what)
	}
	if titles := d.all("head title"); len(titles) != 1 || !strings.HasSuffix(titles[0].textContent(), "· RecCollection") ||
		len(titles[0].textContent()) <= len("· RecCollection") {
		t.Errorf("%s: want one <title> naming the page, got %q", what, d.texts("title"))
	}
	if h1 := d.all("h1"); len(h1) != 1 || h1[0].textContent() == "" {
		t.Errorf("%s: want exactly one non-empty <h1>, got %q", what, d.texts("h1"))
	}
	body := d.first("body")
	if body == nil {
		t.Fatalf("%s: no <body>", what)
	}
	if a := body.first("a"); a == nil || a.get("href") != "#main" || !a.hasClass("skip-link") {
		t.Errorf("%s: the first link in <body> is not the skip link to #main", what)
	}
	if m := d.all("main"); len(m) != 1 || m[0].get("id") != "main" {
		t.Errorf("%s: want one <main id=\"main\">", what)
	}
	// A minimal page (cook mode) leaves out the site's header.
	if nav := d.all("header nav[aria-label]"); len(nav) == 0 && !body.hasClass("minimal") {
		t.Errorf("%s: no labelled <nav> landmark in the header", what)
	}
	ids := map[string]int{}
	d.each(func(e *node) {
		if id, ok := e.attr("id"); ok {
			ids[id]++
		}
	})
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%s: id %q used %d times", what, id, n)
		}
	}
	d.each(func(e *node) {
		for _, ref := range strings.Fields(e.get("aria-describedby")) {
			if ids[ref] == 0 {
				t.Errorf("%s: <%s id=%q> aria-describedby %q: no element has that id", what, e.tag, e.get("id"), ref)
			}
		}
		if e.tag == "label" && e.has("for") && ids[e.get("for")] == 0 {
			t.Errorf("%s: <label for=%q> labels nothing", what, e.get("for"))
		}
		if e.tag == "a" && strings.HasPrefix(e.get("href"), "#") && len(e.get("href")) > 1 && ids[e.get("href")[1:]] == 0 {
			t.Errorf("%s: link %q (%q) points to no element", what, e.get("href"), e.textContent())
		}
	})
	return d
}

// assertNotFoundPage checks the 404 page, which is also what a hidden
// recipe looks like.
func assertNotFoundPage(t testing.TB, r *resp) {
	t.Helper()
	r.want(t, http.StatusNotFound)
	d := assertDocument(t, r)
	if h := d.one(t, "h1").textContent(); h != "Not found" {
		t.Errorf("%s %s: 404 page heading %q", r.method, r.path, h)
	}
}

// flash is the one-time message at the top of the page, or "".
func flash(t testing.TB, r *resp) string {
	t.Helper()
	if f := r.doc(t).first("main #flash"); f != nil {
		return f.textContent()
	}
	return ""
}

// inputValue is the value of the form control with that id.
func inputValue(t testing.TB, d *node, id string) string {
	t.Helper()
	e := d.first("#" + id)
	if e == nil {
		t.Fatalf("no element #%s", id)
	}
	if e.tag == "textarea" {
		return e.rawText()
	}
	return e.get("value")
}

// assertFieldError checks that the control with id is marked invalid and
// described by an error message containing msg.
func assertFieldError(t testing.TB, d *node, id, msg string) {
	t.Helper()
	e := d.first("#" + id)
	if e == nil {
		t.Errorf("no field #%s", id)
		return
	}
	if e.get("aria-invalid") != "true" {
		t.Errorf("#%s: aria-invalid=%q, want true", id, e.get("aria-invalid"))
	}
	var found bool
	for _, ref := range strings.Fields(e.get("aria-describedby")) {
		if m := d.first("#" + ref); m != nil && m.hasClass("field-error") {
			found = true
			if !strings.Contains(m.textContent(), msg) {
				t.Errorf("#%s: error %q does not say %q", id, m.textContent(), msg)
			}
		}
	}
	if !found {
		t.Errorf("#%s: aria-describedby %q names no error message", id, e.get("aria-describedby"))
	}
}

// summaryLinks maps the error summary's link targets to their text.
func summaryLinks(t testing.TB, d *node) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, a := range d.all("#error-summary a[href]") {
		out[strings.TrimPrefix(a.get("href"), "#")] = a.textContent()
	}
	return out
}

// gunzip decompresses a gzip body.
func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

// recipeCards returns, for each recipe card on a page in order, the link
// to its recipe page.
func recipeCards(t testing.TB, r *resp) []*node {
	t.Helper()
	var links []*node
	for _, card := range r.doc(t).all(".recipe-card") {
		for _, a := range card.all(`a[href^="/recipes/"]`) {
			if recipePath.MatchString(a.get("href")) {
				links = append(links, a)
				break
			}
		}
	}
	return links
}

// recipeIDs lists the recipe ids linked from the cards on a page, in order.
func recipeIDs(t testing.TB, r *resp) []string {
	t.Helper()
	var ids []string
	for _, a := range recipeCards(t, r) {
		ids = append(ids, strings.TrimPrefix(a.get("href"), "/recipes/"))
	}
	return ids
}

// cardTitles lists the titles of the recipe cards on a page, in order.
func cardTitles(t testing.TB, r *resp) []string {
	t.Helper()
	var titles []string
	for _, a := range recipeCards(t, r) {
		titles = append(titles, a.textContent())
	}
	return titles
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func q(s string) string { return url.QueryEscape(s) }

func fmtList(items []string) string { return fmt.Sprintf("%q", items) }

// htmlVoidElements are the elements without an end tag: encoding/xml's
// list lacks the newer ones (<source> of a <picture>).
var htmlVoidElements = append(append([]string{}, xml.HTMLAutoClose...), "source", "wbr", "track", "embed")
