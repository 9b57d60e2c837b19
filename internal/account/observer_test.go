package account_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/testutil"
)

type countingObserver struct {
	mu      sync.Mutex
	reasons map[string]int
}

func (c *countingObserver) LoginFailed(reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reasons[reason]++
}

// Refused sign-ins reach the observer with their reason, and only them.
func TestLoginObserverSeesFailuresAndThrottling(t *testing.T) {
	ctx := context.Background()
	s := testutil.OpenStore(t, "sqlite")
	hash, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, &auth.User{Username: "bea", Email: "bea@example.test", PasswordHash: hash, Role: auth.RoleUser}); err != nil {
		t.Fatal(err)
	}
	svc := account.New(s)
	obs := &countingObserver{reasons: map[string]int{}}
	svc.SetLoginObserver(obs)
	client := account.Client{IP: "192.0.2.7"}

	if _, err := svc.Authenticate(ctx, "bea", "correct horse battery staple", client); err != nil {
		t.Fatalf("good sign-in: %v", err)
	}
	for i := range account.FailuresPerAccount {
		if _, err := svc.Authenticate(ctx, "bea", "wrong", client); !errors.Is(err, account.ErrBadCredentials) {
			t.Fatalf("attempt %d: %v, want ErrBadCredentials", i, err)
		}
	}
	var te *account.ThrottledError
	if _, err := svc.Authenticate(ctx, "bea", "correct horse battery staple", client); !errors.As(err, &te) {
		t.Fatalf("after %d failures: %v, want throttled", account.FailuresPerAccount, err)
	}
	want := map[string]int{account.FailureBadCredentials: account.FailuresPerAccount, account.FailureThrottled: 1}
	if len(obs.reasons) != len(want) || obs.reasons[account.FailureBadCredentials] != want[account.FailureBadCredentials] ||
		obs.reasons[account.FailureThrottled] != 1 {
		t.Errorf("observed %v, want %v", obs.reasons, want)
	}
}
