package ai

import (
	"strings"

	"github.com/reccollection/reccollection/internal/recipe"
)

// classOrder is the order main-ingredient tags are given in: meat, fish,
// the rest of the protein, then starches. Every class in the vocabulary
// is here (the tests check).
var classOrder = []string{
	"chicken", "turkey", "duck", "beef", "veal", "pork", "lamb", "game", "fish", "seafood",
	"eggs", "tofu", "lentils", "chickpeas", "beans", "pasta", "rice", "noodles", "couscous", "quinoa",
	"chocolate",
}

// Limits for the tags that depend on time.
const (
	quickMinutes = 30     // "quick": ready in half an hour
	slowMinutes  = 3 * 60 // a braise or stew this long is slow-cooked
)

// tags lists what the recipe is, in a fixed order: the kind of dish and
// its course, its main ingredients, how it is cooked, the diets it suits,
// its cuisine, and "quick". Tags the recipe has are left out, and the
// list is cut so that the recipe's tags and these together stay within
// recipe.MaxTags.
func (r *reading) tags(p picks, used []item, have []string) []string {
	var out []string
	add := func(ts ...string) { out = append(out, ts...) }
	add(r.dishTags(p)...)
	add(r.classes(p, used)...)
	add(r.methodTags()...)
	if r.vegetarian() {
		add("vegetarian")
		if r.vegan() {
			add("vegan")
		}
	}
	if c := r.cuisine(); c != "" {
		add(c)
	}
	if r.total != nil && *r.total > 0 && *r.total <= quickMinutes {
		add("quick")
	}
	return fresh(out, have)
}

// dishTags are the kind of dish and its course.
func (r *reading) dishTags(p picks) []string {
	var out []string
	f := r.form
	if r.named != nil {
		f = formByKey[r.named.form]
		out = append(out, r.named.tags...)
	}
	if f == nil {
		return out
	}
	out = append(out, f.tags...)
	if f.course != "" {
		out = append(out, f.course)
	}
	if f.sweetTag != "" && p.sweet {
		out = append(out, f.sweetTag)
	}
	if f.bake {
		out = append(out, "baking")
	}
	return out
}

// classes are the main-ingredient tags: every meat and fish, what the
// title names, the starches, and eggs for an egg dish.
func (r *reading) classes(p picks, used []item) []string {
	has := map[string]bool{}
	for _, list := range [][]item{p.proteins, used, p.bases} {
		for _, it := range list {
			has[it.class] = true
		}
	}
	if r.form != nil && r.form.eggs && r.present["egg"] {
		has["eggs"] = true
	}
	var out []string
	for _, c := range classOrder {
		if has[c] {
			out = append(out, c)
		}
	}
	return out
}

// methodTags are how the dish is cooked. "baked" goes without saying for
// a cake or a pie, and a quiet form (a soup) is not tagged by its steps
// on the way; a braise or stew of three hours and more is slow-cooked.
func (r *reading) methodTags() []string {
	var out []string
	if m := r.method; m != nil && m.tag != "" && r.tagsMethod(m) {
		out = append(out, m.tag)
	}
	slow := r.cook != nil && *r.cook >= slowMinutes &&
		(r.method != nil && r.method.key == "braise" || r.form != nil && r.form.key == "stew")
	if slow {
		out = append(out, "slow-cooked")
	}
	for _, t := range []string{"one-pot", "one-pan"} {
		if r.stepCue(t) {
			out = append(out, t)
			break
		}
	}
	if r.noCook() {
		out = append(out, "no-cook")
	}
	return out
}

func (r *reading) tagsMethod(m *method) bool {
	switch f := r.form; {
	case m.key == "slow-cook" || f == nil:
		return true
	case f.quiet:
		return false
	}
	return !(m.key == "bake" && r.form.baked)
}

func (r *reading) stepCue(form string) bool {
	for e := range r.stepCues {
		if e.form == form {
			return true
		}
	}
	return false
}

// noCook: steps that heat nothing, no cooking time, and something to eat.
func (r *reading) noCook() bool {
	return r.sentences > 0 && !r.heat && len(r.items) > 0 &&
		(r.cook == nil || *r.cook == 0) && r.method == nil && (r.form == nil || !r.form.baked)
}

// vegetarian is claimed only when it is safe to: at least three
// ingredient lines, every one of them understood (an unknown word may be
// a meat), none ruling it out, and no step adding meat or fish.
func (r *reading) vegetarian() bool {
	return r.lines >= 3 && r.unknown == 0 && (r.diet|r.stepDiet)&notVegetarian == 0
}

// vegan is vegetarian with no dairy, eggs or honey.
func (r *reading) vegan() bool {
	return r.vegetarian() && (r.diet|r.stepDiet)&notVegan == 0
}

// cuisine is a classic's cuisine, or the one cuisine whose signals the
// recipe has enough of, or "" when none or several do. A generic rule
// ("asian") applies only when no particular one does.
func (r *reading) cuisine() string {
	if r.named != nil && r.named.cuisine != "" {
		return r.named.cuisine
	}
	var specific, generic []string
	for _, c := range cuisines {
		if !r.qualifies(c) {
			continue
		}
		if c.generic {
			generic = append(generic, c.tag)
		} else {
			specific = append(specific, c.tag)
		}
	}
	switch {
	case len(specific) == 1:
		return specific[0]
	case len(specific) == 0 && len(generic) == 1:
		return generic[0]
	}
	return ""
}

// qualifies counts a rule's signals by the ingredient they stand for, so
// "soy sauce" and its title "soy" are one signal, not two.
func (r *reading) qualifies(c cuisineRule) bool {
	if len(c.requires) > 0 && !r.hasAny(c.requires) {
		return false
	}
	seen := map[string]bool{}
	for _, s := range c.signals {
		if r.present[s] {
			seen[ingredientTitle(s)] = true
		}
	}
	return len(seen) >= c.need
}

// ingredientTitle is the title of a vocabulary phrase, or the name itself
// when it is a title already.
func ingredientTitle(name string) string {
	if e := ingredients.byPhrase[name]; e != nil {
		return e.title
	}
	return name
}

// fresh drops from tags the duplicates and those the recipe has, compared
// as recipe.Normalize compares labels, and cuts the rest so the recipe's
// and these fit within recipe.MaxTags together.
func fresh(tags, have []string) []string {
	seen := map[string]bool{}
	for _, h := range have {
		if h = strings.ToLower(strings.Join(strings.Fields(h), " ")); h != "" {
			seen[h] = true
		}
	}
	room := max(recipe.MaxTags-len(seen), 0)
	out := []string{}
	for _, t := range tags {
		if len(out) == room {
			break
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
