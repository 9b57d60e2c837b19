package seed

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/recipe"
)

// Limits the recipe validation rules enforce on every write.
const (
	maxTitleRunes      = 200
	maxIngredientChars = 500
	maxStepChars       = 5000
)

func inSet(set []string, s string) bool { return slices.Contains(set, s) }

func TestDemoUsers(t *testing.T) {
	users := DemoUsers()
	if len(users) != 4 {
		t.Fatalf("got %d demo users, want 4", len(users))
	}
	names := map[string]bool{}
	emails := map[string]bool{}
	admins := 0
	for _, u := range users {
		if u.Username == "" || u.Email == "" || u.DisplayName == "" || u.Bio == "" {
			t.Errorf("user %+v has an empty field", u)
		}
		if u.Username != strings.ToLower(u.Username) {
			t.Errorf("username %q is not lowercase", u.Username)
		}
		if !strings.Contains(u.Email, "@") {
			t.Errorf("email %q has no @", u.Email)
		}
		if names[u.Username] || emails[u.Email] {
			t.Errorf("duplicate user %q / %q", u.Username, u.Email)
		}
		names[u.Username], emails[u.Email] = true, true
		if u.Admin {
			admins++
			if u.Username != "admin" {
				t.Errorf("admin user is %q, want \"admin\"", u.Username)
			}
		}
	}
	if admins != 1 || !names["admin"] {
		t.Errorf("want exactly one admin named \"admin\", got %d admins", admins)
	}
	if DemoPassword == "" {
		t.Error("DemoPassword is empty")
	}
}

func TestDemoRecipes(t *testing.T) {
	recipes := DemoRecipes()
	if len(recipes) != 50 {
		t.Fatalf("got %d demo recipes, want 50", len(recipes))
	}
	users := map[string]bool{}
	for _, u := range DemoUsers() {
		users[u.Username] = true
	}
	cats, vocab := Categories(), TagVocabulary()

	titles := map[string]bool{}
	perAuthor := map[string]int{}
	visibility := map[recipe.Visibility]int{}
	difficulty := map[recipe.Difficulty]int{}
	catSeen := map[string]bool{}
	tagSeen := map[string]bool{}
	minTotal, maxTotal := 1<<30, 0
	for _, r := range recipes {
		name := r.Title
		if r.Title == "" || strings.TrimSpace(r.Title) != r.Title {
			t.Errorf("bad title %q", r.Title)
		}
		if n := utf8.RuneCountInString(r.Title); n > maxTitleRunes {
			t.Errorf("%s: title is %d runes", name, n)
		}
		key := strings.ToLower(r.Title)
		if titles[key] {
			t.Errorf("duplicate title %q", r.Title)
		}
		titles[key] = true
		if r.Description == "" {
			t.Errorf("%s: no description", name)
		}
		if !users[r.Author] {
			t.Errorf("%s: author %q is not a demo user", name, r.Author)
		}
		perAuthor[r.Author]++
		if r.PrepMinutes < 0 || r.CookMinutes < 0 || r.Servings < 0 || r.AgeDays < 0 {
			t.Errorf("%s: negative number", name)
		}
		if total := r.PrepMinutes + r.CookMinutes; total > 0 {
			minTotal, maxTotal = min(minTotal, total), max(maxTotal, total)
		}
		switch r.Visibility {
		case recipe.Public, recipe.Unlisted, recipe.Private:
		default:
			t.Errorf("%s: bad visibility %q", name, r.Visibility)
		}
		visibility[r.Visibility]++
		switch r.Difficulty {
		case "", recipe.Easy, recipe.Medium, recipe.Hard:
		default:
			t.Errorf("%s: bad difficulty %q", name, r.Difficulty)
		}
		difficulty[r.Difficulty]++
		if r.SourceURL != "" && !strings.HasPrefix(r.SourceURL, "https://") {
			t.Errorf("%s: bad source URL %q", name, r.SourceURL)
		}

		if n := len(r.Ingredients); n < 3 || n > 12 {
			t.Errorf("%s: %d ingredients, want 3–12", name, n)
		}
		for _, line := range r.Ingredients {
			if line == "" || strings.TrimSpace(line) != line || len(line) > maxIngredientChars {
				t.Errorf("%s: bad ingredient line %q", name, line)
			}
		}
		if n := len(r.Steps); n < 2 || n > 8 {
			t.Errorf("%s: %d steps, want 2–8", name, n)
		}
		for _, s := range r.Steps {
			if len(s) > maxStepChars {
				t.Errorf("%s: step of %d chars", name, len(s))
			}
			first, _ := utf8.DecodeRuneInString(s)
			if !unicode.IsUpper(first) || !strings.HasSuffix(s, ".") {
				t.Errorf("%s: step is not a sentence: %q", name, s)
			}
		}

		if n := len(r.Tags); n < 2 || n > 5 {
			t.Errorf("%s: %d tags, want 2–5", name, n)
		}
		for i, tag := range r.Tags {
			if tag != strings.ToLower(tag) || !inSet(vocab, tag) {
				t.Errorf("%s: tag %q not in the vocabulary", name, tag)
			}
			if slices.Contains(r.Tags[:i], tag) {
				t.Errorf("%s: duplicate tag %q", name, tag)
			}
			tagSeen[tag] = true
		}
		if len(r.Categories) == 0 {
			t.Errorf("%s: no category", name)
		}
		for i, c := range r.Categories {
			if !inSet(cats, c) {
				t.Errorf("%s: category %q not in the fixed set", name, c)
			}
			if slices.Contains(r.Categories[:i], c) {
				t.Errorf("%s: duplicate category %q", name, c)
			}
			catSeen[c] = true
		}
	}

	for u := range users {
		if perAuthor[u] == 0 {
			t.Errorf("user %q has no recipes", u)
		}
	}
	if n := perAuthor["admin"]; n < 2 || n > 10 {
		t.Errorf("admin has %d recipes, want a few", n)
	}
	if visibility[recipe.Unlisted] < 3 || visibility[recipe.Unlisted] > 8 ||
		visibility[recipe.Private] < 3 || visibility[recipe.Private] > 8 ||
		visibility[recipe.Public] < 35 {
		t.Errorf("visibility mix %v, want mostly public with about 5 unlisted and 5 private", visibility)
	}
	for _, d := range []recipe.Difficulty{recipe.Easy, recipe.Medium, recipe.Hard} {
		if difficulty[d] == 0 {
			t.Errorf("no %s recipe", d)
		}
	}
	for _, c := range cats {
		if !catSeen[c] {
			t.Errorf("no recipe in category %q", c)
		}
	}
	if len(tagSeen) < 25 {
		t.Errorf("only %d distinct tags used", len(tagSeen))
	}
	if minTotal > 10 || maxTotal < 240 {
		t.Errorf("total times span %d–%d minutes, want 5 minutes to several hours", minTotal, maxTotal)
	}
}

// TestDemoIngredientFormats checks the demo data exercises the ingredient
// parser with the formats cooks actually write.
func TestDemoIngredientFormats(t *testing.T) {
	var all []string
	for _, r := range DemoRecipes() {
		all = append(all, r.Ingredients...)
	}
	has := func(pred func(string) bool) bool { return slices.ContainsFunc(all, pred) }
	formats := map[string]func(string) bool{
		"unicode fraction": func(s string) bool { return strings.ContainsAny(s, "½¼¾⅓") },
		"ascii mixed number": func(s string) bool {
			return strings.HasPrefix(s, "1 1/2 ")
		},
		"hyphen range":       func(s string) bool { return strings.HasPrefix(s, "2-3 ") },
		"en dash range":      func(s string) bool { return strings.HasPrefix(s, "1–2 ") },
		"metric":             func(s string) bool { return strings.Contains(s, " g ") || strings.Contains(s, " ml ") },
		"imperial":           func(s string) bool { return strings.Contains(s, " cup") || strings.Contains(s, " oz") },
		"parenthetical size": func(s string) bool { return strings.HasPrefix(s, "1 (400 g) can") },
		"note after comma":   func(s string) bool { return strings.Contains(s, ", ") },
		"no quantity":        func(s string) bool { return s == "salt and pepper to taste" },
		"decimal":            func(s string) bool { return strings.HasPrefix(s, "1.5 ") },
	}
	for name, pred := range formats {
		if !has(pred) {
			t.Errorf("no ingredient line in format %q", name)
		}
	}
}

func TestDemoRecipesFreshCopy(t *testing.T) {
	a := DemoRecipes()
	a[0].Tags[0] = "changed"
	a[0].Title = "changed"
	b := DemoRecipes()
	if b[0].Title == "changed" || b[0].Tags[0] == "changed" {
		t.Error("DemoRecipes shares state between calls")
	}
	c := Categories()
	c[0] = "changed"
	if Categories()[0] == "changed" {
		t.Error("Categories shares state between calls")
	}
}

func TestSyntheticRecipeDeterministic(t *testing.T) {
	for _, seed := range []int64{0, 1, 42, -7} {
		for _, i := range []int{0, 1, 2, 99, 12345, 99999} {
			a, b := SyntheticRecipe(seed, i), SyntheticRecipe(seed, i)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("SyntheticRecipe(%d, %d) differs between calls:\n%+v\n%+v", seed, i, a, b)
			}
		}
	}
	if reflect.DeepEqual(SyntheticRecipe(1, 5), SyntheticRecipe(2, 5)) {
		t.Error("the seed does not change the recipe")
	}
}

func TestSyntheticRecipeVaries(t *testing.T) {
	const n = 2000
	titles := map[string]bool{}
	descriptions := map[string]bool{}
	for i := range n {
		r := SyntheticRecipe(1, i)
		titles[r.Title] = true
		descriptions[r.Description] = true
		if i > 0 && reflect.DeepEqual(r, SyntheticRecipe(1, i-1)) {
			t.Fatalf("recipes %d and %d are equal", i-1, i)
		}
	}
	if len(titles) < n*9/10 {
		t.Errorf("only %d distinct titles in %d recipes", len(titles), n)
	}
	if len(descriptions) < n*8/10 {
		t.Errorf("only %d distinct descriptions in %d recipes", len(descriptions), n)
	}
}

func TestSyntheticRecipeInvariants(t *testing.T) {
	const n = 20000
	cats, vocab := Categories(), TagVocabulary()
	visibility := map[recipe.Visibility]int{}
	difficulty := map[recipe.Difficulty]int{}
	nCats := map[int]int{}
	for i := range n {
		r := SyntheticRecipe(7, i)
		if r.Author != "" {
			t.Fatalf("%d: author %q, want empty", i, r.Author)
		}
		if r.Title == "" || utf8.RuneCountInString(r.Title) > maxTitleRunes || r.Description == "" {
			t.Fatalf("%d: bad title or description %q / %q", i, r.Title, r.Description)
		}
		if k := len(r.Ingredients); k < 4 || k > 12 {
			t.Fatalf("%d: %d ingredients", i, k)
		}
		for j, line := range r.Ingredients {
			if line == "" || len(line) > maxIngredientChars {
				t.Fatalf("%d: bad ingredient %q", i, line)
			}
			if slices.Contains(r.Ingredients[:j], line) {
				t.Fatalf("%d: duplicate ingredient %q", i, line)
			}
		}
		if k := len(r.Steps); k < 3 || k > 6 {
			t.Fatalf("%d: %d steps", i, k)
		}
		for _, s := range r.Steps {
			if len(s) > maxStepChars || !strings.HasSuffix(s, ".") || strings.Contains(s, "<") {
				t.Fatalf("%d: bad step %q", i, s)
			}
		}
		if k := len(r.Tags); k < 1 || k > 4 {
			t.Fatalf("%d: %d tags: %v", i, k, r.Tags)
		}
		for j, tag := range r.Tags {
			if !inSet(vocab, tag) || slices.Contains(r.Tags[:j], tag) {
				t.Fatalf("%d: bad or duplicate tag %q in %v", i, tag, r.Tags)
			}
		}
		if slices.Contains(r.Tags, "vegan") && slices.ContainsFunc(r.Tags, func(s string) bool {
			return s == "chicken" || s == "beef" || s == "pork" || s == "lamb" || s == "seafood" || s == "eggs"
		}) {
			t.Fatalf("%d: contradictory tags %v", i, r.Tags)
		}
		if k := len(r.Categories); k > 2 {
			t.Fatalf("%d: %d categories", i, k)
		}
		nCats[len(r.Categories)]++
		for j, c := range r.Categories {
			if !inSet(cats, c) || slices.Contains(r.Categories[:j], c) {
				t.Fatalf("%d: bad or duplicate category %q", i, c)
			}
		}
		if r.PrepMinutes < 0 || r.CookMinutes < 0 || r.Servings < 0 {
			t.Fatalf("%d: negative number in %+v", i, r)
		}
		visibility[r.Visibility]++
		difficulty[r.Difficulty]++
	}
	pct := func(k int) float64 { return 100 * float64(k) / n }
	if p := pct(visibility[recipe.Public]); p < 77 || p > 83 {
		t.Errorf("public: %.1f%%, want ~80%%", p)
	}
	for _, v := range []recipe.Visibility{recipe.Unlisted, recipe.Private} {
		if p := pct(visibility[v]); p < 8 || p > 12 {
			t.Errorf("%s: %.1f%%, want ~10%%", v, p)
		}
	}
	if len(visibility) != 3 {
		t.Errorf("visibilities %v", visibility)
	}
	for _, d := range []recipe.Difficulty{recipe.Easy, recipe.Medium, recipe.Hard} {
		if difficulty[d] < n/10 {
			t.Errorf("only %d %s recipes", difficulty[d], d)
		}
	}
	for k := 0; k <= 2; k++ {
		if nCats[k] == 0 {
			t.Errorf("no recipe with %d categories", k)
		}
	}
}

// TestSyntheticStepsMatchIngredients checks that steps only mention the
// base ingredients when they are on the list.
func TestSyntheticStepsMatchIngredients(t *testing.T) {
	for i := range 5000 {
		r := SyntheticRecipe(3, i)
		steps := strings.Join(r.Steps, " ")
		lines := strings.Join(r.Ingredients, "\n")
		if strings.Contains(steps, "the onion") && !strings.Contains(lines, "onion") && !strings.Contains(lines, "shallot") {
			t.Fatalf("%d: steps mention an onion that is not listed:\n%s\n%s", i, lines, steps)
		}
		if strings.Contains(steps, "the oil") && !strings.Contains(lines, " oil") {
			t.Fatalf("%d: steps mention oil that is not listed:\n%s\n%s", i, lines, steps)
		}
	}
}

func TestSyntheticRecipeOwnsSlices(t *testing.T) {
	for i := range 200 {
		r := SyntheticRecipe(9, i)
		for k := range r.Categories {
			r.Categories[k] = "changed"
		}
		for k := range r.Tags {
			r.Tags[k] = "changed"
		}
		for k := range r.Ingredients {
			r.Ingredients[k] = "changed"
		}
	}
	for i := range 200 {
		r := SyntheticRecipe(9, i)
		all := slices.Concat(r.Categories, r.Tags, r.Ingredients)
		if slices.Contains(all, "changed") {
			t.Fatalf("%d: a returned slice aliases shared state", i)
		}
	}
}

func TestSyntheticUser(t *testing.T) {
	u := SyntheticUser(1)
	if u.Username != "cook00001" || u.Email != "cook00001@example.test" {
		t.Errorf("SyntheticUser(1) = %q %q", u.Username, u.Email)
	}
	if u.Admin || u.DisplayName == "" || u.Bio == "" {
		t.Errorf("SyntheticUser(1) = %+v", u)
	}
	if got := SyntheticUser(123456).Username; got != "cook123456" {
		t.Errorf("SyntheticUser(123456).Username = %q", got)
	}
	if !reflect.DeepEqual(SyntheticUser(42), SyntheticUser(42)) {
		t.Error("SyntheticUser is not deterministic")
	}
	seen := map[string]bool{}
	for i := range 10000 {
		u := SyntheticUser(i)
		if seen[u.Username] || seen[u.Email] {
			t.Fatalf("duplicate user %q", u.Username)
		}
		seen[u.Username], seen[u.Email] = true, true
	}
}

func BenchmarkSyntheticRecipe(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = SyntheticRecipe(1, i)
		i++
	}
}
