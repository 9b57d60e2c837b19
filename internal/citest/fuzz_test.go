package citest

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every fuzz target runs in `make fuzz`, and CI runs `make fuzz`: a target
// that is written but never run finds nothing. `go test -fuzz` takes one
// target of one package at a time, so each needs its own line.
func TestMakeFuzzRunsEveryFuzzTarget(t *testing.T) {
	recipe := makeRecipe(t, "fuzz")
	fuzzFunc := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(\w+ \*testing\.F\)`)
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "deploy") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		for _, m := range fuzzFunc.FindAllStringSubmatch(string(src), -1) {
			found++
			line := regexp.MustCompile(`(?m)-fuzz '\^` + m[1] + `\$\$' .*\./` + regexp.QuoteMeta(filepath.ToSlash(rel)) + `$`)
			if !line.MatchString(recipe) {
				t.Errorf("make fuzz does not run %s in ./%s", m[1], rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 2 {
		t.Fatalf("found %d fuzz targets; the pattern no longer matches them", found)
	}
	if !strings.Contains(recipe, "-fuzztime $(FUZZTIME)") {
		t.Errorf("make fuzz does not bound its run by FUZZTIME:\n%s", recipe)
	}

	script, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	w, _ := readWorkflow(t, "ci.yml")
	var runs strings.Builder
	for _, j := range w.Jobs {
		for _, s := range j.Steps {
			runs.WriteString(s.Run + "\n")
		}
	}
	for name, text := range map[string]string{".ci/run": string(script), "ci.yml": runs.String()} {
		if !regexp.MustCompile(`(?m)^\s*make fuzz\b`).MatchString(text) {
			t.Errorf("%s does not run make fuzz", name)
		}
	}
}
