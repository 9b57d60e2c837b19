package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/collection"
)

type collectionJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Visibility  string `json:"visibility"`
	RecipeCount int    `json:"recipe_count"`
	Owner       struct {
		Username string `json:"username"`
	} `json:"owner"`
	Cover *struct {
		ID string `json:"id"`
	} `json:"cover"`
}

type collectionItemsJSON struct {
	Items []struct {
		Position int        `json:"position"`
		Recipe   recipeJSON `json:"recipe"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func (c *client) createCollection(t *testing.T, name, visibility string) collectionJSON {
	t.Helper()
	var out collectionJSON
	res := c.do(t, "POST", "/api/v1/collections", map[string]any{"name": name, "visibility": visibility}).want(t, http.StatusCreated)
	res.decode(t, &out)
	if res.header.Get("Location") != "/api/v1/collections/"+out.ID {
		t.Fatalf("Location %q for %s", res.header.Get("Location"), out.ID)
	}
	return out
}

// titlesIn are the titles c gets listing collection id, checking the
// positions run 1, 2, 3, ...
func (c *client) titlesIn(t *testing.T, id string) []string {
	t.Helper()
	var page collectionItemsJSON
	c.do(t, "GET", "/api/v1/collections/"+id+"/recipes", nil).want(t, http.StatusOK).decode(t, &page)
	out := []string{}
	for i, it := range page.Items {
		if it.Position != i+1 {
			t.Fatalf("item %d at position %d", i, it.Position)
		}
		out = append(out, it.Recipe.Title)
	}
	return out
}

func TestCollectionsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		alice, bob := s.apiClient(t, "alice"), s.apiClient(t, "bob")
		c := alice.createCollection(t, "Sunday lunch", "public")
		if c.Owner.Username != "alice" || c.RecipeCount != 0 || c.Cover != nil {
			t.Fatalf("created %+v", c)
		}
		soup := alice.createRecipe(t, recipeBody("Soup", "public"))
		pie := bob.createRecipe(t, recipeBody("Bob's pie", "public"))
		bread := alice.createRecipe(t, recipeBody("Bread", "private"))
		for i, id := range []string{soup.ID, pie.ID, bread.ID} {
			var place struct {
				RecipeID string `json:"recipe_id"`
				Position int    `json:"position"`
			}
			alice.do(t, "POST", "/api/v1/collections/"+c.ID+"/recipes", map[string]any{"recipe_id": id}).want(t, http.StatusCreated).decode(t, &place)
			if place.RecipeID != id || place.Position != i+1 {
				t.Fatalf("added %s: %+v", id, place)
			}
		}
		alice.do(t, "POST", "/api/v1/collections/"+c.ID+"/recipes", map[string]any{"recipe_id": soup.ID}).want(t, http.StatusOK)

		if got := strings.Join(alice.titlesIn(t, c.ID), ","); got != "Soup,Bob's pie,Bread" {
			t.Fatalf("alice sees %s", got)
		}
		// Alice's private bread is hers alone.
		if got := strings.Join(s.anon().titlesIn(t, c.ID), ","); got != "Soup,Bob's pie" {
			t.Fatalf("a visitor sees %s", got)
		}
		// Bob makes his pie private: strangers no longer see it, he does.
		bob.do(t, "PATCH", "/api/v1/recipes/"+pie.ID, map[string]any{"visibility": "private"}).want(t, http.StatusOK)
		if got := strings.Join(s.anon().titlesIn(t, c.ID), ","); got != "Soup" {
			t.Fatalf("a visitor sees %s", got)
		}
		if got := strings.Join(bob.titlesIn(t, c.ID), ","); got != "Soup,Bob's pie" {
			t.Fatalf("bob sees %s", got)
		}
		var seen collectionJSON
		res := s.anon().do(t, "GET", "/api/v1/collections/"+c.ID, nil).want(t, http.StatusOK)
		res.decode(t, &seen)
		if seen.RecipeCount != 1 {
			t.Fatalf("a visitor's count: %+v", seen)
		}
		alice.do(t, "GET", "/api/v1/collections/"+c.ID, nil).want(t, http.StatusOK).decode(t, &seen)
		if seen.RecipeCount != 2 {
			t.Fatalf("alice's count: %+v", seen)
		}

		// Reorder and remove.
		var place struct{ Position int }
		alice.do(t, "PATCH", "/api/v1/collections/"+c.ID+"/recipes/"+bread.ID, map[string]any{"position": 1}).want(t, http.StatusOK).decode(t, &place)
		if place.Position != 1 {
			t.Fatalf("moved to %d", place.Position)
		}
		alice.do(t, "PATCH", "/api/v1/collections/"+c.ID+"/recipes/"+soup.ID, map[string]any{"position": 99}).want(t, http.StatusOK).decode(t, &place)
		if got := strings.Join(alice.titlesIn(t, c.ID), ","); got != "Bread,Soup" || place.Position != 2 {
			t.Fatalf("after moves alice sees %s (soup at %d)", got, place.Position)
		}
		for range 2 {
			alice.do(t, "DELETE", "/api/v1/collections/"+c.ID+"/recipes/"+bread.ID, nil).want(t, http.StatusNoContent)
		}
		if got := strings.Join(alice.titlesIn(t, c.ID), ","); got != "Soup" {
			t.Fatalf("after removing, alice sees %s", got)
		}

		// Paging.
		for i := range 3 {
			r := alice.createRecipe(t, recipeBody(fmt.Sprintf("Extra %d", i), "public"))
			alice.do(t, "POST", "/api/v1/collections/"+c.ID+"/recipes", map[string]any{"recipe_id": r.ID}).want(t, http.StatusCreated)
		}
		var first, second collectionItemsJSON
		alice.do(t, "GET", "/api/v1/collections/"+c.ID+"/recipes?limit=2", nil).want(t, http.StatusOK).decode(t, &first)
		alice.do(t, "GET", "/api/v1/collections/"+c.ID+"/recipes?limit=2&cursor="+first.NextCursor, nil).want(t, http.StatusOK).decode(t, &second)
		if len(first.Items) != 2 || len(second.Items) != 2 || second.NextCursor != "" || second.Items[0].Position != 3 {
			t.Fatalf("pages: %+v then %+v", first, second)
		}

		// Edit, list, delete.
		var edited collectionJSON
		alice.do(t, "PATCH", "/api/v1/collections/"+c.ID, map[string]any{"description": "For slow days"}).want(t, http.StatusOK).decode(t, &edited)
		if edited.Name != "Sunday lunch" || edited.Description != "For slow days" || edited.Visibility != "public" {
			t.Fatalf("edited %+v", edited)
		}
		hidden := alice.createCollection(t, "Secret", "unlisted")
		var list struct{ Items []collectionJSON }
		alice.do(t, "GET", "/api/v1/collections", nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 2 {
			t.Fatalf("alice's collections: %+v", list)
		}
		res = s.anon().do(t, "GET", "/api/v1/users/alice/collections", nil).want(t, http.StatusOK)
		res.decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != c.ID {
			t.Fatalf("alice's public collections: %+v", list)
		}
		if cc := s.anon().do(t, "GET", "/api/v1/collections/"+hidden.ID, nil).want(t, http.StatusOK).header.Get("Cache-Control"); cc != "private, no-store" {
			t.Fatalf("an unlisted collection's Cache-Control: %q", cc)
		}
		alice.do(t, "DELETE", "/api/v1/collections/"+c.ID, nil).want(t, http.StatusNoContent)
		alice.do(t, "GET", "/api/v1/collections/"+c.ID, nil).wantProblem(t, http.StatusNotFound)
		alice.getRecipe(t, soup.ID) // the recipes stay
	})
}

// TestCollectionsHTTPRefusals sends every kind of refusal: 401 without
// credentials, 400 for a malformed body or query, 413, 415, 422 with the
// fields, 403 on someone else's visible collection, 404 for a hidden or
// missing one (the same answer), 409 at the cap.
func TestCollectionsHTTPRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		alice, bob, anon := s.apiClient(t, "alice"), s.apiClient(t, "bob"), s.anon()
		pub := alice.createCollection(t, "Public one", "public")
		priv := alice.createCollection(t, "Private one", "private")
		mine := alice.createRecipe(t, recipeBody("Mine", "public"))
		bobsPrivate := bob.createRecipe(t, recipeBody("Bob's secret", "private"))
		alice.do(t, "POST", "/api/v1/collections/"+pub.ID+"/recipes", map[string]any{"recipe_id": mine.ID}).want(t, http.StatusCreated)
		item := "/api/v1/collections/" + pub.ID + "/recipes/" + mine.ID

		// 401.
		for _, rq := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/api/v1/collections", nil},
			{"POST", "/api/v1/collections", map[string]any{"name": "x"}},
			{"PATCH", "/api/v1/collections/" + pub.ID, map[string]any{"name": "x"}},
			{"DELETE", "/api/v1/collections/" + pub.ID, nil},
			{"POST", "/api/v1/collections/" + pub.ID + "/recipes", map[string]any{"recipe_id": mine.ID}},
			{"PATCH", item, map[string]any{"position": 1}},
			{"DELETE", item, nil},
		} {
			anon.do(t, rq.method, rq.path, rq.body).wantProblem(t, http.StatusUnauthorized)
		}

		// 400, 413, 415, 422 on bodies, before anything is written.
		alice.do(t, "POST", "/api/v1/collections", raw(`{"name":`)).wantProblem(t, http.StatusBadRequest)
		alice.do(t, "POST", "/api/v1/collections", raw(`{"name": "x"}`), header("Content-Type", "text/plain")).wantProblem(t, http.StatusUnsupportedMediaType)
		alice.do(t, "POST", "/api/v1/collections", map[string]any{"name": strings.Repeat("x", 2<<20)}).wantProblem(t, http.StatusRequestEntityTooLarge)
		alice.do(t, "POST", "/api/v1/collections", map[string]any{"name": " ", "description": strings.Repeat("d", collection.MaxDescription+1),
			"visibility": "friends"}).wantProblem(t, http.StatusUnprocessableEntity, "name", "description", "visibility")
		alice.do(t, "POST", "/api/v1/collections", map[string]any{"name": strings.Repeat("n", collection.MaxName+1)}).wantProblem(t, http.StatusUnprocessableEntity, "name")
		alice.do(t, "POST", "/api/v1/collections", map[string]any{"name": "ok", "colour": "red"}).wantProblem(t, http.StatusUnprocessableEntity, "colour")
		alice.do(t, "PATCH", "/api/v1/collections/"+pub.ID, map[string]any{"name": ""}).wantProblem(t, http.StatusUnprocessableEntity, "name")
		alice.do(t, "PATCH", "/api/v1/collections/"+pub.ID, map[string]any{"name": 5}).wantProblem(t, http.StatusBadRequest)
		alice.do(t, "POST", "/api/v1/collections/"+pub.ID+"/recipes", map[string]any{}).wantProblem(t, http.StatusUnprocessableEntity, "recipe_id")
		for _, body := range []map[string]any{{}, {"position": 0}, {"position": collection.MaxRecipes + 1}} {
			alice.do(t, "PATCH", item, body).wantProblem(t, http.StatusUnprocessableEntity, "position")
		}
		for _, q := range []string{"limit=0", "limit=101", "limit=x", "sort=title", "limit=1&limit=2", "cursor=nonsense"} {
			alice.do(t, "GET", "/api/v1/collections/"+pub.ID+"/recipes?"+q, nil).wantProblem(t, http.StatusBadRequest)
		}
		var list struct{ Items []collectionJSON }
		alice.do(t, "GET", "/api/v1/collections", nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 2 || list.Items[1].Name != "Public one" {
			t.Fatalf("a refused request wrote: %+v", list)
		}

		// 403: someone else's collection that bob may see.
		bob.do(t, "PATCH", "/api/v1/collections/"+pub.ID, map[string]any{"name": "Bob's now"}).wantProblem(t, http.StatusForbidden)
		bob.do(t, "DELETE", "/api/v1/collections/"+pub.ID, nil).wantProblem(t, http.StatusForbidden)
		bob.do(t, "POST", "/api/v1/collections/"+pub.ID+"/recipes", map[string]any{"recipe_id": mine.ID}).wantProblem(t, http.StatusForbidden)
		bob.do(t, "PATCH", item, map[string]any{"position": 1}).wantProblem(t, http.StatusForbidden)
		bob.do(t, "DELETE", item, nil).wantProblem(t, http.StatusForbidden)

		// 404: a private collection of someone else answers as a missing
		// one, on every route.
		missing := "0190b6c0-0000-7000-8000-000000000000"
		for _, id := range []string{priv.ID, missing, "not-an-id"} {
			for _, c := range []*client{bob, anon} {
				c.do(t, "GET", "/api/v1/collections/"+id, nil).wantProblem(t, http.StatusNotFound)
				c.do(t, "GET", "/api/v1/collections/"+id+"/recipes", nil).wantProblem(t, http.StatusNotFound)
			}
			bob.do(t, "PATCH", "/api/v1/collections/"+id, map[string]any{"name": "x"}).wantProblem(t, http.StatusNotFound)
			bob.do(t, "DELETE", "/api/v1/collections/"+id, nil).wantProblem(t, http.StatusNotFound)
			bob.do(t, "POST", "/api/v1/collections/"+id+"/recipes", map[string]any{"recipe_id": mine.ID}).wantProblem(t, http.StatusNotFound)
			bob.do(t, "PATCH", "/api/v1/collections/"+id+"/recipes/"+mine.ID, map[string]any{"position": 1}).wantProblem(t, http.StatusNotFound)
			bob.do(t, "DELETE", "/api/v1/collections/"+id+"/recipes/"+mine.ID, nil).wantProblem(t, http.StatusNotFound)
		}
		// A recipe alice may not read is missing to her, in both places.
		for _, id := range []string{bobsPrivate.ID, missing, "not-an-id"} {
			alice.do(t, "POST", "/api/v1/collections/"+pub.ID+"/recipes", map[string]any{"recipe_id": id}).wantProblem(t, http.StatusNotFound)
			alice.do(t, "PATCH", "/api/v1/collections/"+pub.ID+"/recipes/"+id, map[string]any{"position": 1}).wantProblem(t, http.StatusNotFound)
		}
		anon.do(t, "GET", "/api/v1/users/nobody/collections", nil).wantProblem(t, http.StatusNotFound)

		// 409 at the cap of collections.
		for i := len(list.Items); i < collection.MaxPerUser; i++ {
			if _, err := s.Store.CreateCollection(context.Background(), alice.user.ID, collection.Input{Name: fmt.Sprintf("c%03d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		alice.do(t, "POST", "/api/v1/collections", map[string]any{"name": "one too many"}).wantProblem(t, http.StatusConflict)
	})
}
