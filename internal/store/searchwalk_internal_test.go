package store

import "testing"

// The rank window is walked where a walk reads fewer recipes (at
// walkRowCost each) than the bitmaps read posting-list entries: for a
// common word on a large collection, never for a word the sample did not
// see or one that was corrected, nor without a window.
func TestSearchPlanWalks(t *testing.T) {
	for _, tc := range []struct {
		name          string
		fewest, sum   int64
		recipes       float64
		window, walks bool
	}{
		{"chicken, 100 000 recipes", 5, 5, 1e5, true, false},
		{"chicken, 1 000 000 recipes", 5, 5, 1e6, true, true},
		{"spicy chicken tacos, 100 000 recipes", 3, 11, 1e5, true, false},
		{"spicy chicken tacos, 1 000 000 recipes", 3, 11, 1e6, true, true},
		{"onion, 100 000 recipes", 64, 64, 1e5, true, true},
		{"a word the sample missed, 1 000 000 recipes", 0, 0, 1e6, true, false},
		{"a corrected word", -1, 0, 1e6, true, false},
		{"no window (SQLite)", 5, 5, 1e6, false, false},
		{"statistics not gathered yet", 5, 5, -1, true, false},
	} {
		p := searchPlan{window: tc.window, fewestHits: tc.fewest, sumHits: tc.sum, recipes: tc.recipes}
		if got := p.walks(RankedMatches, walkRowCost); got != tc.walks {
			t.Errorf("%s: walks = %v, want %v", tc.name, got, tc.walks)
		}
	}
}
