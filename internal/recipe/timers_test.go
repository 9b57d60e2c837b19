package recipe

import (
	"strings"
	"testing"
)

func TestFindTimers(t *testing.T) {
	type found struct {
		text      string
		secs, max int
		label     string
	}
	for _, c := range []struct {
		step string
		want []found
	}{
		{"Simmer 8–10 minutes, stirring.", []found{{"8–10 minutes", 480, 600, "simmer"}}},
		{"Bake for 25 min.", []found{{"25 min", 1500, 0, "bake"}}},
		{"Roast for 1 hour.", []found{{"1 hour", 3600, 0, "roast"}}},
		{"Cover and cook for 1 hr 30 mins.", []found{{"1 hr 30 mins", 5400, 0, "cook"}}},
		{"Cook 1 hour and 30 minutes", []found{{"1 hour and 30 minutes", 5400, 0, "cook"}}},
		{"Whisk for 45 seconds.", []found{{"45 seconds", 45, 0, "whisk"}}},
		{"Boil 10-12 minutes", []found{{"10-12 minutes", 600, 720, "boil"}}},
		{"Simmer 8 to 10 mins", []found{{"8 to 10 mins", 480, 600, "simmer"}}},
		{"Simmer for 2 seconds.", []found{{"2 seconds", 2, 0, "simmer"}}},
		{"Let it rest 1½ hours", []found{{"1½ hours", 5400, 0, "rest"}}},
		{"Chill 2.5 hrs", []found{{"2.5 hrs", 9000, 0, "chill"}}},
		{"Prove for 1h, then bake 20–25 min.", []found{{"1h", 3600, 0, "prove"}, {"20–25 min", 1200, 1500, "bake"}}},
		{"45 seconds", []found{{"45 seconds", 45, 0, ""}}},
		{"Fold in the flour. Wait 5 MINUTES", []found{{"5 MINUTES", 300, 0, "wait"}}},
		{"Add the onions, 5 minutes", []found{{"5 minutes", 300, 0, ""}}},
		// A second part in a larger unit is a duration of its own.
		{"Cook 10 minutes 2 hours", []found{{"10 minutes", 600, 0, "cook"}, {"2 hours", 7200, 0, "cook"}}},
		// After a range, a second part is not added.
		{"Bake 1-2 hours 30 minutes", []found{{"1-2 hours", 3600, 7200, "bake"}, {"30 minutes", 1800, 0, "bake"}}},
		// Range written backwards: the first number alone.
		{"Bake 10–5 min", []found{{"10–5 min", 600, 0, "bake"}}},
		// Not durations.
		{"Add 2 mint leaves", nil},
		{"Use 14 oz of tomatoes and 2 hands", nil},
		{"Heat to 180 degrees", nil},
		{"Cook 0 minutes", nil},
		{"Marinate 100 hours", nil},
		{"Version 2.10 minutes", []found{{"2.10 minutes", 126, 0, "version"}}},
		{"Model v2 10 min", []found{{"10 min", 600, 0, "model"}}},
		{"", nil},
	} {
		got := FindTimers(c.step)
		if len(got) != len(c.want) {
			t.Errorf("FindTimers(%q) = %+v, want %d timers %+v", c.step, got, len(c.want), c.want)
			continue
		}
		for i, w := range c.want {
			g := got[i]
			if text := c.step[g.Start:g.End]; text != w.text || g.Seconds != w.secs || g.MaxSeconds != w.max || g.Label != w.label {
				t.Errorf("FindTimers(%q)[%d] = %q %d–%d s %q, want %q %d–%d s %q", c.step, i, text, g.Seconds, g.MaxSeconds, g.Label, w.text, w.secs, w.max, w.label)
			}
		}
	}
}

// TestFindTimersLongStep checks a step of the longest allowed size with
// many durations is read whole, and fast enough to run on every page.
func TestFindTimersLongStep(t *testing.T) {
	step := strings.Repeat("Simmer 5 min. ", MaxStep/14)
	if got := FindTimers(step); len(got) != MaxStep/14 {
		t.Errorf("found %d timers, want %d", len(got), MaxStep/14)
	}
}
