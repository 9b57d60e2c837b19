package ai

import (
	"cmp"
	"slices"
)

// picks sorts the understood ingredients by the part they play, each
// list heaviest first.
type picks struct {
	protein   *item // the main meat, fish or tofu
	proteins  []item
	featured  []item
	flavours  []item // with a lone spice
	aromatics []item
	bases     []item
	bakes     []item // staples that may name a bake
	staples   []item // staples worth a mention when nothing else is
	pasta     *item  // the main pasta, whose shape names a pasta dish
	spiced    bool   // two spices or a blend: "Spiced", and "spices"
	warm      bool   // and warm ones: "warm spices"
	sweet     bool   // sugar, honey or chocolate and no meat or onion
}

// Shares of weight an ingredient needs to be named beside another: a
// vegetable beside the meat at a fifth of its weight ("Chicken and
// Broccoli"), a second vegetable at half the first's, so the carrots of a
// carrot cake are named and the walnuts are not.
const (
	sideShare = 0.2
	pairShare = 0.5
)

func (r *reading) choose() picks {
	var p picks
	var spices []item
	sugary, savoury := false, false
	for _, it := range merged(r.items) {
		sugary = sugary || it.e.has(sweet)
		switch it.e.role {
		case roleProtein:
			p.proteins = append(p.proteins, it)
		case roleFeatured:
			p.featured = append(p.featured, it)
		case roleFlavour:
			p.flavours = append(p.flavours, it)
		case roleSpice:
			spices = append(spices, it)
		case roleAromatic:
			p.aromatics = append(p.aromatics, it)
			savoury = true
		case roleBase:
			p.bases = append(p.bases, it)
		case roleStaple:
			if it.e.has(bakeTitle) {
				p.bakes = append(p.bakes, it)
			}
			if !it.e.has(plain) {
				p.staples = append(p.staples, it)
			}
		}
	}
	p.sweet = sugary && !savoury && len(p.proteins) == 0
	p.promoteAromatics()
	if len(p.proteins) > 0 {
		p.protein = &p.proteins[0]
	}
	if i := slices.IndexFunc(p.bases, func(it item) bool { return it.class == "pasta" }); i >= 0 {
		p.pasta = &p.bases[i]
	}
	r.season(&p, spices)
	return p
}

// promoteAromatics makes onions featured when they outweigh everything
// that is: a French onion soup is named after its kilo of onions, not its
// cheese.
func (p *picks) promoteAromatics() {
	heaviest := 0.0
	for _, it := range append(first(p.proteins, 1), first(p.featured, 1)...) {
		heaviest = max(heaviest, it.grams)
	}
	var kept []item
	for _, a := range p.aromatics {
		if a.grams > heaviest {
			p.featured = append(p.featured, a)
		} else {
			kept = append(kept, a)
		}
	}
	if len(kept) < len(p.aromatics) {
		p.aromatics = kept
		p.featured = sortItems(p.featured)
	}
}

// season decides what the spices say. Two or more, or a blend, make a
// dish "Spiced" (naming three of them would crowd out the food); a lone
// spice is a flavour like any other ("Cinnamon Pancakes"). A curry's
// spices go without saying.
func (r *reading) season(p *picks, spices []item) {
	if r.form != nil && r.form.spiced {
		return
	}
	blended := slices.ContainsFunc(spices, func(it item) bool { return it.e.has(blend) })
	if len(spices) >= 2 || blended {
		p.spiced = true
		p.warm = slices.ContainsFunc(spices, func(it item) bool { return it.e.has(warm) })
		return
	}
	p.flavours = sortItems(append(p.flavours, spices...))
}

// merged joins the lines of one ingredient (chicken thighs and chicken
// breasts, lemon juice and lemon zest), adding their weights, and sorts
// the result heaviest first, then in list order.
func merged(items []item) []item {
	type key struct {
		r role
		t string
	}
	at := map[key]int{}
	var out []item
	for _, it := range items {
		k := key{it.e.role, it.title}
		if i, ok := at[k]; ok {
			if it.grams > out[i].grams {
				out[i].words = it.words
			}
			out[i].grams += it.grams
			continue
		}
		at[k] = len(out)
		out = append(out, it)
	}
	return sortItems(out)
}

func sortItems(items []item) []item {
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(b.grams, a.grams), cmp.Compare(a.index, b.index))
	})
	return items
}

// sides are the featured ingredients worth naming, at most limit: beside
// the protein, those of at least sideShare of its weight; without one, the
// first and those of at least pairShare of its weight.
func (p picks) sides(limit int) []item {
	var out []item
	for _, f := range p.featured {
		switch {
		case len(out) >= limit:
			return out
		case p.protein != nil && f.grams < p.protein.grams*sideShare:
			return out
		case p.protein == nil && len(out) > 0 && f.grams < out[0].grams*pairShare:
			return out
		}
		out = append(out, f)
	}
	return out
}

// names are the up to n ingredients a dish is named after: its meat or
// fish, then what is featured, flavours only when nothing is (a carrot
// cake is not a "Carrot and Vanilla Cake"), and onion only when there is
// nothing else at all (onion soup).
func (p picks) names(n int) []item {
	var out []item
	if p.protein != nil {
		out = append(out, *p.protein)
	}
	sides := p.sides(n - len(out))
	out = append(out, sides...)
	if len(sides) == 0 {
		out = append(out, first(p.flavours, n-len(out))...)
	}
	if len(out) == 0 && len(p.aromatics) > 0 {
		out = append(out, p.aromatics[0])
	}
	return out
}

func titles(items []item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.title
	}
	return out
}

// noun is an ingredient as a noun on its own ("with Potatoes"): countable
// ones in the plural.
func noun(it item) string {
	if it.e.count && (it.e.role == roleProtein || it.e.role == roleFeatured || it.e.role == roleBase) {
		return plural(it.title)
	}
	return it.title
}

func nouns(items []item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = noun(it)
	}
	return out
}

func (p picks) spicedWord() string {
	if p.spiced {
		return "spiced "
	}
	return ""
}
