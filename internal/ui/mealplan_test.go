package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/planner"
)

// planEntries is the week page's entries as read: "day-id slot: text".
func planEntries(t *testing.T, d *node) []string {
	t.Helper()
	var out []string
	for _, day := range d.all(".plan-day") {
		for _, slot := range day.all(".plan-slot") {
			name := slot.one(t, "h4").textContent()
			for _, e := range slot.all(".plan-entry-text") {
				out = append(out, day.get("id")+" "+name+": "+e.textContent())
			}
		}
	}
	return out
}

// TestMealPlanPage: the week page adds a line of text and a recipe
// ("Plan this" from its page, at servings), moves, copies, marks cooked
// and removes entries with plain forms, says what is wrong with a refused
// form, and makes a calendar address shown once.
func TestMealPlanPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann := s.register(t, "ann")
		id := ann.createRecipe(t, simpleRecipe("Mushroom risotto", "public"))
		today := time.Now().UTC()
		monday := planner.WeekOf(today)
		day := func(i int) string { return monday.AddDate(0, 0, i).Format(planner.DayLayout) }

		d := ann.get(t, "/plan").want(t, http.StatusOK).doc(t)
		if got := d.one(t, "#week-heading").textContent(); got != "Week of "+monday.Format("2 January 2006") {
			t.Errorf("heading %q", got)
		}
		if n := len(d.all(".plan-day")); n != 7 {
			t.Fatalf("%d days, want 7", n)
		}
		if d.one(t, "#day-"+today.Format(planner.DayLayout)+"-heading").textContent() == "" {
			t.Error("today has no heading")
		}

		// A line of text.
		loc := ann.post(t, "/plan", url.Values{"day": {day(0)}, "slot": {"dinner"}, "title": {"Leftovers"}}).want(t, http.StatusSeeOther).location(t)
		d = ann.get(t, loc).doc(t)
		if got := strings.Join(planEntries(t, d), " | "); got != "day-"+day(0)+" dinner: Leftovers" {
			t.Fatalf("entries %q", got)
		}
		// "Plan this" from the recipe page: the recipe chosen in the form.
		href := ann.get(t, "/recipes/"+id).doc(t).one(t, "a#plan").get("href")
		d = ann.get(t, href).want(t, http.StatusOK).doc(t)
		if sel := d.one(t, `#plan-recipe option[selected]`); sel.get("value") != id || sel.textContent() != "Mushroom risotto" {
			t.Fatalf("chosen recipe %q %q", sel.get("value"), sel.textContent())
		}
		ann.post(t, "/plan", url.Values{"day": {day(1)}, "slot": {"lunch"}, "recipe_id": {id}, "servings": {"6"}}).want(t, http.StatusSeeOther)
		d = ann.get(t, "/plan?week="+day(3)).doc(t)
		if got := strings.Join(planEntries(t, d), " | "); got != "day-"+day(0)+" dinner: Leftovers | day-"+day(1)+" lunch: Mushroom risotto for 6" {
			t.Fatalf("entries %q", got)
		}
		if a := d.one(t, `.plan-entry-text a`); a.get("href") != "/recipes/"+id+"?servings=6" {
			t.Errorf("the entry links to %q", a.get("href"))
		}

		// Found by search: each result opens the week with it chosen.
		d = ann.get(t, "/plan?week="+day(0)+"&q=risotto").want(t, http.StatusOK).doc(t)
		if a := d.one(t, "ul.plan-found a"); a.textContent() != "Mushroom risotto" || a.get("href") != "/plan?week="+day(0)+"&recipe="+id+"#add" {
			t.Errorf("found %q at %q", a.textContent(), a.get("href"))
		}
		if got := d.one(t, "#plan-q").get("value"); got != "risotto" {
			t.Errorf("the search field holds %q", got)
		}
		if none := ann.get(t, "/plan?q=zzzzqqqq").doc(t).one(t, "#plan-found-none").textContent(); !strings.Contains(none, "zzzzqqqq") {
			t.Errorf("no results read %q", none)
		}
		if msg := ann.get(t, "/plan?q="+url.QueryEscape(strings.Repeat("risotto ", 60))).want(t, http.StatusOK).doc(t).one(t, "#plan-search-error").textContent(); !strings.HasPrefix(msg, "The search ") {
			t.Errorf("a refused search reads %q", msg)
		}

		// A refused form: 422 with the reason, the form kept.
		d = ann.post(t, "/plan", url.Values{"day": {day(2)}, "slot": {"dinner"}, "servings": {"two"}, "title": {""}}).want(t, http.StatusUnprocessableEntity).doc(t)
		if msg := d.one(t, "#plan-error").textContent(); !strings.Contains(msg, "Servings must be a whole number") {
			t.Errorf("error %q", msg)
		}
		d = ann.post(t, "/plan", url.Values{"day": {day(2)}, "slot": {"dinner"}}).want(t, http.StatusUnprocessableEntity).doc(t)
		if msg := d.one(t, "#plan-error").textContent(); msg != "The recipe or a title is required" {
			t.Errorf("error %q", msg)
		}

		// Move, copy, cooked, remove: each button of an entry.
		entryID := strings.TrimPrefix(d.one(t, "#day-"+day(0)+" .plan-entry").get("id"), "entry-")
		act := func(action string, extra url.Values) {
			t.Helper()
			v := url.Values{"action": {action}, "week": {day(0)}}
			for k, vs := range extra {
				v[k] = vs
			}
			ann.post(t, "/plan/entries/"+entryID, v).want(t, http.StatusSeeOther)
		}
		act("move", url.Values{"day": {day(2)}, "slot": {"breakfast"}})
		act("copy", url.Values{"day": {day(4)}, "slot": {"dinner"}})
		act("cooked", nil)
		d = ann.get(t, "/plan?week="+day(0)).doc(t)
		want := "day-" + day(1) + " lunch: Mushroom risotto for 6 | day-" + day(2) + " breakfast: Leftovers Cooked | day-" + day(4) + " dinner: Leftovers"
		if got := strings.Join(planEntries(t, d), " | "); got != want {
			t.Fatalf("after move, copy and cooked:\n got %q\nwant %q", got, want)
		}
		if b := d.one(t, "#entry-"+entryID+` button[value="not-cooked"]`); b.get("aria-pressed") != "true" {
			t.Error("the cooked button is not pressed")
		}
		act("remove", nil)
		if got := len(planEntries(t, ann.get(t, "/plan?week="+day(0)).doc(t))); got != 2 {
			t.Fatalf("%d entries after removing one, want 2", got)
		}
		ann.post(t, "/plan/entries/"+entryID, url.Values{"action": {"dance"}}).want(t, http.StatusUnprocessableEntity)

		// The month at a glance: each day links to its week, with its
		// meals.
		d = ann.get(t, "/plan/month?month="+monday.Format("2006-01")).want(t, http.StatusOK).doc(t)
		if got := d.one(t, "h1").textContent(); got != "Meal plan: "+monday.Format("January 2006") {
			t.Errorf("month heading %q", got)
		}
		cell := d.one(t, `a[href="/plan?week=`+day(4)+`#day-`+day(4)+`"]`).parent
		if got := cell.one(t, ".month-entries").textContent(); got != "dinner: Leftovers" {
			t.Errorf("the month shows %q on %s", got, day(4))
		}
		if n := len(d.all(".month-day")); n%7 != 0 || n < 28 || n > 42 {
			t.Errorf("%d days in the month view", n)
		}
		ann.get(t, "/plan/month?month=2026-13").want(t, http.StatusOK)

		// The calendar address, shown once.
		d = ann.post(t, "/plan/calendar", url.Values{}).want(t, http.StatusOK).doc(t)
		cal := d.one(t, "#calendar-link").get("value")
		if !strings.Contains(cal, planner.CalendarPath) || !strings.HasSuffix(cal, ".ics") {
			t.Fatalf("calendar address %q", cal)
		}
		if ann.get(t, "/plan").doc(t).first("#calendar-link") != nil {
			t.Error("the calendar address is shown again")
		}
	})
}
