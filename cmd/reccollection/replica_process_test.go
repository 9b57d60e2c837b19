package main_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"syscall"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestServeWithReplicas runs `serve` with DATABASE_REPLICA_URLS naming a
// replica that is down and one that works: every request is answered,
// the working replica serves lists, and the log names the failed replica
// by position, never by its URL.
func TestServeWithReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("process test")
	}
	pair := testutil.NewReplicaPair(t, func(primary, replica *store.Store) {
		u := &auth.User{Username: "cook", Email: "cook@example.test", PasswordHash: "x"}
		if err := primary.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		testutil.MirrorUser(t, replica, u)
		in := recipe.Input{Title: "Replica tomato soup", Visibility: recipe.Public, Difficulty: recipe.Easy,
			Ingredients: []recipe.Ingredient{{Name: "tomato", Original: "1 tomato"}}, Steps: []string{"Simmer."}}
		if _, err := replica.CreateRecipe(context.Background(), u.ID, in); err != nil {
			t.Fatal(err)
		}
	})
	const password = "replica-pass-Zq81"
	dead := strings.Replace(testutil.DeadPostgresURL(t), "postgres@", "postgres:"+password+"@", 1)
	env := baseEnv(t.TempDir(), "DATABASE_URL="+pair.PrimaryURL, "DATABASE_REPLICA_URLS="+dead+","+pair.ReplicaURL)
	srv, base, logs := startServe(t, env)

	fromReplica := 0
	for range 4 {
		resp, err := http.Get(base + "/api/v1/recipes")
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Items []struct {
				Title string `json:"title"`
			} `json:"items"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("list: %d %v", resp.StatusCode, err)
		}
		if len(page.Items) == 1 && page.Items[0].Title == "Replica tomato soup" {
			fromReplica++
		}
	}
	if fromReplica == 0 {
		t.Error("no list came from the working replica")
	}
	if r := runCLI(t, env, "", "healthcheck", "--url", base+"/readyz"); r.code != 0 {
		t.Errorf("readyz with a dead replica: exit %d %s", r.code, r.stderr)
	}
	_ = srv.Process.Signal(syscall.SIGTERM)
	if err := srv.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	out := logs.String()
	if !strings.Contains(out, "read replica failed") || !strings.Contains(out, "replica-1") {
		t.Errorf("log does not report the failed replica:\n%s", out)
	}
	if strings.Contains(out, password) {
		t.Errorf("log reveals the replica's password:\n%s", out)
	}
}

func TestReplicasWithoutPostgresAreRefused(t *testing.T) {
	env := baseEnv(t.TempDir(), "DATABASE_REPLICA_URLS=postgres://app:hunter2-secret@r1.internal/recc")
	r := runCLI(t, env, "", "serve")
	if r.code != 1 || !strings.Contains(r.stderr, "DATABASE_REPLICA_URLS") || !strings.Contains(r.stderr, "DATABASE_URL") {
		t.Errorf("replicas on SQLite: exit %d, stderr %s; want 1 naming DATABASE_REPLICA_URLS", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "hunter2-secret") {
		t.Errorf("error echoes the password: %s", r.stderr)
	}
}
