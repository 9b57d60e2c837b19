package ui_test

import "testing"

// TestRoundCountInJavaScript runs the browser's roundCount (static/app.js)
// with Node against the table recipe.RoundCount is tested with, so a
// counted ingredient rescaled in place reads as the server writes it for
// ?servings=.
func TestRoundCountInJavaScript(t *testing.T) {
	results := runScriptTable(t, []string{"format-quantity", "round-count"}, "round_count.json", `
return table.cases.map(c => ({q: c.q, want: c.want, got: formatQuantity(roundCount(c.q))}));`, 10)
	for _, r := range results {
		if r.Got != r.Want {
			t.Errorf("roundCount(%v) reads %q in the browser, want %q", r.Q, r.Got, r.Want)
		}
	}
}
