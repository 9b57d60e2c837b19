package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/reccollection/reccollection/internal/dataexport"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/store"
)

// WithExports enables the data export routes.
func (a *API) WithExports(s *dataexport.Service) *API {
	a.exports = s
	return a
}

// exportJSON is a data export as the API shows it.
type exportJSON struct {
	ID          string     `json:"id"`
	Status      string     `json:"status"`
	CreatedAt   time.Time  `json:"created_at"`
	FinishedAt  *time.Time `json:"finished_at"`
	ExpiresAt   *time.Time `json:"expires_at"`
	Size        int64      `json:"size"`
	Error       string     `json:"error,omitempty"`
	DownloadURL string     `json:"download_url,omitempty"`
}

func toExportJSON(e *store.DataExport) exportJSON {
	out := exportJSON{ID: e.ID, Status: e.Status, CreatedAt: e.CreatedAt.UTC(), FinishedAt: e.FinishedAt, ExpiresAt: e.ExpiresAt, Size: e.Size, Error: e.Error}
	if e.Status == store.ExportReady {
		out.DownloadURL = "/api/v1/me/exports/" + e.ID + "/download"
	}
	return out
}

// requestExport is POST /api/v1/me/exports: 202 with the export, made by
// a job; GET its Location until status is ready.
func (a *API) requestExport(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	e, err := a.exports.Request(r.Context(), u.ID)
	switch {
	case errors.Is(err, store.ErrExportInProgress):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict, "An export is already being made; ask for another once it is ready."))
	case errors.Is(err, store.ErrExportDailyLimit):
		w.Header().Set("Retry-After", strconv.Itoa(24*60*60))
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusTooManyRequests,
			"At most "+strconv.Itoa(dataexport.DefaultPerDay)+" exports in 24 hours; the earlier ones stay available."))
	case err != nil:
		a.fail(w, r, err)
	default:
		w.Header().Set("Location", "/api/v1/me/exports/"+e.ID)
		w.Header().Set("Cache-Control", "private, no-store")
		httpx.WriteJSON(w, r, http.StatusAccepted, toExportJSON(e))
	}
}

// listExports is GET /api/v1/me/exports: the caller's exports that have
// not expired, newest first.
func (a *API) listExports(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	list, err := a.exports.List(r.Context(), u.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]exportJSON, 0, len(list))
	for _, e := range list {
		out = append(out, toExportJSON(e))
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, map[string]any{"items": out})
}

// getExport is GET /api/v1/me/exports/{id}.
func (a *API) getExport(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	e, err := a.exports.Get(r.Context(), u.ID, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, toExportJSON(e))
}

// downloadExport is GET /api/v1/me/exports/{id}/download: the zip; 409
// while it is being made.
func (a *API) downloadExport(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	rc, e, err := a.exports.Open(r.Context(), u.ID, r.PathValue("id"))
	if errors.Is(err, dataexport.ErrNotReady) {
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict, "The export is "+e.Status+", not ready to download."))
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	defer rc.Close()
	dataexport.WriteDownloadHeaders(w, u.Username, e)
	_, _ = io.Copy(w, rc)
}
