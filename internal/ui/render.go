package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

//go:embed templates
var templateFiles embed.FS

// page is what every template receives: the common frame plus the page's
// own data in Data.
type page struct {
	Title       string
	Description string // meta description
	User        *auth.User
	Flash       string
	Path        string
	BaseURL     string
	Data        any
	// Head carries page-specific metadata (Open Graph, JSON-LD).
	OG     map[string]string
	JSONLD any
	// Canonical is the absolute URL of this page, for og:url and sharing.
	Canonical string
	// Minimal leaves out the site's header and footer, for a page that
	// is a task of its own (cook mode) and gives its own way back.
	Minimal bool
	// Imports shows the way to import recipes (Options.Imports is set).
	Imports bool
	// Planner shows the household in the navigation (the meal-planner
	// flag is on for the signed-in person).
	Planner bool
	// RefreshSeconds reloads the page after that many seconds when
	// scripts do not run (a running bulk import); 0 for never.
	RefreshSeconds int
	// Public says the page shows only what anyone may see, so that for a
	// visitor without credentials a shared cache may keep it (cache.go).
	Public bool
	// VaryLanguage says the page depends on Accept-Language (measures
	// chosen from the browser's language).
	VaryLanguage bool
	// NoIndex asks search engines to leave the page out (a share page).
	NoIndex bool
	// Unread is the navigation's count of unread notifications ("" for
	// none, "99+" past store.MaxUnreadCount); signed-in pages only.
	Unread string
}

// pageTemplates is one template set per page: the layout and shared
// partials, plus the page's own file, so that each page can define the
// same blocks ("title", "main") without clashing. The layout is parsed at
// start-up (a syntax error there stops the server); each page's set is
// cloned and parsed the first time the page is asked for, because the
// twenty-odd sets were half of the idle server's heap (2.5 MB) and most
// pages are rarely shown. TestEveryPageTemplateParses parses them all.
type pageTemplates struct {
	base  *template.Template // never executed itself, only cloned
	pages map[string]*lazyPage
}

type lazyPage struct {
	file string
	once sync.Once
	t    *template.Template
	err  error
}

func parseTemplates(funcs template.FuncMap) (*pageTemplates, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout templates: %w", err)
	}
	files, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	pt := &pageTemplates{base: base, pages: make(map[string]*lazyPage, len(files))}
	for _, f := range files {
		pt.pages[strings.TrimSuffix(path.Base(f), ".html")] = &lazyPage{file: f}
	}
	return pt, nil
}

// page is the template set of the named page, parsed on first use; ok is
// false when no such page exists.
func (pt *pageTemplates) page(name string) (t *template.Template, ok bool, err error) {
	lp, ok := pt.pages[name]
	if !ok {
		return nil, false, nil
	}
	lp.once.Do(func() {
		t, err := pt.base.Clone()
		if err == nil {
			_, err = t.ParseFS(templateFiles, lp.file)
		}
		if err != nil {
			lp.err = fmt.Errorf("parse %s: %w", lp.file, err)
			return
		}
		lp.t = t
	})
	return lp.t, true, lp.err
}

func (u *UI) funcs() template.FuncMap {
	f := u.pageFuncs()
	for name, fn := range photoFuncs() {
		f[name] = fn
	}
	return f
}

func (u *UI) pageFuncs() template.FuncMap {
	return template.FuncMap{
		"asset":     u.assets.URL,
		"oneAuthor": oneAuthor,
		"cardTitle": cardTitle,
		"cardMatch": cardMatch,
		"fragment":  u.fragment,
		"qty":       recipe.FormatQuantity,
		"minutes": func(p *int) string {
			if p == nil {
				return ""
			}
			return formatMinutes(*p)
		},
		"date":     func(t time.Time) string { return t.Format("2 January 2006") },
		"copyLink": func(label, url string) copyLinkView { return copyLinkView{ID: "share-url", Label: label, URL: url} },
		// A link made just now (a share link, shown once): announced,
		// and with its own id beside the page's own link.
		"newLink": func(label, url string) copyLinkView {
			return copyLinkView{ID: "share-new-url", Label: label, URL: url, New: true}
		},
		"isoDate": func(t time.Time) string {
			return t.UTC().Format(time.RFC3339)
		},
		"jsonld": func(v any) (template.JS, error) {
			// json.Marshal writes <, > and & inside strings as \u003c,
			// \u003e and \u0026 (and nowhere else can they occur in
			// JSON), which keeps "</script>" and friends out of the
			// script element; TestRecipeTitleCannotInjectMarkup checks it.
			b, err := json.Marshal(v)
			if err != nil {
				return "", err
			}
			return template.JS(b), nil
		},
		"add":       func(a, b int) int { return a + b },
		"thousands": thousands,
		"deref": func(p *int) int {
			if p == nil {
				return 0
			}
			return *p
		},
		"fieldError": func(errs map[string]string, field string) string { return errs[field] },
		// ids joins the non-empty element ids of an aria-describedby.
		"ids": func(ids ...string) string {
			var out []string
			for _, id := range ids {
				if id != "" {
					out = append(out, id)
				}
			}
			return strings.Join(out, " ")
		},
		// missingID is the id of the note that an import did not find
		// field, or "".
		"missingID": func(x *importExtras, field string) string {
			if !x.Lacks(field) {
				return ""
			}
			return field + "-missing"
		},
		// errorID is field's error message id when it has one.
		"errorID": func(errs map[string]string, field string) string {
			if errs[field] == "" {
				return ""
			}
			return field + "-error"
		},
		"initial": initial,
	}
}

// formatMinutes writes a duration the way a recipe does: "45 min",
// "1 h 20 min", "3 h".
func formatMinutes(m int) string {
	h, min := m/60, m%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", min)
	case min == 0:
		return fmt.Sprintf("%d h", h)
	default:
		return fmt.Sprintf("%d h %d min", h, min)
	}
}

// render executes a page into memory first, so that a template error is a
// clean 500 rather than half a page, then sends it with an ETag: a
// browser revalidating an unchanged page gets 304 and no body.
func (u *UI) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok, err := u.pages.page(name)
	if !ok {
		err = fmt.Errorf("no page template %q", name)
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	p.User = auth.UserFrom(r.Context())
	p.Path = r.URL.Path
	p.BaseURL = u.baseURL
	p.Imports = u.imports != nil
	p.Planner = p.User != nil && u.invitations != nil && u.flagOn(r, flags.MealPlanner)
	u.unreadFor(r, p)
	describe(p, name)
	if p.Flash == "" {
		p.Flash = takeFlash(w, r)
	}
	h := w.Header()
	key := memoKey(name, status, p)
	if kept := u.memo.get(key); kept != nil {
		h.Set("Content-Type", "text/html; charset=utf-8")
		u.setCaching(h, r, status, p)
		kept.send(w, r)
		return
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		u.serverError(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	u.memo.keep(key, etag, buf.Bytes())
	h.Set("Content-Type", "text/html; charset=utf-8")
	u.setCaching(h, r, status, p)
	h.Set("ETag", etag)
	if status == http.StatusOK && httpx.ETagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderBuffers hold pages while they render: a page is 10 to 50 kB, and
// a fresh buffer grew to that size by doubling, five or six copies per
// page. A buffer grown past maxPooledRender (a rare, long admin list) is
// left to the garbage collector rather than kept.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledRender = 256 << 10

func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledRender {
		return
	}
	b.Reset()
	renderBuffers.Put(b)
}

func (u *UI) notFound(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusNotFound, "notfound", &page{Title: "Not found"})
}

// serverError answers an unexpected error with the 500 page; a database
// outage gets the 503 page instead (unavailable), so no handler has to
// tell the two apart.
func (u *UI) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if store.IsUnavailable(err) {
		u.unavailable(w, r, err)
		return
	}
	u.log.ErrorContext(r.Context(), "page failed", "err", err, "request_id", httpx.RequestID(r.Context()))
	httpx.ReportError(r.Context(), err)
	t, ok, perr := u.pages.page("error")
	ok = ok && perr == nil
	var buf bytes.Buffer
	if ok {
		ok = t.ExecuteTemplate(&buf, "layout", &page{Title: "Something went wrong", User: auth.UserFrom(r.Context()),
			Data: httpx.RequestID(r.Context()), BaseURL: u.baseURL, Description: pageDescriptions["error"]}) == nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	if ok {
		_, _ = w.Write(buf.Bytes())
		return
	}
	fmt.Fprintf(w, "<!doctype html><title>Error</title><p>Something went wrong. Reference: %s</p>", template.HTMLEscapeString(httpx.RequestID(r.Context())))
}

// unavailable answers 503 with Retry-After and a page saying the site is
// back in a moment. It is logged, not reported as a fault: an outage is
// the database's alerts' business, and one fault per request would flood
// the error tracker.
func (u *UI) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	u.log.WarnContext(r.Context(), "database unavailable", "err", err, "request_id", httpx.RequestID(r.Context()))
	t, ok, perr := u.pages.page("unavailable")
	ok = ok && perr == nil
	var buf bytes.Buffer
	if ok {
		// Path only for the "Try again" link: a form post is retried by
		// reloading, which the browser offers to resend.
		ok = t.ExecuteTemplate(&buf, "layout", &page{Title: "Back in a moment", User: auth.UserFrom(r.Context()),
			Data: httpx.RequestID(r.Context()), Path: r.URL.Path, BaseURL: u.baseURL,
			Description: pageDescriptions["unavailable"]}) == nil
	}
	if !ok {
		httpx.SetRetryAfter(w)
		httpx.WriteUnavailablePage(w, httpx.RequestID(r.Context()))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	httpx.SetRetryAfter(w)
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write(buf.Bytes())
}

// Flash messages survive one redirect in a short-lived cookie. The cookie
// holds a key, not text, so nobody can make the site display their words.
const flashCookie = "recc_flash"

var flashMessages = map[string]string{
	"saved":            "Recipe saved.",
	"deleted":          "Recipe deleted.",
	"welcome":          "Welcome to RecCollection! Your account is ready.",
	"signed-in":        "You are signed in.",
	"signed-out":       "You are signed out.",
	"export-requested": "Your export is being made. It appears below when it is ready.",
	"account-deleted":  "Your account and everything in it have been deleted. Thank you for cooking with us.",
	"profile-saved":    "Profile saved.",
	"email-requested":  "Check the inbox of your new address: follow the link we sent there to confirm it. Until then your address stays as it is.",
	"email-resent":     "A new confirmation link is on its way to your new address; the earlier one no longer works.",
	"email-cancelled":  "The change of your email address is cancelled; your address stays as it is.",
	"password-changed": "Password changed. Every other session and all your API tokens have been revoked.",
	"token-revoked":    "Token revoked.",
	"password-reset":   "Password changed. Every session and API token of the account has been revoked; log in with the new password.",
	"mfa-disabled":     "Two-factor authentication is off.",
	"user-disabled":    "Account disabled; every session and API token of it has been revoked.",
	"user-enabled":     "Account enabled. Its old sessions and tokens stay revoked: the user signs in afresh.",
	"role-changed":     "Role changed.",
	"sessions-reset":   "Every session and API token of the account has been revoked.",
	"user-revoked":     "Every session and API token of the account has been revoked.",
	"flag-saved":       "Feature flag saved.",
	"units-saved":      "Units saved.",
	"avatar-saved":     "Photo saved. It shows on your recipes and profile in a moment.",
	"avatar-removed":   "Photo removed.",
	"imported":         "Imported.",
	"imported-photo":   "Imported. The photo appears in a moment.",

	// Comments (comments.go).
	"comment-posted":  "Comment posted.",
	"comment-saved":   "Comment saved.",
	"comment-deleted": "Comment deleted.",
	"share-sent":      "The link is on its way. It is listed below until it expires or you revoke it.",
	"share-revoked":   "Link revoked: it no longer opens the recipe.",

	// Households (households.go).
	"household-renamed":    "Household renamed.",
	"invitation-sent":      "The invitation is on its way. It is listed below until it is answered, withdrawn or expires.",
	"invitation-withdrawn": "Invitation withdrawn: its link no longer works.",
	"member-removed":       "Removed from the household.",
	"household-left":       "You left the household. This is now a household of your own: invite others, or join one with its invitation link.",
	"household-joined":     "Welcome to the household! Its meal plan and shopping lists are yours to share now.",
	"invitation-declined":  "Invitation declined.",
	"planned":              "Added to the meal plan.",
	"plan-moved":           "Moved.",
	"plan-copied":          "Copied.",
	"plan-removed":         "Removed from the plan.",
	"calendar-removed":     "The calendar address no longer works.",
	"list-created":         "List started. Add what you need below, or add a recipe or the week's plan.",
	"list-renamed":         "List renamed.",
	"list-cleared":         "Ticked lines cleared.",
	"list-deleted":         "List deleted.",
	"list-added":           "Added to the list.",
	"list-added-staples":   "Added to the list. Pantry staples (salt, pepper, water, oil) were left out.",
	"list-added-hidden":    "Added to the list, except recipes that are private to another member.",
}

func (u *UI) setFlash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: u.secureCookies, SameSite: http.SameSiteLaxMode})
}

// takeFlash shows a flash on the page a person navigates to. A request
// made by a script (Sec-Fetch-Dest: empty) never takes it: the recipe
// form's upload follows its redirect in the background, and the page the
// browser then opens is the one that shows "Recipe saved.".
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	if r.Header.Get("Sec-Fetch-Dest") == "empty" {
		return ""
	}
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return flashMessages[c.Value]
}

// redirect answers a successful form post: 303 so the browser GETs the
// target and a reload does not post again.
func (u *UI) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		u.setFlash(w, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath accepts a post-login destination only if it stays on this
// site: a path, not "//evil.example" or "https://…". Control characters
// are refused outright: browsers drop tabs and newlines from a Location,
// so "/\t/evil.example" would become "//evil.example".
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || len(next) > 1000 ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return next
}

// copyLinkView is the "copy-link" template's field id, label and address;
// New marks a link made just now, announced to screen readers.
type copyLinkView struct {
	ID, Label, URL string
	New            bool
}
