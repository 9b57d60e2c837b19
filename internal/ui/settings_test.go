package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth/authhttp"
)

func TestSettingsProfile(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	s.register(t, "bob")

	d := assertDocument(t, ann.get(t, "/settings").want(t, http.StatusOK))
	if inputValue(t, d, "display_name") != "Ann Cook" || d.one(t, ".current-email").textContent() != "ann@example.test" {
		t.Errorf("settings page does not show the profile")
	}

	// An email sent with the profile form (as older pages did) is ignored:
	// a new address is asked for in its own form and confirmed by email.
	r := ann.post(t, "/settings/profile", url.Values{"display_name": {"Chef Ann"}, "email": {"Chef@Example.test"}, "bio": {"I bake."}}).
		want(t, http.StatusSeeOther)
	if r.location(t) != "/settings" {
		t.Errorf("redirected to %q", r.location(t))
	}
	page := ann.follow(t, r)
	if f := flash(t, page); f != "Profile saved." {
		t.Errorf("flash %q", f)
	}
	d = assertDocument(t, page)
	if inputValue(t, d, "display_name") != "Chef Ann" || inputValue(t, d, "bio") != "I bake." {
		t.Errorf("saved values not shown: %q %q", inputValue(t, d, "display_name"), inputValue(t, d, "bio"))
	}
	u, err := s.Store.UserByUsername(context.Background(), "ann")
	if err != nil || u.DisplayName != "Chef Ann" || u.Email != "ann@example.test" || u.Bio != "I bake." {
		t.Errorf("stored profile %+v, %v", u, err)
	}
	prof := s.browser().get(t, "/u/ann").want(t, http.StatusOK).doc(t)
	if prof.one(t, "h1").textContent() != "Chef Ann" || prof.first(".bio") == nil || prof.first(".bio").textContent() != "I bake." {
		t.Errorf("profile page shows %q / %q", prof.texts("h1"), prof.texts(".bio"))
	}

	t.Run("invalid email", func(t *testing.T) {
		r := ann.post(t, "/settings/email", url.Values{"email": {"nope"}}).want(t, http.StatusUnprocessableEntity)
		d := assertDocument(t, r)
		assertFieldError(t, d, "email", "valid email address")
		if _, ok := summaryLinks(t, d)["email"]; !ok {
			t.Error("error summary has no link to #email")
		}
		if inputValue(t, d, "email") != "nope" || inputValue(t, d, "display_name") != "Chef Ann" {
			t.Error("typed value not kept, or the profile not shown")
		}
	})
	t.Run("empty display name, an email in use, the same email", func(t *testing.T) {
		r := ann.post(t, "/settings/profile", url.Values{"display_name": {" "}}).want(t, http.StatusUnprocessableEntity)
		assertFieldError(t, assertDocument(t, r), "display_name", "is required")
		r = ann.post(t, "/settings/email", url.Values{"email": {"BOB@example.test"}}).want(t, http.StatusUnprocessableEntity)
		assertFieldError(t, assertDocument(t, r), "email", "already taken")
		r = ann.post(t, "/settings/email", url.Values{"email": {" Ann@Example.test"}}).want(t, http.StatusUnprocessableEntity)
		assertFieldError(t, assertDocument(t, r), "email", "is already your address")
	})
	t.Run("a new email waits for confirmation", func(t *testing.T) {
		r := ann.post(t, "/settings/email", url.Values{"email": {"Chef@Example.test"}}).want(t, http.StatusSeeOther)
		page := ann.follow(t, r)
		if f := flash(t, page); !strings.Contains(f, "Check the inbox of your new address") {
			t.Errorf("flash %q", f)
		}
		d := assertDocument(t, page)
		if got := d.one(t, ".pending-email").textContent(); !strings.Contains(got, "Waiting for confirmation of chef@example.test") {
			t.Errorf("pending notice %q", got)
		}
		if d.one(t, ".current-email").textContent() != "ann@example.test" {
			t.Error("the current address changed before confirmation")
		}
		if u, _ := s.Store.UserByUsername(context.Background(), "ann"); u.Email != "ann@example.test" {
			t.Errorf("stored email %q before confirmation", u.Email)
		}
	})
}

func TestSettingsPassword(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	phone := s.login(t, "ann") // another device
	const newPassword = "a brand new kitchen password"

	t.Run("wrong current password", func(t *testing.T) {
		r := ann.post(t, "/settings/password", url.Values{"current_password": {"not it at all"}, "new_password": {newPassword}}).
			want(t, http.StatusUnprocessableEntity)
		d := assertDocument(t, r)
		assertFieldError(t, d, "current_password", "is not your current password")
		if strings.Contains(r.String(), "not it at all") || strings.Contains(r.String(), newPassword) {
			t.Error("a password was sent back in the page")
		}
		if !phone.signedIn(t) {
			t.Error("a failed change signed out the other device")
		}
	})
	t.Run("new password too short", func(t *testing.T) {
		r := ann.post(t, "/settings/password", url.Values{"current_password": {testPassword}, "new_password": {"short"}}).
			want(t, http.StatusUnprocessableEntity)
		assertFieldError(t, assertDocument(t, r), "new_password", "at least 8")
	})
	t.Run("success", func(t *testing.T) {
		old := ann.cookie(authhttp.SessionCookie)
		r := ann.post(t, "/settings/password", url.Values{"current_password": {testPassword}, "new_password": {newPassword}}).
			want(t, http.StatusSeeOther)
		if r.location(t) != "/settings" {
			t.Errorf("redirected to %q", r.location(t))
		}
		page := ann.follow(t, r).want(t, http.StatusOK)
		if f := flash(t, page); !strings.HasPrefix(f, "Password changed.") {
			t.Errorf("flash %q", f)
		}
		if !ann.signedIn(t) {
			t.Error("this browser was signed out")
		}
		if phone.signedIn(t) {
			t.Error("the other device is still signed in")
		}
		if s.withSession(old).signedIn(t) {
			t.Error("the session from before the change still works")
		}
		// The new password logs in; the old one does not.
		s.browser().post(t, "/login", url.Values{"login": {"ann"}, "password": {testPassword}}).want(t, http.StatusUnauthorized)
		b := s.browser()
		b.post(t, "/login", url.Values{"login": {"ann"}, "password": {newPassword}}).want(t, http.StatusSeeOther)
		if !b.signedIn(t) {
			t.Error("cannot log in with the new password")
		}
	})
}

var revokeAction = regexp.MustCompile(`^/settings/tokens/([^/]+)/revoke$`)

func TestSettingsTokens(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	bob := s.register(t, "bob")

	me := func(t *testing.T, token string) *resp {
		t.Helper()
		return s.browser().get(t, "/api/v1/me", withHeader("Authorization", "Bearer "+token), withHeader("Accept", "application/json"))
	}

	r := ann.post(t, "/settings/tokens", url.Values{"name": {"shopping list"}, "expires_in_days": {"30"}}).want(t, http.StatusOK)
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the page with the token has Cache-Control %q, want no-store", cc)
	}
	d := assertDocument(t, r)
	box := d.first(".token-once")
	if box == nil || !strings.Contains(box.textContent(), "shopping list") {
		t.Fatalf("no new-token notice")
	}
	token := d.one(t, "#new-token").get("value")
	if len(token) < 20 {
		t.Fatalf("token %q", token)
	}
	res := me(t, token).want(t, http.StatusOK)
	var who struct {
		Username string `json:"username"`
	}
	if err := json.Unmarshal(res.body, &who); err != nil || who.Username != "ann" {
		t.Errorf("/api/v1/me with the token: %s (%v)", res.body, err)
	}

	// A reload shows the token's name in the list, never the token.
	reload := ann.get(t, "/settings").want(t, http.StatusOK)
	if strings.Contains(reload.String(), token) || reload.doc(t).first("#new-token") != nil {
		t.Error("the token is shown again after a reload")
	}
	rows := reload.doc(t).all("table.tokens tbody tr")
	if len(rows) != 1 || !strings.Contains(rows[0].textContent(), "shopping list") {
		t.Fatalf("token list: %q", reload.doc(t).texts("table.tokens tbody tr"))
	}
	action := rows[0].one(t, "form").get("action")
	m := revokeAction.FindStringSubmatch(action)
	if m == nil {
		t.Fatalf("revoke form action %q", action)
	}
	if strings.Contains(m[1], token) {
		t.Error("the token id is the token")
	}

	t.Run("invalid token form", func(t *testing.T) {
		r := ann.post(t, "/settings/tokens", url.Values{"name": {""}, "expires_in_days": {"99999"}}).want(t, http.StatusUnprocessableEntity)
		d := assertDocument(t, r)
		assertFieldError(t, d, "name", "is required")
		assertFieldError(t, d, "expires_in_days", "1 to 3650")
	})

	t.Run("another person cannot revoke it", func(t *testing.T) {
		assertNotFoundPage(t, bob.post(t, action, nil))
		me(t, token).want(t, http.StatusOK)
		assertNotFoundPage(t, ann.post(t, "/settings/tokens/no-such-token/revoke", nil))
	})

	t.Run("revoke", func(t *testing.T) {
		r := ann.post(t, action, nil).want(t, http.StatusSeeOther)
		if r.location(t) != "/settings" {
			t.Errorf("redirected to %q", r.location(t))
		}
		page := ann.follow(t, r)
		if f := flash(t, page); f != "Token revoked." {
			t.Errorf("flash %q", f)
		}
		if n := len(page.doc(t).all("table.tokens tbody tr")); n != 0 {
			t.Errorf("%d tokens still listed", n)
		}
		me(t, token).want(t, http.StatusUnauthorized)
		// Revoking twice is a 404, not an error.
		assertNotFoundPage(t, ann.post(t, action, nil))
	})
}
