package app

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/reccollection/reccollection/internal/store"
)

// Read-after-write with read replicas. The store sends lists, searches,
// recipe pages and profile counts to a replica unless the request context
// says otherwise (store.WithPrimary; the rule is in store/replica.go). A
// request reads only from the primary when
//
//  1. its method is unsafe (POST, PUT, PATCH, DELETE): whatever it reads
//     before or after its write must be current, and
//  2. it carries the recc_wrote cookie, which every unsafe request is
//     answered with and which lives readYourWritesWindow: the page a form
//     redirects to, and the next few clicks, see the write, whichever app
//     server answers, with no state kept on any of them.
//
// Clients that keep no cookies (most bearer-token API clients) get (1),
// and a recipe fetched by id that the replica does not have yet is looked
// up on the primary; their lists may lag by the replication delay.
//
// The cookie is set whatever the outcome: the header must be written
// before the handler decides its status, and a failed request that pins
// its client to the primary for a few seconds costs nothing that would
// justify wrapping every response.

// wroteCookie marks a client that wrote a moment ago.
const wroteCookie = "recc_wrote"

// readYourWritesWindow must exceed the replication delay the replicas
// normally run at (well under a second) by a margin for bursts.
const readYourWritesWindow = 5 * time.Second

// readYourWrites marks requests that must read from the primary; without
// replicas it is not installed at all.
func readYourWrites(secureCookies bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		unsafe := !isSafeMethod(r.Method)
		if unsafe {
			http.SetCookie(w, &http.Cookie{
				Name:     wroteCookie,
				Value:    "1",
				Path:     "/",
				MaxAge:   int(readYourWritesWindow / time.Second),
				HttpOnly: true,
				Secure:   secureCookies,
				SameSite: http.SameSiteLaxMode,
			})
		}
		if _, err := r.Cookie(wroteCookie); unsafe || err == nil {
			r = r.WithContext(store.WithPrimary(r.Context()))
		}
		next.ServeHTTP(w, r)
	})
}

func isSafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// MetricReplicaFallbacks counts replica-routed reads that the primary
// answered instead; MetricReplicaUp says which replicas are in rotation.
const (
	MetricReplicaFallbacks = "reccollection_db_replica_fallbacks_total"
	MetricReplicaUp        = "reccollection_db_replica_up"
)

// registerReplicaMetrics exports each replica's pool statistics (go_sql_*
// with db_name="replica-N", beside "primary"), its fallbacks and whether
// it is in rotation. Labels are the replica's position in
// DATABASE_REPLICA_URLS and a fixed reason, so the series are fixed by
// configuration. The values are read from the store at each scrape.
func (a *App) registerReplicaMetrics() {
	for i, r := range a.store.Replicas() {
		a.obs.metrics.RegisterDB(r.Name, r.Stats)
		status := func() store.ReplicaStatus { return a.store.Replicas()[i] }
		for reason, count := range map[string]func(store.ReplicaStatus) uint64{
			// failed: the replica was asked and failed; skipped: it was
			// its turn while every replica cooled down after a failure.
			"failed":  func(s store.ReplicaStatus) uint64 { return s.Failed },
			"skipped": func(s store.ReplicaStatus) uint64 { return s.Skipped },
		} {
			a.obs.metrics.Registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name:        MetricReplicaFallbacks,
				Help:        "Reads meant for a read replica that the primary answered: failed (the replica erred or was unreachable) or skipped (its turn came while every replica was cooling down after a failure).",
				ConstLabels: prometheus.Labels{"replica": r.Name, "reason": reason},
			}, func() float64 { return float64(count(status())) }))
		}
		a.obs.metrics.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        MetricReplicaUp,
			Help:        "1 while the read replica is in rotation, 0 while it is skipped after a failed read.",
			ConstLabels: prometheus.Labels{"replica": r.Name},
		}, func() float64 {
			if status().Up {
				return 1
			}
			return 0
		}))
	}
}
