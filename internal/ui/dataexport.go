package ui

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/reccollection/reccollection/internal/dataexport"
	"github.com/reccollection/reccollection/internal/store"
)

// exportsView is the "Your data" page: the person's exports and where
// each stands.
type exportsView struct {
	Exports []exportRow
	// Working is set while one is queued or being made: the page then
	// polls itself (app.js, data-poll).
	Working bool
	Message string
	Days    int
}

type exportRow struct {
	ID, Status, Error string
	CreatedAt         time.Time
	ExpiresAt         *time.Time
	Size              string
}

// exportsPage is GET /settings/export.
func (u *UI) exportsPage(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	u.renderExports(w, r, http.StatusOK, me.ID, "")
}

func (u *UI) renderExports(w http.ResponseWriter, r *http.Request, status int, userID, message string) {
	list, err := u.exports.List(r.Context(), userID)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v := exportsView{Message: message, Days: int(u.exports.Lifetime() / (24 * time.Hour))}
	for _, e := range list {
		v.Exports = append(v.Exports, exportRow{ID: e.ID, Status: e.Status, Error: e.Error, CreatedAt: e.CreatedAt,
			ExpiresAt: e.ExpiresAt, Size: byteSize(e.Size)})
		v.Working = v.Working || e.Status == store.ExportQueued || e.Status == store.ExportRunning
	}
	w.Header().Set("Cache-Control", "private, no-store")
	u.render(w, r, status, "data_export", &page{Title: "Your data", Data: v})
}

// requestExport is POST /settings/export.
func (u *UI) requestExport(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	_, err := u.exports.Request(r.Context(), me.ID)
	switch {
	case err == nil:
		u.redirect(w, r, "/settings/export", "export-requested")
	case errors.Is(err, store.ErrExportInProgress):
		u.renderExports(w, r, http.StatusConflict, me.ID, "An export is already being made: it is below. Ask for another once it is ready.")
	case errors.Is(err, store.ErrExportDailyLimit):
		u.renderExports(w, r, http.StatusTooManyRequests, me.ID,
			"You have asked for "+strconv.Itoa(dataexport.DefaultPerDay)+" exports in the last 24 hours; the ones below stay available. Try again tomorrow.")
	default:
		u.serverError(w, r, err)
	}
}

// downloadExport is GET /settings/export/{id}/download: the zip, to its
// owner only, until it expires.
func (u *UI) downloadExport(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	rc, e, err := u.exports.Open(r.Context(), me.ID, r.PathValue("id"))
	switch {
	case errors.Is(err, store.ErrNotFound):
		u.notFound(w, r)
		return
	case errors.Is(err, dataexport.ErrNotReady):
		u.redirect(w, r, "/settings/export", "")
		return
	case err != nil:
		u.serverError(w, r, err)
		return
	}
	defer rc.Close()
	dataexport.WriteDownloadHeaders(w, me.Username, e)
	_, _ = io.Copy(w, rc)
}

// byteSize is n bytes for people: "12.3 MB".
func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 0, 64) + " kB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
