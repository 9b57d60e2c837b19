package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

type commentJSON struct {
	ID       string `json:"id"`
	RecipeID string `json:"recipe_id"`
	Author   struct {
		ID          string `json:"id"`
		Username    string `json:"username"`
		DisplayName string `json:"display_name"`
	} `json:"author"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	EditedAt  *time.Time `json:"edited_at"`
	CanEdit   bool       `json:"can_edit"`
	CanDelete bool       `json:"can_delete"`
}

type commentListJSON struct {
	Items      []commentJSON `json:"items"`
	Count      int           `json:"count"`
	NextCursor string        `json:"next_cursor"`
}

func commentsPath(recipeID string) string { return "/api/v1/recipes/" + recipeID + "/comments" }

func (c *client) addComment(t *testing.T, recipeID, body string) commentJSON {
	t.Helper()
	var out commentJSON
	res := c.do(t, "POST", commentsPath(recipeID), map[string]any{"body": body}).want(t, http.StatusCreated)
	res.decode(t, &out)
	if loc := res.header.Get("Location"); loc != commentsPath(recipeID)+"/"+out.ID {
		t.Errorf("Location %q", loc)
	}
	return out
}

func (c *client) comments(t *testing.T, recipeID, query string) commentListJSON {
	t.Helper()
	var out commentListJSON
	c.do(t, "GET", commentsPath(recipeID)+query, nil).want(t, http.StatusOK).decode(t, &out)
	return out
}

func commentBodies(items []commentJSON) []string {
	out := make([]string, len(items))
	for i, c := range items {
		out[i] = c.Body
	}
	return out
}

func TestCommentsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		author, fan, other := s.apiClient(t, "author"), s.apiClient(t, "fan"), s.apiClient(t, "other")
		r := author.createRecipe(t, recipeBody("Fig jam", "public"))

		c := fan.addComment(t, r.ID, "  Set beautifully.\r\nThanks!  ")
		if c.Body != "Set beautifully.\nThanks!" || c.RecipeID != r.ID || c.Author.Username != "fan" || c.EditedAt != nil || !c.CanEdit || !c.CanDelete {
			t.Fatalf("posted: %+v", c)
		}
		second := other.addComment(t, r.ID, "See https://example.com/figs <b>bold</b>")
		if second.Body != "See https://example.com/figs <b>bold</b>" {
			t.Fatalf("the API keeps the text as written: %q", second.Body)
		}

		// Everyone reads them, newest first; what each may do differs.
		anon := s.anon().comments(t, r.ID, "")
		if anon.Count != 2 || !slices.Equal(commentBodies(anon.Items), []string{second.Body, c.Body}) || anon.NextCursor != "" {
			t.Fatalf("anonymous list: %+v", anon)
		}
		if anon.Items[0].CanEdit || anon.Items[0].CanDelete {
			t.Errorf("a visitor may edit or delete: %+v", anon.Items[0])
		}
		byAuthor := author.comments(t, r.ID, "?order=oldest")
		if byAuthor.Items[0].ID != c.ID || byAuthor.Items[0].CanEdit || !byAuthor.Items[0].CanDelete {
			t.Fatalf("the recipe's author may remove but not edit: %+v", byAuthor.Items[0])
		}
		res := fan.do(t, "GET", commentsPath(r.ID), nil).want(t, http.StatusOK)
		if res.header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("a signed-in list may be cached: %q", res.header.Get("Cache-Control"))
		}
		// The recipe carries its count.
		var rec struct {
			CommentCount *int `json:"comment_count"`
		}
		s.anon().do(t, "GET", "/api/v1/recipes/"+r.ID, nil).want(t, http.StatusOK).decode(t, &rec)
		if rec.CommentCount == nil || *rec.CommentCount != 2 {
			t.Fatalf("recipe comment_count %v", rec.CommentCount)
		}

		// Edit: the author of the comment only.
		one := commentsPath(r.ID) + "/" + c.ID
		author.do(t, "PATCH", one, map[string]any{"body": "Hijacked"}).wantProblem(t, http.StatusForbidden)
		other.do(t, "PATCH", one, map[string]any{"body": "Hijacked"}).wantProblem(t, http.StatusForbidden)
		var edited commentJSON
		fan.do(t, "PATCH", one, map[string]any{"body": "Set beautifully, twice."}).want(t, http.StatusOK).decode(t, &edited)
		if edited.Body != "Set beautifully, twice." || edited.EditedAt == nil || !edited.CreatedAt.Equal(c.CreatedAt) {
			t.Fatalf("edited: %+v", edited)
		}
		if got := s.anon().comments(t, r.ID, "?order=oldest").Items[0]; got.EditedAt == nil || got.Body != edited.Body {
			t.Fatalf("listed after the edit: %+v", got)
		}

		// Delete: a stranger may not; the recipe's author and the
		// comment's may.
		fan.do(t, "DELETE", commentsPath(r.ID)+"/"+second.ID, nil).wantProblem(t, http.StatusForbidden)
		author.do(t, "DELETE", commentsPath(r.ID)+"/"+second.ID, nil).want(t, http.StatusNoContent)
		fan.do(t, "DELETE", one, nil).want(t, http.StatusNoContent)
		fan.do(t, "DELETE", one, nil).wantProblem(t, http.StatusNotFound)
		if l := s.anon().comments(t, r.ID, ""); l.Count != 0 || len(l.Items) != 0 || l.Items == nil {
			t.Fatalf("after deleting: %+v", l)
		}

		// An Idempotency-Key makes a retried post one comment.
		for range 2 {
			fan.do(t, "POST", commentsPath(r.ID), map[string]any{"body": "Once only"}, header("Idempotency-Key", "comment-1")).want(t, http.StatusCreated)
		}
		if l := s.anon().comments(t, r.ID, ""); l.Count != 1 {
			t.Fatalf("a retried post made %d comments", l.Count)
		}
	})
}

// Pages of a list follow each other without gap or repeat, in both
// orders.
func TestCommentPagesHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		author, fan := s.apiClient(t, "author"), s.apiClient(t, "fan")
		r := author.createRecipe(t, recipeBody("Fig jam", "public"))
		var want []string
		for i := range 7 {
			want = append(want, fan.addComment(t, r.ID, "comment "+string(rune('a'+i))).Body)
		}
		for _, order := range []string{"oldest", "newest"} {
			var got []string
			cursor := ""
			for range 10 {
				l := s.anon().comments(t, r.ID, "?order="+order+"&limit=3&cursor="+cursor)
				if l.Count != 7 || len(l.Items) > 3 {
					t.Fatalf("page: %+v", l)
				}
				got = append(got, commentBodies(l.Items)...)
				if cursor = l.NextCursor; cursor == "" {
					break
				}
			}
			w := slices.Clone(want)
			if order == "newest" {
				slices.Reverse(w)
			}
			if !slices.Equal(got, w) {
				t.Fatalf("%s first: %q, want %q", order, got, w)
			}
		}
		first := s.anon().comments(t, r.ID, "?limit=2")
		p := s.anon().do(t, "GET", commentsPath(r.ID)+"?order=oldest&cursor="+first.NextCursor, nil).wantProblem(t, http.StatusBadRequest, "cursor")
		if !strings.Contains(p.Detail, "cursor") {
			t.Errorf("detail %q", p.Detail)
		}
	})
}

// Every way to get these routes wrong is a 4xx problem, the same for a
// hidden recipe as for a missing one, and none writes.
func TestCommentsBadInputHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		author, stranger := s.apiClient(t, "author"), s.apiClient(t, "stranger")
		pub := author.createRecipe(t, recipeBody("Pear tart", "public"))
		other := author.createRecipe(t, recipeBody("Plum tart", "public"))
		private := author.createRecipe(t, recipeBody("Secret tart", "private"))
		mine := stranger.addComment(t, pub.ID, "Mine")
		onPrivate := author.addComment(t, private.ID, "Note to self")
		missingID := "00000000-0000-4000-8000-000000000001"
		missing := stranger.do(t, "GET", commentsPath(missingID), nil).wantProblem(t, http.StatusNotFound)

		// Anonymous writes: 401 with a challenge.
		for _, c := range []struct{ method, path string }{
			{"POST", commentsPath(pub.ID)}, {"PATCH", commentsPath(pub.ID) + "/" + mine.ID}, {"DELETE", commentsPath(pub.ID) + "/" + mine.ID},
		} {
			res := s.anon().do(t, c.method, c.path, map[string]any{"body": "hi"})
			res.wantProblem(t, http.StatusUnauthorized)
			if res.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: 401 without a challenge", c.method, c.path)
			}
		}
		// A private recipe of someone else, a missing one, a malformed id,
		// a comment under the wrong recipe or no such comment: one 404.
		same := func(p problem, what string) {
			t.Helper()
			if p.Detail != missing.Detail || p.Title != missing.Title {
				t.Errorf("%s: %+v differs from a missing recipe's %+v", what, p, missing)
			}
		}
		for _, id := range []string{private.ID, missingID, "not-an-id"} {
			for _, method := range []string{"GET", "POST"} {
				same(stranger.do(t, method, commentsPath(id), map[string]any{"body": "hi"}).wantProblem(t, http.StatusNotFound), method+" "+id)
			}
			same(s.anon().do(t, "GET", commentsPath(id), nil).wantProblem(t, http.StatusNotFound), "anonymous GET "+id)
			for _, method := range []string{"PATCH", "DELETE"} {
				same(stranger.do(t, method, commentsPath(id)+"/"+onPrivate.ID, map[string]any{"body": "hi"}).wantProblem(t, http.StatusNotFound), method+" "+id)
			}
		}
		for _, path := range []string{commentsPath(other.ID) + "/" + mine.ID, commentsPath(pub.ID) + "/" + missingID, commentsPath(pub.ID) + "/nope", commentsPath(pub.ID) + "/" + onPrivate.ID} {
			for _, method := range []string{"PATCH", "DELETE"} {
				same(stranger.do(t, method, path, map[string]any{"body": "hi"}).wantProblem(t, http.StatusNotFound), method+" "+path)
			}
		}

		// Bodies: judged before the recipe, so a hidden recipe answers
		// the same as a visible one.
		for _, c := range []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"empty", map[string]any{"body": ""}, http.StatusUnprocessableEntity, "body"},
			{"blank", map[string]any{"body": " \n\t "}, http.StatusUnprocessableEntity, "body"},
			{"missing", map[string]any{}, http.StatusUnprocessableEntity, "body"},
			{"null", map[string]any{"body": nil}, http.StatusUnprocessableEntity, "body"},
			{"too long", map[string]any{"body": strings.Repeat("ü", 5001)}, http.StatusUnprocessableEntity, "body"},
			{"control character", map[string]any{"body": "a\u0007b"}, http.StatusUnprocessableEntity, "body"},
			{"NUL", map[string]any{"body": "a\u0000b"}, http.StatusUnprocessableEntity, "body"},
			{"unknown field", map[string]any{"body": "hi", "html": "<b>"}, http.StatusUnprocessableEntity, "html"},
			{"number", map[string]any{"body": 5}, http.StatusBadRequest, ""},
			{"array", raw(`["hi"]`), http.StatusBadRequest, ""},
			{"truncated", raw(`{"body":`), http.StatusBadRequest, ""},
			{"no body", nil, http.StatusBadRequest, ""},
		} {
			var fields []string
			if c.field != "" {
				fields = append(fields, c.field)
			}
			for _, id := range []string{pub.ID, private.ID} {
				stranger.do(t, "POST", commentsPath(id), c.body).wantProblem(t, c.status, fields...)
				stranger.do(t, "PATCH", commentsPath(id)+"/"+mine.ID, c.body).wantProblem(t, c.status, fields...)
			}
		}
		stranger.do(t, "POST", commentsPath(pub.ID), raw(`{"body":"hi"}`), header("Content-Type", "text/plain")).wantProblem(t, http.StatusUnsupportedMediaType)
		stranger.do(t, "POST", commentsPath(pub.ID), raw(`{"body":"`+strings.Repeat("a", 1<<20)+`"}`)).wantProblem(t, http.StatusRequestEntityTooLarge)

		// Query parameters.
		for _, q := range []string{"?order=random", "?limit=0", "?limit=101", "?limit=ten", "?order=newest&order=oldest", "?cursor=garbage"} {
			s.anon().do(t, "GET", commentsPath(pub.ID)+q, nil).wantProblem(t, http.StatusBadRequest)
		}
		// The wrong method.
		s.anon().do(t, "PUT", commentsPath(pub.ID), nil).wantProblem(t, http.StatusMethodNotAllowed)

		// Nothing was written by any of it.
		if l := author.comments(t, pub.ID, ""); l.Count != 1 || l.Items[0].Body != "Mine" || l.Items[0].EditedAt != nil {
			t.Fatalf("refused requests wrote: %+v", l)
		}
		if l := author.comments(t, private.ID, ""); l.Count != 1 {
			t.Fatalf("refused requests wrote on the private recipe: %+v", l)
		}
	})
}

// A recipe made private takes its comments out of everyone's sight but
// its author's, the commenters' own included.
func TestCommentsFollowTheRecipesVisibilityHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		author, fan := s.apiClient(t, "author"), s.apiClient(t, "fan")
		r := author.createRecipe(t, recipeBody("Fig jam", "public"))
		c := fan.addComment(t, r.ID, "Lovely")
		author.do(t, "PATCH", "/api/v1/recipes/"+r.ID, map[string]any{"visibility": "private"}).want(t, http.StatusOK)
		for _, who := range []*client{fan, s.anon()} {
			who.do(t, "GET", commentsPath(r.ID), nil).wantProblem(t, http.StatusNotFound)
		}
		fan.do(t, "PATCH", commentsPath(r.ID)+"/"+c.ID, map[string]any{"body": "Still mine?"}).wantProblem(t, http.StatusNotFound)
		fan.do(t, "DELETE", commentsPath(r.ID)+"/"+c.ID, nil).wantProblem(t, http.StatusNotFound)
		if l := author.comments(t, r.ID, ""); l.Count != 1 || !l.Items[0].CanDelete {
			t.Fatalf("the author's view: %+v", l)
		}
		author.do(t, "PATCH", "/api/v1/recipes/"+r.ID, map[string]any{"visibility": "unlisted"}).want(t, http.StatusOK)
		if l := fan.comments(t, r.ID, ""); l.Count != 1 || !l.Items[0].CanEdit {
			t.Fatalf("unlisted again: %+v", l)
		}
	})
}

// Over the daily allowance a post is 429 with Retry-After, and writes
// nothing; an edit is still allowed.
func TestCommentDailyCapHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		author, fan := s.apiClient(t, "author"), s.apiClient(t, "fan")
		r := author.createRecipe(t, recipeBody("Fig jam", "public"))
		first := fan.addComment(t, r.ID, "the first")
		for i := range store.MaxCommentsPerDay - 1 {
			if _, err := s.Store.AddComment(context.Background(), recipe.Viewer{UserID: fan.user.ID}, r.ID, fmt.Sprintf("comment %d", i)); err != nil {
				t.Fatal(err)
			}
		}
		res := fan.do(t, "POST", commentsPath(r.ID), map[string]any{"body": "one too many"})
		p := res.wantProblem(t, http.StatusTooManyRequests)
		if secs, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || secs < 1 || secs > 24*60*60 {
			t.Errorf("Retry-After %q", res.header.Get("Retry-After"))
		}
		if !strings.Contains(p.Detail, "24 hours") {
			t.Errorf("detail %q", p.Detail)
		}
		fan.do(t, "PATCH", commentsPath(r.ID)+"/"+first.ID, map[string]any{"body": "edited at the cap"}).want(t, http.StatusOK)
		author.addComment(t, r.ID, "someone else is not capped")
		if l := s.anon().comments(t, r.ID, "?limit=1"); l.Count != store.MaxCommentsPerDay+1 {
			t.Fatalf("%d comments", l.Count)
		}
	})
}
