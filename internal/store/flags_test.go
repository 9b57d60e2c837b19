package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/store"
)

func TestFlagOverrides(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if got, err := s.FlagOverrides(ctx, "production"); err != nil || len(got) != 0 {
			t.Fatalf("empty table: %v, %v", got, err)
		}
		if _, err := s.FlagOverride(ctx, "production", "some-flag"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing override: %v, want ErrNotFound", err)
		}
		o := &flags.Override{Environment: "production", Key: "some-flag", Enabled: true, RolloutPercent: 25,
			AllowUsers: []string{"u1", "u2"}, DenyUsers: []string{"u3"}, UpdatedBy: "alice"}
		if err := s.SetFlagOverride(ctx, o); err != nil {
			t.Fatal(err)
		}
		if o.UpdatedAt.IsZero() {
			t.Error("UpdatedAt not stamped")
		}
		// Same key in another environment is a separate row.
		if err := s.SetFlagOverride(ctx, &flags.Override{Environment: "staging", Key: "some-flag", Enabled: false}); err != nil {
			t.Fatal(err)
		}
		got, err := s.FlagOverride(ctx, "production", "some-flag")
		if err != nil {
			t.Fatal(err)
		}
		if !got.Enabled || got.RolloutPercent != 25 || !slices.Equal(got.AllowUsers, []string{"u1", "u2"}) ||
			!slices.Equal(got.DenyUsers, []string{"u3"}) || got.UpdatedBy != "alice" || !got.UpdatedAt.Equal(o.UpdatedAt) {
			t.Errorf("round trip: got %+v, want %+v", got, o)
		}

		// Upsert replaces every field.
		o2 := &flags.Override{Environment: "production", Key: "some-flag", Enabled: false, RolloutPercent: 100, UpdatedBy: "bob"}
		if err := s.SetFlagOverride(ctx, o2); err != nil {
			t.Fatal(err)
		}
		all, err := s.FlagOverrides(ctx, "production")
		if err != nil || len(all) != 1 {
			t.Fatalf("after upsert: %v, %v", all, err)
		}
		if g := all[0]; g.Enabled || g.RolloutPercent != 100 || len(g.AllowUsers) != 0 || len(g.DenyUsers) != 0 || g.UpdatedBy != "bob" {
			t.Errorf("after upsert: %+v", g)
		}
		if all, _ := s.FlagOverrides(ctx, "staging"); len(all) != 1 || all[0].Enabled {
			t.Errorf("staging override changed: %+v", all)
		}

		// Invalid overrides never reach the database.
		for _, bad := range []*flags.Override{
			{Environment: "production", Key: "some-flag", RolloutPercent: 101},
			{Environment: "production", Key: "some-flag", RolloutPercent: -1},
			{Environment: "moon", Key: "some-flag"},
			{Environment: "production", Key: "Not A Key"},
			{Environment: "production", Key: "some-flag", AllowUsers: []string{"x"}, DenyUsers: []string{"x"}},
		} {
			if err := s.SetFlagOverride(ctx, bad); !errors.Is(err, flags.ErrInvalid) {
				t.Errorf("SetFlagOverride(%+v) = %v, want ErrInvalid", bad, err)
			}
		}
		// The database's own constraints hold too.
		if _, err := s.DB().ExecContext(ctx, "UPDATE feature_flags SET rollout_percent = 150"); err == nil {
			t.Error("database accepted rollout_percent 150")
		}

		if err := s.DeleteFlagOverride(ctx, "production", "some-flag"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteFlagOverride(ctx, "production", "some-flag"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second delete: %v, want ErrNotFound", err)
		}
	})
}
