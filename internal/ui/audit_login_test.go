package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

// Sign-ins through the login form reach the audit log like those through
// the API (account.Authenticate writes both).
func TestLoginFormWritesAuditLog(t *testing.T) {
	s := newSite(t, "sqlite")
	s.register(t, "ana")
	id := s.userID(t, "ana")
	s.login(t, "ana")
	s.browser().post(t, "/login", url.Values{"login": {"ana"}, "password": {"not the password"}, "next": {"/"}}).
		want(t, http.StatusOK, http.StatusUnauthorized, http.StatusUnprocessableEntity)
	log, err := s.Store.AuditLog(context.Background(), 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range log {
		if e.Target == "user:"+id && e.IP != "" {
			seen[e.Action] = true
		}
	}
	if !seen["login.succeeded"] || !seen["login.failed"] {
		t.Errorf("audit log %+v lacks login.succeeded and login.failed for ana with an IP", log)
	}
}
