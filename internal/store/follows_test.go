package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// followRows counts the follows rows where column is id, straight from
// the table.
func followRows(t *testing.T, s *store.Store, column, id string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow("SELECT count(*) FROM follows WHERE " + column + " = '" + id + "'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustFollow(t *testing.T, s *store.Store, followerID, username string, on bool) *store.ProfileStats {
	t.Helper()
	st, err := s.SetFollow(context.Background(), followerID, username, on)
	if err != nil {
		t.Fatalf("follow %s (%v): %v", username, on, err)
	}
	return st
}

func usernames(items []store.FollowedPerson) []string {
	out := []string{}
	for _, p := range items {
		out = append(out, p.Username)
	}
	return out
}

func TestFollowToggleContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob, carol := mkUser(t, s, "alice"), mkUser(t, s, "bob"), mkUser(t, s, "carol")
		mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)
		mustRecipe(t, s, alice.ID, "Plum jam", recipe.Private)

		for range 2 {
			st := mustFollow(t, s, bob.ID, "alice", true)
			if *st != (store.ProfileStats{Recipes: 1, Followers: 1, Following: 0, Followed: true}) {
				t.Fatalf("after following (again): %+v", st)
			}
		}
		// The username is matched as sign-in matches it.
		mustFollow(t, s, carol.ID, "Alice", true)
		mustFollow(t, s, alice.ID, "bob", true)
		st, err := s.ProfileStats(ctx, alice.ID, bob.ID)
		if err != nil || *st != (store.ProfileStats{Recipes: 1, Followers: 2, Following: 1, Followed: true}) {
			t.Fatalf("alice's profile for bob: %+v, %v", st, err)
		}
		// Her own profile counts her private recipe; a visitor's follows nobody.
		if st, _ := s.ProfileStats(ctx, alice.ID, alice.ID); st.Recipes != 2 || st.Followed {
			t.Fatalf("alice's own profile: %+v", st)
		}
		if st, _ := s.ProfileStats(ctx, alice.ID, ""); st.Recipes != 1 || st.Followed || st.Followers != 2 {
			t.Fatalf("alice's profile for a visitor: %+v", st)
		}
		for range 2 {
			st := mustFollow(t, s, bob.ID, "alice", false)
			if st.Followers != 1 || st.Followed {
				t.Fatalf("after unfollowing (again): %+v", st)
			}
		}
		if n := followRows(t, s, "followee_id", alice.ID); n != 1 {
			t.Fatalf("alice has %d follower rows, want 1", n)
		}

		// Oneself: refused both ways, before anything is written.
		for _, on := range []bool{true, false} {
			if _, err := s.SetFollow(ctx, alice.ID, "alice", on); !errors.Is(err, store.ErrSelfFollow) {
				t.Fatalf("self-follow (%v): %v", on, err)
			}
		}
		if n := followRows(t, s, "follower_id", alice.ID); n != 1 {
			t.Fatalf("alice follows %d, want 1 (bob)", n)
		}
		// Missing people, and malformed ids, are not found.
		for _, c := range []struct{ follower, name string }{
			{bob.ID, "nobody"}, {bob.ID, ""}, {bob.ID, "al\x00ice"}, {"not-an-id", "alice"},
		} {
			if _, err := s.SetFollow(ctx, c.follower, c.name, true); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("follow %q by %q: %v, want not found", c.name, c.follower, err)
			}
		}
		// A disabled account cannot be followed, but can be left.
		if _, err := s.SetUserDisabled(ctx, carol.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetFollow(ctx, bob.ID, "carol", true); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("following a disabled account: %v", err)
		}
		if _, err := s.SetUserDisabled(ctx, carol.ID, false); err != nil {
			t.Fatal(err)
		}
		mustFollow(t, s, alice.ID, "carol", true)
		if _, err := s.SetUserDisabled(ctx, carol.ID, true); err != nil {
			t.Fatal(err)
		}
		if st := mustFollow(t, s, alice.ID, "carol", false); st.Followers != 0 {
			t.Fatalf("after leaving a disabled account: %+v", st)
		}
		// The database refuses a self-follow written past the store.
		if _, err := s.DB().Exec("INSERT INTO follows (follower_id, followee_id, created_at) VALUES ('" +
			bob.ID + "', '" + bob.ID + "', CURRENT_TIMESTAMP)"); err == nil {
			t.Fatal("the follows table took a self-follow")
		}
	})
}

// An account deleted takes its follows with it, both ways.
func TestFollowsCascadeContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		alice, bob, carol := mkUser(t, s, "alice"), mkUser(t, s, "bob"), mkUser(t, s, "carol")
		mustFollow(t, s, bob.ID, "alice", true)
		mustFollow(t, s, alice.ID, "bob", true)
		mustFollow(t, s, carol.ID, "alice", true)
		if _, err := s.DB().Exec("DELETE FROM users WHERE id = '" + alice.ID + "'"); err != nil {
			t.Fatal(err)
		}
		if a, b := followRows(t, s, "follower_id", alice.ID), followRows(t, s, "followee_id", alice.ID); a+b != 0 {
			t.Fatalf("%d rows of the deleted account left", a+b)
		}
		if st, err := s.ProfileStats(context.Background(), bob.ID, ""); err != nil || st.Followers != 0 || st.Following != 0 {
			t.Fatalf("bob after alice left: %+v, %v", st, err)
		}
	})
}

func TestFollowListsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		star := mkUser(t, s, "star")
		var names []string
		for i := range 7 {
			name := fmt.Sprintf("fan%d", i)
			fan := mkUser(t, s, name)
			mustFollow(t, s, fan.ID, "star", true)
			mustFollow(t, s, star.ID, name, true)
			names = append(names, name)
		}
		slices.Reverse(names) // newest follow first
		for _, list := range []struct {
			name string
			read func(ctx context.Context, userID string, limit int, cursor string) (*store.FollowPage, error)
		}{{"followers", s.Followers}, {"following", s.Following}} {
			var got []string
			cursor := ""
			pages := 0
			for {
				page, err := list.read(ctx, star.ID, 3, cursor)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				got = append(got, usernames(page.Items)...)
				for _, p := range page.Items {
					if p.ID == "" || p.DisplayName == "" || p.Since.IsZero() {
						t.Fatalf("%s: incomplete entry %+v", list.name, p)
					}
				}
				if cursor = page.NextCursor; cursor == "" {
					break
				}
			}
			if !slices.Equal(got, names) || pages != 3 {
				t.Fatalf("%s paged in %d: %q, want %q", list.name, pages, got, names)
			}
			// Each list's cursor is its own; nonsense is refused.
			first, err := list.read(ctx, star.ID, 3, "")
			if err != nil {
				t.Fatal(err)
			}
			other := s.Following
			if list.name == "following" {
				other = s.Followers
			}
			for _, bad := range []string{"nonsense", "e30", first.NextCursor + "x"} {
				if _, err := list.read(ctx, star.ID, 3, bad); !errors.Is(err, store.ErrBadCursor) {
					t.Errorf("%s with cursor %q: %v", list.name, bad, err)
				}
			}
			if _, err := other(ctx, star.ID, 3, first.NextCursor); !errors.Is(err, store.ErrBadCursor) {
				t.Errorf("%s's cursor was taken by the other list: %v", list.name, err)
			}
			// One fan's own list holds only the star.
			fan, _ := s.UserByUsername(ctx, "fan0")
			page, err := list.read(ctx, fan.ID, 0, "")
			if err != nil || !slices.Equal(usernames(page.Items), []string{"star"}) || page.NextCursor != "" {
				t.Fatalf("fan0's %s: %+v, %v", list.name, page, err)
			}
		}
		// An unfollow leaves the lists at once.
		fan3, _ := s.UserByUsername(ctx, "fan3")
		mustFollow(t, s, fan3.ID, "star", false)
		page, err := s.Followers(ctx, star.ID, 100, "")
		if err != nil || len(page.Items) != 6 || slices.Contains(usernames(page.Items), "fan3") {
			t.Fatalf("followers after fan3 left: %q, %v", usernames(page.Items), err)
		}
	})
}

// Fifty people following and unfollowing at once leave counts that are
// exactly the rows, whatever the interleaving.
func TestConcurrentFollowsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		star := mkUser(t, s, "star")
		var fans []string
		for i := range 50 {
			fans = append(fans, mkUser(t, s, fmt.Sprintf("fan%02d", i)).ID)
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(fans)*3)
		for i, id := range fans {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Every fan follows; every third leaves again.
				steps := []bool{true, true}
				if i%3 == 0 {
					steps = append(steps, false)
				}
				for _, on := range steps {
					if _, err := s.SetFollow(ctx, id, "star", on); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		st, err := s.ProfileStats(ctx, star.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		rows := followRows(t, s, "followee_id", star.ID)
		if st.Followers != rows || rows != 50-17 {
			t.Fatalf("followers %d, rows %d, want %d", st.Followers, rows, 50-17)
		}
	})
}

// The feed: the public recipes of the people one follows, newest first,
// in pages without gaps or repeats; never unlisted or private ones, nor
// anybody else's, nor one's own; gone with an unfollow.
func TestFeedContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob, carol, dan := mkUser(t, s, "alice"), mkUser(t, s, "bob"), mkUser(t, s, "carol"), mkUser(t, s, "dan")
		var want []string
		for i := range 5 {
			want = append(want, mustRecipe(t, s, alice.ID, fmt.Sprintf("Alice public %d", i), recipe.Public).Title)
			mustRecipe(t, s, alice.ID, fmt.Sprintf("Alice unlisted %d", i), recipe.Unlisted)
			mustRecipe(t, s, alice.ID, fmt.Sprintf("Alice private %d", i), recipe.Private)
			want = append(want, mustRecipe(t, s, carol.ID, fmt.Sprintf("Carol public %d", i), recipe.Public).Title)
			mustRecipe(t, s, dan.ID, fmt.Sprintf("Dan public %d", i), recipe.Public)
			mustRecipe(t, s, bob.ID, fmt.Sprintf("Bob public %d", i), recipe.Public)
		}
		slices.Reverse(want)
		feed := func(who string, limit int) ([]string, int) {
			t.Helper()
			var got []string
			cursor, pages := "", 0
			for {
				page, err := s.Feed(ctx, who, limit, cursor)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, it := range page.Items {
					if it.Visibility != recipe.Public {
						t.Fatalf("%q (%s) in the feed", it.Title, it.Visibility)
					}
					got = append(got, it.Title)
				}
				if cursor = page.NextCursor; cursor == "" {
					return got, pages
				}
			}
		}
		if got, _ := feed(bob.ID, 0); len(got) != 0 {
			t.Fatalf("bob follows nobody, his feed: %q", got)
		}
		mustFollow(t, s, bob.ID, "alice", true)
		mustFollow(t, s, bob.ID, "carol", true)
		mustFollow(t, s, dan.ID, "bob", true) // bob's followers are not in his feed
		got, pages := feed(bob.ID, 3)
		if !slices.Equal(got, want) || pages != 4 {
			t.Fatalf("bob's feed in %d pages: %q, want %q", pages, got, want)
		}
		// The cards are full ones: counts and the author.
		if _, err := s.SetLike(ctx, viewer(dan.ID), mustRecipe(t, s, alice.ID, "Alice newest", recipe.Public).ID, true); err != nil {
			t.Fatal(err)
		}
		page, err := s.Feed(ctx, bob.ID, 1, "")
		if err != nil || len(page.Items) != 1 || page.Items[0].Likes != 1 || page.Items[0].Author.Username != "alice" {
			t.Fatalf("the newest card: %+v, %v", page.Items, err)
		}
		// A recipe gone private leaves the feed.
		in := input("Alice newest", recipe.Private)
		if _, err := s.ReplaceRecipe(ctx, page.Items[0].ID, in); err != nil {
			t.Fatal(err)
		}
		if got, _ := feed(bob.ID, 100); !slices.Equal(got, want) {
			t.Fatalf("after a recipe went private: %q", got)
		}
		mustFollow(t, s, bob.ID, "carol", false)
		got, _ = feed(bob.ID, 4)
		var alices []string
		for _, title := range want {
			if title[:5] == "Alice" {
				alices = append(alices, title)
			}
		}
		if !slices.Equal(got, alices) {
			t.Fatalf("after unfollowing carol: %q, want %q", got, alices)
		}
		// A cursor of another list is refused.
		list, err := s.ListRecipes(ctx, store.ListQuery{Sort: store.SortTitle, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Feed(ctx, bob.ID, 1, list.NextCursor); !errors.Is(err, store.ErrBadCursor) {
			t.Fatalf("a title cursor in the feed: %v", err)
		}
	})
}
