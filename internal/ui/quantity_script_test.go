package ui_test

import "testing"

// TestFormatQuantityInJavaScript runs the browser's formatQuantity
// (static/app.js) with Node against the table recipe.FormatQuantity is
// tested with, so the server's scaled page and the script's rescaling
// always read alike.
func TestFormatQuantityInJavaScript(t *testing.T) {
	results := runScriptTable(t, []string{"format-quantity"}, "format_quantity.json", `
const out = table.cases.map(c => ({q: c.q, want: c.want, got: formatQuantity(c.q)}));
out.push({q: "NaN", want: "", got: formatQuantity(NaN)});
return out;`, 20)
	for _, r := range results {
		if r.Got != r.Want {
			t.Errorf("formatQuantity(%v) = %q in the browser, want %q", r.Q, r.Got, r.Want)
		}
	}
}
