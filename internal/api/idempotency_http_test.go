package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func (s *server) recipesOf(t *testing.T, c *client) int {
	t.Helper()
	n, err := s.Store.CountVisibleRecipes(context.Background(), c.user.ID, c.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestIdempotencyKeyReplaysCreate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		c := s.apiClient(t, "keyholder")
		body := recipeBody("Keyed soup", "private")
		key := header("Idempotency-Key", "3b4e1c2a-0d1f-4c55-9e0b-5c1d2e3f4a5b")

		first := c.do(t, "POST", "/api/v1/recipes", body, key).want(t, http.StatusCreated)
		var a, b recipeJSON
		first.decode(t, &a)
		again := c.do(t, "POST", "/api/v1/recipes", body, key).want(t, http.StatusCreated)
		again.decode(t, &b)
		if a.ID == "" || a.ID != b.ID {
			t.Errorf("retry created %q, first %q: want the same recipe", b.ID, a.ID)
		}
		if again.header.Get("Location") != first.header.Get("Location") || again.header.Get("Location") == "" {
			t.Errorf("retry Location %q, first %q", again.header.Get("Location"), first.header.Get("Location"))
		}
		if again.header.Get("Idempotent-Replayed") != "true" || first.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("Idempotent-Replayed: first %q, retry %q; want \"\" then \"true\"",
				first.header.Get("Idempotent-Replayed"), again.header.Get("Idempotent-Replayed"))
		}
		if !strings.HasPrefix(again.header.Get("Content-Type"), "application/json") {
			t.Errorf("retry Content-Type %q", again.header.Get("Content-Type"))
		}
		if string(again.body) != string(first.body) {
			t.Errorf("retry body differs:\n%s\n%s", first.body, again.body)
		}
		// The draft's structured-field form names the same key.
		c.do(t, "POST", "/api/v1/recipes", body, header("Idempotency-Key", `"3b4e1c2a-0d1f-4c55-9e0b-5c1d2e3f4a5b"`)).
			want(t, http.StatusCreated)
		if n := s.recipesOf(t, c); n != 1 {
			t.Errorf("%d recipes after retries, want 1", n)
		}

		// The same key with another body is refused and creates nothing.
		c.do(t, "POST", "/api/v1/recipes", recipeBody("Other soup", "private"), key).
			wantProblem(t, http.StatusUnprocessableEntity)
		if n := s.recipesOf(t, c); n != 1 {
			t.Errorf("%d recipes after a reused key, want 1", n)
		}

		// Keys are per user: another user's same key is a new request.
		other := s.apiClient(t, "otherholder")
		var o recipeJSON
		other.do(t, "POST", "/api/v1/recipes", body, key).want(t, http.StatusCreated).decode(t, &o)
		if o.ID == a.ID {
			t.Error("another user's request with the same key got the first user's recipe")
		}
	})
}

func TestWithoutIdempotencyKeyEachPostCreates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		c := s.apiClient(t, "keyless")
		body := recipeBody("Twice", "private")
		a := c.createRecipe(t, body)
		b := c.createRecipe(t, body)
		if a.ID == b.ID {
			t.Error("two posts without a key made one recipe")
		}
		if n := s.recipesOf(t, c); n != 2 {
			t.Errorf("%d recipes, want 2", n)
		}
	})
}

func TestIdempotencyKeyRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		c := s.apiClient(t, "badkeys")
		body := recipeBody("Refused", "private")
		for name, k := range map[string]string{
			"too long":          strings.Repeat("k", 256),
			"control character": "abc\tdef",
			"not ASCII":         "clé",
			"empty quoted":      `""`,
		} {
			res := c.do(t, "POST", "/api/v1/recipes", body, header("Idempotency-Key", k))
			if res.status != http.StatusBadRequest {
				t.Errorf("%s key: %d, want 400", name, res.status)
			}
		}
		two := func(r *http.Request) {
			r.Header.Add("Idempotency-Key", "one")
			r.Header.Add("Idempotency-Key", "two")
		}
		c.do(t, "POST", "/api/v1/recipes", body, two).wantProblem(t, http.StatusBadRequest)
		c.do(t, "POST", "/api/v1/recipes", body, header("Idempotency-Key", strings.Repeat("k", 255))).want(t, http.StatusCreated)
		if n := s.recipesOf(t, c); n != 1 {
			t.Errorf("%d recipes, want only the one with a valid key", n)
		}

		// An invalid request is not recorded: the same key then serves
		// the corrected request.
		key := header("Idempotency-Key", "fix-and-retry")
		c.do(t, "POST", "/api/v1/recipes", map[string]any{"title": ""}, key).wantProblem(t, http.StatusUnprocessableEntity, "title")
		c.do(t, "POST", "/api/v1/recipes", recipeBody("Fixed", "private"), key).want(t, http.StatusCreated)

		// Anonymous: the key does not matter, the answer is 401.
		s.anon().do(t, "POST", "/api/v1/recipes", body, key).wantProblem(t, http.StatusUnauthorized)
	})
}
