package ai

import "strings"

// form is the kind of dish a recipe makes, read from its steps and
// ingredients: a soup, a cake, a stir-fry.
type form struct {
	key string // also its title word: "stir-fry", "pancakes"
	// desc opens a description: "A soup", "Pancakes". join follows it
	// before the ingredients: "made with" unless set.
	desc, join string
	tags       []string
	bake       bool // baked goods: tagged "baking", and flour may name it
	baked      bool // always baked, so "baked" says nothing of it
	// quiet forms are not told apart by how they are cooked: a soup of
	// roasted tomatoes is no roast.
	quiet    bool
	eggs     bool   // an egg dish, whose main ingredient is eggs
	spiced   bool   // spices go without saying (a curry): never "Spiced"
	course   string // a course tag it always has: "breakfast"
	sweetTag string // a course tag when sweet: "dessert" for a sweet pie
}

// forms in order of preference when two score the same: the more
// particular first, so muffins are not called cakes.
var forms = []*form{
	{key: "scrambled eggs", desc: "Scrambled eggs", eggs: true, course: "breakfast", quiet: true},
	{key: "omelette", desc: "An omelette", tags: []string{"omelette"}, quiet: true, eggs: true, course: "breakfast"},
	{key: "frittata", desc: "A frittata", tags: []string{"frittata"}, eggs: true},
	{key: "quiche", desc: "A quiche", tags: []string{"quiche"}, baked: true, eggs: true},
	{key: "pancakes", desc: "Pancakes", tags: []string{"pancakes"}, quiet: true, course: "breakfast"},
	{key: "brownies", desc: "Brownies", tags: []string{"brownies"}, bake: true, baked: true, course: "dessert"},
	{key: "muffins", desc: "Muffins", tags: []string{"muffins"}, bake: true, baked: true},
	{key: "cookies", desc: "Cookies", tags: []string{"cookies"}, bake: true, baked: true},
	{key: "scones", desc: "Scones", tags: []string{"scones"}, bake: true, baked: true},
	{key: "pizza", desc: "A pizza", join: "topped with", tags: []string{"pizza"}, baked: true},
	{key: "tart", desc: "A tart", tags: []string{"tart"}, baked: true, sweetTag: "dessert"},
	{key: "pie", desc: "A pie", tags: []string{"pie"}, baked: true, sweetTag: "dessert"},
	{key: "risotto", desc: "A risotto", tags: []string{"risotto"}, quiet: true},
	{key: "stir-fry", desc: "A stir-fry", tags: []string{"stir-fry"}},
	{key: "curry", desc: "A curry", tags: []string{"curry"}, quiet: true, spiced: true},
	{key: "soup", desc: "A soup", tags: []string{"soup"}, quiet: true},
	{key: "stew", desc: "A stew", tags: []string{"stew"}, quiet: true},
	{key: "salad", desc: "A salad", tags: []string{"salad"}},
	{key: "burgers", desc: "Burgers", tags: []string{"burgers"}},
	{key: "tacos", desc: "Tacos", join: "filled with", tags: []string{"tacos"}},
	{key: "porridge", desc: "Porridge", tags: []string{"porridge"}, quiet: true, course: "breakfast"},
	{key: "granola", desc: "Granola", tags: []string{"granola"}, quiet: true, course: "breakfast"},
	{key: "smoothie", desc: "A smoothie", tags: []string{"smoothie"}, quiet: true},
	{key: "noodles", desc: "Noodles", join: "with", tags: []string{"noodles"}},
	{key: "pasta", desc: "Pasta", join: "with", tags: []string{"pasta"}},
	{key: "traybake", desc: "A traybake", tags: []string{"traybake"}, baked: true, sweetTag: "dessert"},
	{key: "bread", desc: "A loaf", tags: []string{"bread"}, bake: true, baked: true},
	{key: "cake", desc: "A cake", tags: []string{"cake"}, bake: true, baked: true},
}

// formByKey finds a form; the vocabularies' cues name forms by key.
var formByKey = func() map[string]*form {
	m := make(map[string]*form, len(forms))
	for _, f := range forms {
		m[f.key] = f
	}
	return m
}()

// method is how the main ingredient is cooked, which names a dish that
// is no particular form: "Roast Chicken", "Grilled Salmon".
type method struct {
	key string
	// title goes before a meat or fish ("Roast Chicken"), adj before
	// vegetables ("Roasted Carrots").
	title, adj string
	// past says what was done in a description: "Chicken thighs roasted
	// with lemon"; alone says it when nothing follows.
	past, alone string
	tag         string
}

// methods in order of preference when two score the same: the one that
// says most about the dish first.
var methods = []*method{
	{key: "slow-cook", title: "slow-cooked", adj: "slow-cooked", past: "slow-cooked", alone: "slow-cooked until tender", tag: "slow-cooked"},
	{key: "braise", title: "braised", adj: "braised", past: "braised", alone: "braised until tender", tag: "braised"},
	{key: "roast", title: "roast", adj: "roasted", past: "roasted", alone: "roasted in the oven", tag: "roasted"},
	{key: "grill", title: "grilled", adj: "grilled", past: "grilled", alone: "grilled over a high heat", tag: "grilled"},
	{key: "bake", title: "baked", adj: "baked", past: "baked", alone: "baked in the oven", tag: "baked"},
	{key: "poach", title: "poached", adj: "poached", past: "poached", alone: "gently poached"},
	{key: "steam", title: "steamed", adj: "steamed", past: "steamed", alone: "steamed until tender"},
	{key: "fry", title: "pan-fried", adj: "fried", past: "pan-fried", alone: "pan-fried until golden"},
}

var methodByKey = func() map[string]*method {
	m := make(map[string]*method, len(methods))
	for _, x := range methods {
		m[x.key] = x
	}
	return m
}()

// Thresholds a form's or a method's cues must reach: one dish word
// names a form; a single "fry the onion" does not make a dish pan-fried.
const (
	formThreshold   = 3
	methodThreshold = 2
)

// Cue weights: a dish named in the steps ("simmer the soup") outweighs
// what its ingredients suggest (pasta), which outweighs a utensil or a
// technique shared by several dishes (a loaf tin, kneading).
const (
	dishWord    = 6
	strongCue   = 4
	moderateCue = 2
	weakCue     = 1
)

// stepWords are the words of steps that say what a dish is or how it is
// cooked. form names a form or a method key, or "one-pot" and "one-pan",
// which are tags; an empty form is a phrase that only stops a shorter
// one matching ("baking powder" is no baking).
var stepWords = newVocabulary([]group{
	{form: "soup", cue: dishWord, phrases: "soup, chowder, bisque, broth"},
	{form: "soup", cue: weakCue, phrases: "ladle, hand blender, stick blender, immersion blender, blend until smooth"},
	{form: "stew", cue: dishWord, phrases: "stew, casserole, hotpot, goulash, tagine, chilli con carne, chili con carne"},
	{form: "curry", cue: dishWord, phrases: "curry, dal, dhal, korma, tikka masala, vindaloo, jalfrezi, biryani"},
	{form: "salad", cue: dishWord, phrases: "salad, slaw, coleslaw"},
	{form: "salad", cue: weakCue, phrases: "dressing, vinaigrette, toss"},
	{form: "stir-fry", cue: dishWord, phrases: "stir fry, stirfry"},
	{form: "stir-fry", cue: strongCue, phrases: "wok"},
	{form: "risotto", cue: dishWord, phrases: "risotto"},
	{form: "pasta", cue: moderateCue, phrases: "pasta, al dente, pasta water"},
	{form: "noodles", cue: weakCue, phrases: "noodle"},
	{form: "pancakes", cue: dishWord, phrases: "pancake, crêpe, crepe, hotcake"},
	{form: "pancakes", cue: weakCue, phrases: "batter, flip, griddle"},
	{form: "cookies", cue: dishWord, phrases: "cookie, biscuit"},
	{form: "brownies", cue: dishWord, phrases: "brownie, blondie"},
	{form: "muffins", cue: dishWord, phrases: "muffin, muffin tin, muffin case, cupcake"},
	{form: "scones", cue: dishWord, phrases: "scone"},
	{form: "cake", cue: dishWord, phrases: "cake, sponge, cake tin, sandwich tin"},
	{form: "cake", cue: moderateCue, phrases: "springform, springform tin, bundt"},
	{form: "cake", cue: weakCue, phrases: "frosting, icing, skewer, cocktail stick"},
	{form: "bread", cue: dishWord, phrases: "bread, focaccia, sourdough"},
	{form: "bread", cue: strongCue, phrases: "loaf tin, loaf pan"},
	{form: "bread", cue: moderateCue, phrases: "loaf, knead"},
	{form: "bread", cue: weakCue, phrases: "prove, proof, dough, rise, risen, proving"},
	{form: "pizza", cue: dishWord, phrases: "pizza"},
	{form: "pie", cue: dishWord, phrases: "pie, pie dish, pie tin"},
	{form: "pie", cue: weakCue, phrases: "pastry lid, crimp"},
	{form: "tart", cue: dishWord, phrases: "tart, tart tin, tart case, galette"},
	{form: "tart", cue: strongCue, phrases: "blind bake, baking beans"},
	{form: "quiche", cue: dishWord, phrases: "quiche"},
	{form: "traybake", cue: dishWord, phrases: "traybake, tray bake, sheet pan"},
	{form: "omelette", cue: dishWord, phrases: "omelette, omelet"},
	{form: "frittata", cue: dishWord, phrases: "frittata"},
	{form: "scrambled eggs", cue: dishWord, phrases: "scramble, scrambled"},
	{form: "porridge", cue: dishWord, phrases: "porridge"},
	{form: "granola", cue: dishWord, phrases: "granola"},
	{form: "smoothie", cue: dishWord, phrases: "smoothie"},
	{form: "burgers", cue: dishWord, phrases: "burger"},
	{form: "burgers", cue: moderateCue, phrases: "patty"},
	{form: "tacos", cue: dishWord, phrases: "taco"},

	{form: "slow-cook", cue: strongCue, phrases: "slow cooker, slow cook, slow cooked, crockpot, crock pot"},
	{form: "braise", cue: 3, phrases: "braise, braised, braising"},
	{form: "roast", cue: 3, phrases: "roast, roasted, roasting, roasting tin, roasting tray, roasting pan"},
	{form: "grill", cue: 3, phrases: "grill, grilled, grilling, barbecue, barbecued, bbq, chargrill, char grill, chargrilled"},
	{form: "grill", cue: moderateCue, phrases: "griddle pan"},
	{form: "bake", cue: moderateCue, phrases: "bake, baked, baking dish, ovenproof dish"},
	{form: "bake", cue: weakCue, phrases: "oven"},
	{form: "poach", cue: 3, phrases: "poach, poached, poaching"},
	{form: "steam", cue: 3, phrases: "steam, steamed, steamer"},
	{form: "fry", cue: 3, phrases: "pan fry, pan fried, shallow fry, shallow fried, deep fry, deep fried"},
	{form: "fry", cue: weakCue, phrases: "fry, fried, frying, sear, seared, sauté, saute, sautéed, sauteed"},

	{form: "one-pot", cue: 1, phrases: "one pot, single pot"},
	{form: "one-pan", cue: 1, phrases: "one pan, one tray, one skillet, single pan"},

	// Longer phrases that keep the words above from matching.
	{phrases: "baking powder, baking soda, baking paper, baking parchment, baking sheet, baking tray, " +
		"steaming hot, cake flour, bread flour, breadcrumb, bread crumb, pie crust, roast potato, sponge finger, " +
		"salad leaf, soup spoon, biscuit base, pastry brush, curry leaf, curry paste, curry powder, " +
		"pizza stone, stock pot, pasta sauce, cookie cutter"},
})

// heatWords show a step cooks something; a recipe with none, and no
// cooking time, is no-cook.
var heatWords = wordSet("oven bake baked baking bakes roast roasted roasting roasts grill grilled grilling " +
	"fry fried frying fries boil boiled boiling boils simmer simmered simmering simmers heat heated heating " +
	"heats preheat preheated cook cooked cooking cooks toast toasted toasting microwave microwaved steam " +
	"steamed steaming poach poached sear seared searing melt melted melting braise braised braising sauté " +
	"saute sautéed sauteed caramelise caramelised caramelize caramelized char charred blanch blanched " +
	"griddle barbecue bbq hob stove stovetop flambé scald scalded reheat warm warmed wok skillet pan saucepan")

// serveWords start what is served with a dish, not what it is: "serve
// with a green salad" makes a roast no salad, so the rest of a sentence
// after one of them gives no cues.
var serveWords = wordSet("serve served serving serves accompany accompanied alongside garnish garnished")

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// namedDish is a classic whose ingredients give it away, and whose name
// is then better than any made up of its ingredients.
type namedDish struct {
	// title is the dish's name; "%s" stands for the pasta it is made
	// with ("Spaghetti Carbonara").
	title string
	desc  string // how a description opens: "A Caesar salad"
	join  string // what follows desc: "made with" unless set
	form  string // the form it is a kind of, for its tags
	// needs lists what it must have: one of each inner list, each a
	// vocabulary phrase or title.
	needs [][]string
	// without lists what it must not have.
	without []string
	// protein puts a meat or fish that is not among needs before the
	// name: "Chicken Caesar Salad".
	protein  bool
	maxLines int      // the most ingredient lines it has; 0 for any
	tags     []string // what kind of dish it is, beyond its form's tags
	cuisine  string
}

var namedDishes = []*namedDish{
	{title: "caesar salad", desc: "A Caesar salad", form: "salad", protein: true,
		needs: [][]string{
			{"anchovy", "anchovy paste", "worcestershire sauce", "worcestershire", "caesar dressing"},
			{"parmesan", "caesar dressing"},
			{"romaine", "romaine lettuce", "cos lettuce", "little gem", "little gem lettuce", "lettuce"},
		}},
	{title: "%s carbonara", desc: "%s carbonara", join: "with", form: "pasta", cuisine: "italian",
		needs: [][]string{
			{"pasta"},
			{"egg", "egg yolk"},
			{"pancetta", "guanciale", "bacon", "streaky bacon", "lardon", "smoked bacon"},
			{"parmesan"},
		},
		without: []string{"tomato", "cherry tomato", "chicken"}},
	{title: "%s bolognese", desc: "%s bolognese", join: "with", form: "pasta", cuisine: "italian",
		needs: [][]string{
			{"pasta"},
			{"beef", "mince", "pork", "veal"},
			{"tomato"},
			{"onion"},
			{"carrot", "celery"},
		}},
	{title: "hummus", desc: "Hummus", maxLines: 10, tags: []string{"dip"},
		needs: [][]string{{"chickpea"}, {"tahini"}, {"lemon"}}},
	{title: "guacamole", desc: "Guacamole", maxLines: 10, tags: []string{"dip"}, cuisine: "mexican",
		needs:   [][]string{{"avocado"}, {"lime", "lemon"}, {"onion", "spring onion", "chilli", "coriander", "tomato"}},
		without: []string{"egg"}},
}

// cuisineRule names a cuisine when a recipe has at least need of its
// signals. Signals are ingredients seldom used outside the cuisine; a
// recipe qualifying for two cuisines gets neither, and a generic rule
// ("asian") applies only when no particular one does.
type cuisineRule struct {
	tag      string
	signals  []string // vocabulary phrases or titles
	need     int
	requires []string // one of these must be among them, if set
	generic  bool
}

var cuisines = []cuisineRule{
	{tag: "japanese", need: 2, signals: []string{"miso", "mirin", "sake", "dashi", "bonito", "katsuobushi",
		"wasabi", "sushi rice", "udon", "udon noodle", "soba", "soba noodle", "nori", "kombu", "panko", "teriyaki"}},
	{tag: "chinese", need: 2, signals: []string{"shaoxing wine", "shaoxing rice wine", "five spice",
		"chinese five spice", "hoisin", "hoisin sauce", "oyster sauce", "black bean sauce", "sichuan peppercorn",
		"szechuan peppercorn", "black vinegar", "dark soy sauce", "star anise"}},
	{tag: "thai", need: 2, signals: []string{"lemongrass", "lemon grass", "lime leaf", "thai basil", "fish sauce",
		"thai curry paste", "red curry paste", "green curry paste", "yellow curry paste", "massaman curry paste",
		"panang curry paste", "palm sugar"}},
	{tag: "korean", need: 2, signals: []string{"gochujang", "sesame oil", "rice vinegar", "soy"},
		requires: []string{"gochujang"}},
	{tag: "indian", need: 2, signals: []string{"garam masala", "turmeric", "curry leaf", "fenugreek",
		"fenugreek seed", "asafoetida", "paneer", "ghee", "mustard seed", "black mustard seed", "nigella seed",
		"basmati rice", "basmati", "naan", "dal", "dhal", "chana dal", "toor dal", "urad dal", "masoor dal",
		"kasuri methi", "amchur", "chaat masala", "tikka paste", "tikka masala paste", "tandoori paste",
		"korma paste", "madras paste", "kashmiri chilli powder", "cardamom pod"}},
	{tag: "mexican", need: 2, signals: []string{"tortilla", "corn tortilla", "flour tortilla", "taco shell",
		"jalapeño", "jalapeno", "chipotle", "chipotle paste", "chipotle in adobo", "taco seasoning",
		"black bean", "pinto bean", "salsa", "avocado"}},
	{tag: "italian", need: 2, signals: []string{"parmesan", "pancetta", "guanciale", "prosciutto", "parma ham",
		"mozzarella", "buffalo mozzarella", "burrata", "mascarpone", "risotto rice", "arborio", "arborio rice",
		"carnaroli", "carnaroli rice", "polenta", "pesto", "balsamic vinegar", "balsamic", "nduja", "ricotta",
		"gnocchi", "marsala"}},
	{tag: "middle eastern", need: 2, signals: []string{"tahini", "sumac", "za atar", "zaatar", "baharat",
		"bulgur", "bulgur wheat", "bulghur", "freekeh", "labneh", "pitta", "pitta bread", "pita"}},
	{tag: "asian", need: 2, generic: true, requires: []string{"soy"},
		signals: []string{"soy", "ginger", "sesame oil", "toasted sesame oil", "rice vinegar", "rice wine vinegar",
			"mirin", "sesame", "sesame seed", "pak choi", "pak choy", "bok choy", "rice noodle", "egg noodle",
			"hoisin", "oyster sauce", "sriracha"}},
}

// init checks, when the package loads, that every cue names a form,
// a method or a tag, and every rule a vocabulary phrase or title.
func init() {
	for _, es := range stepWords.byFirst {
		for _, e := range es {
			checkCue(e)
		}
	}
	for _, es := range ingredients.byFirst {
		for _, e := range es {
			checkCue(e)
		}
	}
	for _, d := range namedDishes {
		for _, any := range d.needs {
			ingredients.mustKnow(any...)
		}
		ingredients.mustKnow(d.without...)
	}
	for _, c := range cuisines {
		ingredients.mustKnow(c.signals...)
		ingredients.mustKnow(c.requires...)
	}
}

func checkCue(e *entry) {
	switch {
	case e.form == "", e.form == "one-pot", e.form == "one-pan":
	case formByKey[e.form] != nil, methodByKey[e.form] != nil:
	default:
		panic("ai: cue " + e.phrase + " names no form or method: " + e.form)
	}
}
