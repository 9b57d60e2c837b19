package recipe

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func qty(v float64) *float64 { return &v }

type parseCase struct {
	line string
	want Ingredient // Original is filled in by the test
}

// parseCases holds one case per rule of ParseIngredient, then realistic
// lines as they turn up in pasted recipes.
var parseCases = []parseCase{
	// Integers and decimals.
	{"2 eggs", Ingredient{Quantity: qty(2), Name: "eggs"}},
	{"1.5 cups sugar", Ingredient{Quantity: qty(1.5), Unit: "cup", Name: "sugar"}},
	{"0,5 l milk", Ingredient{Quantity: qty(0.5), Unit: "l", Name: "milk"}},
	{"2,25 kg Kartoffeln", Ingredient{Quantity: qty(2.25), Unit: "kg", Name: "Kartoffeln"}},
	{".5 tsp salt", Ingredient{Quantity: qty(0.5), Unit: "tsp", Name: "salt"}},
	{"1,500 g flour", Ingredient{Quantity: qty(1500), Unit: "g", Name: "flour"}},
	{"0,125 l cream", Ingredient{Quantity: qty(0.125), Unit: "l", Name: "cream"}},

	// Fractions, mixed numbers, vulgar fractions and the fraction slash.
	{"1/2 cup butter", Ingredient{Quantity: qty(0.5), Unit: "cup", Name: "butter"}},
	{"3/4 cup sugar", Ingredient{Quantity: qty(0.75), Unit: "cup", Name: "sugar"}},
	{"1 1/2 cups flour", Ingredient{Quantity: qty(1.5), Unit: "cup", Name: "flour"}},
	{"2 2/3 cups oats", Ingredient{Quantity: qty(2 + 2.0/3), Unit: "cup", Name: "oats"}},
	{"½ tsp salt", Ingredient{Quantity: qty(0.5), Unit: "tsp", Name: "salt"}},
	{"1½ cups water", Ingredient{Quantity: qty(1.5), Unit: "cup", Name: "water"}},
	{"1 ½ cups water", Ingredient{Quantity: qty(1.5), Unit: "cup", Name: "water"}},
	{"1⁄2 cup oil", Ingredient{Quantity: qty(0.5), Unit: "cup", Name: "oil"}},
	{"1 1⁄4 cups milk", Ingredient{Quantity: qty(1.25), Unit: "cup", Name: "milk"}},
	{"1½cups water", Ingredient{Quantity: qty(1.5), Unit: "cup", Name: "water"}},
	{"1/2cup rice", Ingredient{Quantity: qty(0.5), Unit: "cup", Name: "rice"}},
	{"1-1/2 cups milk", Ingredient{Quantity: qty(1.5), Unit: "cup", Name: "milk"}},

	// Ranges.
	{"2-3 cloves garlic", Ingredient{Quantity: qty(2), QuantityMax: qty(3), Unit: "clove", Name: "garlic"}},
	{"2 – 3 cloves garlic", Ingredient{Quantity: qty(2), QuantityMax: qty(3), Unit: "clove", Name: "garlic"}},
	{"2–3 cloves garlic", Ingredient{Quantity: qty(2), QuantityMax: qty(3), Unit: "clove", Name: "garlic"}},
	{"2 - 3 cloves garlic", Ingredient{Quantity: qty(2), QuantityMax: qty(3), Unit: "clove", Name: "garlic"}},
	{"2 to 3 cups stock", Ingredient{Quantity: qty(2), QuantityMax: qty(3), Unit: "cup", Name: "stock"}},
	{"1/2-1 tsp chili flakes", Ingredient{Quantity: qty(0.5), QuantityMax: qty(1), Unit: "tsp", Name: "chili flakes"}},
	{"1 1/2-2 cups broth", Ingredient{Quantity: qty(1.5), QuantityMax: qty(2), Unit: "cup", Name: "broth"}},
	{"½–¾ cup sugar", Ingredient{Quantity: qty(0.5), QuantityMax: qty(0.75), Unit: "cup", Name: "sugar"}},
	{"8-10 chicken thighs", Ingredient{Quantity: qty(8), QuantityMax: qty(10), Name: "chicken thighs"}},
	{"3-2 eggs", Ingredient{Quantity: qty(2), QuantityMax: qty(3), Name: "eggs"}},
	{"2-2 eggs", Ingredient{Quantity: qty(2), Name: "eggs"}},
	{"2 tomatoes", Ingredient{Quantity: qty(2), Name: "tomatoes"}},

	// Units: every canonical form and its spellings.
	{"1 cup milk", Ingredient{Quantity: qty(1), Unit: "cup", Name: "milk"}},
	{"1 c. sugar", Ingredient{Quantity: qty(1), Unit: "cup", Name: "sugar"}},
	{"2 Cups flour", Ingredient{Quantity: qty(2), Unit: "cup", Name: "flour"}},
	{"1 tablespoon oil", Ingredient{Quantity: qty(1), Unit: "tbsp", Name: "oil"}},
	{"2 tablespoons oil", Ingredient{Quantity: qty(2), Unit: "tbsp", Name: "oil"}},
	{"2 Tbsp oil", Ingredient{Quantity: qty(2), Unit: "tbsp", Name: "oil"}},
	{"2 TBSP oil", Ingredient{Quantity: qty(2), Unit: "tbsp", Name: "oil"}},
	{"1 T butter", Ingredient{Quantity: qty(1), Unit: "tbsp", Name: "butter"}},
	{"1 T. butter", Ingredient{Quantity: qty(1), Unit: "tbsp", Name: "butter"}},
	{"1 teaspoon vanilla", Ingredient{Quantity: qty(1), Unit: "tsp", Name: "vanilla"}},
	{"2 teaspoons vanilla", Ingredient{Quantity: qty(2), Unit: "tsp", Name: "vanilla"}},
	{"3 TSP sugar", Ingredient{Quantity: qty(3), Unit: "tsp", Name: "sugar"}},
	{"1 t salt", Ingredient{Quantity: qty(1), Unit: "tsp", Name: "salt"}},
	{"2T butter", Ingredient{Quantity: qty(2), Unit: "tbsp", Name: "butter"}},
	{"3 T-bone steaks", Ingredient{Quantity: qty(3), Name: "T-bone steaks"}},
	{"100 g sugar", Ingredient{Quantity: qty(100), Unit: "g", Name: "sugar"}},
	{"100 gram sugar", Ingredient{Quantity: qty(100), Unit: "g", Name: "sugar"}},
	{"100 grams sugar", Ingredient{Quantity: qty(100), Unit: "g", Name: "sugar"}},
	{"100 gr sugar", Ingredient{Quantity: qty(100), Unit: "g", Name: "sugar"}},
	{"200g butter", Ingredient{Quantity: qty(200), Unit: "g", Name: "butter"}},
	{"1.5kg potatoes", Ingredient{Quantity: qty(1.5), Unit: "kg", Name: "potatoes"}},
	{"2 kilograms potatoes", Ingredient{Quantity: qty(2), Unit: "kg", Name: "potatoes"}},
	{"500 mg vitamin C", Ingredient{Quantity: qty(500), Unit: "mg", Name: "vitamin C"}},
	{"250ml cream", Ingredient{Quantity: qty(250), Unit: "ml", Name: "cream"}},
	{"250 mL cream", Ingredient{Quantity: qty(250), Unit: "ml", Name: "cream"}},
	{"250 milliliters cream", Ingredient{Quantity: qty(250), Unit: "ml", Name: "cream"}},
	{"250 millilitres cream", Ingredient{Quantity: qty(250), Unit: "ml", Name: "cream"}},
	{"1 liter water", Ingredient{Quantity: qty(1), Unit: "l", Name: "water"}},
	{"2 litres water", Ingredient{Quantity: qty(2), Unit: "l", Name: "water"}},
	{"1 L water", Ingredient{Quantity: qty(1), Unit: "l", Name: "water"}},
	{"2 dl milk", Ingredient{Quantity: qty(2), Unit: "dl", Name: "milk"}},
	{"4 cl rum", Ingredient{Quantity: qty(4), Unit: "cl", Name: "rum"}},
	{"8 oz cream cheese", Ingredient{Quantity: qty(8), Unit: "oz", Name: "cream cheese"}},
	{"1 ounce chocolate", Ingredient{Quantity: qty(1), Unit: "oz", Name: "chocolate"}},
	{"6 ounces chocolate", Ingredient{Quantity: qty(6), Unit: "oz", Name: "chocolate"}},
	{"1 lb ground beef", Ingredient{Quantity: qty(1), Unit: "lb", Name: "ground beef"}},
	{"1 lb. ground beef", Ingredient{Quantity: qty(1), Unit: "lb", Name: "ground beef"}},
	{"2 lbs chicken wings", Ingredient{Quantity: qty(2), Unit: "lb", Name: "chicken wings"}},
	{"1 pound bacon", Ingredient{Quantity: qty(1), Unit: "lb", Name: "bacon"}},
	{"3 pounds pork shoulder", Ingredient{Quantity: qty(3), Unit: "lb", Name: "pork shoulder"}},
	{"12 fl oz beer", Ingredient{Quantity: qty(12), Unit: "fl oz", Name: "beer"}},
	{"2 fl. oz. gin", Ingredient{Quantity: qty(2), Unit: "fl oz", Name: "gin"}},
	{"8 fluid ounces milk", Ingredient{Quantity: qty(8), Unit: "fl oz", Name: "milk"}},
	{"1 pint strawberries", Ingredient{Quantity: qty(1), Unit: "pint", Name: "strawberries"}},
	{"2 quarts chicken stock", Ingredient{Quantity: qty(2), Unit: "quart", Name: "chicken stock"}},
	{"1 gallon water", Ingredient{Quantity: qty(1), Unit: "gallon", Name: "water"}},
	{"2 pinches nutmeg", Ingredient{Quantity: qty(2), Unit: "pinch", Name: "nutmeg"}},
	{"2 dashes Angostura bitters", Ingredient{Quantity: qty(2), Unit: "dash", Name: "Angostura bitters"}},
	{"4 cloves garlic", Ingredient{Quantity: qty(4), Unit: "clove", Name: "garlic"}},
	{"2 cans black beans", Ingredient{Quantity: qty(2), Unit: "can", Name: "black beans"}},
	{"1 package cream cheese", Ingredient{Quantity: qty(1), Unit: "package", Name: "cream cheese"}},
	{"2 sticks butter", Ingredient{Quantity: qty(2), Unit: "stick", Name: "butter"}},
	{"3 slices bacon", Ingredient{Quantity: qty(3), Unit: "slice", Name: "bacon"}},
	{"4 pieces chicken", Ingredient{Quantity: qty(4), Unit: "piece", Name: "chicken"}},
	{"1 bunch cilantro", Ingredient{Quantity: qty(1), Unit: "bunch", Name: "cilantro"}},
	{"2 bunches scallions", Ingredient{Quantity: qty(2), Unit: "bunch", Name: "scallions"}},
	{"3 sprigs fresh thyme", Ingredient{Quantity: qty(3), Unit: "sprig", Name: "fresh thyme"}},
	{"2 handfuls spinach", Ingredient{Quantity: qty(2), Unit: "handful", Name: "spinach"}},
	{"1 head garlic", Ingredient{Quantity: qty(1), Unit: "head", Name: "garlic"}},
	{"2 stalks celery", Ingredient{Quantity: qty(2), Unit: "stalk", Name: "celery"}},
	{"1 sheet puff pastry", Ingredient{Quantity: qty(1), Unit: "sheet", Name: "puff pastry"}},
	{"1 jar marinara sauce", Ingredient{Quantity: qty(1), Unit: "jar", Name: "marinara sauce"}},
	{"1 bottle red wine", Ingredient{Quantity: qty(1), Unit: "bottle", Name: "red wine"}},
	{"5 cm ginger", Ingredient{Quantity: qty(5), Unit: "cm", Name: "ginger"}},
	{"1 inch ginger", Ingredient{Quantity: qty(1), Unit: "inch", Name: "ginger"}},
	{"2 in cinnamon stick", Ingredient{Quantity: qty(2), Unit: "inch", Name: "cinnamon stick"}},
	{"1-inch piece ginger", Ingredient{Quantity: qty(1), Unit: "inch", Name: "piece ginger"}},
	{"6 cloves", Ingredient{Quantity: qty(6), Name: "cloves"}},
	{"500g", Ingredient{Quantity: qty(500), Unit: "g"}},

	// Parentheticals.
	{"1 (14 oz) can tomatoes", Ingredient{Quantity: qty(1), Unit: "can", Name: "tomatoes", Note: "14 oz"}},
	{"2 eggs (large)", Ingredient{Quantity: qty(2), Name: "eggs", Note: "large"}},
	{"1 can (400 g) chickpeas", Ingredient{Quantity: qty(1), Unit: "can", Name: "chickpeas", Note: "400 g"}},
	{"1 cup (2 sticks) butter, softened", Ingredient{Quantity: qty(1), Unit: "cup", Name: "butter", Note: "2 sticks, softened"}},
	{"2 eggs, beaten (large)", Ingredient{Quantity: qty(2), Name: "eggs", Note: "beaten, large"}},
	{"1 cup nuts (optional", Ingredient{Quantity: qty(1), Unit: "cup", Name: "nuts", Note: "optional"}},
	{"1 cup flour (about 120 g (4 oz))", Ingredient{Quantity: qty(1), Unit: "cup", Name: "flour", Note: "about 120 g (4 oz)"}},
	{"2 cups milk)", Ingredient{Quantity: qty(2), Unit: "cup", Name: "milk"}},

	// Notes after commas.
	{"1 1/2 cups flour, sifted", Ingredient{Quantity: qty(1.5), Unit: "cup", Name: "flour", Note: "sifted"}},
	{"1 onion, peeled, finely chopped", Ingredient{Quantity: qty(1), Name: "onion", Note: "peeled, finely chopped"}},
	{"1 cup walnuts,, chopped", Ingredient{Quantity: qty(1), Unit: "cup", Name: "walnuts", Note: "chopped"}},

	// "of" after a unit.
	{"2 cups of milk", Ingredient{Quantity: qty(2), Unit: "cup", Name: "milk"}},
	{"1 can of tomatoes", Ingredient{Quantity: qty(1), Unit: "can", Name: "tomatoes"}},

	// No quantity, or an article instead of one.
	{"salt to taste", Ingredient{Name: "salt", Note: "to taste"}},
	{"Salt and pepper", Ingredient{Name: "Salt and pepper"}},
	{"salt and pepper to taste", Ingredient{Name: "salt and pepper", Note: "to taste"}},
	{"Salt, to taste", Ingredient{Name: "Salt", Note: "to taste"}},
	{"a pinch of salt", Ingredient{Quantity: qty(1), Unit: "pinch", Name: "salt"}},
	{"A pinch of salt", Ingredient{Quantity: qty(1), Unit: "pinch", Name: "salt"}},
	{"an onion", Ingredient{Quantity: qty(1), Name: "onion"}},
	{"a large egg", Ingredient{Quantity: qty(1), Name: "large egg"}},
	{"a few sprigs thyme", Ingredient{Name: "a few sprigs thyme"}},
	{"a little olive oil", Ingredient{Name: "a little olive oil"}},
	{"Pinch of salt", Ingredient{Name: "Pinch of salt"}},
	{"oil for frying", Ingredient{Name: "oil", Note: "for frying"}},
	{"chives, optional", Ingredient{Name: "chives", Note: "optional"}},
	{"fresh parsley to garnish", Ingredient{Name: "fresh parsley", Note: "to garnish"}},
	{"to taste", Ingredient{Name: "to taste"}},

	// Bullets and list markers.
	{"- 2 cups rice", Ingredient{Quantity: qty(2), Unit: "cup", Name: "rice"}},
	{"* 1 egg", Ingredient{Quantity: qty(1), Name: "egg"}},
	{"• 3 carrots", Ingredient{Quantity: qty(3), Name: "carrots"}},
	{"•3 carrots", Ingredient{Quantity: qty(3), Name: "carrots"}},
	{"  -  ½ tsp salt  ", Ingredient{Quantity: qty(0.5), Unit: "tsp", Name: "salt"}},
	{"1. 2 cups flour", Ingredient{Quantity: qty(2), Unit: "cup", Name: "flour"}},
	{"3) 1 egg", Ingredient{Quantity: qty(1), Name: "egg"}},

	// Out-of-range or malformed amounts stay in the name.
	{"1000000 grains rice", Ingredient{Name: "1000000 grains rice"}},
	{"100000 g sugar", Ingredient{Quantity: qty(100000), Unit: "g", Name: "sugar"}},
	{"100001 g sugar", Ingredient{Name: "100001 g sugar"}},
	{"2-200000 g sugar", Ingredient{Name: "2-200000 g sugar"}},
	{"1/0 cup sugar", Ingredient{Name: "1/0 cup sugar"}},
	{"99999999999999999999999999999999999999999999999999999999999 eggs", Ingredient{Name: "99999999999999999999999999999999999999999999999999999999999 eggs"}},
	{"2% milk", Ingredient{Name: "2% milk"}},
	{"", Ingredient{}},
	{"   ", Ingredient{}},
	{"-", Ingredient{}},

	// Realistic lines.
	{"2 1/4 cups all-purpose flour", Ingredient{Quantity: qty(2.25), Unit: "cup", Name: "all-purpose flour"}},
	{"1 tsp baking soda", Ingredient{Quantity: qty(1), Unit: "tsp", Name: "baking soda"}},
	{"1 tsp salt", Ingredient{Quantity: qty(1), Unit: "tsp", Name: "salt"}},
	{"1 cup (2 sticks) unsalted butter, softened", Ingredient{Quantity: qty(1), Unit: "cup", Name: "unsalted butter", Note: "2 sticks, softened"}},
	{"3/4 cup granulated sugar", Ingredient{Quantity: qty(0.75), Unit: "cup", Name: "granulated sugar"}},
	{"3/4 cup packed brown sugar", Ingredient{Quantity: qty(0.75), Unit: "cup", Name: "packed brown sugar"}},
	{"1 tsp vanilla extract", Ingredient{Quantity: qty(1), Unit: "tsp", Name: "vanilla extract"}},
	{"2 large eggs", Ingredient{Quantity: qty(2), Name: "large eggs"}},
	{"2 cups (12-oz. pkg.) semi-sweet chocolate morsels", Ingredient{Quantity: qty(2), Unit: "cup", Name: "semi-sweet chocolate morsels", Note: "12-oz. pkg."}},
	{"1 cup chopped nuts (optional)", Ingredient{Quantity: qty(1), Unit: "cup", Name: "chopped nuts", Note: "optional"}},
	{"2 (14.5 oz) cans diced tomatoes, drained", Ingredient{Quantity: qty(2), Unit: "can", Name: "diced tomatoes", Note: "14.5 oz, drained"}},
	{"2 (28-ounce) cans whole peeled tomatoes", Ingredient{Quantity: qty(2), Unit: "can", Name: "whole peeled tomatoes", Note: "28-ounce"}},
	{"1 (2-inch) piece ginger, peeled and grated", Ingredient{Quantity: qty(1), Unit: "piece", Name: "ginger", Note: "2-inch, peeled and grated"}},
	{"2 1/4 teaspoons (1 packet) active dry yeast", Ingredient{Quantity: qty(2.25), Unit: "tsp", Name: "active dry yeast", Note: "1 packet"}},
	{"1 lemon, zested and juiced", Ingredient{Quantity: qty(1), Name: "lemon", Note: "zested and juiced"}},
	{"Juice of 1 lime", Ingredient{Name: "Juice of 1 lime"}},
	{"3 tbsp. extra-virgin olive oil, divided", Ingredient{Quantity: qty(3), Unit: "tbsp", Name: "extra-virgin olive oil", Note: "divided"}},
	{"1 medium yellow onion, diced", Ingredient{Quantity: qty(1), Name: "medium yellow onion", Note: "diced"}},
	{"4 garlic cloves, minced", Ingredient{Quantity: qty(4), Name: "garlic cloves", Note: "minced"}},
	{"2 stalks celery, thinly sliced", Ingredient{Quantity: qty(2), Unit: "stalk", Name: "celery", Note: "thinly sliced"}},
	{"4 cups low-sodium chicken broth", Ingredient{Quantity: qty(4), Unit: "cup", Name: "low-sodium chicken broth"}},
	{"1 bay leaf", Ingredient{Quantity: qty(1), Name: "bay leaf"}},
	{"½ tsp dried oregano", Ingredient{Quantity: qty(0.5), Unit: "tsp", Name: "dried oregano"}},
	{"¼ tsp red pepper flakes, or to taste", Ingredient{Quantity: qty(0.25), Unit: "tsp", Name: "red pepper flakes", Note: "or to taste"}},
	{"1/4 tsp cayenne pepper or to taste", Ingredient{Quantity: qty(0.25), Unit: "tsp", Name: "cayenne pepper", Note: "or to taste"}},
	{"Kosher salt and freshly ground black pepper", Ingredient{Name: "Kosher salt and freshly ground black pepper"}},
	{"2 tbsp chopped fresh parsley, plus more for garnish", Ingredient{Quantity: qty(2), Unit: "tbsp", Name: "chopped fresh parsley", Note: "plus more for garnish"}},
	{"2 tbsp chopped parsley plus extra to serve", Ingredient{Quantity: qty(2), Unit: "tbsp", Name: "chopped parsley", Note: "plus extra to serve"}},
	{"500 g spaghetti", Ingredient{Quantity: qty(500), Unit: "g", Name: "spaghetti"}},
	{"400g tin chopped tomatoes", Ingredient{Quantity: qty(400), Unit: "g", Name: "tin chopped tomatoes"}},
	{"150 ml double cream", Ingredient{Quantity: qty(150), Unit: "ml", Name: "double cream"}},
	{"50g parmesan, finely grated", Ingredient{Quantity: qty(50), Unit: "g", Name: "parmesan", Note: "finely grated"}},
	{"1 Zwiebel, gewürfelt", Ingredient{Quantity: qty(1), Name: "Zwiebel", Note: "gewürfelt"}},
	{"1,5 kg Rindfleisch", Ingredient{Quantity: qty(1.5), Unit: "kg", Name: "Rindfleisch"}},
	{"3 dl vispgrädde", Ingredient{Quantity: qty(3), Unit: "dl", Name: "vispgrädde"}},
	{"1 (8 oz) package cream cheese, softened", Ingredient{Quantity: qty(1), Unit: "package", Name: "cream cheese", Note: "8 oz, softened"}},
	{"1 jar (24 oz) marinara sauce", Ingredient{Quantity: qty(1), Unit: "jar", Name: "marinara sauce", Note: "24 oz"}},
	{"1 bottle (750 ml) dry red wine", Ingredient{Quantity: qty(1), Unit: "bottle", Name: "dry red wine", Note: "750 ml"}},
	{"2 sheets frozen puff pastry, thawed", Ingredient{Quantity: qty(2), Unit: "sheet", Name: "frozen puff pastry", Note: "thawed"}},
	{"6 slices thick-cut bacon, chopped", Ingredient{Quantity: qty(6), Unit: "slice", Name: "thick-cut bacon", Note: "chopped"}},
	{"1 head cauliflower, cut into florets", Ingredient{Quantity: qty(1), Unit: "head", Name: "cauliflower", Note: "cut into florets"}},
	{"1 small bunch fresh basil", Ingredient{Quantity: qty(1), Name: "small bunch fresh basil"}},
	{"Vegetable oil, for frying", Ingredient{Name: "Vegetable oil", Note: "for frying"}},
	{"Powdered sugar for dusting", Ingredient{Name: "Powdered sugar", Note: "for dusting"}},
	{"1 tbsp butter, plus more for greasing the pan", Ingredient{Quantity: qty(1), Unit: "tbsp", Name: "butter", Note: "plus more for greasing the pan"}},
	{"1 1/2 tsp ground cinnamon", Ingredient{Quantity: qty(1.5), Unit: "tsp", Name: "ground cinnamon"}},
	{"⅓ cup maple syrup", Ingredient{Quantity: qty(1.0 / 3), Unit: "cup", Name: "maple syrup"}},
	{"⅔ cup whole milk", Ingredient{Quantity: qty(2.0 / 3), Unit: "cup", Name: "whole milk"}},
	{"1 can (13.5 oz) full-fat coconut milk", Ingredient{Quantity: qty(1), Unit: "can", Name: "full-fat coconut milk", Note: "13.5 oz"}},
	{"2 tsp. kosher salt (Diamond Crystal), divided", Ingredient{Quantity: qty(2), Unit: "tsp", Name: "kosher salt", Note: "Diamond Crystal, divided"}},
	{"Ice", Ingredient{Name: "Ice"}},
	{"1 1/2 oz bourbon", Ingredient{Quantity: qty(1.5), Unit: "oz", Name: "bourbon"}},
	{"2 dashes Angostura bitters", Ingredient{Quantity: qty(2), Unit: "dash", Name: "Angostura bitters"}},
	{"1 orange peel, for garnish", Ingredient{Quantity: qty(1), Name: "orange peel", Note: "for garnish"}},
	{"200 g (7 oz) dark chocolate, chopped", Ingredient{Quantity: qty(200), Unit: "g", Name: "dark chocolate", Note: "7 oz, chopped"}},
	{"1 tsp. vanilla", Ingredient{Quantity: qty(1), Unit: "tsp", Name: "vanilla"}},
	{"12 oz. bag frozen peas", Ingredient{Quantity: qty(12), Unit: "oz", Name: "bag frozen peas"}},
	{"1 Tbsp sesame oil", Ingredient{Quantity: qty(1), Unit: "tbsp", Name: "sesame oil"}},
}

func TestParseIngredient(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.line, func(t *testing.T) {
			got := ParseIngredient(tc.line)
			want := tc.want
			want.Original = strings.TrimSpace(tc.line)
			if !sameIngredient(got, want) {
				t.Errorf("ParseIngredient(%q)\n got %s\nwant %s", tc.line, describe(got), describe(want))
			}
		})
	}
}

func sameIngredient(a, b Ingredient) bool {
	return sameQty(a.Quantity, b.Quantity) && sameQty(a.QuantityMax, b.QuantityMax) &&
		a.Unit == b.Unit && a.Name == b.Name && a.Note == b.Note && a.Original == b.Original
}

func sameQty(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) < 1e-9
}

func describe(in Ingredient) string {
	q := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	return fmt.Sprintf("{q=%s max=%s unit=%q name=%q note=%q original=%q}",
		q(in.Quantity), q(in.QuantityMax), in.Unit, in.Name, in.Note, in.Original)
}

func TestParseIngredientVulgarFractions(t *testing.T) {
	fractions := map[string]float64{
		"¼": 1.0 / 4, "½": 1.0 / 2, "¾": 3.0 / 4, "⅓": 1.0 / 3, "⅔": 2.0 / 3,
		"⅕": 1.0 / 5, "⅖": 2.0 / 5, "⅗": 3.0 / 5, "⅘": 4.0 / 5, "⅙": 1.0 / 6,
		"⅚": 5.0 / 6, "⅛": 1.0 / 8, "⅜": 3.0 / 8, "⅝": 5.0 / 8, "⅞": 7.0 / 8,
		"⅐": 1.0 / 7, "⅑": 1.0 / 9, "⅒": 1.0 / 10,
	}
	for glyph, v := range fractions {
		for prefix, whole := range map[string]float64{"": 0, "1": 1, "2 ": 2} {
			line := prefix + glyph + " cup sugar"
			got := ParseIngredient(line)
			want := Ingredient{Quantity: qty(whole + v), Unit: "cup", Name: "sugar", Original: line}
			if !sameIngredient(got, want) {
				t.Errorf("ParseIngredient(%q)\n got %s\nwant %s", line, describe(got), describe(want))
			}
		}
	}
}

// TestFormatQuantity covers what the shared table (format_test.go) cannot
// hold: JSON has no -0, infinity or NaN.
func TestFormatQuantity(t *testing.T) {
	tests := []struct {
		q    float64
		want string
	}{
		{math.Copysign(0, -1), "0"},
		{math.Inf(1), ""},
		{math.NaN(), ""},
	}
	for _, tc := range tests {
		if got := FormatQuantity(tc.q); got != tc.want {
			t.Errorf("FormatQuantity(%v) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestFormatIngredient(t *testing.T) {
	tests := []struct {
		in   Ingredient
		want string
	}{
		{Ingredient{Quantity: qty(1.5), Unit: "cup", Name: "flour", Note: "sifted"}, "1½ cup flour, sifted"},
		{Ingredient{Quantity: qty(2), QuantityMax: qty(3), Unit: "clove", Name: "garlic"}, "2–3 clove garlic"},
		{Ingredient{Quantity: qty(0.5), QuantityMax: qty(1), Unit: "tsp", Name: "chili flakes"}, "½–1 tsp chili flakes"},
		{Ingredient{Quantity: qty(2), Name: "eggs"}, "2 eggs"},
		{Ingredient{Quantity: qty(500), Unit: "g"}, "500 g"},
		{Ingredient{Name: "salt", Note: "to taste"}, "salt, to taste"},
		{Ingredient{Name: "Salt and pepper"}, "Salt and pepper"},
		{Ingredient{Note: "optional"}, "optional"},
		{Ingredient{QuantityMax: qty(3), Name: "eggs"}, "eggs"},
		{Ingredient{}, ""},
		{Ingredient{Quantity: qty(1.35), Unit: "kg", Name: "potatoes", Original: "ignored"}, "1.35 kg potatoes"},
	}
	for _, tc := range tests {
		if got := FormatIngredient(tc.in); got != tc.want {
			t.Errorf("FormatIngredient(%s) = %q, want %q", describe(tc.in), got, tc.want)
		}
	}
}

// Formatting a parsed line and parsing it again must give the same fields:
// FormatIngredient output is what users see after scaling, and it may be
// saved back as a line.
func TestFormatIngredientRoundTrip(t *testing.T) {
	for _, tc := range parseCases {
		first := ParseIngredient(tc.line)
		if first.Quantity == nil || first.Note != "" {
			continue // notes and quantity-free names may legitimately re-split
		}
		line := FormatIngredient(first)
		second := ParseIngredient(line)
		second.Original = first.Original
		if !sameQtyDisplayed(first.Quantity, second.Quantity) || !sameQtyDisplayed(first.QuantityMax, second.QuantityMax) ||
			first.Unit != second.Unit || first.Name != second.Name {
			t.Errorf("%q → %q → %s, want %s", tc.line, line, describe(second), describe(first))
		}
	}
}

// sameQtyDisplayed compares amounts as FormatQuantity shows them, since it
// rounds to two decimals.
func sameQtyDisplayed(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return FormatQuantity(*a) == FormatQuantity(*b)
}

// pathologicalLines are 500-character lines (the longest a recipe keeps)
// built to make a parser backtrack or rescan: runs of digits, fractions,
// separators, spaces and unclosed groups.
var pathologicalLines = []string{
	strings.Repeat("1 ", 250),
	strings.Repeat("(", 500),
	strings.Repeat("1,", 250),
	strings.Repeat("1/", 250),
	strings.Repeat("½", 166),
	strings.Repeat("a ", 250),
	strings.Repeat("to taste ", 55),
	strings.Repeat("-", 500),
	strings.Repeat("1-", 250),
	strings.Repeat("1,000", 100),
	strings.Repeat("9", 500),
	strings.Repeat("1.", 250),
	strings.Repeat(" ", 500),
	strings.Repeat("1 1/2 ", 83),
	strings.Repeat("1 to ", 100),
	strings.Repeat("(1, ", 125),
	strings.Repeat("plus more ", 50),
	strings.Repeat("\u00a0", 250),
	strings.Repeat("1⁄", 125),
}

// BenchmarkParseIngredientWorstCase measures the parser on the
// pathological lines, to keep it linear (run with make bench).
func BenchmarkParseIngredientWorstCase(b *testing.B) {
	for b.Loop() {
		for _, in := range pathologicalLines {
			ParseIngredient(in)
		}
	}
}

// The pathological lines parse (the fuzz target's invariants hold); their
// cost is the benchmark's business, not a timed test's.
func TestParseIngredientPathological(t *testing.T) {
	for _, line := range pathologicalLines {
		checkParse(t, line)
	}
}

func FuzzParseIngredient(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.line)
	}
	for _, line := range pathologicalLines {
		f.Add(line)
	}
	f.Add("1 ½–2⅔ tbsp. (heaped) of flour, sifted (twice)")
	f.Add("\xff1/2\x00 cup")
	f.Add("  2 (14-oz) cans tomatoes, drained (see note), or 800 g fresh  ")
	f.Fuzz(func(t *testing.T, line string) {
		if len(line) > 500 {
			t.Skip("longer lines are rejected before parsing")
		}
		checkParse(t, line)
	})
}

// canonicalUnits are the units ParseIngredient may return.
var canonicalUnits = func() map[string]bool {
	m := map[string]bool{}
	for _, u := range unitAliases {
		m[u] = true
	}
	return m
}()

// checkParse parses line and checks what holds for every line: Original
// is the line trimmed and the rest depends on it alone; amounts are sane;
// a unit is canonical and follows an amount; the name and the note are
// made of the line's own words, so nothing is invented or duplicated from
// elsewhere; and valid UTF-8 stays valid.
func checkParse(t *testing.T, line string) {
	t.Helper()
	in := ParseIngredient(line)
	if want := strings.TrimSpace(line); in.Original != want {
		t.Fatalf("Original = %q, want %q", in.Original, want)
	}
	if again := ParseIngredient(in.Original); describe(again) != describe(in) {
		t.Fatalf("parsing the trimmed line gives %s, the line %s", describe(again), describe(in))
	}
	if in.QuantityMax != nil && in.Quantity == nil {
		t.Fatalf("QuantityMax set without Quantity: %s", describe(in))
	}
	for _, p := range []*float64{in.Quantity, in.QuantityMax} {
		if p == nil {
			continue
		}
		if v := *p; math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > maxQuantity {
			t.Fatalf("quantity %v out of range: %s", v, describe(in))
		}
	}
	if in.QuantityMax != nil && *in.QuantityMax <= *in.Quantity {
		t.Fatalf("range does not increase: %s", describe(in))
	}
	if in.Unit != "" && (in.Quantity == nil || !canonicalUnits[in.Unit]) {
		t.Fatalf("unit %q without an amount or not canonical: %s", in.Unit, describe(in))
	}
	for _, w := range strings.Fields(in.Name) {
		if !strings.Contains(in.Original, w) {
			t.Fatalf("name word %q is not in the line: %s", w, describe(in))
		}
	}
	for _, w := range strings.Fields(in.Note) {
		if w = strings.TrimSuffix(w, ","); w != "" && !strings.Contains(in.Original, w) {
			t.Fatalf("note word %q is not in the line: %s", w, describe(in))
		}
	}
	if in.Name != strings.TrimSpace(in.Name) || in.Note != strings.TrimSpace(in.Note) {
		t.Fatalf("untrimmed name or note: %s", describe(in))
	}
	if utf8.ValidString(line) && !utf8.ValidString(in.Name+in.Note+in.Unit) {
		t.Fatalf("valid UTF-8 in, invalid out: %s", describe(in))
	}
	_ = FormatIngredient(in)
}
