package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/flags"
)

// memberNames is the household page's member list as read: each
// member's name and badge.
func memberNames(t *testing.T, d *node) []string {
	t.Helper()
	var out []string
	for _, li := range d.all(".member .member-name") {
		out = append(out, li.textContent())
	}
	return out
}

// TestHouseholdPages: the household page shows one's own household in
// the navigation and on the page; an owner makes an invitation link,
// shown once; its holder sees who invites them where and joins; the
// owner promotes and removes; a member leaves; a spent link says so; a
// refused form comes back with its message; with the flag off the pages
// are not found and the navigation leaves them out.
func TestHouseholdPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, ben := s.register(t, "ann"), s.register(t, "ben")

		d := ann.get(t, "/household").want(t, http.StatusOK).doc(t)
		if got := d.one(t, "h1").textContent(); got != "Ann Cook’s household" {
			t.Errorf("h1 %q", got)
		}
		// Reached from the plan and the shopping lists, not the crowded
		// navigation.
		for _, from := range []string{"/plan", "/shopping"} {
			if a := ann.get(t, from).doc(t).first(`main a[href="/household"]`); a == nil || a.textContent() != "household page" {
				t.Errorf("%s does not link to the household page", from)
			}
		}
		if got := memberNames(t, d); len(got) != 1 || got[0] != "Ann Cook (you) Owner" {
			t.Errorf("members %q", got)
		}
		if d.first("#leave") != nil {
			t.Error("the only member is offered to leave")
		}

		// A link, shown once, announced.
		d = ann.post(t, "/household/invitations", url.Values{}).want(t, http.StatusOK).doc(t)
		link := d.one(t, "#invitation-link").get("value")
		u, err := url.Parse(link)
		if err != nil || !strings.HasPrefix(u.Path, "/household/join/") || d.first(".share-created[role=status]") == nil {
			t.Fatalf("invitation link %q", link)
		}
		if got := d.one(t, ".invitation-list li").textContent(); !strings.HasPrefix(got, "Link by Ann Cook") {
			t.Errorf("pending invitation %q", got)
		}
		if ann.get(t, "/household").doc(t).first("#invitation-link") != nil {
			t.Error("the link is shown again")
		}

		// Ben opens it: who, where, what happens; then joins.
		r := ben.get(t, u.Path).want(t, http.StatusOK)
		if r.header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(r.header.Get("Cache-Control"), "no-store") {
			t.Errorf("invitation page headers %v", r.header)
		}
		d = r.doc(t)
		if got := d.one(t, "h1").textContent(); got != "Join Ann Cook’s household?" {
			t.Errorf("h1 %q", got)
		}
		if got := d.one(t, "p.offer").textContent(); !strings.HasPrefix(got, "Ann Cook invites you to join Ann Cook’s household, a household of 1 person.") {
			t.Errorf("offer %q", got)
		}
		if !strings.Contains(d.one(t, "main").textContent(), "its meal plan and shopping lists come with you") {
			t.Error("the sole member is not told their plan comes along")
		}
		loc := ben.post(t, u.Path, url.Values{}).want(t, http.StatusSeeOther).location(t)
		d = ben.get(t, loc).want(t, http.StatusOK).doc(t)
		if !strings.Contains(d.one(t, "#flash").textContent(), "Welcome to the household") {
			t.Errorf("no welcome")
		}
		if got := memberNames(t, d); strings.Join(got, "|") != "Ann Cook Owner|Ben Cook (you) Member" {
			t.Errorf("members as ben sees them %q", got)
		}
		if d.first("#invitations") != nil || d.first(`form[action="/household"]`) != nil {
			t.Error("a member is offered the owners' forms")
		}
		// The link is spent.
		d = s.register(t, "cat").get(t, u.Path).want(t, http.StatusNotFound).doc(t)
		if !strings.Contains(d.one(t, "main [role=alert]").textContent(), "This invitation is not valid") {
			t.Error("a spent link does not say so")
		}

		// Someone without an account follows a link: sign in, or create an
		// account, and land back on the invitation.
		u2 := ann.post(t, "/household/invitations", url.Values{}).want(t, http.StatusOK).doc(t).one(t, "#invitation-link").get("value")
		p2, _ := url.Parse(u2)
		newcomer := s.browser()
		loc = newcomer.get(t, p2.Path).want(t, http.StatusSeeOther).location(t)
		if loc != "/login?next="+url.QueryEscape(p2.Path) {
			t.Fatalf("a visitor is sent to %q", loc)
		}
		reg := newcomer.get(t, loc).doc(t).one(t, `main a[href^="/register"]`).get("href")
		if ru, err := url.Parse(reg); err != nil || ru.Path != "/register" || ru.Query().Get("next") != p2.Path {
			t.Errorf("the log-in page's sign-up link %q", reg)
		}
		next := newcomer.get(t, reg).doc(t).one(t, `form[action="/register"] input[name=next]`).get("value")
		loc = newcomer.post(t, "/register", url.Values{"username": {"dora"}, "email": {"dora@example.test"}, "password": {testPassword},
			"next": {next}}).want(t, http.StatusSeeOther).location(t)
		if loc != p2.Path {
			t.Fatalf("after signing up, %q, want the invitation", loc)
		}
		newcomer.get(t, loc).want(t, http.StatusOK).doc(t).one(t, "p.offer")

		// A refused rename comes back with its message; a good one lands.
		d = ann.post(t, "/household", url.Values{"name": {"   "}}).want(t, http.StatusUnprocessableEntity).doc(t)
		if in := d.one(t, "#household-name"); in.get("aria-invalid") != "true" || d.one(t, "#household-name-error").textContent() != "is required" {
			t.Errorf("refused rename: %q", d.one(t, "#household-name-error").textContent())
		}
		ann.post(t, "/household", url.Values{"name": {"Kitchen Cabinet"}}).want(t, http.StatusSeeOther)
		// Ben may not rename: 403 with the reason, nothing changed.
		ben.post(t, "/household", url.Values{"name": {"Ben's"}}).want(t, http.StatusForbidden)
		if got := ben.get(t, "/household").doc(t).one(t, "h1").textContent(); got != "Kitchen Cabinet" {
			t.Errorf("h1 after renames %q", got)
		}

		// Ann makes Ben an owner, steps down herself; Ben removes her.
		benID, annID := s.userID(t, "ben"), s.userID(t, "ann")
		ann.post(t, "/household/members/"+benID+"/role", url.Values{"role": {"owner"}}).want(t, http.StatusSeeOther)
		ann.post(t, "/household/members/"+benID+"/role", url.Values{"role": {"king"}}).want(t, http.StatusUnprocessableEntity)
		ben.post(t, "/household/members/"+annID+"/remove", url.Values{}).want(t, http.StatusSeeOther)
		d = ann.get(t, "/household").doc(t)
		if got := d.one(t, "h1").textContent(); got != "Ann Cook’s household" {
			t.Errorf("ann after removal sees %q", got)
		}
		// Ben, alone now, has nothing to leave.
		d = ben.post(t, "/household/leave", url.Values{}).want(t, http.StatusConflict).doc(t)
		if !strings.Contains(d.one(t, "main").textContent(), "You are the only member") {
			t.Error("leaving alone does not say why not")
		}

		// Flag off: 404, and no nav item.
		o := flags.Override{Environment: "development", Key: flags.MealPlanner, Enabled: false}
		if err := s.Store.SetFlagOverride(context.Background(), &o); err != nil {
			t.Fatal(err)
		}
		s.App.Flags().Invalidate()
		ann.get(t, "/household").want(t, http.StatusNotFound)
		for _, item := range []string{"/plan", "/shopping", "/household"} {
			if ann.get(t, "/recipes").doc(t).first(`a[href="`+item+`"]`) != nil {
				t.Errorf("the nav links to %s with the flag off", item)
			}
		}
	})
}
