package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/store"
)

// TestMealPlanDayCapContract: members adding to one day at once never
// take it past planner.MaxEntriesPerDay; the rest are ErrDayFull.
func TestMealPlanDayCapContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now()
		a, b := mkUser(t, s, "aaa"), mkUser(t, s, "bbb")
		token := auth.NewSecret()
		if _, err := s.CreateHouseholdInvitation(ctx, a.ID, store.NewInvitation{TokenHash: auth.HashSecret(token)}, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcceptHouseholdInvitation(ctx, b.ID, auth.HashSecret(token), now); err != nil {
			t.Fatal(err)
		}
		day := now.UTC().Format(planner.DayLayout)
		var wg sync.WaitGroup
		var mu sync.Mutex
		added, full := 0, 0
		for i := range planner.MaxEntriesPerDay + 10 {
			who := a.ID
			if i%2 == 1 {
				who = b.ID
			}
			wg.Go(func() {
				_, err := s.AddPlanEntry(ctx, who, planner.EntryInput{Day: day, Slot: "dinner", Title: "Dish"}, now)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					added++
				case errors.Is(err, store.ErrDayFull):
					full++
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		p, err := s.MealPlan(ctx, a.ID, day, day, now)
		if err != nil {
			t.Fatal(err)
		}
		if added != planner.MaxEntriesPerDay || full != 10 || len(p.Entries) != planner.MaxEntriesPerDay {
			t.Fatalf("added %d, full %d, planned %d; want %d, 10, %d", added, full, len(p.Entries), planner.MaxEntriesPerDay, planner.MaxEntriesPerDay)
		}
		seen := map[int]bool{}
		for _, e := range p.Entries {
			if seen[e.Position] {
				t.Fatalf("position %d twice", e.Position)
			}
			seen[e.Position] = true
		}
	})
}

// TestMealPlanComesAlongContract: someone alone in their household who
// joins another brings their plan; someone who leaves a shared household
// leaves its plan with it.
func TestMealPlanComesAlongContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now()
		host, guest := mkUser(t, s, "host"), mkUser(t, s, "guest")
		day := now.UTC().Format(planner.DayLayout)
		for _, e := range []struct{ who, title string }{{host.ID, "Host's stew"}, {guest.ID, "Guest's pie"}} {
			if _, err := s.AddPlanEntry(ctx, e.who, planner.EntryInput{Day: day, Slot: "dinner", Title: e.title}, now); err != nil {
				t.Fatal(err)
			}
		}
		token := auth.NewSecret()
		if _, err := s.CreateHouseholdInvitation(ctx, host.ID, store.NewInvitation{TokenHash: auth.HashSecret(token)}, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcceptHouseholdInvitation(ctx, guest.ID, auth.HashSecret(token), now); err != nil {
			t.Fatal(err)
		}
		// The two entries were each first in their household's slot, so
		// they meet at one position: the order between them is the
		// tie-break's, and only which entries there are is compared.
		titles := func(who string) string {
			p, err := s.MealPlan(ctx, who, day, day, now)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range p.Entries {
				out = append(out, e.Title)
			}
			slices.Sort(out)
			return strings.Join(out, ";")
		}
		if got := titles(host.ID); got != "Guest's pie;Host's stew" {
			t.Fatalf("the joined plan: %q", got)
		}
		if err := s.LeaveHousehold(ctx, guest.ID, now); err != nil {
			t.Fatal(err)
		}
		if got := titles(guest.ID); got != "" {
			t.Fatalf("the leaver's new plan: %q", got)
		}
		if got := titles(host.ID); got != "Guest's pie;Host's stew" {
			t.Fatalf("the household's plan after someone left: %q", got)
		}
	})
}
