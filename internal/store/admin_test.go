package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

func TestAdminContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ana, ben := mkUser(t, s, "ana"), mkUser(t, s, "ben_100%")
		now := time.Now().UTC()
		sess := auth.Session{ID: auth.HashSecret("ana-session"), UserID: ana.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		tok := &auth.APIToken{UserID: ana.ID, Name: "cli", Hash: auth.HashSecret("ana-token")}
		if err := s.CreateAPIToken(ctx, tok); err != nil {
			t.Fatal(err)
		}

		rev, err := s.SetUserDisabled(ctx, ana.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if rev.Sessions != 1 || rev.Tokens != 1 {
			t.Errorf("disabling revoked %+v, want 1 session and 1 token", rev)
		}
		got, err := s.UserByID(ctx, ana.ID)
		if err != nil || got.DisabledAt == nil {
			t.Fatalf("disabled user: %+v %v", got, err)
		}
		if _, _, err := s.UserBySession(ctx, sess.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a disabled user's session still works: %v", err)
		}
		if _, _, err := s.UserByAPIToken(ctx, tok.Hash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a disabled user's token still works: %v", err)
		}
		if _, err := s.SetUserDisabled(ctx, ana.ID, false); err != nil {
			t.Fatal(err)
		}
		// Re-enabling lets nothing old back in.
		if _, _, err := s.UserByAPIToken(ctx, tok.Hash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token after re-enabling: %v, want ErrNotFound", err)
		}
		if _, _, err := s.UserBySession(ctx, sess.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session after re-enabling: %v, want ErrNotFound", err)
		}
		if _, err := s.SetUserDisabled(ctx, "not-an-id", true); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("disabling a bad id: %v", err)
		}

		found, err := s.SearchUsers(ctx, "AN", 10, "")
		if err != nil || len(found) != 1 || found[0].ID != ana.ID {
			t.Errorf("search AN: %v %v", found, err)
		}
		found, _ = s.SearchUsers(ctx, "100%", 10, "")
		if len(found) != 1 || found[0].ID != ben.ID {
			t.Errorf("search with a literal %%: %v", found)
		}
		found, _ = s.SearchUsers(ctx, "", 1, "")
		if len(found) != 1 || found[0].Username != "ana" {
			t.Fatalf("first page: %v", found)
		}
		found, _ = s.SearchUsers(ctx, "", 1, "ana")
		if len(found) != 1 || found[0].Username != "ben_100%" {
			t.Errorf("second page: %v", found)
		}

		for _, e := range []store.AuditEntry{
			{ActorID: ana.ID, Action: "user.disable", Target: "user:" + ben.ID, IP: "192.0.2.1"},
			{Action: "login.failed", Target: "mallory", IP: "192.0.2.9"},
			{ActorID: ana.ID, Action: "flag.set", Target: "recipe-share-link", Details: "rollout=25"},
		} {
			if err := s.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		log, err := s.AuditLog(ctx, 2, 0)
		if err != nil || len(log) != 2 || log[0].Action != "flag.set" || log[1].Action != "login.failed" || log[1].ActorID != "" {
			t.Fatalf("newest audit page: %+v %v", log, err)
		}
		older, _ := s.AuditLog(ctx, 2, log[1].ID)
		if len(older) != 1 || older[0].Action != "user.disable" || older[0].Target != "user:"+ben.ID || older[0].IP != "192.0.2.1" {
			t.Errorf("older audit page: %+v", older)
		}
		// The page names the people: the actor and a user target by
		// username, read in the same query; other targets have none.
		if len(older) == 1 && (older[0].ActorName != "ana" || older[0].TargetName != "ben_100%") {
			t.Errorf("audit entry names actor %q and target %q, want ana and ben_100%%", older[0].ActorName, older[0].TargetName)
		}
		if log[0].ActorName != "ana" || log[0].TargetName != "" || log[1].ActorName != "" || log[1].TargetName != "" {
			t.Errorf("audit names: %+v", log)
		}
	})
}
