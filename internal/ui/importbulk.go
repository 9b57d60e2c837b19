package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/importer"
)

// Bulk import: a list of links, imported in the background; a page shows
// how far it got and offers to retry the links that failed.

// bulkFormView is the bulk import form.
type bulkFormView struct {
	URLs         string
	Problem      string
	ProblemTitle string
	Max          int
}

// bulkView is a bulk import's progress page.
type bulkView struct {
	Bulk    *importer.Bulk
	Running bool
	// Saved counts the recipes saved, Skipped those already imported.
	Saved, Skipped int
}

// bulkRefreshSeconds is how often a running import's page reloads without
// JavaScript (import.js refreshes only the progress, as often).
const bulkRefreshSeconds = 2

// maxBulkLine bounds a line of the list: one link.
const maxBulkLine = maxImportURL

func (u *UI) bulkForm(w http.ResponseWriter, r *http.Request) {
	if u.importsOn(w, r) == nil {
		return
	}
	u.render(w, r, http.StatusOK, "import_bulk", &page{Title: "Import many recipes", Data: bulkFormView{Max: importer.MaxBulkURLs}})
}

// bulkStart is POST /import/bulk: one link per line; blank lines are
// skipped and repeated links imported once.
func (u *UI) bulkStart(w http.ResponseWriter, r *http.Request) {
	if u.imports == nil {
		u.notFound(w, r)
		return
	}
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	v := bulkFormView{URLs: r.PostForm.Get("urls"), Max: importer.MaxBulkURLs}
	urls, problem := bulkURLs(v.URLs)
	if problem == "" {
		b, err := u.imports.StartBulk(r.Context(), me.ID, urls)
		if err == nil {
			u.redirect(w, r, "/import/bulk/"+b.ID, "")
			return
		}
		p, known := importProblemOf(err)
		if !known {
			u.serverError(w, r, err)
			return
		}
		problem, v.ProblemTitle = p.Message, p.Title
	}
	v.Problem = problem
	u.render(w, r, http.StatusUnprocessableEntity, "import_bulk", &page{Title: "Please check the form · Import many recipes", Data: v})
}

// bulkURLs reads the list, saying what is wrong with it, line by line
// where it can.
func bulkURLs(text string) ([]string, string) {
	var urls []string
	seen := map[string]bool{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || seen[line] {
			continue
		}
		if len(line) > maxBulkLine || !isWebAddress(line) {
			return nil, "Line " + strconv.Itoa(i+1) + " is not a web address: each line must be one link, starting with https://."
		}
		seen[line] = true
		urls = append(urls, line)
		if len(urls) > importer.MaxBulkURLs {
			return nil, "That is more than " + strconv.Itoa(importer.MaxBulkURLs) + " links: import them in parts."
		}
	}
	if len(urls) == 0 {
		return nil, "Paste at least one link, one per line."
	}
	return urls, ""
}

// loadBulk finds the signed-in person's bulk import of the URL, answering
// 404 for any other.
func (u *UI) loadBulk(w http.ResponseWriter, r *http.Request, userID string) *importer.Bulk {
	b, err := u.imports.Bulk(r.Context(), userID, r.PathValue("id"))
	if errors.Is(err, importer.ErrBulkNotFound) {
		u.notFound(w, r)
		return nil
	}
	if err != nil {
		u.serverError(w, r, err)
		return nil
	}
	return b
}

func (u *UI) bulkProgress(w http.ResponseWriter, r *http.Request) {
	me := u.importsOn(w, r)
	if me == nil {
		return
	}
	b := u.loadBulk(w, r, me.ID)
	if b == nil {
		return
	}
	v := bulkView{Bulk: b, Running: b.Status != importer.BulkDone}
	for _, it := range b.Items {
		switch it.Status {
		case importer.BulkDone:
			v.Saved++
		case importer.BulkSkipped:
			v.Skipped++
		}
	}
	p := &page{Title: "Importing recipes", Data: v}
	if v.Running {
		p.RefreshSeconds = bulkRefreshSeconds
	} else {
		p.Title = "Recipes imported"
	}
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, http.StatusOK, "import_bulk_progress", p)
}

// bulkRetry is POST /import/bulk/{id}/retry.
func (u *UI) bulkRetry(w http.ResponseWriter, r *http.Request) {
	if u.imports == nil {
		u.notFound(w, r)
		return
	}
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	_, err := u.imports.RetryBulk(r.Context(), me.ID, r.PathValue("id"))
	if errors.Is(err, importer.ErrBulkNotFound) {
		u.notFound(w, r)
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	u.redirect(w, r, "/import/bulk/"+r.PathValue("id"), "")
}
