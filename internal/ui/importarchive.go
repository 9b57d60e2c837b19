package ui

import (
	"errors"
	"net/http"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/importer"
)

// Moving in: a whole archive from another recipe app, uploaded once and
// imported in the background; a page shows how far it got, recipe by
// recipe, refreshing itself (import.js, or a reload without scripts).

// SetArchiveImports gives the pages archive imports (nil hides them).
// Set before the server takes requests.
func (u *UI) SetArchiveImports(a *importer.Archives) { u.archives = a }

// archiveFormView is the upload form.
type archiveFormView struct {
	MaxMB        int64
	Problem      string
	ProblemTitle string
	// Recent are the person's latest archive imports.
	Recent []archiveSummary
}

// archiveSummary is an earlier import as the form lists it.
type archiveSummary struct {
	*importer.ArchiveImport
	FormatName string
}

// archiveView is an archive import's progress page.
type archiveView struct {
	Import     *importer.ArchiveImport
	FormatName string
	Running    bool
	// Rows are the results shown: all of them once the import has
	// finished, the latest maxRunningRows while it runs (the page is
	// fetched again every two seconds).
	Rows []importer.ArchiveResult
	// Hidden counts the results not among Rows.
	Hidden int
}

// maxRunningRows bounds the results a running import's page lists.
const maxRunningRows = 100

// recentArchives is how many earlier imports the form lists.
const recentArchives = 5

// archiveFormats names the archive layouts for people.
var archiveFormats = map[string]string{
	"paprika": "Paprika", "mealie": "Mealie", "tandoor": "Tandoor", "schema.org": "web pages (schema.org)",
	"reccollection": "a RecCollection export",
}

func formatName(f string) string {
	if n, ok := archiveFormats[f]; ok {
		return n
	}
	return f
}

// archivesOn answers 404 when archive imports are off, and sends a
// visitor to sign in.
func (u *UI) archivesOn(w http.ResponseWriter, r *http.Request) bool {
	if u.archives == nil || u.imports == nil {
		u.notFound(w, r)
		return false
	}
	return u.requireUser(w, r) != nil
}

func (u *UI) archiveForm(w http.ResponseWriter, r *http.Request) {
	if !u.archivesOn(w, r) {
		return
	}
	u.renderArchiveForm(w, r, http.StatusOK, archiveFormView{})
}

func (u *UI) renderArchiveForm(w http.ResponseWriter, r *http.Request, status int, v archiveFormView) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	v.MaxMB = u.archives.MaxBytes() >> 20
	recent, err := u.archives.Recent(r.Context(), me.ID, recentArchives)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	for _, a := range recent {
		v.Recent = append(v.Recent, archiveSummary{a, formatName(a.Format)})
	}
	title := "Move your recipes in"
	if v.Problem != "" {
		title = "Please check the form · " + title
	}
	u.render(w, r, status, "import_archive", &page{Title: title, Data: v})
}

// archiveStart is POST /import/archive: the archive in the field "file",
// read as it arrives and handed to the import, which keeps it.
func (u *UI) archiveStart(w http.ResponseWriter, r *http.Request) {
	if !u.archivesOn(w, r) {
		return
	}
	me := u.requireUser(w, r)
	refuse := func(err error) {
		status, title, detail, _ := importer.ArchiveProblem(err)
		if status == 0 {
			u.serverError(w, r, err)
			return
		}
		u.renderArchiveForm(w, r, status, archiveFormView{Problem: detail, ProblemTitle: title})
	}
	limit := u.archives.MaxBytes() + 64<<10
	if r.ContentLength > limit {
		refuse(u.archives.TooLarge())
		return
	}
	// Paced rather than cut off at the server's 30 s.
	httpx.PaceUpload(w, r, limit)
	up, err := u.archives.NewUpload(r.Context(), me.ID)
	if err != nil {
		refuse(err)
		return
	}
	defer up.Close()
	var imp *importer.ArchiveImport
	err = httpx.FileParts(r, "file", up.Add)
	if err == nil {
		imp, err = up.Start(r.Context())
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, httpx.ErrNotMultipart), errors.Is(err, httpx.ErrNoFile):
		refuse(importer.ErrArchiveMissing)
	case errors.Is(err, httpx.ErrBadMultipart):
		u.badForm(w, r, err)
	case errors.As(err, &tooBig):
		refuse(u.archives.TooLarge())
	case err != nil:
		refuse(err)
	default:
		u.redirect(w, r, "/import/archive/"+imp.ID, "")
	}
}

func (u *UI) archiveProgress(w http.ResponseWriter, r *http.Request) {
	if !u.archivesOn(w, r) {
		return
	}
	me := u.requireUser(w, r)
	imp, err := u.archives.Get(r.Context(), me.ID, r.PathValue("id"))
	if errors.Is(err, importer.ErrArchiveNotFound) {
		u.notFound(w, r)
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v := archiveView{Import: imp, FormatName: formatName(imp.Format), Running: !imp.Finished(), Rows: imp.Results}
	if v.Running && len(v.Rows) > maxRunningRows {
		v.Hidden = len(v.Rows) - maxRunningRows
		v.Rows = v.Rows[v.Hidden:]
	}
	p := &page{Title: "Moving your recipes in", Data: v}
	switch {
	case v.Running:
		p.RefreshSeconds = bulkRefreshSeconds
	case imp.Status == "failed":
		p.Title = "The import stopped"
	default:
		p.Title = "Your recipes are in"
	}
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, http.StatusOK, "import_archive_progress", p)
}
