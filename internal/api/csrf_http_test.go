package api_test

import (
	"net/http"
	"testing"
)

// A browser's cookie goes with any request a page on another site makes;
// cross-origin protection must refuse those that change data and let the
// site's own pages through.
func TestCrossOriginProtectionHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		b := s.register(t, "browsing")
		r := b.createRecipe(t, recipeBody("Mine", "public"))
		count := func(t *testing.T) int { return len(b.listAll(t, "author=browsing&limit=100")) }
		before := count(t)

		crossSite := []struct {
			name string
			opt  reqOpt
		}{
			{"Sec-Fetch-Site cross-site", header("Sec-Fetch-Site", "cross-site")},
			{"Sec-Fetch-Site same-site", header("Sec-Fetch-Site", "same-site")},
			{"Origin of another host", header("Origin", "http://evil.example")},
		}
		for _, cs := range crossSite {
			t.Run(cs.name, func(t *testing.T) {
				b.do(t, "POST", "/api/v1/recipes", recipeBody("Forged", "public"), cs.opt).wantProblem(t, http.StatusForbidden)
				b.do(t, "PATCH", "/api/v1/recipes/"+r.ID, map[string]any{"title": "Forged"}, cs.opt).wantProblem(t, http.StatusForbidden)
				b.do(t, "DELETE", "/api/v1/recipes/"+r.ID, nil, cs.opt).wantProblem(t, http.StatusForbidden)
				b.do(t, "PATCH", "/api/v1/me", map[string]any{"display_name": "Forged"}, cs.opt).wantProblem(t, http.StatusForbidden)
				b.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": testPassword, "new_password": "forged new password"}, cs.opt).
					wantProblem(t, http.StatusForbidden)
				b.do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "forged"}, cs.opt).wantProblem(t, http.StatusForbidden)
				b.do(t, "POST", "/api/v1/auth/logout", nil, cs.opt).wantProblem(t, http.StatusForbidden)
				s.browser().do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "browsing", "password": testPassword}, cs.opt).
					wantProblem(t, http.StatusForbidden)

				// Nothing changed, and the session is still there.
				if got := b.getRecipe(t, r.ID); !sameRecipe(t, got, r) {
					t.Errorf("a cross-site request changed the recipe")
				}
				if n := count(t); n != before {
					t.Errorf("a cross-site POST created a recipe (%d → %d)", before, n)
				}
				if me := b.me(t); me.DisplayName != "browsing" {
					t.Errorf("a cross-site PATCH /me set the display name to %q", me.DisplayName)
				}
				var toks struct {
					Items []tokenJSON `json:"items"`
				}
				b.do(t, "GET", "/api/v1/auth/tokens", nil).want(t, http.StatusOK).decode(t, &toks)
				if len(toks.Items) != 0 {
					t.Errorf("a cross-site POST created a token: %+v", toks.Items)
				}
				// Reading is not refused.
				b.do(t, "GET", "/api/v1/recipes/"+r.ID, nil, cs.opt).want(t, http.StatusOK)
			})
		}
		// The password is still the old one (a new session proves it).
		s.login(t, "browsing", testPassword)

		t.Run("same origin is allowed", func(t *testing.T) {
			b.do(t, "POST", "/api/v1/recipes", recipeBody("Same origin by fetch metadata", "public"),
				header("Sec-Fetch-Site", "same-origin")).want(t, http.StatusCreated)
			b.do(t, "POST", "/api/v1/recipes", recipeBody("Same origin by Origin", "public"),
				header("Origin", s.URL)).want(t, http.StatusCreated)
			b.do(t, "PATCH", "/api/v1/recipes/"+r.ID, map[string]any{"title": "Renamed at home"},
				header("Sec-Fetch-Site", "same-origin"), header("Origin", s.URL)).want(t, http.StatusOK)
			if n := count(t); n != before+2 {
				t.Errorf("same-origin POSTs made %d recipes, want %d", n, before+2)
			}
			b.do(t, "POST", "/api/v1/auth/logout", nil, header("Sec-Fetch-Site", "same-origin")).want(t, http.StatusNoContent)
			b.do(t, "GET", "/api/v1/me", nil).wantUnauthorized(t)
		})
	})
}
