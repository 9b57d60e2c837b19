package planner

import (
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/validate"
)

// The meal plan: a household's entries, each on a day in one of its
// slots, in an order. An entry is a recipe at a number of servings (the
// shopping list scales the recipe to it) or a line of free text
// ("leftovers", "eat out").

// Limits of the plan.
const (
	MaxEntryTitle = 200
	MaxEntryNote  = 500
	MaxServings   = 1000
	// MaxEntriesPerDay bounds one day's entries across its slots: a
	// day's plan is a screen, not a database.
	MaxEntriesPerDay = 30
	// MaxSlots and MaxSlotName bound the household's slots.
	MaxSlots    = 8
	MaxSlotName = 30
	// MaxRangeDays is the longest stretch one read of the plan covers:
	// a month view's six weeks.
	MaxRangeDays = 42
	// PlanPast and PlanAhead bound the days an entry may be planned on,
	// around today: a plan is for the weeks around now, and the bound
	// keeps a typo ("3026") out of the calendar.
	PlanPast  = 366 * 24 * time.Hour
	PlanAhead = 2 * 366 * 24 * time.Hour
)

// DayLayout is how a day is written everywhere: in the API, in form
// fields and in the database.
const DayLayout = "2006-01-02"

// DefaultSlots are a new household's slots.
var DefaultSlots = []string{"breakfast", "lunch", "dinner", "snack"}

// Entry is one planned meal as a member sees it.
type Entry struct {
	ID   string `json:"id"`
	Day  string `json:"day"`
	Slot string `json:"slot"`
	// Position orders the entries of one day and slot, from 0.
	Position int `json:"position"`
	// Title is what the entry says: the recipe's title, or the free
	// text; for a recipe since deleted, its title when it was planned.
	Title string `json:"title"`
	// RecipeID is the planned recipe, "" for free text or a recipe since
	// deleted. Readable says whether the caller may open it (a member's
	// private recipe shows its title to the household, but opens for its
	// author only).
	RecipeID string `json:"recipe_id"`
	Readable bool   `json:"readable"`
	// Servings is what the recipe is planned for (nil: as written).
	Servings *int   `json:"servings"`
	Note     string `json:"note"`
	// CookedAt is when it was marked cooked, nil while not.
	CookedAt  *time.Time `json:"cooked_at"`
	AddedBy   string     `json:"added_by"` // display name; "" if their account is gone
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Plan is a stretch of a household's plan: its slots and the entries of
// the days from From to To, inclusive, by day, slot order and position.
type Plan struct {
	Household string   `json:"household"`
	From      string   `json:"from"`
	To        string   `json:"to"`
	Slots     []string `json:"slots"`
	Entries   []Entry  `json:"entries"`
}

// EntryInput is a new entry: a recipe (RecipeID) or free text (Title),
// on a day in a slot.
type EntryInput struct {
	Day      string
	Slot     string
	RecipeID string
	Title    string
	Servings *int
	Note     string
}

// EntryChange is a change of an entry; nil fields stay as they are. A
// change of Day or Slot moves the entry to the end of its new slot.
type EntryChange struct {
	Day      *string
	Slot     *string
	Servings *int
	// ClearServings plans the recipe as written again.
	ClearServings bool
	Note          *string
	Cooked        *bool
}

// ParseDay reads a day written as DayLayout.
func ParseDay(s string) (time.Time, bool) {
	t, err := time.Parse(DayLayout, s)
	return t, err == nil && t.Format(DayLayout) == s
}

// CheckDay reports field as errs when day is not a date within the plan's
// bounds around now.
func CheckDay(errs *validate.Errors, field, day string, now time.Time) string {
	day = strings.TrimSpace(day)
	t, ok := ParseDay(day)
	switch {
	case day == "":
		errs.Add(field, "is required")
	case !ok:
		errs.Add(field, "must be a date written YYYY-MM-DD")
	case t.Before(now.Add(-PlanPast)) || t.After(now.Add(PlanAhead)):
		errs.Add(field, "must be within a year before and two years after today")
	}
	return day
}

// CheckSlot reports field as errs when slot is not one of slots.
func CheckSlot(errs *validate.Errors, field, slot string, slots []string) string {
	slot = strings.TrimSpace(slot)
	for _, s := range slots {
		if s == slot {
			return slot
		}
	}
	if slot == "" {
		errs.Add(field, "is required")
	} else {
		errs.Add(field, "must be one of the household's slots: %s", strings.Join(slots, ", "))
	}
	return slot
}

// CheckServings reports field as errs when servings is out of range.
func CheckServings(errs *validate.Errors, field string, servings *int) {
	if servings != nil && (*servings < 1 || *servings > MaxServings) {
		errs.Add(field, "must be between 1 and %d", MaxServings)
	}
}

// Normalize checks a new entry against the household's slots: the day,
// the slot, a recipe or a title (not both), the servings (a recipe's
// only) and the note; every invalid field at once.
func (in *EntryInput) Normalize(slots []string, now time.Time) validate.Errors {
	var errs validate.Errors
	in.Day = CheckDay(&errs, "day", in.Day, now)
	in.Slot = CheckSlot(&errs, "slot", in.Slot, slots)
	in.RecipeID = strings.TrimSpace(in.RecipeID)
	switch {
	case in.RecipeID == "" && strings.TrimSpace(in.Title) == "":
		errs.Add("recipe_id", "or a title is required")
	case in.RecipeID != "" && strings.TrimSpace(in.Title) != "":
		errs.Add("title", "must be empty when a recipe is planned")
	case in.RecipeID == "":
		in.Title = validate.Text(&errs, "title", in.Title, 1, MaxEntryTitle, false)
		if in.Servings != nil {
			errs.Add("servings", "applies to a recipe only")
		}
	}
	CheckServings(&errs, "servings", in.Servings)
	in.Note = validate.Text(&errs, "note", in.Note, 0, MaxEntryNote, true)
	return errs
}

// NormalizeSlots checks a household's slots: 1 to MaxSlots distinct
// names of 1 to MaxSlotName characters, in the order given.
func NormalizeSlots(errs *validate.Errors, field string, slots []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range slots {
		var one validate.Errors
		s = validate.Text(&one, field, s, 1, MaxSlotName, false)
		switch {
		case len(one) > 0:
			errs.Add(field, "each slot %s", one[0].Message)
			return nil
		case seen[strings.ToLower(s)]:
			errs.Add(field, "names %q twice", s)
			return nil
		}
		seen[strings.ToLower(s)] = true
		out = append(out, s)
	}
	if len(out) == 0 || len(out) > MaxSlots {
		errs.Add(field, "must name 1 to %d slots", MaxSlots)
		return nil
	}
	return out
}

// WeekOf is the Monday of day's week (ISO 8601 weeks start on Monday).
func WeekOf(day time.Time) time.Time {
	wd := (int(day.Weekday()) + 6) % 7
	return time.Date(day.Year(), day.Month(), day.Day()-wd, 0, 0, 0, 0, time.UTC)
}
