package ui

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/sharing"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// The meal plan's week (/plan?week=YYYY-MM-DD, any day of the week):
// each day with its slots and their entries, and plain forms to add a
// recipe or a line of text, move or copy an entry to another day and
// slot, mark it cooked, and remove it — all usable by keyboard and
// without scripts. The recipe page's "Plan this" posts to the same add.
// The calendar feed (/household/calendar/{token}.ics) is the plan for a
// phone's calendar.

// planDay is one day of the week view.
type planDay struct {
	Day   string // YYYY-MM-DD
	Label string // "Monday 7 December"
	Today bool
	// Slots are those with entries, in the household's order.
	Slots []planSlot
}

type planSlot struct {
	Name    string
	Entries []planner.Entry
}

// planView is the week page's data.
type planView struct {
	Household string
	Week      string // the Monday, YYYY-MM-DD
	Title     string // "Week of 7 December 2026"
	Prev      string
	Next      string
	ThisWeek  string
	Month     string // YYYY-MM of the week's Monday, for the month view
	Days      []planDay
	Slots     []string
	// DayChoices are the days the forms offer: this week and the next.
	DayChoices []option
	// Saved are the caller's saved recipes to plan from (newest first).
	Saved []option
	// Query is the recipe search asked for (?q=), Found what it found
	// (each links back here with the recipe chosen) and SearchError why
	// it could not be run.
	Query, SearchError string
	Found              []option
	// Errors are the messages of the form just sent, by input id; Form
	// is what it held.
	Errors map[string]string
	Form   planForm
	// Calendar is the feed address just made, shown once; HasCalendar
	// says whether the household has one.
	Calendar    *copyLinkView
	HasCalendar bool
}

// planForm is the add form as sent.
type planForm struct {
	Day, Slot, RecipeID, Title, Servings string
}

// planPage is GET /plan.
func (u *UI) planPage(w http.ResponseWriter, r *http.Request) {
	me := u.plannerUser(w, r)
	if me == nil {
		return
	}
	var fill func(*planView)
	if id := r.URL.Query().Get("recipe"); id != "" {
		// "Plan this" from a recipe's page: that recipe, chosen in the
		// add form.
		title, err := u.store.ReadableTitle(r.Context(), id, me.ID)
		if err != nil {
			u.planFailed(w, r, me, err, "", nil)
			return
		}
		fill = func(v *planView) {
			v.Form.RecipeID = id
			for _, o := range v.Saved {
				if o.Value == id {
					return
				}
			}
			v.Saved = append([]option{{Value: id, Label: title}}, v.Saved...)
		}
	}
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" {
		found, msg, err := u.findToPlan(r, me, q)
		if err != nil {
			u.serverError(w, r, err)
			return
		}
		chosen := fill
		fill = func(v *planView) {
			if chosen != nil {
				chosen(v)
			}
			v.Query, v.Found, v.SearchError = q, found, msg
		}
	}
	u.showPlan(w, r, me, r.URL.Query().Get("week"), http.StatusOK, fill)
}

// findToPlan searches the recipes me may read for q, the first ten: the
// plan's "find a recipe". A query the search refuses comes back as its
// message.
func (u *UI) findToPlan(r *http.Request, me *auth.User, q string) ([]option, string, error) {
	page, err := u.store.ListRecipes(r.Context(), store.ListQuery{ViewerID: me.ID, Query: q, Limit: 10})
	var ve *validate.Error
	switch {
	case errors.As(err, &ve):
		return nil, "The search " + ve.Fields[0].Message + ".", nil
	case errors.Is(err, store.ErrSearchTimeout):
		return nil, "The search is busy; try again in a moment.", nil
	case err != nil:
		return nil, "", err
	}
	found := make([]option, 0, len(page.Items))
	for _, s := range page.Items {
		found = append(found, option{Value: s.ID, Label: s.Title})
	}
	return found, "", nil
}

// weekStart is the Monday of the week of day ("" or not a date: today).
func (u *UI) weekStart(day string) time.Time {
	if t, ok := planner.ParseDay(day); ok {
		return planner.WeekOf(t)
	}
	return planner.WeekOf(u.invitations.Now().UTC())
}

func (u *UI) showPlan(w http.ResponseWriter, r *http.Request, me *auth.User, week string, status int, fill func(*planView)) {
	now := u.invitations.Now().UTC()
	monday := u.weekStart(week)
	sunday := monday.AddDate(0, 0, 6)
	// A Monday to its Sunday is always a stretch the store takes, so no
	// error here is the caller's.
	p, err := u.store.MealPlan(r.Context(), me.ID, monday.Format(planner.DayLayout), sunday.Format(planner.DayLayout), now)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	has, err := u.store.HasCalendar(r.Context(), me.ID)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	saved, err := u.store.SavedTitles(r.Context(), me.ID, 50)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v := &planView{Household: p.Household, Week: monday.Format(planner.DayLayout), Slots: p.Slots, HasCalendar: has,
		Title:    "Week of " + monday.Format("2 January 2006"),
		Prev:     monday.AddDate(0, 0, -7).Format(planner.DayLayout),
		Next:     monday.AddDate(0, 0, 7).Format(planner.DayLayout),
		ThisWeek: planner.WeekOf(now).Format(planner.DayLayout), Month: monday.Format("2006-01")}
	for _, s := range saved {
		v.Saved = append(v.Saved, option{Value: s.ID, Label: s.Title})
	}
	byDay := map[string][]planner.Entry{}
	for _, e := range p.Entries {
		byDay[e.Day] = append(byDay[e.Day], e)
	}
	today := now.Format(planner.DayLayout)
	for i := range 14 {
		d := monday.AddDate(0, 0, i)
		key := d.Format(planner.DayLayout)
		label := d.Format("Monday 2 January")
		if i < 7 {
			v.Days = append(v.Days, planDay{Day: key, Label: label, Today: key == today, Slots: slotsOf(p.Slots, byDay[key])})
		}
		v.DayChoices = append(v.DayChoices, option{Value: key, Label: label})
	}
	v.Form.Day = today
	if today < v.Days[0].Day || today > v.Days[6].Day {
		v.Form.Day = v.Days[0].Day
	}
	v.Form.Slot = p.Slots[0]
	if fill != nil {
		fill(v)
	}
	u.render(w, r, status, "plan", &page{Title: v.Title + " · Meal plan", Data: v})
}

// slotsOf groups one day's entries by slot: the household's slots in
// order, then any slot no longer named that still holds entries; slots
// without entries are left out (a phone would scroll past seven days of
// "nothing planned" four times over).
func slotsOf(slots []string, entries []planner.Entry) []planSlot {
	out := make([]planSlot, 0, len(slots))
	at := map[string]int{}
	for _, s := range slots {
		at[s] = len(out)
		out = append(out, planSlot{Name: s})
	}
	for _, e := range entries {
		i, ok := at[e.Slot]
		if !ok {
			i = len(out)
			at[e.Slot] = i
			out = append(out, planSlot{Name: e.Slot})
		}
		out[i].Entries = append(out[i].Entries, e)
	}
	return slices.DeleteFunc(out, func(s planSlot) bool { return len(s.Entries) == 0 })
}

// planBack is where a plan form returns: the week of the day it acted on.
func planBack(day string) string {
	if _, ok := planner.ParseDay(day); ok {
		return "/plan?week=" + url.QueryEscape(day) + "#day-" + day
	}
	return "/plan"
}

// planFailed answers a refused plan form: the week again with the message
// (422 for bad input, 409 for a full day), or the error page.
func (u *UI) planFailed(w http.ResponseWriter, r *http.Request, me *auth.User, err error, week string, fill func(*planView)) {
	status, msg := http.StatusConflict, ""
	var ve *validate.Error
	switch {
	case errors.As(err, &ve):
		status, msg = http.StatusUnprocessableEntity, fieldsMessage(ve)
	case errors.Is(err, store.ErrDayFull):
		msg = fmt.Sprintf("That day already has %d entries, the most a day may have.", planner.MaxEntriesPerDay)
	case errors.Is(err, store.ErrNotFound):
		u.redirect(w, r, planBack(week), "")
		return
	default:
		u.serverError(w, r, err)
		return
	}
	u.showPlan(w, r, me, week, status, func(v *planView) {
		if fill != nil {
			fill(v)
		}
		v.Errors = map[string]string{"plan": msg}
	})
}

// fieldsMessage is a refused form's fields as one sentence for the page:
// "Servings must be a whole number; The text is required".
func fieldsMessage(ve *validate.Error) string {
	parts := make([]string, 0, len(ve.Fields))
	for _, f := range ve.Fields {
		parts = append(parts, fieldLabel(f.Field)+" "+f.Message)
	}
	return strings.Join(parts, "; ")
}

func fieldLabel(field string) string {
	switch field {
	case "recipe_id":
		return "The recipe"
	case "title":
		return "The text"
	default:
		return strings.ToUpper(field[:1]) + field[1:]
	}
}

// addToPlan is POST /plan: a recipe (recipe_id) or a line of text
// (title) on a day in a slot. From the recipe page, back to the recipe.
func (u *UI) addToPlan(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	f := r.PostForm
	form := planForm{Day: f.Get("day"), Slot: f.Get("slot"), RecipeID: f.Get("recipe_id"), Title: f.Get("title"), Servings: f.Get("servings")}
	in := planner.EntryInput{Day: form.Day, Slot: form.Slot, RecipeID: form.RecipeID, Title: form.Title}
	var err error
	if s := strings.TrimSpace(form.Servings); s != "" {
		n, perr := strconv.Atoi(s)
		if perr != nil {
			err = validate.Errors{{Field: "servings", Message: "must be a whole number"}}.Err()
		}
		in.Servings = &n
	}
	if err == nil {
		_, err = u.store.AddPlanEntry(r.Context(), me.ID, in, u.invitations.Now())
	}
	if err != nil {
		u.planFailed(w, r, me, err, form.Day, func(v *planView) { v.Form = form })
		return
	}
	u.redirect(w, r, planBack(form.Day), "planned")
}

// changePlanEntry is POST /plan/entries/{id}: move (day and slot), copy
// (copy=1 with day and slot), cooked (cooked=1 or 0), or remove
// (remove=1), by which button was pressed.
func (u *UI) changePlanEntry(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	f := r.PostForm
	id, now, week := r.PathValue("id"), u.invitations.Now(), f.Get("week")
	var err error
	flash := ""
	switch f.Get("action") {
	case "remove":
		err, flash = u.store.DeletePlanEntry(r.Context(), me.ID, id, now), "plan-removed"
	case "cooked", "not-cooked":
		cooked := f.Get("action") == "cooked"
		_, err = u.store.ChangePlanEntry(r.Context(), me.ID, id, planner.EntryChange{Cooked: &cooked}, now)
	case "copy":
		_, err = u.store.CopyPlanEntry(r.Context(), me.ID, id, f.Get("day"), f.Get("slot"), now)
		flash, week = "plan-copied", f.Get("day")
	case "move":
		day, slot := f.Get("day"), f.Get("slot")
		_, err = u.store.ChangePlanEntry(r.Context(), me.ID, id, planner.EntryChange{Day: &day, Slot: &slot}, now)
		flash, week = "plan-moved", day
	default:
		err = validate.Errors{{Field: "action", Message: "is not one this form has"}}.Err()
	}
	if err != nil {
		u.planFailed(w, r, me, err, week, nil)
		return
	}
	u.redirect(w, r, planBack(week), flash)
}

// newCalendar is POST /plan/calendar: a new feed address, shown once; an
// earlier one stops working. remove=1 ends the feed.
func (u *UI) newCalendar(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	if r.PostForm.Get("action") == "remove" {
		if err := u.store.SetCalendarToken(r.Context(), me.ID, "", u.invitations.Now()); err != nil {
			u.serverError(w, r, err)
			return
		}
		u.redirect(w, r, "/plan#calendar", "calendar-removed")
		return
	}
	token := auth.NewSecret()
	if err := u.store.SetCalendarToken(r.Context(), me.ID, auth.HashSecret(token), u.invitations.Now()); err != nil {
		u.serverError(w, r, err)
		return
	}
	u.showPlan(w, r, me, r.PostForm.Get("week"), http.StatusOK, func(v *planView) {
		v.Calendar = &copyLinkView{ID: "calendar-link", Label: "Calendar address (shown once)", URL: u.invitations.CalendarURL(token), New: true}
	})
}

// calendarFeed is GET /household/calendar/{token}.ics: the household's
// plan around today as iCalendar, for anyone holding the address (a
// calendar app has no account). Unknown and revoked tokens are 404.
func (u *UI) calendarFeed(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex")
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if u.invitations == nil || !ok || !sharing.PlausibleToken(token) {
		http.NotFound(w, r)
		return
	}
	now := u.invitations.Now().UTC()
	from := now.AddDate(0, 0, -planner.CalendarPast).Format(planner.DayLayout)
	to := now.AddDate(0, 0, planner.CalendarAhead).Format(planner.DayLayout)
	p, err := u.store.CalendarPlan(r.Context(), auth.HashSecret(token), from, to)
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := planner.WriteCalendar(&buf, p, u.baseURL, now); err != nil {
		u.serverError(w, r, err)
		return
	}
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="meal-plan.ics"`)
	_, _ = w.Write(buf.Bytes())
}

// monthDay is one day of the month overview.
type monthDay struct {
	Day     string // YYYY-MM-DD
	Label   string // "Monday 7 December", for the link
	Number  int
	Weekday string // "Tue", shown on a phone where no column heads say it
	InMonth bool
	Today   bool
	Entries []planner.Entry
}

// monthView is the month overview's data: the weeks that touch the
// month, Monday first, each day with its entries.
type monthView struct {
	Household string
	Title     string // "December 2026"
	Prev      string // YYYY-MM
	Next      string
	ThisMonth string
	Month     string
	Weekdays  []string
	Days      []monthDay
	// Planned says whether any day of the month has an entry (a phone
	// shows only those).
	Planned bool
}

// planMonth is GET /plan/month?month=YYYY-MM: the month at a glance,
// each day linking to its week.
func (u *UI) planMonth(w http.ResponseWriter, r *http.Request) {
	me := u.plannerUser(w, r)
	if me == nil {
		return
	}
	now := u.invitations.Now().UTC()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if t, err := time.Parse("2006-01", r.URL.Query().Get("month")); err == nil {
		first = t
	}
	start := planner.WeekOf(first)
	end := planner.WeekOf(first.AddDate(0, 1, -1)).AddDate(0, 0, 6) // at most six weeks: planner.MaxRangeDays
	p, err := u.store.MealPlan(r.Context(), me.ID, start.Format(planner.DayLayout), end.Format(planner.DayLayout), now)
	if err != nil {
		u.planFailed(w, r, me, err, "", nil)
		return
	}
	byDay := map[string][]planner.Entry{}
	for _, e := range p.Entries {
		byDay[e.Day] = append(byDay[e.Day], e)
	}
	v := &monthView{Household: p.Household, Title: first.Format("January 2006"), Month: first.Format("2006-01"),
		Prev: first.AddDate(0, -1, 0).Format("2006-01"), Next: first.AddDate(0, 1, 0).Format("2006-01"),
		ThisMonth: now.Format("2006-01"), Weekdays: []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}}
	today := now.Format(planner.DayLayout)
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		key := d.Format(planner.DayLayout)
		in := d.Month() == first.Month()
		v.Days = append(v.Days, monthDay{Day: key, Label: d.Format("Monday 2 January"), Number: d.Day(), Weekday: d.Format("Mon"),
			InMonth: in, Today: key == today, Entries: byDay[key]})
		v.Planned = v.Planned || (in && len(byDay[key]) > 0)
	}
	u.render(w, r, http.StatusOK, "plan_month", &page{Title: v.Title + " · Meal plan", Data: v})
}
