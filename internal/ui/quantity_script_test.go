package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestFormatQuantityInJavaScript runs the browser's formatQuantity
// (static/app.js) with Node against the table recipe.FormatQuantity is
// tested with, so the server's scaled page and the script's rescaling
// always read alike. Without node the test skips, unless
// RECC_TEST_REQUIRE_NODE=1 or RECC_TEST_REQUIRE_BROWSER=1.
func TestFormatQuantityInJavaScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("RECC_TEST_REQUIRE_NODE") == "1" || os.Getenv("RECC_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatalf("node is required but not found: %v", err)
		}
		t.Skip("node not found; set RECC_TEST_REQUIRE_NODE=1 to fail instead")
	}
	app, err := os.ReadFile("static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(app), "// format-quantity:begin")
	fn, _, ok2 := strings.Cut(rest, "// format-quantity:end")
	if !ok || !ok2 {
		t.Fatal("static/app.js lacks the format-quantity:begin/end markers around formatQuantity")
	}
	table, err := os.ReadFile("../recipe/testdata/format_quantity.json")
	if err != nil {
		t.Fatal(err)
	}
	script := fn + `
const table = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = table.cases.map(c => ({q: c.q, want: c.want, got: formatQuantity(c.q)}));
out.push({q: "NaN", want: "", got: formatQuantity(NaN)});
process.stdout.write(JSON.stringify(out));
`
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Stdin = bytes.NewReader(table)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var results []struct {
		Q    any    `json:"q"`
		Want string `json:"want"`
		Got  string `json:"got"`
	}
	if err := json.Unmarshal(stdout, &results); err != nil {
		t.Fatalf("node output %q: %v", stdout, err)
	}
	if len(results) < 20 {
		t.Fatalf("only %d results", len(results))
	}
	for _, r := range results {
		if r.Got != r.Want {
			t.Errorf("formatQuantity(%v) = %q in the browser, want %q", r.Q, r.Got, r.Want)
		}
	}
}
