package ai

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/recipe"
)

// title composes the title, and returns the ingredients it names, whose
// classes are tags. The words all come from the vocabulary, so a title is
// a few words long whatever the input.
func (r *reading) title(p picks) (string, []item) {
	var s string
	var used []item
	switch {
	case r.named != nil:
		s, used = r.namedTitle(p)
	case r.form != nil:
		s, used = r.formTitle(p)
	case r.method != nil && p.protein != nil:
		s, used = r.methodTitle(p)
	case r.method != nil && len(p.featured) > 0:
		s, used = r.methodSidesTitle(p)
	default:
		s, used = genericTitle(p)
	}
	s = titleCase(s)
	if utf8.RuneCountInString(s) > recipe.MaxTitle {
		return "", nil
	}
	return s, used
}

// namedTitle is a classic's name, with the pasta it is made with or the
// meat added to it ("Chicken Caesar Salad").
func (r *reading) namedTitle(p picks) (string, []item) {
	s := strings.Replace(r.named.title, "%s", p.pastaWord(), 1)
	if r.named.protein && p.protein != nil {
		return p.protein.title + " " + s, []item{*p.protein}
	}
	return s, nil
}

func (p picks) pastaWord() string {
	if p.pasta != nil {
		return p.pasta.title
	}
	return "pasta"
}

// formTitle names a dish of a form after up to two ingredients: "Tomato
// and Lentil Soup", "Spiced Carrot Cake", "Chicken and Broccoli
// Stir-Fry". A bake with nothing else to it is named after its flour
// ("Wholemeal Bread").
func (r *reading) formTitle(p picks) (string, []item) {
	names := p.names(2)
	if len(names) == 0 && r.form.bake {
		names = first(p.bakes, 1)
	}
	s := p.spicedWord() + joinList(titles(names)) + " " + r.formWord(p)
	return strings.TrimSpace(s), names
}

// baseWords name a salad or soup made on a base: "Pasta Salad", "Noodle
// Soup".
var baseWords = map[string]string{
	"pasta": "pasta", "rice": "rice", "noodles": "noodle", "couscous": "couscous", "quinoa": "quinoa",
}

// formWord is the form's word in a title: a pasta dish is named by its
// shape ("Rigatoni").
func (r *reading) formWord(p picks) string {
	switch r.form.key {
	case "pasta":
		return p.pastaWord()
	case "salad", "soup":
		for _, b := range p.bases {
			if w := baseWords[b.class]; w != "" {
				return w + " " + r.form.key
			}
		}
	}
	return r.form.key
}

// methodTitle names a meat or fish by how it is cooked, its flavours
// before ("Lemon and Garlic Roast Chicken") and a vegetable after ("Roast
// Chicken with Potatoes"), three names at most.
func (r *reading) methodTitle(p picks) (string, []item) {
	with := p.sides(1)
	front := first(p.flavours, 2-len(with))
	if p.spiced {
		front = nil
	}
	s := p.spicedWord() + joinList(titles(front)) + " " + r.method.title + " " + p.protein.title
	if len(with) > 0 {
		s += " with " + noun(with[0])
	}
	used := append(append([]item{*p.protein}, front...), with...)
	return strings.TrimSpace(s), used
}

// methodSidesTitle names vegetables by how they are cooked: "Honey
// Roasted Carrots and Parsnips".
func (r *reading) methodSidesTitle(p picks) (string, []item) {
	subjects := p.sides(2)
	front := first(p.flavours, 1)
	if p.spiced {
		front = nil
	}
	s := p.spicedWord() + joinList(titles(front)) + " " + r.method.adj + " " + joinList(nouns(subjects))
	return strings.TrimSpace(s), append(front, subjects...)
}

// genericTitle names a dish of no known form or method after what it is
// made of: "Chicken and Potatoes", "Salmon with Rice". Onion alone names
// nothing.
func genericTitle(p picks) (string, []item) {
	names := p.names(2)
	if len(names) == 0 || names[0].e.role == roleAromatic {
		return "", nil
	}
	s := p.spicedWord() + joinList(nouns(names))
	if len(names) == 1 && len(p.bases) > 0 {
		s += " with " + noun(p.bases[0])
	}
	return s, names
}

// description is one sentence of what the dish is, from its form or
// method and main ingredients, and one of its time and servings, each
// when known. Plain facts: no adjective the recipe does not back.
func (r *reading) description(p picks) string {
	var parts []string
	if s := r.whatItIs(p); s != "" {
		parts = append(parts, s)
	}
	if s := timeAndServings(r.total, r.servings); s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func (r *reading) whatItIs(p picks) string {
	switch {
	case r.named != nil:
		return madeWith(r.namedDesc(p), r.named.join, r.namedItems(p))
	case r.form != nil:
		return madeWith(r.formDesc(p), r.form.join, p.madeOf(4))
	case r.method != nil && p.protein != nil:
		rest := append(words(p.sides(1)), words(p.flavours)...)
		return cooked(p.protein.words, r.method, p.withSpices(rest, 3))
	case r.method != nil && len(p.featured) > 0:
		return cooked(joinList(words(p.sides(2))), r.method, p.withSpices(words(p.flavours), 2))
	}
	items := append(p.madeOf(3), words(first(p.bases, 1))...)
	if len(items) < 2 {
		return ""
	}
	return capitalise(items[0]) + " with " + joinList(items[1:]) + "."
}

func words(items []item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.words
	}
	return out
}

// madeOf lists up to n things a dish is made of, as the cook wrote them:
// the meat or fish, the featured ingredients, the flavours and the
// spices; a dish of nothing but staples (a plain loaf) lists those.
func (p picks) madeOf(n int) []string {
	var out []string
	out = append(out, words(first(p.proteins, 2))...)
	out = append(out, words(first(p.featured, 3))...)
	out = append(out, words(p.flavours)...)
	out = p.withSpices(out, n)
	if len(out) == 0 {
		out = words(first(p.staples, 3))
	}
	return out
}

// withSpices cuts a list to n, the last place kept for the spices when
// the dish is spiced.
func (p picks) withSpices(list []string, n int) []string {
	if !p.spiced {
		return first(list, n)
	}
	list = first(list, n-1)
	if p.warm {
		return append(list, "warm spices")
	}
	return append(list, "spices")
}

// madeWith writes "A soup made with red lentils, tomatoes and carrots."
func madeWith(head, join string, items []string) string {
	if len(items) == 0 {
		return ""
	}
	return head + " " + cmp.Or(join, "made with") + " " + joinList(items) + "."
}

// cooked writes "Chicken thighs roasted with lemons and garlic."
func cooked(subject string, m *method, rest []string) string {
	if subject == "" {
		return ""
	}
	if len(rest) == 0 {
		return capitalise(subject) + " " + m.alone + "."
	}
	return capitalise(subject) + " " + m.past + " with " + joinList(rest) + "."
}

func (r *reading) namedDesc(p picks) string {
	return capitalise(strings.Replace(r.named.desc, "%s", p.pastaWord(), 1))
}

// namedItems are what a classic is made of: the ingredients that make it
// one, and a meat added to it.
func (r *reading) namedItems(p picks) []string {
	var out []string
	if r.named.protein && p.protein != nil {
		out = append(out, p.protein.words)
	}
	items := merged(slices.Clone(r.items))
	// The meat first, then by weight: "with beef mince, tomatoes...".
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Compare(rank(a), rank(b))
	})
	for _, it := range items {
		if it.class == "pasta" {
			continue // the name says it
		}
		for _, any := range r.named.needs {
			if slices.Contains(any, it.e.phrase) || slices.Contains(any, it.title) {
				out = append(out, it.words)
				break
			}
		}
	}
	return first(out, 4)
}

// rank puts proteins before the rest.
func rank(it item) int {
	if it.e.role == roleProtein {
		return 0
	}
	return 1
}

// formDesc opens a form's description: "A soup", "Rigatoni", "A pasta
// salad".
func (r *reading) formDesc(p picks) string {
	switch w := r.formWord(p); {
	case r.form.key == "pasta" && p.pasta != nil:
		return capitalise(p.pasta.title)
	case w != r.form.key:
		return "A " + w
	}
	return r.form.desc
}

// timeAndServings writes "Ready in about 45 minutes; serves 4.", or the
// half that is known.
func timeAndServings(total, servings *int) string {
	var t, s string
	if total != nil && *total > 0 && *total <= 2*recipe.MaxMinutes {
		t = "ready in about " + duration(*total)
	}
	if servings != nil && *servings >= 1 && *servings <= recipe.MaxServings {
		s = "serves " + strconv.Itoa(*servings)
	}
	switch {
	case t != "" && s != "":
		return capitalise(t) + "; " + s + "."
	case t != "":
		return capitalise(t) + "."
	case s != "":
		return capitalise(s) + "."
	}
	return ""
}
