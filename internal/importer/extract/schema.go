package extract

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// schemaReader turns a schema.org Recipe object — decoded from JSON-LD or
// assembled from microdata or RDFa, which share its shape — into a Recipe.
type schemaReader struct {
	g    *graph // references to follow; may be empty
	base *url.URL
	// markup says the values come from microdata or RDFa, whose text
	// has a line break exactly where the page's markup ends a block.
	markup bool
}

// maxStepDepth bounds the nesting of sections, lists and steps followed
// in recipeInstructions.
const maxStepDepth = 12

// read fills a Recipe from n.
func (sr *schemaReader) read(n node) *Recipe {
	r := &Recipe{}
	r.Title = cleanCapped(sr.text(first(n, "name", "headline")), maxShort)
	r.Description = cleanCapped(sr.text(n["description"]), maxLong)
	ing := n["recipeIngredient"]
	if isEmpty(ing) {
		ing = n["ingredients"]
	}
	r.Ingredients = cleanIngredients(sr.lines(ing))
	st := &stepCollector{blockLines: sr.markup}
	sr.instructions(n["recipeInstructions"], 0, st)
	r.Steps, r.StepGroups = st.steps, st.groups
	r.Yield, r.Servings = sr.yield(n["recipeYield"])
	if r.Yield == "" {
		r.Yield, r.Servings = sr.yield(n["yield"])
	}
	r.PrepMinutes = parseMinutes(sr.text(n["prepTime"]))
	r.CookMinutes = parseMinutes(sr.text(n["cookTime"]))
	r.TotalMinutes = parseMinutes(sr.text(n["totalTime"]))
	sumTotal(r)
	r.ImageURL = sr.image(n["image"])
	if r.ImageURL == "" {
		r.ImageURL = sr.image(n["thumbnailUrl"])
	}
	r.Author = sr.names(n["author"])
	if r.Author == "" {
		r.Author = sr.names(n["creator"])
	}
	r.Keywords = sr.list(n["keywords"])
	r.Cuisine = sr.list(n["recipeCuisine"])
	r.Category = sr.list(n["recipeCategory"])
	r.Nutrition = sr.nutrition(n["nutrition"])
	r.Language = cleanCapped(sr.text(n["inLanguage"]), 35)
	return r
}

// first returns the first of n's keys with a non-empty value.
func first(n node, keys ...string) any {
	for _, k := range keys {
		if v, ok := n[k]; ok && !isEmpty(v) {
			return v
		}
	}
	return nil
}

func isEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(t) == ""
	case []any:
		return len(t) == 0
	}
	return false
}

func orZero(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// text is a value as one string: a string itself, a number formatted, an
// object's @value, name, text or url, a list's first non-empty entry.
func (sr *schemaReader) text(v any) string {
	return sr.textDepth(v, 0)
}

func (sr *schemaReader) textDepth(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return ""
	case []any:
		for i, e := range t {
			if i >= maxItems {
				break
			}
			if s := sr.textDepth(e, depth+1); strings.TrimSpace(s) != "" {
				return s
			}
		}
	case node:
		if sr.g != nil {
			if r, ok := sr.g.resolve(t).(node); ok {
				t = r
			}
		}
		for _, k := range []string{"@value", "name", "text", "url", "contentUrl"} {
			if s := sr.textDepth(t[k], depth+1); strings.TrimSpace(s) != "" {
				return s
			}
		}
	}
	return ""
}

// lines is a list-valued property as strings: each entry of a list (lists
// within lists flattened), or a single string split into its lines.
func (sr *schemaReader) lines(v any) []string {
	var out []string
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > maxStepDepth || len(out) >= maxItems {
			return
		}
		switch t := v.(type) {
		case string:
			out = append(out, splitHTMLLines(t)...)
		case []any:
			for _, e := range t {
				walk(e, depth+1)
			}
		default:
			if s := sr.text(t); s != "" {
				out = append(out, s)
			}
		}
	}
	walk(v, 0)
	return out
}

// list is a property that names things (keywords, cuisines, categories):
// a comma-separated string or a list, cleaned, duplicates dropped.
func (sr *schemaReader) list(v any) []string {
	var raw []string
	switch t := v.(type) {
	case []any:
		for i, e := range t {
			if i >= maxItems {
				break
			}
			raw = append(raw, strings.Split(sr.text(e), ",")...)
		}
	default:
		raw = strings.Split(sr.text(v), ",")
	}
	var out []string
	seen := map[string]bool{}
	for _, s := range raw {
		s = cleanCapped(s, maxShort)
		k := strings.ToLower(s)
		if s == "" || seen[k] || len(out) >= maxItems {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

// names is an author-like property as text: a name, a Person or
// Organization, or a list of them joined with commas.
func (sr *schemaReader) names(v any) string {
	var out []string
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			if len(out) >= 5 {
				break
			}
			if s := cleanCapped(sr.text(e), maxShort); s != "" {
				out = append(out, s)
			}
		}
	default:
		if s := cleanCapped(sr.text(v), maxShort); s != "" {
			out = append(out, s)
		}
	}
	return capString(strings.Join(out, ", "), maxShort)
}

// yield reads recipeYield (a string, a number or a list of either): the
// text to show, and the servings as its leading number. From a list the
// first entry with a number wins, and of entries with the same number
// the one that says what it counts ("8 slices" over "8").
func (sr *schemaReader) yield(v any) (string, *int) {
	var candidates []string
	switch t := v.(type) {
	case []any:
		for i, e := range t {
			if i >= 20 {
				break
			}
			candidates = append(candidates, sr.text(e))
		}
	default:
		candidates = []string{sr.text(v)}
	}
	text, best, found := "", 0, false
	for _, c := range candidates {
		c = cleanCapped(c, maxShort)
		if c == "" {
			continue
		}
		if text == "" {
			text = c
		}
		n, ok := leadingNumber(c)
		switch {
		case !ok:
		case !found:
			text, best, found = c, n, true
		case n == best && !hasLetter(text) && hasLetter(c):
			text = c
		}
	}
	if !found {
		return text, nil
	}
	return text, &best
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// servingsRange matches the first number of a yield and, when it is a
// range ("4-6", "4 to 6", "4–6"), its upper end.
var servingsRange = regexp.MustCompile(`(\d+)(?:\s*(?:-|–|—|to|bis|à|a|ou|or)\s*(\d+))?`)

// leadingNumber is the servings a yield text gives: its first whole
// number ("Serves 8" is 8, "1.5 loaves" is 1), or the upper end of a
// range ("4-6 servings" is 6: cooking for the most people the recipe
// claims to feed is the safer reading).
func leadingNumber(s string) (int, bool) {
	m := servingsRange.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	if m[2] != "" {
		if hi, err2 := strconv.Atoi(m[2]); err2 == nil && hi > n {
			n = hi
		}
	}
	if err != nil || n > 100000 {
		return 0, false
	}
	return n, true
}

// nutrition reads a NutritionInformation object into name → value.
func (sr *schemaReader) nutrition(v any) map[string]string {
	if l, ok := v.([]any); ok && len(l) > 0 {
		v = l[0]
	}
	n, ok := v.(node)
	if !ok {
		return nil
	}
	out := map[string]string{}
	for k, val := range n {
		if strings.HasPrefix(k, "@") || len(out) >= 50 || len(k) > 100 {
			continue
		}
		if s := cleanCapped(sr.text(val), maxShort); s != "" {
			out[k] = s
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
