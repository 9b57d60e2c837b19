package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/planner"
)

type personJSON struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Role     string `json:"role"`
}

type householdJSON struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	MyRole      string       `json:"my_role"`
	Members     []personJSON `json:"members"`
	Invitations []struct {
		ID        string    `json:"id"`
		Email     string    `json:"email"`
		InvitedBy string    `json:"invited_by"`
		ExpiresAt time.Time `json:"expires_at"`
	} `json:"invitations"`
}

// members is the household's "username:role" list, by time joined.
func (h householdJSON) members() string {
	var out []string
	for _, m := range h.Members {
		out = append(out, m.Username+":"+m.Role)
	}
	return strings.Join(out, " ")
}

type invitationJSON struct {
	ID        string    `json:"id"`
	Token     string    `json:"token"`
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

type offerJSON struct {
	Household     string `json:"household"`
	InvitedBy     string `json:"invited_by"`
	Members       int    `json:"members"`
	AlreadyMember bool   `json:"already_member"`
	Sole          bool   `json:"sole"`
}

const householdPath = "/api/v1/households/current"

func (c *client) household(t testing.TB) householdJSON {
	t.Helper()
	var h householdJSON
	c.do(t, "GET", householdPath, nil).want(t, http.StatusOK).decode(t, &h)
	return h
}

func (c *client) inviteLink(t testing.TB) invitationJSON {
	t.Helper()
	var inv invitationJSON
	c.do(t, "POST", householdPath+"/invitations", nil).want(t, http.StatusCreated).decode(t, &inv)
	return inv
}

func invitationPath(token string) string { return "/api/v1/households/invitations/" + token }

// TestHouseholdsHTTP: everyone has a household of their own; an owner
// invites by link, the holder sees the offer and accepts or declines;
// owners rename, promote and remove, members leave; the household always
// keeps an owner and its sole member; spent, expired and malformed links
// and bad input are refused without a change.
func TestHouseholdsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		ana, ben, carl := s.apiClient(t, "ana"), s.apiClient(t, "ben"), s.apiClient(t, "carl")

		// A household of one's own, made on first sight, the same after.
		h := ana.household(t)
		if h.Name != "ana’s household" || h.MyRole != "owner" || h.members() != "ana:owner" || h.Invitations == nil || len(h.Invitations) != 0 {
			t.Fatalf("first household: %+v", h)
		}
		if again := ana.household(t); again.ID != h.ID {
			t.Fatalf("a second household %s after %s", again.ID, h.ID)
		}

		inv := ana.inviteLink(t)
		if len(inv.Token) != 43 || !strings.HasSuffix(inv.URL, "/household/join/"+inv.Token) ||
			inv.ExpiresAt.Sub(inv.CreatedAt) != planner.InvitationLifetime {
			t.Fatalf("invitation: %+v", inv)
		}
		if h = ana.household(t); len(h.Invitations) != 1 || h.Invitations[0].ID != inv.ID || h.Invitations[0].InvitedBy != "ana" {
			t.Fatalf("pending invitations: %+v", h.Invitations)
		}

		// Ben sees the offer, then joins: his own household ends.
		benOwn := ben.household(t)
		var o offerJSON
		ben.do(t, "GET", invitationPath(inv.Token), nil).want(t, http.StatusOK).decode(t, &o)
		if o != (offerJSON{Household: "ana’s household", InvitedBy: "ana", Members: 1, Sole: true}) {
			t.Fatalf("offer: %+v", o)
		}
		var joined householdJSON
		ben.do(t, "POST", invitationPath(inv.Token)+"/accept", nil).want(t, http.StatusOK).decode(t, &joined)
		if joined.ID != h.ID || joined.MyRole != "member" || joined.members() != "ana:owner ben:member" || joined.Invitations != nil {
			t.Fatalf("joined: %+v", joined)
		}
		var n int
		ph := "?"
		if s.engine == "postgres" {
			ph = "$1"
		}
		if err := s.Store.DB().QueryRow("SELECT count(*) FROM households WHERE id = "+ph, benOwn.ID).Scan(&n); err != nil || n != 0 {
			t.Fatalf("ben's own household left behind: %d %v", n, err)
		}
		// The link is spent: a second use, by anyone, is the same 404.
		for _, who := range []*client{ben, carl} {
			who.do(t, "POST", invitationPath(inv.Token)+"/accept", nil).wantProblem(t, http.StatusNotFound)
			who.do(t, "GET", invitationPath(inv.Token), nil).wantProblem(t, http.StatusNotFound)
		}
		if h = ana.household(t); len(h.Invitations) != 0 || h.members() != "ana:owner ben:member" {
			t.Fatalf("after joining: %+v", h)
		}

		// Owners only: rename, invite, manage members.
		ben.do(t, "PATCH", householdPath, map[string]any{"name": "Ben's"}).wantProblem(t, http.StatusForbidden)
		ben.do(t, "POST", householdPath+"/invitations", nil).wantProblem(t, http.StatusForbidden)
		ben.do(t, "PATCH", householdPath+"/members/"+h.Members[0].ID, map[string]any{"role": "member"}).wantProblem(t, http.StatusForbidden)
		ben.do(t, "DELETE", householdPath+"/members/"+h.Members[0].ID, nil).wantProblem(t, http.StatusForbidden)
		for _, body := range []map[string]any{{"name": ""}, {"name": "  "}, {"name": strings.Repeat("n", planner.MaxName+1)}, {"name": "a\x00b"}, {}} {
			ana.do(t, "PATCH", householdPath, body).wantProblem(t, http.StatusUnprocessableEntity, "name")
		}
		ana.do(t, "PATCH", householdPath, map[string]any{"name": 5}).wantProblem(t, http.StatusBadRequest)
		ana.do(t, "PATCH", householdPath, map[string]any{"name": "Home", "colour": "red"}).wantProblem(t, http.StatusUnprocessableEntity, "colour")
		var renamed householdJSON
		ana.do(t, "PATCH", householdPath, map[string]any{"name": "  The Kitchen  "}).want(t, http.StatusOK).decode(t, &renamed)
		if renamed.Name != "The Kitchen" {
			t.Fatalf("renamed: %q", renamed.Name)
		}

		// Carl declines: the link is spent, and he stays where he is.
		inv = ana.inviteLink(t)
		carlOwn := carl.household(t)
		carl.do(t, "POST", invitationPath(inv.Token)+"/decline", nil).want(t, http.StatusNoContent)
		carl.do(t, "POST", invitationPath(inv.Token)+"/accept", nil).wantProblem(t, http.StatusNotFound)
		if got := carl.household(t); got.ID != carlOwn.ID {
			t.Fatalf("carl moved on declining: %+v", got)
		}

		// Malformed tokens and ids never reach a row.
		for _, bad := range []string{"x", strings.Repeat("A", 44), strings.Repeat("%21", 43)} {
			carl.do(t, "GET", invitationPath(bad), nil).wantProblem(t, http.StatusNotFound)
			carl.do(t, "POST", invitationPath(bad)+"/accept", nil).wantProblem(t, http.StatusNotFound)
		}
		ana.do(t, "DELETE", householdPath+"/invitations/not-an-id", nil).wantProblem(t, http.StatusNotFound)
		ana.do(t, "DELETE", householdPath+"/members/not-an-id", nil).wantProblem(t, http.StatusNotFound)
		ana.do(t, "PATCH", householdPath+"/members/"+joined.Members[1].ID, map[string]any{"role": "king"}).wantProblem(t, http.StatusUnprocessableEntity, "role")
		ana.do(t, "PATCH", householdPath+"/members/"+joined.Members[1].ID, map[string]any{}).wantProblem(t, http.StatusUnprocessableEntity, "role")
		ana.do(t, "POST", householdPath+"/invitations", map[string]any{"email": "not an address"}).wantProblem(t, http.StatusUnprocessableEntity, "email")
		// Someone outside the household is not a member to change.
		ana.do(t, "PATCH", householdPath+"/members/"+carlOwn.Members[0].ID, map[string]any{"role": "owner"}).wantProblem(t, http.StatusNotFound)
		ana.do(t, "DELETE", householdPath+"/members/"+carlOwn.Members[0].ID, nil).wantProblem(t, http.StatusNotFound)
		// Withdrawing another household's invitation is not found.
		carlInv := carl.inviteLink(t)
		ana.do(t, "DELETE", householdPath+"/invitations/"+carlInv.ID, nil).wantProblem(t, http.StatusNotFound)
		carl.do(t, "DELETE", householdPath+"/invitations/"+carlInv.ID, nil).want(t, http.StatusNoContent)
		ana.do(t, "GET", invitationPath(carlInv.Token), nil).wantProblem(t, http.StatusNotFound)

		// Owners: at least one. Ana makes Ben an owner, steps down, and
		// Ben cannot then step down too.
		benID := joined.Members[1].ID
		anaID := joined.Members[0].ID
		ana.do(t, "DELETE", householdPath+"/members/"+anaID, nil).wantProblem(t, http.StatusConflict)
		ana.do(t, "PATCH", householdPath+"/members/"+anaID, map[string]any{"role": "member"}).wantProblem(t, http.StatusConflict)
		ana.do(t, "PATCH", householdPath+"/members/"+benID, map[string]any{"role": "owner"}).want(t, http.StatusOK)
		ana.do(t, "PATCH", householdPath+"/members/"+anaID, map[string]any{"role": "member"}).want(t, http.StatusOK)
		ben.do(t, "PATCH", householdPath+"/members/"+benID, map[string]any{"role": "member"}).wantProblem(t, http.StatusConflict)
		if h = ben.household(t); h.members() != "ana:member ben:owner" || h.MyRole != "owner" || h.Invitations == nil {
			t.Fatalf("after the handover: %+v", h)
		}

		// Ben removes Ana: she gets a household of her own, and Ben, the
		// only one left, cannot leave his.
		var after householdJSON
		ben.do(t, "DELETE", householdPath+"/members/"+anaID, nil).want(t, http.StatusOK).decode(t, &after)
		if after.members() != "ben:owner" {
			t.Fatalf("after removing ana: %+v", after)
		}
		if mine := ana.household(t); mine.ID == h.ID || mine.members() != "ana:owner" {
			t.Fatalf("ana after removal: %+v", mine)
		}
		ben.do(t, "POST", householdPath+"/leave", nil).wantProblem(t, http.StatusConflict)

		// The last owner who leaves hands the household to the
		// longest-standing member.
		inv = ben.inviteLink(t)
		carl.do(t, "POST", invitationPath(inv.Token)+"/accept", nil).want(t, http.StatusOK)
		inv = ben.inviteLink(t)
		ana.do(t, "POST", invitationPath(inv.Token)+"/accept", nil).want(t, http.StatusOK)
		ben.do(t, "POST", householdPath+"/leave", nil).want(t, http.StatusNoContent)
		if got := carl.household(t); got.ID != h.ID || got.members() != "carl:owner ana:member" {
			t.Fatalf("after the last owner left: %+v", got)
		}
		// An invitation to one's own household changes nothing.
		inv = carl.inviteLink(t)
		ana.do(t, "GET", invitationPath(inv.Token), nil).want(t, http.StatusOK).decode(t, &o)
		if !o.AlreadyMember || o.Sole {
			t.Fatalf("offer to a member: %+v", o)
		}
		ana.do(t, "POST", invitationPath(inv.Token)+"/accept", nil).want(t, http.StatusOK)
		if got := carl.household(t); got.members() != "carl:owner ana:member" {
			t.Fatalf("after accepting into one's own household: %+v", got)
		}

		// Invitations expire.
		inv = carl.inviteLink(t)
		s.App.Invitations().SetClock(func() time.Time { return time.Now().Add(planner.InvitationLifetime + time.Minute) })
		ben.do(t, "GET", invitationPath(inv.Token), nil).wantProblem(t, http.StatusNotFound)
		ben.do(t, "POST", invitationPath(inv.Token)+"/accept", nil).wantProblem(t, http.StatusNotFound)
		s.App.Invitations().SetClock(time.Now)

		// Without credentials 401; with the flag off 404.
		s.anon().do(t, "GET", householdPath, nil).wantProblem(t, http.StatusUnauthorized)
		s.anon().do(t, "POST", invitationPath(inv.Token)+"/accept", nil).wantProblem(t, http.StatusUnauthorized)
		o2 := flags.Override{Environment: "development", Key: flags.MealPlanner, Enabled: false}
		if err := s.Store.SetFlagOverride(context.Background(), &o2); err != nil {
			t.Fatal(err)
		}
		s.App.Flags().Invalidate()
		carl.do(t, "GET", householdPath, nil).wantProblem(t, http.StatusNotFound)
		ben.do(t, "POST", invitationPath(inv.Token)+"/accept", nil).wantProblem(t, http.StatusNotFound)
	})
}

// TestHouseholdCaps: a household takes at most MaxPendingInvitations
// pending invitations and MaxMembers members; past either, 409 and
// nothing written.
func TestHouseholdCaps(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		owner := s.apiClient(t, "owner")
		var tokens []string
		for range planner.MaxPendingInvitations {
			tokens = append(tokens, owner.inviteLink(t).Token)
		}
		owner.do(t, "POST", householdPath+"/invitations", nil).wantProblem(t, http.StatusConflict)
		if h := owner.household(t); len(h.Invitations) != planner.MaxPendingInvitations {
			t.Fatalf("%d pending, want %d", len(h.Invitations), planner.MaxPendingInvitations)
		}
		// Fill the household: MaxMembers-1 people join.
		for i := range planner.MaxMembers - 1 {
			c := s.apiClient(t, "cook"+string(rune('a'+i)))
			c.do(t, "POST", invitationPath(tokens[i])+"/accept", nil).want(t, http.StatusOK)
		}
		late := s.apiClient(t, "late")
		late.do(t, "POST", invitationPath(tokens[planner.MaxMembers-1])+"/accept", nil).wantProblem(t, http.StatusConflict)
		owner.do(t, "POST", householdPath+"/invitations", nil).wantProblem(t, http.StatusConflict)
		if h := owner.household(t); len(h.Members) != planner.MaxMembers {
			t.Fatalf("%d members, want %d", len(h.Members), planner.MaxMembers)
		}
		if h := late.household(t); h.members() != "late:owner" {
			t.Fatalf("late joined a full household: %+v", h)
		}
	})
}
