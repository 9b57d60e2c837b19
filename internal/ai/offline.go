package ai

import (
	"math"
	"slices"
	"strings"

	"github.com/reccollection/reccollection/internal/recipe"
)

// Suggestion is what a generator proposes for a recipe; empty fields mean
// no proposal.
type Suggestion struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
}

// Offline is the built-in generator: no network, deterministic.
//
// It reads what the ingredients are (vocabulary.go), what kind of dish the
// steps make and how (dishes.go), and writes a title, a description and
// tags out of those facts alone, in words from its own vocabulary. So the
// title is never longer than a few words, never repeats a cook's typing,
// and says nothing it cannot back: "Lemon and Garlic Roast Chicken", not
// "Delicious Chicken Recipe". Its tables are read-only once loaded, so
// it is safe for concurrent use.
type Offline struct{}

// Bounds on what one suggestion reads. A recipe that passed validation is
// within recipe's limits already; these keep a suggestion asked for
// before validation (or of a very long step) cheap all the same.
const (
	maxStepRunes = 1000 // of each step: dish words come early
	maxNameRunes = recipe.MaxIngredientName
	maxNoteRunes = 200
)

// Suggest proposes a title, a description and tags for in. A recipe with
// a title still gets one: the caller decides whether to offer it. One
// with neither ingredients nor steps gets nothing.
func (Offline) Suggest(in recipe.Input) Suggestion {
	r := read(in)
	if r.lines == 0 && r.sentences == 0 {
		return Suggestion{Tags: []string{}}
	}
	p := r.choose()
	title, used := r.title(p)
	return Suggestion{
		Title:       title,
		Description: r.description(p),
		Tags:        r.tags(p, used, in.Tags),
	}
}

// item is one understood ingredient: its head phrase (what the line is:
// "chicken thighs" in "8 skin-on chicken thighs") and how much of it.
type item struct {
	e     *entry
	title string // the title's word for it: "chicken", "vegan sausage"
	class string
	words string  // the head phrase as written: "chicken thighs"
	index int     // its place in the list: the last tiebreak
	grams float64 // about how much, to tell the main ingredients
}

// reading is what the generator makes of a recipe.
type reading struct {
	items []item
	// present holds the phrase, title and class of every vocabulary entry
	// in the ingredient names, for named dishes and cuisines.
	present map[string]bool
	cues    map[*entry]bool // ingredient entries that suggest a form
	lines   int             // ingredient lines with a name
	unknown int             // lines of which no word is understood
	diet    diet            // what the ingredient list rules out
	// stepDiet is what the steps rule out by naming animal products the
	// list does not: "serve with grated Parmesan".
	stepDiet  diet
	names     [][]token // the understood lines' names
	listed    map[*entry]bool
	fromSteps bool // the list says nothing, so items are what steps name
	sentences int
	heat      bool // some step heats something
	stepCues  map[*entry]bool
	form      *form
	method    *method
	named     *namedDish
	total     *int
	cook      *int
	servings  *int
}

func read(in recipe.Input) *reading {
	r := &reading{
		present: map[string]bool{}, cues: map[*entry]bool{}, listed: map[*entry]bool{},
		stepCues: map[*entry]bool{}, total: in.TotalMinutes(), cook: in.CookMinutes, servings: in.Servings,
	}
	for i, ing := range first(in.Ingredients, recipe.MaxIngredients) {
		r.readIngredient(i, ing)
	}
	r.fromSteps = len(r.items) == 0
	for _, s := range first(in.Steps, recipe.MaxSteps) {
		r.readStep(s)
	}
	r.form = r.pickForm()
	r.method = r.pickMethod()
	r.named = r.pickNamed()
	return r
}

// first is up to n elements of s, clipped so that appending to it copies
// rather than writing over s.
func first[T any](s []T, n int) []T {
	n = max(min(len(s), n), 0)
	return s[:n:n]
}

// truncate keeps the first n runes of s.
func truncate(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

// readIngredient reads one line of the list, parsing it first if it came
// as a line of text (recipe.IngredientLine).
func (r *reading) readIngredient(i int, ing recipe.Ingredient) {
	if recipe.IsIngredientLine(ing) {
		ing = recipe.ParseIngredient(truncate(ing.Original, recipe.MaxIngredientLine))
	}
	name := truncate(ing.Name, maxNameRunes)
	if strings.TrimSpace(name) == "" {
		return
	}
	r.lines++
	toks := tokens(name, maxNameRunes)
	spans := ingredients.match(toks)
	// The note counts for the diet ("or chicken stock") but not for what
	// the line is.
	r.diet |= dietOf(spans) | dietOf(ingredients.match(tokens(ing.Note, maxNoteRunes)))
	head, ok := headOf(toks, spans)
	if !ok {
		r.unknown++
		return
	}
	r.names = append(r.names, toks)
	for _, s := range spans {
		r.note(s.e)
	}
	r.items = append(r.items, newItem(i, name, head, toks, spans, weigh(ing, head, toks)))
}

// note records an entry as present, by its phrase, its title and its
// class, the names rules use.
func (r *reading) note(e *entry) {
	r.present[e.phrase], r.present[e.title] = true, true
	if e.class != "" {
		r.present[e.class] = true
	}
	if e.form != "" {
		r.cues[e] = true
	}
}

// dietOf is what a line's phrases rule out, less what its qualifiers
// clear: "vegan butter" rules nothing out, "vegetarian sausages" only
// vegan.
func dietOf(spans []span) diet {
	var d, cleared diet
	for _, s := range spans {
		d |= s.e.diet
		cleared |= s.e.clears
	}
	return d &^ cleared
}

// cutWords end the part of a name that says what it is: "tomatoes in
// juice", "chicken thighs or drumsticks" (the first choice is the
// cook's).
var cutWords = map[string]bool{"in": true, "with": true, "for": true, "or": true, "to": true}

// headOf finds the phrase that says what a line is: the last one, as
// English puts the noun last ("smoked streaky bacon"), before a cut word,
// and after "of" when something follows it ("juice of 1 lime", "a tin of
// tomatoes"). Qualifiers are never the head.
func headOf(toks []token, spans []span) (span, bool) {
	covered := make([]bool, len(toks))
	for _, s := range spans {
		for k := s.start; k < s.end; k++ {
			covered[k] = true
		}
	}
	end := len(toks)
	for k := 1; k < len(toks); k++ {
		if !covered[k] && cutWords[toks[k].raw] && lastHead(spans, 0, k) >= 0 {
			end = k
			break
		}
	}
	start := 0
	for k := 0; k < end; k++ {
		if !covered[k] && toks[k].raw == "of" && lastHead(spans, k+1, end) >= 0 {
			start = k + 1
		}
	}
	if j := lastHead(spans, start, end); j >= 0 {
		return spans[j], true
	}
	return span{}, false
}

// lastHead is the index of the last span within toks[start:end] that can
// be a head, or -1.
func lastHead(spans []span, start, end int) int {
	for j := len(spans) - 1; j >= 0; j-- {
		s := spans[j]
		if s.e.role != roleQualifier && s.start >= start && s.end <= end {
			return j
		}
	}
	return -1
}

func newItem(i int, name string, head span, toks []token, spans []span, grams float64) item {
	it := item{e: head.e, title: head.e.title, class: head.e.class,
		words: written(name, toks, head.start, head.end), index: i, grams: grams}
	for _, s := range spans {
		if s.e.role == roleQualifier && head.e.diet&s.e.clears != 0 {
			// "Vegan sausages" are named as the cook named them, and are
			// no pork.
			it.title = s.e.title + " " + it.title
			it.words = s.e.title + " " + it.words
			it.class = ""
			break
		}
	}
	return it
}

// weigh estimates a line's weight in grams, to compare it with others:
// weights and volumes by their unit (a millilitre as a gram), counted
// things by the vocabulary's weight of one, and containers and handfuls by
// a typical size. A line with no amount ("parsley, to serve") counts as
// half of one: it is there, but rarely much of the dish.
func weigh(ing recipe.Ingredient, head span, toks []token) float64 {
	q, known := amount(ing)
	per := gramsPer(ing.Unit, head.e)
	if ing.Unit == "" {
		if g, ok := containerIn(toks[:head.start]); ok {
			per = g
		}
	}
	if !known {
		return per / 2
	}
	return q * per
}

// amount is a line's quantity (the middle of a range), or 1 and false
// when it has none worth reading.
func amount(ing recipe.Ingredient) (float64, bool) {
	ok := func(q *float64) bool {
		return q != nil && !math.IsNaN(*q) && !math.IsInf(*q, 0) && *q > 0 && *q <= recipe.MaxQuantity
	}
	switch {
	case !ok(ing.Quantity):
		return 1, false
	case ok(ing.QuantityMax):
		return (*ing.Quantity + *ing.QuantityMax) / 2, true
	}
	return *ing.Quantity, true
}

// unitGrams are the sizes of the units recipe.ParseIngredient knows that
// are not weights or volumes.
var unitGrams = map[string]float64{
	"mg": 0.001, "can": 400, "jar": 300, "package": 250, "bottle": 500, "pinch": 0.4, "dash": 0.6,
	"clove": 5, "bunch": 30, "handful": 30, "sprig": 1, "slice": 30, "sheet": 50, "cm": 5, "inch": 12,
}

func gramsPer(unit string, e *entry) float64 {
	if c, ok := recipe.ConversionFor(unit, recipe.Metric); ok {
		return c.Base // a US measure, in ml or g
	}
	if c, ok := recipe.ConversionFor(unit, recipe.USCustomary); ok {
		return c.Base // a metric one
	}
	if g, ok := unitGrams[unit]; ok {
		return g
	}
	if unit == "head" {
		return max(e.each, 50) // a head of garlic is more than a clove
	}
	return e.each // counted: "2 carrots", "1 stick celery"
}

// containers are words before a name that say how much when the parser
// found no unit: "2 x 400 g cans chickpeas", "small bunch dill".
var containers = map[string]float64{
	"can": 400, "tin": 400, "jar": 300, "packet": 250, "pack": 250, "bag": 250, "punnet": 250,
	"tub": 250, "pot": 150, "bunch": 30, "handful": 30, "sprig": 1, "knob": 15,
}

func containerIn(toks []token) (float64, bool) {
	for _, t := range toks {
		if g, ok := containers[t.one]; ok {
			return g, true
		}
	}
	return 0, false
}

// readStep reads one step, sentence by sentence.
func (r *reading) readStep(step string) {
	for _, s := range sentences(step, maxStepRunes) {
		r.sentences++
		for _, t := range s {
			if heatWords[t.raw] {
				r.heat = true
				break
			}
		}
		r.noteStepDiet(s)
		body := beforeServe(s)
		for _, sp := range stepWords.match(body) {
			if sp.e.form != "" {
				r.stepCues[sp.e] = true
			}
		}
		if r.fromSteps {
			r.mention(step, body)
		}
	}
}

// beforeServe is a sentence up to a word that starts what goes with the
// dish ("serve with rice").
func beforeServe(s []token) []token {
	for k, t := range s {
		if serveWords[t.raw] {
			return s[:k]
		}
	}
	return s
}

// noteStepDiet records the animal products a step names that the list
// does not: when "butter" is on the list as "vegan butter", the list
// decides, but "top with crispy bacon" with no bacon listed rules out
// vegetarian. Things like stock, of which the list may name a meatless
// kind, count only from the list.
func (r *reading) noteStepDiet(s []token) {
	for _, sp := range ingredients.match(s) {
		d := sp.e.diet &^ maybeMeat
		if d != 0 && sp.e.role != roleQualifier && !r.lists(sp.e) {
			r.stepDiet |= d
		}
	}
}

// lists reports whether some line of the list has all of e's words in a
// row; the answer is kept, so a long recipe costs one search per phrase.
func (r *reading) lists(e *entry) bool {
	if v, ok := r.listed[e]; ok {
		return v
	}
	found := slices.ContainsFunc(r.names, func(toks []token) bool {
		for k := range toks {
			if matchesAt(toks, k, e.words) {
				return true
			}
		}
		return false
	})
	r.listed[e] = found
	return found
}

// mention adds the ingredients a step names, in the order first named,
// when the list gave nothing to go on: all there is of a recipe written
// as a paragraph.
func (r *reading) mention(step string, s []token) {
	for _, sp := range ingredients.match(s) {
		if sp.e.role == roleQualifier || r.present[sp.e.phrase] {
			continue
		}
		r.note(sp.e)
		r.items = append(r.items, item{e: sp.e, title: sp.e.title, class: sp.e.class,
			words: written(step, s, sp.start, sp.end), index: len(r.items), grams: sp.e.each})
	}
}

// pickForm scores each form by its cues: the sum of the distinct cue
// phrases in the steps, plus the strongest one among the ingredients. The
// best at or above formThreshold wins; ties go to the earlier in forms.
func (r *reading) pickForm() *form {
	score := map[string]int{}
	for e := range r.stepCues {
		score[e.form] += e.cue
	}
	strongest := map[string]int{}
	for e := range r.cues {
		strongest[e.form] = max(strongest[e.form], e.cue)
	}
	for f, c := range strongest {
		score[f] += c
	}
	if r.rawVegetables() {
		score["salad"] += formThreshold
	}
	var best *form
	top := formThreshold - 1
	for _, f := range forms {
		if score[f.key] > top {
			best, top = f, score[f.key]
		}
	}
	return best
}

// rawVegetables reports a recipe that heats nothing and is made of two
// or more vegetables or fruits: a salad, whether or not its steps say so.
func (r *reading) rawVegetables() bool {
	if r.heat || r.sentences == 0 || r.cook != nil && *r.cook > 0 {
		return false
	}
	featured := map[string]bool{}
	for _, it := range r.items {
		if it.e.role == roleFeatured {
			featured[it.title] = true
		}
	}
	return len(featured) >= 2
}

// pickMethod does for methods what pickForm does for forms, from the
// steps alone.
func (r *reading) pickMethod() *method {
	score := map[string]int{}
	for e := range r.stepCues {
		score[e.form] += e.cue
	}
	var best *method
	top := methodThreshold - 1
	for _, m := range methods {
		if score[m.key] > top {
			best, top = m, score[m.key]
		}
	}
	return best
}

// pickNamed finds the first classic whose ingredients the recipe has.
func (r *reading) pickNamed() *namedDish {
	for _, d := range namedDishes {
		if d.maxLines > 0 && r.lines > d.maxLines {
			continue
		}
		if r.hasAll(d.needs) && !r.hasAny(d.without) {
			return d
		}
	}
	return nil
}

func (r *reading) hasAll(needs [][]string) bool {
	for _, any := range needs {
		if !r.hasAny(any) {
			return false
		}
	}
	return true
}

func (r *reading) hasAny(names []string) bool {
	for _, n := range names {
		if r.present[n] {
			return true
		}
	}
	return false
}
