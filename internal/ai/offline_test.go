package ai

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/recipe"
)

func suggest(in recipe.Input) Suggestion { return Offline{}.Suggest(in) }

// TestOfflineSuggest pins what the shared recipes get, word for word.
func TestOfflineSuggest(t *testing.T) {
	for _, c := range []struct {
		name  string
		in    recipe.Input
		title string
		desc  string // "" to check the title and tags only
		tags  []string
	}{
		{"roast chicken", roastChicken, "Lemon and Garlic Roast Chicken",
			"Chicken thighs roasted with lemons, garlic and thyme. Ready in about 55 minutes; serves 4.",
			[]string{"chicken", "roasted"}},
		{"lentil soup", lentilSoup, "Tomato and Lentil Soup",
			"A soup made with tomatoes, red lentils, carrots and garlic. Ready in about 55 minutes; serves 6.",
			[]string{"soup", "lentils", "vegetarian", "vegan"}},
		{"carrot cake", carrotCake, "Spiced Carrot Cake",
			"A cake made with carrots, walnuts and warm spices. Ready in about 1 hour 10 minutes; serves 12.",
			[]string{"cake", "baking", "vegetarian"}},
		{"pancakes", pancakes, "Blueberry Pancakes",
			"Pancakes made with blueberries and maple syrup. Ready in about 25 minutes; serves 4.",
			[]string{"pancakes", "breakfast", "vegetarian", "quick"}},
		{"stir-fry", stirFry, "Chicken and Broccoli Stir-Fry", "",
			[]string{"stir-fry", "chicken", "noodles", "asian", "quick"}},
		{"vegan curry", veganCurry, "Chickpea Curry",
			"A curry made with chickpeas, spinach, coconut milk and lime. Ready in about 40 minutes; serves 4.",
			[]string{"curry", "chickpeas", "vegetarian", "vegan", "indian"}},
		{"salmon", bakedSalmon, "Lemon and Dill Baked Salmon",
			"Salmon fillets baked with lemon, dill and garlic. Ready in about 20 minutes; serves 4.",
			[]string{"fish", "baked", "quick"}},
		{"caesar salad", caesarSalad, "Caesar Salad",
			"A Caesar salad made with romaine lettuces, parmesan and anchovy fillets. Ready in about 25 minutes; serves 2.",
			[]string{"salad", "quick"}},
		{"bread", whiteBread, "White Bread",
			"A loaf made with strong white bread flour and fast-action dried yeast. Ready in about 2 hours 35 minutes; serves 1.",
			[]string{"bread", "baking", "vegetarian", "vegan"}},
		{"cookies", cookies, "Chocolate Chip Cookies", "",
			[]string{"cookies", "baking", "chocolate", "vegetarian", "quick"}},
		{"sausage pasta", sausagePasta, "Sausage and Tomato Rigatoni",
			"Rigatoni with pork sausages, tomatoes, parmesan and garlic. Ready in about 35 minutes; serves 4.",
			[]string{"pasta", "pork"}},
		{"steps only", stepsOnly, "Tomato Soup", "A soup made with tomatoes and garlic.", []string{"soup"}},
		{"greek salad", greekSalad, "Tomato and Cucumber Salad", "",
			[]string{"salad", "no-cook", "vegetarian", "quick"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := suggest(c.in)
			if got.Title != c.title {
				t.Errorf("title %q, want %q", got.Title, c.title)
			}
			if c.desc != "" && got.Description != c.desc {
				t.Errorf("description\n%q, want\n%q", got.Description, c.desc)
			}
			if !slices.Equal(got.Tags, c.tags) {
				t.Errorf("tags %q, want %q", got.Tags, c.tags)
			}
		})
	}
}

// TestOfflineClassics covers dishes with a name of their own and the
// rules that name the others.
func TestOfflineClassics(t *testing.T) {
	for _, c := range []struct {
		name    string
		in      recipe.Input
		title   string
		hasTags []string
		notTags []string
	}{
		{"carbonara", recipe.Input{
			Ingredients: lines("400 g spaghetti", "150 g pancetta, diced", "3 large eggs", "50 g pecorino, grated", "black pepper"),
			Steps:       []string{"Cook the spaghetti. Fry the pancetta until crisp. Beat the eggs with the cheese and toss everything together off the heat."},
		}, "Spaghetti Carbonara", []string{"pasta", "pork", "italian"}, []string{"vegetarian"}},
		{"bolognese", recipe.Input{
			Ingredients: lines("500 g beef mince", "1 onion", "1 carrot", "1 stick celery", "2 cans chopped tomatoes", "400 g spaghetti"),
			Steps:       []string{"Brown the mince, add the vegetables and tomatoes, simmer for an hour, then serve with the spaghetti."},
		}, "Spaghetti Bolognese", []string{"pasta", "beef", "italian"}, nil},
		{"hummus", recipe.Input{
			Ingredients: lines("1 can chickpeas, drained", "2 tbsp tahini", "juice of 1 lemon", "1 clove garlic", "3 tbsp olive oil"),
			Steps:       []string{"Blend everything until smooth, loosening with a little water."},
		}, "Hummus", []string{"dip", "no-cook", "vegan"}, nil},
		{"guacamole", recipe.Input{
			Ingredients: lines("2 ripe avocados", "juice of 1 lime", "½ red onion, finely chopped", "1 red chilli", "small bunch coriander"),
			Steps:       []string{"Mash the avocados with the lime juice and stir in the rest."},
		}, "Guacamole", []string{"dip", "mexican", "vegan"}, nil},
		{"roast vegetables", recipe.Input{
			Ingredients: lines("4 carrots", "3 parsnips", "2 tbsp honey", "few sprigs thyme", "2 tbsp olive oil"),
			Steps:       []string{"Toss everything together and roast at 200°C for 40 minutes."},
		}, "Honey Roasted Carrots and Parsnips", []string{"roasted", "vegetarian"}, []string{"vegan"}},
		{"beef stew", recipe.Input{
			Ingredients: lines("1 kg stewing beef", "2 onions", "3 carrots", "500 ml beef stock", "2 tbsp plain flour", "1 bay leaf"),
			Steps:       []string{"Brown the beef, add everything else and cook the stew in a low oven for 3 hours."},
			CookMinutes: minutes(200),
		}, "Beef and Carrot Stew", []string{"stew", "beef", "slow-cooked"}, []string{"quick"}},
		{"vegan sausages", recipe.Input{
			Ingredients: lines("8 vegan sausages", "1 can cannellini beans", "1 can chopped tomatoes", "1 onion", "1 tsp smoked paprika"),
			Steps:       []string{"Brown the sausages in one pan, add the rest and simmer the casserole for 20 minutes."},
		}, "Vegan Sausage and Cannellini Bean Stew", []string{"stew", "beans", "one-pan", "vegetarian", "vegan"}, []string{"pork"}},
		{"omelette", recipe.Input{
			Ingredients: lines("3 eggs", "knob of butter", "30 g cheddar, grated", "2 slices ham, chopped"),
			Steps:       []string{"Beat the eggs, melt the butter in a pan, pour in the eggs and cook the omelette until just set. Fill with the cheese and ham."},
		}, "Ham and Cheese Omelette", []string{"omelette", "breakfast", "pork", "eggs"}, nil},
		{"banana bread", recipe.Input{
			Ingredients: lines("3 ripe bananas", "75 g butter, melted", "150 g light brown sugar", "1 egg", "225 g self-raising flour", "100 g walnuts"),
			Steps:       []string{"Mash the bananas, mix in everything else, scrape into a loaf tin and bake for 1 hour."},
		}, "Banana Bread", []string{"bread", "baking"}, []string{"baked"}},
		{"onion soup", recipe.Input{
			Ingredients: lines("1 kg onions, sliced", "50 g butter", "1.5 litres beef stock", "4 slices baguette", "100 g gruyère"),
			Steps:       []string{"Cook the onions in the butter for 45 minutes, add the stock and simmer the soup for 20 minutes."},
		}, "Onion Soup", []string{"soup"}, []string{"vegetarian"}},
		{"thai green curry", recipe.Input{
			Ingredients: lines("2 tbsp green curry paste", "400 ml coconut milk", "500 g chicken thighs", "1 tbsp fish sauce",
				"1 stalk lemongrass", "4 lime leaves", "handful thai basil"),
			Steps: []string{"Fry the paste, add the coconut milk and chicken and simmer for 15 minutes."},
		}, "Chicken and Coconut Curry", []string{"curry", "chicken", "thai"}, []string{"asian"}},
		{"miso salmon", recipe.Input{
			Ingredients: lines("2 salmon fillets", "2 tbsp white miso", "1 tbsp mirin", "1 tbsp soy sauce"),
			Steps:       []string{"Brush the salmon with the miso, mirin and soy and grill for 8 minutes."},
		}, "Miso and Soy Grilled Salmon", []string{"fish", "grilled", "japanese"}, nil},
		{"apple pie", recipe.Input{
			Ingredients: lines("500 g shortcrust pastry", "1 kg bramley apples", "100 g caster sugar", "1 tsp cinnamon"),
			Steps:       []string{"Line a pie dish with the pastry, fill with the apples and sugar, top with a lid and bake for 45 minutes."},
		}, "Bramley Apple Pie", []string{"pie", "dessert", "vegetarian"}, []string{"vegan", "baked"}},
		{"lasagne", recipe.Input{
			Ingredients: lines("12 lasagne sheets", "500 g beef mince", "2 cans chopped tomatoes", "500 ml milk", "50 g butter",
				"50 g plain flour", "100 g parmesan"),
			Steps: []string{"Make a meat sauce and a white sauce, layer with the lasagne sheets and bake for 40 minutes."},
		}, "Beef and Tomato Lasagne", []string{"pasta", "beef", "baked"}, nil},
		{"served with a salad is no salad", recipe.Input{
			Ingredients: roastChicken.Ingredients,
			Steps:       append(slices.Clone(roastChicken.Steps), "Serve with a green salad and crusty bread."),
		}, "Lemon and Garlic Roast Chicken", []string{"chicken", "roasted"}, []string{"salad", "bread"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := suggest(c.in)
			if got.Title != c.title {
				t.Errorf("title %q, want %q", got.Title, c.title)
			}
			for _, tag := range c.hasTags {
				if !slices.Contains(got.Tags, tag) {
					t.Errorf("tags %q lack %q", got.Tags, tag)
				}
			}
			for _, tag := range c.notTags {
				if slices.Contains(got.Tags, tag) {
					t.Errorf("tags %q have %q", got.Tags, tag)
				}
			}
		})
	}
}

// allRecipes are the shared recipes and a few odd ones, for the tests of
// properties every suggestion has.
func allRecipes() []recipe.Input {
	var out []recipe.Input
	for _, r := range testRecipes {
		out = append(out, r.in)
	}
	return append(out,
		recipe.Input{Ingredients: lines("1 chicken breast")},
		recipe.Input{Ingredients: lines("2 salmon fillets", "200 g rice")},
		recipe.Input{Ingredients: lines("500 ml water", "1 tsp salt"), Servings: people(1)},
		recipe.Input{Steps: []string{"Mix well."}, PrepMinutes: minutes(75)},
		recipe.Input{Title: "Granny's special", Ingredients: lines("2 zorbs", "1 flimflam"), Steps: []string{"Blend."}},
	)
}

var (
	marketingWords = regexp.MustCompile(`(?i)\b(delicious|recipe|tasty|yummy|perfect|best|amazing|easy)\b`)
	digits         = regexp.MustCompile(`\d`)
)

// TestOfflineGrammar checks what every suggestion's text obeys: titles in
// Title Case with no filler words, descriptions of whole sentences.
func TestOfflineGrammar(t *testing.T) {
	for _, in := range allRecipes() {
		s := suggest(in)
		if m := marketingWords.FindString(s.Title + " " + s.Description); m != "" {
			t.Errorf("%q / %q says %q", s.Title, s.Description, m)
		}
		if digits.MatchString(s.Title) {
			t.Errorf("title %q has a number", s.Title)
		}
		checkTitleCase(t, s.Title)
		checkSentences(t, s.Description)
	}
}

// checkTitleCase: every word capitalised (each part of a hyphenated
// one), but the small words after the first, which are lower case.
func checkTitleCase(t *testing.T, title string) {
	t.Helper()
	if title != strings.Join(strings.Fields(title), " ") {
		t.Errorf("title %q has stray spaces", title)
	}
	for i, w := range strings.Fields(title) {
		if i > 0 && smallWords[strings.ToLower(w)] {
			if w != strings.ToLower(w) {
				t.Errorf("title %q: small word %q is capitalised", title, w)
			}
			continue
		}
		for _, part := range strings.Split(w, "-") {
			if r, _ := utf8.DecodeRuneInString(part); !unicode.IsUpper(r) {
				t.Errorf("title %q: %q is not capitalised", title, part)
			}
		}
	}
}

// checkSentences: each sentence starts with a capital and ends with a
// full stop, with single spaces and no empty list items.
func checkSentences(t *testing.T, desc string) {
	t.Helper()
	if desc == "" {
		return
	}
	if !strings.HasSuffix(desc, ".") {
		t.Errorf("description %q does not end with a full stop", desc)
	}
	for _, bad := range []string{"  ", " .", " ,", ",,", "..", " ;", "and and", ", and"} {
		if strings.Contains(desc, bad) {
			t.Errorf("description %q has %q", desc, bad)
		}
	}
	for _, s := range strings.SplitAfter(desc, ". ") {
		if r, _ := utf8.DecodeRuneInString(s); !unicode.IsUpper(r) {
			t.Errorf("description %q: sentence %q starts in lower case", desc, s)
		}
	}
}

func TestTitleCase(t *testing.T) {
	for in, want := range map[string]string{
		"lemon and garlic roast chicken": "Lemon and Garlic Roast Chicken",
		"chicken and broccoli stir-fry":  "Chicken and Broccoli Stir-Fry",
		"roast chicken with potatoes":    "Roast Chicken with Potatoes",
		"and the rest":                   "And the Rest",
		"sun-dried tomato pasta":         "Sun-Dried Tomato Pasta",
		"gruyère soup":                   "Gruyère Soup",
	} {
		if got := titleCase(in); got != want {
			t.Errorf("titleCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJoinList(t *testing.T) {
	for _, c := range []struct {
		items []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c"}, "a, b and c"},
	} {
		if got := joinList(c.items); got != c.want {
			t.Errorf("joinList(%q) = %q, want %q", c.items, got, c.want)
		}
	}
}

func TestTimeAndServings(t *testing.T) {
	for _, c := range []struct {
		total, servings *int
		want            string
	}{
		{minutes(45), people(4), "Ready in about 45 minutes; serves 4."},
		{minutes(1), people(1), "Ready in about 1 minute; serves 1."},
		{minutes(60), nil, "Ready in about 1 hour."},
		{minutes(75), nil, "Ready in about 1 hour 15 minutes."},
		{minutes(121), nil, "Ready in about 2 hours 1 minute."},
		{minutes(3 * 24 * 60), nil, "Ready in about 3 days."},
		{nil, people(2), "Serves 2."},
		{minutes(0), people(0), ""},
		{nil, nil, ""},
		{minutes(-5), people(recipe.MaxServings + 1), ""},
	} {
		if got := timeAndServings(c.total, c.servings); got != c.want {
			t.Errorf("timeAndServings(%v, %v) = %q, want %q", deref(c.total), deref(c.servings), got, c.want)
		}
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestOfflineDeterministic: the same recipe gets the same answer, its tags
// do not depend on the order of its ingredients, and neither does its
// title when their weights tell them apart.
func TestOfflineDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, r := range testRecipes {
		want := suggest(r.in)
		if again := suggest(r.in); !reflect.DeepEqual(again, want) {
			t.Errorf("%s: %+v, then %+v", r.name, want, again)
		}
		for range 5 {
			shuffled := r.in
			shuffled.Ingredients = slices.Clone(r.in.Ingredients)
			rng.Shuffle(len(shuffled.Ingredients), func(i, j int) {
				shuffled.Ingredients[i], shuffled.Ingredients[j] = shuffled.Ingredients[j], shuffled.Ingredients[i]
			})
			got := suggest(shuffled)
			if !slices.Equal(got.Tags, want.Tags) {
				t.Errorf("%s shuffled: tags %q, want %q", r.name, got.Tags, want.Tags)
			}
			if got.Title != want.Title {
				t.Errorf("%s shuffled: title %q, want %q", r.name, got.Title, want.Title)
			}
		}
	}
}

// TestOfflineTiebreak: when weights cannot tell two ingredients apart,
// the one listed first is named first.
func TestOfflineTiebreak(t *testing.T) {
	in := recipe.Input{
		Ingredients: lines("200 g feta", "1 cucumber", "4 tomatoes", "2 tbsp olive oil"),
		Steps:       []string{"Chop and toss together."},
	}
	if got := suggest(in).Title; got != "Tomato and Feta Salad" {
		t.Errorf("feta first: %q", got)
	}
	in.Ingredients[0], in.Ingredients[1] = in.Ingredients[1], in.Ingredients[0]
	if got := suggest(in).Title; got != "Tomato and Cucumber Salad" {
		t.Errorf("cucumber first: %q", got)
	}
}

// TestOfflineLeavesInputAlone: suggesting reads the recipe, it does not
// parse its lines in place.
func TestOfflineLeavesInputAlone(t *testing.T) {
	in := lentilSoup
	in.Ingredients = slices.Clone(lentilSoup.Ingredients)
	in.Steps = slices.Clone(lentilSoup.Steps)
	suggest(in)
	if !reflect.DeepEqual(in, lentilSoup) {
		t.Error("Suggest changed its input")
	}
}

// with is the recipe with more ingredient lines.
func with(in recipe.Input, more ...string) recipe.Input {
	in.Ingredients = append(slices.Clone(in.Ingredients), lines(more...)...)
	return in
}

// TestOfflineDiets: vegetarian and vegan only when safe.
func TestOfflineDiets(t *testing.T) {
	for _, c := range []struct {
		name              string
		in                recipe.Input
		vegetarian, vegan bool
	}{
		{"lentil soup", lentilSoup, true, true},
		{"vegan curry", veganCurry, true, true},
		{"bread", whiteBread, true, true},
		{"carrot cake has eggs", carrotCake, true, false},
		{"greek salad has feta", greekSalad, true, false},
		{"caesar salad has anchovies", caesarSalad, false, false},
		{"greek salad with anchovies", with(greekSalad, "4 anchovy fillets"), false, false},
		{"with fish sauce", with(greekSalad, "1 tsp fish sauce"), false, false},
		{"with Worcestershire sauce", with(greekSalad, "dash of Worcestershire sauce"), false, false},
		{"with gelatine", with(greekSalad, "2 gelatine leaves"), false, false},
		{"with parmesan", with(greekSalad, "20 g Parmesan"), false, false},
		{"with bacon", with(greekSalad, "4 rashers streaky bacon"), false, false},
		{"with prawns", with(greekSalad, "200 g king prawns"), false, false},
		{"with chicken stock", with(lentilSoup, "100 ml chicken stock"), false, false},
		{"stock of no kind", recipe.Input{Ingredients: lines("1 onion", "200 g red lentils", "1 litre stock")}, false, false},
		{"chicken stock as the alternative", recipe.Input{
			Ingredients: lines("1 onion", "200 g red lentils", "1 litre vegetable stock (or chicken stock)")}, false, false},
		{"an ingredient not understood", with(lentilSoup, "50 g capocollo"), false, false},
		{"too few ingredients", recipe.Input{Ingredients: lines("1 onion", "200 g red lentils")}, false, false},
		{"bacon only in the steps", recipe.Input{Ingredients: lines("1 head broccoli", "2 cloves garlic", "1 lemon"),
			Steps: []string{"Roast the broccoli with the garlic.", "Serve scattered with crispy bacon."}}, false, false},
		{"butter only in the steps", recipe.Input{Ingredients: lines("1 head broccoli", "2 cloves garlic", "1 lemon"),
			Steps: []string{"Fry the broccoli in butter with the garlic."}}, true, false},
		{"vegan butter", recipe.Input{Ingredients: lines("200 g plain flour", "100 g vegan butter", "50 g sugar"),
			Steps: []string{"Rub the butter into the flour, stir in the sugar and bake."}}, true, true},
		{"honey", with(lentilSoup, "1 tbsp honey"), true, false},
		{"vegetarian sausages", recipe.Input{Ingredients: lines("8 vegetarian sausages", "1 onion", "1 can baked beans")}, true, false},
		{"butter beans and peanut butter", recipe.Input{
			Ingredients: lines("1 can butter beans", "2 tbsp peanut butter", "1 can coconut milk")}, true, true},
		{"goat's cheese is no goat", recipe.Input{Ingredients: lines("100 g goat's cheese", "1 beetroot", "handful rocket")}, true, false},
		{"steps only", stepsOnly, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tags := suggest(c.in).Tags
			if got := slices.Contains(tags, "vegetarian"); got != c.vegetarian {
				t.Errorf("vegetarian = %v, want %v (tags %q)", got, c.vegetarian, tags)
			}
			if got := slices.Contains(tags, "vegan"); got != c.vegan {
				t.Errorf("vegan = %v, want %v (tags %q)", got, c.vegan, tags)
			}
		})
	}
}

// checkValid runs a suggestion through the recipe rules every write
// passes: the title, description and tags must raise no problem.
func checkValid(t *testing.T, s Suggestion) {
	t.Helper()
	in := recipe.Input{Title: s.Title, Description: s.Description, Tags: slices.Clone(s.Tags)}
	if in.Title == "" {
		in.Title = "x"
	}
	for _, e := range in.Normalize() {
		t.Errorf("%+v: %s: %s", s, e.Field, e.Message)
	}
	if !slices.Equal(in.Tags, s.Tags) {
		t.Errorf("tags %q normalise to %q", s.Tags, in.Tags)
	}
	if len(s.Tags) > recipe.MaxTags {
		t.Errorf("%d tags", len(s.Tags))
	}
}

func TestOfflineValid(t *testing.T) {
	for _, in := range allRecipes() {
		checkValid(t, suggest(in))
	}
}

// everyTag is every tag the generator can give.
func everyTag() []string {
	tags := []string{"vegetarian", "vegan", "quick", "no-cook", "one-pot", "one-pan", "slow-cooked", "baking"}
	for _, f := range forms {
		tags = append(append(tags, f.tags...), f.course, f.sweetTag)
	}
	for _, m := range methods {
		tags = append(tags, m.tag)
	}
	for _, d := range namedDishes {
		tags = append(append(tags, d.tags...), d.cuisine)
	}
	for _, c := range cuisines {
		tags = append(tags, c.tag)
	}
	tags = append(tags, classOrder...)
	return slices.DeleteFunc(tags, func(s string) bool { return s == "" })
}

// TestEveryTagValid checks the whole vocabulary of tags against the
// recipe rules, twenty at a time (recipe.MaxTags).
func TestEveryTagValid(t *testing.T) {
	tags := everyTag()
	slices.Sort(tags)
	tags = slices.Compact(tags)
	if len(tags) < 40 {
		t.Fatalf("only %d tags", len(tags))
	}
	for chunk := range slices.Chunk(tags, recipe.MaxTags) {
		in := recipe.Input{Title: "x", Tags: slices.Clone(chunk)}
		for _, e := range in.Normalize() {
			t.Errorf("%s: %s", e.Field, e.Message)
		}
		if !slices.Equal(in.Tags, chunk) {
			t.Errorf("tags %q normalise to %q", chunk, in.Tags)
		}
	}
}

// TestOfflineKnownTags: tags the recipe has are not offered again, and
// the recipe's and the offered ones together stay within recipe.MaxTags.
func TestOfflineKnownTags(t *testing.T) {
	in := lentilSoup
	in.Tags = []string{" Soup", "VEGAN"}
	got := suggest(in).Tags
	if want := []string{"lentils", "vegetarian"}; !slices.Equal(got, want) {
		t.Errorf("tags %q, want %q", got, want)
	}

	in.Tags = nil
	for i := range recipe.MaxTags - 1 {
		in.Tags = append(in.Tags, "own tag "+string(rune('a'+i)))
	}
	if got := suggest(in).Tags; !slices.Equal(got, []string{"soup"}) {
		t.Errorf("with %d tags: %q, want only the first", len(in.Tags), got)
	}
	in.Tags = append(in.Tags, "one more")
	if got := suggest(in).Tags; len(got) != 0 {
		t.Errorf("with %d tags: %q, want none", len(in.Tags), got)
	}
}

// TestOfflineQuick: "quick" at half an hour, not a minute more, and never
// for a time not given.
func TestOfflineQuick(t *testing.T) {
	for _, c := range []struct {
		prep, cook *int
		quick      bool
	}{
		{minutes(10), minutes(20), true},
		{minutes(10), minutes(21), false},
		{nil, minutes(30), true},
		{nil, nil, false},
		{minutes(0), minutes(0), false},
	} {
		in := stirFry
		in.PrepMinutes, in.CookMinutes = c.prep, c.cook
		if got := slices.Contains(suggest(in).Tags, "quick"); got != c.quick {
			t.Errorf("prep %v, cook %v: quick = %v, want %v", deref(c.prep), deref(c.cook), got, c.quick)
		}
	}
}

// TestOfflineEmpty: nothing to go on, nothing proposed; tags still encode
// as a list.
func TestOfflineEmpty(t *testing.T) {
	for _, in := range []recipe.Input{
		{},
		{Title: "Soup", Description: "My favourite", PrepMinutes: minutes(10), Servings: people(2), Tags: []string{"soup"}},
		{Ingredients: lines("", "   "), Steps: []string{}},
	} {
		got := suggest(in)
		if got.Title != "" || got.Description != "" || len(got.Tags) != 0 {
			t.Errorf("%+v: got %+v", in, got)
		}
		b, err := json.Marshal(got)
		if err != nil || !strings.Contains(string(b), `"tags":[]`) {
			t.Errorf("encodes as %s, %v", b, err)
		}
	}
}

// TestOfflineExistingTitle: a recipe with a title still gets one.
func TestOfflineExistingTitle(t *testing.T) {
	in := roastChicken
	in.Title = "Sunday chicken"
	if got := suggest(in).Title; got != "Lemon and Garlic Roast Chicken" {
		t.Errorf("title %q", got)
	}
}

// TestOfflineReadsStepStartsOnly: only the first maxStepRunes of a step
// are read, so a dish word past them is not seen.
func TestOfflineReadsStepStartsOnly(t *testing.T) {
	filler := strings.Repeat("stir ", maxStepRunes/5)
	in := recipe.Input{Ingredients: lentilSoup.Ingredients}
	in.Steps = []string{"Simmer the soup. " + filler}
	if got := suggest(in).Title; !strings.HasSuffix(got, " Soup") {
		t.Errorf("dish word first: title %q", got)
	}
	in.Steps = []string{filler + " Simmer the soup."}
	if got := suggest(in).Title; strings.HasSuffix(got, " Soup") {
		t.Errorf("dish word past the limit was read: title %q", got)
	}
}

// TestOfflineReadsListStartsOnly: only the first recipe.MaxSteps steps
// and recipe.MaxIngredients ingredients are read.
func TestOfflineReadsListStartsOnly(t *testing.T) {
	in := recipe.Input{Ingredients: slices.Repeat(lines("1 tsp salt"), recipe.MaxIngredients-1)}
	in.Ingredients = append(in.Ingredients, lines("4 chicken thighs", "2 kg bacon")...)
	in.Steps = append(slices.Repeat([]string{"Mix."}, recipe.MaxSteps-1), "Roast the chicken.", "Make it a soup.")
	if got := suggest(in).Title; got != "Roast Chicken" {
		t.Errorf("title %q, want the last ingredient and step read to decide it", got)
	}
}

// TestOfflineLimits: a recipe beyond every limit is read within them.
func TestOfflineLimits(t *testing.T) {
	var in recipe.Input
	for range recipe.MaxIngredients * 3 {
		in.Ingredients = append(in.Ingredients, recipe.IngredientLine("2 chicken thighs "+strings.Repeat("and more chicken ", 100)))
	}
	for range recipe.MaxSteps * 3 {
		in.Steps = append(in.Steps, strings.Repeat("Roast the chicken with bacon and butter. ", 500))
	}
	s := suggest(in)
	checkValid(t, s)
	if s.Title == "" {
		t.Error("no title")
	}
}

// TestVocabulary checks the vocabulary's tables against each other.
func TestVocabulary(t *testing.T) {
	for _, v := range []*vocabulary{ingredients, stepWords} {
		for phrase, e := range v.byPhrase {
			// Every phrase is found as itself: none is hidden behind
			// another spelt the same once singular.
			toks := tokens(phrase, 100)
			spans := v.match(toks)
			if len(spans) != 1 || spans[0].e != e {
				t.Errorf("%q is not found as itself", phrase)
			}
			if e.title != strings.TrimSpace(e.title) || e.title == "" {
				t.Errorf("%q has title %q", phrase, e.title)
			}
			if e.class != "" && !slices.Contains(classOrder, e.class) {
				t.Errorf("%q has class %q, not in classOrder", phrase, e.class)
			}
		}
	}
	if len(ingredients.byPhrase) < 300 {
		t.Errorf("only %d ingredient phrases", len(ingredients.byPhrase))
	}
}

// FuzzOfflineSuggest: whatever the input, no panic, the same answer twice,
// and an answer the recipe rules accept.
func FuzzOfflineSuggest(f *testing.F) {
	for _, r := range testRecipes {
		var ings []string
		for _, ing := range r.in.Ingredients {
			ings = append(ings, ing.Original)
		}
		f.Add(r.in.Title, strings.Join(ings, "\n"), strings.Join(r.in.Steps, "\n"), 10, 20, 4)
	}
	f.Add("", "½ \xff cup\n(((\n-\n1e309 g salt", "Serve. serve serve\x00", -1, 1<<40, 0)
	f.Add("", "cloves of of of garlic\nvegan vegan\nand or with", "one pot one pan soup cake curry", 0, 0, 1)
	f.Fuzz(func(t *testing.T, title, ingredientText, stepText string, prep, cook, servings int) {
		in := recipe.Input{Title: title, PrepMinutes: &prep, CookMinutes: &cook, Servings: &servings}
		for _, l := range strings.Split(ingredientText, "\n") {
			in.Ingredients = append(in.Ingredients, recipe.IngredientLine(l))
		}
		in.Steps = strings.Split(stepText, "\n")
		s := suggest(in)
		if again := suggest(in); !reflect.DeepEqual(again, s) {
			t.Fatalf("%+v, then %+v", s, again)
		}
		if n := utf8.RuneCountInString(s.Title); n > recipe.MaxTitle {
			t.Fatalf("title of %d runes", n)
		}
		if m := marketingWords.FindString(s.Title); m != "" {
			t.Fatalf("title %q says %q", s.Title, m)
		}
		if s.Tags == nil {
			t.Fatal("nil tags")
		}
		checkTitleCase(t, s.Title)
		checkValid(t, s)
	})
}
