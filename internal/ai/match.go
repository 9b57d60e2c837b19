package ai

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// role is what an ingredient does in a dish, which decides whether it can
// name it. The order is the order of preference for a title.
type role uint8

const (
	// roleQualifier words say what the rest of a line is not: "vegan
	// butter", "vegetarian sausages".
	roleQualifier role = iota + 1
	roleProtein        // meat, fish, tofu: the head of a dish's name
	roleFeatured       // vegetables, fruit, pulses, cheeses, nuts
	roleFlavour        // garlic, lemon, herbs, honey, chocolate
	roleSpice          // ground and whole spices
	roleAromatic       // onion, celery: in everything, so they name only onion soup
	roleBase           // pasta, rice, noodles, bread: the dish's form, not its name
	roleStaple         // salt, oil, flour, sugar, milk, stock
)

// diet is what an ingredient rules out. Each bit is a reason a dish may
// not be vegetarian or vegan.
type diet uint16

const (
	meat    diet = 1 << iota
	fish         // including anchovies, fish sauce and Worcestershire sauce
	seafood      // shellfish, oyster sauce, shrimp paste
	// animal is what is neither meat nor fish but comes of a slaughtered
	// animal: gelatine, lard, suet, and cheeses made with animal rennet.
	animal
	// maybeMeat is what is usually made of meat but has common meatless
	// versions: stock, sausages, mince. It rules out vegetarian unless
	// the line says otherwise ("vegetable stock", "vegan sausages").
	maybeMeat
	dairy
	egg
	honey
)

const (
	notVegetarian = meat | fish | seafood | animal | maybeMeat
	notVegan      = notVegetarian | dairy | egg | honey
)

// flag marks the few entries that play a part of their own.
type flag uint8

const (
	warm      flag = 1 << iota // a warm baking spice
	blend                      // a spice mix: a dish is "spiced" with it alone
	bakeTitle                  // a staple that may name a bake: "wholemeal flour"
	plain                      // says nothing of a dish: salt, pepper, water, oil
	sweet                      // sugar, honey, chocolate: a pie with it is a pudding
)

// entry is one phrase of the vocabulary.
type entry struct {
	phrase string   // lower-case words in the singular: "chicken thigh"
	words  []string // phrase split into words
	role   role
	// title is the word a title uses for it: "chicken" for "chicken
	// thigh", "lentil" for "red lentil". Singular, as a noun before
	// another noun is in English ("Lentil Soup", "Carrot Cake").
	title string
	class string // the main-ingredient tag it gives: "chicken", "pasta"
	diet  diet
	// clears is, for a qualifier, what it says the line's other words are
	// not: "vegan" clears everything, "dairy free" only dairy.
	clears diet
	each   float64 // grams in one counted piece ("2 carrots")
	count  bool    // a countable noun, made plural after "with"
	form   string  // the dish form it suggests, and by how much
	cue    int
	flags  flag
}

func (e *entry) has(f flag) bool { return e.flags&f != 0 }

// group gives many phrases the same attributes. phrases is a
// comma-separated list.
type group struct {
	role    role
	class   string
	title   string // "" means each phrase is its own title
	diet    diet
	clears  diet
	each    float64
	count   bool
	form    string
	cue     int
	flags   flag
	phrases string
}

// defaultEach is the weight of one piece when a group does not say:
// about a portion of meat, one vegetable, a little of a flavour.
var defaultEach = map[role]float64{
	roleProtein: 150, roleFeatured: 100, roleFlavour: 10, roleSpice: 2,
	roleAromatic: 100, roleBase: 80, roleStaple: 30,
}

// vocabulary finds its phrases in a sequence of tokens (vocabulary.go
// holds the phrases).
type vocabulary struct {
	byFirst  map[string][]*entry // by first word, longest phrase first
	byPhrase map[string]*entry
	titles   map[string]bool // and classes: the names rules may use
}

// newVocabulary builds a vocabulary from groups. A phrase listed twice or
// spelt with anything but lower-case letters and single spaces is a
// mistake in this file, so it panics: the package's tests catch it.
func newVocabulary(groups []group) *vocabulary {
	v := &vocabulary{byFirst: map[string][]*entry{}, byPhrase: map[string]*entry{}, titles: map[string]bool{}}
	for _, g := range groups {
		for _, p := range strings.Split(g.phrases, ",") {
			p = strings.TrimSpace(p)
			if err := checkPhrase(p); err != nil {
				panic(err)
			}
			if v.byPhrase[p] != nil {
				panic(fmt.Sprintf("ai: phrase %q listed twice", p))
			}
			e := &entry{phrase: p, words: strings.Fields(p), role: g.role, title: cmp.Or(g.title, p),
				class: g.class, diet: g.diet, clears: g.clears, each: cmp.Or(g.each, defaultEach[g.role]),
				count: g.count, form: g.form, cue: g.cue, flags: g.flags}
			v.byPhrase[p] = e
			v.titles[e.title] = true
			if e.class != "" {
				v.titles[e.class] = true
			}
			v.byFirst[e.words[0]] = append(v.byFirst[e.words[0]], e)
		}
	}
	for _, es := range v.byFirst {
		slices.SortFunc(es, func(a, b *entry) int {
			return cmp.Or(cmp.Compare(len(b.words), len(a.words)), cmp.Compare(a.phrase, b.phrase))
		})
	}
	return v
}

func checkPhrase(p string) error {
	if p == "" || strings.Join(strings.Fields(p), " ") != p {
		return fmt.Errorf("ai: bad phrase %q", p)
	}
	for _, r := range p {
		if r != ' ' && (r < 'a' || r > 'z') && !strings.ContainsRune("àâçéèêëîïôûüñ", r) {
			return fmt.Errorf("ai: phrase %q has %q", p, r)
		}
	}
	return nil
}

// span is a phrase found at toks[start:end].
type span struct {
	e          *entry
	start, end int
}

// match finds the vocabulary's phrases in toks, left to right, the
// longest at each place, so "red pepper flakes" is one spice and not a
// pepper followed by flakes. The cost is a few map look-ups per token.
func (v *vocabulary) match(toks []token) []span {
	var out []span
	for i := 0; i < len(toks); {
		if e := v.longestAt(toks, i); e != nil {
			out = append(out, span{e: e, start: i, end: i + len(e.words)})
			i += len(e.words)
			continue
		}
		i++
	}
	return out
}

func (v *vocabulary) longestAt(toks []token, i int) *entry {
	var best *entry
	t := toks[i]
	for _, key := range []string{t.raw, t.one, t.alt} {
		if key == "" {
			continue
		}
		for _, e := range v.byFirst[key] {
			if best != nil && (len(e.words) < len(best.words) ||
				len(e.words) == len(best.words) && e.phrase >= best.phrase) {
				continue
			}
			if matchesAt(toks, i, e.words) {
				best = e
			}
		}
	}
	return best
}

func matchesAt(toks []token, i int, words []string) bool {
	if i+len(words) > len(toks) {
		return false
	}
	for k, w := range words {
		if !toks[i+k].is(w) {
			return false
		}
	}
	return true
}

// mustKnow checks that every phrase, title or class a rule names is in v, so
// that a typo in a rule is found by the tests and not by a cook.
func (v *vocabulary) mustKnow(names ...string) {
	for _, n := range names {
		if v.byPhrase[n] == nil && !v.titles[n] {
			panic(fmt.Sprintf("ai: rule names %q, not in the vocabulary", n))
		}
	}
}
