package api_test

import (
	"net/http"
	"slices"
	"testing"
)

type engagementJSON struct {
	Likes  int `json:"likes"`
	Saves  int `json:"saves"`
	Rating struct {
		Average float64 `json:"average"`
		Count   int     `json:"count"`
	} `json:"rating"`
	Liked    *bool `json:"liked"`
	Saved    *bool `json:"saved"`
	MyRating *int  `json:"my_rating"`
}

func (c *client) engagement(t *testing.T, method, id, what string, body any) engagementJSON {
	t.Helper()
	var e engagementJSON
	c.do(t, method, "/api/v1/recipes/"+id+"/"+what, body).want(t, http.StatusOK).decode(t, &e)
	return e
}

func TestLikeSaveRateHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		author, fan := s.apiClient(t, "author"), s.apiClient(t, "fan")
		r := author.createRecipe(t, recipeBody("Fig jam", "public"))

		for range 2 {
			e := fan.engagement(t, "PUT", r.ID, "like", nil)
			if e.Likes != 1 || e.Liked == nil || !*e.Liked {
				t.Fatalf("after liking: %+v", e)
			}
		}
		if e := fan.engagement(t, "PUT", r.ID, "save", nil); e.Saves != 1 || !*e.Saved || !*e.Liked {
			t.Fatalf("after saving: %+v", e)
		}
		if e := fan.engagement(t, "PUT", r.ID, "rating", map[string]any{"stars": 4}); e.Rating.Count != 1 || e.Rating.Average != 4 || *e.MyRating != 4 {
			t.Fatalf("after rating: %+v", e)
		}
		if e := author.engagement(t, "PUT", r.ID, "rating", map[string]any{"stars": 1}); e.Rating.Count != 2 || e.Rating.Average != 2.5 || *e.MyRating != 1 || *e.Liked {
			t.Fatalf("after the author's rating: %+v", e)
		}

		// The recipe carries the counts for everyone, the marks for the signed in.
		var anon engagementJSON
		res := s.anon().do(t, "GET", "/api/v1/recipes/"+r.ID, nil).want(t, http.StatusOK)
		res.decode(t, &anon)
		if anon.Likes != 1 || anon.Saves != 1 || anon.Rating.Count != 2 || anon.Liked != nil || anon.MyRating != nil {
			t.Fatalf("anonymous recipe: %+v (%s)", anon, res)
		}
		var mine engagementJSON
		res = fan.do(t, "GET", "/api/v1/recipes/"+r.ID, nil).want(t, http.StatusOK)
		res.decode(t, &mine)
		if !*mine.Liked || !*mine.Saved || *mine.MyRating != 4 || res.header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("fan's recipe: %+v (%s, %q)", mine, res, res.header.Get("Cache-Control"))
		}
		var authorView map[string]any
		author.do(t, "GET", "/api/v1/recipes/"+r.ID, nil).want(t, http.StatusOK).decode(t, &authorView)
		if authorView["my_rating"] != 1.0 || authorView["liked"] != false {
			t.Fatalf("author's recipe: %v", authorView)
		}
		var l struct {
			Items []engagementJSON `json:"items"`
		}
		s.anon().do(t, "GET", "/api/v1/recipes", nil).want(t, http.StatusOK).decode(t, &l)
		if len(l.Items) != 1 || l.Items[0].Likes != 1 || l.Items[0].Rating.Average != 2.5 {
			t.Fatalf("list: %+v", l.Items)
		}

		// Undo, twice each.
		for range 2 {
			fan.engagement(t, "DELETE", r.ID, "like", nil)
			fan.engagement(t, "DELETE", r.ID, "save", nil)
			e := fan.engagement(t, "DELETE", r.ID, "rating", nil)
			if e.Likes != 0 || e.Saves != 0 || e.Rating.Count != 1 || e.Rating.Average != 1 || *e.Liked || *e.Saved || e.MyRating != nil {
				t.Fatalf("after undoing: %+v", e)
			}
		}
	})
}

// Every way to get these routes wrong is a 4xx problem, and none writes.
func TestLikeSaveRateBadInputHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		author, stranger := s.apiClient(t, "author"), s.apiClient(t, "stranger")
		pub := author.createRecipe(t, recipeBody("Pear tart", "public"))
		private := author.createRecipe(t, recipeBody("Secret tart", "private"))
		missing := stranger.do(t, "PUT", "/api/v1/recipes/00000000-0000-4000-8000-000000000000/like", nil).wantProblem(t, http.StatusNotFound)

		for _, what := range []string{"like", "save", "rating"} {
			for _, method := range []string{"PUT", "DELETE"} {
				var body any
				if what == "rating" && method == "PUT" {
					body = map[string]any{"stars": 5}
				}
				path := "/api/v1/recipes/" + pub.ID + "/" + what
				res := s.anon().do(t, method, path, body)
				res.wantProblem(t, http.StatusUnauthorized)
				if res.header.Get("WWW-Authenticate") == "" {
					t.Errorf("%s %s: 401 without a challenge", method, path)
				}
				for _, id := range []string{private.ID, "not-an-id", "00000000-0000-4000-8000-000000000001"} {
					p := stranger.do(t, method, "/api/v1/recipes/"+id+"/"+what, body).wantProblem(t, http.StatusNotFound)
					if p.Detail != missing.Detail || p.Title != missing.Title {
						t.Errorf("%s %s of %s: %+v differs from a missing recipe's %+v", method, what, id, p, missing)
					}
				}
			}
		}
		for _, c := range []struct {
			body   any
			status int
			field  string
		}{
			{map[string]any{"stars": 0}, http.StatusUnprocessableEntity, "stars"},
			{map[string]any{"stars": 6}, http.StatusUnprocessableEntity, "stars"},
			{map[string]any{"stars": -3}, http.StatusUnprocessableEntity, "stars"},
			{map[string]any{}, http.StatusUnprocessableEntity, "stars"},
			{map[string]any{"stars": nil}, http.StatusUnprocessableEntity, "stars"},
			{map[string]any{"stars": 4, "comment": "yum"}, http.StatusUnprocessableEntity, "comment"},
			{map[string]any{"stars": 4.5}, http.StatusBadRequest, ""},
			{map[string]any{"stars": "5"}, http.StatusBadRequest, ""},
			{raw(`[5]`), http.StatusBadRequest, ""},
			{raw(`{"stars":`), http.StatusBadRequest, ""},
			{nil, http.StatusBadRequest, ""},
		} {
			var fields []string
			if c.field != "" {
				fields = append(fields, c.field)
			}
			// The same answer for a recipe that may not be seen: the body is
			// judged first, and says nothing of the recipe.
			for _, id := range []string{pub.ID, private.ID} {
				stranger.do(t, "PUT", "/api/v1/recipes/"+id+"/rating", c.body).wantProblem(t, c.status, fields...)
			}
		}
		// Nothing was written by any of it.
		for _, who := range []*client{author, stranger} {
			var e engagementJSON
			who.do(t, "GET", "/api/v1/recipes/"+pub.ID, nil).want(t, http.StatusOK).decode(t, &e)
			if e.Likes != 0 || e.Saves != 0 || e.Rating.Count != 0 {
				t.Fatalf("refused requests wrote: %+v", e)
			}
		}
		var e engagementJSON
		author.do(t, "GET", "/api/v1/recipes/"+private.ID, nil).want(t, http.StatusOK).decode(t, &e)
		if e.Likes != 0 || e.Saves != 0 || e.Rating.Count != 0 {
			t.Fatalf("refused requests wrote on the private recipe: %+v", e)
		}
	})
}

// GET /api/v1/me/saved: the caller's library, with the list's filters and
// cursor; a saved recipe made private leaves it, an unlisted one stays.
func TestSavedListHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		author, fan, other := s.apiClient(t, "author"), s.apiClient(t, "fan"), s.apiClient(t, "other")
		var all []recipeJSON
		for _, c := range []struct{ title, vis, difficulty string }{
			{"Apple crumble", "public", "easy"}, {"Banana bread", "unlisted", "hard"}, {"Cherry clafoutis", "public", "hard"}, {"Date squares", "public", "easy"},
		} {
			r := author.createRecipe(t, recipeBody(c.title, c.vis, map[string]any{"difficulty": c.difficulty}))
			fan.engagement(t, "PUT", r.ID, "save", nil)
			all = append(all, r)
		}
		author.createRecipe(t, recipeBody("Elderflower cordial", "public"))
		other.engagement(t, "PUT", all[0].ID, "save", nil)

		saved := func(c *client, query string) []string {
			t.Helper()
			var items []string
			cursor := ""
			for range 20 {
				q := "/api/v1/me/saved?" + query
				if cursor != "" {
					q += "&cursor=" + cursor
				}
				var l listJSON
				res := c.do(t, "GET", q, nil).want(t, http.StatusOK)
				res.decode(t, &l)
				if res.header.Get("Cache-Control") != "private, no-store" {
					t.Errorf("saved list cached: %q", res.header.Get("Cache-Control"))
				}
				items = append(items, titles(l.Items)...)
				if cursor = l.NextCursor; cursor == "" {
					return items
				}
			}
			t.Fatal("saved list does not end")
			return nil
		}
		want := []string{"Apple crumble", "Banana bread", "Cherry clafoutis", "Date squares"}
		if got := saved(fan, "sort=title&limit=1"); !slices.Equal(got, want) {
			t.Fatalf("fan's saved: %q, want %q", got, want)
		}
		if got := saved(fan, "difficulty=hard&sort=title"); !slices.Equal(got, []string{"Banana bread", "Cherry clafoutis"}) {
			t.Fatalf("fan's hard saved: %q", got)
		}
		if got := saved(fan, "q=bread"); !slices.Equal(got, []string{"Banana bread"}) {
			t.Fatalf("fan's saved search: %q", got)
		}
		if got := saved(other, ""); !slices.Equal(got, []string{"Apple crumble"}) {
			t.Fatalf("other's saved: %q", got)
		}
		author.do(t, "PATCH", "/api/v1/recipes/"+all[2].ID, map[string]any{"visibility": "private"}).want(t, http.StatusOK)
		if got := saved(fan, "sort=title"); !slices.Equal(got, []string{"Apple crumble", "Banana bread", "Date squares"}) {
			t.Fatalf("fan's saved after a recipe went private: %q", got)
		}
		s.anon().do(t, "GET", "/api/v1/me/saved", nil).wantProblem(t, http.StatusUnauthorized)
		fan.do(t, "GET", "/api/v1/me/saved?sort=sideways", nil).wantProblem(t, http.StatusBadRequest, "sort")
		fan.do(t, "GET", "/api/v1/me/saved?cursor=bogus", nil).wantProblem(t, http.StatusBadRequest, "cursor")
	})
}
