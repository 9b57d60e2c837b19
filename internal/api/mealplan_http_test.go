package api_test

import (
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/reccollection/reccollection/internal/planner"
)

type entryJSON struct {
	ID       string     `json:"id"`
	Day      string     `json:"day"`
	Slot     string     `json:"slot"`
	Position int        `json:"position"`
	Title    string     `json:"title"`
	RecipeID string     `json:"recipe_id"`
	Readable bool       `json:"readable"`
	Servings *int       `json:"servings"`
	Note     string     `json:"note"`
	CookedAt *time.Time `json:"cooked_at"`
	AddedBy  string     `json:"added_by"`
}

type planJSON struct {
	Household string      `json:"household"`
	From      string      `json:"from"`
	To        string      `json:"to"`
	Slots     []string    `json:"slots"`
	Entries   []entryJSON `json:"entries"`
}

// read is the plan's entries as "day slot title[ xN][ cooked]", in order.
func (p planJSON) read() string {
	var out []string
	for _, e := range p.Entries {
		s := e.Day + " " + e.Slot + " " + e.Title
		if e.Servings != nil {
			s += " x" + string(rune('0'+*e.Servings%10))
		}
		if e.CookedAt != nil {
			s += " cooked"
		}
		out = append(out, s)
	}
	return strings.Join(out, " | ")
}

func (c *client) plan(t testing.TB, from, to string) planJSON {
	t.Helper()
	var p planJSON
	c.do(t, "GET", "/api/v1/meal-plan?from="+from+"&to="+to, nil).want(t, http.StatusOK).decode(t, &p)
	return p
}

func (c *client) addEntry(t testing.TB, body map[string]any) entryJSON {
	t.Helper()
	var e entryJSON
	c.do(t, "POST", "/api/v1/meal-plan/entries", body).want(t, http.StatusCreated).decode(t, &e)
	return e
}

// TestMealPlanHTTP: members of one household plan recipes at servings and
// lines of text into days and slots, move, copy, cook and remove them, and
// see the same plan; a member's private recipe shows its title to the
// household but opens for its author only; a deleted recipe keeps its
// title; bad input is 422 and a full day 409, nothing written; the
// iCalendar feed parses and shows the week.
func TestMealPlanHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		ana, ben, eve := s.apiClient(t, "ana"), s.apiClient(t, "ben"), s.apiClient(t, "eve")
		inv := ana.inviteLink(t)
		ben.do(t, "POST", invitationPath(inv.Token)+"/accept", nil).want(t, http.StatusOK)

		lasagne := ana.createRecipe(t, recipeBody("Lasagne", "public", map[string]any{"servings": 4}))
		secret := ben.createRecipe(t, recipeBody("Ben's secret curry", "private"))
		evePrivate := eve.createRecipe(t, recipeBody("Eve's private pie", "private"))
		gone := ana.createRecipe(t, recipeBody("Soon gone soup", "public"))

		monday := planner.WeekOf(time.Now().UTC())
		day := func(i int) string { return monday.AddDate(0, 0, i).Format(planner.DayLayout) }
		from, to := day(0), day(6)

		p := ana.plan(t, from, to)
		if strings.Join(p.Slots, ",") != "breakfast,lunch,dinner,snack" || len(p.Entries) != 0 || p.Household != "ana’s household" {
			t.Fatalf("empty plan: %+v", p)
		}
		l := ana.addEntry(t, map[string]any{"day": day(0), "slot": "dinner", "recipe_id": lasagne.ID, "servings": 6})
		if l.Title != "Lasagne" || l.RecipeID != lasagne.ID || !l.Readable || *l.Servings != 6 || l.AddedBy != "ana" || l.Position != 0 {
			t.Fatalf("planned: %+v", l)
		}
		ben.addEntry(t, map[string]any{"day": day(0), "slot": "dinner", "title": "  Salad  "})
		ben.addEntry(t, map[string]any{"day": day(1), "slot": "lunch", "recipe_id": secret.ID, "note": "mild, please"})
		ben.addEntry(t, map[string]any{"day": day(0), "slot": "breakfast", "title": "Porridge"})
		soup := ana.addEntry(t, map[string]any{"day": day(2), "slot": "dinner", "recipe_id": gone.ID})

		// Both members see one plan; slots in the household's order.
		want := from + " breakfast Porridge | " + from + " dinner Lasagne x6 | " + from + " dinner Salad | " +
			day(1) + " lunch Ben's secret curry | " + day(2) + " dinner Soon gone soup"
		for _, c := range []*client{ana, ben} {
			if got := c.plan(t, from, to).read(); got != want {
				t.Fatalf("plan:\n got %s\nwant %s", got, want)
			}
		}
		// Ben's private recipe: its title for the household, its link for
		// Ben only.
		for _, e := range ana.plan(t, from, to).Entries {
			if e.Title == "Ben's secret curry" && (e.Readable || e.RecipeID != "") {
				t.Fatalf("ana may open ben's private recipe: %+v", e)
			}
		}
		for _, e := range ben.plan(t, from, to).Entries {
			if e.Title == "Ben's secret curry" && (!e.Readable || e.RecipeID != secret.ID) {
				t.Fatalf("ben may not open his own recipe: %+v", e)
			}
		}
		// Someone else's household never sees it.
		if p := eve.plan(t, from, to); len(p.Entries) != 0 {
			t.Fatalf("eve sees %s", p.read())
		}

		// Move, copy, cook, servings, remove.
		var moved entryJSON
		ana.do(t, "PATCH", "/api/v1/meal-plan/entries/"+l.ID, map[string]any{"day": day(3), "slot": "lunch"}).want(t, http.StatusOK).decode(t, &moved)
		if moved.Day != day(3) || moved.Slot != "lunch" || moved.Position != 0 {
			t.Fatalf("moved: %+v", moved)
		}
		var copied entryJSON
		ben.do(t, "POST", "/api/v1/meal-plan/entries/"+l.ID+"/copy", map[string]any{"day": day(4), "slot": "dinner"}).want(t, http.StatusCreated).decode(t, &copied)
		if copied.ID == l.ID || copied.Title != "Lasagne" || *copied.Servings != 6 || copied.AddedBy != "ben" {
			t.Fatalf("copied: %+v", copied)
		}
		var cooked entryJSON
		ben.do(t, "PATCH", "/api/v1/meal-plan/entries/"+l.ID, map[string]any{"cooked": true, "servings": 2}).want(t, http.StatusOK).decode(t, &cooked)
		if cooked.CookedAt == nil || *cooked.Servings != 2 {
			t.Fatalf("cooked: %+v", cooked)
		}
		ana.do(t, "PATCH", "/api/v1/meal-plan/entries/"+l.ID, map[string]any{"servings": 0}).want(t, http.StatusOK).decode(t, &cooked)
		if cooked.Servings != nil || cooked.CookedAt == nil {
			t.Fatalf("as written again: %+v", cooked)
		}
		// The soup's recipe is deleted: the entry keeps its title.
		ana.do(t, "DELETE", "/api/v1/recipes/"+gone.ID, nil).want(t, http.StatusNoContent)
		for _, e := range ben.plan(t, from, to).Entries {
			if e.ID == soup.ID && (e.Title != "Soon gone soup" || e.RecipeID != "" || e.Readable) {
				t.Fatalf("entry of a deleted recipe: %+v", e)
			}
		}
		ana.do(t, "DELETE", "/api/v1/meal-plan/entries/"+soup.ID, nil).want(t, http.StatusNoContent)
		ana.do(t, "DELETE", "/api/v1/meal-plan/entries/"+soup.ID, nil).wantProblem(t, http.StatusNotFound)
		want = from + " breakfast Porridge | " + from + " dinner Salad | " + day(1) + " lunch Ben's secret curry | " +
			day(3) + " lunch Lasagne cooked | " + day(4) + " dinner Lasagne x6"
		if got := ben.plan(t, from, to).read(); got != want {
			t.Fatalf("after the changes:\n got %s\nwant %s", got, want)
		}

		// Bad input: 422 with the fields, nothing written.
		before := ana.plan(t, from, to).read()
		for _, c := range []struct {
			body   map[string]any
			fields []string
		}{
			{map[string]any{"slot": "dinner", "title": "x"}, []string{"day"}},
			{map[string]any{"day": "2026-02-30", "slot": "dinner", "title": "x"}, []string{"day"}},
			{map[string]any{"day": "3026-01-01", "slot": "dinner", "title": "x"}, []string{"day"}},
			{map[string]any{"day": from, "slot": "elevenses", "title": "x"}, []string{"slot"}},
			{map[string]any{"day": from, "slot": "dinner"}, []string{"recipe_id"}},
			{map[string]any{"day": from, "slot": "dinner", "title": "x", "recipe_id": lasagne.ID}, []string{"title"}},
			{map[string]any{"day": from, "slot": "dinner", "title": "x", "servings": 2}, []string{"servings"}},
			{map[string]any{"day": from, "slot": "dinner", "recipe_id": lasagne.ID, "servings": 0}, []string{"servings"}},
			{map[string]any{"day": from, "slot": "dinner", "recipe_id": lasagne.ID, "servings": 1001}, []string{"servings"}},
			{map[string]any{"day": from, "slot": "dinner", "title": strings.Repeat("t", planner.MaxEntryTitle+1)}, []string{"title"}},
			{map[string]any{"day": from, "slot": "dinner", "title": "x", "note": strings.Repeat("n", planner.MaxEntryNote+1)}, []string{"note"}},
			{map[string]any{"day": from, "slot": "dinner", "recipe_id": evePrivate.ID}, []string{"recipe_id"}},
			{map[string]any{"day": from, "slot": "dinner", "recipe_id": "not-an-id"}, []string{"recipe_id"}},
		} {
			ana.do(t, "POST", "/api/v1/meal-plan/entries", c.body).wantProblem(t, http.StatusUnprocessableEntity, c.fields...)
		}
		ana.do(t, "POST", "/api/v1/meal-plan/entries", map[string]any{"day": from, "slot": "dinner", "title": "x", "colour": "red"}).
			wantProblem(t, http.StatusUnprocessableEntity, "colour")
		ana.do(t, "PATCH", "/api/v1/meal-plan/entries/"+l.ID, map[string]any{"slot": "elevenses"}).wantProblem(t, http.StatusUnprocessableEntity, "slot")
		ana.do(t, "PATCH", "/api/v1/meal-plan/entries/"+copied.ID, map[string]any{"day": "soon"}).wantProblem(t, http.StatusUnprocessableEntity, "day")
		ben.do(t, "PATCH", "/api/v1/meal-plan/entries/"+p0(t, ben, from, to, "Salad"), map[string]any{"servings": 3}).wantProblem(t, http.StatusUnprocessableEntity, "servings")
		for _, q := range []string{"from=" + from + "&to=" + day(-1), "from=" + from + "&to=" + day(50), "from=x&to=" + to, "from=" + from} {
			ana.do(t, "GET", "/api/v1/meal-plan?"+q, nil).wantProblem(t, http.StatusUnprocessableEntity)
		}
		// Another household's entry is not found, to change or copy.
		eve.do(t, "PATCH", "/api/v1/meal-plan/entries/"+l.ID, map[string]any{"cooked": true}).wantProblem(t, http.StatusNotFound)
		eve.do(t, "POST", "/api/v1/meal-plan/entries/"+l.ID+"/copy", map[string]any{"day": from, "slot": "dinner"}).wantProblem(t, http.StatusNotFound)
		eve.do(t, "DELETE", "/api/v1/meal-plan/entries/"+l.ID, nil).wantProblem(t, http.StatusNotFound)
		if after := ana.plan(t, from, to).read(); after != before {
			t.Fatalf("refused requests changed the plan:\n%s\n%s", before, after)
		}

		// A full day: 409, for adding, moving and copying into it.
		full := day(5)
		for i := range planner.MaxEntriesPerDay {
			ana.addEntry(t, map[string]any{"day": full, "slot": "snack", "title": "Snack " + string(rune('A'+i))})
		}
		ana.do(t, "POST", "/api/v1/meal-plan/entries", map[string]any{"day": full, "slot": "dinner", "title": "One more"}).wantProblem(t, http.StatusConflict)
		ana.do(t, "PATCH", "/api/v1/meal-plan/entries/"+copied.ID, map[string]any{"day": full}).wantProblem(t, http.StatusConflict)
		ana.do(t, "POST", "/api/v1/meal-plan/entries/"+copied.ID+"/copy", map[string]any{"day": full, "slot": "dinner"}).wantProblem(t, http.StatusConflict)

		// Slots: owners name them; an entry in a slot no longer named
		// stays, after the others.
		ben.do(t, "PUT", householdPath+"/slots", map[string]any{"slots": []string{"dinner"}}).wantProblem(t, http.StatusForbidden)
		for _, bad := range [][]string{{}, {"dinner", "Dinner"}, {""}, {"a", "b", "c", "d", "e", "f", "g", "h", "i"}, {strings.Repeat("s", planner.MaxSlotName+1)}} {
			ana.do(t, "PUT", householdPath+"/slots", map[string]any{"slots": bad}).wantProblem(t, http.StatusUnprocessableEntity, "slots")
		}
		var h householdJSON
		ana.do(t, "PUT", householdPath+"/slots", map[string]any{"slots": []string{"dinner", "breakfast"}}).want(t, http.StatusOK).decode(t, &h)
		got := ana.plan(t, from, day(0))
		if strings.Join(got.Slots, ",") != "dinner,breakfast" || got.read() != from+" dinner Salad | "+from+" breakfast Porridge" {
			t.Fatalf("after renaming slots: %v %s", got.Slots, got.read())
		}

		// The calendar feed: made, read without an account, parsed by
		// another iCalendar library; a new address ends the old one.
		var feed struct {
			URL string `json:"url"`
		}
		ben.do(t, "POST", "/api/v1/meal-plan/calendar", nil).want(t, http.StatusCreated).decode(t, &feed)
		u, err := url.Parse(feed.URL)
		if err != nil || !strings.HasPrefix(u.Path, planner.CalendarPath) || !strings.HasSuffix(u.Path, ".ics") {
			t.Fatalf("feed address %q", feed.URL)
		}
		res, err := http.Get(s.URL + u.Path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("feed: %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		cal, err := ics.ParseCalendar(strings.NewReader(string(body)))
		if err != nil {
			t.Fatalf("parse the feed: %v\n%s", err, body)
		}
		var summaries []string
		for _, ev := range cal.Events() {
			start, err := ev.GetAllDayStartAt()
			if err != nil {
				t.Fatalf("event without an all-day start: %v", err)
			}
			summaries = append(summaries, start.Format(planner.DayLayout)+" "+ev.GetProperty(ics.ComponentPropertySummary).Value)
		}
		sort.Strings(summaries)
		joined := strings.Join(summaries, " | ")
		for _, want := range []string{from + " Dinner: Salad", from + " Breakfast: Porridge", day(1) + " Lunch: Ben's secret curry", day(4) + " Dinner: Lasagne"} {
			if !strings.Contains(joined, want) {
				t.Errorf("the feed lacks %q: %s", want, joined)
			}
		}
		var again struct {
			URL string `json:"url"`
		}
		ana.do(t, "POST", "/api/v1/meal-plan/calendar", nil).want(t, http.StatusCreated).decode(t, &again)
		for path, status := range map[string]int{u.Path: http.StatusNotFound, mustPath(t, again.URL): http.StatusOK, planner.CalendarPath + "x.ics": http.StatusNotFound} {
			res, err := http.Get(s.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != status {
				t.Errorf("GET %s: %d, want %d", path, res.StatusCode, status)
			}
		}
		ana.do(t, "DELETE", "/api/v1/meal-plan/calendar", nil).want(t, http.StatusNoContent)
		if res, err := http.Get(s.URL + mustPath(t, again.URL)); err != nil || res.StatusCode != http.StatusNotFound {
			t.Errorf("a removed feed still answers: %v %v", res.StatusCode, err)
		}

		// Without credentials 401.
		s.anon().do(t, "GET", "/api/v1/meal-plan", nil).wantProblem(t, http.StatusUnauthorized)
		s.anon().do(t, "POST", "/api/v1/meal-plan/entries", map[string]any{"day": from}).wantProblem(t, http.StatusUnauthorized)
	})
}

func mustPath(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// p0 is the id of the entry titled title in c's plan.
func p0(t *testing.T, c *client, from, to, title string) string {
	t.Helper()
	for _, e := range c.plan(t, from, to).Entries {
		if e.Title == title {
			return e.ID
		}
	}
	t.Fatalf("no entry %q", title)
	return ""
}
