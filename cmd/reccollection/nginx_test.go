package main_test

// Two `serve` processes on one PostgreSQL database behind a real nginx,
// configured like deploy/nginx/reccollection.conf: what the deployment
// promises of several instances, shown on several instances.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/testutil"
)

const (
	nginxTemplate = "testdata/nginx.conf.tmpl"
	nginxExample  = "../../deploy/nginx/reccollection.conf"
)

// instance is one `serve` process on a fixed address, so that it can be
// stopped and started again where nginx expects it.
type instance struct {
	name, addr string
	env        []string
	cmd        *exec.Cmd
	logs       *testutil.SyncBuffer
	exited     chan struct{}
	exitErr    error
}

// launchInstance starts `serve` on addr without waiting for it, so that
// two can start at the same moment.
func launchInstance(t *testing.T, name, addr string, env []string) *instance {
	t.Helper()
	in := &instance{name: name, addr: addr, env: env, logs: &testutil.SyncBuffer{}, exited: make(chan struct{})}
	in.cmd = exec.Command(binary, "serve")
	in.cmd.Env = append(slices.Clone(env), "RECC_HTTP_ADDR="+addr)
	in.cmd.Stdout, in.cmd.Stderr = in.logs, in.logs
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		in.exitErr = in.cmd.Wait()
		close(in.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-in.exited:
		default:
			_ = in.cmd.Process.Kill()
			<-in.exited
		}
		if t.Failed() {
			t.Logf("instance %s (%s) log, last lines:\n%s", in.name, in.addr, lastLines(in.logs.String(), 60))
		}
	})
	return in
}

func lastLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "")
}

func (in *instance) url() string { return "http://" + in.addr }

// waitReady waits until the instance says it may receive traffic.
func (in *instance) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		select {
		case <-in.exited:
			t.Fatalf("instance %s exited at start: %v\n%s", in.name, in.exitErr, in.logs)
		default:
		}
		if resp, err := http.Get(in.url() + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %s not ready within 45s\n%s", in.name, in.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (in *instance) stop(t *testing.T) {
	t.Helper()
	if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-in.exited:
	case <-time.After(45 * time.Second):
		t.Fatalf("instance %s still running 45s after SIGTERM\n%s", in.name, in.logs)
	}
	if in.exitErr != nil {
		t.Errorf("instance %s exit after SIGTERM: %v\n%s", in.name, in.exitErr, in.logs)
	}
}

// TestNginxTwoInstances runs two instances behind nginx on one empty
// PostgreSQL database: they start together and migrate it once; a
// session and a token made through nginx work on either; and a rolling
// stop (A, then B once A is back) under a steady mixed load loses no
// request and no confirmed write, and writes nothing twice; and the
// scheduled backup runs once per period, whichever instance leads.
func TestNginxTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("process test")
	}
	testutil.NginxBinary(t) // skip before creating anything
	started := time.Now()
	dbURL := testutil.PostgresURL(t)
	shared := t.TempDir()
	envFor := func() []string {
		return baseEnv(t.TempDir(),
			"DATABASE_URL="+dbURL,
			"RECC_AUTO_MIGRATE=true",
			// One key and one file store for all instances, as in production.
			"RECC_SECRET_KEY=0123456789abcdef0123456789abcdef0123456789abcdef",
			"RECC_STORAGE_URL=file://"+filepath.Join(shared, "files"),
			// nginx connects from loopback; its X-Forwarded-* are believed.
			"RECC_TRUSTED_PROXIES=127.0.0.1/32",
			// Long enough for nginx to stop reusing connections to a
			// stopping instance (each answer closes one), short for a test.
			"RECC_SHUTDOWN_DELAY=2s",
			"RECC_SHUTDOWN_TIMEOUT=20s",
			// A load test: one user writing far beyond the write limit.
			"RECC_RATE_LIMITS=off",
			// Info: the migration count is logged at that level.
			"RECC_LOG_LEVEL=info",
			// The in-app backup schedule, at its shortest period, into one
			// store: the job queue's leader makes the period's backup.
			"RECC_BACKUP_URL=file://"+filepath.Join(shared, "backups"),
			"RECC_BACKUP_INTERVAL="+backupInterval.String())
	}
	envA, envB := envFor(), envFor()
	addrA, addrB := freeAddr(t), freeAddr(t)

	// Both at once against an empty database, each told to migrate.
	a := launchInstance(t, "A", addrA, envA)
	b := launchInstance(t, "B", addrB, envB)
	a.waitReady(t)
	b.waitReady(t)
	checkMigratedOnce(t, dbURL, envA, a, b)
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitBackupsSettled(t, db, "after start")

	ngx := testutil.StartNginx(t, nginxTemplate, []string{addrA, addrB})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("nginx access log, last lines:\n%s", lastLines(ngx.AccessLog(), 60))
		}
	})
	resp, err := http.Get(ngx.URL + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz through nginx: %v %v\n%s", resp, err, ngx.ErrorLog())
	}
	resp.Body.Close()

	user := signInThroughNginx(t, ngx.URL, dbURL, a, b)

	a, bStopped := rollingStop(t, ngx, dbURL, user, envA, a, b)
	checkBackedUpOnce(t, db, shared, bStopped, a)
	t.Logf("whole test took %s", time.Since(started).Round(100*time.Millisecond))
}

// checkMigratedOnce: every migration is in the version table exactly once,
// and only one process says it applied them; the other waited on the
// advisory lock and found the schema current.
func checkMigratedOnce(t *testing.T, dbURL string, env []string, a, b *instance) {
	r := runCLI(t, env, "", "migrate", "status")
	// One line per migration (SQL or Go) under a header line.
	known := len(strings.Split(strings.TrimSpace(r.stdout), "\n")) - 1
	if r.code != 0 || known == 0 || strings.Contains(r.stdout, "pending") {
		t.Fatalf("migrate status after start: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Version 0 is goose's own marker row, written when the table is made.
	rows, err := db.Query("SELECT version_id, count(*) FROM goose_db_version WHERE version_id > 0 GROUP BY version_id ORDER BY version_id")
	if err != nil {
		t.Fatal(err)
	}
	versions := 0
	for rows.Next() {
		var v, n int64
		if err := rows.Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		versions++
		if n != 1 {
			t.Errorf("migration %d recorded %d times in goose_db_version, want once", v, n)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if versions != known {
		t.Errorf("goose_db_version holds %d migrations, the binary knows %d", versions, known)
	}

	applied := regexp.MustCompile(`msg="applied migrations" count=(\d+)`)
	var appliers []string
	for _, in := range []*instance{a, b} {
		for _, m := range applied.FindAllStringSubmatch(in.logs.String(), -1) {
			n, _ := strconv.Atoi(m[1])
			appliers = append(appliers, fmt.Sprintf("%s applied %d", in.name, n))
			if n != known {
				t.Errorf("instance %s applied %d migrations, want all %d in one go", in.name, n, known)
			}
		}
	}
	if len(appliers) != 1 {
		t.Errorf("migrations applied by %v; want exactly one instance to apply them\nA:\n%s\nB:\n%s", appliers, a.logs, b.logs)
	}
	t.Logf("migrations: %d known, each recorded once; %v, the other found the schema current", known, appliers)
}

type signedIn struct {
	username, token, cookie string
}

// signInThroughNginx registers and signs in through nginx, then asks each
// instance directly, bypassing nginx, who the cookie and the token belong
// to: sessions and tokens live in the database, not in a process.
func signInThroughNginx(t *testing.T, nginxURL, dbURL string, instances ...*instance) signedIn {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	post := func(path, body string, header http.Header) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, nginxURL+path, strings.NewReader(body))
		req.Header = header
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("POST %s through nginx: %v", path, err)
		}
		return resp
	}
	u := signedIn{username: "balanced"}
	resp := post("/api/v1/auth/register", `{"username":"balanced","email":"balanced@example.test","password":"a long enough password"}`, http.Header{})
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("register through nginx: %d", resp.StatusCode)
	}
	// The client claims an address; nginx appends the one it saw
	// (loopback, trusted), so the instance takes the claimed one: proof
	// that it believes nginx's X-Forwarded-For.
	resp = post("/api/v1/auth/login", `{"login":"balanced","password":"a long enough password"}`,
		http.Header{"X-Forwarded-For": {"203.0.113.7"}})
	var login struct{ Token string }
	_ = json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || login.Token == "" {
		t.Fatalf("login through nginx: %d, token %q", resp.StatusCode, login.Token)
	}
	u.token = login.Token
	base, _ := url.Parse(nginxURL)
	for _, c := range jar.Cookies(base) {
		if c.Name == "recc_session" {
			u.cookie = c.Name + "=" + c.Value
		}
	}
	if u.cookie == "" {
		t.Fatalf("login through nginx set no session cookie; jar has %v", jar.Cookies(base))
	}

	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The newest session is the login's (registering starts one too).
	var ip string
	if err := db.QueryRow("SELECT ip FROM sessions ORDER BY created_at DESC LIMIT 1").Scan(&ip); err != nil {
		t.Fatal(err)
	}
	if ip != "203.0.113.7" {
		t.Errorf("session recorded client %q, want 203.0.113.7 from X-Forwarded-For (RECC_TRUSTED_PROXIES ignored?)", ip)
	}

	get := func(in *instance, path, header, value string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, in.url()+path, nil)
		if header != "" {
			req.Header.Set(header, value)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s on %s: %v", path, in.name, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, in := range instances {
		for _, cred := range []struct{ kind, header, value string }{
			{"session cookie", "Cookie", u.cookie},
			{"bearer token", "Authorization", "Bearer " + u.token},
		} {
			code, body := get(in, "/api/v1/me", cred.header, cred.value)
			var me struct{ Username string }
			_ = json.Unmarshal([]byte(body), &me)
			if code != http.StatusOK || me.Username != u.username {
				t.Errorf("instance %s, %s made through nginx: /api/v1/me = %d %q, want 200 %s", in.name, cred.kind, code, body, u.username)
			}
		}
		// A page too, signed in by the cookie alone.
		if code, body := get(in, "/settings", "Cookie", u.cookie); code != http.StatusOK || !strings.Contains(body, u.username) {
			t.Errorf("instance %s: /settings with the session cookie = %d (signed in as %s: %v)", in.name, code, u.username, strings.Contains(body, u.username))
		}
		// And without credentials the same instance does not know us, so
		// the checks above did depend on the cookie and the token.
		if code, _ := get(in, "/api/v1/me", "", ""); code != http.StatusUnauthorized {
			t.Errorf("instance %s: /api/v1/me without credentials = %d, want 401", in.name, code)
		}
	}
	return u
}

// loadTally counts what the load saw.
type loadTally struct {
	mu       sync.Mutex
	byKind   map[string]int
	created  []string
	failures []string
	answered atomic.Int64
}

func (l *loadTally) ok(kind, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byKind[kind]++
	if id != "" {
		l.created = append(l.created, id)
	}
	l.answered.Add(1)
}

func (l *loadTally) fail(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures = append(l.failures, fmt.Sprintf(format, args...))
}

// waitAnswered waits until n more requests have been answered, so each
// phase of the stop really runs under load.
func (l *loadTally) waitAnswered(t *testing.T, n int64, phase string) {
	t.Helper()
	target := l.answered.Load() + n
	deadline := time.Now().Add(45 * time.Second)
	for l.answered.Load() < target {
		if time.Now().After(deadline) {
			t.Fatalf("%s: the load answered only %d of %d requests in 45s; failures: %v", phase, l.answered.Load(), target, l.failures)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// rollingStop stops A with SIGTERM under load, restarts it, waits until
// nginx sends it traffic again, then stops B likewise. No request may fail
// and every confirmed recipe must be in the database exactly once.
func rollingStop(t *testing.T, ngx *testutil.Nginx, dbURL string, u signedIn, envA []string, a, b *instance) (restarted *instance, bStopped time.Time) {
	client := &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: 16},
		Timeout:   30 * time.Second,
	}
	do := func(method, path, header, value string, body io.Reader) (int, []byte, error) {
		req, _ := http.NewRequest(method, ngx.URL+path, body)
		req.Header.Set(header, value)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	bearer := "Bearer " + u.token
	tally := &loadTally{byKind: map[string]int{}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	const workers = 6
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var (
					kind, path, header, value, method = "", "", "Authorization", bearer, http.MethodGet
					body                              io.Reader
					want                              = http.StatusOK
				)
				switch i % 4 {
				case 0:
					kind, method, path, want = "POST recipe", http.MethodPost, "/api/v1/recipes", http.StatusCreated
					body = strings.NewReader(fmt.Sprintf(`{"title":"Rolling %d-%d","visibility":"public","ingredients":["1 cup rice"],"steps":["Cook."]}`, w, i))
				case 1:
					kind, path = "GET API list", "/api/v1/recipes?limit=5"
				case 2:
					kind, path, header, value = "GET page", "/recipes", "Cookie", u.cookie
				case 3:
					kind, path = "GET API me", "/api/v1/me"
				}
				code, respBody, err := do(method, path, header, value, body)
				switch {
				case err != nil:
					tally.fail("%s %s: %v", method, path, err)
				case code != want:
					tally.fail("%s %s: status %d, want %d: %.200s", method, path, code, want, respBody)
				case method == http.MethodPost:
					var rec struct{ ID string }
					if json.Unmarshal(respBody, &rec) != nil || rec.ID == "" {
						tally.fail("POST %s: 201 without an id: %.200s", path, respBody)
						continue
					}
					tally.ok(kind, rec.ID)
				default:
					tally.ok(kind, "")
				}
			}
		}()
	}
	loadStarted := time.Now()
	stopLoad := sync.OnceFunc(func() { close(stop); wg.Wait() })
	defer stopLoad()

	tally.waitAnswered(t, 60, "before stopping A")
	t.Logf("SIGTERM A after %d answered", tally.answered.Load())
	signalled := len(ngx.AccessLog())
	a.stop(t)
	// While draining, A went on answering what nginx sent it: the drain
	// delay serves, it does not refuse. (Lines logged just after the
	// signal may be of requests A had begun before it; the drain lasts far
	// longer than those.)
	drained := strings.Count(ngx.AccessLog()[signalled:], "upstream="+a.addr+" upstream_status=2")
	if drained == 0 {
		t.Errorf("A answered nothing through nginx between SIGTERM and its exit; did it drain?")
	}
	t.Logf("A answered %d requests through nginx while draining", drained)
	tally.waitAnswered(t, 60, "with A stopped")

	a = launchInstance(t, "A (restarted)", a.addr, envA)
	a.waitReady(t)
	// nginx learns that A is back only by offering it a request after
	// fail_timeout; stopping B before then would leave no live upstream.
	from := len(ngx.AccessLog())
	servedByA := "upstream=" + a.addr + " upstream_status=2"
	deadline := time.Now().Add(45 * time.Second)
	for !strings.Contains(ngx.AccessLog()[from:], servedByA) {
		if time.Now().After(deadline) {
			t.Fatalf("nginx sent no request to the restarted A within 45s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("A back in rotation; SIGTERM B after %d answered", tally.answered.Load())
	bStopped = time.Now()
	b.stop(t)
	tally.waitAnswered(t, 60, "with B stopped")
	stopLoad()
	loadTook := time.Since(loadStarted)

	tally.mu.Lock()
	defer tally.mu.Unlock()
	access := ngx.AccessLog()
	retried := regexp.MustCompile(`upstream=\S+, \S+`).FindAllString(access, -1)
	t.Logf("load through nginx for %s: %d answered %v, %d failed; nginx resent %d requests to the other instance; answered at the first attempt by A %d, by B %d",
		loadTook.Round(100*time.Millisecond), tally.answered.Load(), tally.byKind, len(tally.failures), len(retried),
		strings.Count(access, "upstream="+a.addr+" "), strings.Count(access, "upstream="+b.addr+" "))
	if len(tally.failures) > 0 {
		t.Errorf("%d requests failed through nginx during the rolling stop, e.g.:\n%s", len(tally.failures),
			strings.Join(tally.failures[:min(5, len(tally.failures))], "\n"))
	}
	// A stopped instance refuses its next request, which nginx resends: if
	// that never happened, no request met a stopped instance and the test
	// proved nothing.
	if len(retried) == 0 {
		t.Errorf("nginx resent no request: the stops never met the load")
	}
	for _, in := range []*instance{a, b} {
		if !strings.Contains(access, "upstream="+in.addr+" upstream_status=2") {
			t.Errorf("instance %s answered no request through nginx", in.name)
		}
	}

	// Every confirmed recipe is stored, and nothing twice: a write resent
	// after the first instance had committed it would show as an extra row.
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored := map[string]int{}
	rows, err := db.Query("SELECT id::text, title FROM recipes")
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]int{}
	for rows.Next() {
		var id, title string
		if err := rows.Scan(&id, &title); err != nil {
			t.Fatal(err)
		}
		stored[id]++
		titles[title]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	missing := 0
	for _, id := range tally.created {
		if stored[id] == 0 {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d confirmed recipes are not in the database", missing, len(tally.created))
	}
	for title, n := range titles {
		if n > 1 {
			t.Errorf("recipe %q stored %d times: a write was applied twice", title, n)
		}
	}
	if len(stored) != len(tally.created) {
		t.Errorf("database holds %d recipes, the load confirmed %d", len(stored), len(tally.created))
	}
	return a, bStopped
}

// backupInterval is the shortest RECC_BACKUP_INTERVAL there is.
const backupInterval = time.Hour

// waitBackupsSettled waits until a scheduled backup has run and no
// periodic job is queued or running.
func waitBackupsSettled(t *testing.T, db *sql.DB, phase string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var runs, pending int
		err := db.QueryRow(`SELECT (SELECT count(*) FROM backup_runs),
			(SELECT count(*) FROM river_job WHERE kind = 'periodic' AND state NOT IN ('completed', 'cancelled', 'discarded'))`).Scan(&runs, &pending)
		if err != nil {
			t.Fatal(err)
		}
		if runs > 0 && pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no settled scheduled backup within 2 minutes (%d runs, %d periodic jobs pending)", phase, runs, pending)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// checkBackedUpOnce: across the rolling stop, which ended both original
// processes and so moved the job queue's leadership at least once, the
// backup schedule still made one backup per period, not one per leader.
// last is the only instance left; it is stopped here, once it has been
// elected, so that whatever it enqueued is in the tables counted below.
func checkBackedUpOnce(t *testing.T, db *sql.DB, shared string, bStopped time.Time, last *instance) {
	deadline := time.Now().Add(time.Minute)
	for {
		var elected time.Time
		err := db.QueryRow("SELECT elected_at FROM river_leader").Scan(&elected)
		if err == nil && elected.After(bStopped) {
			break
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no job queue leader elected within a minute of B's stop (last elected %s, %v)", elected, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitBackupsSettled(t, db, "after the rolling stop")
	last.stop(t)

	perPeriod := map[time.Time]int{}
	rows, err := db.Query("SELECT started_at, succeeded FROM backup_runs")
	if err != nil {
		t.Fatal(err)
	}
	runs := 0
	for rows.Next() {
		var started time.Time
		var ok bool
		if err := rows.Scan(&started, &ok); err != nil {
			t.Fatal(err)
		}
		runs++
		if !ok {
			t.Errorf("the backup run started at %s failed", started)
		}
		// Periods are multiples of the interval since the epoch, as the
		// job queue counts them; a test that spans the turn of an hour
		// makes one backup in each.
		perPeriod[started.Truncate(backupInterval)]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for p, n := range perPeriod {
		if n != 1 {
			t.Errorf("%d backup runs in the period from %s, want exactly 1", n, p.UTC().Format(time.RFC3339))
		}
	}
	var jobs int
	if err := db.QueryRow("SELECT count(*) FROM river_job WHERE kind = 'periodic' AND args->>'name' = 'backup'").Scan(&jobs); err != nil {
		t.Fatal(err)
	}
	if jobs != runs {
		t.Errorf("%d periodic jobs enqueued for %d backup runs", jobs, runs)
	}
	files, _ := filepath.Glob(filepath.Join(shared, "backups", "reccollection-*.tar.gz"))
	if len(files) != runs {
		t.Errorf("backup store holds %d archives %q for %d runs", len(files), files, runs)
	}
	t.Logf("scheduled backups: %d run(s) in %d period(s) of %s, %d archive(s), across a change of job queue leader", runs, len(perPeriod), backupInterval, len(files))
}

// TestNginxConfigsAgree: the test's nginx and the documented example must
// route by the same rules, or the test proves nothing about the example.
func TestNginxConfigsAgree(t *testing.T) {
	test, example := nginxRules(t, nginxTemplate), nginxRules(t, nginxExample)
	for _, r := range test {
		if !slices.Contains(example, r) {
			t.Errorf("%s has %q; %s does not", nginxTemplate, r, nginxExample)
		}
	}
	for _, r := range example {
		if !slices.Contains(test, r) {
			t.Errorf("%s has %q; %s does not", nginxExample, r, nginxTemplate)
		}
	}
	if len(test) < 20 {
		t.Errorf("found only %d rules in %s: %q", len(test), nginxTemplate, test)
	}
}

// nginxRules returns the routing and upstream statements of an nginx
// configuration (or template), whitespace-normalised, without the
// addresses, TLS, names, paths and the HTTP-to-HTTPS redirect in which the
// test and the example legitimately differ.
func nginxRules(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for line := range strings.Lines(string(raw)) {
		line, _, _ = strings.Cut(line, "#")
		text.WriteString(line)
	}
	// Template control actions go; value actions stand for addresses,
	// paths and the user.
	plain := regexp.MustCompile(`\{\{-?\s*(range|end|if|else|with)\b[^}]*\}\}`).ReplaceAllString(text.String(), "")
	plain = regexp.MustCompile(`\{\{[^}]*\}\}`).ReplaceAllString(plain, "ADDR")
	var rules []string
	for _, stmt := range regexp.MustCompile(`[;{}]`).Split(plain, -1) {
		f := strings.Fields(stmt)
		if len(f) == 0 {
			continue
		}
		name := f[0]
		switch {
		case name == "server" && len(f) > 2 && strings.Contains(f[2], "="):
			f = slices.Delete(f, 1, 2) // an upstream server: its parameters count, not its address
		case name == "return" && len(f) > 1 && strings.HasPrefix(f[1], "3"):
			continue // the redirect to HTTPS
		case strings.HasSuffix(name, "_temp_path"):
			continue // where the test's nginx keeps its files
		case strings.HasPrefix(name, "proxy_"), strings.HasPrefix(name, "keepalive"),
			slices.Contains([]string{"upstream", "zone", "location", "if", "return", "error_page", "log_format", "client_max_body_size"}, name):
		default:
			continue
		}
		r := strings.Join(f, " ")
		if !slices.Contains(rules, r) {
			rules = append(rules, r)
		}
	}
	return rules
}

// TestNginxExampleConfigParses runs `nginx -t` on the documented example,
// with a throwaway certificate and key in place of the placeholders, free
// loopback ports for 80 and 443, and paths in a temp dir.
func TestNginxExampleConfigParses(t *testing.T) {
	bin := testutil.NginxBinary(t)
	dir := t.TempDir()
	writeSelfSignedCert(t, filepath.Join(dir, "fullchain.pem"), filepath.Join(dir, "privkey.pem"))
	raw, err := os.ReadFile(nginxExample)
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.NewReplacer("/etc/ssl/reccollection/", dir+"/", "/var/log/nginx/", dir+"/").Replace(string(raw))
	conf = regexp.MustCompile(`(?m)^(\s*listen\s+)[^\s;]+`).ReplaceAllStringFunc(conf, func(s string) string {
		indent := s[:strings.Index(s, "listen")]
		return indent + "listen " + freeAddr(t)
	})
	if err := os.WriteFile(filepath.Join(dir, "reccollection.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;"
	}
	mainConf := fmt.Sprintf(`%s
pid %[2]s/nginx.pid;
error_log %[2]s/error.log;
events {}
http {
    client_body_temp_path %[2]s/client_body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    include %[2]s/reccollection.conf;
}
`, user, dir)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(mainConf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-t", "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "test is successful") {
		t.Errorf("nginx -t on %s: %v\n%s", nginxExample, err, out)
	}
}

func writeSelfSignedCert(t *testing.T, certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "recipes.example.com"},
		DNSNames:     []string{"recipes.example.com"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
}
