package planner

import (
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
)

func TestItemKey(t *testing.T) {
	for name, want := range map[string]string{
		"Eggs": "egg", "egg": "egg", "Red  Onions": "red onion", "red onion": "red onion",
		"Butter": "butter", "unsalted butter": "unsalted butter", "Tomatoes": "tomato",
		"molasses": "molasses", "hummus": "hummus", "cherries": "cherry", "bay leaves": "bay leaf",
		"extra-virgin olive oil": "extra virgin olive oil", "  ": "", "!!": "",
	} {
		if got := ItemKey(name); got != want {
			t.Errorf("ItemKey(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestGuessAisle(t *testing.T) {
	for key, want := range map[string]string{
		"butter": "dairy", "peanut butter": "pantry", "chicken thigh": "meat", "chicken stock": "pantry",
		"red onion": "produce", "plain flour": "pantry", "black pepper": "spices", "egg": "dairy",
		"sourdough bread": "bakery", "frozen pea": "frozen", "white wine": "drinks", "unobtainium": "other", "": "other",
	} {
		if got := GuessAisle(key, ""); got != want {
			t.Errorf("GuessAisle(%q) = %q, want %q", key, got, want)
		}
		if !ValidAisle(GuessAisle(key, "")) {
			t.Errorf("GuessAisle(%q) is no aisle", key)
		}
	}
	if got := GuessAisle("crushed tomato", "can"); got != "pantry" {
		t.Errorf("tinned tomatoes filed under %q, want pantry", got)
	}
	if got := GuessAisle("kashmiri chilli powder", "tsp"); got != "spices" {
		t.Errorf("chilli powder filed under %q, want spices", got)
	}
	if ValidAisle("cellar") || AisleLabel("cellar") != "Other" || AisleLabel("dairy") != "Dairy & eggs" {
		t.Error("ValidAisle/AisleLabel accept an unknown aisle")
	}
}

func TestIsStaple(t *testing.T) {
	for key, want := range map[string]bool{
		"salt": true, "kosher salt": true, "sea salt": true, "boiling water": true, "extra virgin olive oil": true,
		"olive oil": true, "water": true, "black pepper": true, "freshly ground black pepper": true,
		"butter": false, "salted butter": false, "sesame oil": false, "watercress": false, "fresh": false,
	} {
		if got := IsStaple(key); got != want {
			t.Errorf("IsStaple(%q) = %v, want %v", key, got, want)
		}
	}
}

func line(t *testing.T, text string, factor float64) Line {
	t.Helper()
	l, ok := LineOf(recipe.ParseIngredient(text), factor)
	if !ok {
		t.Fatalf("LineOf(%q) names nothing", text)
	}
	return l
}

// sum merges lines the way the store does: one measure, quantities
// added, shown in metric once any part was.
func sum(t *testing.T, texts ...string) string {
	t.Helper()
	var total *float64
	first := line(t, texts[0], 1)
	shown := ""
	for _, text := range texts {
		l := line(t, text, 1)
		if l.Key != first.Key || l.Measure != first.Measure {
			t.Fatalf("%q (%s, %s) would not merge with %q (%s, %s)", text, l.Key, l.Measure, texts[0], first.Key, first.Measure)
		}
		total, shown = AddQuantity(total, l.Quantity), MergeShown(shown, l.ShownIn)
	}
	return ShowAmount(first.Measure, shown, total)
}

func TestLinesAddUp(t *testing.T) {
	for _, c := range []struct {
		texts []string
		want  string
	}{
		{[]string{"200 g butter", "0.5 kg butter"}, "700 g"},
		{[]string{"1 cup milk", "2 tbsp milk"}, "1⅛ cups"},
		{[]string{"1 cup milk", "250 ml milk"}, "490 ml"},
		{[]string{"800 g flour", "300 g flour"}, "1.1 kg"},
		{[]string{"2 eggs", "3 eggs"}, "5"},
		{[]string{"2 cloves garlic", "1 clove garlic"}, "3 cloves"},
		{[]string{"salt to taste", "salt"}, ""},
		{[]string{"2-3 carrots"}, "3"},
		{[]string{"½ lemon"}, "1"},
		{[]string{"1 can tomatoes", "0.5 can tomatoes"}, "2 cans"},
	} {
		if got := sum(t, c.texts...); got != c.want {
			t.Errorf("%q adds up to %q, want %q", c.texts, got, c.want)
		}
	}
}

func TestLinesThatDoNotConvertStayApart(t *testing.T) {
	a, b := line(t, "2 tbsp butter", 1), line(t, "100 g butter", 1)
	if a.Key != b.Key || a.Measure == b.Measure {
		t.Errorf("a volume and a weight of butter: measures %q and %q, want different ones of one key", a.Measure, b.Measure)
	}
	c, d := line(t, "2 cloves garlic", 1), line(t, "1 garlic", 1)
	if c.Measure == d.Measure {
		t.Errorf("cloves and a count of garlic share measure %q", c.Measure)
	}
}

func TestScaledLines(t *testing.T) {
	four, six := 4, 6
	f := ScaleFactor(&four, &six)
	if f != 1.5 {
		t.Fatalf("ScaleFactor(4, 6) = %v", f)
	}
	if got := ShowAmount(Mass, ShownMetric, line(t, "200 g butter", f).Quantity); got != "300 g" {
		t.Errorf("200 g butter for 6 of 4 servings = %q, want 300 g", got)
	}
	if ScaleFactor(nil, &six) != 1 || ScaleFactor(&four, nil) != 1 {
		t.Error("an unknown serving count scales")
	}
	if _, ok := LineOf(recipe.Ingredient{Name: "  "}, 1); ok {
		t.Error("a line without a name is something to buy")
	}
}

func TestShowName(t *testing.T) {
	one, three, half := 1.0, 3.0, 0.5
	for _, c := range []struct {
		name, measure string
		q             *float64
		want          string
	}{
		{"onions", "", &one, "onion"}, {"onion", "", &three, "onions"}, {"eggs", "", &half, "egg"},
		{"garlic", "clove", &three, "garlic"}, {"butter", Mass, &three, "butter"}, {"onions", "", nil, "onions"},
	} {
		if got := ShowName(c.name, c.measure, c.q); got != c.want {
			t.Errorf("ShowName(%q, %q) = %q, want %q", c.name, c.measure, got, c.want)
		}
	}
}
