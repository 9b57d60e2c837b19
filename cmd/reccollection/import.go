package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/reccollection/reccollection/internal/importer/corpus"
	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/recipe"
)

const (
	importExtractUsage = "import extract FILE|URL [--base-url URL]"
	importEvalUsage    = "import eval DIR|TAR.GZ [--min-title F] [--min-ingredients F] [--min-instructions F] [--min-full F] [--failures N] [-v]"
)

var importCmd = command{
	name: "import",
	summary: "Recipe import tools: extract a recipe from a saved page or a URL and print it as JSON (saving nothing), " +
		"or score the extractor against a corpus of saved pages.",
	usage: importExtractUsage + "\n       reccollection " + importEvalUsage,
	run:   runImport,
}

func runImport(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: reccollection import extract|eval (see `reccollection import --help`)", errUsage)
	}
	switch args[0] {
	case "extract":
		return runImportExtract(ctx, env, fs, args[1:])
	case "eval":
		return runImportEval(env, fs, args[1:])
	case "-h", "-help", "--help":
		return fs.Parse(args)
	}
	return fmt.Errorf("%w: unknown import action %q; use extract or eval", errUsage, args[0])
}

// parseInterleaved parses flags that may come before or after the
// positional arguments ("extract page.html --base-url …") and returns
// the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// maxImportFile bounds a page read from a file, as the fetcher bounds one
// read from the web.
const maxImportFile = extract.MaxHTML

func runImportExtract(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	baseURL := fs.String("base-url", "", "the address the page came from, to resolve its links (a FILE's default: none)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: reccollection %s", errUsage, importExtractUsage)
	}
	if *baseURL != "" {
		if u, err := url.Parse(*baseURL); err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") {
			return fmt.Errorf("%w: --base-url must be an absolute http(s) URL", errUsage)
		}
	}
	src := pos[0]
	var page []byte
	base := *baseURL
	if isWebAddress(src) {
		body, finalURL, err := fetchPage(ctx, env, src)
		if err != nil {
			return err
		}
		page = body
		if base == "" {
			base = finalURL
		}
	} else {
		page, err = readLimitedFile(src, maxImportFile)
		if err != nil {
			return err
		}
	}
	draft := extract.FromHTML(page, base)
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(importView(draft)); err != nil {
		return err
	}
	if !draft.Found() {
		return errors.New("no recipe found on that page")
	}
	return nil
}

func isWebAddress(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// readLimitedFile reads a file of at most max bytes.
func readLimitedFile(name string, max int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s is over %d MiB, the most a page may be", name, max>>20)
	}
	return b, nil
}

// importedIngredient is an ingredient line with its parsed parts, as the
// API's recipe shape writes it.
type importedIngredient struct {
	Raw         string   `json:"raw"`
	Quantity    *float64 `json:"quantity"`
	QuantityMax *float64 `json:"quantity_max"`
	Unit        string   `json:"unit"`
	Name        string   `json:"name"`
	Note        string   `json:"note"`
}

// importedRecipe is an extracted recipe in the API's recipe shape.
type importedRecipe struct {
	Title            string               `json:"title"`
	Description      string               `json:"description"`
	Ingredients      []importedIngredient `json:"ingredients"`
	IngredientGroups []extract.Group      `json:"ingredient_groups"`
	Steps            []string             `json:"steps"`
	StepGroups       []extract.StepGroup  `json:"step_groups"`
	Servings         *int                 `json:"servings"`
	Yield            string               `json:"yield"`
	PrepMinutes      *int                 `json:"prep_minutes"`
	CookMinutes      *int                 `json:"cook_minutes"`
	TotalMinutes     *int                 `json:"total_minutes"`
	ImageURL         string               `json:"image_url"`
	SourceURL        string               `json:"source_url"`
	Author           string               `json:"author"`
	Keywords         []string             `json:"keywords"`
	Cuisine          []string             `json:"cuisine"`
	Category         []string             `json:"category"`
	Nutrition        map[string]string    `json:"nutrition"`
	Via              string               `json:"via"`
}

func importView(r *extract.Recipe) importedRecipe {
	v := importedRecipe{
		Title: r.Title, Description: r.Description, Steps: nonNil(r.Steps), StepGroups: nonNil(r.StepGroups),
		IngredientGroups: nonNil(r.IngredientGroups), Servings: r.Servings, Yield: r.Yield, PrepMinutes: r.PrepMinutes, CookMinutes: r.CookMinutes,
		TotalMinutes: r.TotalMinutes, ImageURL: r.ImageURL, SourceURL: r.SourceURL, Author: r.Author,
		Keywords: nonNil(r.Keywords), Cuisine: nonNil(r.Cuisine), Category: nonNil(r.Category),
		Nutrition: r.Nutrition, Via: r.Via, Ingredients: []importedIngredient{},
	}
	if v.Nutrition == nil {
		v.Nutrition = map[string]string{}
	}
	for _, line := range r.Ingredients {
		p := recipe.ParseIngredient(line)
		v.Ingredients = append(v.Ingredients, importedIngredient{
			Raw: line, Quantity: p.Quantity, QuantityMax: p.QuantityMax, Unit: p.Unit, Name: p.Name, Note: p.Note,
		})
	}
	return v
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func runImportEval(env *environment, fs *flag.FlagSet, args []string) error {
	minTitle := fs.Float64("min-title", 0, "fail below this share of correct titles (0–1 or a percentage)")
	minIngredients := fs.Float64("min-ingredients", 0, "fail below this share of correct ingredient lists")
	minInstructions := fs.Float64("min-instructions", 0, "fail below this share of correct instruction lists")
	minFull := fs.Float64("min-full", 0, "fail below this share of fully correct pages")
	failures := fs.Int("failures", 0, "list up to N failing pages of the tuning sites (held-out sites are never listed)")
	verbose := fs.Bool("v", false, "with the failures, show the expected and extracted values")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: reccollection %s", errUsage, importEvalUsage)
	}
	floors := []struct {
		name, field string
		min         float64
	}{
		{"title", "title", *minTitle}, {"ingredients", "ingredients", *minIngredients},
		{"instructions", "instructions", *minInstructions}, {"full", "", *minFull},
	}
	for i := range floors {
		f := &floors[i]
		if f.min > 1 {
			f.min /= 100 // a percentage
		}
		if f.min < 0 || f.min > 1 {
			return fmt.Errorf("%w: --min-%s must be between 0 and 1 (or 0 and 100 as a percentage)", errUsage, f.name)
		}
	}
	if *failures < 0 || *failures > 100000 {
		return fmt.Errorf("%w: --failures must be between 0 and 100000", errUsage)
	}
	rep, err := corpus.Evaluate(pos[0], extract.FromHTML, *failures)
	if err != nil {
		return err
	}
	rep.Print(env.stdout)
	printFailures(env.stdout, rep.Failures, *verbose)
	var below []string
	for _, f := range floors {
		t := rep.All.Full
		if f.field != "" {
			t = rep.All.Fields[f.field]
		}
		if f.min > 0 && t.Share() < f.min {
			below = append(below, fmt.Sprintf("%s %.1f%% < %.1f%%", f.name, 100*t.Share(), 100*f.min))
		}
	}
	if len(below) > 0 {
		return fmt.Errorf("below the floor: %s", strings.Join(below, ", "))
	}
	return nil
}

func printFailures(w io.Writer, failures []corpus.Failure, verbose bool) {
	if len(failures) == 0 {
		return
	}
	fmt.Fprintf(w, "\nFailures (tuning sites only):\n")
	for _, f := range failures {
		var fields []string
		for _, m := range f.Wrong {
			fields = append(fields, m.Field)
		}
		fmt.Fprintf(w, "%s/%s (%s): %s\n", f.Host, f.Name, f.Via, strings.Join(fields, ", "))
		if !verbose {
			continue
		}
		for _, m := range f.Wrong {
			fmt.Fprintf(w, "  %s want:\n%s\n  %s got:\n%s\n", m.Field, indentText(m.Want), m.Field, indentText(m.Got))
		}
	}
}

func indentText(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
