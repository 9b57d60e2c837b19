package api_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
)

type followJSON struct {
	Username       string `json:"username"`
	FollowerCount  int    `json:"follower_count"`
	FollowingCount int    `json:"following_count"`
	FollowedByYou  *bool  `json:"followed_by_you"`
}

type peopleJSON struct {
	Items []struct {
		Username    string `json:"username"`
		DisplayName string `json:"display_name"`
		Since       string `json:"since"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func (c *client) follow(t *testing.T, method, username string) followJSON {
	t.Helper()
	var f followJSON
	c.do(t, method, "/api/v1/users/"+username+"/follow", nil).want(t, http.StatusOK).decode(t, &f)
	return f
}

// people pages through a followers or following list and returns the
// usernames in order.
func (c *client) people(t *testing.T, path string, limit string) []string {
	t.Helper()
	var out []string
	cursor := ""
	for range 50 {
		q := path + "?limit=" + limit
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		var p peopleJSON
		c.do(t, "GET", q, nil).want(t, http.StatusOK).decode(t, &p)
		for _, it := range p.Items {
			if it.Since == "" {
				t.Fatalf("%s: entry without since", path)
			}
			out = append(out, it.Username)
		}
		if cursor = p.NextCursor; cursor == "" {
			return out
		}
	}
	t.Fatalf("%s does not end", path)
	return nil
}

func TestFollowHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook, fan, other := s.apiClient(t, "cook"), s.apiClient(t, "fan"), s.apiClient(t, "other")
		for range 2 {
			f := fan.follow(t, "PUT", "cook")
			if f.Username != "cook" || f.FollowerCount != 1 || f.FollowingCount != 0 || f.FollowedByYou == nil || !*f.FollowedByYou {
				t.Fatalf("after following (again): %+v", f)
			}
		}
		// The username's case does not matter, as at sign-in.
		if f := other.follow(t, "PUT", "COOK"); f.Username != "cook" || f.FollowerCount != 2 {
			t.Fatalf("other's follow: %+v", f)
		}
		cook.follow(t, "PUT", "fan")

		// Profiles carry the counts, and a caller's own follow.
		var prof followJSON
		res := fan.do(t, "GET", "/api/v1/users/cook", nil).want(t, http.StatusOK)
		res.decode(t, &prof)
		if prof.FollowerCount != 2 || prof.FollowingCount != 1 || prof.FollowedByYou == nil || !*prof.FollowedByYou {
			t.Fatalf("cook's profile for fan: %+v", prof)
		}
		if cc := res.header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("a signed-in profile's Cache-Control %q", cc)
		}
		prof = followJSON{}
		s.anon().do(t, "GET", "/api/v1/users/cook", nil).want(t, http.StatusOK).decode(t, &prof)
		if prof.FollowerCount != 2 || prof.FollowedByYou != nil {
			t.Fatalf("cook's profile for a visitor: %+v", prof)
		}
		prof = followJSON{}
		cook.do(t, "GET", "/api/v1/users/cook", nil).want(t, http.StatusOK).decode(t, &prof)
		if prof.FollowedByYou == nil || *prof.FollowedByYou {
			t.Fatalf("cook's own profile: %+v", prof)
		}

		// The lists, public, newest first, paged.
		if got := s.anon().people(t, "/api/v1/users/cook/followers", "1"); !slices.Equal(got, []string{"other", "fan"}) {
			t.Fatalf("cook's followers: %q", got)
		}
		if got := fan.people(t, "/api/v1/users/cook/following", "20"); !slices.Equal(got, []string{"fan"}) {
			t.Fatalf("cook's following: %q", got)
		}
		if got := fan.people(t, "/api/v1/users/other/followers", "20"); len(got) != 0 {
			t.Fatalf("other's followers: %q", got)
		}

		for range 2 {
			if f := fan.follow(t, "DELETE", "cook"); f.FollowerCount != 1 || *f.FollowedByYou {
				t.Fatalf("after unfollowing (again): %+v", f)
			}
		}
		if got := fan.people(t, "/api/v1/users/cook/followers", "20"); !slices.Equal(got, []string{"other"}) {
			t.Fatalf("cook's followers after fan left: %q", got)
		}
	})
}

// Every refusal of the follow routes: a clear problem, and nothing
// written.
func TestFollowRefusalsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook, fan, gone := s.apiClient(t, "cook"), s.apiClient(t, "fan"), s.apiClient(t, "gone")
		for _, method := range []string{"PUT", "DELETE"} {
			res := s.anon().do(t, method, "/api/v1/users/cook/follow", nil)
			res.wantProblem(t, http.StatusUnauthorized)
			if res.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s follow: 401 without a challenge", method)
			}
			p := cook.do(t, method, "/api/v1/users/cook/follow", nil).wantProblem(t, http.StatusConflict)
			if p.Detail != "You cannot follow yourself." {
				t.Errorf("self-follow detail %q", p.Detail)
			}
			fan.do(t, method, "/api/v1/users/nobody/follow", nil).wantProblem(t, http.StatusNotFound)
			fan.do(t, method, "/api/v1/users/%00/follow", nil).wantProblem(t, http.StatusNotFound)
		}
		fan.do(t, "POST", "/api/v1/users/cook/follow", nil).wantProblem(t, http.StatusMethodNotAllowed)
		// A disabled account cannot be followed; it can be left.
		fan.follow(t, "PUT", "gone")
		if _, err := s.Store.SetUserDisabled(context.Background(), gone.user.ID, true); err != nil {
			t.Fatal(err)
		}
		cook.do(t, "PUT", "/api/v1/users/gone/follow", nil).wantProblem(t, http.StatusNotFound)
		if f := fan.follow(t, "DELETE", "gone"); f.FollowerCount != 0 {
			t.Fatalf("leaving a disabled account: %+v", f)
		}

		// The lists: a missing person, bad limits and cursors.
		for _, list := range []string{"followers", "following"} {
			path := "/api/v1/users/cook/" + list
			s.anon().do(t, "GET", "/api/v1/users/nobody/"+list, nil).wantProblem(t, http.StatusNotFound)
			for _, q := range []string{"limit=0", "limit=101", "limit=ten", "limit=1&limit=2"} {
				s.anon().do(t, "GET", path+"?"+q, nil).wantProblem(t, http.StatusBadRequest, "limit")
			}
			s.anon().do(t, "GET", path+"?cursor=bogus", nil).wantProblem(t, http.StatusBadRequest, "cursor")
		}
		// One list's cursor is not the other's.
		fan.follow(t, "PUT", "cook")
		s.apiClient(t, "third").follow(t, "PUT", "cook")
		var p peopleJSON
		s.anon().do(t, "GET", "/api/v1/users/cook/followers?limit=1", nil).want(t, http.StatusOK).decode(t, &p)
		if p.NextCursor == "" {
			t.Fatal("no next cursor")
		}
		s.anon().do(t, "GET", "/api/v1/users/cook/following?cursor="+p.NextCursor, nil).wantProblem(t, http.StatusBadRequest, "cursor")

		// The feed: signed in only, its own parameters checked.
		s.anon().do(t, "GET", "/api/v1/me/feed", nil).wantProblem(t, http.StatusUnauthorized)
		for _, q := range []string{"limit=0", "limit=101", "limit=x"} {
			fan.do(t, "GET", "/api/v1/me/feed?"+q, nil).wantProblem(t, http.StatusBadRequest, "limit")
		}
		fan.do(t, "GET", "/api/v1/me/feed?cursor=bogus", nil).wantProblem(t, http.StatusBadRequest, "cursor")
		var f followJSON
		fan.do(t, "GET", "/api/v1/users/cook", nil).want(t, http.StatusOK).decode(t, &f)
		if f.FollowerCount != 2 {
			t.Fatalf("refused requests changed cook's followers: %+v", f)
		}
	})
}

// GET /api/v1/me/feed: the public recipes of the people the caller
// follows, newest first, paged; never unlisted or private ones.
func TestFeedHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook, fan, stranger := s.apiClient(t, "cook"), s.apiClient(t, "fan"), s.apiClient(t, "stranger")
		var want []string
		for _, c := range []struct{ title, vis string }{
			{"Anchovy toast", "public"}, {"Secret sauce", "private"}, {"Bread pudding", "public"},
			{"Quiet quiche", "unlisted"}, {"Custard tart", "public"},
		} {
			cook.createRecipe(t, recipeBody(c.title, c.vis))
			if c.vis == "public" {
				want = append([]string{c.title}, want...)
			}
		}
		stranger.createRecipe(t, recipeBody("Stranger stew", "public"))
		fan.createRecipe(t, recipeBody("Fan's own flan", "public"))

		feed := func(c *client, limit string) []string {
			t.Helper()
			var out []string
			cursor := ""
			for range 20 {
				q := "/api/v1/me/feed?limit=" + limit
				if cursor != "" {
					q += "&cursor=" + cursor
				}
				var l listJSON
				res := c.do(t, "GET", q, nil).want(t, http.StatusOK)
				res.decode(t, &l)
				if cc := res.header.Get("Cache-Control"); cc != "private, no-store" {
					t.Errorf("feed Cache-Control %q", cc)
				}
				out = append(out, titles(l.Items)...)
				if cursor = l.NextCursor; cursor == "" {
					return out
				}
			}
			t.Fatal("the feed does not end")
			return nil
		}
		if got := feed(fan, "20"); len(got) != 0 {
			t.Fatalf("fan follows nobody; feed %q", got)
		}
		fan.follow(t, "PUT", "cook")
		if got := feed(fan, "1"); !slices.Equal(got, want) {
			t.Fatalf("fan's feed: %q, want %q", got, want)
		}
		fan.follow(t, "DELETE", "cook")
		if got := feed(fan, "20"); len(got) != 0 {
			t.Fatalf("after unfollowing: %q", got)
		}
	})
}
