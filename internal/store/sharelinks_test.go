package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

func newLink(t *testing.T, s *store.Store, v recipe.Viewer, id, label string, expires *time.Time, now time.Time) (token string, link *store.ShareLink) {
	t.Helper()
	token = auth.NewSecret()
	link, err := s.CreateShareLink(context.Background(), v, id, store.NewShareLink{TokenHash: auth.HashSecret(token), Label: label, ExpiresAt: expires}, now)
	if err != nil {
		t.Fatal(err)
	}
	return token, link
}

// TestShareLinksContract: a link of a private recipe opens it by its
// token's hash, counts its visits, lists for the author alone, stops at
// its expiry and at once when revoked, and the table never holds a
// token; deleting the recipe deletes its links.
func TestShareLinksContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		private := mustRecipe(t, s, alice.ID, "Secret stew", recipe.Private)
		now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
		in := now.Add(24 * time.Hour)

		token, link := newLink(t, s, viewer(alice.ID), private.ID, "for Grandma", &in, now)
		if link.RecipeID != private.ID || link.Label != "for Grandma" || !link.ExpiresAt.Equal(in) || link.Uses != 0 {
			t.Fatalf("created %+v", link)
		}
		forever, _ := newLink(t, s, viewer(alice.ID), private.ID, "", nil, now.Add(time.Second))

		// The table holds the hash, never the token.
		var stored string
		if err := s.DB().QueryRow("SELECT token_hash FROM share_links WHERE id = '" + link.ID + "'").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != auth.HashSecret(token) || stored == token {
			t.Fatalf("stored %q for token %q", stored, token)
		}
		var holding int
		if err := s.DB().QueryRow("SELECT count(*) FROM share_links WHERE token_hash = '" + token + "' OR label = '" + token + "'").Scan(&holding); err != nil || holding != 0 {
			t.Fatalf("%d rows hold the token itself (%v)", holding, err)
		}

		for i := 1; i <= 2; i++ {
			id, err := s.UseShareLink(ctx, auth.HashSecret(token), now.Add(time.Hour))
			if err != nil || id != private.ID {
				t.Fatalf("use %d: %q, %v", i, id, err)
			}
		}
		links, err := s.ShareLinks(ctx, viewer(alice.ID), private.ID, now.Add(2*time.Hour))
		if err != nil || len(links) != 2 || links[0].Label != "" || links[1].ID != link.ID {
			t.Fatalf("list: %+v, %v", links, err)
		}
		if l := links[1]; l.Uses != 2 || l.LastUsedAt == nil || !l.LastUsedAt.Equal(now.Add(time.Hour)) || links[0].ExpiresAt != nil {
			t.Fatalf("counted visits: %+v", l)
		}
		if id, err := s.SharedRecipeID(ctx, auth.HashSecret(token), now.Add(time.Hour)); err != nil || id != private.ID {
			t.Fatalf("photo look-up: %q, %v", id, err)
		}

		// Only the author lists, makes and revokes; others see nothing.
		if _, err := s.ShareLinks(ctx, viewer(bob.ID), private.ID, now); err != store.ErrNotFound {
			t.Fatalf("bob lists a private recipe's links: %v", err)
		}
		pub := mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)
		if _, err := s.ShareLinks(ctx, viewer(bob.ID), pub.ID, now); !errors.Is(err, store.ErrNotAuthor) {
			t.Fatalf("bob lists a public recipe's links: %v, want ErrNotAuthor", err)
		}
		if _, err := s.CreateShareLink(ctx, viewer(bob.ID), pub.ID, store.NewShareLink{TokenHash: auth.HashSecret(auth.NewSecret())}, now); !errors.Is(err, store.ErrNotAuthor) {
			t.Fatalf("bob links a public recipe: %v", err)
		}
		if _, err := s.CreateShareLink(ctx, recipe.Viewer{UserID: bob.ID, Admin: true}, private.ID, store.NewShareLink{TokenHash: auth.HashSecret(auth.NewSecret())}, now); err != store.ErrNotFound {
			t.Fatalf("an admin links a private recipe: %v", err)
		}
		if err := s.RevokeShareLink(ctx, viewer(bob.ID), private.ID, link.ID); err != store.ErrNotFound {
			t.Fatalf("bob revokes: %v", err)
		}

		// Expiry: after it the token is unknown, and the list leaves it out.
		if _, err := s.UseShareLink(ctx, auth.HashSecret(token), in); err != store.ErrNotFound {
			t.Fatalf("at expiry: %v", err)
		}
		if _, err := s.SharedRecipeID(ctx, auth.HashSecret(token), in.Add(time.Second)); err != store.ErrNotFound {
			t.Fatalf("photos after expiry: %v", err)
		}
		if links, _ := s.ShareLinks(ctx, viewer(alice.ID), private.ID, in); len(links) != 1 || links[0].ExpiresAt != nil {
			t.Fatalf("list after expiry: %+v", links)
		}
		// Revoking stops it at once; a second revoke finds nothing.
		if _, err := s.UseShareLink(ctx, auth.HashSecret(forever), in); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeShareLink(ctx, viewer(alice.ID), private.ID, links[0].ID); err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{auth.HashSecret(forever), auth.HashSecret("unknown"), "", "x\x00y"} {
			if _, err := s.UseShareLink(ctx, h, now); err != store.ErrNotFound {
				t.Fatalf("revoked or unknown %q: %v", h, err)
			}
		}
		if err := s.RevokeShareLink(ctx, viewer(alice.ID), private.ID, links[0].ID); err != store.ErrNotFound {
			t.Fatalf("revoke twice: %v", err)
		}
		// A link of another recipe is not revoked through this one.
		_, other := newLink(t, s, viewer(alice.ID), pub.ID, "", nil, now)
		if err := s.RevokeShareLink(ctx, viewer(alice.ID), private.ID, other.ID); err != store.ErrNotFound {
			t.Fatalf("revoke through another recipe: %v", err)
		}

		// Deleting the recipe deletes its links.
		if err := s.DeleteRecipe(ctx, private.ID); err != nil {
			t.Fatal(err)
		}
		if n := rowCount(t, s, "share_links", private.ID); n != 0 {
			t.Errorf("share_links keeps %d rows of a deleted recipe", n)
		}
		if n := rowCount(t, s, "share_links", pub.ID); n != 1 {
			t.Errorf("the other recipe has %d links, want 1", n)
		}
	})
}

// TestShareLinkCapContract: a recipe holds at most MaxShareLinksPerRecipe
// live links; expired ones do not count (and are cleared), and a refusal
// writes nothing.
func TestShareLinkCapContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice := mkUser(t, s, "alice")
		r := mustRecipe(t, s, alice.ID, "Busy bread", recipe.Unlisted)
		now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
		soon := now.Add(time.Minute)
		newLink(t, s, viewer(alice.ID), r.ID, "short-lived", &soon, now)
		for i := 1; i < store.MaxShareLinksPerRecipe; i++ {
			newLink(t, s, viewer(alice.ID), r.ID, fmt.Sprint(i), nil, now)
		}
		over := store.NewShareLink{TokenHash: auth.HashSecret(auth.NewSecret())}
		if _, err := s.CreateShareLink(ctx, viewer(alice.ID), r.ID, over, now); !errors.Is(err, store.ErrTooManyShareLinks) {
			t.Fatalf("link %d: %v, want ErrTooManyShareLinks", store.MaxShareLinksPerRecipe+1, err)
		}
		if n := rowCount(t, s, "share_links", r.ID); n != store.MaxShareLinksPerRecipe {
			t.Fatalf("%d rows after a refusal", n)
		}
		// Once the short-lived one has expired there is room again, and
		// the expired row is gone.
		if _, err := s.CreateShareLink(ctx, viewer(alice.ID), r.ID, over, soon); err != nil {
			t.Fatal(err)
		}
		if n := rowCount(t, s, "share_links", r.ID); n != store.MaxShareLinksPerRecipe {
			t.Fatalf("%d rows, want the cap: the expired link should be cleared", n)
		}
		// An account deleted takes the links it made.
		if _, err := s.DB().Exec("DELETE FROM users WHERE id = '" + alice.ID + "'"); err != nil {
			t.Fatal(err)
		}
		if n := rowCount(t, s, "share_links", r.ID); n != 0 {
			t.Fatalf("%d links outlive their author", n)
		}
	})
}
