// Package planner holds the rules of households: the people who plan
// meals and shop together. A household owns its meal plan and shopping
// lists; recipes stay personal, each with its own visibility. The store
// keeps households; the API and the pages apply these rules through it
// and through Service (invitations), so both front ends answer alike.
package planner

import (
	"time"

	"github.com/reccollection/reccollection/internal/validate"
)

// Limits. A household is the people of one kitchen: a family, a flat, a
// few friends. The caps keep its member list one short screen and stop
// an owner from handing out links without end.
const (
	MaxName = 100
	// MaxMembers is how many people one household may have.
	MaxMembers = 20
	// MaxPendingInvitations is how many unanswered invitations one
	// household may have at once.
	MaxPendingInvitations = 20
	// InvitationLifetime is how long an invitation can be accepted.
	InvitationLifetime = 7 * 24 * time.Hour
)

// Role is what a member may do. Owners rename the household, invite,
// remove members and make others owners; members plan, shop and leave.
// A household always has at least one owner: when the last one goes,
// the longest-standing member becomes one.
type Role string

const (
	Owner  Role = "owner"
	Member Role = "member"
)

// Person is a member as the others see them.
type Person struct {
	ID          string    `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Role        Role      `json:"role"`
	JoinedAt    time.Time `json:"joined_at"`
}

// Household is the caller's household: who is in it and what the caller
// may do there. Invitations are listed for owners only.
type Household struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	MyRole  Role     `json:"my_role"`
	Members []Person `json:"members"`
	// Slots are the meal plan's slots of a day, in order.
	Slots     []string  `json:"slots"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Invitations are the unanswered, unexpired ones, newest first; nil
	// for a member who is not an owner.
	Invitations []Invitation `json:"invitations"`
}

// Owner reports whether the caller owns the household.
func (h *Household) Owner() bool { return h.MyRole == Owner }

// Invitation is a pending invitation as the household's owners see it.
// Its token is not here: it exists only in the link given out once.
type Invitation struct {
	ID string `json:"id"`
	// Email is where it was sent, or "" for an invitation by link.
	Email     string    `json:"email"`
	InvitedBy string    `json:"invited_by"` // display name; "" if their account is gone
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Offer is an invitation as the person holding its link sees it, before
// they accept or decline.
type Offer struct {
	Household string    `json:"household"`
	InvitedBy string    `json:"invited_by"`
	Members   int       `json:"members"`
	ExpiresAt time.Time `json:"expires_at"`
	// AlreadyMember is true when the holder is in that household already.
	AlreadyMember bool `json:"already_member"`
	// Sole is true when the holder is the only member of their present
	// household: joining brings its plan and lists along and ends it.
	Sole bool `json:"sole"`
}

// NormalizeName trims a household's name and reports it as the field
// "name" when it is empty, too long or holds control characters.
func NormalizeName(errs *validate.Errors, name string) string {
	return validate.Text(errs, "name", name, 1, MaxName, false)
}

// DefaultName is the name of the household a person gets on their own.
func DefaultName(displayName string) string {
	const suffix = "’s household"
	r := []rune(displayName)
	if room := MaxName - len([]rune(suffix)); len(r) > room {
		r = r[:room]
	}
	return string(r) + suffix
}

// ValidRole reports whether r is a role.
func ValidRole(r Role) bool { return r == Owner || r == Member }
