package testutil

import "testing"

func TestParseTimeoutScale(t *testing.T) {
	for _, c := range []struct {
		v    string
		race bool
		want float64
	}{
		{"", false, 1},
		{"", true, defaultRaceScale},
		{"2", false, 2},
		{"2.5", true, 2.5},
		{"0.5", false, 0.5},
	} {
		if got, err := parseTimeoutScale(c.v, c.race); err != nil || got != c.want {
			t.Errorf("parseTimeoutScale(%q, race=%v) = %v, %v; want %v", c.v, c.race, got, err, c.want)
		}
	}
	for _, bad := range []string{"0", "-1", "x", "NaN", "Inf", "2s"} {
		if got, err := parseTimeoutScale(bad, false); err == nil {
			t.Errorf("parseTimeoutScale(%q) = %v, want an error", bad, got)
		}
	}
}
