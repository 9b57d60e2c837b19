package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// chunked sends the body without a Content-Length, so the server cannot
// refuse it by its declared size.
func chunked() reqOpt {
	return func(r *http.Request) { r.ContentLength = -1 }
}

type badBody struct {
	name   string
	body   raw
	opts   []reqOpt
	status int
	fields []string
	// fieldPrefix: some error names a field starting with it (the exact
	// path of a wrong type inside a list is not part of the contract).
	fieldPrefix string
}

func jsonList(n int, item string) string {
	return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
}

func bigBody(size int) raw {
	return raw(`{"title":"Big","description":"` + strings.Repeat("a", size) + `"}`)
}

var badRecipeBodies = []badBody{
	{name: "malformed JSON", body: raw(`{"title": "Soup",`), status: 400},
	{name: "trailing garbage", body: raw(`{"title": "Soup"} x`), status: 400},
	{name: "title is a number", body: raw(`{"title": 5}`), status: 400, fields: []string{"title"}},
	{name: "prep_minutes is text", body: raw(`{"title": "Soup", "prep_minutes": "ten"}`), status: 400, fields: []string{"prep_minutes"}},
	{name: "servings is fractional", body: raw(`{"title": "Soup", "servings": 2.5}`), status: 400, fields: []string{"servings"}},
	{name: "ingredients is text", body: raw(`{"title": "Soup", "ingredients": "not a list"}`), status: 400, fields: []string{"ingredients"}},
	{name: "an ingredient is a number", body: raw(`{"title": "Soup", "ingredients": ["1 egg", 5]}`), status: 400, fieldPrefix: "ingredients"},
	{name: "a tag is a number", body: raw(`{"title": "Soup", "tags": [1]}`), status: 400, fieldPrefix: "tags"},
	{name: "steps is an object", body: raw(`{"title": "Soup", "steps": {"1": "Boil"}}`), status: 400, fields: []string{"steps"}},
	{
		name: "unknown fields at the top and inside ingredients",
		body: raw(`{"title": "Soup", "colour": "red", "zzz": 1,
			"ingredients": [{"name": "salt", "colour": "white"}, "1 egg", {"name": "flour", "brand": "x", "qty": 2}]}`),
		status: 422,
		fields: []string{"colour", "zzz", "ingredients[0].colour", "ingredients[2].brand", "ingredients[2].qty"},
	},
	{
		name: "every invalid field at once (lists over their limits)",
		body: raw(`{"title": "", "servings": -1, "difficulty": "extreme", "visibility": "everyone",
			"source_url": "javascript:alert(1)",
			"ingredients": ` + jsonList(101, `"1 egg"`) + `,
			"steps": ` + jsonList(101, `"Stir."`) + `,
			"tags": ` + jsonList(21, `"t"`) + `}`),
		status: 422,
		fields: []string{"title", "servings", "difficulty", "visibility", "source_url", "ingredients", "steps", "tags"},
	},
	{
		name: "every invalid field at once (items of lists)",
		body: raw(`{"title": "` + strings.Repeat("t", 201) + `", "prep_minutes": -1, "cook_minutes": 10081,
			"description": "` + strings.Repeat("d", 10001) + `",
			"source_url": "ftp://example.com/x",
			"steps": ["Mix.", "   "],
			"ingredients": [{"name": "flour", "quantity": 3, "quantity_max": 2}, {"name": "", "quantity": 1},
				{"name": "salt", "quantity": -1}, {"name": "x", "quantity_max": 2}],
			"tags": ["ok", "bad!tag", ""],
			"categories": ` + jsonList(11, `"c"`) + `}`),
		status: 422,
		fields: []string{"title", "prep_minutes", "cook_minutes", "description", "source_url", "steps[1]",
			"ingredients[0].quantity_max", "ingredients[1].name", "ingredients[2].quantity", "ingredients[3].quantity_max",
			"tags[1]", "tags[2]", "categories"},
	},
	{name: "an ingredient line over 500 characters", body: raw(`{"title": "Soup", "ingredients": ["1 egg", "` + strings.Repeat("x", 501) + `"]}`), status: 422, fields: []string{"ingredients[1]"}},
	{name: "a control character in the title", body: raw(`{"title": "So\u0000up"}`), status: 422, fields: []string{"title"}},
	{name: "body over 1 MiB", body: bigBody(1 << 20), status: 413},
	{name: "body over 1 MiB without a length", body: bigBody(1 << 20), opts: []reqOpt{chunked()}, status: 413},
	{name: "invalid UTF-8", body: raw("{\"title\": \"So\xff\xfeup\"}"), status: 400},
	{name: "an array", body: raw(`[{"title": "Soup"}]`), status: 400},
	{name: "a string", body: raw(`"Soup"`), status: 400},
	{name: "null", body: raw(`null`), status: 400},
	{name: "empty", body: raw(``), status: 400},
	{name: "only white space", body: raw(" \n\t "), status: 400},
	{name: "text/plain", body: raw(`{"title": "Soup"}`), opts: []reqOpt{header("Content-Type", "text/plain")}, status: 415},
	{name: "a form", body: raw(`title=Soup`), opts: []reqOpt{header("Content-Type", "application/x-www-form-urlencoded")}, status: 415},
}

func (b badBody) check(t *testing.T, res *response) {
	t.Helper()
	p := res.wantProblem(t, b.status, b.fields...)
	if b.fieldPrefix != "" && !slices.ContainsFunc(p.fields(), func(f string) bool { return strings.HasPrefix(f, b.fieldPrefix) }) {
		t.Errorf("no error names %s…: %v", b.fieldPrefix, p.fields())
	}
}

func TestBadInputHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		w := s.apiClient(t, "writer")
		existing := w.createRecipe(t, fullRecipe("Untouchable", "public"))
		count := func(t *testing.T) int { return len(w.listAll(t, "author=writer&limit=100")) }
		before := count(t)

		t.Run("POST", func(t *testing.T) {
			for _, b := range badRecipeBodies {
				t.Run(b.name, func(t *testing.T) {
					b.check(t, w.do(t, "POST", "/api/v1/recipes", b.body, b.opts...))
					if n := count(t); n != before {
						t.Errorf("a refused POST changed the number of recipes from %d to %d", before, n)
					}
				})
			}
		})

		t.Run("PUT and PATCH leave the recipe unchanged", func(t *testing.T) {
			partial := []badBody{
				{name: "empty title", body: raw(`{"title": "  "}`), status: 422, fields: []string{"title"}},
				{name: "bad visibility", body: raw(`{"visibility": "everyone"}`), status: 422, fields: []string{"visibility"}},
				{name: "reversed range", body: raw(`{"ingredients": [{"name": "x", "quantity": 2, "quantity_max": 1}]}`), status: 422, fields: []string{"ingredients[0].quantity_max"}},
			}
			for _, method := range []string{"PUT", "PATCH"} {
				for _, b := range slices.Concat(badRecipeBodies, partial) {
					t.Run(method+"/"+b.name, func(t *testing.T) {
						b.check(t, w.do(t, method, "/api/v1/recipes/"+existing.ID, b.body, b.opts...))
						if got := w.getRecipe(t, existing.ID); !sameRecipe(t, got, existing) {
							t.Errorf("a refused %s changed the recipe:\n got %+v\nwas %+v", method, got, existing)
						}
					})
				}
			}
			if n := count(t); n != before {
				t.Errorf("refused updates changed the number of recipes from %d to %d", before, n)
			}
		})

		t.Run("unknown and malformed ids are 404", func(t *testing.T) {
			for _, id := range []string{
				"00000000-0000-4000-8000-000000000000",
				"not-a-uuid",
				url.PathEscape("../etc"),
				"..%2F..%2Fetc%2Fpasswd",
				strings.Repeat("a", 2000),
				"%00",
				url.PathEscape(existing.ID + "'; DROP TABLE recipes; --"),
				existing.ID + "0",
			} {
				for _, m := range []string{"GET", "PUT", "PATCH", "DELETE"} {
					var body any
					if m == "PUT" || m == "PATCH" {
						body = recipeBody("Ghost", "public")
					}
					w.do(t, m, "/api/v1/recipes/"+id, body).wantProblem(t, http.StatusNotFound)
				}
				s.anon().do(t, "GET", "/api/v1/recipes/"+id, nil).wantProblem(t, http.StatusNotFound)
				w.do(t, "DELETE", "/api/v1/auth/tokens/"+id, nil).wantProblem(t, http.StatusNotFound)
			}
			w.getRecipe(t, existing.ID)
		})

		t.Run("unknown paths are 404 and wrong methods 405 with Allow", func(t *testing.T) {
			for _, p := range []struct{ method, path string }{
				{"GET", "/api/v1/nope"},
				{"GET", "/api/v2/recipes"},
				{"POST", "/api/v1/recipes/" + existing.ID + "/likes"},
				{"GET", "/api/v1/users/"},
				{"GET", "/no-such-page"},
			} {
				w.do(t, p.method, p.path, nil).wantProblem(t, http.StatusNotFound)
			}
			for _, p := range []struct{ method, path, allow string }{
				{"POST", "/api/v1/me", "GET, PATCH, DELETE"},
				{"DELETE", "/api/v1/recipes", "GET, POST"},
				{"POST", "/api/v1/recipes/" + existing.ID, "GET, PUT, PATCH, DELETE"},
				{"GET", "/api/v1/auth/login", "POST"},
				{"PUT", "/api/v1/auth/tokens/abc", "DELETE"},
				{"POST", "/api/v1/users/writer", "GET"},
				{"GET", "/api/v1/me/password", "POST"},
			} {
				res := w.do(t, p.method, p.path, nil)
				res.wantProblem(t, http.StatusMethodNotAllowed)
				if got := res.header.Get("Allow"); got != p.allow {
					t.Errorf("%s %s: Allow %q, want %q", p.method, p.path, got, p.allow)
				}
			}
			if got := w.getRecipe(t, existing.ID); !sameRecipe(t, got, existing) {
				t.Errorf("a 405 on the recipe changed it")
			}
		})
	})
}

// Text that PostgreSQL cannot store (a NUL byte) reaches queries through
// paths, query parameters and the login field; each must be answered as
// the bad or unknown input it is, never with a database error.
func TestUnstorableTextHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		w := s.apiClient(t, "nulls")
		w.createRecipe(t, recipeBody("Visible", "public"))
		for _, tc := range []struct {
			name   string
			method string
			path   string
			body   any
			allow  []int
			// filter: a 200 must list nothing (no recipe has a NUL).
			filter bool
		}{
			{"login", "POST", "/api/v1/auth/login", map[string]any{"login": "nul\x00ls", "password": "whatever it is"}, []int{401, 422}, false},
			{"profile", "GET", "/api/v1/users/nul%00ls", nil, []int{404}, false},
			{"author filter", "GET", "/api/v1/recipes?author=nul%00ls", nil, []int{200, 400}, true},
			{"tag filter", "GET", "/api/v1/recipes?tag=%00", nil, []int{200, 400}, true},
			{"category filter", "GET", "/api/v1/recipes?category=din%00ner", nil, []int{200, 400}, true},
			{"search", "GET", "/api/v1/recipes?q=vis%00ible", nil, []int{200, 400}, false},
			{"register email", "POST", "/api/v1/auth/register", map[string]any{"username": "nully", "email": "nu\x00ll@example.test", "password": testPassword}, []int{422}, false},
			{"profile email", "PATCH", "/api/v1/me", map[string]any{"email": "nu\x00ll@example.test"}, []int{422}, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := w.do(t, tc.method, tc.path, tc.body)
				if !slices.Contains(tc.allow, res.status) {
					t.Fatalf("want one of %v, got %s", tc.allow, res)
				}
				if tc.filter && res.status == http.StatusOK {
					var l listJSON
					res.decode(t, &l)
					if len(l.Items) != 0 {
						t.Errorf("a NUL parameter matched %q", titles(l.Items))
					}
				}
			})
		}
	})
}

// Ids are the canonical UUID strings the API hands out. Other spellings
// of a UUID (braces, urn:uuid:, upper case, no hyphens) are not ids; both
// engines must treat them alike and never fail on them.
func TestNonCanonicalIDsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		w := s.apiClient(t, "spellings")
		r := w.createRecipe(t, recipeBody("Spelled", "public"))
		tok := w.createToken(t, "spare")
		spell := map[string]func(string) string{
			"braces":     func(id string) string { return "{" + id + "}" },
			"urn":        func(id string) string { return "urn:uuid:" + id },
			"upper case": strings.ToUpper,
			"no hyphens": func(id string) string { return strings.ReplaceAll(id, "-", "") },
		}
		for name, f := range spell {
			t.Run(name, func(t *testing.T) {
				w.do(t, "GET", "/api/v1/recipes/"+f(r.ID), nil).wantProblem(t, http.StatusNotFound)
				w.do(t, "DELETE", "/api/v1/auth/tokens/"+f(tok.ID), nil).wantProblem(t, http.StatusNotFound)
			})
		}
		w.getRecipe(t, r.ID)
		w.withToken(tok.Token).me(t)
	})
}
