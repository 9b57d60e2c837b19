package ui_test

import "testing"

// TestMeasureInJavaScript runs the browser's measure, showAsWritten and
// formatAmount (static/app.js) with Node against the table
// recipe.ShowMeasure and recipe.ShowAsWritten are tested with, so an
// amount converted and rescaled in place reads as the server writes it
// for ?units= and ?servings=.
func TestMeasureInJavaScript(t *testing.T) {
	results := runScriptTable(t, []string{"format-quantity", "measure"}, "measure.json", `
const kinds = {ml: "volume", g: "mass"};
return table.cases.map(c => {
  let q = c.q, unit = c.unit;
  if (c.system === "original") q = showAsWritten(unit, q);
  else [q, , unit] = measure(c.system, kinds[c.unit], c.q, c.q);
  if (unit === "cup" && q > 1) unit = "cups";
  return {q: c.system + " " + c.q + " " + c.unit, want: c.want, got: formatAmount(unit, q) + " " + unit};
});`, 40)
	for _, r := range results {
		if r.Got != r.Want {
			t.Errorf("%v reads %q in the browser, want %q", r.Q, r.Got, r.Want)
		}
	}
}
