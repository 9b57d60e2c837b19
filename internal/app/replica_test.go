package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

const cookPassword = "a long and careful passphrase"

// replicaSite is the app on a primary and a replica whose content differs:
// "Primary pumpkin soup" exists only on the primary, "Replica tomato soup"
// only on the replica, so every answer shows which database gave it.
type replicaSite struct {
	*testutil.Serving
	primaryOnly, replicaOnly string
}

func startReplicaSite(t *testing.T, replicaURLs func(pair testutil.ReplicaPair) []string) replicaSite {
	t.Helper()
	ctx := context.Background()
	var site replicaSite
	pair := testutil.NewReplicaPair(t, func(primary, replica *store.Store) {
		hash, err := auth.HashPassword(cookPassword)
		if err != nil {
			t.Fatal(err)
		}
		cook := &auth.User{Username: "cook", Email: "cook@example.test", DisplayName: "Cook", PasswordHash: hash, Role: auth.RoleUser}
		if err := primary.CreateUser(ctx, cook); err != nil {
			t.Fatal(err)
		}
		testutil.MirrorUser(t, replica, cook)
		for _, db := range []struct {
			s     *store.Store
			title string
			id    *string
		}{{primary, "Primary pumpkin soup", &site.primaryOnly}, {replica, "Replica tomato soup", &site.replicaOnly}} {
			r, err := db.s.CreateRecipe(ctx, cook.ID, soup(db.title))
			if err != nil {
				t.Fatal(err)
			}
			*db.id = r.ID
		}
	})
	site.Serving = testutil.StartServing(t, "postgres", func(cfg *config.Config) {
		cfg.DatabaseURL = pair.PrimaryURL
		cfg.ReplicaURLs = replicaURLs(pair)
	})
	return site
}

func soup(title string) recipe.Input {
	two := 2
	return recipe.Input{Title: title, Description: "A warming soup.", Servings: &two, Difficulty: recipe.Easy,
		Visibility: recipe.Public, Ingredients: []recipe.Ingredient{{Name: "stock", Original: "1 l stock"}},
		Steps: []string{"Simmer."}}
}

func newJarClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

func call(t *testing.T, c *http.Client, method, url, token, body string) (int, string, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

// listed returns the titles of GET /api/v1/recipes as c sees them.
func listed(t *testing.T, c *http.Client, base, token string) []string {
	t.Helper()
	code, body, _ := call(t, c, "GET", base+"/api/v1/recipes?sort=title", token, "")
	if code != http.StatusOK {
		t.Fatalf("list: %d %s", code, body)
	}
	var page struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range page.Items {
		out = append(out, it.Title)
	}
	return out
}

func login(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	code, body, _ := call(t, c, "POST", base+"/api/v1/auth/login", "", `{"login":"cook","password":"`+cookPassword+`"}`)
	if code != http.StatusOK {
		t.Fatalf("login: %d %s", code, body)
	}
	var res struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || res.Token == "" {
		t.Fatalf("login answer %s: %v", body, err)
	}
	return res.Token
}

func TestReplicaAnswersReadsAndPrimaryAfterWrites(t *testing.T) {
	site := startReplicaSite(t, func(p testutil.ReplicaPair) []string { return []string{p.ReplicaURL} })
	base := site.URL
	anon := &http.Client{}

	if got := listed(t, anon, base, ""); !slices.Equal(got, []string{"Replica tomato soup"}) {
		t.Errorf("anonymous list = %q, want the replica's", got)
	}
	if code, body, _ := call(t, anon, "GET", base+"/api/v1/recipes?q=soup", "", ""); code != http.StatusOK || !strings.Contains(body, "Replica tomato soup") || strings.Contains(body, "Primary") {
		t.Errorf("search: %d %s; want the replica's answer", code, body)
	}
	if code, body, _ := call(t, anon, "GET", base+"/api/v1/users/cook", "", ""); code != http.StatusOK || !strings.Contains(body, `"recipe_count":1`) {
		t.Errorf("profile: %d %s", code, body)
	}
	if code, _, _ := call(t, anon, "GET", base+"/api/v1/recipes/"+site.replicaOnly, "", ""); code != http.StatusOK {
		t.Errorf("recipe only on the replica: %d, want it read from the replica", code)
	}
	// Not yet on the replica (as just after it was created): the primary
	// is asked before answering 404.
	if code, _, _ := call(t, anon, "GET", base+"/api/v1/recipes/"+site.primaryOnly, "", ""); code != http.StatusOK {
		t.Errorf("recipe only on the primary: %d, want it found there", code)
	}
	if code, body, _ := call(t, anon, "GET", base+"/recipes", "", ""); code != http.StatusOK || !strings.Contains(body, "Replica tomato soup") || strings.Contains(body, "Primary pumpkin soup") {
		t.Errorf("browse page: %d; want the replica's recipes", code)
	}

	// A client that keeps cookies: its write lands on the primary (the
	// replica is read-only, a misrouted write would fail) and, with the
	// marker the write's answer carries, its next reads see it.
	browser := newJarClient()
	token := login(t, browser, base)
	code, body, resp := call(t, browser, "POST", base+"/api/v1/recipes", token,
		`{"title":"Fresh bread","visibility":"public","difficulty":"easy","ingredients":[{"name":"flour","original":"500 g flour"}],"steps":["Bake."]}`)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	if !slices.ContainsFunc(resp.Cookies(), func(c *http.Cookie) bool { return c.Name == "recc_wrote" && c.MaxAge > 0 && c.HttpOnly }) {
		t.Errorf("create answer sets no read-your-writes cookie: %v", resp.Header["Set-Cookie"])
	}
	want := []string{"Fresh bread", "Primary pumpkin soup"}
	if got := listed(t, browser, base, token); !slices.Equal(got, want) {
		t.Errorf("list right after writing = %q, want the primary's %q", got, want)
	}
	if code, body, _ := call(t, browser, "GET", base+"/recipes", "", ""); code != http.StatusOK || !strings.Contains(body, "Fresh bread") {
		t.Errorf("browse page right after writing: %d; want the primary's recipes", code)
	}
	if code, _, _ := call(t, browser, "GET", base+"/api/v1/recipes/"+site.replicaOnly, token, ""); code != http.StatusNotFound {
		t.Errorf("recipe only on the replica, right after writing: %d, want 404 from the primary", code)
	}

	// The same user through a client without cookies reads the replica:
	// its lists lag by the replication delay (here, forever).
	if got := listed(t, anon, base, token); !slices.Equal(got, []string{"Replica tomato soup"}) {
		t.Errorf("cookieless list = %q, want the replica's", got)
	}
	// An unsafe request reads from the primary even without the cookie:
	// here it loads the recipe to check who may edit it, and the replica's
	// copy would have let it reach validation (422) instead of 404.
	if code, body, _ := call(t, anon, "PUT", base+"/api/v1/recipes/"+site.replicaOnly, token, `{"title":""}`); code != http.StatusNotFound {
		t.Errorf("PUT of a recipe only on the replica: %d %s, want 404 from the primary", code, body)
	}
	// /readyz is about the primary only.
	if code, body, _ := call(t, anon, "GET", base+"/readyz", "", ""); code != http.StatusOK {
		t.Errorf("readyz: %d %s", code, body)
	}
	m := testutil.ScrapeMetrics(t, site.MetricsURL+"/metrics")
	if m.Find("go_sql_open_connections", map[string]string{"db_name": "replica-1"}) == nil {
		t.Errorf("no pool metrics for replica-1:\n%s", m.Series("go_sql_open_connections"))
	}
	if s := m.Find("reccollection_db_replica_up", map[string]string{"replica": "replica-1"}); s == nil || s.GetGauge().GetValue() != 1 {
		t.Errorf("replica-1 not up: %v", s)
	}
}

// TestDeadReplicaFallsBackToPrimary: with replica-1 on a port nobody
// listens on, every read is still answered, by the primary or by the
// working replica-2, and the fallbacks are counted.
func TestDeadReplicaFallsBackToPrimary(t *testing.T) {
	site := startReplicaSite(t, func(p testutil.ReplicaPair) []string {
		return []string{testutil.DeadPostgresURL(t), p.ReplicaURL}
	})
	const requests = 6
	fromPrimary := 0
	for i := range requests {
		switch got := listed(t, &http.Client{}, site.URL, ""); {
		case slices.Equal(got, []string{"Primary pumpkin soup"}):
			fromPrimary++
		case slices.Equal(got, []string{"Replica tomato soup"}):
		default:
			t.Fatalf("list %d = %q", i, got)
		}
	}
	if code, _, _ := call(t, &http.Client{}, "GET", site.URL+"/readyz", "", ""); code != http.StatusOK {
		t.Errorf("readyz with a dead replica: %d, want 200", code)
	}
	m := testutil.ScrapeMetrics(t, site.MetricsURL+"/metrics")
	value := func(reason string) float64 {
		s := m.Find("reccollection_db_replica_fallbacks_total", map[string]string{"replica": "replica-1", "reason": reason})
		if s == nil {
			t.Fatalf("no %s fallback series:\n%s", reason, m.Series("reccollection_db_replica_fallbacks_total"))
		}
		return s.GetCounter().GetValue()
	}
	// replica-1 fails its first turn; while it cools down its turns go to
	// replica-2. Every answer the primary gave is a counted fallback.
	if failed, skipped := value("failed"), value("skipped"); failed < 1 || int(failed+skipped) != fromPrimary {
		t.Errorf("replica-1 fallbacks: failed %v, skipped %v; want at least one failed and %d in all (the primary's answers)", failed, skipped, fromPrimary)
	}
	if s := m.Find("reccollection_db_replica_fallbacks_total", map[string]string{"replica": "replica-2", "reason": "failed"}); s == nil || s.GetCounter().GetValue() != 0 {
		t.Errorf("replica-2 fallbacks: %v, want 0", s)
	}
	if s := m.Find("reccollection_db_replica_up", map[string]string{"replica": "replica-1"}); s == nil || s.GetGauge().GetValue() != 0 {
		t.Errorf("replica-1 up = %v, want 0", s)
	}
}

// TestNoReplicasNoMarker: without replicas the read-your-writes layer is
// not installed, so answers carry no extra cookie.
func TestNoReplicasNoMarker(t *testing.T) {
	srv := testutil.StartServer(t, "sqlite")
	_, _, resp := call(t, &http.Client{}, "POST", srv.URL+"/api/v1/auth/login", "", `{"login":"nobody","password":"wrong password here"}`)
	if slices.ContainsFunc(resp.Cookies(), func(c *http.Cookie) bool { return c.Name == "recc_wrote" }) {
		t.Error("a server without replicas sets the read-your-writes cookie")
	}
}
