package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/collection"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/seed"
	"github.com/reccollection/reccollection/internal/sharing"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// queryCountExceptions lists the routes whose statement count still grows
// with the number of recipes (by route name below). Each entry says why;
// the test skips the comparison for them and fails once one stops
// growing, so a fixed route leaves the list. Empty: every route is flat.
var queryCountExceptions = map[string]string{}

// queryBounds are the most statements each counted route (by its name in
// countedRoutes, before the client's suffix) may send for an anonymous
// visitor; a signed-in one adds signedInStatements, and a route that runs
// under the search time budget adds searchBudgetStatements on PostgreSQL.
// They are today's counts, so any added round trip fails the test:
//   - a recipe (page, cook mode, API get) is one statement
//     (store.loadRecipe: the row with its parts, labels and photos as
//     JSON), two with the session lookup;
//   - a list page (home, API list) is one statement (the rows with their
//     labels and photos), two with the session lookup;
//   - a search adds its plan's probe of the words (one per word; the
//     counted search has one word), and browse adds one statement for
//     the count and every facet (Browse.count);
//   - a profile reads the user and their visible count; the page also
//     their avatar, the list page and their public collections;
//   - the reader's saved recipes are a list (the API) or browse (the
//     page) over their saves;
//   - a collection's page (and its API list) reads the collection, with
//     its count and cover, then the page of its recipes as cards; a list
//     of collections is one statement (the user's, looked up first, for
//     another person's).
//   - the feed (the home page's Following tab, the API) is a list over
//     the people the reader follows; a followers or following list reads
//     the user and the page of people with their avatars, and the page
//     also the profile's counts (store.ProfileStats);
//   - a recipe's comments (the page and the API) are two statements: the
//     recipe with its comment count, then the page of comments with
//     their authors' names and avatars (store.Comments);
//   - a share page resolves its token (counting the visit) and reads the
//     recipe; the API's list of a recipe's share links checks the author
//     and reads the links (at most store.MaxShareLinksPerRecipe).
//
// A recipe's likes, saves and rating come in the recipe's or the list's
// one statement (counted subselects), and a signed-in reader's own marks
// too (store.RecipeFor).
var queryBounds = map[string]uint64{
	"home":        1,
	"browse":      2,
	"html search": 3,
	"recipe page": 1,
	"cook mode":   1,
	"profile":     5,
	"api list":    1,
	"api search":  2,
	// A misspelt word costs PostgreSQL nothing more: its probe
	// (search_probe) also finds the correction. SQLite reads the words
	// of about its length and probes the nearest (typoStatements).
	"api search typo": 2,
	"api get":         1,
	"api profile":     2,
	"saved page":      2,
	"api saved":       1,

	"collection page":        2,
	"my collections":         1,
	"api collection":         1,
	"api collection recipes": 2,
	"api my collections":     1,
	"api user collections":   2,
	"feed page":              1,
	"api feed":               1,
	"followers page":         3,
	"following page":         3,
	"api followers":          2,
	"api following":          2,
	// Comments (store.Comments).
	"comments page": 2,
	"api comments":  2,
	"share page":    2,
	"api shares":    2,
	// Notifications (store.Notifications): the page is one statement
	// (the entries with their actors and recipes); the API adds the
	// unread count it answers with.
	"notifications page": 1,
	"api notifications":  2,
}

// sharePanelStatements is what the Share panel costs its author's recipe
// page: the recipe's live links (docs/architecture.md, "Share links").
// The signed-in reader here is the recipe's author with the flag on, so
// the panel is drawn; every other reader's page is unchanged.
const sharePanelStatements = 1

// signedOnly are the routes of a signed-in reader alone (their saved
// recipes): counted for the signed-in client only.
var signedOnly = map[string]bool{"saved page": true, "api saved": true, "feed page": true, "api feed": true,
	"my collections": true, "api my collections": true, "api shares": true,
	"notifications page": true, "api notifications": true}

// asFollower are the routes the signed-in client sends as the follower
// (feedReader): the feed of a reader who follows the author of every
// recipe. The author cannot be that reader, as nobody follows themselves.
var asFollower = map[string]bool{"feed page": true, "api feed": true}

// feedReader is the synthetic account that follows the author.
const feedReader = 2

// signedInStatements is the session lookup every signed-in request makes.
// It is not cached: a revoked session or a disabled account must stop
// working at the next request, on every replica.
const signedInStatements = 1

// unreadCountStatements is the unread notification count in the
// navigation of every signed-in page (store.UnreadNotifications: one
// range of the partial unread index, capped at 100 rows). The API has no
// navigation, so its routes do not pay it.
const unreadCountStatements = 1

// searchBudgetStatements are what the search time budget costs on
// PostgreSQL (store.withinSearchBudget): BEGIN READ ONLY, set_config of
// statement_timeout, COMMIT. SQLite bounds the time with an interrupt
// and sends nothing.
const searchBudgetStatements = 3

// searchBudgeted are the routes that run under the search time budget.
var searchBudgeted = map[string]bool{"browse": true, "html search": true, "api search": true, "api search typo": true, "saved page": true}

// typoStatements are what correcting a misspelt word adds on SQLite: the
// read of the vocabulary's words of about its length and the probe of the
// nearest.
const typoStatements = 2

// A route under the query-count guard: path is relative to the site, and
// signed says which client sends it.
type countedRoute struct {
	name, path string
	signed     bool
	// base is the name without the client, the key of queryBounds.
	base string
}

// bound is the most statements rt may send on engine.
func (rt countedRoute) bound(engine string) uint64 {
	n := queryBounds[rt.base]
	if rt.signed {
		n += signedInStatements
		if !strings.HasPrefix(rt.base, "api ") {
			n += unreadCountStatements
		}
	}
	if rt.signed && rt.base == "recipe page" {
		n += sharePanelStatements
	}
	if engine == "postgres" && searchBudgeted[rt.base] {
		n += searchBudgetStatements
	}
	if engine == "sqlite" && rt.base == "api search typo" {
		n += typoStatements
	}
	return n
}

// countedRoutes are the list, feed and detail routes (the bulk import page
// lists no recipes, so it is not among them), anonymous and signed
// in. id is a public recipe that exists at every size, user its author;
// term is a word of that recipe's title, so a search finds
// it at every size (a search without hits tries typo and fallback
// strategies, and would count those instead).
func countedRoutes(id, term, user, collection, share string) []countedRoute {
	q := url.Values{"q": {term}}.Encode()
	paths := []struct{ name, path string }{
		{"home", "/"},
		{"browse", "/recipes"},
		{"html search", "/recipes?" + q},
		{"recipe page", "/recipes/" + id},
		{"cook mode", "/recipes/" + id + "/cook"},
		{"profile", "/u/" + user},
		{"api list", "/api/v1/recipes"},
		{"api search", "/api/v1/recipes?" + q},
		{"api search typo", "/api/v1/recipes?" + url.Values{"q": {misspell(term)}}.Encode()},
		{"api get", "/api/v1/recipes/" + id},
		{"api profile", "/api/v1/users/" + user},
		{"saved page", "/saved"},
		{"api saved", "/api/v1/me/saved"},
		{"collection page", "/c/" + collection},
		{"my collections", "/collections"},
		{"api collection", "/api/v1/collections/" + collection},
		{"api collection recipes", "/api/v1/collections/" + collection + "/recipes"},
		{"api my collections", "/api/v1/collections"},
		{"api user collections", "/api/v1/users/" + user + "/collections"},
		{"feed page", "/?tab=following"},
		{"api feed", "/api/v1/me/feed"},
		{"followers page", "/u/" + user + "/followers"},
		{"following page", "/u/" + user + "/following"},
		{"api followers", "/api/v1/users/" + user + "/followers"},
		{"api following", "/api/v1/users/" + user + "/following"},
		{"comments page", "/recipes/" + id + "/comments"},
		{"api comments", "/api/v1/recipes/" + id + "/comments"},
		{"share page", share},
		{"api shares", "/api/v1/recipes/" + id + "/share-links"},
		{"notifications page", "/notifications"},
		{"api notifications", "/api/v1/me/notifications"},
	}
	var out []countedRoute
	for _, p := range paths {
		if _, ok := queryBounds[p.name]; !ok {
			panic("no query bound for route " + p.name)
		}
		if !signedOnly[p.name] {
			out = append(out, countedRoute{p.name + " (anonymous)", p.path, false, p.name})
		}
		out = append(out, countedRoute{p.name + " (signed in)", p.path, true, p.name})
	}
	return out
}

// TestQueryCountsDoNotGrowWithData guards against N+1 queries: every list,
// feed and detail route sends as many statements with 100 recipes as with
// 10, and no more than its bound (queryBounds). Counts come from the store's statement counter (the one behind
// reccollection_db_queries_total), so they are exact and independent of
// the machine's speed. The recipes have ingredients, steps and tags, and
// a few have photos, so per-item look-ups of any of them would show.
func TestQueryCountsDoNotGrowWithData(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			srv := testutil.StartServer(t, engine)
			svc := photos.New(srv.Store, srv.App.Media(), photos.Options{})
			grow := func(recipes int, seedNo int64) {
				t.Helper()
				if err := seed.Synthetic(ctx, srv.Store, 1, recipes, seedNo, nil); err != nil {
					t.Fatal(err)
				}
				// Photos are drawn, so only a few: enough that listed
				// recipes with photos grow in number too.
				if _, err := seed.Photos(ctx, srv.Store, svc, 3, seedNo, true, nil); err != nil {
					t.Fatal(err)
				}
			}

			user := seed.SyntheticUser(1).Username
			// The signed-in reader likes, saves and rates every recipe, and
			// puts it in a public collection, so counts, marks, the saved
			// list and the collection grow with the data too.
			var coll *collection.Collection
			marked := 0
			markAll := func() {
				t.Helper()
				u, err := srv.Store.UserByUsername(ctx, user)
				if err != nil {
					t.Fatal(err)
				}
				v := recipe.Viewer{UserID: u.ID}
				if coll == nil {
					if coll, err = srv.Store.CreateCollection(ctx, u.ID, collection.Input{Name: "Everything", Visibility: collection.Public}); err != nil {
						t.Fatal(err)
					}
				}
				lq := store.ListQuery{ViewerID: u.ID, Limit: store.MaxListLimit}
				for {
					page, err := srv.Store.ListRecipes(ctx, lq)
					if err != nil {
						t.Fatal(err)
					}
					for _, it := range page.Items {
						_, errLike := srv.Store.SetLike(ctx, v, it.ID, true)
						_, errSave := srv.Store.SetSave(ctx, v, it.ID, true)
						_, errRate := srv.Store.Rate(ctx, v, it.ID, 4)
						_, _, errCollect := srv.Store.AddToCollection(ctx, v, coll.ID, it.ID)
						// One more collection per ten recipes, so the
						// lists of collections grow too.
						if marked++; marked%10 == 0 {
							var extra *collection.Collection
							if extra, err = srv.Store.CreateCollection(ctx, u.ID, collection.Input{Name: fmt.Sprintf("Extra %d", marked),
								Visibility: collection.Public}); err == nil {
								_, _, err = srv.Store.AddToCollection(ctx, v, extra.ID, it.ID)
							}
							errCollect = errors.Join(errCollect, err)
						}
						if err := errors.Join(errLike, errSave, errRate, errCollect); err != nil {
							t.Fatal(err)
						}
					}
					if lq.Cursor = page.NextCursor; lq.Cursor == "" {
						return
					}
				}
			}
			// The author's followers and the people they follow grow too:
			// each new account follows the author and is followed back.
			// The first is the feed's reader, who signs in.
			followers := 0
			gather := func(n int) {
				t.Helper()
				author, err := srv.Store.UserByUsername(ctx, user)
				if err != nil {
					t.Fatal(err)
				}
				if followers == 0 {
					if err := seed.Synthetic(ctx, srv.Store, feedReader, 0, 0, nil); err != nil {
						t.Fatal(err)
					}
				}
				for range n {
					followers++
					name := seed.SyntheticUser(feedReader).Username
					if followers > 1 {
						fan := &auth.User{Username: fmt.Sprintf("fan%04d", followers), Email: fmt.Sprintf("fan%04d@example.test", followers),
							DisplayName: "Fan", PasswordHash: "x"}
						if err := srv.Store.CreateUser(ctx, fan); err != nil {
							t.Fatal(err)
						}
						name = fan.Username
					}
					fan, err := srv.Store.UserByUsername(ctx, name)
					if err != nil {
						t.Fatal(err)
					}
					_, errFollow := srv.Store.SetFollow(ctx, fan.ID, user, true)
					_, errBack := srv.Store.SetFollow(ctx, author.ID, name, true)
					if err := errors.Join(errFollow, errBack); err != nil {
						t.Fatal(err)
					}
				}
			}
			// Comments on the counted recipe, from several people, grow
			// with the data too: a page of 5 at first, a full page later.
			var commenters []recipe.Viewer
			for _, name := range []string{"commenter-a", "commenter-b"} {
				u := &auth.User{Username: name, Email: name + "@example.test", DisplayName: name, PasswordHash: "x"}
				if err := srv.Store.CreateUser(ctx, u); err != nil {
					t.Fatal(err)
				}
				commenters = append(commenters, recipe.Viewer{UserID: u.ID})
			}
			comment := func(id string, n int) {
				t.Helper()
				for i := range n {
					if _, err := srv.Store.AddComment(ctx, commenters[i%len(commenters)], id, "A comment"); err != nil {
						t.Fatal(err)
					}
				}
			}
			grow(10, 1)
			markAll()
			gather(10)
			anon := srv.Client()
			signed := srv.Client()
			signInPage(t, signed, srv.URL, user, seed.SyntheticPassword)
			reader := srv.Client()
			signInPage(t, reader, srv.URL, seed.SyntheticUser(feedReader).Username, seed.SyntheticPassword)
			first := firstPage(t, anon, srv.URL)[0]
			share := shareFirst(t, srv, user, first.ID)
			routes := countedRoutes(first.ID, titleWord(first.Title), user, coll.ID, share)
			clients := routeClients{anon: anon, signed: signed, follower: reader}
			comment(first.ID, 5)
			small := countQueries(t, srv, clients, routes)

			grow(90, 2)
			markAll()
			gather(90)
			comment(first.ID, 30)
			if n := len(firstPage(t, anon, srv.URL)); n <= 10 {
				t.Fatalf("after growing, the first API page lists %d recipes; the comparison needs more than 10", n)
			}
			// The feed grew with the data too (the API's page is 20).
			if code, body, _ := call(t, reader, "GET", srv.URL+"/api/v1/me/feed", "", ""); code != http.StatusOK || strings.Count(body, `"title"`) <= 10 {
				t.Fatalf("after growing, the feed answers %d with %d recipes; the comparison needs more than 10", code, strings.Count(body, `"title"`))
			}
			// So did the author's notifications (a follow each): a page of
			// 20 now, about 12 before.
			if code, body, _ := call(t, signed, "GET", srv.URL+"/api/v1/me/notifications", "", ""); code != http.StatusOK || strings.Count(body, `"kind"`) <= 10 {
				t.Fatalf("after growing, the notifications answer %d with %d entries; the comparison needs more than 10", code, strings.Count(body, `"kind"`))
			}
			large := countQueries(t, srv, clients, routes)

			for _, rt := range routes {
				s, l := small[rt.name], large[rt.name]
				t.Logf("%-28s %3d statements at 10 recipes, %3d at 100", rt.name, s, l)
				why, known := queryCountExceptions[rt.name]
				switch {
				case known && s == l:
					t.Errorf("%s: %d statements at both sizes; remove it from queryCountExceptions (%s)", rt.name, s, why)
				case !known && s != l:
					t.Errorf("%s: %d statements at 10 recipes but %d at 100: a query per item?", rt.name, s, l)
				}
				if b := rt.bound(engine); s > b || l > b {
					t.Errorf("%s: %d statements at 10 recipes and %d at 100, more than its bound of %d (queryBounds)", rt.name, s, l, b)
				}
			}
		})
	}
}

// routeClients are the clients of countQueries: a visitor, the signed-in
// author, and the follower whose feed is counted (asFollower).
type routeClients struct{ anon, signed, follower *http.Client }

// countQueries requests each route once to warm up (prepared statements,
// lazily loaded settings), then once more, and returns the statements the
// second request sent.
func countQueries(t *testing.T, srv *testutil.Server, clients routeClients, routes []countedRoute) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	for _, rt := range routes {
		c := clients.anon
		switch {
		case rt.signed && asFollower[rt.base]:
			c = clients.follower
		case rt.signed:
			c = clients.signed
		}
		getOK(t, c, srv.URL+rt.path)
		// The counter is the whole store's, and the job queue works
		// beside the requests (its polls, the periodic tasks run at
		// start-up), which can only add statements: the fewest of three
		// requests is the route's own count, and a query per item shows
		// in every one of them.
		for i := range 3 {
			before := srv.Store.QueryStats().Queries
			getOK(t, c, srv.URL+rt.path)
			if n := srv.Store.QueryStats().Queries - before; i == 0 || n < out[rt.name] {
				out[rt.name] = n
			}
		}
		if out[rt.name] == 0 {
			t.Errorf("%s sent no statements: is the counter wired?", rt.name)
		}
	}
	return out
}

func getOK(t *testing.T, c *http.Client, target string) {
	t.Helper()
	code, body, _ := call(t, c, "GET", target, "", "")
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %.300s", target, code, body)
	}
}

// signInPage signs c in through the web form, so its cookie jar holds a
// session like a browser's.
func signInPage(t *testing.T, c *http.Client, base, login, password string) {
	t.Helper()
	resp, err := c.PostForm(base+"/login", url.Values{"login": {login}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = c.Get(base + "/settings")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/settings" {
		t.Fatalf("not signed in: /settings ended at %s with %d", resp.Request.URL.Path, resp.StatusCode)
	}
}

type listedRecipe struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// firstPage returns the first page of the public API list (never empty).
func firstPage(t *testing.T, c *http.Client, base string) []listedRecipe {
	t.Helper()
	code, body, _ := call(t, c, "GET", base+"/api/v1/recipes", "", "")
	if code != http.StatusOK {
		t.Fatalf("list: %d %s", code, body)
	}
	var page struct {
		Items []listedRecipe `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 {
		t.Fatal("no public recipe listed")
	}
	return page.Items
}

// titleWord is the longest word of a title: a search term that finds it.
// misspell drops the second letter of word, a typo the search corrects
// (one edit, and word is the longest of a title).
func misspell(word string) string {
	r := []rune(strings.ToLower(word))
	return string(r[:1]) + string(r[2:])
}

func titleWord(title string) string {
	best := ""
	for _, w := range strings.Fields(title) {
		if len(w) > len(best) {
			best = w
		}
	}
	return best
}

// shareFirst turns recipe-share-link on for user, the author of recipe
// id, and makes a few links of it: the share page's path, and a panel
// and a list of links to draw.
func shareFirst(t *testing.T, srv *testutil.Server, user, id string) string {
	t.Helper()
	ctx := context.Background()
	u, err := srv.Store.UserByUsername(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	o := flags.Override{Environment: "development", Key: flags.RecipeShareLink, Enabled: true, AllowUsers: []string{u.ID}}
	if err := srv.Store.SetFlagOverride(ctx, &o); err != nil {
		t.Fatal(err)
	}
	srv.App.Flags().Invalidate()
	var path string
	for range 3 {
		c, err := srv.App.Sharing().Create(ctx, recipe.Viewer{UserID: u.ID}, id, sharing.LinkInput{Expires: "7d"})
		if err != nil {
			t.Fatal(err)
		}
		path = sharing.PathPrefix + c.Token
	}
	return path
}
