package account_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	. "github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/notify"
	"github.com/reccollection/reccollection/internal/ratelimit"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestResetRequestsBudgetPerAccount: an account gets at most 3 reset
// messages an hour, whoever asks; further requests answer as before
// (nil) and send nothing, and nothing is sent for unknown or disabled
// accounts. After the hour the budget is back.
func TestResetRequestsBudgetPerAccount(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := testutil.OpenStore(t, engine)
			svc := New(s)
			for _, name := range []string{"ana", "ben"} {
				if _, err := svc.Register(ctx, auth.Registration{Username: name, Email: name + "@example.test", Password: "a quiet kitchen garden"}); err != nil {
					t.Fatal(err)
				}
			}
			clock := testutil.NewClock()
			var queued []string
			resets := NewPasswordResets(s, notify.Log{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, "http://localhost",
				ratelimit.NewMemoryWithClock(0, clock.Now), func(_ context.Context, userID string) error {
					queued = append(queued, userID)
					return nil
				}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			for range 5 {
				if err := resets.Request(ctx, "ana@example.test"); err != nil {
					t.Fatal(err)
				}
			}
			if len(queued) != 3 {
				t.Errorf("%d messages queued for 5 requests, want 3", len(queued))
			}
			if err := resets.Request(ctx, "nobody@example.test"); err != nil || len(queued) != 3 {
				t.Errorf("unknown address: %v, %d queued", err, len(queued))
			}
			ben, _ := s.UserByUsername(ctx, "ben")
			if _, err := s.SetUserDisabled(ctx, ben.ID, true); err != nil {
				t.Fatal(err)
			}
			if err := resets.Request(ctx, "ben@example.test"); err != nil || len(queued) != 3 {
				t.Errorf("disabled account: %v, %d queued", err, len(queued))
			}
			clock.Advance(time.Hour)
			if err := resets.Request(ctx, "ana@example.test"); err != nil || len(queued) != 4 {
				t.Errorf("after an hour: %v, %d queued", err, len(queued))
			}
		})
	}
}
