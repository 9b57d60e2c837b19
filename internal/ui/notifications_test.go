package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/store"
)

// navNotifications is the navigation's notifications link of a page
// (the first: the row and the phone menu repeat it), or nil.
func navNotifications(t *testing.T, d *node) *node {
	t.Helper()
	for _, a := range d.all("nav a") {
		if a.get("href") == "/notifications" {
			return a
		}
	}
	return nil
}

// The list: the navigation's count, entries newest first that say who
// did what with a link, unread ones marked for eyes and screen readers,
// opening one marks it read and goes where it leads, "Mark all read".
func TestNotificationsPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob := s.register(t, "ann"), s.register(t, "bob")
		id := ann.createRecipe(t, simpleRecipe("Rhubarb fool", "public"))
		bob.post(t, "/u/ann/follow", url.Values{"to": {"on"}}).want(t, http.StatusSeeOther)
		bob.post(t, "/recipes/"+id+"/like", url.Values{"to": {"on"}}).want(t, http.StatusSeeOther)

		if a := navNotifications(t, assertDocument(t, s.browser().get(t, "/recipes/"+id))); a != nil {
			t.Error("a visitor's navigation links to notifications")
		}
		a := navNotifications(t, assertDocument(t, ann.get(t, "/recipes/"+id)))
		if a == nil || a.textContent() != "Notifications 2 (2 unread)" {
			t.Fatalf("ann's navigation link %q", a.textContent())
		}
		if a := navNotifications(t, assertDocument(t, bob.get(t, "/"))); a == nil || a.textContent() != "Notifications" {
			t.Fatalf("bob's navigation link without unread: %v", a)
		}

		d := assertDocument(t, ann.get(t, "/notifications").want(t, http.StatusOK))
		items := d.all(".notification-list li")
		if len(items) != 2 || !strings.Contains(items[0].textContent(), "Bob Cook liked your recipe “Rhubarb fool”") ||
			!strings.Contains(items[1].textContent(), "Bob Cook started following you") {
			t.Fatalf("entries %q", d.texts(".notification-list li"))
		}
		if len(d.all(".notification-unread")) != 2 || !strings.HasPrefix(items[0].first("a").textContent(), "Unread:") {
			t.Fatalf("unread marks: %q", d.texts(".notification-list a"))
		}
		like := items[0].first("a").get("href")
		if loc := ann.get(t, like).want(t, http.StatusSeeOther).location(t); loc != "/recipes/"+id {
			t.Fatalf("opening the like goes to %q", loc)
		}
		// Somebody else's entry is a 404, as a missing one.
		bob.get(t, like).want(t, http.StatusNotFound)
		ann.get(t, "/notifications/999999999").want(t, http.StatusNotFound)
		ann.get(t, "/notifications/nope").want(t, http.StatusNotFound)
		d = assertDocument(t, ann.get(t, "/notifications"))
		if len(d.all(".notification-unread")) != 1 {
			t.Fatal("the opened entry is still unread")
		}
		if a := navNotifications(t, d); a.textContent() != "Notifications 1 (1 unread)" {
			t.Fatalf("count after opening one: %q", a.textContent())
		}
		if d := assertDocument(t, ann.get(t, "/notifications?unread=1")); len(d.all(".notification-list li")) != 1 {
			t.Fatal("the unread tab")
		}
		r := ann.post(t, "/notifications/read", url.Values{"all": {"1"}}).want(t, http.StatusSeeOther)
		if loc := r.location(t); loc != "/notifications" {
			t.Fatalf("mark all read goes to %q", loc)
		}
		d = assertDocument(t, ann.get(t, "/notifications"))
		if len(d.all(".notification-unread")) != 0 || d.one(t, "#flash").textContent() != "All notifications marked read." {
			t.Fatal("after marking all read")
		}

		// Refusals: a visitor is sent to sign in; a bad form or cursor is
		// a friendly 400.
		if loc := s.browser().get(t, "/notifications").want(t, http.StatusSeeOther).location(t); !strings.HasPrefix(loc, "/login") {
			t.Fatalf("a visitor goes to %q", loc)
		}
		ann.post(t, "/notifications/read", url.Values{}).want(t, http.StatusBadRequest)
		ann.post(t, "/notifications/read", url.Values{"id": {"x"}}).want(t, http.StatusBadRequest)
		ann.get(t, "/notifications?after=garbage").want(t, http.StatusBadRequest)
	})
}

// A recipe that turned private leaves the list and the count of someone
// who may no longer read it, title and all.
func TestNotificationsPageHidesPrivateRecipes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob := s.register(t, "ann"), s.register(t, "bob")
		bob.post(t, "/u/ann/follow", url.Values{"to": {"on"}}).want(t, http.StatusSeeOther)
		id := ann.createRecipe(t, simpleRecipe("Secret stew", "public"))
		if _, err := s.Store.FanOutNewRecipe(context.Background(), id, 0, nil); err != nil {
			t.Fatal(err)
		}
		if d := assertDocument(t, bob.get(t, "/notifications")); !strings.Contains(d.one(t, ".notification-list").textContent(), "Secret stew") {
			t.Fatal("the new recipe is not listed")
		}
		f := simpleRecipe("Secret stew", "private")
		ann.post(t, "/recipes/"+id+"/edit", f.values()).want(t, http.StatusSeeOther)
		r := bob.get(t, "/notifications")
		if strings.Contains(string(r.body), "Secret stew") || navNotifications(t, assertDocument(t, r)).textContent() != "Notifications" {
			t.Fatal("a private recipe's notification shows")
		}
	})
}

// The preferences: a table of kinds by channels, every radio labelled,
// saved by a plain form; a channel the kind does not offer is refused
// with the form shown again and nothing saved.
func TestNotificationSettingsPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann := s.register(t, "ann")
		d := assertDocument(t, ann.get(t, "/settings/notifications").want(t, http.StatusOK))
		rows := d.all(".prefs-table tbody tr")
		if len(rows) != len(store.NotificationKinds) {
			t.Fatalf("%d rows", len(rows))
		}
		for _, in := range d.all(".prefs-table input") {
			if in.get("type") != "radio" || in.parent.tag != "label" {
				t.Fatalf("an input without its label: %v", in.get("name"))
			}
		}
		if n := len(d.all(`.prefs-table fieldset legend`)); n != len(rows) {
			t.Fatalf("%d legends for %d groups", n, len(rows))
		}
		r := ann.post(t, "/settings/notifications", url.Values{"like": {"email"}, "comment": {"off"}}).want(t, http.StatusSeeOther)
		if loc := r.location(t); loc != "/settings/notifications" {
			t.Fatalf("saved, goes to %q", loc)
		}
		d = assertDocument(t, ann.get(t, "/settings/notifications"))
		checked := map[string]string{}
		for _, in := range d.all(".prefs-table input") {
			if in.has("checked") {
				checked[in.get("name")] = in.get("value")
			}
		}
		if checked["like"] != "email" || checked["comment"] != "off" || checked["follow"] != "app" || len(checked) != 5 {
			t.Fatalf("checked after saving: %v", checked)
		}
		r = ann.post(t, "/settings/notifications", url.Values{"follow": {"off"}, "shared": {"email"}}).want(t, http.StatusUnprocessableEntity)
		d = assertDocument(t, r)
		if d.one(t, "[role=alert]").textContent() == "" {
			t.Fatal("no error shown")
		}
		prefs, err := s.Store.NotificationPrefs(context.Background(), s.userID(t, "ann"))
		if err != nil || prefs[store.KindFollow] != store.ChannelApp {
			t.Fatalf("a refused form saved: %v, %v", prefs, err)
		}
		if loc := s.browser().get(t, "/settings/notifications").want(t, http.StatusSeeOther).location(t); !strings.HasPrefix(loc, "/login") {
			t.Fatalf("a visitor goes to %q", loc)
		}
	})
}

// A token not made by this server is a 404 signed in or out.
func TestUnsubscribeRefusesForgedTokens(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		for _, tok := range []string{"x", "eA.eA", "Zm9vL2xpa2U.AAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
			s.browser().get(t, "/unsubscribe/"+tok).want(t, http.StatusNotFound)
			s.browser().post(t, "/unsubscribe/"+tok, url.Values{"List-Unsubscribe": {"One-Click"}}).want(t, http.StatusNotFound)
		}
	})
}
