package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/reccollection/reccollection/internal/seed"
)

// Options say what to benchmark.
type Options struct {
	Binary   string        // the reccollection binary
	Recipes  int           // recipes to seed
	Users    int           // synthetic users they are spread over
	Duration time.Duration // of each route at each concurrency
	// AdminURL is a PostgreSQL URL of a role that may create and drop
	// databases; the benchmark works in a scratch database of its own.
	AdminURL string
	Log      io.Writer // progress; the children's output goes to LogFile
	LogFile  io.Writer
}

// scratchPostgres creates an empty database next to AdminURL's and returns
// its URL, the server's version and a function that drops it.
func scratchPostgres(ctx context.Context, adminURL string) (string, string, func(), error) {
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", "", nil, fmt.Errorf("connect to PostgreSQL (BENCH_DATABASE_URL): %w", err)
	}
	var version string
	if err := admin.QueryRow(ctx, "SHOW server_version").Scan(&version); err != nil {
		admin.Close(ctx)
		return "", "", nil, err
	}
	name := fmt.Sprintf("reccbench_%d_%d", os.Getpid(), time.Now().Unix())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close(ctx)
		return "", "", nil, fmt.Errorf("create scratch database: %w", err)
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		admin.Close(ctx)
		return "", "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		ctx := context.WithoutCancel(ctx)
		_, _ = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close(ctx)
	}
	return u.String(), version, drop, nil
}

// seeded is a server started on a freshly migrated and seeded database.
type seeded struct {
	srv       *server
	seedTime  time.Duration
	startup   time.Duration // exec to /readyz 200
	pgVersion string        // "" on SQLite
	cleanups  []func()
}

// close stops the server and removes the database, last made first.
func (s *seeded) close() {
	if s.srv != nil {
		s.srv.stop()
	}
	for i := len(s.cleanups) - 1; i >= 0; i-- {
		s.cleanups[i]()
	}
}

// launch makes a fresh database for engine ("postgres" or "sqlite"),
// migrates it, seeds opt.Recipes over opt.Users and starts the server on
// it. The benchmark, the soak and the profile run all start this way, so
// they measure the same thing. On error everything made is removed.
func launch(ctx context.Context, engine string, opt Options) (_ *seeded, err error) {
	s := &seeded{}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	dir, err := os.MkdirTemp("", "reccbench-")
	if err != nil {
		return nil, err
	}
	s.cleanups = append(s.cleanups, func() { os.RemoveAll(dir) })
	env := []string{"RECC_ENV=development", "RECC_DATA_DIR=" + dir, "RECC_RATE_LIMITS=off",
		"RECC_BACKUP_INTERVAL=off"}
	if engine == "postgres" {
		dbURL, version, drop, err := scratchPostgres(ctx, opt.AdminURL)
		if err != nil {
			return nil, err
		}
		s.cleanups = append(s.cleanups, drop)
		s.pgVersion = version
		env = append(env, "DATABASE_URL="+dbURL)
	}
	bin := binary{path: opt.Binary, env: env, log: opt.LogFile}

	fmt.Fprintf(opt.Log, "[%s] migrating\n", engine)
	if _, err := bin.run(ctx, "migrate", "up"); err != nil {
		return nil, err
	}
	fmt.Fprintf(opt.Log, "[%s] seeding %d recipes over %d users\n", engine, opt.Recipes, opt.Users)
	s.seedTime, err = bin.run(ctx, "seed", "--recipes", strconv.Itoa(opt.Recipes), "--users", strconv.Itoa(opt.Users))
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(opt.Log, "[%s] seeded in %s: %.0f recipes/s\n", engine, s.seedTime.Round(time.Millisecond),
		float64(opt.Recipes)/s.seedTime.Seconds())
	s.srv, s.startup, err = startServer(ctx, bin)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// RunEngine benchmarks one engine ("postgres" or "sqlite") from an empty
// database: migrate, seed, start, then every route at 1 and 32
// connections. pgVersion is PostgreSQL's version, "" on SQLite.
func RunEngine(ctx context.Context, engine string, opt Options) (run *Run, pgVersion string, err error) {
	s, err := launch(ctx, engine, opt)
	if err != nil {
		return nil, "", err
	}
	defer s.close()
	srv, startup := s.srv, s.startup
	pgVersion = s.pgVersion
	run = &Run{Engine: engine, Recipes: opt.Recipes, SeedTime: s.seedTime, StartToReady: startup}
	// Idle: ready, no request served yet beyond the probes, start-up done.
	time.Sleep(2 * time.Second)
	if run.IdleRSS, err = ProcRSS(srv.pid()); err != nil {
		return nil, "", err
	}
	fmt.Fprintf(opt.Log, "[%s] ready in %s, idle RSS %.1f MB\n", engine, startup.Round(time.Millisecond), float64(run.IdleRSS)/(1<<20))

	routes, err := buildRoutes(ctx, srv.base)
	if err != nil {
		return nil, "", err
	}
	for _, rt := range routes {
		attack(rt, loadConnections, 300*time.Millisecond) // warm caches and connections
		for _, conns := range []int{singleConnection, loadConnections} {
			res, err := measure(ctx, srv, rt, conns, opt.Duration)
			if err != nil {
				return nil, "", err
			}
			fmt.Fprintf(opt.Log, "[%s] %-32s @%-2d %7.0f req/s  p50 %6.2f ms  p99 %7.2f ms  CPU %.3f ms  DB %.3f ms  %.1f queries  errors %d\n",
				engine, rt.name, conns, res.Rate, ms(res.P50), ms(res.P99), ms(res.CPU), ms(res.DB), res.Queries, res.Errors)
			run.Routes = append(run.Routes, res)
		}
	}
	return run, pgVersion, nil
}

// buildRoutes signs a synthetic user in (for the API create route) and
// collects public recipe ids for the detail routes.
func buildRoutes(ctx context.Context, base string) ([]route, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	token, err := login(ctx, client, base)
	if err != nil {
		return nil, err
	}
	ids, err := recipeIDs(ctx, client, base)
	if err != nil {
		return nil, err
	}
	get := func(path string) vegeta.Target { return vegeta.Target{Method: http.MethodGet, URL: base + path} }
	each := func(format string) []vegeta.Target {
		out := make([]vegeta.Target, len(ids))
		for i, id := range ids {
			out[i] = get(fmt.Sprintf(format, id))
		}
		return out
	}
	body, err := createBody()
	if err != nil {
		return nil, err
	}
	create := vegeta.Target{Method: http.MethodPost, URL: base + "/api/v1/recipes", Body: body, Header: http.Header{
		"Authorization": {"Bearer " + token}, "Content-Type": {"application/json"}}}
	one := func(t vegeta.Target) []vegeta.Target { return []vegeta.Target{t} }
	// The token signs pages in as well as the API.
	signedIn := func(ts []vegeta.Target) []vegeta.Target {
		for i := range ts {
			ts[i].Header = http.Header{"Authorization": {"Bearer " + token}}
		}
		return ts
	}
	return []route{
		{RouteHome, one(get("/")), http.StatusOK},
		{RouteBrowse, one(get("/recipes")), http.StatusOK},
		{RouteRecipe, each("/recipes/%s"), http.StatusOK},
		{RouteBrowseSignedIn, signedIn(one(get("/recipes"))), http.StatusOK},
		{RouteRecipeSignedIn, signedIn(each("/recipes/%s")), http.StatusOK},
		{RouteCook, each("/recipes/%s/cook"), http.StatusOK},
		{RouteHTMLSearch, one(get("/recipes?q=chicken")), http.StatusOK},
		{RouteAPIList, one(get("/api/v1/recipes")), http.StatusOK},
		{RouteAPIGet, each("/api/v1/recipes/%s"), http.StatusOK},
		{RouteAPISearch, one(get("/api/v1/recipes?q=chicken")), http.StatusOK},
		{RouteAPITypo, one(get("/api/v1/recipes?q=chiken")), http.StatusOK},
		{RouteAPIPhrase, one(get("/api/v1/recipes?q=spicy+chicken+tacos")), http.StatusOK},
		{RouteAPICreate, one(create), http.StatusCreated},
	}, nil
}

func doJSON(ctx context.Context, client *http.Client, method, url string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s %s: %s %s", method, url, resp.Status, b)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func login(ctx context.Context, client *http.Client, base string) (string, error) {
	return loginAs(ctx, client, base, 1, "benchmark")
}

// loginAs signs the user-th synthetic user in through the API and returns
// a new API token named tokenName.
func loginAs(ctx context.Context, client *http.Client, base string, user int, tokenName string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	in := map[string]string{"login": seed.SyntheticUser(user).Username, "password": seed.SyntheticPassword, "token_name": tokenName}
	if err := doJSON(ctx, client, http.MethodPost, base+"/api/v1/auth/login", in, &out); err != nil {
		return "", fmt.Errorf("sign in: %w", err)
	}
	if out.Token == "" {
		return "", fmt.Errorf("sign in: no token in the answer")
	}
	return out.Token, nil
}

// recipeIDs returns up to 200 public recipe ids: the newest and the first
// by title, so detail routes do not hit one recipe over and over.
func recipeIDs(ctx context.Context, client *http.Client, base string) ([]string, error) {
	var ids []string
	seen := map[string]bool{}
	for _, q := range []string{"?limit=100", "?limit=100&sort=title"} {
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		if err := doJSON(ctx, client, http.MethodGet, base+"/api/v1/recipes"+q, nil, &page); err != nil {
			return nil, fmt.Errorf("list recipes: %w", err)
		}
		for _, it := range page.Items {
			if !seen[it.ID] {
				seen[it.ID] = true
				ids = append(ids, it.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no public recipe to benchmark")
	}
	return ids, nil
}

// createBody is a typical recipe as a client would post it.
func createBody() ([]byte, error) { return recipeBody(42, 0) }

// recipeBody is the i-th synthetic recipe of a seed as a client would
// post it.
func recipeBody(seedValue int64, i int) ([]byte, error) {
	dr := seed.SyntheticRecipe(seedValue, i)
	body := map[string]any{
		"title": dr.Title, "description": dr.Description, "visibility": "public",
		"ingredients": dr.Ingredients, "steps": dr.Steps, "tags": dr.Tags,
	}
	for k, v := range map[string]int{"prep_minutes": dr.PrepMinutes, "cook_minutes": dr.CookMinutes, "servings": dr.Servings} {
		if v > 0 {
			body[k] = v
		}
	}
	return json.Marshal(body)
}

// TempLog opens a file for the children's output in the system's temporary
// directory.
func TempLog() (*os.File, error) {
	return os.Create(filepath.Join(os.TempDir(), fmt.Sprintf("reccbench-%d.log", os.Getpid())))
}
