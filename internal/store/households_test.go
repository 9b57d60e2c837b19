package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/store"
)

func count(t *testing.T, s *store.Store, query string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestHouseholdFirstSightContract: many first requests for one person's
// household at once make exactly one household, and everyone sees it.
func TestHouseholdFirstSightContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		u := mkUser(t, s, "newcomer")
		now := time.Now()
		ids := make([]string, 8)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				h, err := s.Household(context.Background(), u.ID, now)
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = h.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("households %v", ids)
			}
		}
		if n := count(t, s, "SELECT count(*) FROM households"); n != 1 {
			t.Fatalf("%d households, want 1", n)
		}
	})
}

// TestHouseholdAccountDeletionContract: deleting an account takes its
// membership away; a household left without an owner gets its
// longest-standing member as one, and one left empty is deleted with its
// invitations.
func TestHouseholdAccountDeletionContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		owner, first, second, loner := mkUser(t, s, "owner"), mkUser(t, s, "first"), mkUser(t, s, "second"), mkUser(t, s, "loner")
		join := func(who string, at time.Time) {
			t.Helper()
			token := auth.NewSecret()
			if _, err := s.CreateHouseholdInvitation(ctx, owner.ID, store.NewInvitation{TokenHash: auth.HashSecret(token)}, at); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AcceptHouseholdInvitation(ctx, who, auth.HashSecret(token), at); err != nil {
				t.Fatal(err)
			}
		}
		join(first.ID, now)
		join(second.ID, now.Add(time.Minute))
		if _, err := s.CreateHouseholdInvitation(ctx, owner.ID, store.NewInvitation{TokenHash: auth.HashSecret(auth.NewSecret())}, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeleteAccount(ctx, owner.ID); err != nil {
			t.Fatal(err)
		}
		h, err := s.Household(ctx, second.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Members) != 2 || h.Members[0].ID != first.ID || h.Members[0].Role != planner.Owner || h.Members[1].Role != planner.Member {
			t.Fatalf("after the owner's deletion: %+v", h.Members)
		}
		if f, err := s.Household(ctx, first.ID, now); err != nil || f.Invitations == nil || len(f.Invitations) != 1 || f.Invitations[0].InvitedBy != "" {
			t.Fatalf("the new owner's view of the invitation made by a deleted account: %+v %v", f, err)
		}

		lone, err := s.Household(ctx, loner.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeleteAccount(ctx, loner.ID); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, "SELECT count(*) FROM households WHERE id = '"+lone.ID+"'"); n != 0 {
			t.Fatalf("an empty household was left behind")
		}
		if n := count(t, s, "SELECT count(*) FROM households"); n != 1 {
			t.Fatalf("%d households, want 1", n)
		}
	})
}

// TestHouseholdSwapContract: two people accepting each other's
// invitation at the same moment neither deadlock nor lose anyone: each
// ends up in exactly one household, and no household is left empty.
func TestHouseholdSwapContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now()
		a, b := mkUser(t, s, "aaa"), mkUser(t, s, "bbb")
		// Each has a partner, so neither household is a sole member's.
		pa, pb := mkUser(t, s, "paa"), mkUser(t, s, "pbb")
		invite := func(owner string) string {
			token := auth.NewSecret()
			if _, err := s.CreateHouseholdInvitation(ctx, owner, store.NewInvitation{TokenHash: auth.HashSecret(token)}, now); err != nil {
				t.Fatal(err)
			}
			return token
		}
		if _, err := s.AcceptHouseholdInvitation(ctx, pa.ID, auth.HashSecret(invite(a.ID)), now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcceptHouseholdInvitation(ctx, pb.ID, auth.HashSecret(invite(b.ID)), now); err != nil {
			t.Fatal(err)
		}
		toB, toA := invite(b.ID), invite(a.ID)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		wg.Go(func() { _, errs[0] = s.AcceptHouseholdInvitation(ctx, a.ID, auth.HashSecret(toB), now) })
		wg.Go(func() { _, errs[1] = s.AcceptHouseholdInvitation(ctx, b.ID, auth.HashSecret(toA), now) })
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("swap: %v", err)
		}
		if n := count(t, s, "SELECT count(*) FROM household_members"); n != 4 {
			t.Fatalf("%d memberships, want 4", n)
		}
		if n := count(t, s, "SELECT count(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id)"); n != 0 {
			t.Fatalf("%d empty households", n)
		}
		if n := count(t, s, "SELECT count(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id AND m.role = 'owner')"); n != 0 {
			t.Fatalf("%d households without an owner", n)
		}
	})
}
