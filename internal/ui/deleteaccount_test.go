package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/store"
)

// TestDeleteAccountPage: the settings page links to a confirmation page
// that says what goes. With a second factor the page asks for a code
// too; a missing or wrong password or code is a field error and deletes
// nothing. The right ones delete the account, clear the session and
// land on the home page saying so; the name and password no longer sign
// in.
func TestDeleteAccountPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		t0 := time.Now()
		ann := s.register(t, "ann")
		id := s.userID(t, "ann")
		d := assertDocument(t, ann.get(t, "/settings").want(t, http.StatusOK))
		if a := d.first(`a[href="/settings/delete"]`); a == nil || !strings.Contains(a.textContent(), "Delete my account") {
			t.Fatal("the settings page has no link to delete the account")
		}
		secret, _ := enrolPages(t, ann, t0)

		d = assertDocument(t, ann.get(t, "/settings/delete").want(t, http.StatusOK))
		if h := d.first("h1"); h == nil || h.textContent() != "Delete your account?" {
			t.Fatal("no confirmation heading")
		}
		if !strings.Contains(d.textContent(), "cannot be undone") || d.first("#code") == nil {
			t.Fatal("the page does not warn, or asks no code of an account with a second factor")
		}

		for name, form := range map[string]url.Values{
			"nothing":        {},
			"no code":        {"password": {testPassword}},
			"wrong password": {"password": {"not it at all"}, "code": {codeAt(t, secret, t0, 1)}},
			"wrong code":     {"password": {testPassword}, "code": {"000000"}},
		} {
			r := ann.post(t, "/settings/delete", form).want(t, http.StatusUnprocessableEntity)
			d := assertDocument(t, r)
			switch name {
			case "nothing":
				assertFieldError(t, d, "password", "is required")
			case "no code":
				assertFieldError(t, d, "code", "is required")
			case "wrong password":
				assertFieldError(t, d, "password", "is not your current password")
			case "wrong code":
				assertFieldError(t, d, "code", "is not valid")
			}
			if strings.Contains(r.String(), "not it at all") {
				t.Errorf("%s: the password was sent back in the page", name)
			}
			if !ann.signedIn(t) {
				t.Fatalf("%s: the refused deletion signed ann out", name)
			}
		}

		r := ann.post(t, "/settings/delete", url.Values{"password": {testPassword}, "code": {codeAt(t, secret, t0, 1)}}).
			want(t, http.StatusSeeOther)
		if r.location(t) != "/" {
			t.Errorf("after deletion, redirected to %q", r.location(t))
		}
		if f := flash(t, ann.follow(t, r).want(t, http.StatusOK)); !strings.HasPrefix(f, "Your account and everything in it have been deleted.") {
			t.Errorf("flash %q", f)
		}
		if ann.signedIn(t) {
			t.Error("still signed in after deleting the account")
		}
		s.browser().post(t, "/login", url.Values{"login": {"ann"}, "password": {testPassword}}).want(t, http.StatusUnauthorized)
		if _, err := s.Store.UserByID(context.Background(), id); err != store.ErrNotFound {
			t.Errorf("the user row: %v, want not found", err)
		}
	})
}
