package ui

import (
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/recipe"
)

// The import page: a link to fetch, a page's HTML or a recipe's text in,
// the recipe form filled from what was found out (importform.go saves it).
// A GET only fills the form in, whoever links to it: fetching is a form
// post, under the cross-origin protection and the importer's rate limits.

const (
	// maxImportURL is the longest link the page accepts (the recipe's
	// source field holds as much).
	maxImportURL = 2048
	// importBodyLimit bounds a preview post: the largest page extraction
	// reads, sent as multipart (which does not inflate it), and the
	// form's other fields.
	importBodyLimit = extract.MaxHTML + 64<<10
)

// importView is the import page.
type importView struct {
	URL     string
	HTML    string
	BaseURL string
	Text    string
	// TextURL is where pasted text came from (a post's address), kept
	// as the recipe's source.
	TextURL string
	// AIModel names the AI service's model when one is set up: the text
	// form then offers to read the text with it (AI).
	AIModel string
	AI      bool
	// Problem is why the last attempt failed, shown by Field ("url",
	// "html" or "text"); OpenHTML opens the paste-the-page disclosure.
	Problem      string
	ProblemTitle string
	Field        string
	OpenHTML     bool
	// AutoSubmit asks import.js to press Import at once: the bookmarklet
	// sent the person here to import the page they were on.
	AutoSubmit  bool
	Bookmarklet template.URL
	MaxText     int
	MaxHTMLMB   int
	MaxBulk     int
}

// importsOn answers 404 when import is not configured, and otherwise
// passes the signed-in user (or sends the browser to log in).
func (u *UI) importsOn(w http.ResponseWriter, r *http.Request) *auth.User {
	if u.imports == nil {
		u.notFound(w, r)
		return nil
	}
	return u.requireUser(w, r)
}

func (u *UI) newImportView() importView {
	return importView{Bookmarklet: bookmarklet(u.baseURL), MaxText: extract.MaxText, MaxHTMLMB: extract.MaxHTML >> 20,
		MaxBulk: importer.MaxBulkURLs, AIModel: u.aiService.Model()}
}

func (u *UI) renderImport(w http.ResponseWriter, r *http.Request, status int, v importView) {
	title := "Import a recipe"
	if v.Problem != "" {
		title = "Please check the form · " + title
	}
	u.render(w, r, status, "import", &page{Title: title, Data: v})
}

// importForm is GET /import. The bookmarklet and the share sheet (the web
// app manifest's share_target) arrive here with ?url=, ?text= and
// ?title=; a shared link often comes inside text.
func (u *UI) importForm(w http.ResponseWriter, r *http.Request) {
	if u.importsOn(w, r) == nil {
		return
	}
	q := r.URL.Query()
	v := u.newImportView()
	v.URL = firstWebAddress(q.Get("url"))
	if v.URL == "" {
		v.URL = firstWebAddress(q.Get("text"))
	}
	if v.URL == "" && strings.TrimSpace(q.Get("text")) != "" {
		// Shared words without a link: a recipe copied as text.
		v.Text = clip(sharedText(q.Get("title"), q.Get("text")), extract.MaxText)
	}
	v.AutoSubmit = v.URL != "" && q.Get("go") == "1"
	u.renderImport(w, r, http.StatusOK, v)
}

// webAddress finds http(s) links in free text; the trailing punctuation
// of a sentence is trimmed off afterwards.
var webAddress = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"]+`)

// firstWebAddress is the first http(s) link in s, or "".
func firstWebAddress(s string) string {
	m := webAddress.FindString(s)
	m = strings.TrimRight(m, ".,;:!?)]}'’”")
	if len(m) > maxImportURL || !strings.Contains(m, "://") || strings.HasSuffix(m, "://") {
		return ""
	}
	return m
}

// sharedText joins a shared title and text, without repeating the title
// when the text starts with it.
func sharedText(title, text string) string {
	title, text = strings.TrimSpace(title), strings.TrimSpace(text)
	if title == "" || strings.HasPrefix(text, title) {
		return text
	}
	return title + "\n\n" + text
}

// clip cuts s to at most n bytes at a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// importPreview is POST /import: fetch or read, extract, and show the
// recipe form filled in for checking. Nothing is saved.
func (u *UI) importPreview(w http.ResponseWriter, r *http.Request) {
	me := u.importsOn(w, r)
	if me == nil {
		return
	}
	if err := parseImportForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	v := u.newImportView()
	v.URL = strings.TrimSpace(r.PostForm.Get("url"))
	v.HTML = r.PostForm.Get("html")
	v.BaseURL = strings.TrimSpace(r.PostForm.Get("base_url"))
	v.Text = r.PostForm.Get("text")
	v.TextURL = strings.TrimSpace(r.PostForm.Get("text_url"))
	v.AI = r.PostForm.Get("ai") != "" && v.AIModel != ""
	src, field, msg := importSource(v)
	if msg != "" {
		v.Problem, v.Field, v.OpenHTML = msg, field, field == "html"
		u.renderImport(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	pv, err := u.imports.Preview(r.Context(), me.ID, src)
	if err != nil {
		p, known := importProblemOf(err)
		if !known {
			u.serverError(w, r, err)
			return
		}
		v.Problem, v.ProblemTitle, v.Field, v.OpenHTML = p.Message, p.Title, field, field == "html"
		switch {
		case p.Offer == "html":
			v.OpenHTML = true
			if field == "url" && v.BaseURL == "" {
				v.BaseURL = v.URL
			}
		case p.Offer == "caption" && field == "url":
			// The caption goes in the text box, the post stays its source.
			v.Field, v.TextURL = "text", v.URL
		}
		u.renderImport(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	f := formFromInput(pv.Input)
	extra := &importExtras{ImageURL: pv.ImageURL, KeepPhoto: pv.ImageURL != "", Existing: pv.Existing,
		Missing: missingSet(pv.Missing)}
	u.renderImportForm(w, r, http.StatusOK, f, extra)
}

// parseImportForm reads a preview post: urlencoded for a link or text,
// multipart for a pasted page (which urlencoding would inflate up to
// threefold), bounded either way.
func parseImportForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, importBodyLimit)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		if err := r.ParseMultipartForm(importBodyLimit); err != nil {
			return err
		}
		// No files are read; any sent are dropped with the request.
		if r.MultipartForm != nil {
			_ = r.MultipartForm.RemoveAll()
		}
		return nil
	}
	return r.ParseForm()
}

// importSource picks what to import from the form that was sent (each of
// the page's three forms fills one of the fields) and checks its size and
// shape; on a problem it names the field and says why.
func importSource(v importView) (src importer.Source, field, problem string) {
	switch {
	case strings.TrimSpace(v.HTML) != "":
		if len(v.HTML) > extract.MaxHTML {
			return src, "html", "That page is larger than we read (" + sizeText(extract.MaxHTML) + "). Paste the recipe’s text instead."
		}
		if v.BaseURL != "" && !isWebAddress(v.BaseURL) {
			return src, "html", "The page’s address must be a web address starting with https://, or left empty."
		}
		return importer.Source{HTML: v.HTML, BaseURL: v.BaseURL}, "html", ""
	case isWebAddress(strings.TrimSpace(v.Text)) && !strings.ContainsAny(strings.TrimSpace(v.Text), " \n"):
		// A link pasted into the text box is a link.
		return importer.Source{URL: strings.TrimSpace(v.Text)}, "text", ""
	case strings.TrimSpace(v.Text) != "":
		if len(v.Text) > extract.MaxText {
			return src, "text", "That text is longer than a recipe (" + sizeText(extract.MaxText) + " at most)."
		}
		if v.TextURL != "" && !isWebAddress(v.TextURL) {
			return src, "text_url", "Where it came from must be a web address starting with https://, or left empty."
		}
		return importer.Source{Text: v.Text, BaseURL: v.TextURL, AI: v.AI}, "text", ""
	case v.URL != "":
		if !isWebAddress(v.URL) {
			return src, "url", "That is not a web address: copy the whole address, starting with https://."
		}
		return importer.Source{URL: v.URL}, "url", ""
	}
	return src, "url", "Paste the address of a recipe’s page, or use one of the other ways below."
}

// isWebAddress accepts an absolute http(s) URL of sensible length; the
// importer checks where it leads.
func isWebAddress(s string) bool {
	if len(s) > maxImportURL {
		return false
	}
	p, err := url.Parse(s)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// formFromInput fills the recipe form from an importer's draft.
func formFromInput(in recipe.Input) recipeForm {
	vis := in.Visibility
	if vis == "" {
		vis = recipe.Private
	}
	return formFromRecipe(&recipe.Recipe{
		Summary: recipe.Summary{Title: in.Title, Description: in.Description, PrepMinutes: in.PrepMinutes,
			CookMinutes: in.CookMinutes, Servings: in.Servings, Difficulty: in.Difficulty, Visibility: vis,
			Tags: in.Tags, Categories: in.Categories},
		SourceURL: in.SourceURL, SourceAuthor: in.SourceAuthor, Ingredients: in.Ingredients, IngredientGroups: in.IngredientGroups,
		Steps: in.Steps, StepGroups: in.StepGroups,
	})
}
