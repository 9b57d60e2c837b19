package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

// The registration form and the settings page refuse weak passwords and
// say why next to the field.
func TestPasswordPolicyForms(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	for _, tc := range []struct {
		password, reason string // reason "" = accepted
	}{
		{"12345678", "simple pattern"},
		{"        ", "must not be only spaces"},
		{"password", "one of the most common passwords"},
		{"aaaaaaaa", "simple pattern"},
		{"qwertyui", "simple pattern"},
		{"sunshine2024", "common password with a few characters added"},
		{"OWNER2024!", "built from your username"},
		{"reccollection", "built from the site's name"},
		{"short", "at least 8 characters"},
		{"a quiet kitchen garden", ""},
	} {
		t.Run(tc.password, func(t *testing.T) {
			r := s.browser().post(t, "/register", url.Values{"username": {"owner"}, "email": {"owner@example.test"},
				"password": {replaceOwner(tc.password, "owner")}})
			if tc.reason == "" {
				r.want(t, http.StatusSeeOther)
				return
			}
			assertFieldError(t, assertDocument(t, r.want(t, http.StatusUnprocessableEntity)), "password", tc.reason)
			if _, err := s.Store.UserByUsername(context.Background(), "owner"); err == nil {
				t.Fatal("the account was created")
			}

			r = ann.post(t, "/settings/password", url.Values{"current_password": {testPassword}, "new_password": {replaceOwner(tc.password, "ann")}}).
				want(t, http.StatusUnprocessableEntity)
			assertFieldError(t, assertDocument(t, r), "new_password", tc.reason)
		})
	}
	if !ann.signedIn(t) {
		t.Error("refused changes signed the browser out")
	}
}

// replaceOwner puts the username where a case says OWNER.
func replaceOwner(password, username string) string {
	if len(password) >= 5 && password[:5] == "OWNER" {
		return username + password[5:]
	}
	return password
}

// A password change on the settings page revokes every API token too,
// personal ones included, and signs out every other browser; this browser
// stays signed in.
func TestSettingsPasswordRevokesTokens(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, s *site) {
		ann := s.register(t, "ann")
		phone := s.login(t, "ann")
		d := assertDocument(t, ann.post(t, "/settings/tokens", url.Values{"name": {"script"}}).want(t, http.StatusOK))
		token := d.one(t, "#new-token").get("value")
		api := func() int {
			return s.browser().get(t, "/api/v1/me", withHeader("Authorization", "Bearer "+token), withHeader("Accept", "application/json")).status
		}
		if code := api(); code != http.StatusOK {
			t.Fatalf("the new token answers %d", code)
		}
		ann.post(t, "/settings/password", url.Values{"current_password": {testPassword}, "new_password": {"a quiet kitchen garden"}}).
			want(t, http.StatusSeeOther)
		if code := api(); code != http.StatusUnauthorized {
			t.Errorf("the personal token answers %d after the change, want 401", code)
		}
		if phone.signedIn(t) {
			t.Error("the other browser is still signed in")
		}
		if !ann.signedIn(t) {
			t.Error("the browser that changed the password was signed out")
		}
		if rows := ann.get(t, "/settings").want(t, http.StatusOK).doc(t).all("table.tokens tbody tr"); len(rows) != 0 {
			t.Errorf("%d tokens still listed", len(rows))
		}
	})
}
