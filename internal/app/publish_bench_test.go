package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/testutil"
)

// BenchmarkPublishRecipe is a cook publishing a public recipe through the
// API with no followers and with 10 000: the request only announces the
// recipe (one new_recipe_fanout job), so both cost the same time and the
// same statements per request (stmts/op). The server here works no jobs,
// so what is measured is the request alone; the fan-out's own cost is in
// the store's TestNewRecipeFanOutContract and docs/architecture.md,
// "Notifications". Run with `make bench-go`.
func BenchmarkPublishRecipe(b *testing.B) {
	for _, engine := range testutil.Engines {
		b.Run(engine, func(b *testing.B) {
			srv := testutil.StartServer(b, engine)
			runs := 0 // -count runs a sub-benchmark again on the same server
			for _, followers := range []int{0, 10_000} {
				b.Run(fmt.Sprintf("followers=%d", followers), func(b *testing.B) {
					runs++
					name := fmt.Sprintf("cook%d-%d", followers, runs)
					token := registerB(b, srv, name)
					addFollowers(b, srv, name, followers)
					body := `{"title":"Barley soup","visibility":"public","ingredients":[{"name":"pearl barley"}],"steps":["Simmer."]}`
					c := &http.Client{}
					before := srv.Store.QueryStats().Queries
					for b.Loop() {
						req, _ := http.NewRequest("POST", srv.URL+"/api/v1/recipes", strings.NewReader(body))
						req.Header.Set("Authorization", "Bearer "+token)
						req.Header.Set("Content-Type", "application/json")
						resp, err := c.Do(req)
						if err != nil {
							b.Fatal(err)
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusCreated {
							b.Fatalf("publish: %d", resp.StatusCode)
						}
					}
					b.ReportMetric(float64(srv.Store.QueryStats().Queries-before)/float64(b.N), "stmts/op")
				})
			}
		})
	}
}

// registerB signs name up through the API and returns an API token.
func registerB(b *testing.B, srv *testutil.Server, name string) string {
	b.Helper()
	for _, step := range []struct{ path, body string }{
		{"/api/v1/auth/register", `{"username":"` + name + `","email":"` + name + `@example.test","password":"correct horse battery staple"}`},
		{"/api/v1/auth/login", `{"login":"` + name + `","password":"correct horse battery staple"}`},
	} {
		resp, err := http.Post(srv.URL+step.path, "application/json", strings.NewReader(step.body))
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			b.Fatalf("%s: %d %s", step.path, resp.StatusCode, out)
		}
		if _, tok, ok := strings.Cut(string(out), `"token":"`); ok && step.path == "/api/v1/auth/login" {
			return tok[:strings.IndexByte(tok, '"')]
		}
	}
	b.Fatal("no token from login")
	return ""
}

// addFollowers makes n new accounts follow username, straight in the
// database (the follow's own path is not what is measured).
func addFollowers(b *testing.B, srv *testutil.Server, username string, n int) {
	b.Helper()
	ctx := context.Background()
	u, err := srv.Store.UserByLogin(ctx, username)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, n)
	for i := range n {
		f := &auth.User{Username: fmt.Sprintf("%s-fan%05d", username, i), DisplayName: "Fan", PasswordHash: "x"}
		f.Email = f.Username + "@example.test"
		if err := srv.Store.CreateUser(ctx, f); err != nil {
			b.Fatal(err)
		}
		ids[i] = f.ID
	}
	tx, err := srv.Store.DB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, "INSERT INTO follows (follower_id, followee_id, created_at) VALUES ($1, $2, CURRENT_TIMESTAMP)", id, u.ID); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	var have int
	if err := srv.Store.DB().QueryRowContext(ctx, "SELECT count(*) FROM follows WHERE followee_id = $1", u.ID).Scan(&have); err != nil || have != n {
		b.Fatalf("%s has %d followers, want %d (%v)", username, have, n, err)
	}
}
