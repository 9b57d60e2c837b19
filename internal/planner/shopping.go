package planner

import (
	"cmp"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/validate"
)

// Shopping lists: a household's lists of what to buy. A line is one
// ingredient in one measure. Amounts that convert (grams and kilograms,
// cups and tablespoons) add up into one line, kept in the base unit of
// their kind (g or ml); amounts that do not (cloves, a count, a volume
// and a weight of one thing) stay on lines of their own. Each line keeps
// where its amount came from, so it can say which recipes need it.

// Limits of the lists.
const (
	MaxLists    = 20
	MaxListName = 80
	// MaxItems bounds one list's lines: a week's shop is a few dozen.
	MaxItems    = 300
	MaxItemText = 200
	// MaxAddRecipes bounds the recipes one "add the week" brings in.
	MaxAddRecipes = 60
)

// Measure kinds that add up across units; any other measure is a unit as
// written ("clove") or "" for a count.
const (
	Mass   = "mass"
	Volume = "volume"
)

// The systems a converted sum is shown in.
const (
	ShownMetric = "metric"
	ShownUS     = "us"
)

// Aisle is a part of the shop; the list groups its lines by aisle, in
// the order of Aisles (a walk through a typical supermarket).
type Aisle struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Aisles are the built-in aisles, in shop order. "other" is last and
// takes whatever the guess does not know.
var Aisles = []Aisle{
	{"produce", "Fruit & vegetables"},
	{"bakery", "Bread & bakery"},
	{"meat", "Meat & fish"},
	{"dairy", "Dairy & eggs"},
	{"pantry", "Pantry"},
	{"spices", "Spices & seasonings"},
	{"frozen", "Frozen"},
	{"drinks", "Drinks"},
	{"household", "Household"},
	{"other", "Other"},
}

// ValidAisle reports whether key is one of Aisles.
func ValidAisle(key string) bool {
	for _, a := range Aisles {
		if a.Key == key {
			return true
		}
	}
	return false
}

// AisleLabel is the label of aisle key.
func AisleLabel(key string) string {
	for _, a := range Aisles {
		if a.Key == key {
			return a.Label
		}
	}
	return "Other"
}

// aislePhrases are names whose last word would mislead the guess
// ("peanut butter" is no dairy); checked first, whole.
var aislePhrases = map[string]string{
	"peanut butter": "pantry", "almond butter": "pantry", "coconut milk": "pantry",
	"coconut cream": "pantry", "soy sauce": "pantry", "fish sauce": "pantry",
	"tomato paste": "pantry", "tomato puree": "pantry", "chicken stock": "pantry",
	"vegetable stock": "pantry", "beef stock": "pantry", "ice cream": "frozen",
	"frozen pea": "frozen", "sour cream": "dairy", "cream cheese": "dairy",
	"baking powder": "pantry", "baking soda": "pantry", "bay leaf": "spices",
	"black pepper": "spices", "chili powder": "spices", "garlic powder": "spices",
	"onion powder": "spices", "cayenne pepper": "spices", "bell pepper": "produce", "spring onion": "produce",
	"green onion": "produce", "sweet potato": "produce", "puff pastry": "frozen",
	"kitchen paper": "household", "baking paper": "household", "aluminium foil": "household",
	"olive oil": "pantry", "brown sugar": "pantry", "icing sugar": "pantry",
}

// aisleWords guess an aisle from one word of a name; the last word that
// knows one wins ("chicken thigh": chicken; "chicken stock": the phrase).
var aisleWords = func() map[string]string {
	m := map[string]string{}
	for aisle, words := range map[string][]string{
		"produce": {"apple", "banana", "lemon", "lime", "orange", "onion", "shallot", "garlic", "ginger",
			"carrot", "celery", "potato", "tomato", "cucumber", "lettuce", "spinach", "kale", "cabbage",
			"broccoli", "cauliflower", "courgette", "zucchini", "aubergine", "eggplant", "pepper", "chilli",
			"chili", "mushroom", "leek", "pea", "bean", "avocado", "herb", "parsley", "coriander",
			"cilantro", "basil", "mint", "dill", "thyme", "rosemary", "sage", "chive", "berry",
			"strawberry", "raspberry", "blueberry", "grape", "pear", "peach", "plum", "mango",
			"pineapple", "melon", "squash", "pumpkin", "beetroot", "radish", "asparagus", "corn",
			"fennel", "rocket", "arugula", "salad", "fruit", "vegetable", "scallion"},
		"bakery": {"bread", "loaf", "baguette", "bun", "roll", "tortilla", "pitta", "pita", "croissant",
			"bagel", "brioche", "naan", "wrap", "breadcrumb"},
		"meat": {"chicken", "beef", "pork", "lamb", "mince", "bacon", "ham", "sausage", "turkey", "duck",
			"steak", "chorizo", "salami", "prosciutto", "fish", "salmon", "cod", "tuna", "prawn",
			"shrimp", "mussel", "anchovy", "haddock", "trout", "mackerel", "meat", "veal", "guanciale", "pancetta"},
		"dairy": {"milk", "butter", "cream", "cheese", "yogurt", "yoghurt", "egg", "parmesan", "mozzarella",
			"cheddar", "feta", "ricotta", "mascarpone", "buttermilk", "creme", "crème", "ghee",
			"halloumi", "quark", "pecorino", "romano", "gruyere", "gruyère", "gouda", "brie", "emmental", "paneer"},
		"pantry": {"flour", "sugar", "rice", "pasta", "spaghetti", "noodle", "oil", "vinegar", "honey",
			"syrup", "oat", "lentil", "chickpea", "stock", "broth", "sauce", "ketchup", "mustard",
			"mayonnaise", "jam", "chocolate", "cocoa", "yeast", "cornstarch", "cornflour", "nut",
			"almond", "walnut", "peanut", "cashew", "hazelnut", "seed", "raisin", "couscous",
			"quinoa", "polenta", "cereal", "tahini", "paste", "can", "tin", "bouillon", "vanilla",
			"gelatin", "gelatine", "molasses", "treacle", "cracker", "biscuit"},
		"spices": {"salt", "cumin", "paprika", "turmeric", "cinnamon", "nutmeg", "clove", "cardamom",
			"oregano", "spice", "peppercorn", "saffron", "flake", "allspice", "cayenne",
			"garam", "curry", "seasoning", "za'atar", "sumac", "powder"},
		"frozen": {"frozen", "sorbet"},
		"drinks": {"water", "juice", "wine", "beer", "coffee", "tea", "soda", "lemonade", "cider", "rum",
			"brandy", "vodka", "whisky", "whiskey", "gin", "sherry", "port"},
		"household": {"foil", "clingfilm", "napkin", "detergent", "soap", "sponge"},
	} {
		for _, w := range words {
			m[w] = aisle
		}
	}
	return m
}()

// GuessAisle guesses the aisle of an ingredient from its key (ItemKey)
// and measure: whatever comes in a can, jar or bottle is on the pantry's
// shelves (tinned tomatoes are not produce); else a known phrase, else
// the last word that names one, else "other".
func GuessAisle(key, measure string) string {
	switch measure {
	case "can", "jar", "bottle":
		if a := guessByName(key); a == "produce" || a == "other" {
			return "pantry"
		}
	}
	return guessByName(key)
}

func guessByName(key string) string {
	if a, ok := aislePhrases[key]; ok {
		return a
	}
	words := strings.Fields(key)
	for i := len(words) - 1; i >= 0; i-- {
		if a, ok := aisleWords[words[i]]; ok {
			return a
		}
	}
	return "other"
}

// staples are what most kitchens have: adding a recipe leaves them out
// unless asked to keep them.
var staples = map[string]bool{
	"salt": true, "pepper": true, "black pepper": true, "salt and pepper": true, "salt & pepper": true,
	"water": true, "oil": true, "olive oil": true, "vegetable oil": true, "sunflower oil": true,
	"rapeseed oil": true, "canola oil": true, "cooking spray": true, "ice": true,
}

// stapleModifiers are words before a staple that do not change what it
// is ("kosher salt", "boiling water", "extra virgin olive oil").
var stapleModifiers = map[string]bool{
	"fresh": true, "freshly": true, "ground": true, "cracked": true, "coarse": true, "fine": true,
	"sea": true, "kosher": true, "table": true, "flaky": true, "cold": true, "warm": true, "hot": true,
	"boiling": true, "lukewarm": true, "tap": true, "extra": true, "virgin": true, "extra-virgin": true,
	"light": true, "mild": true, "neutral": true, "cooking": true, "a": true, "little": true,
}

// IsStaple reports whether the ingredient with key is a pantry staple
// (salt, pepper, water, oil), ignoring words like "kosher" or "boiling".
func IsStaple(key string) bool {
	words := strings.Fields(key)
	for len(words) > 1 && stapleModifiers[words[0]] {
		words = words[1:]
	}
	return staples[strings.Join(words, " ")]
}

// ItemKey is the name lines merge by: lower case, letters, digits and
// single spaces, the counted noun in the singular (recipe.CountedNames:
// "Eggs" and "egg" are one line, "red onions" and "Red onion" too). It
// stays conservative: "unsalted butter" and "butter" remain two lines.
func ItemKey(name string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(name) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&' || r == '\'':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	one, _ := recipe.CountedNames(b.String())
	return one
}

// Line is an amount of one ingredient to add to a list: from a recipe's
// line scaled to the servings planned, or typed by hand.
type Line struct {
	Name    string // as written ("Butter")
	Key     string // ItemKey(Name)
	Measure string // Mass, Volume, or the unit as written ("" for a count)
	// Quantity is in g for Mass and ml for Volume, else in the unit
	// written; nil when the line has no amount ("salt to taste").
	Quantity *float64
	ShownIn  string // ShownMetric or ShownUS for Mass and Volume, else ""
}

// LineOf is ingredient in scaled by factor as a line to buy; false for a
// line that names nothing. A range counts at its top: a list must not
// run short.
func LineOf(in recipe.Ingredient, factor float64) (Line, bool) {
	name := strings.TrimSpace(in.Name)
	key := ItemKey(name)
	if key == "" {
		return Line{}, false
	}
	l := Line{Name: name, Key: key, Measure: in.Unit}
	q := in.Quantity
	if in.QuantityMax != nil {
		q = in.QuantityMax
	}
	if q != nil && *q > 0 && !math.IsInf(*q, 0) {
		v := *q * factor
		l.Quantity = &v
	}
	if c, ok := recipe.ConversionFor(in.Unit, recipe.Metric); ok {
		// Written in US measures: kept in ml or g, shown in US ones.
		l.Measure, l.ShownIn = c.Kind, ShownUS
		if l.Quantity != nil {
			v := *l.Quantity * c.Base
			l.Quantity = &v
		}
	} else if c, ok := recipe.ConversionFor(in.Unit, recipe.USCustomary); ok {
		l.Measure, l.ShownIn = c.Kind, ShownMetric
		if l.Quantity != nil {
			v := *l.Quantity * c.Base
			l.Quantity = &v
		}
	}
	return l, true
}

// ParseLine reads a line typed by hand ("500 g butter", "2 lemons",
// "kitchen paper") as a line to buy.
func ParseLine(text string) (Line, bool) {
	return LineOf(recipe.ParseIngredient(text), 1)
}

// ScaleFactor is how much of a recipe written for servings a plan for
// planned servings needs: 1 when either is unknown.
func ScaleFactor(servings, planned *int) float64 {
	if servings == nil || planned == nil || *servings <= 0 || *planned <= 0 {
		return 1
	}
	return float64(*planned) / float64(*servings)
}

// MergeShown is the system a sum is shown in once a line in another
// joins it: metric as soon as any part was metric (a cook who weighs
// some of it has a scale).
func MergeShown(a, b string) string {
	if a == ShownMetric || b == ShownMetric {
		return ShownMetric
	}
	return cmp.Or(a, b)
}

// AddQuantity sums two amounts of one measure; nil (no amount) adds
// nothing.
func AddQuantity(a, b *float64) *float64 {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	v := *a + *b
	return &v
}

// ShowAmount writes an amount of measure for the list: a sum in g or ml
// in the unit a cook buys it in (700 g, 1.2 kg, 1⅛ cups); any other
// amount in its own unit, rounded up to whole ones. "" when there is no
// amount.
func ShowAmount(measure, shownIn string, q *float64) string {
	if q == nil || *q <= 0 || math.IsNaN(*q) || math.IsInf(*q, 0) {
		return ""
	}
	if measure == Mass || measure == Volume {
		sys := recipe.Metric
		if shownIn == ShownUS {
			sys = recipe.USCustomary
		}
		n, unit := recipe.ShowTotal(sys, measure, *q)
		return recipe.FormatAmount(unit, n) + " " + recipe.UnitLabel(unit, n)
	}
	n := wholeToBuy(*q)
	s := recipe.FormatQuantity(n)
	if measure != "" {
		s += " " + recipe.UnitLabel(measure, n)
	}
	return s
}

// ShowName is a line's name as read after its amount: a counted thing in
// the singular or plural its amount asks for ("1 onion", "3 onions"),
// anything else as written.
func ShowName(name, measure string, q *float64) string {
	if measure != "" || q == nil {
		return name
	}
	one, many := recipe.CountedNames(name)
	if wholeToBuy(*q) == 1 {
		return one
	}
	return many
}

// wholeToBuy is how many of a thing to buy for q of them: things are
// bought whole (half a lemon is a lemon, 1½ tins two), and a hair over
// a whole number is the arithmetic's, not the recipe's.
func wholeToBuy(q float64) float64 { return max(math.Ceil(q-0.01), 1) }

// Source is where some of a line's amount came from.
type Source struct {
	// RecipeID is the recipe ("" for one added by hand or since
	// deleted); Title its title when added.
	RecipeID string `json:"recipe_id"`
	Title    string `json:"title"`
	Amount   string `json:"amount"`
}

// Item is a line of a list as the household sees it.
type Item struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Amount is the sum, written for the shop ("700 g"), "" when none
	// of the parts had an amount.
	Amount string `json:"amount"`
	// Measure, Quantity and ShownIn are the sum as stored: Quantity in
	// g for "mass", ml for "volume", else in the unit Measure names.
	Measure  string   `json:"measure"`
	Quantity *float64 `json:"quantity"`
	ShownIn  string   `json:"shown_in"`
	Aisle    string   `json:"aisle"`
	Checked  bool     `json:"checked"`
	// CheckedBy is who ticked it (display name), "" while unticked or
	// once their account is gone.
	CheckedBy string     `json:"checked_by"`
	CheckedAt *time.Time `json:"checked_at"`
	Sources   []Source   `json:"sources"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// ListSummary is a list as the household's lists show it.
type ListSummary struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Version counts the list's changes; a copy with the same version
	// is up to date.
	Version   int64     `json:"version"`
	Items     int       `json:"items"`
	Checked   int       `json:"checked"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// List is a list with its lines, unchecked first, each part by aisle
// and then name.
type List struct {
	ListSummary
	Lines []Item `json:"lines"`
}

// AddResult says what an addition did.
type AddResult struct {
	// Added is how many lines were added or merged into.
	Added int `json:"added"`
	// Staples are the pantry staples left out ("salt", "olive oil").
	Staples []string `json:"staples_skipped"`
	// Hidden is how many planned recipes the caller may not read and so
	// added nothing.
	Hidden int `json:"recipes_hidden"`
	// List is the list afterwards.
	List *List `json:"list"`
}

// NormalizeListName checks a list's name.
func NormalizeListName(errs *validate.Errors, name string) string {
	return validate.Text(errs, "name", name, 1, MaxListName, false)
}

// What a member is told when a list cannot take more; the API and the
// pages say the same.
var (
	TooManyListsMessage = fmt.Sprintf("Your household has %d shopping lists, the most it may have; delete one first.", MaxLists)
	ListFullMessage     = fmt.Sprintf("This list has %d lines, the most a list may have; clear the ticked ones or start another list.", MaxItems)
)
