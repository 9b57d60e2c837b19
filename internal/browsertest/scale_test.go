package browsertest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// scaleCase is one servings count and what a cook then reads on the
// recipe page for the scaling recipe (4 servings as written).
type scaleCase struct {
	servings    string
	ingredients []string
}

// scalingRecipe is written for 4.
var scalingRecipe = map[string]any{
	"title": "Tomato Flour Bake", "servings": 4, "visibility": "public", "difficulty": "easy",
	"ingredients": []string{"1½ cups flour", "1 tsp salt"},
	"steps":       []string{"Mix everything.", "Bake until golden."},
}

var scaleCases = []scaleCase{
	{"2", []string{"¾ cup flour", "½ tsp salt"}},
	{"8", []string{"3 cups flour", "2 tsp salt"}},
	{"6", []string{"2¼ cups flour", "1½ tsp salt"}},
}

// TestScaling scales a recipe written for 4 to 2, 8 and 6 servings, in
// place with the script and by the server alone (?servings=), and reads
// the ingredient lines a cook sees: the same text both ways, units in
// the right number and no stray characters from attribute escaping.
func TestScaling(t *testing.T) {
	needBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServer(t, "sqlite")
			id := seedScalingRecipe(t, srv)
			b := newTab(t, srv.URL, vp)
			for _, c := range scaleCases {
				// In place, with the script.
				b.open("/recipes/"+id, 200)
				scaleServings(b, c.servings, firstWords(c.ingredients))
				checkIngredientLines(b, "scaled in place to "+c.servings, c.ingredients)
				b.shot("scaled-" + c.servings)
				// By the server, as without the script or from a shared link.
				b.open("/recipes/"+id+"?servings="+c.servings, 200)
				checkIngredientLines(b, "?servings="+c.servings, c.ingredients)
			}
			b.checkPage("recipe scaled")
		})
	}
}

// firstWords are the amounts of ingredient lines.
func firstWords(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i], _, _ = strings.Cut(l, " ")
	}
	return out
}

// checkIngredientLines reads every ingredient line as shown.
func checkIngredientLines(b *tab, how string, want []string) {
	b.t.Helper()
	got := evalJS[[]string](b, `[...document.querySelectorAll('ul#ingredients > li')].map(li => li.innerText.replace(/\s+/g, ' ').trim())`)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		b.errorf("ingredients %s: %q, want %q", how, got, want)
	}
	for _, l := range got {
		if strings.ContainsAny(l, "\"'&;\\") {
			b.errorf("ingredients %s: %q has a stray quote or escape character", how, l)
		}
	}
}

// seedScalingRecipe creates scalingRecipe through the API and returns its id.
func seedScalingRecipe(t *testing.T, srv *testutil.Server) string {
	t.Helper()
	c := srv.Client()
	post := func(path string, body any) map[string]any {
		t.Helper()
		buf, _ := json.Marshal(body)
		resp, err := c.Post(srv.URL+path, "application/json", bytes.NewReader(buf))
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %s %v", path, resp.Status, out)
		}
		return out
	}
	post("/api/v1/auth/register", map[string]string{
		"username": "scaler", "email": "scaler@example.com", "password": "a long passphrase", "display_name": "Sam Scaler",
	})
	r := post("/api/v1/recipes", scalingRecipe)
	id, _ := r["id"].(string)
	if id == "" {
		t.Fatalf("created recipe has no id: %v", r)
	}
	return id
}
