package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// The authorization matrix: every method on every visibility for every
// kind of caller, each cell on a fresh recipe, and each refusal checked to
// have written nothing.
func TestAuthorizationMatrixHTTP(t *testing.T) {
	type cell struct{ get, put, patch, del int }
	const (
		ok   = http.StatusOK
		gone = http.StatusNoContent
		u401 = http.StatusUnauthorized
		f403 = http.StatusForbidden
		n404 = http.StatusNotFound
	)
	visible := map[string]cell{
		"anonymous": {ok, u401, u401, u401},
		"other":     {ok, f403, f403, f403},
		"author":    {ok, ok, ok, gone},
		"admin":     {ok, ok, ok, gone},
	}
	matrix := map[string]map[string]cell{
		"public":   visible,
		"unlisted": visible,
		"private": {
			"anonymous": {n404, u401, u401, u401},
			"other":     {n404, n404, n404, n404},
			"author":    {ok, ok, ok, gone},
			// Moderation covers published work only.
			"admin": {n404, n404, n404, n404},
		},
	}

	forEachEngine(t, func(t *testing.T, s *server) {
		author := s.apiClient(t, "author")
		callers := map[string]*client{
			"anonymous": s.anon(),
			"other":     s.apiClient(t, "other"),
			"author":    author,
			"admin":     s.admin(t, "moderator"),
		}
		// What a recipe that never existed answers, to compare hidden ones with.
		missing := author.do(t, "GET", "/api/v1/recipes/00000000-0000-4000-8000-000000000000", nil).wantProblem(t, n404)

		for _, vis := range []string{"public", "unlisted", "private"} {
			for _, who := range []string{"anonymous", "other", "author", "admin"} {
				want := matrix[vis][who]
				for _, op := range []struct {
					method string
					status int
				}{{"GET", want.get}, {"PUT", want.put}, {"PATCH", want.patch}, {"DELETE", want.del}} {
					t.Run(vis+"/"+who+"/"+op.method, func(t *testing.T) {
						r := author.createRecipe(t, recipeBody("Original "+vis, vis))
						var body any
						switch op.method {
						case "PUT":
							body = recipeBody("Changed by "+who, vis)
						case "PATCH":
							body = map[string]any{"title": "Changed by " + who}
						}
						res := callers[who].do(t, op.method, "/api/v1/recipes/"+r.ID, body)
						if res.status != op.status {
							t.Fatalf("want %d, got %s", op.status, res)
						}
						if op.status >= 400 {
							p := res.wantProblem(t, op.status)
							if op.status == n404 && p.Detail != missing.Detail {
								t.Errorf("a hidden recipe's 404 (%q) differs from a missing one's (%q)", p.Detail, missing.Detail)
							}
						}
						if op.status == u401 && !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
							t.Errorf("401 without a Bearer challenge")
						}

						// The author's view afterwards shows exactly the allowed effect.
						after := author.do(t, "GET", "/api/v1/recipes/"+r.ID, nil)
						switch {
						case op.method == "DELETE" && op.status == gone:
							after.wantProblem(t, n404)
						case (op.method == "PUT" || op.method == "PATCH") && op.status == ok:
							var got recipeJSON
							after.want(t, ok).decode(t, &got)
							if got.Title != "Changed by "+who {
								t.Errorf("allowed %s left the title %q", op.method, got.Title)
							}
						default:
							var got recipeJSON
							after.want(t, ok).decode(t, &got)
							if !sameRecipe(t, got, r) {
								t.Errorf("a %s answered %d but the recipe changed:\n got %+v\nwas %+v", op.method, op.status, got, r)
							}
						}
					})
				}
			}
		}
	})
}

// Unlisted and private recipes never show up where lists, counts and
// searches could reveal them; unlisted ones are readable by link.
func TestVisibilityNeverLeaksHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		a := s.apiClient(t, "alpha")
		b := s.apiClient(t, "bravo")

		// Every hidden recipe shares its searchable words with the public
		// one, so each search below finds something and the absence of the
		// hidden ones means something.
		common := map[string]any{
			"difficulty": "hard", "prep_minutes": 10, "cook_minutes": 20,
			"categories": []string{"secretcat"},
		}
		pub := a.createRecipe(t, recipeBody("Quokka Pangolin Paella", "public", common, map[string]any{
			"ingredients": []any{"1 cup wombatberry", "2 axolotlroots"}, "tags": []string{"numbat", "okapi"},
		}))
		unl := a.createRecipe(t, recipeBody("Quokka Stew", "unlisted", common, map[string]any{
			"ingredients": []any{"1 cup wombatberry"}, "tags": []string{"numbat"},
		}))
		prv := a.createRecipe(t, recipeBody("Pangolin Curry", "private", common, map[string]any{
			"ingredients": []any{"2 axolotlroots"}, "tags": []string{"okapi"},
		}))
		hidden := []string{unl.ID, prv.ID}

		queries := []string{
			"",
			"author=alpha",
			"tag=numbat", "tag=okapi",
			"category=secretcat",
			"difficulty=hard",
			"max_minutes=30",
			"sort=newest", "sort=title", "sort=quickest",
			"q=quokka", "q=pangolin", "q=wombatberry", "q=axolotlroots", "q=numbat", "q=okapi",
			"q=quokka&sort=relevance", "q=pangolin&sort=title", "q=okapi&sort=quickest", "q=numbat&sort=newest",
			"author=alpha&tag=numbat&category=secretcat&difficulty=hard&max_minutes=30&sort=title",
		}
		for _, viewer := range []struct {
			name string
			c    *client
		}{{"anonymous", s.anon()}, {"another user", b}} {
			for _, q := range queries {
				got := ids(viewer.c.listAll(t, q+"&limit=100"))
				if !slices.Contains(got, pub.ID) {
					t.Errorf("%s: ?%s does not find the public recipe (got %v)", viewer.name, q, got)
				}
				for _, h := range hidden {
					if slices.Contains(got, h) {
						t.Errorf("%s: ?%s lists hidden recipe %s", viewer.name, q, h)
					}
				}
			}
			for _, vis := range []string{"unlisted", "private"} {
				if got := viewer.c.listAll(t, "author=alpha&visibility="+vis); len(got) != 0 {
					t.Errorf("%s: ?visibility=%s lists %v", viewer.name, vis, titles(got))
				}
			}
			var p struct {
				RecipeCount int `json:"recipe_count"`
			}
			viewer.c.do(t, "GET", "/api/v1/users/alpha", nil).want(t, http.StatusOK).decode(t, &p)
			if p.RecipeCount != 1 {
				t.Errorf("%s: alpha's recipe_count is %d, want 1", viewer.name, p.RecipeCount)
			}

			res := viewer.c.do(t, "GET", "/api/v1/recipes/"+unl.ID, nil).want(t, http.StatusOK)
			if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") || !strings.Contains(cc, "private") {
				t.Errorf("%s: an unlisted recipe is served with Cache-Control %q", viewer.name, cc)
			}
			viewer.c.do(t, "GET", "/api/v1/recipes/"+prv.ID, nil).wantProblem(t, http.StatusNotFound)
		}

		// The author sees all three, in lists, searches and the count.
		if got := ids(a.listAll(t, "author=alpha&limit=100")); len(got) != 3 ||
			!slices.Contains(got, pub.ID) || !slices.Contains(got, unl.ID) || !slices.Contains(got, prv.ID) {
			t.Errorf("alpha's own listing is %v, want all three", got)
		}
		if got := ids(a.listAll(t, "q=pangolin&limit=100")); !slices.Contains(got, prv.ID) {
			t.Errorf("alpha's own search does not find the private recipe: %v", got)
		}
		var p struct {
			RecipeCount int `json:"recipe_count"`
		}
		a.do(t, "GET", "/api/v1/users/alpha", nil).want(t, http.StatusOK).decode(t, &p)
		if p.RecipeCount != 3 {
			t.Errorf("alpha's own recipe_count is %d, want 3", p.RecipeCount)
		}
		a.getRecipe(t, prv.ID)
		if cc := s.anon().do(t, "GET", "/api/v1/recipes/"+pub.ID, nil).want(t, http.StatusOK).header.Get("Cache-Control"); strings.Contains(cc, "private") {
			t.Errorf("a public recipe is marked private for caches: %q", cc)
		}

		// Words that no public recipe has: the author still finds their
		// own hidden recipes by title, ingredient, tag and description.
		own := a.createRecipe(t, recipeBody("Xylophagous Bake", "private", map[string]any{
			"description": "Tastes of zanzibarian spice.",
			"ingredients": []any{"1 cup quinceberry"}, "tags": []string{"yakfood"},
		}))
		for _, q := range []string{"xylophagous", "quinceberry", "yakfood", "zanzibarian"} {
			if got := ids(a.listAll(t, "q="+q)); !slices.Equal(got, []string{own.ID}) {
				t.Errorf("alpha's search q=%s finds %v, want only alpha's private recipe", q, got)
			}
			if got := b.listAll(t, "q="+q); len(got) != 0 {
				t.Errorf("bravo's search q=%s finds %v", q, titles(got))
			}
		}
	})
}
