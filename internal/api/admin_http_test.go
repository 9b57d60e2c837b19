package api_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/reccollection/reccollection/internal/flags"
)

type adminUserJSON struct {
	userJSON
	Disabled   bool    `json:"disabled"`
	DisabledAt *string `json:"disabled_at"`
}

type auditJSON struct {
	Items []struct {
		ID      int64  `json:"id"`
		ActorID string `json:"actor_id"`
		Action  string `json:"action"`
		Target  string `json:"target"`
		IP      string `json:"ip"`
		Details string `json:"details"`
	} `json:"items"`
	NextBefore int64 `json:"next_before"`
}

// TestAdminConsoleGate: every admin route answers 401 to anonymous
// callers, 403 to users and 200 (or 204) to admins.
func TestAdminConsoleGate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		admin := s.admin(t, "chief")
		user := s.apiClient(t, "plain")
		victim := s.apiClient(t, "victim")
		id := victim.user.ID
		routes := []struct {
			method, path string
			body         any
			ok           int
		}{
			{"GET", "/api/v1/admin/users?q=vic", nil, http.StatusOK},
			{"POST", "/api/v1/admin/users/" + id + "/disable", nil, http.StatusOK},
			{"POST", "/api/v1/admin/users/" + id + "/enable", nil, http.StatusOK},
			{"POST", "/api/v1/admin/users/" + id + "/role", map[string]any{"role": "user"}, http.StatusOK},
			{"POST", "/api/v1/admin/users/" + id + "/sessions/reset", nil, http.StatusNoContent},
			{"POST", "/api/v1/admin/users/" + id + "/revoke", nil, http.StatusOK},
			{"GET", "/api/v1/admin/flags", nil, http.StatusOK},
			{"PUT", "/api/v1/admin/flags/" + flags.RecipeShareLink, map[string]any{"enabled": false}, http.StatusOK},
			{"GET", "/api/v1/admin/audit", nil, http.StatusOK},
		}
		for _, r := range routes {
			s.anon().do(t, r.method, r.path, r.body).wantProblem(t, http.StatusUnauthorized)
			user.do(t, r.method, r.path, r.body).wantProblem(t, http.StatusForbidden)
			admin.do(t, r.method, r.path, r.body).want(t, r.ok)
		}
	})
}

func TestAdminConsoleEffects(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		ctx := context.Background()
		admin := s.admin(t, "chief")
		bob := s.apiClient(t, "bob")
		bobBrowser, _ := s.login(t, "bob", testPassword)

		// Search.
		var list struct {
			Items      []adminUserJSON `json:"items"`
			NextCursor string          `json:"next_cursor"`
		}
		admin.do(t, "GET", "/api/v1/admin/users?q=BO", nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].Username != "bob" || list.Items[0].Disabled {
			t.Fatalf("search bo = %+v", list.Items)
		}
		admin.do(t, "GET", "/api/v1/admin/users?after=chief", nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("search after chief = %+v, want none", list.Items)
		}

		// Disable: the token and the session stop working; enable again.
		var u adminUserJSON
		admin.do(t, "POST", "/api/v1/admin/users/"+bob.user.ID+"/disable", nil).want(t, http.StatusOK).decode(t, &u)
		if !u.Disabled || u.DisabledAt == nil {
			t.Errorf("after disable: %+v", u)
		}
		bob.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		bobBrowser.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		s.anon().do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "bob", "password": testPassword}).wantProblem(t, http.StatusUnauthorized)
		admin.do(t, "POST", "/api/v1/admin/users/"+bob.user.ID+"/enable", nil).want(t, http.StatusOK).decode(t, &u)
		if u.Disabled {
			t.Errorf("after enable: %+v", u)
		}
		// Enabled again, bob signs in afresh: nothing from before works.
		bob.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		bobBrowser.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		bobAgain, lg := s.login(t, "bob", testPassword)
		bob = bobAgain.withToken(lg.Token)
		bob.me(t)

		// An admin cannot disable or demote themself.
		admin.do(t, "POST", "/api/v1/admin/users/"+admin.user.ID+"/disable", nil).wantProblem(t, http.StatusConflict)
		admin.do(t, "POST", "/api/v1/admin/users/"+admin.user.ID+"/role", map[string]any{"role": "user"}).wantProblem(t, http.StatusConflict)
		admin.do(t, "POST", "/api/v1/admin/users/"+bob.user.ID+"/role", map[string]any{"role": "chief"}).wantProblem(t, http.StatusUnprocessableEntity, "role")
		admin.do(t, "POST", "/api/v1/admin/users/not-a-uuid/disable", nil).wantProblem(t, http.StatusNotFound)
		admin.do(t, "POST", "/api/v1/admin/users/00000000-0000-0000-0000-000000000000/enable", nil).wantProblem(t, http.StatusNotFound)

		// Promote: bob may now use the console.
		bob.do(t, "GET", "/api/v1/admin/flags", nil).wantProblem(t, http.StatusForbidden)
		admin.do(t, "POST", "/api/v1/admin/users/"+bob.user.ID+"/role", map[string]any{"role": "admin"}).want(t, http.StatusOK).decode(t, &u)
		if u.Role != "admin" {
			t.Errorf("after promote: role %q", u.Role)
		}
		bob.do(t, "GET", "/api/v1/admin/flags", nil).want(t, http.StatusOK)

		// Reset sessions: the browser is signed out and the tokens die too.
		bobBrowser2, lg2 := s.login(t, "bob", testPassword)
		bobBrowser2.do(t, "GET", "/api/v1/me", nil).want(t, http.StatusOK)
		admin.do(t, "POST", "/api/v1/admin/users/"+bob.user.ID+"/sessions/reset", nil).want(t, http.StatusNoContent)
		bobBrowser2.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		bob.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		bobBrowser2.withToken(lg2.Token).do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)

		// Flags: a change is visible through the evaluator at once.
		ev := s.App.Flags()
		if ev.Enabled(ctx, flags.RecipeShareLink, bob.user.ID) {
			t.Fatal("share link on before any override")
		}
		admin.do(t, "PUT", "/api/v1/admin/flags/"+flags.RecipeShareLink, map[string]any{"enabled": true, "rollout_percent": 0, "allow": []string{bob.user.ID}}).want(t, http.StatusOK)
		if !ev.Enabled(ctx, flags.RecipeShareLink, bob.user.ID) || ev.Enabled(ctx, flags.RecipeShareLink, admin.user.ID) {
			t.Error("allow list override not visible through the evaluator")
		}
		admin.do(t, "PUT", "/api/v1/admin/flags/"+flags.RecipeShareLink, map[string]any{"enabled": true, "rollout_percent": 100}).want(t, http.StatusOK)
		if !ev.Enabled(ctx, flags.RecipeShareLink, admin.user.ID) {
			t.Error("100% override not visible through the evaluator")
		}
		var fl struct {
			Items []struct {
				Key      string `json:"key"`
				Override *struct {
					Enabled        bool   `json:"enabled"`
					RolloutPercent int    `json:"rollout_percent"`
					UpdatedBy      string `json:"updated_by"`
				} `json:"override"`
			} `json:"items"`
		}
		admin.do(t, "GET", "/api/v1/admin/flags", nil).want(t, http.StatusOK).decode(t, &fl)
		i := slices.IndexFunc(fl.Items, func(f struct {
			Key      string `json:"key"`
			Override *struct {
				Enabled        bool   `json:"enabled"`
				RolloutPercent int    `json:"rollout_percent"`
				UpdatedBy      string `json:"updated_by"`
			} `json:"override"`
		}) bool {
			return f.Key == flags.RecipeShareLink
		})
		if i < 0 || fl.Items[i].Override == nil || !fl.Items[i].Override.Enabled || fl.Items[i].Override.RolloutPercent != 100 || fl.Items[i].Override.UpdatedBy != "chief" {
			t.Errorf("flags list = %+v", fl.Items)
		}
		admin.do(t, "PUT", "/api/v1/admin/flags/"+flags.RecipeShareLink, map[string]any{"enabled": true, "rollout_percent": 101}).wantProblem(t, http.StatusUnprocessableEntity, "rollout_percent")
		admin.do(t, "PUT", "/api/v1/admin/flags/"+flags.RecipeShareLink, map[string]any{"rollout_percent": 5}).wantProblem(t, http.StatusUnprocessableEntity, "enabled")
		admin.do(t, "PUT", "/api/v1/admin/flags/"+flags.RecipeShareLink, map[string]any{"enabled": true, "allow": []string{"x"}, "deny": []string{"x"}}).wantProblem(t, http.StatusUnprocessableEntity)
		admin.do(t, "PUT", "/api/v1/admin/flags/no-such-flag", map[string]any{"enabled": true}).wantProblem(t, http.StatusNotFound)

		// The audit log has every action with actor, target and IP, and
		// the sign-ins.
		s.anon().do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "bob", "password": "wrong password!"}).wantProblem(t, http.StatusUnauthorized)
		var log auditJSON
		admin.do(t, "GET", "/api/v1/admin/audit", nil).want(t, http.StatusOK).decode(t, &log)
		var actions []string
		for _, e := range log.Items {
			actions = append(actions, e.Action)
			switch e.Action {
			case "user.disable", "user.enable", "user.role", "user.sessions_reset":
				if e.ActorID != admin.user.ID || e.Target != "user:"+bob.user.ID || e.IP == "" {
					t.Errorf("audit entry %+v: want actor %s, target user:%s and an IP", e, admin.user.ID, bob.user.ID)
				}
			case "flag.set":
				if e.ActorID != admin.user.ID || e.Target != "flag:"+flags.RecipeShareLink || e.IP == "" {
					t.Errorf("audit entry %+v", e)
				}
			case "login.failed", "login.succeeded":
				if e.Target != "user:"+bob.user.ID || e.IP == "" {
					t.Errorf("audit entry %+v", e)
				}
			}
		}
		for _, want := range []string{"user.disable", "user.enable", "user.role", "user.sessions_reset", "flag.set", "login.succeeded", "login.failed"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit log %v has no %s", actions, want)
			}
		}
		if actions[0] != "login.failed" {
			t.Errorf("newest audit entry is %s, want login.failed", actions[0])
		}
		// Paging: older than the newest entry.
		var older auditJSON
		admin.do(t, "GET", "/api/v1/admin/audit?before="+strconv.FormatInt(log.Items[0].ID, 10), nil).want(t, http.StatusOK).decode(t, &older)
		if len(older.Items) == 0 || older.Items[0].ID != log.Items[1].ID {
			t.Errorf("page before %d starts at %+v", log.Items[0].ID, older.Items)
		}
		admin.do(t, "GET", "/api/v1/admin/audit?before=x", nil).wantProblem(t, http.StatusUnprocessableEntity, "before")
	})
}
