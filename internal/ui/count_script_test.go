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

// TestRoundCountInJavaScript runs the browser's roundCount (static/app.js)
// with Node against the table recipe.RoundCount is tested with, so a
// counted ingredient rescaled in place reads as the server writes it for
// ?servings=. Skips without node as TestFormatQuantityInJavaScript does.
func TestRoundCountInJavaScript(t *testing.T) {
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
	var code string
	for _, name := range []string{"format-quantity", "round-count"} {
		_, rest, ok := strings.Cut(string(app), "// "+name+":begin")
		fn, _, ok2 := strings.Cut(rest, "// "+name+":end")
		if !ok || !ok2 {
			t.Fatalf("static/app.js lacks the %s:begin/end markers", name)
		}
		code += fn
	}
	table, err := os.ReadFile("../recipe/testdata/round_count.json")
	if err != nil {
		t.Fatal(err)
	}
	script := code + `
const table = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(table.cases.map(c => ({q: c.q, want: c.want, got: formatQuantity(roundCount(c.q))}))));
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
	if len(results) < 10 {
		t.Fatalf("only %d results", len(results))
	}
	for _, r := range results {
		if r.Got != r.Want {
			t.Errorf("roundCount(%v) reads %q in the browser, want %q", r.Q, r.Got, r.Want)
		}
	}
}
