package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/validate"
)

// WithArchiveImports enables the archive import routes; without it they
// answer 503.
func (a *API) WithArchiveImports(s *importer.Archives) *API {
	a.archives = s
	return a
}

// archiveOverhead is what a multipart body may hold besides the archive:
// boundaries and part headers.
const archiveOverhead = 64 << 10

// archivesOn requires a signed-in user and the archive imports, answering
// when either is missing.
func (a *API) archivesOn(w http.ResponseWriter, r *http.Request) (string, bool) {
	u := requireUser(w, r)
	if u == nil {
		return "", false
	}
	if a.archives == nil {
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusServiceUnavailable, "Importing archives is not available on this server."))
		return "", false
	}
	return u.ID, true
}

// startArchiveImport is POST /api/v1/imports/archives: the archive in the
// multipart field "file", read as it arrives (never held whole in
// memory). The answer is 202 with the import, and Location to follow it.
func (a *API) startArchiveImport(w http.ResponseWriter, r *http.Request) {
	userID, ok := a.archivesOn(w, r)
	if !ok {
		return
	}
	limit := a.archives.MaxBytes() + archiveOverhead
	if r.ContentLength > limit {
		a.archiveFailed(w, r, a.archives.TooLarge())
		return
	}
	// 512 MB from a phone takes a while: paced rather than cut off at the
	// server's 30 s.
	httpx.PaceUpload(w, r, limit)
	up, err := a.archives.NewUpload(r.Context(), userID)
	if err != nil {
		a.archiveFailed(w, r, err)
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
	case errors.Is(err, httpx.ErrNotMultipart):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusUnsupportedMediaType,
			`Send the archive as multipart/form-data, in the field "file".`))
	case errors.Is(err, httpx.ErrBadMultipart):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusBadRequest, "The multipart body could not be read."))
	case errors.As(err, &tooBig):
		a.archiveFailed(w, r, a.archives.TooLarge())
	case errors.Is(err, httpx.ErrNoFile):
		a.archiveFailed(w, r, importer.ErrArchiveMissing)
	case err != nil:
		a.archiveFailed(w, r, err)
	default:
		w.Header().Set("Location", "/api/v1/imports/archives/"+imp.ID)
		httpx.WriteJSON(w, r, http.StatusAccepted, imp)
	}
}

// archiveImport is GET /api/v1/imports/archives/{id}: the import's
// progress and each recipe's result so far.
func (a *API) archiveImport(w http.ResponseWriter, r *http.Request) {
	userID, ok := a.archivesOn(w, r)
	if !ok {
		return
	}
	imp, err := a.archives.Get(r.Context(), userID, r.PathValue("id"))
	if err != nil {
		a.archiveFailed(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, imp)
}

// archiveFailed answers an error of archive imports with its problem
// (importer.ArchiveProblem); anything else goes to fail.
func (a *API) archiveFailed(w http.ResponseWriter, r *http.Request, err error) {
	status, title, detail, field := importer.ArchiveProblem(err)
	if status == 0 {
		a.fail(w, r, err)
		return
	}
	p := httpx.NewProblem(status, detail)
	p.Title = title
	if field != "" {
		p.Errors = validate.Errors{{Field: field, Message: detail}}
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(importer.RetryAfterSeconds))
	}
	httpx.WriteProblem(w, r, p)
}
