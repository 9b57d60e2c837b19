package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestSameScenarioSameAnswersOnBothEngines plays one API scenario against
// SQLite and against PostgreSQL and requires the two transcripts to be
// identical once ids, times, secrets and cursors are replaced by
// placeholders. It is the check behind "switching DATABASE_URL changes
// nothing a client can see".
func TestSameScenarioSameAnswersOnBothEngines(t *testing.T) {
	transcripts := map[string][]string{}
	for _, engine := range testutil.Engines {
		srv := testutil.StartServer(t, engine)
		transcripts[engine] = playScenario(t, srv)
	}
	a, b := transcripts["sqlite"], transcripts["postgres"]
	if len(a) != len(b) {
		t.Fatalf("transcripts differ in length: sqlite %d, postgres %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("step %d differs:\nsqlite:   %s\npostgres: %s", i, a[i], b[i])
		}
	}
}

var (
	uuidRE   = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	timeRE   = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"`)
	tokenRE  = regexp.MustCompile(`"recc_[A-Za-z0-9_-]+"`)
	cursorRE = regexp.MustCompile(`"next_cursor":"[^"]+"`)
	reqIDRE  = regexp.MustCompile(`"request_id":"[0-9a-f]+"`)
	loginRE  = regexp.MustCompile(`"login \d{4}-\d\d-\d\d \d\d:\d\d"`)
)

type player struct {
	t      *testing.T
	base   string
	client *http.Client
	token  string
	ids    map[string]string
	out    []string
}

// normalise replaces what legitimately differs between runs with stable
// placeholders; uuids are numbered in order of first appearance so that
// "the same recipe" is still recognisable.
func (p *player) normalise(s string) string {
	s = uuidRE.ReplaceAllStringFunc(s, func(id string) string {
		if _, ok := p.ids[id]; !ok {
			p.ids[id] = fmt.Sprintf("<id%d>", len(p.ids)+1)
		}
		return p.ids[id]
	})
	s = timeRE.ReplaceAllString(s, `"<time>"`)
	s = tokenRE.ReplaceAllString(s, `"<token>"`)
	s = cursorRE.ReplaceAllString(s, `"next_cursor":"<cursor>"`)
	s = reqIDRE.ReplaceAllString(s, `"request_id":"<rid>"`)
	return loginRE.ReplaceAllString(s, `"login <time>"`)
}

func (p *player) do(method, path string, body any) map[string]any {
	p.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, p.base+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		p.t.Errorf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	p.out = append(p.out, fmt.Sprintf("%s %s -> %d %s", method, p.normalise(path), resp.StatusCode, p.normalise(strings.TrimSpace(string(raw)))))
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}

func playScenario(t *testing.T, srv *testutil.Server) []string {
	p := &player{t: t, base: srv.URL, client: srv.Client(), ids: map[string]string{}}
	p.do("POST", "/api/v1/auth/register", map[string]any{"username": "ana", "email": "ana@example.test", "password": "ana's long password"})
	p.do("POST", "/api/v1/auth/register", map[string]any{"username": "ben", "email": "ben@example.test", "password": "ben's long password"})
	p.client = srv.Client() // a fresh browser: no cookies
	login := p.do("POST", "/api/v1/auth/login", map[string]any{"login": "ana", "password": "ana's long password"})
	p.token, _ = login["token"].(string)

	recipes := []map[string]any{
		{"title": "Thai Green Curry", "description": "Fragrant and creamy.", "prep_minutes": 15, "cook_minutes": 20, "servings": 4,
			"difficulty": "medium", "visibility": "public", "ingredients": []any{"400 ml coconut milk", "2-3 tbsp green curry paste", "500 g chicken thighs, sliced"},
			"steps": []string{"Fry the paste.", "Add milk and chicken; simmer."}, "tags": []string{"Spicy", "thai"}, "categories": []string{"dinner"}},
		{"title": "Lemon Tart", "description": "Sharp and sweet, with a curry leaf garnish.", "prep_minutes": 40, "cook_minutes": 35,
			"difficulty": "hard", "visibility": "public", "ingredients": []any{"4 lemons, zested and juiced", "1 ½ cups sugar", map[string]any{"quantity": 3, "name": "eggs"}},
			"steps": []string{"Make the pastry.", "Bake the filling."}, "tags": []string{"dessert"}, "categories": []string{"dessert", "baking"}},
		{"title": "Secret Stock", "visibility": "private", "ingredients": []any{"2 kg chicken bones"}, "steps": []string{"Simmer all day."}, "tags": []string{"stock"}},
		{"title": "Unlisted Omelette", "visibility": "unlisted", "cook_minutes": 5, "ingredients": []any{"3 eggs", "salt to taste"}, "steps": []string{"Whisk and cook."}},
		{"title": "Quick Salad", "visibility": "public", "prep_minutes": 5, "difficulty": "easy", "ingredients": []any{"1 head lettuce", "2 tomatoes, diced"}, "steps": []string{"Toss."}, "tags": []string{"quick"}},
	}
	var ids []string
	for _, r := range recipes {
		created := p.do("POST", "/api/v1/recipes", r)
		id, _ := created["id"].(string)
		ids = append(ids, id)
	}
	for _, q := range []string{"", "?sort=title", "?sort=quickest", "?limit=2", "?tag=dessert", "?category=dinner", "?difficulty=easy",
		"?max_minutes=40", "?q=curry", "?q=chiken", "?q=lemons", "?q=tomato", "?author=ana&visibility=private", "?sort=bogus", "?limit=0"} {
		p.do("GET", "/api/v1/recipes"+q, nil)
	}
	p.do("PATCH", "/api/v1/recipes/"+ids[0], map[string]any{"title": "Thai Green Chicken Curry", "prep_minutes": nil, "tags": []string{"thai"}})
	p.do("PUT", "/api/v1/recipes/"+ids[4], map[string]any{"title": "Quick Green Salad", "visibility": "public", "ingredients": []any{"1 cucumber"}})
	p.do("POST", "/api/v1/recipes", map[string]any{"title": "", "servings": 0, "difficulty": "extreme", "steps": []string{" "}, "colour": "red"})
	p.do("POST", "/api/v1/recipes", map[string]any{"title": 5})

	// Ben's view: public and unlisted by URL, never the private one.
	p.token = ""
	p.client = srv.Client()
	benLogin := p.do("POST", "/api/v1/auth/login", map[string]any{"login": "ben@example.test", "password": "ben's long password"})
	p.token, _ = benLogin["token"].(string)
	p.do("GET", "/api/v1/recipes", nil)
	p.do("GET", "/api/v1/recipes?q=stock", nil)
	for _, id := range ids {
		p.do("GET", "/api/v1/recipes/"+id, nil)
	}
	p.do("DELETE", "/api/v1/recipes/"+ids[1], nil)
	p.do("GET", "/api/v1/users/ana", nil)
	p.do("GET", "/api/v1/me", nil)
	return p.out
}
