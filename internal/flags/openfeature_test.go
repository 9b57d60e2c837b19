package flags_test

import (
	"context"
	"testing"

	"github.com/open-feature/go-sdk/openfeature"
	"github.com/open-feature/go-sdk/openfeature/isolated"

	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/store"
)

// TestOpenFeatureProvider evaluates through the OpenFeature client API,
// as application code using the SDK would.
func TestOpenFeatureProvider(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		in, out := usersOnAndOff(t, "quarter", 25)
		denied := syntheticUsers(1000)[999]
		setOverride(t, s, flags.Override{Key: "quarter", Enabled: true, RolloutPercent: 25, DenyUsers: []string{denied}})
		setOverride(t, s, flags.Override{Key: "ten-percent", Enabled: true, RolloutPercent: 100})

		api := isolated.NewAPI()
		t.Cleanup(func() { _ = api.Shutdown(context.Background()) })
		e := flags.New(s, "production", flags.Options{Flags: testFlags})
		if err := api.SetProviderAndWait(ctx, flags.NewProvider(e)); err != nil {
			t.Fatal(err)
		}
		client := api.NewClient()
		user := func(id string) openfeature.EvaluationContext { return openfeature.NewEvaluationContext(id, nil) }
		anonymous := openfeature.NewTargetlessEvaluationContext(nil)

		cases := []struct {
			name    string
			key     string
			ec      openfeature.EvaluationContext
			want    bool
			reason  openfeature.Reason
			variant string
		}{
			{"in the split", "quarter", user(in), true, openfeature.SplitReason, "on"},
			{"outside the split", "quarter", user(out), false, openfeature.SplitReason, "off"},
			{"denied", "quarter", user(denied), false, openfeature.TargetingMatchReason, "off"},
			{"anonymous in a partial rollout", "quarter", anonymous, false, openfeature.DefaultReason, "off"},
			{"100%", "ten-percent", anonymous, true, openfeature.StaticReason, "on"},
			{"no override", "default-on", user(out), true, openfeature.DefaultReason, "on"},
		}
		for _, c := range cases {
			// The caller's default is the opposite of the answer, so a
			// fallback to it would show.
			d, err := client.BooleanValueDetails(ctx, c.key, !c.want, c.ec)
			if err != nil || d.Value != c.want || d.Reason != c.reason || d.Variant != c.variant || d.ErrorCode != "" {
				t.Errorf("%s: %+v, %v; want %v %s %s", c.name, d, err, c.want, c.reason, c.variant)
			}
			if owner, _ := d.FlagMetadata.GetString("owner"); owner != "tests" {
				t.Errorf("%s: flag metadata %v", c.name, d.FlagMetadata)
			}
		}

		// An unknown flag: the caller's default, FLAG_NOT_FOUND, ERROR.
		d, err := client.BooleanValueDetails(ctx, "no-such-flag", true, user(in))
		if err == nil || !d.Value || d.ErrorCode != openfeature.FlagNotFoundCode || d.Reason != openfeature.ErrorReason {
			t.Errorf("unknown flag: %+v, %v", d, err)
		}
		if v := client.Boolean(ctx, "no-such-flag", true, user(in)); !v {
			t.Error("Boolean of an unknown flag did not return the caller's default")
		}
		// Flags are boolean: any other type is a mismatch.
		sd, err := client.StringValueDetails(ctx, "quarter", "x", user(in))
		if err == nil || sd.Value != "x" || sd.ErrorCode != openfeature.TypeMismatchCode {
			t.Errorf("string evaluation: %+v, %v", sd, err)
		}

		// The database gone before the first load: caller's default, ERROR.
		broken := flags.New(s, "staging", flags.Options{Flags: testFlags})
		api2 := isolated.NewAPI()
		t.Cleanup(func() { _ = api2.Shutdown(context.Background()) })
		if err := api2.SetProviderAndWait(ctx, flags.NewProvider(broken)); err != nil {
			t.Fatal(err)
		}
		s.Close()
		d, err = api2.NewClient().BooleanValueDetails(ctx, "default-on", false, user(in))
		if err == nil || d.Value || d.Reason != openfeature.ErrorReason || d.ErrorCode != openfeature.GeneralCode {
			t.Errorf("database unavailable: %+v, %v", d, err)
		}
	})
}
