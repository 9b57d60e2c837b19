package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/store"
)

type shareLinkJSON struct {
	ID         string     `json:"id"`
	RecipeID   string     `json:"recipe_id"`
	Label      string     `json:"label"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Uses       int        `json:"uses"`
	Token      string     `json:"token"`
	URL        string     `json:"url"`
}

type shareListJSON struct {
	Items []shareLinkJSON `json:"items"`
	Max   int             `json:"max"`
}

// setShareFlag stores an override of recipe-share-link and makes this
// process see it at once.
func (s *server) setShareFlag(t *testing.T, o flags.Override) {
	t.Helper()
	o.Environment, o.Key = "development", flags.RecipeShareLink
	if err := s.Store.SetFlagOverride(context.Background(), &o); err != nil {
		t.Fatal(err)
	}
	s.App.Flags().Invalidate()
}

func sharePath(id string) string { return "/api/v1/recipes/" + id + "/share-links" }

// TestShareLinksHTTP: the author makes, lists and revokes links of a
// private recipe; the token opens it for anyone until revoked; others get
// 404 for what they cannot read and 403 for what they read but did not
// write; bad input is 422 before anything is written.
func TestShareLinksHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		s.setShareFlag(t, flags.Override{Enabled: true, RolloutPercent: 100})
		author, other := s.apiClient(t, "author"), s.apiClient(t, "other")
		priv := author.createRecipe(t, recipeBody("Secret stew", "private"))
		pub := author.createRecipe(t, recipeBody("Open pie", "public"))

		var c shareLinkJSON
		res := author.do(t, "POST", sharePath(priv.ID), map[string]any{"label": "for Grandma", "expires": "7d"}).want(t, http.StatusCreated)
		res.decode(t, &c)
		if len(c.Token) != 43 || !strings.HasSuffix(c.URL, "/s/"+c.Token) || c.Label != "for Grandma" || c.ExpiresAt == nil ||
			c.ExpiresAt.Sub(c.CreatedAt) != 7*24*time.Hour || res.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("created: %+v (%s)", c, res)
		}

		// Anyone with the token reads the recipe, signed out or as another
		// user, and the visit counts.
		for _, who := range []*client{s.anon(), other} {
			var got recipeJSON
			res := who.do(t, "GET", "/api/v1/shared/"+c.Token, nil).want(t, http.StatusOK)
			res.decode(t, &got)
			if got.Title != "Secret stew" || res.header.Get("Cache-Control") != "private, no-store" || res.header.Get("Referrer-Policy") != "no-referrer" {
				t.Fatalf("shared recipe: %+v (%s)", got, res)
			}
		}
		var list shareListJSON
		author.do(t, "GET", sharePath(priv.ID), nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != c.ID || list.Items[0].Token != "" || list.Items[0].Uses != 2 || list.Max != store.MaxShareLinksPerRecipe {
			t.Fatalf("list: %+v", list)
		}

		// Managing is the author's: 404 where the recipe is hidden, 403
		// where it is readable, 401 without credentials.
		other.do(t, "GET", sharePath(priv.ID), nil).wantProblem(t, http.StatusNotFound)
		other.do(t, "POST", sharePath(priv.ID), map[string]any{}).wantProblem(t, http.StatusNotFound)
		other.do(t, "DELETE", sharePath(priv.ID)+"/"+c.ID, nil).wantProblem(t, http.StatusNotFound)
		other.do(t, "POST", sharePath(priv.ID)+"/email", map[string]any{"to": "x@example.test"}).wantProblem(t, http.StatusNotFound)
		other.do(t, "GET", sharePath(pub.ID), nil).wantProblem(t, http.StatusForbidden)
		other.do(t, "POST", sharePath(pub.ID), map[string]any{}).wantProblem(t, http.StatusForbidden)
		s.anon().do(t, "GET", sharePath(pub.ID), nil).wantProblem(t, http.StatusUnauthorized)
		author.do(t, "GET", sharePath("0190e4a2-7c1b-7000-8000-000000000000"), nil).wantProblem(t, http.StatusNotFound)

		// Hostile or malformed input: 4xx, nothing written.
		for _, body := range []any{
			map[string]any{"expires": "forever"},
			map[string]any{"expires_at": "2001-01-01"},
			map[string]any{"expires_at": time.Now().AddDate(2, 0, 0).Format("2006-01-02")},
			map[string]any{"expires_at": "not a date"},
			map[string]any{"expires": "7d", "expires_at": time.Now().AddDate(0, 1, 0).Format("2006-01-02")},
			map[string]any{"label": strings.Repeat("l", 81)},
			map[string]any{"label": "bell\a"},
		} {
			author.do(t, "POST", sharePath(priv.ID), body).wantProblem(t, http.StatusUnprocessableEntity)
		}
		author.do(t, "POST", sharePath(priv.ID), raw(`{"label":"x","extra":1}`)).wantProblem(t, http.StatusUnprocessableEntity, "extra")
		author.do(t, "POST", sharePath(priv.ID), raw(`{"label":`)).wantProblem(t, http.StatusBadRequest)
		for _, body := range []any{
			map[string]any{"to": "a@example.test\r\nBcc: victim@example.test"},
			map[string]any{"to": "Eve <eve@example.test>"},
			map[string]any{"to": "a@example.test, b@example.test"},
			map[string]any{"to": "not-an-address"},
			map[string]any{"to": ""},
			map[string]any{"to": "a@example.test", "message": strings.Repeat("m", 501)},
			map[string]any{"to": "a@example.test", "message": "nul\x00"},
		} {
			author.do(t, "POST", sharePath(priv.ID)+"/email", body).wantProblem(t, http.StatusUnprocessableEntity)
		}
		author.do(t, "POST", sharePath(priv.ID)+"/email", map[string]any{"to": "friend@example.test", "message": strings.Repeat("m", 500)}).want(t, http.StatusAccepted)
		var after shareListJSON
		author.do(t, "GET", sharePath(priv.ID), nil).want(t, http.StatusOK).decode(t, &after)
		if len(after.Items) != 1 {
			t.Fatalf("refused requests wrote links: %+v", after)
		}

		// A link with a date; then revocation is immediate, and the
		// revoked, the expired and the unknown token answer alike.
		var dated shareLinkJSON
		author.do(t, "POST", sharePath(pub.ID), map[string]any{"expires_at": time.Now().AddDate(0, 0, 3).Format("2006-01-02")}).
			want(t, http.StatusCreated).decode(t, &dated)
		if dated.ExpiresAt == nil || dated.ExpiresAt.Hour() != 23 {
			t.Fatalf("dated link: %+v", dated)
		}
		author.do(t, "DELETE", sharePath(priv.ID)+"/"+c.ID, nil).want(t, http.StatusNoContent)
		author.do(t, "DELETE", sharePath(priv.ID)+"/"+c.ID, nil).wantProblem(t, http.StatusNotFound)
		revoked := s.anon().do(t, "GET", "/api/v1/shared/"+c.Token, nil).wantProblem(t, http.StatusNotFound)
		unknown := s.anon().do(t, "GET", "/api/v1/shared/"+strings.Repeat("A", 43), nil).wantProblem(t, http.StatusNotFound)
		short := s.anon().do(t, "GET", "/api/v1/shared/short", nil).wantProblem(t, http.StatusNotFound)
		if revoked.Detail != unknown.Detail || unknown.Detail != short.Detail {
			t.Errorf("revoked %q, unknown %q and malformed %q tokens answer differently", revoked.Detail, unknown.Detail, short.Detail)
		}
		s.anon().do(t, "GET", "/api/v1/shared/"+dated.Token, nil).want(t, http.StatusOK)

		// The cap: at the most live links, 409 for a new one and for email.
		for range store.MaxShareLinksPerRecipe {
			author.do(t, "POST", sharePath(priv.ID), map[string]any{})
		}
		author.do(t, "POST", sharePath(priv.ID), map[string]any{}).wantProblem(t, http.StatusConflict)
		author.do(t, "POST", sharePath(priv.ID)+"/email", map[string]any{"to": "friend@example.test"}).wantProblem(t, http.StatusConflict)
	})
}

// TestShareLinksFlagHTTP: with recipe-share-link off for a user, every
// management route is 404 for them; a link's page follows the flag of
// the recipe's author, so the kill switch closes every link at once.
func TestShareLinksFlagHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		author, other := s.apiClient(t, "author"), s.apiClient(t, "other")
		priv := author.createRecipe(t, recipeBody("Secret stew", "private"))
		// Declared default: off, the routes do not exist for anyone.
		author.do(t, "GET", sharePath(priv.ID), nil).wantProblem(t, http.StatusNotFound)
		author.do(t, "POST", sharePath(priv.ID), map[string]any{}).wantProblem(t, http.StatusNotFound)

		s.setShareFlag(t, flags.Override{Enabled: true, AllowUsers: []string{author.user.ID}})
		var c shareLinkJSON
		author.do(t, "POST", sharePath(priv.ID), map[string]any{}).want(t, http.StatusCreated).decode(t, &c)
		// Off for the visitor, on for the author: the link works.
		other.do(t, "GET", "/api/v1/shared/"+c.Token, nil).want(t, http.StatusOK)
		other.do(t, "GET", sharePath(priv.ID), nil).wantProblem(t, http.StatusNotFound)

		s.setShareFlag(t, flags.Override{Enabled: false, RolloutPercent: 100, AllowUsers: []string{author.user.ID}})
		s.anon().do(t, "GET", "/api/v1/shared/"+c.Token, nil).wantProblem(t, http.StatusNotFound)
		author.do(t, "GET", sharePath(priv.ID), nil).wantProblem(t, http.StatusNotFound)
		author.do(t, "DELETE", sharePath(priv.ID)+"/"+c.ID, nil).wantProblem(t, http.StatusNotFound)
	})
}
