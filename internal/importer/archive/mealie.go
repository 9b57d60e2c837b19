package archive

import (
	"encoding/json"
	"math"
	"strings"
	"unicode"

	"github.com/reccollection/reccollection/internal/importer/extract"
)

// Mealie (github.com/mealie-recipes/mealie) exports recipes as a zip
// holding, for each, recipes/<slug>/<slug>.json (the recipe as its API
// model, in snake_case) and the recipe's own folder beside it:
// recipes/<slug>/images/original.webp (with min-original.webp and
// tiny-original.webp, smaller copies of the same picture). Its editor
// and API give the same recipe in camelCase; both spellings are read.
// A full backup is another layout (mealie_backup.go) leading to the
// same mealieRecipe.
//
// Where things go:
//
//	name → Title; description → Description, notes ([{title, text}])
//	after it under "Notes:"; recipe_ingredient → Ingredients, each
//	ingredient's title starting an ingredient group; recipe_instructions
//	→ Steps, each step's title starting a step group; recipe_yield →
//	Yield (with recipe_yield_quantity when the text has no number);
//	recipe_servings → Servings (else the yield's number); prep_time →
//	PrepMinutes; perform_time (else cook_time) → CookMinutes; total_time
//	→ TotalMinutes; org_url → SourceURL; tags → Keywords;
//	recipe_category → Category; nutrition → Nutrition (schema.org
//	names); images/original.* → the main photo.
//
// An ingredient's line is its original_text when it has one (the line
// the recipe was parsed from), else its parts written out as Mealie
// shows them — the amount, the unit, the food, then the note — with
// plain fractions ("1 1/2") where Mealie prints superscripts.

// mealieRecipe is a Mealie recipe in the export's snake_case.
type mealieRecipe struct {
	Name         text               `json:"name"`
	Slug         text               `json:"slug"`
	Description  text               `json:"description"`
	Yield        text               `json:"recipe_yield"`
	YieldQty     number             `json:"recipe_yield_quantity"`
	Servings     number             `json:"recipe_servings"`
	PrepTime     text               `json:"prep_time"`
	PerformTime  text               `json:"perform_time"`
	CookTime     text               `json:"cook_time"`
	TotalTime    text               `json:"total_time"`
	OrgURL       text               `json:"org_url"`
	Ingredients  []mealieIngredient `json:"recipe_ingredient"`
	Instructions []mealieStep       `json:"recipe_instructions"`
	Tags         names              `json:"tags"`
	Categories   names              `json:"recipe_category"`
	Nutrition    map[string]text    `json:"nutrition"`
	Notes        []mealieNote       `json:"notes"`
	Settings     struct {
		DisableAmount flag `json:"disable_amount"`
	} `json:"settings"`
}

type mealieIngredient struct {
	Title         text        `json:"title"`
	Note          text        `json:"note"`
	Display       text        `json:"display"`
	OriginalText  text        `json:"original_text"`
	Quantity      number      `json:"quantity"`
	Unit          *mealieUnit `json:"unit"`
	Food          *mealieUnit `json:"food"`
	IsFood        flag        `json:"is_food"`
	DisableAmount flag        `json:"disable_amount"`
}

// UnmarshalJSON reads an ingredient object, or a bare line as Mealie's
// first versions kept them.
func (m *mealieIngredient) UnmarshalJSON(b []byte) error {
	*m = mealieIngredient{}
	if len(b) > 0 && b[0] == '"' {
		return m.Note.UnmarshalJSON(b)
	}
	type plain mealieIngredient
	_ = json.Unmarshal(b, (*plain)(m))
	return nil
}

// mealieUnit is a unit or a food: an object, or just its name.
type mealieUnit struct {
	Name               text `json:"name"`
	PluralName         text `json:"plural_name"`
	Abbreviation       text `json:"abbreviation"`
	PluralAbbreviation text `json:"plural_abbreviation"`
	UseAbbreviation    flag `json:"use_abbreviation"`
}

func (u *mealieUnit) UnmarshalJSON(b []byte) error {
	*u = mealieUnit{}
	if len(b) > 0 && b[0] == '"' {
		return u.Name.UnmarshalJSON(b)
	}
	type plain mealieUnit
	_ = json.Unmarshal(b, (*plain)(u))
	return nil
}

type mealieStep struct {
	Title text `json:"title"`
	Text  text `json:"text"`
}

func (s *mealieStep) UnmarshalJSON(b []byte) error {
	*s = mealieStep{}
	if len(b) > 0 && b[0] == '"' {
		return s.Text.UnmarshalJSON(b)
	}
	type plain mealieStep
	_ = json.Unmarshal(b, (*plain)(s))
	return nil
}

type mealieNote struct {
	Title text `json:"title"`
	Text  text `json:"text"`
}

// mealieShaped reports a recipe JSON in Mealie's form rather than
// schema.org's: a slug and Mealie's ingredient list, no JSON-LD type.
func mealieShaped(data []byte) bool {
	var top map[string]json.RawMessage
	if decodeJSON(data, &top) != nil || top == nil {
		return false
	}
	_, typed := top["@type"]
	_, ctx := top["@context"]
	_, slug := top["slug"]
	_, snake := top["recipe_ingredient"]
	_, camel := top["recipeIngredient"]
	return !typed && !ctx && slug && (snake || camel)
}

// decodeMealie reads a recipe's JSON in either spelling.
func decodeMealie(data []byte) (*mealieRecipe, error) {
	var v any
	if err := decodeJSON(data, &v); err != nil {
		return nil, err
	}
	b, err := json.Marshal(snakeKeys(v, 0))
	if err != nil {
		return nil, err
	}
	var m mealieRecipe
	if err := decodeJSON(b, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// snakeKeys renames the keys of every object in v to snake_case
// ("recipeIngredient" → "recipe_ingredient", "orgURL" → "org_url"); a
// key already so spelled wins over one renamed to it.
func snakeKeys(v any, depth int) any {
	if depth > 32 {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if snake(k) == k {
				out[k] = snakeKeys(x, depth+1)
			}
		}
		for k, x := range t {
			if s := snake(k); s != k {
				if _, taken := out[s]; !taken {
					out[s] = snakeKeys(x, depth+1)
				}
			}
		}
		return out
	case []any:
		for i := range t {
			t[i] = snakeKeys(t[i], depth+1)
		}
	}
	return v
}

// snake spells a camelCase name in snake_case; a run of capitals is one
// word ("orgURL" → "org_url").
func snake(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			prevLower := i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]))
			nextLower := i > 0 && i+1 < len(rs) && unicode.IsUpper(rs[i-1]) && unicode.IsLower(rs[i+1])
			if prevLower || nextLower {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// draft is the recipe as the importer takes it.
func (m *mealieRecipe) draft() *extract.Recipe {
	node := map[string]any{
		"name":           capText(m.Name.String(), maxText),
		"recipeYield":    capText(m.Yield.String(), maxText),
		"prepTime":       m.PrepTime.String(),
		"cookTime":       firstText(m.PerformTime, m.CookTime),
		"totalTime":      m.TotalTime.String(),
		"keywords":       []string(m.Tags),
		"recipeCategory": []string(m.Categories),
	}
	if n := mealieNutrition(m.Nutrition); len(n) > 0 {
		n["@type"] = "NutritionInformation"
		node["nutrition"] = n
	}
	r := viaSchemaOrg(node, capText(m.OrgURL.String(), maxText))
	r.Via = string(Mealie)

	var notes []string
	for _, n := range m.Notes {
		notes = append(notes, paragraphs(n.Title.String(), n.Text.String()))
	}
	r.Description = capText(paragraphs(m.Description.String(), labelled("Notes", strings.Join(notes, "\n\n"))), maxText)

	var ing grouped
	for _, i := range m.Ingredients {
		ing.section(i.Title.String())
		ing.add(i.line(m.Settings.DisableAmount))
	}
	ing.done()
	r.Ingredients, r.IngredientGroups = ing.items, ing.groups

	var steps grouped
	for _, s := range m.Instructions {
		steps.section(s.Title.String())
		steps.add(s.Text.String())
	}
	steps.done()
	r.Steps, r.StepGroups = steps.items, steps.groups

	if s, ok := m.Servings.positive(); ok && s < 1e6 {
		n := max(1, int(math.Round(s)))
		r.Servings = &n
	}
	if q, ok := m.YieldQty.positive(); ok && q < 1e6 {
		if y := m.Yield.String(); y == "" || !startsWithDigit(y) {
			r.Yield = capText(oneLine(amount(q)+" "+y), maxText)
		}
	}
	return r
}

// line writes the ingredient as one line. disableAmount is the recipe's
// setting, for ingredients that do not carry it themselves.
func (i mealieIngredient) line(disableAmount flag) string {
	if s := oneLine(i.OriginalText.String()); s != "" {
		return s
	}
	// As Mealie displays it: the food only where amounts are on and the
	// ingredient has one; otherwise the note says it all.
	useFood := i.Food != nil && i.Food.Name.String() != ""
	switch {
	case i.DisableAmount.set:
		useFood = useFood && !i.DisableAmount.v
	case i.IsFood.set:
		useFood = useFood && i.IsFood.v
	case disableAmount.set:
		useFood = useFood && !disableAmount.v
	}
	q, hasQty := i.Quantity.positive()
	note := i.Note.String()
	if !useFood {
		// A note-only ingredient carries Mealie's default quantity of 1,
		// which is not part of its line.
		if hasQty && q != 1 {
			return ingredientLine(amount(q), "", note, "")
		}
		if note == "" {
			return oneLine(i.Display.String())
		}
		return oneLine(note)
	}
	var qty, unit string
	plural := !hasQty || q > 1
	if hasQty {
		qty = amount(q)
		if u := i.Unit; u != nil {
			unit = u.Name.String()
			if q > 1 && u.PluralName.String() != "" {
				unit = u.PluralName.String()
			}
			if u.UseAbbreviation.v && u.Abbreviation.String() != "" {
				unit = u.Abbreviation.String()
				if q > 1 && u.PluralAbbreviation.String() != "" {
					unit = u.PluralAbbreviation.String()
				}
			}
		}
	}
	food := i.Food.Name.String()
	if plural && i.Food.PluralName.String() != "" {
		food = i.Food.PluralName.String()
	}
	return ingredientLine(qty, unit, food, note)
}

// mealieNutrition renames Mealie's nutrition fields (fat_content) to
// schema.org's (fatContent), the names extract keeps.
func mealieNutrition(n map[string]text) map[string]any {
	out := map[string]any{}
	for k, v := range n {
		if s := v.String(); s != "" && len(out) < 50 {
			out[camel(k)] = capText(s, 1000)
		}
	}
	return out
}

// camel spells a snake_case name in camelCase.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if p := parts[i]; p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}

func firstText(ts ...text) string {
	for _, t := range ts {
		if s := t.String(); s != "" {
			return s
		}
	}
	return ""
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// mealieImage finds a recipe's picture in its folder: images/original.*,
// Mealie's full-size copy (the others are smaller copies of it).
func mealieImage(src *source, folder string) *file {
	if f := src.byPath[folder+"images/original.webp"]; f != nil {
		return f
	}
	for _, f := range src.files {
		if dir(f.path) == folder+"images/" && stem(f.path) == "original" {
			return f
		}
	}
	return nil
}

// isMealieExportPath reports a recipe of Mealie's export layout:
// …recipes/<slug>/<slug>.json.
func isMealieExportPath(p string) bool {
	parts := strings.Split(p, "/")
	n := len(parts)
	return n >= 3 && parts[n-3] == "recipes" && ext(p) == "json" && stem(p) == parts[n-2] && parts[n-2] != ""
}

// mealieItem reads one recipe JSON of a Mealie export, its picture from
// its folder when the folder is the recipe's alone.
func mealieItem(src *source, f *file, data []byte, ownFolder bool) (Item, error) {
	it := Item{Name: f.name}
	m, err := decodeMealie(data)
	if err != nil {
		it.Err = badRecipe(f.name, err)
		return it, nil
	}
	it.Recipe = m.draft()
	if checkDraft(&it); it.Err != nil {
		return it, nil
	}
	if ownFolder {
		if img := mealieImage(src, dir(f.path)); img != nil {
			if err := newPhotoSet(&it, true).file(src, img, Photo{}); err != nil {
				return it, err
			}
		}
	}
	return it, nil
}
