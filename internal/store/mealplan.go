package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/validate"
)

// The meal plan (migration 30): meal_plan_entries, and the household's
// meal_slots and calendar_token_hash. Every change locks the household's
// row first (lockedMembership), like a change of its members, so the
// positions within a slot and the cap of entries per day are counted
// under the lock and two members planning at once never both slip under
// it.
//
// What an entry shows: a recipe's live title while the household may see
// it (it is not private, or its author is a member), "A private recipe"
// once it is someone else's private recipe, and the title it had when it
// was planned once it is deleted. A link to it only for a member who may
// open it (recipe.CanRead).

// ErrDayFull: the day already has planner.MaxEntriesPerDay entries.
var ErrDayFull = errors.New("store: the day's plan is full")

// nobody is a viewer who is no user (the nil UUID, which PostgreSQL
// compares with a uuid column where "" would be an error): the calendar
// feed's, which opens public recipes only.
const nobody = "00000000-0000-0000-0000-000000000000"

// hiddenRecipeTitle stands for a recipe the household may no longer see.
const hiddenRecipeTitle = "A private recipe"

// householdSlots reads household id's name and slots.
func householdSlots(ctx context.Context, q conn, id string) (name string, slots []string, err error) {
	var raw string
	if err := q.QueryRowContext(ctx, "SELECT name, meal_slots FROM households WHERE id = ?", id).Scan(&name, &raw); err != nil {
		return "", nil, fmt.Errorf("read slots of household %s: %w", id, err)
	}
	return name, parseSlots(raw), nil
}

// parseSlots reads the meal_slots column (a JSON array of names); the
// default slots for anything else, which only a hand-edited row could
// hold.
func parseSlots(raw string) []string {
	var slots []string
	if err := json.Unmarshal([]byte(raw), &slots); err != nil || len(slots) == 0 {
		return planner.DefaultSlots
	}
	return slots
}

// entryColumns are an entry's columns for viewerID (nobody for the
// calendar feed): the entry, its recipe's title and
// visibility, whether the recipe's author is in the household, and
// whether viewerID may open it.
const entryColumns = "e.id, e.day, e.slot, e.position, e.title, e.recipe_id, r.title, r.visibility," +
	" CASE WHEN EXISTS (SELECT 1 FROM household_members hm WHERE hm.household_id = e.household_id AND hm.user_id = r.author_id) THEN 1 ELSE 0 END," +
	" CASE WHEN r.visibility <> 'private' OR r.author_id = ? THEN 1 ELSE 0 END," +
	" e.servings, e.note, e.cooked_at, COALESCE(u.display_name, ''), e.created_at, e.updated_at" +
	" FROM meal_plan_entries e LEFT JOIN recipes r ON r.id = e.recipe_id LEFT JOIN users u ON u.id = e.created_by"

func scanEntry(row interface{ Scan(...any) error }) (planner.Entry, error) {
	var e planner.Entry
	var recipeID, recipeTitle, vis sql.NullString
	var inHousehold, readable int
	var servings sql.NullInt64
	var cooked sql.NullTime
	if err := row.Scan(&e.ID, &e.Day, &e.Slot, &e.Position, &e.Title, &recipeID, &recipeTitle, &vis, &inHousehold, &readable,
		&servings, &e.Note, &cooked, &e.AddedBy, &e.CreatedAt, &e.UpdatedAt); err != nil {
		return e, err
	}
	if recipeID.Valid && vis.Valid {
		switch {
		case vis.String != "private" || inHousehold == 1:
			e.Title = recipeTitle.String
		default:
			e.Title = hiddenRecipeTitle
		}
		if readable == 1 {
			e.RecipeID, e.Readable = recipeID.String, true
		}
	}
	e.Servings = intPtr(servings)
	if cooked.Valid {
		t := cooked.Time
		e.CookedAt = &t
	}
	return e, nil
}

// entriesOf reads household's entries from day from to day to, inclusive,
// in the order of slots, as viewerID sees them: one statement.
func entriesOf(ctx context.Context, q conn, household, viewerID, from, to string, slots []string) ([]planner.Entry, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+entryColumns+" WHERE e.household_id = ? AND e.day >= ? AND e.day <= ?"+
		" ORDER BY e.day, e.position, e.created_at, e.id", viewerID, household, from, to)
	if err != nil {
		return nil, fmt.Errorf("read meal plan: %w", err)
	}
	defer rows.Close()
	out := []planner.Entry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("read meal plan: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read meal plan: %w", err)
	}
	order := map[string]int{}
	for i, s := range slots {
		order[s] = i
	}
	// Slots in the household's order; a slot since removed from it
	// comes last rather than vanishing with its entries.
	rank := func(s string) int {
		if i, ok := order[s]; ok {
			return i
		}
		return len(slots)
	}
	slices.SortStableFunc(out, func(a, b planner.Entry) int {
		return cmp.Or(strings.Compare(a.Day, b.Day), rank(a.Slot)-rank(b.Slot))
	})
	return out, nil
}

// MealPlan is userID's household's plan from day from to day to,
// inclusive (at most planner.MaxRangeDays), made for them if they have no
// household yet.
func (s *Store) MealPlan(ctx context.Context, userID, from, to string, now time.Time) (*planner.Plan, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	var p *planner.Plan
	err := s.inTx(ctx, func(tx conn) error {
		m, err := s.ensureHousehold(ctx, tx, userID, now)
		if err != nil {
			return err
		}
		p = &planner.Plan{From: from, To: to}
		if p.Household, p.Slots, err = householdSlots(ctx, tx, m.household); err != nil {
			return err
		}
		p.Entries, err = entriesOf(ctx, tx, m.household, userID, from, to, p.Slots)
		return err
	})
	return p, err
}

// checkRange refuses a stretch that is not from ≤ to within
// planner.MaxRangeDays, as a validation error.
func checkRange(from, to string) error {
	var errs validate.Errors
	f, okF := planner.ParseDay(from)
	t, okT := planner.ParseDay(to)
	switch {
	case !okF:
		errs.Add("from", "must be a date written YYYY-MM-DD")
	case !okT:
		errs.Add("to", "must be a date written YYYY-MM-DD")
	case t.Before(f):
		errs.Add("to", "must not be before from")
	case t.Sub(f) >= planner.MaxRangeDays*24*time.Hour:
		errs.Add("to", "must be at most %d days after from", planner.MaxRangeDays-1)
	}
	return errs.Err()
}

// planChange runs fn in a transaction with userID's household locked,
// with its slots.
func (s *Store) planChange(ctx context.Context, userID string, now time.Time, fn func(tx conn, household string, slots []string) error) error {
	if !validID(userID) {
		return ErrNotFound
	}
	return s.inTx(ctx, func(tx conn) error {
		m, err := s.lockedMembership(ctx, tx, userID, now)
		if err != nil {
			return err
		}
		_, slots, err := householdSlots(ctx, tx, m.household)
		if err != nil {
			return err
		}
		return fn(tx, m.household, slots)
	})
}

// entryIn reads entry id of household as viewerID sees it, ErrNotFound
// when it is not one of that household's.
func entryIn(ctx context.Context, q conn, household, viewerID, id string) (planner.Entry, error) {
	if !validID(id) {
		return planner.Entry{}, ErrNotFound
	}
	e, err := scanEntry(q.QueryRowContext(ctx, "SELECT "+entryColumns+" WHERE e.id = ? AND e.household_id = ?", viewerID, id, household))
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	if err != nil {
		return e, fmt.Errorf("read plan entry %s: %w", id, err)
	}
	return e, nil
}

// placeFor checks that day of household has room for one more entry and
// returns the position after the last in slot.
func placeFor(ctx context.Context, tx conn, household, day, slot string) (int, error) {
	var n, next int
	if err := tx.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM meal_plan_entries WHERE household_id = ? AND day = ?),"+
		" (SELECT COALESCE(max(position) + 1, 0) FROM meal_plan_entries WHERE household_id = ? AND day = ? AND slot = ?)",
		household, day, household, day, slot).Scan(&n, &next); err != nil {
		return 0, fmt.Errorf("count the plan of %s: %w", day, err)
	}
	if n >= planner.MaxEntriesPerDay {
		return 0, ErrDayFull
	}
	return next, nil
}

// AddPlanEntry plans in for userID's household. A recipe userID may not
// read is a validation error of recipe_id, like one that does not exist.
func (s *Store) AddPlanEntry(ctx context.Context, userID string, in planner.EntryInput, now time.Time) (*planner.Entry, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var out planner.Entry
	err := s.planChange(ctx, userID, now, func(tx conn, household string, slots []string) error {
		if err := in.Normalize(slots, now).Err(); err != nil {
			return err
		}
		if !storable(in.Title) || !storable(in.Note) {
			return ErrNotFound
		}
		if in.RecipeID != "" {
			title, err := readableTitle(ctx, tx, in.RecipeID, userID)
			if err != nil {
				return err
			}
			in.Title = title
		}
		pos, err := placeFor(ctx, tx, household, in.Day, in.Slot)
		if err != nil {
			return err
		}
		id := newID()
		var recipeID any
		if in.RecipeID != "" {
			recipeID = in.RecipeID
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO meal_plan_entries (id, household_id, day, slot, position, recipe_id, title, servings, note, created_by, created_at, updated_at)"+
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, household, in.Day, in.Slot, pos, recipeID, in.Title, in.Servings, in.Note, userID, now, now); err != nil {
			return fmt.Errorf("plan entry: %w", err)
		}
		out, err = entryIn(ctx, tx, household, userID, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ReadableTitle is recipe id's title when viewerID may read it, else a
// validation error of recipe_id.
func (s *Store) ReadableTitle(ctx context.Context, id, viewerID string) (string, error) {
	return readableTitle(ctx, s.read(), id, viewerID)
}

// readableTitle is recipe id's title when viewerID may read it, else a
// validation error of recipe_id.
func readableTitle(ctx context.Context, q conn, id, viewerID string) (string, error) {
	var title string
	err := sql.ErrNoRows
	if validID(id) {
		err = q.QueryRowContext(ctx, "SELECT title FROM recipes WHERE id = ? AND (visibility <> 'private' OR author_id = ?)", id, viewerID).Scan(&title)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", validate.Errors{{Field: "recipe_id", Message: "is not a recipe you can see"}}.Err()
	}
	if err != nil {
		return "", fmt.Errorf("read recipe %s: %w", id, err)
	}
	return title, nil
}

// ChangePlanEntry applies ch to entry id of userID's household. A new day
// or slot puts the entry last in its new slot.
func (s *Store) ChangePlanEntry(ctx context.Context, userID, id string, ch planner.EntryChange, now time.Time) (*planner.Entry, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var out planner.Entry
	err := s.planChange(ctx, userID, now, func(tx conn, household string, slots []string) error {
		e, err := entryIn(ctx, tx, household, userID, id)
		if err != nil {
			return err
		}
		var errs validate.Errors
		day, slot := e.Day, e.Slot
		if ch.Day != nil {
			day = planner.CheckDay(&errs, "day", *ch.Day, now)
		}
		if ch.Slot != nil {
			slot = planner.CheckSlot(&errs, "slot", *ch.Slot, slots)
		}
		planner.CheckServings(&errs, "servings", ch.Servings)
		if ch.Servings != nil {
			var isRecipe int
			if err := tx.QueryRowContext(ctx, "SELECT CASE WHEN recipe_id IS NULL THEN 0 ELSE 1 END FROM meal_plan_entries WHERE id = ?", id).Scan(&isRecipe); err != nil {
				return err
			}
			if isRecipe == 0 {
				errs.Add("servings", "applies to a recipe only")
			}
		}
		note := e.Note
		if ch.Note != nil {
			note = validate.Text(&errs, "note", *ch.Note, 0, planner.MaxEntryNote, true)
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if !storable(note) {
			return ErrNotFound
		}
		pos := e.Position
		if day != e.Day || slot != e.Slot {
			if day == e.Day {
				// Same day: the entry itself does not count twice.
				if err := tx.QueryRowContext(ctx, "SELECT COALESCE(max(position) + 1, 0) FROM meal_plan_entries WHERE household_id = ? AND day = ? AND slot = ?",
					household, day, slot).Scan(&pos); err != nil {
					return err
				}
			} else if pos, err = placeFor(ctx, tx, household, day, slot); err != nil {
				return err
			}
		}
		servings := e.Servings
		if ch.Servings != nil {
			servings = ch.Servings
		}
		if ch.ClearServings {
			servings = nil
		}
		cooked := e.CookedAt
		if ch.Cooked != nil {
			switch {
			case *ch.Cooked && cooked == nil:
				cooked = &now
			case !*ch.Cooked:
				cooked = nil
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE meal_plan_entries SET day = ?, slot = ?, position = ?, servings = ?, note = ?, cooked_at = ?, updated_at = ? WHERE id = ?",
			day, slot, pos, servings, note, cooked, now, id); err != nil {
			return fmt.Errorf("change plan entry %s: %w", id, err)
		}
		out, err = entryIn(ctx, tx, household, userID, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CopyPlanEntry plans entry id of userID's household again on day in
// slot, last there, not cooked.
func (s *Store) CopyPlanEntry(ctx context.Context, userID, id, day, slot string, now time.Time) (*planner.Entry, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var out planner.Entry
	err := s.planChange(ctx, userID, now, func(tx conn, household string, slots []string) error {
		if _, err := entryIn(ctx, tx, household, userID, id); err != nil {
			return err
		}
		var errs validate.Errors
		day = planner.CheckDay(&errs, "day", day, now)
		slot = planner.CheckSlot(&errs, "slot", slot, slots)
		if err := errs.Err(); err != nil {
			return err
		}
		pos, err := placeFor(ctx, tx, household, day, slot)
		if err != nil {
			return err
		}
		copyID := newID()
		if _, err := tx.ExecContext(ctx, "INSERT INTO meal_plan_entries (id, household_id, day, slot, position, recipe_id, title, servings, note, created_by, created_at, updated_at)"+
			" SELECT ?, household_id, ?, ?, ?, recipe_id, title, servings, note, ?, ?, ? FROM meal_plan_entries WHERE id = ?",
			copyID, day, slot, pos, userID, now, now, id); err != nil {
			return fmt.Errorf("copy plan entry %s: %w", id, err)
		}
		out, err = entryIn(ctx, tx, household, userID, copyID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeletePlanEntry removes entry id from userID's household's plan.
func (s *Store) DeletePlanEntry(ctx context.Context, userID, id string, now time.Time) error {
	if !validID(id) {
		return ErrNotFound
	}
	return s.planChange(ctx, userID, now.UTC(), func(tx conn, household string, _ []string) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM meal_plan_entries WHERE id = ? AND household_id = ?", id, household)
		if err != nil {
			return fmt.Errorf("delete plan entry %s: %w", id, err)
		}
		return mustAffect(res, "plan entry "+id)
	})
}

// SetMealSlots names userID's household's slots (normalised by
// planner.NormalizeSlots); owners only. Entries in a slot no longer named
// stay, shown after the others.
func (s *Store) SetMealSlots(ctx context.Context, userID string, slots []string, now time.Time) (*planner.Household, error) {
	raw, err := json.Marshal(slots)
	if err != nil || !storable(string(raw)) {
		return nil, ErrNotFound
	}
	return s.ownerChange(ctx, userID, now, func(tx conn, household string) error {
		_, err := tx.ExecContext(ctx, "UPDATE households SET meal_slots = ?, updated_at = ? WHERE id = ?", string(raw), now.UTC().Truncate(time.Microsecond), household)
		return err
	})
}

// SetCalendarToken gives userID's household a calendar feed whose token
// hashes to tokenHash, replacing any earlier one (whose address then
// stops working); "" removes the feed. Any member may.
func (s *Store) SetCalendarToken(ctx context.Context, userID, tokenHash string, now time.Time) error {
	if !storable(tokenHash) {
		return ErrNotFound
	}
	var hash any
	if tokenHash != "" {
		hash = tokenHash
	}
	return s.planChange(ctx, userID, now.UTC(), func(tx conn, household string, _ []string) error {
		_, err := tx.ExecContext(ctx, "UPDATE households SET calendar_token_hash = ? WHERE id = ?", hash, household)
		return err
	})
}

// HasCalendar reports whether userID's household has a calendar feed.
func (s *Store) HasCalendar(ctx context.Context, userID string) (bool, error) {
	var n int
	err := s.read().QueryRowContext(ctx, "SELECT count(*) FROM households h JOIN household_members m ON m.household_id = h.id"+
		" WHERE m.user_id = ? AND h.calendar_token_hash IS NOT NULL", userID).Scan(&n)
	return n > 0, err
}

// CalendarPlan is the plan, from from to to, of the household whose
// calendar token hashes to tokenHash, with no recipe opened (the feed is
// read without an account); ErrNotFound for an unknown token.
func (s *Store) CalendarPlan(ctx context.Context, tokenHash, from, to string) (*planner.Plan, error) {
	if !storable(tokenHash) || tokenHash == "" {
		return nil, ErrNotFound
	}
	q := s.read()
	var id string
	err := q.QueryRowContext(ctx, "SELECT id FROM households WHERE calendar_token_hash = ?", tokenHash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read calendar: %w", err)
	}
	p := &planner.Plan{From: from, To: to}
	if p.Household, p.Slots, err = householdSlots(ctx, q, id); err != nil {
		return nil, err
	}
	p.Entries, err = entriesOf(ctx, q, id, nobody, from, to, p.Slots)
	return p, err
}

// RecipeChoice is a recipe offered to plan: its id and title.
type RecipeChoice struct {
	ID, Title string
}

// SavedTitles is userID's saved recipes they may still read, newest save
// first, at most limit: what the plan's add form offers. One statement.
func (s *Store) SavedTitles(ctx context.Context, userID string, limit int) ([]RecipeChoice, error) {
	if !validID(userID) {
		return nil, nil
	}
	rows, err := s.read().QueryContext(ctx, "SELECT r.id, r.title FROM recipe_saves sv JOIN recipes r ON r.id = sv.recipe_id"+
		" WHERE sv.user_id = ? AND (r.visibility <> 'private' OR r.author_id = ?) ORDER BY sv.created_at DESC, r.id LIMIT ?", userID, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("read saved recipes of %s: %w", userID, err)
	}
	defer rows.Close()
	var out []RecipeChoice
	for rows.Next() {
		var c RecipeChoice
		if err := rows.Scan(&c.ID, &c.Title); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
