package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestPrivacyAcrossSocialSurfaces is the privacy table of the social
// features. An author writes three recipes, all public at first so that
// a follower and a stranger can like, save, rate, comment on and collect
// each of them; then the author makes one unlisted and one private. For
// every reader — the author, the follower, the stranger and an anonymous
// visitor — and every surface (the recipe, its comments, the feed,
// saves, collections, search, notifications, the profile's count, the
// likes count, the data export), the private recipe shows to its author alone, the
// unlisted one only where its link is given (by id, saves, collections)
// and never in the feed or search, and the public one everywhere. On
// every route that takes a recipe, a hidden recipe's 404 is the same
// answer as a missing one's, in the API and on the pages.
func TestPrivacyAcrossSocialSurfaces(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServing(t, engine, nil)
			base := srv.URL
			tokens := map[string]string{
				"author":   phRegister(t, base, "pt-author"),
				"follower": phRegister(t, base, "pt-follower"),
				"stranger": phRegister(t, base, "pt-stranger"),
				"anon":     "",
			}
			readers := []string{"author", "follower", "stranger", "anon"}
			author := tokens["author"]
			phWant(t, phDo(t, "PUT", base+"/api/v1/users/pt-author/follow", tokens["follower"], nil), http.StatusOK, "follow")

			// Titles share a word that only they have, for the search.
			ids := map[string]string{}
			for _, vis := range []string{"public", "unlisted", "private"} {
				ids[vis] = phCreateRecipe(t, base, author, "Quokkaberry "+vis+" tart", "public", 1)
			}
			// The follower hears of each new public recipe from a job
			// after the commit; it reads the recipe's visibility when it
			// runs, so wait for all three before any becomes unlisted.
			notes := func(reader string) []byte {
				return phDo(t, "GET", base+"/api/v1/me/notifications?limit=100", tokens[reader], nil).body
			}
			for deadline := time.Now().Add(testutil.Scaled(90 * time.Second)); strings.Count(string(notes("follower")), `"new_recipe"`) < 3; time.Sleep(100 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("the follower's notifications never told of the new recipes: %s", notes("follower"))
				}
			}
			collections := map[string]string{}
			for _, who := range []string{"follower", "stranger"} {
				tok := tokens[who]
				var c struct{ ID string }
				mustJSON(t, phWant(t, phJSON(t, "POST", base+"/api/v1/collections", tok, map[string]string{"name": who + "'s picks", "visibility": "public"}),
					http.StatusCreated, "collection").body, &c)
				collections[who] = c.ID
				for _, id := range ids {
					phWant(t, phDo(t, "PUT", base+"/api/v1/recipes/"+id+"/like", tok, nil), http.StatusOK, "like")
					phWant(t, phDo(t, "PUT", base+"/api/v1/recipes/"+id+"/save", tok, nil), http.StatusOK, "save")
					phWant(t, phJSON(t, "PUT", base+"/api/v1/recipes/"+id+"/rating", tok, map[string]int{"stars": 4}), http.StatusOK, "rate")
					phWant(t, phJSON(t, "POST", base+"/api/v1/recipes/"+id+"/comments", tok, map[string]string{"body": who + " was here"}), http.StatusCreated, "comment")
					phWant(t, phJSON(t, "POST", base+"/api/v1/collections/"+c.ID+"/recipes", tok, map[string]string{"recipe_id": id}), http.StatusCreated, "collect")
				}
			}
			for _, vis := range []string{"unlisted", "private"} {
				phWant(t, phJSON(t, "PATCH", base+"/api/v1/recipes/"+ids[vis], author, map[string]string{"visibility": vis}), http.StatusOK, "make "+vis)
			}
			title := func(vis string) string { return "Quokkaberry " + vis + " tart" }

			// sees lists which of the three each reader finds on a surface.
			type surface struct {
				name string
				// get answers which of the three the reader finds.
				get func(reader string) []string
				// want is what each reader should find (nothing when
				// absent); signedOnly surfaces are not asked of anon.
				want       map[string][]string
				signedOnly bool
			}
			all := []string{"private", "public", "unlisted"}
			linked := []string{"public", "unlisted"}
			listed := []string{"public"}
			surfaces := []surface{
				{"the recipe by id", func(reader string) []string {
					var out []string
					for _, vis := range all {
						if phDo(t, "GET", base+"/api/v1/recipes/"+ids[vis], tokens[reader], nil).status == http.StatusOK {
							out = append(out, vis)
						}
					}
					return out
				}, map[string][]string{"author": all, "follower": linked, "stranger": linked, "anon": linked}, false},
				{"its comments", func(reader string) []string {
					var out []string
					for _, vis := range all {
						a := phDo(t, "GET", base+"/api/v1/recipes/"+ids[vis]+"/comments", tokens[reader], nil)
						if a.status == http.StatusOK && strings.Contains(string(a.body), "was here") {
							out = append(out, vis)
						}
					}
					return out
				}, map[string][]string{"author": all, "follower": linked, "stranger": linked, "anon": linked}, false},
				{"the feed", func(reader string) []string {
					return titlesIn(t, phDo(t, "GET", base+"/api/v1/me/feed", tokens[reader], nil).body, title)
				}, map[string][]string{"follower": listed}, true},
				{"saves", func(reader string) []string {
					return titlesIn(t, phDo(t, "GET", base+"/api/v1/me/saved", tokens[reader], nil).body, title)
				}, map[string][]string{"follower": linked, "stranger": linked}, true},
				{"the follower's public collection", func(reader string) []string {
					return titlesIn(t, phDo(t, "GET", base+"/api/v1/collections/"+collections["follower"]+"/recipes", tokens[reader], nil).body, title)
				}, map[string][]string{"author": all, "follower": linked, "stranger": linked, "anon": linked}, false},
				{"search", func(reader string) []string {
					return titlesIn(t, phDo(t, "GET", base+"/api/v1/recipes?q=quokkaberry", tokens[reader], nil).body, title)
				}, map[string][]string{"author": all, "follower": listed, "stranger": listed, "anon": listed}, false},
				{"the author's profile list", func(reader string) []string {
					return titlesIn(t, phDo(t, "GET", base+"/api/v1/recipes?author=pt-author", tokens[reader], nil).body, title)
				}, map[string][]string{"author": all, "follower": listed, "stranger": listed, "anon": listed}, false},
			}
			// Notifications: the follower heard of each new recipe and
			// the author of every like and comment; once one recipe is
			// private only its author sees it named.
			surfaces = append(surfaces, surface{"notifications", func(reader string) []string {
				return titlesIn(t, notes(reader), title)
			}, map[string][]string{"author": all, "follower": linked}, true})
			for _, s := range surfaces {
				for _, reader := range readers {
					if s.signedOnly && reader == "anon" {
						continue
					}
					want := s.want[reader]
					got := s.get(reader)
					slices.Sort(got)
					if !slices.Equal(got, want) {
						t.Errorf("%s, as %s: finds %v, want %v", s.name, reader, got, want)
					}
				}
			}

			// Counts: the profile's recipe count matches what each reader
			// may list; the private recipe's likes are for its author.
			for _, reader := range readers {
				var p struct {
					RecipeCount int `json:"recipe_count"`
				}
				mustJSON(t, phDo(t, "GET", base+"/api/v1/users/pt-author", tokens[reader], nil).body, &p)
				want := 1
				if reader == "author" {
					want = 3
				}
				if p.RecipeCount != want {
					t.Errorf("profile count as %s: %d, want %d", reader, p.RecipeCount, want)
				}
			}
			var counts struct{ Likes, Saves int }
			mustJSON(t, phDo(t, "GET", base+"/api/v1/recipes/"+ids["private"], author, nil).body, &counts)
			if counts.Likes != 2 || counts.Saves != 2 {
				t.Errorf("the author's private recipe counts %+v, want the two likes and saves made while it was public", counts)
			}

			// The follower's export leaves the private recipe out of their
			// marks, comments and collection.
			var e exportAnswer
			mustJSON(t, phWant(t, phDo(t, "POST", base+"/api/v1/me/exports", tokens["follower"], nil), http.StatusAccepted, "export").body, &e)
			e = waitExport(t, base, tokens["follower"], e.ID)
			files := unzip(t, phDo(t, "GET", base+e.DownloadURL, tokens["follower"], nil).body)
			for _, name := range []string{"likes-saves-ratings.json", "comments.json", "collections.json"} {
				if strings.Contains(string(files[name]), title("private")) || !strings.Contains(string(files[name]), title("unlisted")) {
					t.Errorf("the follower's %s: %s", name, files[name])
				}
			}

			// A hidden recipe's 404 is a missing one's, on every route.
			missing := "01a24b06-fe51-7138-8922-e00751627967"
			// idInBody routes name the recipe in their body's recipe_id.
			routes := []struct {
				method, path string
				body         any
				idInBody     bool
			}{
				{"GET", "/api/v1/recipes/%s", nil, false},
				{"GET", "/api/v1/recipes/%s/comments", nil, false},
				{"POST", "/api/v1/recipes/%s/comments", map[string]string{"body": "hello"}, false},
				{"PUT", "/api/v1/recipes/%s/like", nil, false},
				{"DELETE", "/api/v1/recipes/%s/like", nil, false},
				{"PUT", "/api/v1/recipes/%s/save", nil, false},
				{"PUT", "/api/v1/recipes/%s/rating", map[string]int{"stars": 2}, false},
				{"GET", "/api/v1/recipes/%s/share-links", nil, false},
				{"POST", "/api/v1/recipes/%s/share-links", map[string]string{"expires": "7d"}, false},
				{"POST", "/api/v1/collections/" + collections["stranger"] + "/recipes", nil, true},
			}
			for _, reader := range []string{"stranger", "anon"} {
				for _, rt := range routes {
					answer := func(id string) string {
						path, body := rt.path, rt.body
						if rt.idInBody {
							body = map[string]string{"recipe_id": id}
						} else {
							path = fmt.Sprintf(path, id)
						}
						var a phAnswer
						if body == nil {
							a = phDo(t, rt.method, base+path, tokens[reader], nil)
						} else {
							a = phJSON(t, rt.method, base+path, tokens[reader], body)
						}
						return fmt.Sprintf("%d %s", a.status, problemText(a.body))
					}
					hidden, gone := answer(ids["private"]), answer(missing)
					if hidden != gone {
						t.Errorf("%s %s as %s: a hidden recipe answers %q, a missing one %q", rt.method, rt.path, reader, hidden, gone)
					}
					if reader == "stranger" && !strings.HasPrefix(hidden, "404 ") {
						t.Errorf("%s %s as the stranger: %q, want 404", rt.method, rt.path, hidden)
					}
				}
			}
			for _, path := range []string{"/recipes/%s", "/recipes/%s/comments", "/recipes/%s/collections", "/recipes/%s/cook"} {
				for _, reader := range []string{"stranger", "anon"} {
					hidden, gone := pageAnswer(t, base, tokens[reader], fmt.Sprintf(path, ids["private"])), pageAnswer(t, base, tokens[reader], fmt.Sprintf(path, missing))
					if hidden != gone {
						t.Errorf("page %s as %s: hidden and missing differ:\n%.300s\n%.300s", path, reader, hidden, gone)
					}
				}
			}
		})
	}
}

// titlesIn lists which of the three recipes' titles (by visibility) an
// answer names.
func titlesIn(t *testing.T, body []byte, title func(string) string) []string {
	t.Helper()
	var out []string
	for _, vis := range []string{"private", "public", "unlisted"} {
		if strings.Contains(string(body), title(vis)) {
			out = append(out, vis)
		}
	}
	return out
}

// problemText is a problem's status, title and detail, without what
// differs from request to request (its instance).
func problemText(body []byte) string {
	var p struct {
		Type, Title, Detail string
		Status              int
	}
	if json.Unmarshal(body, &p) != nil {
		return string(body)
	}
	return fmt.Sprintf("%s|%s|%s|%d", p.Type, p.Title, p.Detail, p.Status)
}

// volatile matches what differs between two answers to the same
// request: ids in paths and the request id.
var volatile = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// pageAnswer is a page's status and body with ids blanked, for a
// reader with token (a bearer token reads pages as the session does).
func pageAnswer(t *testing.T, base, token, path string) string {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return fmt.Sprint(resp.StatusCode) + " " + volatile.ReplaceAllString(string(b), "…")
}
