package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/testutil"
)

// The SQLite writer drill: many clients write at once through the API to
// one SQLite file, which admits one writer at a time. `make test` runs it
// with sqliteDrillWriters; `make drill-sqlite` sets
// RECC_SQLITE_DRILL_WRITERS=100 and prints what it saw.
const (
	sqliteDrillWriters = 20
	// sqliteDrillOps is each writer's fixed number of requests: creates
	// and edits alternate, then the first recipe is deleted.
	sqliteDrillOps = 8
	// sqliteDrillRetries bounds the retries of one request told to come
	// back (503 with Retry-After).
	sqliteDrillRetries = 5
)

// drillWriter is one writer's own account and what the server promised it.
type drillWriter struct {
	name, token string
	// titles: recipe id -> the title of the last edit answered 2xx.
	titles map[string]string
	// order lists the ids in creation order; deleted ones are removed
	// from titles only.
	order []string
}

// drillSaw counts the answers of the whole drill.
type drillSaw struct {
	mu       sync.Mutex
	byStatus map[int]int
	retried  int
	failures []string
	requests int
}

func (s *drillSaw) fail(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, fmt.Sprintf(format, args...))
}

// answer records one answer and says whether it is one a user may see:
// no 5xx but a 503 that says when to retry, and no word of a lock.
func (s *drillSaw) answer(method, url string, status int, header http.Header, body []byte) {
	s.mu.Lock()
	s.byStatus[status]++
	s.requests++
	s.mu.Unlock()
	lower := strings.ToLower(string(body))
	if strings.Contains(lower, "locked") || strings.Contains(lower, "busy") {
		s.fail("%s %s: %d mentions the lock: %.300s", method, url, status, body)
	}
	if status >= 500 && (status != http.StatusServiceUnavailable || header.Get("Retry-After") == "") {
		s.fail("%s %s: %d %.300s", method, url, status, body)
	}
}

// TestSQLiteWriterDrill: sqliteDrillWriters clients, each with its own
// account and API token, create, edit and delete recipes at the same time
// on one SQLite database, sqliteDrillOps requests each. No answer may be a
// 5xx, 503 included (a 503 with Retry-After is retried, so that the rows
// can still be checked, but fails the drill), or speak of a locked or busy
// database, and the database must hold exactly the
// recipes, with exactly the titles, that the 2xx answers promised.
func TestSQLiteWriterDrill(t *testing.T) {
	writers := sqliteDrillWriters
	if v := os.Getenv("RECC_SQLITE_DRILL_WRITERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("RECC_SQLITE_DRILL_WRITERS=%q: want a positive number", v)
		}
		writers = n
	}
	srv := testutil.StartServer(t, "sqlite")
	ws := drillAccounts(t, srv, writers)
	hc := &http.Client{
		Timeout:   2 * time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: writers, MaxIdleConns: writers},
	}
	saw := &drillSaw{byStatus: map[int]int{}}

	start := time.Now()
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			drillWrite(hc, srv.URL, w, saw)
		}()
	}
	wg.Wait()
	took := time.Since(start)

	rows := drillCheckRows(t, srv, ws)
	statuses := make([]int, 0, len(saw.byStatus))
	for s := range saw.byStatus {
		statuses = append(statuses, s)
	}
	slices.Sort(statuses)
	var by []string
	for _, s := range statuses {
		by = append(by, fmt.Sprintf("%d×%d", s, saw.byStatus[s]))
	}
	t.Logf("sqlite writer drill: %d writers, %d operations each, %d requests (%d retried after 503), answers %s, %.2fs (%.0f req/s), %d rows checked",
		writers, sqliteDrillOps, saw.requests, saw.retried, strings.Join(by, " "), took.Seconds(), float64(saw.requests)/took.Seconds(), rows)
	for _, f := range saw.failures {
		t.Error(f)
	}
	// Even a 503 that a retry mended is a failure: busy_timeout and
	// BEGIN IMMEDIATE make writers queue for the lock, so none should
	// run out of time (without _txlock=immediate, about one in eight
	// writers got one).
	if n := saw.byStatus[http.StatusServiceUnavailable]; n > 0 {
		t.Errorf("%d answers were 503: writers did not queue for the write lock", n)
	}
}

// drillAccounts makes n accounts with one API token each straight in the
// store: the drill is about recipe writes, and n password hashes would
// only make it slow.
func drillAccounts(t *testing.T, srv *testutil.Server, n int) []*drillWriter {
	t.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword("drill-password-1234")
	if err != nil {
		t.Fatal(err)
	}
	ws := make([]*drillWriter, n)
	for i := range ws {
		name := fmt.Sprintf("writer%03d", i)
		u := &auth.User{Username: name, Email: name + "@example.test", DisplayName: name, PasswordHash: hash}
		if err := srv.Store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		token := auth.NewAPIToken()
		if err := srv.Store.CreateAPIToken(ctx, &auth.APIToken{UserID: u.ID, Name: "drill", Hash: auth.HashSecret(token)}); err != nil {
			t.Fatal(err)
		}
		ws[i] = &drillWriter{name: name, token: token, titles: map[string]string{}}
	}
	return ws
}

// drillWrite runs one writer's fixed plan: create on even steps, edit the
// newest recipe on odd ones, and finally delete the first recipe.
func drillWrite(hc *http.Client, base string, w *drillWriter, saw *drillSaw) {
	for i := range sqliteDrillOps - 1 {
		if i%2 == 0 {
			title := fmt.Sprintf("%s recipe %d", w.name, i/2)
			status, body := drillSend(hc, "POST", base+"/api/v1/recipes", w.token, fmt.Sprintf("%s-%d", w.name, i), map[string]any{
				"title": title, "visibility": "public", "ingredients": []string{"1 cup water"}, "steps": []string{"Boil."},
			}, saw)
			var r struct {
				ID string `json:"id"`
			}
			if status != http.StatusCreated || json.Unmarshal(body, &r) != nil || r.ID == "" {
				saw.fail("%s: create %q: %d %.300s", w.name, title, status, body)
				continue
			}
			w.titles[r.ID] = title
			w.order = append(w.order, r.ID)
			continue
		}
		if len(w.order) == 0 {
			continue
		}
		id := w.order[len(w.order)-1]
		title := fmt.Sprintf("%s recipe %d edited", w.name, i/2)
		if status, body := drillSend(hc, "PATCH", base+"/api/v1/recipes/"+id, w.token, "", map[string]any{"title": title}, saw); status != http.StatusOK {
			saw.fail("%s: edit %s: %d %.300s", w.name, id, status, body)
			continue
		}
		w.titles[id] = title
	}
	if len(w.order) == 0 {
		return
	}
	id := w.order[0]
	if status, body := drillSend(hc, "DELETE", base+"/api/v1/recipes/"+id, w.token, "", nil, saw); status != http.StatusNoContent {
		saw.fail("%s: delete %s: %d %.300s", w.name, id, status, body)
		return
	}
	delete(w.titles, id)
}

// drillSend sends one request and, when the answer is a 503 with
// Retry-After, sends it again (with the same Idempotency-Key, so a create
// is never made twice), as a client told to retry would.
func drillSend(hc *http.Client, method, url, token, key string, v any, saw *drillSaw) (int, []byte) {
	var payload []byte
	if v != nil {
		payload, _ = json.Marshal(v)
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequest(method, url, bytes.NewReader(payload))
		if err != nil {
			saw.fail("%s %s: %v", method, url, err)
			return 0, nil
		}
		req.Header.Set("Authorization", "Bearer "+token)
		if v != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := hc.Do(req)
		if err != nil {
			saw.fail("%s %s: %v", method, url, err)
			return 0, nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			saw.fail("%s %s: read: %v", method, url, err)
			return 0, nil
		}
		saw.answer(method, url, resp.StatusCode, resp.Header, body)
		after, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		if resp.StatusCode != http.StatusServiceUnavailable || after < 1 || attempt == sqliteDrillRetries {
			return resp.StatusCode, body
		}
		saw.mu.Lock()
		saw.retried++
		saw.mu.Unlock()
		time.Sleep(time.Duration(after) * time.Second)
	}
}

// drillCheckRows compares the recipes table with what the writers were
// promised: every recipe answered 201 and not deleted is there once with
// its last answered title, and nothing else is. It returns the rows read.
func drillCheckRows(t *testing.T, srv *testutil.Server, ws []*drillWriter) int {
	t.Helper()
	want := map[string]string{}
	for _, w := range ws {
		for id, title := range w.titles {
			want[id] = title
		}
	}
	rows, err := srv.Store.DB().Query("SELECT id, title FROM recipes")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	n := 0
	for rows.Next() {
		var id, title string
		if err := rows.Scan(&id, &title); err != nil {
			t.Fatal(err)
		}
		n++
		if _, dup := got[id]; dup {
			t.Errorf("recipe %s is stored twice", id)
		}
		got[id] = title
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for id, title := range want {
		if g, ok := got[id]; !ok {
			t.Errorf("recipe %s (%q) was answered 2xx but is not stored", id, title)
		} else if g != title {
			t.Errorf("recipe %s is titled %q, want %q (the last answered edit)", id, g, title)
		}
	}
	for id, title := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("recipe %s (%q) is stored but no answer promised it (a duplicate or a deleted recipe)", id, title)
		}
	}
	if len(want) == 0 {
		t.Error("no recipe was created: the drill checked nothing")
	}
	return n
}
