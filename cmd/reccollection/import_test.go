package main_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const importPage = `<html lang="en"><head>
<link rel="canonical" href="https://cook.example/stew">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Recipe","name":"Bean Stew",
"description":"Hearty.","recipeIngredient":["2 cups beans","1 onion, chopped"],
"recipeInstructions":[{"@type":"HowToSection","name":"Stew","itemListElement":["Fry the onion.","Add the beans."]}],
"recipeYield":"4 servings","prepTime":"PT10M","cookTime":"PT50M","image":"/img/stew.jpg"}</script>
</head><body></body></html>`

// TestImportExtract prints a saved page's recipe in the API's shape.
func TestImportExtract(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "stew.html")
	if err := os.WriteFile(file, []byte(importPage), 0o644); err != nil {
		t.Fatal(err)
	}
	env := baseEnv(dir)
	// The flag may come after the file.
	r := runCLI(t, env, "", "import", "extract", file, "--base-url", "https://cook.example/recipes/stew?x=1")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got struct {
		Title       string `json:"title"`
		Ingredients []struct {
			Raw      string   `json:"raw"`
			Quantity *float64 `json:"quantity"`
			Unit     string   `json:"unit"`
			Name     string   `json:"name"`
			Note     string   `json:"note"`
		} `json:"ingredients"`
		Steps      []string `json:"steps"`
		StepGroups []struct {
			Title string `json:"title"`
			Start int    `json:"start"`
		} `json:"step_groups"`
		Servings     *int   `json:"servings"`
		Yield        string `json:"yield"`
		TotalMinutes *int   `json:"total_minutes"`
		ImageURL     string `json:"image_url"`
		SourceURL    string `json:"source_url"`
		Via          string `json:"via"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	if got.Title != "Bean Stew" || len(got.Ingredients) != 2 || got.Via != "json-ld" {
		t.Fatalf("got %+v", got)
	}
	if in := got.Ingredients[0]; in.Raw != "2 cups beans" || in.Quantity == nil || *in.Quantity != 2 || in.Unit == "" || in.Name != "beans" {
		t.Errorf("first ingredient parsed as %+v", in)
	}
	if got.Ingredients[1].Raw != "1 onion, chopped" || got.Ingredients[1].Note == "" {
		t.Errorf("second ingredient %+v", got.Ingredients[1])
	}
	if strings.Join(got.Steps, "|") != "Fry the onion.|Add the beans." || len(got.StepGroups) != 1 || got.StepGroups[0].Title != "Stew" {
		t.Errorf("steps %q groups %+v", got.Steps, got.StepGroups)
	}
	if got.Servings == nil || *got.Servings != 4 || got.Yield != "4 servings" || got.TotalMinutes == nil || *got.TotalMinutes != 60 {
		t.Errorf("servings %v yield %q total %v", got.Servings, got.Yield, got.TotalMinutes)
	}
	if got.ImageURL != "https://cook.example/img/stew.jpg" || got.SourceURL != "https://cook.example/stew" {
		t.Errorf("image %q source %q", got.ImageURL, got.SourceURL)
	}
}

func TestImportExtractRefusals(t *testing.T) {
	dir := t.TempDir()
	env := baseEnv(dir)
	empty := filepath.Join(dir, "empty.html")
	os.WriteFile(empty, []byte("<p>no recipe</p>"), 0o644)
	big := filepath.Join(dir, "big.html")
	os.WriteFile(big, bytes.Repeat([]byte("a"), 5<<20+1), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"import"}, 2, "extract|eval"},
		{[]string{"import", "nonsense"}, 2, "unknown import action"},
		{[]string{"import", "extract"}, 2, "import extract FILE|URL"},
		{[]string{"import", "extract", "a.html", "b.html"}, 2, "import extract FILE|URL"},
		{[]string{"import", "extract", empty, "--base-url", "ftp://x"}, 2, "--base-url"},
		{[]string{"import", "extract", filepath.Join(dir, "missing.html")}, 1, "no such file"},
		{[]string{"import", "extract", big}, 1, "over 5 MiB"},
		{[]string{"import", "extract", empty}, 1, "no recipe found"},
		{[]string{"import", "eval"}, 2, "import eval DIR|TAR.GZ"},
		{[]string{"import", "eval", dir, "--min-title", "150"}, 2, "--min-title"},
		{[]string{"import", "eval", dir, "--failures", "-1"}, 2, "--failures"},
		{[]string{"import", "eval", dir}, 1, "no pages"},
	}
	for _, tt := range tests {
		r := runCLI(t, env, "", tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tt.args, r.code, r.stderr, tt.code, tt.msg)
		}
	}
	if r := runCLI(t, env, "", "import", "--help"); r.code != 0 || !strings.Contains(r.stdout, "import eval") {
		t.Errorf("--help: exit %d\n%s", r.code, r.stdout)
	}
}

// TestImportEval scores a two-page corpus archive and applies floors.
func TestImportEval(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"./cook.example/stew.html": importPage,
		"./cook.example/stew.json": `{"title":"Bean Stew","ingredients":["2 cups beans","1 onion, chopped"],
			"instructions_list":["Stew","Fry the onion.","Add the beans."],"yields":"4 servings","total_time":60,
			"image":"https://cook.example/img/stew.jpg","canonical_url":"https://cook.example/stew"}`,
		"./cook.example/other.html": importPage,
		"./cook.example/other.json": `{"title":"Another Stew","ingredients":["2 cups beans","1 onion, chopped"]}`,
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	archive := filepath.Join(dir, "corpus.tar.gz")
	os.WriteFile(archive, buf.Bytes(), 0o644)
	env := baseEnv(dir)

	r := runCLI(t, env, "", "import", "eval", archive, "--min-title", "0.5", "--min-full", "50", "--failures", "5", "-v")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"held-out", "tuning", "title", " 50.0%", "fully correct", "ingredients    100.0%"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runCLI(t, env, "", "import", "eval", archive, "--min-title", "0.9", "--min-ingredients", "1")
	if r.code != 1 || !strings.Contains(r.stderr, "title 50.0% < 90.0%") || strings.Contains(r.stderr, "ingredients") {
		t.Errorf("below the floor: exit %d, stderr %q", r.code, r.stderr)
	}
}
