package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// adminSite is a development site with an admin "boss" and a user "cook".
func adminSite(t *testing.T, engine string) (*site, *browser, *browser) {
	t.Helper()
	s := newSite(t, engine)
	boss := s.register(t, "boss")
	if err := s.Store.SetRole(context.Background(), s.userID(t, "boss"), auth.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	return s, boss, s.register(t, "cook")
}

// lastAudit is the newest audit entry of action, or nil.
func lastAudit(t testing.TB, s *site, action string) *store.AuditEntry {
	t.Helper()
	log, err := s.Store.AuditLog(context.Background(), 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.Action == action {
			return &e
		}
	}
	return nil
}

// buttonLabelled is the button in n whose aria-label is label, or nil.
func buttonLabelled(n *node, label string) *node {
	for _, sel := range []string{"button", "a.button"} {
		for _, b := range n.all(sel) {
			if b.get("aria-label") == label {
				return b
			}
		}
	}
	return nil
}

func userRow(t testing.TB, d *node, id string) *node {
	t.Helper()
	return d.one(t, "tr#user-"+id)
}

func TestAdminConsoleRefusesOthers(t *testing.T) {
	t.Parallel()
	s, _, cook := adminSite(t, "sqlite")
	bossID := s.userID(t, "boss")
	d := assertDocument(t, cook.get(t, "/admin").want(t, http.StatusForbidden))
	if h := d.one(t, "h1").textContent(); h != "Administrators only" {
		t.Errorf("non-admin sees %q", h)
	}
	posts := map[string]url.Values{
		"/admin/users/" + bossID + "/disable":        nil,
		"/admin/users/" + bossID + "/enable":         nil,
		"/admin/users/" + bossID + "/role":           {"role": {"user"}},
		"/admin/users/" + bossID + "/sessions/reset": nil,
		"/admin/users/" + bossID + "/revoke":         nil,
		"/admin/flags/" + flags.RecipeShareLink:      {"enabled": {"on"}, "rollout": {"50"}},
	}
	for path, form := range posts {
		if form == nil {
			form = url.Values{}
		}
		d := assertDocument(t, cook.post(t, path, form).want(t, http.StatusForbidden))
		if h := d.one(t, "h1").textContent(); h != "Administrators only" {
			t.Errorf("POST %s: non-admin sees %q", path, h)
		}
		if loc := s.browser().post(t, path, form).want(t, http.StatusSeeOther).location(t); !strings.HasPrefix(loc, "/login") {
			t.Errorf("POST %s anonymous: redirected to %q", path, loc)
		}
	}
	boss, err := s.Store.UserByID(context.Background(), bossID)
	if err != nil {
		t.Fatal(err)
	}
	if boss.DisabledAt != nil || !boss.IsAdmin() {
		t.Error("a refused post changed the admin's account")
	}
	if o, err := s.Store.FlagOverrides(context.Background(), "development"); err != nil || len(o) != 0 {
		t.Errorf("a refused post set a flag: %+v %v", o, err)
	}
	for _, action := range []string{"user.disable", "user.enable", "user.role", "user.sessions_reset", "flag.set"} {
		if e := lastAudit(t, s, action); e != nil {
			t.Errorf("refused posts were audited: %+v", e)
		}
	}
}

// In production an admin without a verified second factor is refused the
// posts too.
func TestAdminConsolePostsNeedSecondFactor(t *testing.T) {
	t.Parallel()
	srv := testutil.StartProductionServer(t, "sqlite")
	s := wrapSite(t, srv, "sqlite")
	s.tr.TLSClientConfig = srv.HTTP.Client().Transport.(*http.Transport).TLSClientConfig
	boss := s.register(t, "boss")
	s.register(t, "cook")
	if err := s.Store.SetRole(context.Background(), s.userID(t, "boss"), auth.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	d := assertDocument(t, boss.post(t, "/admin/users/"+s.userID(t, "cook")+"/disable", url.Values{}).want(t, http.StatusForbidden))
	if h := d.one(t, "h1").textContent(); h != "Set up two-factor authentication first" {
		t.Errorf("admin without TOTP sees %q", h)
	}
	if e := lastAudit(t, s, "user.disable"); e != nil {
		t.Errorf("refused post audited: %+v", e)
	}
}

func TestAdminConsoleSections(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *site) {
		boss := s.register(t, "boss")
		if err := s.Store.SetRole(context.Background(), s.userID(t, "boss"), auth.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		s.register(t, "cook")
		s.login(t, "cook") // a sign-in for the log
		r := boss.get(t, "/admin").want(t, http.StatusOK)
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		d := assertDocument(t, r)
		for id, text := range map[string]string{"status-heading": "System status", "users-heading": "Users",
			"flags-heading": "Feature flags", "audit-heading": "Audit log"} {
			if h := d.first("h2#" + id); h == nil || h.textContent() != text {
				t.Errorf("no section heading %q", text)
			}
		}
		if !strings.Contains(d.first("main").textContent(), s.engine) {
			t.Error("status does not name the engine")
		}
		if got, want := d.one(t, "dd#status-storage").textContent(), "ok "+s.App.Media().Describe(); got != want {
			t.Errorf("storage status %q, want %q", got, want)
		}
		if q := d.one(t, "dd#status-queue").textContent(); !strings.Contains(q, " waiting, ") || !strings.HasSuffix(q, " failed in the last 24 hours") {
			t.Errorf("job queue status %q", q)
		}
		if d.first(`label[for="user-q"]`) == nil {
			t.Error("search field has no label")
		}
		for _, table := range d.all("table") {
			if table.first("caption") == nil {
				t.Errorf("table without caption")
			}
			for _, th := range table.all("th") {
				if !th.has("scope") {
					t.Errorf("th %q without scope", th.textContent())
				}
			}
		}
		row := userRow(t, d, s.userID(t, "cook"))
		for _, label := range []string{"Disable cook", "Make admin: cook", "Revoke access of cook: every session and token"} {
			b := buttonLabelled(row, label)
			if b == nil || !b.hasClass("button") {
				t.Errorf("no button %q", label)
			}
		}
		// A button's spoken name contains its visible words, so someone
		// who says "click Make admin" to voice control reaches it.
		for _, b := range d.all("button") {
			if l, ok := b.attr("aria-label"); ok && !strings.Contains(strings.ToLower(l), strings.ToLower(b.textContent())) {
				t.Errorf("button %q is named %q, which does not contain its visible text", b.textContent(), l)
			}
		}
		// Search narrows the table.
		d = assertDocument(t, boss.get(t, "/admin?q="+q("cook@")).want(t, http.StatusOK))
		if names := d.texts("#user-results tbody th"); len(names) != 1 || names[0] != "cook" {
			t.Errorf("search cook@: %q", names)
		}
		if v := inputValue(t, d, "user-q"); v != "cook@" {
			t.Errorf("search box holds %q", v)
		}
		for _, f := range flags.All() {
			if d.first("#flag-"+f.Key) == nil || d.first(`label[for="flag-`+f.Key+`-rollout"]`) == nil {
				t.Errorf("no form for flag %s", f.Key)
			}
		}
		// The log shows the sign-ins, with an Older link once there are
		// more than 50 entries.
		if d.first("#audit-log tbody tr") == nil {
			t.Error("audit log is empty")
		}
		for range 55 {
			if err := s.Store.Audit(context.Background(), store.AuditEntry{Action: "test.filler", Target: "x", IP: "192.0.2.1"}); err != nil {
				t.Fatal(err)
			}
		}
		d = assertDocument(t, boss.get(t, "/admin").want(t, http.StatusOK))
		if n := len(d.all("#audit-log tbody tr")); n != 50 {
			t.Errorf("%d audit rows, want 50", n)
		}
		older := d.first(`a[rel="next"]`)
		if older == nil || older.textContent() != "Older" {
			t.Fatal("no Older link")
		}
		d = assertDocument(t, boss.get(t, older.get("href")).want(t, http.StatusOK))
		if len(d.all("#audit-log tbody tr")) == 0 {
			t.Error("the older page is empty")
		}
	})
}

func TestAdminConsoleUserActions(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *site) {
		boss := s.register(t, "boss")
		bossID := s.userID(t, "boss")
		if err := s.Store.SetRole(context.Background(), bossID, auth.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		cook := s.register(t, "cook")
		id := s.userID(t, "cook")
		ctx := context.Background()
		user := func() *auth.User {
			u, err := s.Store.UserByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		act := func(path string, form url.Values, wantFlash, wantAction string) {
			t.Helper()
			form.Set("q", "coo")
			r := boss.post(t, "/admin/users/"+id+path, form).want(t, http.StatusSeeOther)
			if loc := r.location(t); loc != "/admin?q=coo#users-heading" {
				t.Errorf("%s: redirected to %q", path, loc)
			}
			if f := flash(t, boss.follow(t, r).want(t, http.StatusOK)); f != wantFlash {
				t.Errorf("%s: flash %q, want %q", path, f, wantFlash)
			}
			e := lastAudit(t, s, wantAction)
			if e == nil || e.ActorID != bossID || e.Target != "user:"+id || e.IP == "" {
				t.Errorf("%s: audit entry %+v", path, e)
			}
		}

		act("/revoke", url.Values{}, "Every session and API token of the account has been revoked.", "user.revoke")
		if cook.signedIn(t) {
			t.Error("cook still signed in after the revocation")
		}
		// The older route does the same.
		cook = s.login(t, "cook")
		act("/sessions/reset", url.Values{}, "Every session and API token of the account has been revoked.", "user.sessions_reset")
		if cook.signedIn(t) {
			t.Error("cook still signed in after the reset")
		}
		cook = s.login(t, "cook")
		act("/disable", url.Values{}, "Account disabled; every session and API token of it has been revoked.", "user.disable")
		if user().DisabledAt == nil {
			t.Fatal("not disabled")
		}
		d := assertDocument(t, boss.get(t, "/admin?q=cook").want(t, http.StatusOK))
		if buttonLabelled(userRow(t, d, id), "Enable cook") == nil {
			t.Error("a disabled user has no Enable button")
		}
		// The log names the people involved, not their ids.
		for _, row := range d.all("#audit-log tbody tr") {
			cells := row.all("td")
			if len(cells) < 3 || cells[1].textContent() != "user.disable" {
				continue
			}
			if a, tg := cells[0].textContent(), cells[2].textContent(); a != "boss" || tg != "cook" {
				t.Errorf("the audit log shows user.disable by %q on %q, want boss on cook", a, tg)
			}
			break
		}
		if !strings.Contains(d.first("#audit-log").textContent(), "user.disable") {
			t.Error("the audit log does not show the disabling")
		}
		act("/enable", url.Values{}, "Account enabled. Its old sessions and tokens stay revoked: the user signs in afresh.", "user.enable")
		if user().DisabledAt != nil {
			t.Fatal("not enabled")
		}
		if cook.signedIn(t) {
			t.Error("cook's session from before the disable works again after enabling")
		}
		act("/role", url.Values{"role": {"admin"}}, "Role changed.", "user.role")
		if !user().IsAdmin() {
			t.Fatal("not promoted")
		}
		if e := lastAudit(t, s, "user.role"); e == nil || e.Details != "cook: user -> admin" {
			t.Errorf("role audit %+v", e)
		}
		d = assertDocument(t, boss.get(t, "/admin?q=cook").want(t, http.StatusOK))
		if buttonLabelled(userRow(t, d, id), "Remove admin role from cook") == nil {
			t.Error("an admin has no Remove admin button")
		}
		act("/role", url.Values{"role": {"user"}}, "Role changed.", "user.role")
		if user().IsAdmin() {
			t.Fatal("not demoted")
		}

		// Disabling asks first: the list's "Disable" opens a page whose
		// button posts; "Keep it active" goes back to the search.
		d = assertDocument(t, boss.get(t, "/admin?q=coo").want(t, http.StatusOK))
		dis := buttonLabelled(userRow(t, d, id), "Disable cook")
		if dis == nil || dis.tag != "a" {
			t.Fatalf("the Disable control of an active user is not a link to a confirmation: %+v", dis)
		}
		d = assertDocument(t, boss.get(t, dis.get("href")).want(t, http.StatusOK))
		if h := d.first("h1"); h == nil || h.textContent() != "Disable cook?" {
			t.Errorf("confirmation heading %q", d.texts("h1"))
		}
		if f := d.first(`form[method=post][action="/admin/users/` + id + `/disable"]`); f == nil || f.first("input[name=q]") == nil || f.first("input[name=q]").get("value") != "coo" {
			t.Error("the confirmation has no form posting the disable with the search")
		}
		if back := d.first("a.button-secondary"); back == nil || back.get("href") != "/admin?q=coo#users-heading" {
			t.Error("the confirmation's way back loses the search")
		}
		if user().DisabledAt != nil {
			t.Fatal("opening the confirmation disabled the account")
		}
		// No Disable on one's own row, and the page refuses oneself too.
		d = assertDocument(t, boss.get(t, "/admin?q=boss").want(t, http.StatusOK))
		if buttonLabelled(userRow(t, d, bossID), "Disable boss") != nil {
			t.Error("the admin's own row offers to disable them")
		}
		d = assertDocument(t, boss.get(t, "/admin/users/"+bossID+"/disable").want(t, http.StatusConflict))
		if msg := d.first("#users-error[role=alert]"); msg == nil || !strings.Contains(msg.textContent(), "You cannot") {
			t.Error("the confirmation for oneself shows no refusal")
		}
		boss.get(t, "/admin/users/nosuchuser/disable").want(t, http.StatusNotFound)

		// An admin cannot disable or demote themself.
		for path, form := range map[string]url.Values{"/disable": {}, "/role": {"role": {"user"}}} {
			r := boss.post(t, "/admin/users/"+bossID+path, form).want(t, http.StatusConflict)
			d := assertDocument(t, r)
			msg := d.first("#users-error[role=alert]")
			if msg == nil || !strings.Contains(msg.textContent(), "You cannot") {
				t.Errorf("%s of oneself: no error shown", path)
			}
		}
		me, err := s.Store.UserByID(ctx, bossID)
		if err != nil {
			t.Fatal(err)
		}
		if me.DisabledAt != nil || !me.IsAdmin() {
			t.Error("the admin disabled or demoted themself")
		}
		boss.post(t, "/admin/users/"+id+"/role", url.Values{"role": {"owner"}}).want(t, http.StatusConflict)
		boss.post(t, "/admin/users/nosuchuser/disable", url.Values{}).want(t, http.StatusNotFound)
	})
}

func TestAdminConsoleFlagForm(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *site) {
		boss := s.register(t, "boss")
		bossID := s.userID(t, "boss")
		if err := s.Store.SetRole(context.Background(), bossID, auth.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		s.register(t, "cook")
		s.register(t, "critic")
		key := flags.RecipeShareLink
		path, id := "/admin/flags/"+key, "flag-"+key

		// Validation errors appear beside the fields and in the summary.
		r := boss.post(t, path, url.Values{"enabled": {"on"}, "rollout": {"150"}, "allow": {"cook, nobody"}, "deny": {""}}).
			want(t, http.StatusUnprocessableEntity)
		d := assertDocument(t, r)
		assertFieldError(t, d, id+"-rollout", "from 0 to 100")
		assertFieldError(t, d, id+"-allow", "nobody")
		links := summaryLinks(t, d)
		if links[id+"-rollout"] == "" || links[id+"-allow"] == "" {
			t.Errorf("summary links %v", links)
		}
		if v := inputValue(t, d, id+"-rollout"); v != "150" {
			t.Errorf("rollout shown back as %q", v)
		}
		d = assertDocument(t, boss.post(t, path, url.Values{"enabled": {"on"}, "rollout": {"ten"}}).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, id+"-rollout", "whole number")
		d = assertDocument(t, boss.post(t, path, url.Values{"enabled": {"on"}, "allow": {"cook"}, "deny": {"cook"}}).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, id+"-deny", "always-on")
		if o, _ := s.Store.FlagOverrides(context.Background(), "development"); len(o) != 0 {
			t.Fatalf("an invalid form stored %+v", o)
		}
		if e := lastAudit(t, s, "flag.set"); e != nil {
			t.Errorf("invalid forms audited: %+v", e)
		}

		// A valid form stores the override with user ids, audits it and
		// shows it.
		r = boss.post(t, path, url.Values{"enabled": {"on"}, "rollout": {"25"}, "allow": {"cook"}, "deny": {"critic"}}).want(t, http.StatusSeeOther)
		if loc := r.location(t); loc != "/admin#"+id {
			t.Errorf("redirected to %q", loc)
		}
		r = boss.follow(t, r).want(t, http.StatusOK)
		if f := flash(t, r); f != "Feature flag saved." {
			t.Errorf("flash %q", f)
		}
		o, err := s.Store.FlagOverride(context.Background(), "development", key)
		if err != nil {
			t.Fatal(err)
		}
		if !o.Enabled || o.RolloutPercent != 25 || len(o.AllowUsers) != 1 || o.AllowUsers[0] != s.userID(t, "cook") ||
			len(o.DenyUsers) != 1 || o.DenyUsers[0] != s.userID(t, "critic") || o.UpdatedBy != "boss" {
			t.Errorf("stored %+v", o)
		}
		e := lastAudit(t, s, "flag.set")
		if e == nil || e.ActorID != bossID || e.Target != "flag:"+key || !strings.HasPrefix(e.Details, "development: 25%") {
			t.Errorf("audit %+v", e)
		}
		d = assertDocument(t, r)
		if v := inputValue(t, d, id+"-allow"); v != "cook" {
			t.Errorf("allow list shown as %q", v)
		}
		if v := inputValue(t, d, id+"-rollout"); v != "25" {
			t.Errorf("rollout shown as %q", v)
		}
		if !d.one(t, "#"+id+"-enabled").has("checked") {
			t.Error("enabled box not checked")
		}

		// Unticking the box is the kill switch.
		boss.post(t, path, url.Values{"rollout": {"100"}}).want(t, http.StatusSeeOther)
		if o, _ := s.Store.FlagOverride(context.Background(), "development", key); o.Enabled {
			t.Error("unticked box left the flag enabled")
		}
		boss.post(t, "/admin/flags/no-such-flag", url.Values{"enabled": {"on"}}).want(t, http.StatusNotFound)
	})
}

// The console says when the storage is unusable, and still shows the rest.
func TestAdminConsoleBrokenStorage(t *testing.T) {
	t.Parallel()
	s, boss, _ := adminSite(t, "sqlite")
	dir := strings.TrimPrefix(s.App.Media().Describe(), "file://")
	if !filepath.IsAbs(dir) {
		t.Fatalf("storage %q is not a file store", s.App.Media().Describe())
	}
	// The directory replaced by a file: nothing can be stored any more.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := assertDocument(t, boss.get(t, "/admin").want(t, http.StatusOK))
	if got := d.one(t, "dd#status-storage").textContent(); !strings.HasPrefix(got, "error ") {
		t.Errorf("storage status %q", got)
	}
	if d.first("h2#users-heading") == nil {
		t.Error("the rest of the console is missing")
	}
}
