package platepic

import (
	"strings"
	"unicode"
)

// palette is a family of food colours; gloss is how much its food shines (sauces do, bread
// does not).
type palette struct {
	colours []rgb
	gloss   float64
}

func hexes(gloss float64, vs ...uint32) palette {
	p := palette{gloss: gloss}
	for _, v := range vs {
		p.colours = append(p.colours, hex(v))
	}
	return p
}

// The palettes a title's words choose from, muted a little from pure hues so the pictures
// read as cooked food under daylight rather than as paint.
var (
	reds    = hexes(0.55, 0xb8361f, 0xc9462a, 0xa32b1a, 0xd8623b, 0x962716)
	oranges = hexes(0.45, 0xd9822b, 0xc8651e, 0xe39a3c, 0xb8581c, 0xe8ad55)
	greens  = hexes(0.25, 0x5e8c3a, 0x7ba34a, 0x44702c, 0x96b85a, 0x567f34, 0xa8c46c)
	browns  = hexes(0.35, 0x5a3620, 0x70452a, 0x432716, 0x8a5a3a, 0x4e2e1b)
	yellows = hexes(0.35, 0xe8c14a, 0xf0d06a, 0xd9a932, 0xf3dc8c, 0xd09c2c)
	goldens = hexes(0.15, 0xc98b45, 0xd9a05a, 0xb87633, 0xe3b574, 0xa8672b)
	purples = hexes(0.5, 0x6b2340, 0x8a2e4f, 0x4a1a33, 0xa63a5c, 0x5b2c6f)
	creams  = hexes(0.2, 0xefe4cc, 0xe6d6b4, 0xf4ecda, 0xdcc9a3, 0xf8f1e2)
)

// style is how the food sits on the dish.
type style int

const (
	heap    style = iota // a mound of soft pieces: stir-fries, rice, roasts
	soup                 // a bowl of something smooth with things floating in it
	salad                // leaves, with bits of colour among them
	noodles              // strands, sauced
	round                // one round thing: pizza, pancake, tart, omelette
	pieces               // several separate things: cookies, bread, dumplings
)

// word is what one word of a title says about the picture.
type word struct {
	pal    *palette
	weight int // how strongly the word names the colour (a sauce more than a noun like "pasta")
	style  style
	styled bool // whether the word names a style
	sweet  bool
	eggs   bool
	slab   bool // pieces that are slices or squares, not rounds
	grains bool // a heap of small grains (rice), not of chunks
	chunky bool // a stew or curry: a bowl full of pieces
	pan    bool // cooked and served in a skillet
	slurp  bool // a soup with noodles in it
	single bool // one or two large pieces (a steak, a fillet) with something beside them
	curved bool // pieces shaped as crescents (croissants)
}

// words maps a word (or its stem: see lookup) to what it says. Colours are what a reader
// expects of the dish: tomato and pasta red, herbs green, chocolate brown, lemon and egg
// yellow, berries and beets crimson, rice and cream pale.
var words = func() map[string]word {
	m := map[string]word{}
	add := func(w word, keys ...string) {
		for _, k := range keys {
			m[k] = w
		}
	}
	add(word{pal: &reds, weight: 3}, "tomato", "marinara", "arrabbiata", "pomodoro", "salsa", "harissa",
		"paprika", "sriracha", "kimchi", "gazpacho", "ketchup", "strawberr", "watermelon", "pepper", "chorizo",
		"ragu", "ragù", "bolognese", "mapo", "ratatouille", "minestrone", "amatriciana", "puttanesca")
	add(word{pal: &reds, weight: 2}, "pizza", "tikka", "tinga", "chili", "chilli",
		"shakshuka", "ranchero", "rancheros", "pasta", "penne", "lasagn", "tandoori", "vindaloo")
	add(word{pal: &oranges, weight: 3}, "curry", "pumpkin", "squash", "carrot", "mango", "apricot", "orange",
		"peach", "salmon", "jollof", "paella", "laksa", "butternut")
	add(word{pal: &oranges, weight: 2}, "masala", "sweet", "korma", "goulash", "ramen")
	// What a dish is made of, more than what it looks like: a weak vote.
	add(word{pal: &oranges, weight: 1}, "prawn", "shrimp")
	add(word{pal: &greens, weight: 3}, "salad", "herb", "pesto", "green", "basil", "spinach", "kale", "avocado",
		"guacamole", "matcha", "broccoli", "asparagus", "cucumber", "zucchini", "courgette", "leek", "lime",
		"mint", "tabbouleh", "parsley", "cilantro", "coriander", "lettuce", "arugula", "rocket", "edamame",
		"chimichurri", "wakame", "caesar", "gremolata", "falafel")
	add(word{pal: &greens, weight: 2}, "pea", "peas", "bean", "beans", "verde")
	add(word{pal: &browns, weight: 3}, "chocolat", "coffee", "brownie", "cocoa", "mocha", "espresso", "caramel",
		"toffee", "mole", "teriyaki", "gravy", "barbecue", "bbq", "mushroom", "tiramisu", "hoisin")
	add(word{pal: &browns, weight: 2}, "steak", "stew", "burger", "meatball", "lentil", "soy", "onion",
		"brisket", "bourguignon", "chai", "vin", "date", "dates")
	add(word{pal: &browns, weight: 1}, "beef", "pork", "lamb")
	add(word{pal: &yellows, weight: 3}, "lemon", "egg", "eggs", "corn", "polenta", "saffron", "milanese",
		"omelette", "omelet", "custard", "turmeric", "pineapple", "banana", "carbonara", "frittata", "dal",
		"dhal", "daal", "mac", "macaroni", "cheese", "cheesy", "butter")
	add(word{pal: &goldens, weight: 2}, "bread", "focaccia", "croissant", "pancake", "waffle", "toast", "pie",
		"tart", "cookie", "biscuit", "crepe", "crêpe", "cake", "muffin", "scone", "pastry", "fried", "tempura",
		"roast", "fritter", "dumpling", "gyoza", "taco", "tacos", "bun", "buns", "biryani",
		"schnitzel", "nugget", "granola", "flapjack", "pretzel", "bagel", "sandwich", "quesadilla", "empanada")
	add(word{pal: &goldens, weight: 1}, "chicken", "turkey")
	add(word{pal: &purples, weight: 3}, "berr", "beet", "plum", "fig", "figs", "grape", "wine", "cabbage", "acai",
		"açaí", "cranberr", "borscht", "pomegranate", "aubergine", "eggplant", "cherr", "blackcurrant")
	add(word{pal: &creams, weight: 3}, "rice", "cream", "creamy", "yogurt", "yoghurt", "hummus", "porridge",
		"oat", "oats", "oatmeal", "risotto", "potato", "mash", "cauliflower", "tofu", "coconut", "raita",
		"lassi", "milk", "alfredo", "bechamel", "vanilla", "white", "garlic", "chowder", "congee", "tzatziki",
		"panna", "pudding", "meringue", "noodle", "udon", "miso", "feta", "ricotta", "burrata")
	add(word{pal: &creams, weight: 1}, "cod", "fish", "haddock", "buttermilk")
	// A slice, not a map, so a word in two lists gets the same style on every run.
	styles := []struct {
		style style
		keys  []string
	}{
		{soup, []string{"soup", "stew", "curry", "ramen", "dal", "dhal", "daal", "broth", "chowder", "bisque",
			"porridge", "oatmeal", "masala", "minestrone", "pho", "laksa", "gazpacho", "congee", "borscht",
			"lassi", "chai", "smoothie", "hummus", "guacamole", "raita", "dip", "tzatziki", "miso", "gumbo",
			"goulash", "tagine", "korma", "vindaloo", "chili", "bourguignon", "vin", "udon", "soba"}},
		{salad, []string{"salad", "slaw", "tabbouleh", "panzanella", "greens", "caesar"}},
		{noodles, []string{"pasta", "spaghetti", "linguine", "tagliatelle", "pappardelle", "fettuccine", "noodle",
			"udon", "soba", "pad", "mein", "carbonara", "bolognese", "alfredo", "bucatini", "vermicelli"}},
		{round, []string{"pizza", "pancake", "crepe", "crêpe", "tortilla", "omelette", "omelet", "frittata", "tart",
			"pie", "quiche", "cake", "galette", "flatbread", "shakshuka", "tostada", "ranchero", "rancheros",
			"rosti", "quesadilla", "pavlova", "cheesecake"}},
		{pieces, []string{"cookie", "biscuit", "brownie", "bread", "focaccia", "croissant", "muffin", "scone", "bun",
			"buns", "roll", "rolls", "dumpling", "gyoza", "taco", "tacos", "falafel", "meatball", "sushi",
			"bar", "bars", "fritter", "doughnut", "donut", "bagel", "toast", "sandwich", "empanada",
			"samosa", "macaron", "flapjack", "pretzel", "nugget", "wing", "wings", "skewer", "kebab",
			"tiramisu", "fudge", "shortbread", "cornbread", "lasagne", "lasagna", "steak", "chop", "chops",
			"fillet", "fillets", "schnitzel", "cutlet", "cutlets", "tenderloin"}},
	}
	for _, s := range styles {
		for _, k := range s.keys {
			w := m[k]
			w.style, w.styled = s.style, true
			m[k] = w
		}
	}
	for _, k := range []string{"chocolat", "brownie", "cookie", "cake", "tiramisu", "pancake", "crepe",
		"crêpe", "muffin", "scone", "pie", "tart", "pudding", "custard", "caramel", "toffee", "meringue",
		"lassi", "smoothie", "banana", "berr", "strawberr", "cherr", "waffle", "doughnut", "donut",
		"macaron", "pavlova", "cheesecake", "granola", "flapjack", "panna", "vanilla", "croissant"} {
		w := m[k]
		w.sweet = true
		m[k] = w
	}
	for _, k := range []string{"brownie", "bread", "toast", "focaccia", "bar", "bars", "sandwich", "flapjack",
		"lasagn", "lasagne", "lasagna", "fudge", "shortbread", "cornbread", "tiramisu"} {
		w := m[k]
		w.slab = true
		m[k] = w
	}
	for _, k := range []string{"rice", "risotto", "biryani", "pilaf", "pilau", "couscous", "quinoa", "paella",
		"jollof", "congee"} {
		w := m[k]
		w.grains = true
		m[k] = w
	}
	for _, k := range []string{"stew", "curry", "masala", "chili", "chilli", "goulash", "tagine", "korma",
		"vindaloo", "bourguignon", "gumbo", "vin", "chowder", "minestrone", "dal", "dhal", "daal", "ramen", "pho",
		"laksa", "casserole", "cassoulet"} {
		w := m[k]
		w.chunky = true
		m[k] = w
	}
	for _, k := range []string{"shakshuka", "ranchero", "rancheros", "frittata", "paella", "skillet", "hash",
		"fajita", "fajitas", "tortilla"} {
		w := m[k]
		w.pan = true
		m[k] = w
	}
	for _, k := range []string{"steak", "chop", "chops", "fillet", "fillets", "schnitzel", "cutlet", "cutlets",
		"tenderloin"} {
		w := m[k]
		w.single, w.slab = true, true
		m[k] = w
	}
	for _, k := range []string{"ramen", "pho", "laksa", "udon", "soba", "noodle"} {
		w := m[k]
		w.slurp = true
		m[k] = w
	}
	for _, k := range []string{"croissant", "crescent", "cornetto"} {
		w := m[k]
		w.curved = true
		m[k] = w
	}
	for _, k := range []string{"egg", "eggs", "shakshuka", "ranchero", "rancheros", "benedict", "bibimbap"} {
		w := m[k]
		w.eggs = true
		m[k] = w
	}
	return m
}()

// look is what the title decides about the picture.
type look struct {
	main, accent *palette // accent is nil when the title names one colour family
	style        style
	styled       bool
	// body is the colour of the word that named the style: the dough of "chocolate chip
	// cookies" is a cookie's, and the chocolate only its chips.
	body                                                         *palette
	sweet, eggs, slab, grain, chunky, pan, curved, slurp, single bool
}

// lookup finds the entry for one lower-case word: the word itself, its singular, or a stem
// (four letters or more) it begins with, so "tomatoes", "berries" and "herbed" all count.
func lookup(w string) (word, bool) {
	if e, ok := words[w]; ok {
		return e, true
	}
	for _, cut := range []string{"es", "s"} {
		if s, ok := strings.CutSuffix(w, cut); ok {
			if e, ok := words[s]; ok {
				return e, true
			}
		}
	}
	// Longest stem first, so "cranberries" is a cranberry before it is a berry.
	for n := len(w) - 1; n >= 4; n-- {
		if e, ok := words[w[:n]]; ok {
			return e, true
		}
	}
	for i := 1; i+4 <= len(w); i++ { // compounds: "blueberry", "beetroot" inside a longer word
		for _, stem := range []string{"berr", "chocolat"} {
			if strings.HasPrefix(w[i:], stem) {
				return words[stem], true
			}
		}
	}
	return word{}, false
}

// connectors end the head of a title: what follows is what comes with the dish.
var connectors = map[string]bool{"with": true, "and": true, "on": true, "in": true, "over": true,
	"topped": true, "served": true, "alla": true, "al": true, "au": true}

// lookOf reads the title: the palettes its words weigh most, and the form named by the dish
// itself — the last word naming a form before a connector ("Oatmeal Raisin Cookies" are
// cookies, "Tomato Soup with Croutons" a soup), or failing that the first after one ("Beef Ragù
// with Pappardelle" is noodles).
func lookOf(title string) look {
	score := map[*palette]int{}
	var order []*palette
	var l look
	head := true
	var tail *word // the first word naming a form after the head
	for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if connectors[w] {
			head = false
			continue
		}
		e, ok := lookup(w)
		if !ok {
			continue
		}
		if e.pal != nil {
			if _, seen := score[e.pal]; !seen {
				order = append(order, e.pal)
			}
			score[e.pal] += e.weight
		}
		switch {
		case e.styled && head:
			l.style, l.styled, l.body = e.style, true, e.pal
		case e.styled && tail == nil:
			tail = &e
		}
		l.sweet = l.sweet || e.sweet
		l.eggs = l.eggs || e.eggs
		l.slab = l.slab || e.slab
		l.grain = l.grain || e.grains
		l.chunky = l.chunky || e.chunky
		l.pan = l.pan || e.pan
		l.curved = l.curved || e.curved
		l.slurp = l.slurp || e.slurp
		l.single = l.single || e.single
	}
	if !l.styled && tail != nil {
		l.style, l.styled, l.body = tail.style, true, tail.pal
	}
	// Highest score first; ties go to the word that came first.
	for _, p := range order {
		switch {
		case l.main == nil || score[p] > score[l.main]:
			l.main, l.accent = p, l.main
		case l.accent == nil || score[p] > score[l.accent]:
			l.accent = p
		}
	}
	return l
}
