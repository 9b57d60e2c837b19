package corpus

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/importer/extract"
)

// page builds a small recipe page in JSON-LD.
func page(title string, ingredients ...string) string {
	return fmt.Sprintf(`<html><head><script type="application/ld+json">{"@type":"Recipe","name":%q,
		"recipeIngredient":[%s],"recipeInstructions":["Mix.","Bake."],"recipeYield":"4 servings","totalTime":"PT1H",
		"image":"https://img.example/%s.jpg"}</script></head></html>`, title, quoteAll(ingredients), title)
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ",")
}

// hostsBySubset returns a tuning host and a held-out host.
func hostsBySubset(t *testing.T) (tuning, heldOut string) {
	for i := 0; tuning == "" || heldOut == ""; i++ {
		h := fmt.Sprintf("site%d.example", i)
		if IsHeldOut(h) {
			heldOut = h
		} else {
			tuning = h
		}
	}
	return tuning, heldOut
}

// corpusFiles is a corpus of three pages: two on a tuning site (one fully
// right, one with wrong ingredients and a yield mismatch) and one on a
// held-out site (right).
func corpusFiles(t *testing.T) map[string]string {
	tun, held := hostsBySubset(t)
	return map[string]string{
		tun + "/good.html": page("Cake", "1 egg", "2 cups flour"),
		tun + "/good.json": `{"title":" Cake ","ingredients":["1 egg","2  cups flour"],"instructions_list":["Mix.","Bake."],
			"yields":"4 servings","total_time":60,"image":"https://img.example/Cake.jpg","canonical_url":"https://` + tun + `/cake"}`,
		tun + "/bad.html": page("Pie", "1 apple"),
		tun + "/bad.json": `{"title":"Pie","ingredients":["2 apples"],"instructions_list":["Mix.","Bake."],
			"yields":"6 servings","total_time":null}`,
		held + "/x.html": page("Bread", "500 g flour"),
		held + "/x.json": `{"title":"Bread","ingredients":["500 g flour"],"yields":4}`,
		"README.md":      "not a page",
	}
}

func writeDir(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func writeTarGz(t *testing.T, files map[string]string) string {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: "./" + name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	p := filepath.Join(t.TempDir(), "corpus.tar.gz")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEvaluateFolderAndArchive(t *testing.T) {
	files := corpusFiles(t)
	for name, root := range map[string]string{"folder": writeDir(t, files), "archive": writeTarGz(t, files)} {
		t.Run(name, func(t *testing.T) {
			rep, err := Evaluate(root, extract.FromHTML, 10)
			if err != nil {
				t.Fatal(err)
			}
			if rep.All.Pages != 3 || rep.Tuning.Pages != 2 || rep.HeldOut.Pages != 1 || rep.All.Hosts != 2 {
				t.Fatalf("pages all/tuning/held-out = %d/%d/%d, hosts %d", rep.All.Pages, rep.Tuning.Pages, rep.HeldOut.Pages, rep.All.Hosts)
			}
			want := map[string]Tally{
				"title":        {3, 3},
				"ingredients":  {2, 3},
				"instructions": {2, 2},
				"yields":       {2, 3},
				"total_time":   {1, 1}, // null is not scored
				"image":        {1, 1},
			}
			for f, w := range want {
				if got := rep.All.Fields[f]; got != w {
					t.Errorf("%s = %+v, want %+v", f, got, w)
				}
			}
			if rep.All.Full != (Tally{2, 3}) || rep.Tuning.Full != (Tally{1, 2}) || rep.HeldOut.Full != (Tally{1, 1}) {
				t.Errorf("fully correct all %+v tuning %+v held-out %+v", rep.All.Full, rep.Tuning.Full, rep.HeldOut.Full)
			}
			if len(rep.Failures) != 1 || rep.Failures[0].Name != "bad" || len(rep.Failures[0].Wrong) != 2 {
				t.Fatalf("failures = %+v", rep.Failures)
			}
			var out bytes.Buffer
			rep.Print(&out)
			if !strings.Contains(out.String(), "held-out") || !strings.Contains(out.String(), "66.7%") {
				t.Errorf("report:\n%s", out.String())
			}
		})
	}
}

func TestHeldOutFailuresAreNeverListed(t *testing.T) {
	_, held := hostsBySubset(t)
	root := writeDir(t, map[string]string{
		held + "/a.html": page("A", "1 egg"),
		held + "/a.json": `{"title":"Not A"}`,
	})
	rep, err := Evaluate(root, extract.FromHTML, 10)
	if err != nil {
		t.Fatal(err)
	}
	if rep.HeldOut.Full != (Tally{0, 1}) || len(rep.Failures) != 0 {
		t.Errorf("held-out %+v, failures listed: %+v", rep.HeldOut.Full, rep.Failures)
	}
}

func TestHeldOutSplit(t *testing.T) {
	// The assignment is FNV-1a of the lower-case host, mod 4 == 0: fixed
	// here so that a change of hash, which would reshuffle the subsets,
	// cannot pass unnoticed.
	for host, want := range map[string]bool{"example.com": false, "allrecipes.com": true, "BBC.co.uk": true,
		"recipes.example.org": true, "cooking.nytimes.com": false} {
		if IsHeldOut(host) != want {
			t.Errorf("IsHeldOut(%q) = %v, want %v", host, !want, want)
		}
	}
	held := 0
	const n = 4000
	for i := range n {
		h := fmt.Sprintf("host-%d.example", i)
		if IsHeldOut(h) != IsHeldOut(strings.ToUpper(h)) {
			t.Fatalf("%s: depends on case", h)
		}
		if IsHeldOut(h) {
			held++
		}
	}
	if share := float64(held) / n; share < 0.2 || share > 0.3 {
		t.Errorf("held-out share %.2f, want about a quarter", share)
	}
}

func TestWalkErrors(t *testing.T) {
	if err := Walk(filepath.Join(t.TempDir(), "missing"), func(*Page) error { return nil }); err == nil {
		t.Error("a missing corpus was accepted")
	}
	if err := Walk(t.TempDir(), func(*Page) error { return nil }); err == nil || !strings.Contains(err.Error(), "no pages") {
		t.Errorf("an empty folder: %v", err)
	}
	notGz := filepath.Join(t.TempDir(), "x.tar.gz")
	os.WriteFile(notGz, []byte("plain text"), 0o644)
	if err := Walk(notGz, func(*Page) error { return nil }); err == nil {
		t.Error("a file that is no archive was accepted")
	}
	bad := writeDir(t, map[string]string{"h.example/a.html": "<p>", "h.example/a.json": "{not json"})
	if err := Walk(bad, func(*Page) error { return nil }); err == nil || !strings.Contains(err.Error(), "a.json") {
		t.Errorf("broken JSON: %v", err)
	}
}

func TestScoreRules(t *testing.T) {
	s := func(v string) *string { return &v }
	f := func(v string) *flexText { x := flexText(v); return &x }
	four, six, two, twentySeven := 4, 6, 2, 27
	tests := []struct {
		name  string
		want  Expected
		got   extract.Recipe
		wrong []string
	}{
		{"white space and entities", Expected{Title: s(" A  cake "), Ingredients: []string{"1 &amp; 2", " salt "}, hasIngredients: true},
			extract.Recipe{Title: "A cake", Ingredients: []string{"1 & 2", "salt"}}, nil},
		{"order matters", Expected{Ingredients: []string{"a", "b"}, hasIngredients: true},
			extract.Recipe{Ingredients: []string{"b", "a"}}, []string{"ingredients"}},
		{"section titles are lines", Expected{Instructions: []string{"Dough", "Knead.", "Rest."}, hasInstructions: true},
			extract.Recipe{Steps: []string{"Knead.", "Rest."}, StepGroups: []extract.StepGroup{{Title: "Dough", Start: 0}}}, nil},
		{"yield by number", Expected{Yields: f("4 servings")}, extract.Recipe{Servings: &four}, nil},
		{"yield from text", Expected{Yields: f("4")}, extract.Recipe{Yield: "serves 4"}, nil},
		{"yield differs", Expected{Yields: f("4 servings")}, extract.Recipe{Servings: &six}, []string{"yields"}},
		{"time", Expected{TotalTime: f("60")}, extract.Recipe{}, []string{"total_time"}},
		{"time in minutes", Expected{TotalTime: f("27 minutes")}, extract.Recipe{TotalMinutes: &twentySeven}, nil},
		{"time in hours is no number of minutes", Expected{TotalTime: f("2 hours")}, extract.Recipe{TotalMinutes: &two}, []string{"total_time"}},
		{"image", Expected{Image: s("https://x/a b.jpg")}, extract.Recipe{ImageURL: "https://x/a%20b.jpg"}, nil},
	}
	for _, tt := range tests {
		_, wrong := Score(&tt.want, &tt.got)
		var fields []string
		for _, m := range wrong {
			fields = append(fields, m.Field)
		}
		if strings.Join(fields, ",") != strings.Join(tt.wrong, ",") {
			t.Errorf("%s: wrong %v, want %v (%+v)", tt.name, fields, tt.wrong, wrong)
		}
	}
}
