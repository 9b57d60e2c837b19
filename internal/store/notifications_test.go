package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// kindsOf lists the kinds of userID's visible notifications, newest first.
func kindsOf(t *testing.T, s *store.Store, userID string) []string {
	t.Helper()
	p, err := s.Notifications(context.Background(), userID, 100, "", false)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range p.Items {
		out = append(out, string(n.Kind)+":"+n.ActorUsername+":"+n.RecipeTitle)
	}
	return out
}

// notificationRows counts userID's rows, hidden ones too.
func notificationRows(t *testing.T, s *store.Store, userID string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow("SELECT count(*) FROM notifications WHERE user_id = '" + userID + "'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNotificationsRecordedContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		pub := mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)

		mustFollow(t, s, bob.ID, "alice", true)
		if _, err := s.SetLike(ctx, viewer(bob.ID), pub.ID, true); err != nil {
			t.Fatal(err)
		}
		c, err := s.AddComment(ctx, viewer(bob.ID), pub.ID, "Lovely")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.NotifyShared(ctx, bob.ID, pub.ID, "ALICE@example.test"); err != nil {
			t.Fatal(err)
		}
		got := kindsOf(t, s, alice.ID)
		want := []string{"shared:bob:Plum cake", "comment:bob:Plum cake", "like:bob:Plum cake", "follow:bob:"}
		if !slices.Equal(got, want) {
			t.Fatalf("alice's notifications %v, want %v", got, want)
		}
		p, _ := s.Notifications(ctx, alice.ID, 10, "", false)
		if p.Items[1].CommentID != c.ID || p.Items[1].RecipeID != pub.ID || p.Items[0].Read {
			t.Fatalf("comment notification %+v", p.Items[1])
		}

		// Self-actions notify nobody.
		if _, err := s.SetLike(ctx, viewer(alice.ID), pub.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddComment(ctx, viewer(alice.ID), pub.ID, "Thanks"); err != nil {
			t.Fatal(err)
		}
		if err := s.NotifyShared(ctx, alice.ID, pub.ID, "alice@example.test"); err != nil {
			t.Fatal(err)
		}
		if err := s.NotifyShared(ctx, alice.ID, pub.ID, "nobody@example.test"); err != nil {
			t.Fatal(err)
		}
		if n := notificationRows(t, s, alice.ID); n != 4 {
			t.Fatalf("alice has %d rows after her own actions, want 4", n)
		}
		if n, err := s.UnreadNotifications(ctx, alice.ID); err != nil || n != 4 {
			t.Fatalf("unread %d, %v", n, err)
		}
		if n := notificationRows(t, s, bob.ID); n != 0 {
			t.Fatalf("bob has %d rows", n)
		}
	})
}

func TestNotificationsDedupeContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		pub := mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)
		day := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		now := day
		store.SetClock(s, func() time.Time { return now })
		for range 3 {
			mustFollow(t, s, bob.ID, "alice", true)
			mustFollow(t, s, bob.ID, "alice", false)
			for _, on := range []bool{true, false} {
				if _, err := s.SetLike(ctx, viewer(bob.ID), pub.ID, on); err != nil {
					t.Fatal(err)
				}
			}
			now = now.Add(time.Hour)
		}
		if got := kindsOf(t, s, alice.ID); len(got) != 2 {
			t.Fatalf("after three rounds in a day: %v, want one follow and one like", got)
		}
		now = day.Add(24 * time.Hour)
		mustFollow(t, s, bob.ID, "alice", true)
		if got := kindsOf(t, s, alice.ID); len(got) != 3 || got[0] != "follow:bob:" {
			t.Fatalf("the next day: %v", got)
		}
	})
}

func TestNotificationsPrivacyContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		r := mustRecipe(t, s, alice.ID, "Secret stew", recipe.Public)
		// Bob likes and comments while it is public, and Alice shares it
		// with him; then Alice makes it private.
		if _, err := s.SetLike(ctx, viewer(bob.ID), r.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddComment(ctx, viewer(bob.ID), r.ID, "Yum"); err != nil {
			t.Fatal(err)
		}
		if err := s.NotifyShared(ctx, alice.ID, r.ID, "bob@example.test"); err != nil {
			t.Fatal(err)
		}
		in := input("Secret stew", recipe.Private)
		if _, err := s.ReplaceRecipe(ctx, r.ID, in); err != nil {
			t.Fatal(err)
		}
		// Alice may read her own private recipe: she still sees both.
		if got := kindsOf(t, s, alice.ID); len(got) != 2 {
			t.Fatalf("alice sees %v", got)
		}
		// Bob may not: the share of it is gone from his list and count,
		// title and all, though its row stays.
		if got := kindsOf(t, s, bob.ID); len(got) != 0 {
			t.Fatalf("bob sees %v of a private recipe", got)
		}
		if n, _ := s.UnreadNotifications(ctx, bob.ID); n != 0 {
			t.Fatalf("bob's unread count %d", n)
		}
		if notificationRows(t, s, bob.ID) != 1 {
			t.Fatal("bob's row went")
		}
		// Public again: it is back.
		in.Visibility = recipe.Unlisted
		if _, err := s.ReplaceRecipe(ctx, r.ID, in); err != nil {
			t.Fatal(err)
		}
		if got := kindsOf(t, s, bob.ID); len(got) != 1 {
			t.Fatalf("bob sees %v of an unlisted recipe", got)
		}
		// A deleted recipe takes its notifications with it.
		if err := s.DeleteRecipe(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		if notificationRows(t, s, bob.ID)+notificationRows(t, s, alice.ID) != 0 {
			t.Fatal("rows outlive their recipe")
		}
	})
}

func TestNotificationPrefsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		pub := mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)
		prefs, err := s.NotificationPrefs(ctx, alice.ID)
		if err != nil || len(prefs) != len(store.NotificationKinds) || prefs[store.KindLike] != store.ChannelApp {
			t.Fatalf("defaults %v, %v", prefs, err)
		}
		for _, bad := range []store.NotificationPrefs{{"poke": store.ChannelApp}, {store.KindLike: "pigeon"},
			{store.KindShared: store.ChannelEmail}, {store.KindFollow: store.ChannelOff, store.KindShared: store.ChannelDigest}} {
			if err := s.SetNotificationPrefs(ctx, alice.ID, bad); !errors.Is(err, store.ErrBadPreference) {
				t.Fatalf("%v: %v", bad, err)
			}
		}
		if p, _ := s.NotificationPrefs(ctx, alice.ID); p[store.KindFollow] != store.ChannelApp {
			t.Fatal("a refused change wrote something")
		}
		if err := s.SetNotificationPrefs(ctx, alice.ID, store.NotificationPrefs{store.KindLike: store.ChannelOff,
			store.KindFollow: store.ChannelEmail, store.KindComment: store.ChannelDigest}); err != nil {
			t.Fatal(err)
		}
		var emailed []int64
		s.SetHooks(store.Hooks{NotificationEmails: func(_ context.Context, ids []int64) { emailed = append(emailed, ids...) }})
		if _, err := s.SetLike(ctx, viewer(bob.ID), pub.ID, true); err != nil {
			t.Fatal(err)
		}
		mustFollow(t, s, bob.ID, "alice", true)
		if _, err := s.AddComment(ctx, viewer(bob.ID), pub.ID, "Nice"); err != nil {
			t.Fatal(err)
		}
		if got := kindsOf(t, s, alice.ID); !slices.Equal(got, []string{"comment:bob:Plum cake", "follow:bob:"}) {
			t.Fatalf("with likes off: %v", got)
		}
		if len(emailed) != 1 {
			t.Fatalf("emails announced %v, want the follow's", emailed)
		}
		m, err := s.NotificationForEmail(ctx, emailed[0])
		if err != nil || m.Kind != store.KindFollow || m.Email != "alice@example.test" || m.ActorUsername != "bob" {
			t.Fatalf("email of the follow: %+v, %v", m, err)
		}
		if err := s.TurnOffNotificationEmail(ctx, alice.ID, store.KindFollow); err != nil {
			t.Fatal(err)
		}
		if _, err := s.NotificationForEmail(ctx, emailed[0]); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("email after unsubscribing: %v", err)
		}
		if p, _ := s.NotificationPrefs(ctx, alice.ID); p[store.KindFollow] != store.ChannelApp || p[store.KindLike] != store.ChannelOff {
			t.Fatalf("after unsubscribing: %v", p)
		}
	})
}

func TestNotificationsPaginationAndReadContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice := mkUser(t, s, "alice")
		for i := range 25 {
			fan := mkUser(t, s, fmt.Sprintf("fan%02d", i))
			mustFollow(t, s, fan.ID, "alice", true)
		}
		var seen []int64
		cursor := ""
		for {
			p, err := s.Notifications(ctx, alice.ID, 10, cursor, false)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range p.Items {
				seen = append(seen, n.ID)
			}
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		if len(seen) != 25 || !slices.IsSortedFunc(seen, func(a, b int64) int { return int(b - a) }) {
			t.Fatalf("pages gave %v", seen)
		}
		if _, err := s.Notifications(ctx, alice.ID, 10, "bogus", false); !errors.Is(err, store.ErrBadCursor) {
			t.Fatalf("bad cursor: %v", err)
		}
		// Marking read takes only one's own.
		bob := mkUser(t, s, "bob")
		if n, err := s.MarkNotificationsRead(ctx, bob.ID, seen[:3], false); err != nil || n != 0 {
			t.Fatalf("bob marked %d of alice's, %v", n, err)
		}
		if n, err := s.MarkNotificationsRead(ctx, alice.ID, seen[:3], false); err != nil || n != 3 {
			t.Fatalf("marked %d, %v", n, err)
		}
		if n, _ := s.UnreadNotifications(ctx, alice.ID); n != 22 {
			t.Fatalf("unread %d", n)
		}
		if p, _ := s.Notifications(ctx, alice.ID, 100, "", true); len(p.Items) != 22 {
			t.Fatalf("unread list %d", len(p.Items))
		}
		if n, err := s.MarkNotificationsRead(ctx, alice.ID, nil, true); err != nil || n != 22 {
			t.Fatalf("marked all: %d, %v", n, err)
		}
		if n, _ := s.UnreadNotifications(ctx, alice.ID); n != 0 {
			t.Fatalf("unread after all %d", n)
		}
	})
}

func TestNewRecipeFanOutContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice := mkUser(t, s, "alice")
		var published []string
		s.SetHooks(store.Hooks{RecipePublished: func(_ context.Context, id string) { published = append(published, id) }})
		const followers = 2500
		insertFollowers(t, s, alice.ID, followers)
		// One follower turned it off, one wants an email each.
		users := followerIDs(t, s, alice.ID)
		if err := s.SetNotificationPrefs(ctx, users[0], store.NotificationPrefs{store.KindNewRecipe: store.ChannelOff}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetNotificationPrefs(ctx, users[1], store.NotificationPrefs{store.KindNewRecipe: store.ChannelEmail}); err != nil {
			t.Fatal(err)
		}

		// Creating the recipe costs the same statements with 2 500
		// followers as with none: it only announces the recipe.
		lonely := mkUser(t, s, "lonely")
		before := s.QueryStats().Queries
		mustRecipe(t, s, lonely.ID, "Nobody's soup", recipe.Public)
		alone := s.QueryStats().Queries - before
		before = s.QueryStats().Queries
		pub := mustRecipe(t, s, alice.ID, "Everybody's soup", recipe.Public)
		if popular := s.QueryStats().Queries - before; popular != alone {
			t.Fatalf("creating a recipe with %d followers took %d statements, with none %d", followers, popular, alone)
		}
		priv := mustRecipe(t, s, alice.ID, "Diary", recipe.Private)
		unl := mustRecipe(t, s, alice.ID, "Link only", recipe.Unlisted)
		if len(published) != 2 || published[1] != pub.ID { // the private and unlisted ones are not announced
			t.Fatalf("announced %v", published)
		}

		var emails []int64
		batches, err := s.FanOutNewRecipe(ctx, pub.ID, 1000, func(_ context.Context, ids []int64) error {
			emails = append(emails, ids...)
			return nil
		})
		if err != nil || batches != 3 {
			t.Fatalf("fan out: %d batches, %v", batches, err)
		}
		var n int
		if err := s.DB().QueryRow("SELECT count(*) FROM notifications WHERE kind = 'new_recipe'").Scan(&n); err != nil || n != followers-1 {
			t.Fatalf("%d new_recipe rows, %v", n, err)
		}
		if len(emails) != 1 {
			t.Fatalf("emails %v", emails)
		}
		// Again (a retried job): nothing more.
		if _, err := s.FanOutNewRecipe(ctx, pub.ID, 1000, nil); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{priv.ID, unl.ID} {
			if b, err := s.FanOutNewRecipe(ctx, id, 1000, nil); err != nil || b != 0 {
				t.Fatalf("fan out of a hidden recipe: %d, %v", b, err)
			}
		}
		if err := s.DB().QueryRow("SELECT count(*) FROM notifications WHERE kind = 'new_recipe'").Scan(&n); err != nil || n != followers-1 {
			t.Fatalf("%d new_recipe rows after repeats, %v", n, err)
		}
		if got := kindsOf(t, s, users[2]); !slices.Equal(got, []string{"new_recipe:alice:Everybody's soup"}) {
			t.Fatalf("a follower sees %v", got)
		}
	})
}

// insertFollowers makes n accounts that follow userID.
func insertFollowers(t *testing.T, s *store.Store, userID string, n int) {
	t.Helper()
	for i := range n {
		u := mkUser(t, s, fmt.Sprintf("f%05d", i))
		if _, err := s.DB().Exec("INSERT INTO follows (follower_id, followee_id, created_at) VALUES ('" + u.ID + "', '" + userID + "', CURRENT_TIMESTAMP)"); err != nil {
			t.Fatal(err)
		}
	}
}

func followerIDs(t *testing.T, s *store.Store, userID string) []string {
	t.Helper()
	rows, err := s.DB().Query("SELECT follower_id FROM follows WHERE followee_id = '" + userID + "' ORDER BY follower_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func TestDigestContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		pub := mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)
		if err := s.SetNotificationPrefs(ctx, alice.ID, store.NotificationPrefs{store.KindLike: store.ChannelDigest,
			store.KindFollow: store.ChannelDigest}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetLike(ctx, viewer(bob.ID), pub.ID, true); err != nil {
			t.Fatal(err)
		}
		mustFollow(t, s, bob.ID, "alice", true)
		later := time.Now().Add(time.Minute)
		who, err := s.DigestRecipients(ctx, later, "", 10)
		if err != nil || !slices.Equal(who, []string{alice.ID}) {
			t.Fatalf("recipients %v, %v", who, err)
		}
		// Follows go back to the app: that one is settled, not digested.
		if err := s.SetNotificationPrefs(ctx, alice.ID, store.NotificationPrefs{store.KindFollow: store.ChannelApp}); err != nil {
			t.Fatal(err)
		}
		d, err := s.DigestFor(ctx, alice.ID, later)
		if err != nil || len(d.Items) != 1 || d.Items[0].Kind != store.KindLike || len(d.IDs) != 1 {
			t.Fatalf("digest %+v, %v", d, err)
		}
		if err := s.MarkNotificationsEmailed(ctx, d.IDs); err != nil {
			t.Fatal(err)
		}
		if who, _ := s.DigestRecipients(ctx, later, "", 10); len(who) != 0 {
			t.Fatalf("owed after sending: %v", who)
		}
	})
}

// TestPruneNotificationsContract: read notifications go after the read
// keep, every one after the unread keep, across several id windows, and
// nothing newer is touched.
func TestPruneNotificationsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice := mkUser(t, s, "alice")
		now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		tx, err := s.DB().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		add := func(count int, age time.Duration, read func(i int) bool) {
			for i := range count {
				at := now.Add(-age).Add(time.Duration(i) * time.Second)
				var readAt any
				if read(i) {
					readAt = at.Add(time.Minute)
				}
				n++
				q := "INSERT INTO notifications (user_id, kind, dedupe_key, delivery, created_at, read_at) VALUES ($1, 'follow', $2, 'app', $3, $4)"
				if _, err := tx.ExecContext(ctx, q, alice.ID, fmt.Sprintf("k%d", n), at, readAt); err != nil {
					t.Fatal(err)
				}
			}
		}
		always := func(int) bool { return true }
		never := func(int) bool { return false }
		add(1200, 400*24*time.Hour, never)                                // past a year, unread: go
		add(1200, 200*24*time.Hour, func(i int) bool { return i%2 == 0 }) // half read: those go
		add(300, 10*24*time.Hour, always)                                 // recent, read: stay
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		deleted, err := s.PruneNotifications(ctx, now.Add(-90*24*time.Hour), now.Add(-365*24*time.Hour))
		if err != nil || deleted != 1800 {
			t.Fatalf("pruned %d, %v; want 1800", deleted, err)
		}
		if left := notificationRows(t, s, alice.ID); left != 900 {
			t.Fatalf("%d rows left, want 900", left)
		}
		var readLeft int
		if err := s.DB().QueryRow("SELECT count(*) FROM notifications WHERE read_at IS NOT NULL").Scan(&readLeft); err != nil || readLeft != 300 {
			t.Fatalf("%d read rows left (want the 300 recent ones), %v", readLeft, err)
		}
		// Again: nothing more to do.
		if deleted, err := s.PruneNotifications(ctx, now.Add(-90*24*time.Hour), now.Add(-365*24*time.Hour)); err != nil || deleted != 0 {
			t.Fatalf("second prune: %d, %v", deleted, err)
		}
	})
}
