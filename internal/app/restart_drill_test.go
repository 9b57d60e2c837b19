package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// drillTally counts what the writers saw, across all of them.
type drillTally struct {
	created, replayed, unavailable, inFlight, connErrors, serverErrors, other atomic.Int64
}

// TestRestartDrill is the restart drill: 20 writers create recipes through
// the API, each with its own Idempotency-Key, retrying on 503, 409 and
// dropped connections with the same key and body, while PostgreSQL is
// restarted twice with `pg_ctl restart -m fast`. No answer may be a 500,
// every recipe answered 2xx must exist afterwards, and there must be
// exactly one recipe per key: a create whose answer was lost is found by
// its retry, never made twice.
func TestRestartDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("restarts a PostgreSQL cluster under load; skipped with -short")
	}
	cluster, srv := startOnCluster(t)
	c, _ := newOutageClient(t, srv.URL)

	const (
		writers      = 20
		keysPerWrite = 40               // upper bound per writer; the drill usually ends first
		retryFor     = 60 * time.Second // per key: far longer than a restart takes
	)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	stop := make(chan struct{})
	var tally drillTally
	var mu sync.Mutex
	idsByKey := map[string]string{}
	var failures []string
	fail := func(format string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	hc := &http.Client{Timeout: 30 * time.Second}

	// post sends one attempt; status 0 means the connection failed.
	post := func(key string, body []byte) (int, string) {
		req, err := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/v1/recipes", bytes.NewReader(body))
		if err != nil {
			t.Error(err)
			return -1, ""
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Idempotency-Key", key)
		resp, err := hc.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == http.StatusCreated && resp.Header.Get("Idempotent-Replayed") == "true" {
			tally.replayed.Add(1)
		}
		return resp.StatusCode, string(b)
	}

	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range keysPerWrite {
				select {
				case <-stop:
					return
				default:
				}
				key := fmt.Sprintf("drill-%02d-%03d", w, k)
				body, _ := json.Marshal(map[string]any{"title": "Drill " + key, "visibility": "private",
					"ingredients": []string{"1 cup water"}, "steps": []string{"Boil it."}})
				deadline := time.Now().Add(retryFor)
				// Every third key is sent once more after its 201, as by a
				// client that never received the answer: it must get the
				// same recipe back, created once.
				sends := 1
				if k%3 == 0 {
					sends = 2
				}
				for attempt := 0; sends > 0; attempt++ {
					status, answer := post(key, body)
					switch {
					case status == http.StatusCreated:
						tally.created.Add(1)
						var r struct {
							ID string `json:"id"`
						}
						if err := json.Unmarshal([]byte(answer), &r); err != nil || r.ID == "" {
							fail("%s: 201 without an id: %s", key, answer)
						}
						mu.Lock()
						first, seen := idsByKey[key]
						idsByKey[key] = r.ID
						mu.Unlock()
						if seen && first != r.ID {
							fail("%s: resent, answered recipe %s, first %s", key, r.ID, first)
						}
						sends--
					case status == 0:
						tally.connErrors.Add(1)
					case status == http.StatusServiceUnavailable:
						tally.unavailable.Add(1)
					case status == http.StatusConflict:
						tally.inFlight.Add(1)
					case status >= 500:
						tally.serverErrors.Add(1)
						fail("%s attempt %d: %d %s", key, attempt, status, answer)
					case status < 0:
						return
					default:
						tally.other.Add(1)
						fail("%s attempt %d: %d %s", key, attempt, status, answer)
					}
					if status == http.StatusCreated {
						continue
					}
					if status >= 400 && status != http.StatusServiceUnavailable && status != http.StatusConflict {
						break
					}
					if time.Now().After(deadline) || ctx.Err() != nil {
						fail("%s: no answer but %d after %d attempts", key, status, attempt+1)
						break
					}
					time.Sleep(time.Duration(50+25*min(attempt, 8)) * time.Millisecond)
				}
			}
		}()
	}

	waitCreated := func(n int64) {
		for tally.created.Load() < n && ctx.Err() == nil {
			time.Sleep(20 * time.Millisecond)
		}
	}
	// Restart while writes are in full flow, twice.
	waitCreated(40)
	cluster.Restart()
	t.Logf("first restart done at %d created", tally.created.Load())
	waitCreated(tally.created.Load() + 60)
	cluster.Restart()
	t.Logf("second restart done at %d created", tally.created.Load())
	waitCreated(tally.created.Load() + 40)
	close(stop)
	wg.Wait()

	t.Logf("keys %d: 201 %d (of which replays %d), 503 %d, 409 %d, connection errors %d, 5xx other than 503 %d, other %d",
		len(idsByKey), tally.created.Load(), tally.replayed.Load(), tally.unavailable.Load(), tally.inFlight.Load(),
		tally.connErrors.Load(), tally.serverErrors.Load(), tally.other.Load())
	for _, f := range failures {
		t.Error(f)
	}
	if tally.replayed.Load() == 0 {
		t.Error("no resent create was answered as a replay")
	}
	if tally.serverErrors.Load() != 0 {
		t.Errorf("%d answers were 5xx other than 503", tally.serverErrors.Load())
	}
	if ctx.Err() != nil {
		t.Fatal("the drill ran out of time")
	}

	// Every 2xx is there, and nothing was created twice.
	distinct := map[string]bool{}
	for key, id := range idsByKey {
		if distinct[id] {
			t.Errorf("recipe %s answered for two keys", id)
		}
		distinct[id] = true
		code, _, body, err := c.send(outageRequest{method: "GET", path: "/api/v1/recipes/" + id, token: true})
		if err != nil || code != http.StatusOK {
			t.Errorf("%s: recipe %s answered 201 but reads %d %v %.200s", key, id, code, err, body)
		}
	}
	var me struct {
		ID string `json:"id"`
	}
	_, _, body, err := c.send(outageRequest{method: "GET", path: "/api/v1/me", token: true})
	if err != nil || json.Unmarshal([]byte(body), &me) != nil || me.ID == "" {
		t.Fatalf("me: %v %s", err, body)
	}
	n, err := srv.App.Store().CountVisibleRecipes(context.Background(), me.ID, me.ID)
	if err != nil {
		t.Fatal(err)
	}
	// newOutageClient made one recipe of its own.
	if n-1 != len(idsByKey) {
		t.Errorf("%d recipes for %d keys: a retried create was saved twice or a saved one lost", n-1, len(idsByKey))
	}
}
