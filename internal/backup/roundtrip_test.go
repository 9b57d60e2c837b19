package backup_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/seed"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// source is a seeded installation: demo users and recipes (private ones
// among them), a session and an API token per user, a second factor, a
// flag override, audit entries, a cached certificate and some user files.
type source struct {
	srv    *testutil.Server
	files  *memStore
	tokens map[string]string // username → bearer token
}

func seedSource(t *testing.T, engine string) *source {
	t.Helper()
	ctx := context.Background()
	srv := testutil.StartServer(t, engine)
	st := srv.Store
	if _, _, err := seed.Demo(ctx, st); err != nil {
		t.Fatal(err)
	}
	// Follows, marks, comments and a collection: the social tables go
	// through the round trip too.
	if err := seed.DemoSocial(ctx, st); err != nil {
		t.Fatal(err)
	}
	src := &source{srv: srv, files: newMemStore("files"), tokens: map[string]string{}}
	tokenIDs := map[string]string{}
	for _, u := range seed.DemoUsers() {
		body, _ := json.Marshal(map[string]string{"login": u.Username, "password": seed.DemoPassword})
		resp, err := srv.Client().Post(srv.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var lr struct {
			Token   string `json:"token"`
			TokenID string `json:"token_id"`
		}
		err = json.NewDecoder(resp.Body).Decode(&lr)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || lr.Token == "" {
			t.Fatalf("login %s: %d %v", u.Username, resp.StatusCode, err)
		}
		src.tokens[u.Username], tokenIDs[u.Username] = lr.Token, lr.TokenID
	}
	admin, err := st.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	// A second factor, with the admin's token marked as having proved it
	// (so the token keeps working after the restore too).
	if err := st.StartTOTP(ctx, admin.ID, "sealed-secret-for-test"); err != nil {
		t.Fatal(err)
	}
	if err := st.EnableTOTP(ctx, admin.ID, []string{"hash-one", "hash-two"}); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkTokenMFA(ctx, tokenIDs["admin"]); err != nil {
		t.Fatal(err)
	}
	if err := st.SetFlagOverride(ctx, &flags.Override{Environment: "production", Key: "recipe-share-link", Enabled: true,
		RolloutPercent: 25, AllowUsers: []string{admin.ID}, DenyUsers: []string{}, UpdatedAt: time.Now(), UpdatedBy: "admin"}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := st.Audit(ctx, store.AuditEntry{ActorID: admin.ID, Action: "flag.set", Target: fmt.Sprint("flag-", i), IP: "192.0.2.1", Details: `{"x":"<&>"}`}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.TLSCache().Put(ctx, "example.com+rsa", []byte{0, 1, 2, 0xff, '\n'}); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"images/ab/cd.jpg": "\xff\xd8 not really a jpeg", "avatars/lucia.png": "png", "empty": ""} {
		if err := src.files.Put(ctx, k, strings.NewReader(v), int64(len(v)), ""); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

// answers fetches every recipe each user may see, through the API as that
// user (so private recipes are included), page by page, plus each recipe
// on its own, and returns the raw bodies by request.
func answers(t *testing.T, base string, tokens map[string]string, search bool) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	get := func(user, path string) []byte {
		req, _ := http.NewRequest("GET", base+path, nil)
		if user != "" {
			req.Header.Set("Authorization", "Bearer "+tokens[user])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s as %q: %d %v\n%s", path, user, resp.StatusCode, err, b)
		}
		out[user+" "+path] = b
		return b
	}
	users := []string{""}
	for u := range tokens {
		users = append(users, u)
	}
	slices.Sort(users)
	recipes := 0
	for _, u := range users {
		path := "/api/v1/recipes?limit=7&sort=title"
		if u != "" {
			path += "&author=" + u
		}
		for path != "" {
			var page struct {
				Items []struct {
					ID string `json:"id"`
				} `json:"items"`
				NextCursor string `json:"next_cursor"`
			}
			if err := json.Unmarshal(get(u, path), &page); err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				get(u, "/api/v1/recipes/"+it.ID)
				recipes++
			}
			path = ""
			if page.NextCursor != "" {
				q := url.Values{"limit": {"7"}, "sort": {"title"}, "cursor": {page.NextCursor}}
				if u != "" {
					q.Set("author", u)
				}
				path = "/api/v1/recipes?" + q.Encode()
			}
		}
		if search {
			get(u, "/api/v1/recipes?q=chicken")
		}
	}
	if recipes < len(seed.DemoRecipes()) {
		t.Fatalf("fetched %d recipes, want at least the %d demo recipes", recipes, len(seed.DemoRecipes()))
	}
	return out
}

// serveOn starts the app on an existing database.
func serveOn(t *testing.T, cfg *config.Config) string {
	t.Helper()
	a, err := app.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(a.Handler())
	t.Cleanup(func() { ts.Close(); a.Close() })
	return ts.URL
}

// TestCreateVerifyRestoreGivesIdenticalAnswers is what a backup must
// achieve: `backup create` → `backup verify` → `backup
// restore` into an empty PostgreSQL gives byte-identical API answers for
// every recipe, from PostgreSQL and from SQLite; and from PostgreSQL
// into SQLite.
func TestCreateVerifyRestoreGivesIdenticalAnswers(t *testing.T) {
	for _, pair := range [][2]string{{"sqlite", "postgres"}, {"postgres", "postgres"}, {"postgres", "sqlite"}} {
		engine, targetEngine := pair[0], pair[1]
		t.Run(engine+" to "+targetEngine, func(t *testing.T) {
			ctx := context.Background()
			src := seedSource(t, engine)
			// Search results are compared only from PostgreSQL to
			// PostgreSQL: relevance ties rank differently on the two
			// engines' search (bm25 and ts_rank), whatever the data.
			search := engine == targetEngine
			before := answers(t, src.srv.URL, src.tokens, search)

			backups := newMemStore("backups")
			var lines []string
			svc := backup.New(src.srv.Store, src.files, backups, backup.Options{Retention: 30 * 24 * time.Hour,
				AppVersion: "test", Progress: func(s string) { lines = append(lines, s) }})
			info, err := svc.Create(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if info.Engine != engine || info.Files != 3 || info.Rows == 0 {
				t.Errorf("created %+v", info)
			}
			if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "table recipes: ") }) {
				t.Errorf("no progress line for the recipes table: %q", lines)
			}
			if when, ok, err := src.srv.Store.LastBackupSuccess(ctx); err != nil || !ok || when.IsZero() {
				t.Errorf("LastSuccess after a backup: %v %v %v", when, ok, err)
			}
			list, err := svc.List(ctx)
			if err != nil || len(list) != 1 || list[0].Name != info.Name || list[0].Engine != engine || list[0].SchemaVersion == 0 || list[0].Size != info.Size {
				t.Fatalf("List: %+v %v", list, err)
			}
			if _, err := svc.Verify(ctx, ""); err != nil {
				t.Fatalf("verify: %v", err)
			}

			// Restore into a brand-new, unmigrated database.
			targetCfg := testutil.Config(t, targetEngine)
			target, err := store.Open(ctx, store.Options{DatabaseURL: targetCfg.DatabaseURL, SQLitePath: app.SQLitePath(targetCfg)})
			if err != nil {
				t.Fatal(err)
			}
			defer target.Close()
			restoredFiles := newMemStore("restored")
			rsvc := backup.New(target, restoredFiles, backups, backup.Options{})
			if _, err := rsvc.Restore(ctx, info.Name, backup.RestoreOptions{}); err != nil {
				t.Fatalf("restore: %v", err)
			}
			for _, k := range src.files.keys() {
				if !bytes.Equal(src.files.get(k), restoredFiles.get(k)) || !slices.Contains(restoredFiles.keys(), k) {
					t.Errorf("file %s not restored", k)
				}
			}

			after := answers(t, serveOn(t, targetCfg), src.tokens, search)
			compareAnswers(t, before, after)

			// A second restore meets data: refused without --force, and
			// with it replaces everything to the same answers.
			if _, err := rsvc.Restore(ctx, info.Name, backup.RestoreOptions{}); !errors.Is(err, backup.ErrNotEmpty) {
				t.Fatalf("restore into a database with data: %v, want ErrNotEmpty", err)
			}
			if _, err := rsvc.Restore(ctx, info.Name, backup.RestoreOptions{Force: true}); err != nil {
				t.Fatalf("restore --force: %v", err)
			}
			compareAnswers(t, before, answers(t, serveOn(t, targetCfg), src.tokens, search))

			// New rows after a restore get fresh ids: the sequences moved
			// past the restored ones.
			if err := target.Audit(ctx, store.AuditEntry{Action: "after.restore"}); err != nil {
				t.Errorf("insert after restore: %v", err)
			}
		})
	}
}

func compareAnswers(t *testing.T, before, after map[string][]byte) {
	t.Helper()
	if len(before) != len(after) {
		t.Errorf("%d answers before, %d after", len(before), len(after))
	}
	for k, b := range before {
		if !bytes.Equal(b, after[k]) {
			t.Errorf("GET %s differs after restore:\nbefore %.300s\nafter  %.300s", k, b, after[k])
		}
	}
}
