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

// scriptResult is one case of a shared table as the browser's script
// answered it.
type scriptResult struct {
	Q    any    `json:"q"`
	Want string `json:"want"`
	Got  string `json:"got"`
}

// runScriptTable runs the functions between the "// NAME:begin" and
// "// NAME:end" markers of static/app.js with Node, feeds them the table
// in ../recipe/testdata/TABLE (the one the Go side is tested with), and
// returns what script (which reads `table` and returns an array of
// scriptResult) produced. Without node the test skips, unless
// RECC_TEST_REQUIRE_NODE=1 or RECC_TEST_REQUIRE_BROWSER=1.
func runScriptTable(t *testing.T, blocks []string, table, script string, atLeast int) []scriptResult {
	t.Helper()
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
	for _, name := range blocks {
		_, rest, ok := strings.Cut(string(app), "// "+name+":begin")
		fn, _, ok2 := strings.Cut(rest, "// "+name+":end")
		if !ok || !ok2 {
			t.Fatalf("static/app.js lacks the %s:begin/end markers", name)
		}
		code += fn
	}
	data, err := os.ReadFile("../recipe/testdata/" + table)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "-e", code+`
const table = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify((() => {`+script+`})()));
`)
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var results []scriptResult
	if err := json.Unmarshal(stdout, &results); err != nil {
		t.Fatalf("node output %q: %v", stdout, err)
	}
	if len(results) < atLeast {
		t.Fatalf("only %d results, want at least %d", len(results), atLeast)
	}
	return results
}
