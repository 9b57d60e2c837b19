package planner_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/reccollection/reccollection/internal/planner"
)

// TestWriteCalendarEscapes: titles and notes with the characters
// iCalendar escapes (comma, semicolon, backslash, line breaks) and long
// lines come back whole from another library's parser, one event per
// entry on its day.
func TestWriteCalendarEscapes(t *testing.T) {
	six := 6
	long := strings.Repeat("Very long note ", 20)
	plan := &planner.Plan{Household: "The Kitchen", Entries: []planner.Entry{
		{ID: "a", Day: "2026-12-07", Slot: "dinner", Title: "Fish, chips; peas \\ vinegar", Servings: &six, Note: "line one\nline two", UpdatedAt: time.Now()},
		{ID: "b", Day: "2026-12-08", Slot: "lunch", Title: "Leftovers\r\nBCC: x", Note: long, RecipeID: "0190", Readable: true, UpdatedAt: time.Now()},
	}}
	var buf bytes.Buffer
	if err := planner.WriteCalendar(&buf, plan, "https://recipes.example.com", time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(buf.String(), "\r\n") {
		if len(line) > 75 {
			t.Errorf("a line of %d octets (RFC 5545 folds at 75): %q", len(line), line)
		}
	}
	cal, err := ics.ParseCalendar(&buf)
	if err != nil {
		t.Fatal(err)
	}
	ev := cal.Events()
	if len(ev) != 2 {
		t.Fatalf("%d events, want 2", len(ev))
	}
	got := map[string]string{}
	for _, e := range ev {
		start, err := e.GetAllDayStartAt()
		if err != nil {
			t.Fatal(err)
		}
		got[start.Format(planner.DayLayout)] = e.GetProperty(ics.ComponentPropertySummary).Value + " / " + e.GetProperty(ics.ComponentPropertyDescription).Value
	}
	if want := "Dinner: Fish, chips; peas \\ vinegar / For 6 servings.\n\nline one\nline two"; got["2026-12-07"] != want {
		t.Errorf("first event %q, want %q", got["2026-12-07"], want)
	}
	if g := got["2026-12-08"]; !strings.HasPrefix(g, "Lunch: Leftovers BCC: x / "+long) || !strings.HasSuffix(g, "https://recipes.example.com/recipes/0190") {
		t.Errorf("second event %q", g)
	}
}
