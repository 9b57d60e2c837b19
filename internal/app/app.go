// Package app is the composition root: it wires configuration, the store,
// the HTTP handlers and their middleware, and owns the server's lifecycle
// from start to a graceful stop.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/admin"
	"github.com/reccollection/reccollection/internal/ai"
	"github.com/reccollection/reccollection/internal/api"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/dataexport"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/invitations"
	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/notifications"
	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/ratelimit"
	"github.com/reccollection/reccollection/internal/sharing"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/ui"
)

// App is one running RecCollection server.
type App struct {
	cfg   *config.Config
	log   *slog.Logger
	store *store.Store
	// accounts is shared by the API and the web pages, and so are its
	// sign-in throttles.
	accounts *account.Service
	// mfa is the second-factor service, shared like accounts (its
	// attempt throttle too).
	mfa *account.MFA
	// answers seals what the API keeps for Idempotency-Key retries.
	answers *auth.Sealer
	ui      *ui.UI
	// flags answers feature-flag questions for cfg.Env from a snapshot
	// of the database's overrides, refreshed every few seconds.
	flags *flags.Evaluator
	// ready turns false the moment the server starts to stop, so a load
	// balancer drains it before the listener closes.
	ready atomic.Bool
	// obs holds metrics and error tracking (observability.go).
	obs *observability
	// limits is nil with RECC_RATE_LIMITS=off; closeLimits releases its
	// Redis client (ratelimits.go).
	limits      *ratelimit.Guard
	closeLimits func() error
	// https is the automatic-HTTPS listener's state (https.go).
	https httpsState
	// media stores user files (media.go). status is what the admin
	// status checks besides the database: New fills it in, requests
	// only read it.
	media  media.Store
	status admin.StatusSources
	// jobs is the background job queue; only Serve works it (jobs.go).
	jobs *jobs.Queue
	// resets is "forgot password" by email, sent by the job queue
	// (email.go); limiter is the shared limiter it counts messages on.
	resets *account.PasswordResets
	// emailChanges confirms a new email address by a link sent to it.
	emailChanges *account.EmailChanges
	limiter      ratelimit.Limiter
	// photos uploads, renders and delivers pictures (photos.go).
	photos *photos.Service
	// sharing is share links and sending them by email (sharing.go).
	sharing *sharing.Service
	// invitations brings people into households (households.go).
	invitations *invitations.Service
	// imports reads recipes from other sites, pasted pages and text
	// (imports.go).
	imports *importer.Service
	ai      *ai.Service
	// exports makes people's data exports (dataexport.go).
	exports *dataexport.Service
	// archives imports whole archives from other recipe apps
	// (archiveimports.go).
	archives *importer.Archives
	// notifications sends notification emails and fans new recipes out
	// (notifications.go).
	notifications *notifications.Service
}

// SQLitePath is where the embedded database lives inside the data dir.
func SQLitePath(cfg *config.Config) string {
	return filepath.Join(cfg.DataDir, "reccollection.db")
}

// OpenStore opens the configured primary database, for subcommands: they
// write or administer, so read replicas are no use to them.
func OpenStore(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	return store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, SQLitePath: SQLitePath(cfg)})
}

// New opens the database and, where the configuration allows it
// (development by default), brings the schema up to date.
func New(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*App, error) {
	// The server also routes lag-tolerant reads to the read replicas.
	s, err := store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, SQLitePath: SQLitePath(cfg),
		ReplicaURLs: cfg.ReplicaURLs, Logger: logger, SearchTimeout: cfg.SearchTimeout})
	if err != nil {
		return nil, err
	}
	// Whatever fails after the store is open closes it again.
	fail := func(err error) (*App, error) {
		s.Close()
		return nil, err
	}
	a := &App{cfg: cfg, log: logger, store: s, accounts: account.New(s),
		flags: flags.New(s, string(cfg.Env), flags.Options{Logger: logger})}
	a.accounts.SetDeviceKey(cfg.SecretKey, cfg.PreviousSecretKeys...)
	if a.mfa, err = account.NewMFA(s, cfg.SecretKey, "RecCollection", cfg.PreviousSecretKeys...); err != nil {
		return fail(err)
	}
	if a.answers, err = auth.NewSealer(cfg.SecretKey, api.AnswerSealPurpose, cfg.PreviousSecretKeys...); err != nil {
		return fail(err)
	}
	if err := a.openMedia(ctx); err != nil {
		return fail(err)
	}
	if err := a.setUpObservability(); err != nil {
		return fail(err)
	}
	if err := a.setUpJobs(); err != nil {
		return fail(err)
	}
	a.setUpPhotos()
	a.setUpExports()
	a.setUpVocabularyPrune()
	a.setUpSearchWindowTrim()
	a.ui, err = ui.New(s, a.accounts, logger, ui.Options{BaseURL: cfg.BaseURL.String(), AssetBaseURL: cfg.AssetBaseURL,
		SecureCookies: !cfg.IsDevelopment(), Flags: a.flags, MFA: a.mfa, Env: cfg.Env, Status: &a.status,
		Photos: a.photos, PhotoBudget: a.photoBudget, SharedMaxAge: cfg.CacheSMaxAge, Exports: a.exports})
	if err != nil {
		return fail(err)
	}
	a.ready.Store(true)
	if cfg.AutoMigrate {
		n, err := s.MigrateUp(ctx)
		if err != nil {
			return fail(err)
		}
		if n > 0 {
			logger.Info("applied migrations", "count", n, "engine", s.Engine())
		}
	} else if cur, target, err := s.SchemaVersion(ctx); err == nil && cur != target {
		logger.Warn("database schema is behind; run `reccollection migrate up` — not ready until then",
			"current", cur, "target", target)
	}
	limiter, limits, closeLimits, err := a.newRateLimits(ctx)
	if err != nil {
		return fail(err)
	}
	a.limits, a.closeLimits = limits, closeLimits
	a.accounts.SetLimiter(limiter)
	a.mfa.SetLimiter(limiter)
	a.limiter = limiter
	if err := a.setUpEmail(); err != nil {
		return fail(err)
	}
	a.setUpAI()
	a.setUpImports()
	a.setUpArchiveImports()
	// The web pages import through the same flows as the API.
	a.ui.SetImports(a.imports)
	a.ui.SetAI(a.ai)
	return a, nil
}

// Store exposes the store (for tests and subcommands sharing the process).
func (a *App) Store() *store.Store { return a.store }

// Flags exposes the feature-flag evaluator (for tests and the admin console).
func (a *App) Flags() *flags.Evaluator { return a.flags }

// Handler is the whole HTTP surface with its middleware, outermost first:
// request id, logging and panic recovery; draining; security headers.
// Health and version answer there, before authentication, so a probe never
// depends on credentials or the session table. Everything else then passes
// cross-origin protection for state-changing requests and authentication.
func (a *App) Handler() http.Handler {
	mux := a.mux()
	var app http.Handler = authhttp.Authenticate(a.store, func(err error) bool { return errors.Is(err, store.ErrNotFound) }, !a.cfg.IsDevelopment(), secondFactorGate(a.limitRoutes(mux)))
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if httpx.WantsHTML(r) {
			a.ui.CrossOriginRefused(w, r)
			return
		}
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusForbidden, "Cross-origin requests that change data are refused."))
	}))
	if len(a.cfg.ReplicaURLs) > 0 {
		// Inside cross-origin protection: a refused request wrote nothing.
		app = readYourWrites(!a.cfg.IsDevelopment(), app)
	}
	app = cop.Handler(app)
	// Outermost of the application: it sees every cookie the layers
	// inside set, and every answer to a request with credentials.
	app = authhttp.KeepPrivate(app)

	root := http.NewServeMux()
	a.probes(root)
	// Static files need no user, session lookup or cross-origin check: they
	// skip the database entirely, so the styled outage page keeps its
	// stylesheet while the database is down.
	root.Handle("GET /static/", mux)
	root.Handle("GET /favicon.ico", mux)
	root.Handle("/", app)

	var h http.Handler = root
	h = httpx.Gzip(h)
	h = httpx.SecurityHeaders(httpx.SecurityOptions{AssetBaseURL: a.cfg.AssetBaseURL, MediaBaseURL: a.cfg.MediaBaseURL, HSTS: !a.cfg.IsDevelopment()}, h)
	h = a.closeWhenDraining(h)
	// Client address and scheme, once, from trusted proxies' headers only.
	h = httpx.ResolveClient(a.cfg.TrustedProxies, h)
	return httpx.ObserveWith(a.log, a.observeHooks(), h)
}

// mux routes the application's pages, API and media.
func (a *App) mux() *http.ServeMux {
	mux := http.NewServeMux()
	api.New(a.store, a.accounts, a.log, !a.cfg.IsDevelopment()).WithMFA(a.mfa, a.cfg.Env).WithFlags(a.flags).WithStatusSources(&a.status).WithAnswerSealer(a.answers).WithPasswordResets(a.resets).WithEmailChanges(a.emailChanges).WithPhotos(a.photos).WithImports(a.imports).WithArchiveImports(a.archives).WithAI(a.ai).WithExports(a.exports).WithSharing(a.sharing).WithInvitations(a.invitations).Register(mux)
	a.ui.Register(mux)
	httpx.Route(mux, "GET /media/{key...}", http.HandlerFunc(a.photos.ServeMedia))
	return mux
}

// Routes lists every route pattern the application serves, for tests
// that must cover each one. The health probes are served before
// authentication, on a mux of their own (Handler).
func (a *App) Routes() []string {
	probes := http.NewServeMux()
	a.probes(probes)
	return append(httpx.Patterns(a.mux()), httpx.Patterns(probes)...)
}

// probes registers the operations endpoints.
func (a *App) probes(mux *http.ServeMux) {
	probe(mux, "/healthz", a.healthz)
	probe(mux, "/readyz", a.readyz)
	probe(mux, "/version", a.version)
}

// closeWhenDraining asks clients to close their connection after each
// answer once the server is stopping, so that no keep-alive connection is
// still being reused when the listener finally closes.
func (a *App) closeWhenDraining(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.ready.Load() {
			w.Header().Set("Connection", "close")
		}
		next.ServeHTTP(w, r)
	})
}

// Serve answers requests on ln until ctx is cancelled, then stops
// gracefully: readiness fails at once, the server keeps answering for the
// shutdown delay (with "Connection: close") while the load balancer drains
// it, then the listener closes, in-flight requests get up to the shutdown
// timeout to finish, and the database is closed last.
//
// With RECC_TLS_DOMAINS the application is served over HTTPS on
// RECC_HTTPS_ADDR, and ln answers only ACME challenges, health probes and
// redirects to HTTPS (https.go); both stop together, drained alike.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	stopObserving, oerr := a.startObserving()
	if oerr != nil {
		return oerr
	}
	defer stopObserving()
	waitJobs, jerr := a.startJobs(ctx)
	if jerr != nil {
		return jerr
	}
	defer waitJobs()
	// Live shopping lists end when the shutdown begins, not when it
	// times out: the phones reconnect to an instance that stays.
	a.ui.EndLiveOnShutdown(ctx)
	newServer := func(h http.Handler) *http.Server {
		return &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
			BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		}
	}
	type serving struct {
		srv   *http.Server
		serve func() error
	}
	var servers []serving
	if a.cfg.TLSEnabled() {
		m := a.certManager()
		tln, err := a.listenHTTPS()
		if err != nil {
			return err
		}
		tsrv := newServer(a.Handler())
		tsrv.TLSConfig = m.TLSConfig()
		psrv := newServer(a.plainHTTPHandler(m))
		servers = append(servers,
			serving{tsrv, func() error { return tsrv.ServeTLS(tln, "", "") }},
			serving{psrv, func() error { return psrv.Serve(ln) }})
		a.setHTTPSAddr(tln.Addr().String())
		defer a.setHTTPSAddr("")
		a.log.Info("serving HTTPS", "addr", tln.Addr().String(), "domains", strings.Join(a.cfg.TLSDomains, ","),
			"http_addr", ln.Addr().String(), "env", a.cfg.Env, "engine", a.store.Engine(), "base_url", a.cfg.BaseURL.String())
	} else {
		srv := newServer(a.Handler())
		servers = append(servers, serving{srv, func() error { return srv.Serve(ln) }})
		a.log.Info("serving", "addr", ln.Addr().String(), "env", a.cfg.Env, "engine", a.store.Engine(), "base_url", a.cfg.BaseURL.String())
	}
	errc := make(chan error, len(servers))
	for _, s := range servers {
		go func() { errc <- s.serve() }()
	}

	stopHousekeeping := a.startHousekeeping(ctx)
	defer stopHousekeeping()

	select {
	case err := <-errc:
		a.ready.Store(false)
		for _, s := range servers {
			_ = s.srv.Close()
		}
		for range len(servers) - 1 {
			<-errc
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.ready.Store(false)
	if d := a.cfg.ShutdownDelay; d > 0 {
		// Keep serving while the load balancer notices /readyz failing.
		a.log.Info("draining before shutdown", "delay", d.String())
		time.Sleep(d)
	}
	a.log.Info("shutting down", "timeout", a.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	var (
		wg    sync.WaitGroup
		errMu sync.Mutex
		err   error
	)
	for _, s := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if serr := s.srv.Shutdown(sctx); serr != nil {
				_ = s.srv.Close()
				errMu.Lock()
				err = serr
				errMu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err != nil {
		a.log.Warn("requests still running at the shutdown timeout; closing them", "err", err)
	}
	for range servers {
		<-errc
	}
	a.log.Info("stopped")
	return err
}

// Close releases the database.
func (a *App) Close() error {
	a.flushErrors()
	if a.closeLimits != nil {
		_ = a.closeLimits()
	}
	return a.store.Close()
}

// startHousekeeping runs periodic clean-up: expired sessions,
// Idempotency-Key records and password reset tokens. It is safe on every replica at once (a DELETE
// of expired rows is idempotent).
func (a *App) startHousekeeping(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			if n, err := a.store.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
				a.log.Warn("delete expired sessions", "err", err)
			} else if n > 0 {
				a.log.Info("deleted expired sessions", "count", n)
			}
			if n, err := a.store.DeleteExpiredIdempotencyKeys(ctx); err != nil && ctx.Err() == nil {
				a.log.Warn("delete expired idempotency keys", "err", err)
			} else if n > 0 {
				a.log.Info("deleted expired idempotency keys", "count", n)
			}
			// A day past expiry: long enough to tell "used" from "unknown"
			// when a user asks about a link.
			if n, err := a.store.DeleteStalePasswordResets(ctx, time.Now().Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
				a.log.Warn("delete stale password reset tokens", "err", err)
			} else if n > 0 {
				a.log.Info("deleted stale password reset tokens", "count", n)
			}
			if n, err := a.store.DeleteStaleEmailChanges(ctx, time.Now().Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
				a.log.Warn("delete stale email changes", "err", err)
			} else if n > 0 {
				a.log.Info("deleted stale email changes", "count", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}
