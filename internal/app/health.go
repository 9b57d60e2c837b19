package app

import (
	"context"
	"net/http"
	"time"

	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/httpx"
)

// probe registers a read-only operations endpoint: GET (and HEAD, which
// the mux routes to GET patterns) runs h, and every other method is
// answered 405 with Allow instead of falling through to the pages' 404 or
// the HTTPS redirect.
func probe(mux *http.ServeMux, path string, h http.HandlerFunc) {
	httpx.Route(mux, "GET "+path, h)
	httpx.Route(mux, path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "GET, HEAD")
		w.Header().Set("Cache-Control", "no-store")
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusMethodNotAllowed, "This endpoint accepts GET, HEAD."))
	}))
}

// healthz says the process is alive; it touches nothing else, so a slow
// database never gets a healthy process restarted.
func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

type readiness struct {
	Status        string `json:"status"`
	Database      string `json:"database"`
	SchemaVersion int64  `json:"schema_version"`
	SchemaTarget  int64  `json:"schema_target"`
}

// readyz says whether this instance should receive traffic: it is not
// shutting down, the database answers within a second, and the schema is
// the one this build expects.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	res, status := a.readiness(ctx)
	httpx.WriteJSON(w, r, status, res)
}

// readiness is the check behind /readyz and the reccollection_ready gauge.
func (a *App) readiness(ctx context.Context) (res readiness, status int) {
	res, status = readiness{Status: "ready", Database: "ok"}, http.StatusOK
	switch {
	case !a.ready.Load():
		res.Status, status = "shutting down", http.StatusServiceUnavailable
	case a.store.Ping(ctx) != nil:
		res.Status, res.Database, status = "database unreachable", "unreachable", http.StatusServiceUnavailable
	default:
		cur, target, err := a.store.SchemaVersion(ctx)
		res.SchemaVersion, res.SchemaTarget = cur, target
		if err != nil {
			res.Status, res.Database, status = "schema unknown", "error", http.StatusServiceUnavailable
		} else if cur < target {
			res.Status, status = "schema behind: run `reccollection migrate up`", http.StatusServiceUnavailable
		}
	}
	return res, status
}

func (a *App) version(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusOK, buildinfo.Get())
}
