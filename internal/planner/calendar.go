package planner

import (
	"bytes"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"github.com/reccollection/reccollection/internal/notify"
)

// The household's iCalendar feed (RFC 5545): a secret address a phone's
// calendar subscribes to, showing the plan as all-day events.

// CalendarPath is where the feed is served: CalendarPath + token + ".ics".
const CalendarPath = "/household/calendar/"

// Calendar window: the feed carries the plan from CalendarPast before
// today to CalendarAhead after it, enough for a calendar's agenda, few
// enough events to answer fast whatever the plan's age.
const (
	CalendarPast  = 28
	CalendarAhead = 90
)

// WriteCalendar writes plan as an iCalendar feed: one all-day event per
// entry, titled "Dinner: Lasagne" (the slot capitalised), with the
// servings and note as its description and, for a recipe anyone may open,
// its page as the URL. siteURL roots the links; host names the events'
// UIDs, so a calendar keeps each entry as one event across refreshes.
func WriteCalendar(w io.Writer, plan *Plan, siteURL string, now time.Time) error {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//RecCollection//Meal plan//EN")
	cal.Props.SetText("X-WR-CALNAME", notify.OneLine(plan.Household)+" — meal plan")
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	host := "reccollection"
	if u, err := url.Parse(siteURL); err == nil && u.Host != "" {
		host = u.Host
	}
	for _, e := range plan.Entries {
		day, ok := ParseDay(e.Day)
		if !ok {
			continue
		}
		ev := ical.NewEvent()
		ev.Props.SetText(ical.PropUID, e.ID+"@"+host)
		ev.Props.SetDateTime(ical.PropDateTimeStamp, e.UpdatedAt.UTC())
		start := ical.NewProp(ical.PropDateTimeStart)
		start.SetDate(day)
		ev.Props.Set(start)
		end := ical.NewProp(ical.PropDateTimeEnd)
		end.SetDate(day.AddDate(0, 0, 1))
		ev.Props.Set(end)
		ev.Props.SetText(ical.PropSummary, capitalise(e.Slot)+": "+notify.OneLine(e.Title))
		var desc []string
		if e.Servings != nil {
			desc = append(desc, "For "+strconv.Itoa(*e.Servings)+" servings.")
		}
		if e.Note != "" {
			desc = append(desc, e.Note)
		}
		if e.CookedAt != nil {
			desc = append(desc, "Cooked.")
		}
		if e.Readable && e.RecipeID != "" {
			link := strings.TrimSuffix(siteURL, "/") + "/recipes/" + e.RecipeID
			if u, err := url.Parse(link); err == nil {
				ev.Props.SetURI(ical.PropURL, u)
			}
			desc = append(desc, link)
		}
		if len(desc) > 0 {
			ev.Props.SetText(ical.PropDescription, strings.Join(desc, "\n\n"))
		}
		ev.Props.SetText("TRANSP", "TRANSPARENT")
		cal.Children = append(cal.Children, ev.Component)
	}
	if len(cal.Children) == 0 {
		// RFC 5545 wants at least one component in a VCALENDAR (and the
		// encoder refuses one without): an empty plan is a single
		// cancelled event, which calendars do not show as busy.
		ev := ical.NewEvent()
		ev.Props.SetText(ical.PropUID, "empty@"+host)
		ev.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC())
		start := ical.NewProp(ical.PropDateTimeStart)
		start.SetDate(now.UTC())
		ev.Props.Set(start)
		ev.Props.SetText(ical.PropSummary, "Nothing planned yet")
		ev.SetStatus(ical.EventCancelled)
		cal.Children = append(cal.Children, ev.Component)
	}
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return err
	}
	_, err := w.Write(fold(buf.Bytes()))
	return err
}

// fold breaks content lines longer than 75 octets as RFC 5545 (3.1) asks,
// which the encoder does not: CRLF and a space, never inside a UTF-8
// sequence. A parser joins them again.
func fold(b []byte) []byte {
	var out bytes.Buffer
	for _, line := range bytes.SplitAfter(b, []byte("\r\n")) {
		body := bytes.TrimSuffix(line, []byte("\r\n"))
		limit := 75
		for len(body) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(body[cut]) {
				cut--
			}
			out.Write(body[:cut])
			out.WriteString("\r\n ")
			body = body[cut:]
			limit = 74 // the space that starts a continuation counts
		}
		out.Write(body)
		if len(body) < len(line) {
			out.WriteString("\r\n")
		}
	}
	return out.Bytes()
}

func capitalise(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
