package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/reccollection/reccollection/internal/planner"
)

// Households (migration 29): the people who plan meals and shop
// together, in households, household_members and household_invitations.
//
// A person is in exactly one household. One who has none yet gets a
// household of their own, named after them, the first time anything asks
// for theirs (householdOf), so "a user without a household has a personal
// one" holds without a row per account made in advance. Every change of
// a household's membership locks its row first (lockHousehold), so two
// changes of one household run one after another and the rules below see
// the last one's members: at least one owner while anyone is left, at
// most planner.MaxMembers members, and no household without members.

var (
	// ErrNotHouseholdOwner: the caller is a member, but only owners may
	// do this.
	ErrNotHouseholdOwner = errors.New("store: not an owner of the household")
	// ErrHouseholdFull: the household already has planner.MaxMembers
	// members.
	ErrHouseholdFull = errors.New("store: household is full")
	// ErrTooManyInvitations: the household already has
	// planner.MaxPendingInvitations unanswered invitations.
	ErrTooManyInvitations = errors.New("store: too many pending invitations")
	// ErrSoleMember: the caller is the only member, so leaving would
	// leave the household to nobody; they can invite others, or join
	// another household (which brings its plan and lists along).
	ErrSoleMember = errors.New("store: the only member cannot leave")
	// ErrLastOwner: the change would leave the household without an
	// owner while others remain.
	ErrLastOwner = errors.New("store: a household needs an owner")
	// ErrRemoveSelf: an owner removing themselves; leaving is its own
	// action, with its own consequences.
	ErrRemoveSelf = errors.New("store: leave the household rather than remove yourself")
)

// householdData lists the tables of a household's own data (its meal plan
// and shopping lists), each with a household_id column. A person who
// joins another household while alone in theirs brings these rows along,
// so accepting an invitation loses nothing.
var householdData = []string{"meal_plan_entries", "shopping_lists"}

// membership is a person's row in household_members.
type membership struct {
	household string
	role      planner.Role
}

// membershipOf reads userID's membership, ErrNotFound when they have none.
func membershipOf(ctx context.Context, q conn, userID string) (membership, error) {
	var m membership
	err := q.QueryRowContext(ctx, "SELECT household_id, role FROM household_members WHERE user_id = ?", userID).
		Scan(&m.household, &m.role)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("read household of %s: %w", userID, err)
	}
	return m, nil
}

// ensureHousehold returns userID's membership, first making them a
// household of their own when they have none. A concurrent first call
// for the same person loses on household_members' key and deletes the
// household it made, so each person ends up with exactly one.
func (s *Store) ensureHousehold(ctx context.Context, tx conn, userID string, now time.Time) (membership, error) {
	m, err := membershipOf(ctx, tx, userID)
	if !errors.Is(err, ErrNotFound) {
		return m, err
	}
	var display string
	err = tx.QueryRowContext(ctx, "SELECT display_name FROM users WHERE id = ?", userID).Scan(&display)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("read user %s: %w", userID, err)
	}
	id := newID()
	if _, err := tx.ExecContext(ctx, "INSERT INTO households (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
		id, planner.DefaultName(display), now, now); err != nil {
		return m, fmt.Errorf("create household of %s: %w", userID, err)
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO household_members (user_id, household_id, role, joined_at) VALUES (?, ?, 'owner', ?)"+
		" ON CONFLICT (user_id) DO NOTHING", userID, id, now)
	if err != nil {
		return m, fmt.Errorf("join household of %s: %w", userID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return m, err
	} else if n == 0 {
		if _, err := tx.ExecContext(ctx, "DELETE FROM households WHERE id = ?", id); err != nil {
			return m, fmt.Errorf("drop spare household: %w", err)
		}
	}
	return membershipOf(ctx, tx, userID)
}

// lockHousehold locks household id's row on PostgreSQL (SQLite has one
// writer at a time anyway).
func (s *Store) lockHousehold(ctx context.Context, tx conn, id string) error {
	q := "SELECT id FROM households WHERE id = ?"
	if s.d.name() == "postgres" {
		q += " FOR UPDATE"
	}
	var got string
	if err := tx.QueryRowContext(ctx, q, id).Scan(&got); err != nil {
		return fmt.Errorf("lock household %s: %w", id, err)
	}
	return nil
}

// lockedMembership is userID's membership with its household locked and
// read again under the lock (a concurrent change may have moved them).
func (s *Store) lockedMembership(ctx context.Context, tx conn, userID string, now time.Time) (membership, error) {
	for range 3 {
		m, err := s.ensureHousehold(ctx, tx, userID, now)
		if err != nil {
			return m, err
		}
		if err := s.lockHousehold(ctx, tx, m.household); err != nil {
			return m, err
		}
		again, err := membershipOf(ctx, tx, userID)
		if err != nil || again == m {
			return again, err
		}
	}
	return membership{}, fmt.Errorf("household of %s keeps changing", userID)
}

// Household is userID's household as they see it, made for them if they
// have none: its members by the time they joined, and for an owner the
// pending invitations, newest first.
func (s *Store) Household(ctx context.Context, userID string, now time.Time) (*planner.Household, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	now = now.UTC().Truncate(time.Microsecond)
	var h *planner.Household
	err := s.inTx(ctx, func(tx conn) error {
		m, err := s.ensureHousehold(ctx, tx, userID, now)
		if err != nil {
			return err
		}
		h, err = s.readHousehold(ctx, tx, m, now)
		return err
	})
	return h, err
}

// readHousehold reads household m.household as its member with role
// m.role sees it: one statement for the household with its members, one
// more for an owner's invitations.
func (s *Store) readHousehold(ctx context.Context, q conn, m membership, now time.Time) (*planner.Household, error) {
	rows, err := q.QueryContext(ctx, "SELECT h.name, h.meal_slots, h.created_at, h.updated_at, u.id, u.username, u.display_name, hm.role, hm.joined_at"+
		" FROM households h JOIN household_members hm ON hm.household_id = h.id JOIN users u ON u.id = hm.user_id"+
		" WHERE h.id = ? ORDER BY hm.joined_at, u.id", m.household)
	if err != nil {
		return nil, fmt.Errorf("read household %s: %w", m.household, err)
	}
	defer rows.Close()
	h := &planner.Household{ID: m.household, MyRole: m.role, Members: []planner.Person{}}
	var slots string
	for rows.Next() {
		var p planner.Person
		if err := rows.Scan(&h.Name, &slots, &h.CreatedAt, &h.UpdatedAt, &p.ID, &p.Username, &p.DisplayName, &p.Role, &p.JoinedAt); err != nil {
			return nil, fmt.Errorf("read household %s: %w", m.household, err)
		}
		h.Members = append(h.Members, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read household %s: %w", m.household, err)
	}
	if len(h.Members) == 0 {
		return nil, ErrNotFound
	}
	h.Slots = parseSlots(slots)
	if m.role == planner.Owner {
		if h.Invitations, err = pendingInvitations(ctx, q, m.household, now); err != nil {
			return nil, err
		}
	}
	return h, nil
}

func pendingInvitations(ctx context.Context, q conn, household string, now time.Time) ([]planner.Invitation, error) {
	rows, err := q.QueryContext(ctx, "SELECT i.id, i.email, COALESCE(u.display_name, ''), i.created_at, i.expires_at"+
		" FROM household_invitations i LEFT JOIN users u ON u.id = i.invited_by"+
		" WHERE i.household_id = ? AND i.expires_at > ? ORDER BY i.created_at DESC, i.id", household, now)
	if err != nil {
		return nil, fmt.Errorf("read invitations of household %s: %w", household, err)
	}
	defer rows.Close()
	out := []planner.Invitation{}
	for rows.Next() {
		var i planner.Invitation
		if err := rows.Scan(&i.ID, &i.Email, &i.InvitedBy, &i.CreatedAt, &i.ExpiresAt); err != nil {
			return nil, fmt.Errorf("read invitations of household %s: %w", household, err)
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// ownerChange runs fn in a transaction with userID's household locked,
// after checking that userID owns it; then answers the household as they
// see it.
func (s *Store) ownerChange(ctx context.Context, userID string, now time.Time, fn func(tx conn, household string) error) (*planner.Household, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	now = now.UTC().Truncate(time.Microsecond)
	var h *planner.Household
	err := s.inTx(ctx, func(tx conn) error {
		m, err := s.lockedMembership(ctx, tx, userID, now)
		if err != nil {
			return err
		}
		if m.role != planner.Owner {
			return ErrNotHouseholdOwner
		}
		if err := fn(tx, m.household); err != nil {
			return err
		}
		m, err = membershipOf(ctx, tx, userID)
		if err != nil {
			return err
		}
		h, err = s.readHousehold(ctx, tx, m, now)
		return err
	})
	return h, err
}

// RenameHousehold names userID's household name (already normalised by
// planner.NormalizeName); owners only.
func (s *Store) RenameHousehold(ctx context.Context, userID, name string, now time.Time) (*planner.Household, error) {
	if !storable(name) {
		return nil, ErrNotFound
	}
	return s.ownerChange(ctx, userID, now, func(tx conn, household string) error {
		_, err := tx.ExecContext(ctx, "UPDATE households SET name = ?, updated_at = ? WHERE id = ?",
			name, now.UTC().Truncate(time.Microsecond), household)
		if err != nil {
			return fmt.Errorf("rename household %s: %w", household, err)
		}
		return nil
	})
}

// NewInvitation is what CreateHouseholdInvitation stores: the token's
// hash (the caller alone sees the token) and the address it is sent to
// ("" for a link to hand out).
type NewInvitation struct {
	TokenHash string
	Email     string
}

// CreateHouseholdInvitation adds an invitation to userID's household,
// valid for planner.InvitationLifetime from now; owners only. A full
// household is ErrHouseholdFull and one with
// planner.MaxPendingInvitations pending ErrTooManyInvitations. Expired
// invitations are deleted in the same transaction, so they never pile up.
func (s *Store) CreateHouseholdInvitation(ctx context.Context, userID string, in NewInvitation, now time.Time) (*planner.Invitation, error) {
	if !storable(in.TokenHash) || !storable(in.Email) {
		return nil, ErrNotFound
	}
	now = now.UTC().Truncate(time.Microsecond)
	inv := &planner.Invitation{ID: newID(), Email: in.Email, CreatedAt: now, ExpiresAt: now.Add(planner.InvitationLifetime)}
	_, err := s.ownerChange(ctx, userID, now, func(tx conn, household string) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM household_invitations WHERE household_id = ? AND expires_at <= ?", household, now); err != nil {
			return fmt.Errorf("delete expired invitations: %w", err)
		}
		var members, pending int
		if err := tx.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM household_members WHERE household_id = ?),"+
			" (SELECT count(*) FROM household_invitations WHERE household_id = ?)", household, household).Scan(&members, &pending); err != nil {
			return fmt.Errorf("count household %s: %w", household, err)
		}
		switch {
		case members >= planner.MaxMembers:
			return ErrHouseholdFull
		case pending >= planner.MaxPendingInvitations:
			return ErrTooManyInvitations
		}
		if err := tx.QueryRowContext(ctx, "SELECT display_name FROM users WHERE id = ?", userID).Scan(&inv.InvitedBy); err != nil {
			return fmt.Errorf("read user %s: %w", userID, err)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO household_invitations (id, household_id, token_hash, email, invited_by, created_at, expires_at)"+
			" VALUES (?, ?, ?, ?, ?, ?, ?)", inv.ID, household, in.TokenHash, in.Email, userID, inv.CreatedAt, inv.ExpiresAt)
		if err != nil {
			return fmt.Errorf("create invitation: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// RevokeHouseholdInvitation deletes invitation id of userID's household;
// owners only. One of another household, or none, is ErrNotFound.
func (s *Store) RevokeHouseholdInvitation(ctx context.Context, userID, id string, now time.Time) error {
	if !validID(id) {
		return ErrNotFound
	}
	_, err := s.ownerChange(ctx, userID, now, func(tx conn, household string) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM household_invitations WHERE id = ? AND household_id = ?", id, household)
		if err != nil {
			return fmt.Errorf("revoke invitation %s: %w", id, err)
		}
		return mustAffect(res, "invitation "+id)
	})
	return err
}

// invitation is a live invitation's row.
type invitation struct {
	id, household, name, invitedBy string
	expiresAt                      time.Time
}

// liveInvitation reads the unexpired invitation whose token hashes to
// tokenHash; ErrNotFound for an unknown, used, revoked or expired one,
// all alike.
func liveInvitation(ctx context.Context, q conn, tokenHash string, now time.Time) (invitation, error) {
	var i invitation
	err := q.QueryRowContext(ctx, "SELECT i.id, i.household_id, h.name, COALESCE(u.display_name, ''), i.expires_at"+
		" FROM household_invitations i JOIN households h ON h.id = i.household_id LEFT JOIN users u ON u.id = i.invited_by"+
		" WHERE i.token_hash = ? AND i.expires_at > ?", tokenHash, now).Scan(&i.id, &i.household, &i.name, &i.invitedBy, &i.expiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return i, ErrNotFound
	}
	if err != nil {
		return i, fmt.Errorf("read invitation: %w", err)
	}
	return i, nil
}

func memberCount(ctx context.Context, q conn, household string) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM household_members WHERE household_id = ?", household).Scan(&n); err != nil {
		return 0, fmt.Errorf("count members of household %s: %w", household, err)
	}
	return n, nil
}

// HouseholdOffer is the invitation whose token hashes to tokenHash as
// userID, who holds its link, sees it before answering.
func (s *Store) HouseholdOffer(ctx context.Context, userID, tokenHash string, now time.Time) (*planner.Offer, error) {
	if !validID(userID) || !storable(tokenHash) {
		return nil, ErrNotFound
	}
	now = now.UTC().Truncate(time.Microsecond)
	var o *planner.Offer
	err := s.inTx(ctx, func(tx conn) error {
		i, err := liveInvitation(ctx, tx, tokenHash, now)
		if err != nil {
			return err
		}
		m, err := s.ensureHousehold(ctx, tx, userID, now)
		if err != nil {
			return err
		}
		o = &planner.Offer{Household: i.name, InvitedBy: i.invitedBy, ExpiresAt: i.expiresAt, AlreadyMember: m.household == i.household}
		if o.Members, err = memberCount(ctx, tx, i.household); err != nil {
			return err
		}
		mine, err := memberCount(ctx, tx, m.household)
		o.Sole = mine == 1 && !o.AlreadyMember
		return err
	})
	return o, err
}

// AcceptHouseholdInvitation makes userID a member of the invitation's
// household and uses the invitation up. They leave their present
// household as LeaveHousehold would; if they were alone in it, its plan
// and lists (householdData) move to the new household and it is deleted.
// Accepting an invitation to one's own household changes nothing. A full
// household is ErrHouseholdFull, and the invitation stays for later.
func (s *Store) AcceptHouseholdInvitation(ctx context.Context, userID, tokenHash string, now time.Time) (*planner.Household, error) {
	if !validID(userID) || !storable(tokenHash) {
		return nil, ErrNotFound
	}
	now = now.UTC().Truncate(time.Microsecond)
	var h *planner.Household
	err := s.inTx(ctx, func(tx conn) error {
		i, err := liveInvitation(ctx, tx, tokenHash, now)
		if err != nil {
			return err
		}
		old, err := s.ensureHousehold(ctx, tx, userID, now)
		if err != nil {
			return err
		}
		// Both households locked, in id order, so two people swapping
		// households at once cannot deadlock.
		locks := []string{old.household, i.household}
		slices.Sort(locks)
		for _, id := range slices.Compact(locks) {
			if err := s.lockHousehold(ctx, tx, id); err != nil {
				return err
			}
		}
		if again, err := membershipOf(ctx, tx, userID); err != nil || again != old {
			if err == nil {
				err = fmt.Errorf("household of %s changed meanwhile", userID)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM household_invitations WHERE id = ?", i.id); err != nil {
			return fmt.Errorf("use invitation %s: %w", i.id, err)
		}
		if old.household != i.household {
			if err := s.switchHousehold(ctx, tx, userID, old.household, i.household, now); err != nil {
				return err
			}
		}
		m, err := membershipOf(ctx, tx, userID)
		if err != nil {
			return err
		}
		h, err = s.readHousehold(ctx, tx, m, now)
		return err
	})
	return h, err
}

// switchHousehold moves userID from household from into household to as
// a member, both locked by the caller.
func (s *Store) switchHousehold(ctx context.Context, tx conn, userID, from, to string, now time.Time) error {
	n, err := memberCount(ctx, tx, to)
	if err != nil {
		return err
	}
	if n >= planner.MaxMembers {
		return ErrHouseholdFull
	}
	alone, err := memberCount(ctx, tx, from)
	if err != nil {
		return err
	}
	if alone == 1 {
		for _, table := range householdData {
			if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET household_id = ? WHERE household_id = ?", to, from); err != nil {
				return fmt.Errorf("move %s to household %s: %w", table, to, err)
			}
		}
		// The aisles it filed things under come along where the new
		// household has not filed the same thing itself.
		if _, err := tx.ExecContext(ctx, "INSERT INTO shopping_aisles (household_id, item_key, aisle, updated_at)"+
			" SELECT ?, item_key, aisle, updated_at FROM shopping_aisles WHERE household_id = ? ON CONFLICT (household_id, item_key) DO NOTHING", to, from); err != nil {
			return fmt.Errorf("move aisles to household %s: %w", to, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE household_members SET household_id = ?, role = 'member', joined_at = ? WHERE user_id = ?",
		to, now, userID); err != nil {
		return fmt.Errorf("move %s to household %s: %w", userID, to, err)
	}
	return settleHousehold(ctx, tx, from)
}

// settleHousehold restores the rules after someone left household id: an
// empty household is deleted (with its data), and one left without an
// owner makes its longest-standing member one.
func settleHousehold(ctx context.Context, tx conn, id string) error {
	var members, owners int
	if err := tx.QueryRowContext(ctx, "SELECT count(*), COALESCE(sum(CASE WHEN role = 'owner' THEN 1 ELSE 0 END), 0)"+
		" FROM household_members WHERE household_id = ?", id).Scan(&members, &owners); err != nil {
		return fmt.Errorf("count household %s: %w", id, err)
	}
	switch {
	case members == 0:
		if _, err := tx.ExecContext(ctx, "DELETE FROM households WHERE id = ?", id); err != nil {
			return fmt.Errorf("delete empty household %s: %w", id, err)
		}
	case owners == 0:
		if _, err := tx.ExecContext(ctx, "UPDATE household_members SET role = 'owner' WHERE user_id ="+
			" (SELECT user_id FROM household_members WHERE household_id = ? ORDER BY joined_at, user_id LIMIT 1)", id); err != nil {
			return fmt.Errorf("promote a member of household %s: %w", id, err)
		}
	}
	return nil
}

// DeclineHouseholdInvitation uses the invitation up without joining. The
// invited person sees the same not-found afterwards as for any used link.
func (s *Store) DeclineHouseholdInvitation(ctx context.Context, tokenHash string, now time.Time) error {
	if !storable(tokenHash) {
		return ErrNotFound
	}
	now = now.UTC().Truncate(time.Microsecond)
	return s.inTx(ctx, func(tx conn) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM household_invitations WHERE token_hash = ? AND expires_at > ?", tokenHash, now)
		if err != nil {
			return fmt.Errorf("decline invitation: %w", err)
		}
		return mustAffect(res, "invitation")
	})
}

// LeaveHousehold takes userID out of their household, which keeps its
// plan and lists; they get a household of their own the next time one is
// asked for. The only member cannot leave (ErrSoleMember). When the last
// owner leaves, the longest-standing member becomes one.
func (s *Store) LeaveHousehold(ctx context.Context, userID string, now time.Time) error {
	if !validID(userID) {
		return ErrNotFound
	}
	now = now.UTC().Truncate(time.Microsecond)
	return s.inTx(ctx, func(tx conn) error {
		m, err := s.lockedMembership(ctx, tx, userID, now)
		if err != nil {
			return err
		}
		return s.removeMember(ctx, tx, m.household, userID)
	})
}

func (s *Store) removeMember(ctx context.Context, tx conn, household, userID string) error {
	n, err := memberCount(ctx, tx, household)
	if err != nil {
		return err
	}
	if n == 1 {
		return ErrSoleMember
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM household_members WHERE user_id = ? AND household_id = ?", userID, household)
	if err != nil {
		return fmt.Errorf("remove %s from household %s: %w", userID, household, err)
	}
	if err := mustAffect(res, "member "+userID); err != nil {
		return err
	}
	return settleHousehold(ctx, tx, household)
}

// RemoveHouseholdMember takes memberID out of ownerID's household;
// owners only. Someone not in it is ErrNotFound, the owner themselves
// ErrRemoveSelf.
func (s *Store) RemoveHouseholdMember(ctx context.Context, ownerID, memberID string, now time.Time) (*planner.Household, error) {
	if !validID(memberID) {
		return nil, ErrNotFound
	}
	if memberID == ownerID {
		return nil, ErrRemoveSelf
	}
	return s.ownerChange(ctx, ownerID, now, func(tx conn, household string) error {
		return s.removeMember(ctx, tx, household, memberID)
	})
}

// SetHouseholdRole gives memberID of ownerID's household role; owners
// only. Taking the owner role from the last owner is ErrLastOwner.
func (s *Store) SetHouseholdRole(ctx context.Context, ownerID, memberID string, role planner.Role, now time.Time) (*planner.Household, error) {
	if !validID(memberID) || !planner.ValidRole(role) {
		return nil, ErrNotFound
	}
	return s.ownerChange(ctx, ownerID, now, func(tx conn, household string) error {
		res, err := tx.ExecContext(ctx, "UPDATE household_members SET role = ? WHERE user_id = ? AND household_id = ?", string(role), memberID, household)
		if err != nil {
			return fmt.Errorf("set role of %s: %w", memberID, err)
		}
		if err := mustAffect(res, "member "+memberID); err != nil {
			return err
		}
		var owners int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM household_members WHERE household_id = ? AND role = 'owner'", household).Scan(&owners); err != nil {
			return fmt.Errorf("count owners of household %s: %w", household, err)
		}
		if owners == 0 {
			return ErrLastOwner
		}
		return nil
	})
}

// leaveOnDeletion settles userID's household as their account is
// deleted (DeleteAccount, in its transaction): their membership goes with
// the users row, and the household is then deleted if empty or given an
// owner if it has none left.
func (s *Store) leaveOnDeletion(ctx context.Context, tx conn, userID string) error {
	m, err := membershipOf(ctx, tx, userID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.lockHousehold(ctx, tx, m.household); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM household_members WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("remove %s from household %s: %w", userID, m.household, err)
	}
	return settleHousehold(ctx, tx, m.household)
}
