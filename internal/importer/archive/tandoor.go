package archive

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/reccollection/reccollection/internal/importer/extract"
)

// Tandoor (github.com/TandoorRecipes/recipes) exports a zip holding one
// zip per recipe (<name>.zip), each with recipe.json and the recipe's
// picture as image.<ext>. The nested zips are opened one level deep:
// a zip inside one of them is not. recipe.json is Tandoor's export model:
//
//	name → Title; description → Description; keywords ([{name}]) →
//	Keywords; working_time and waiting_time (minutes) → PrepMinutes and
//	CookMinutes, their sum TotalMinutes; servings → Servings, with
//	servings_text → Yield ("4 pieces"); source_url → SourceURL;
//	nutrition (calories, carbohydrates, fats, proteins) → Nutrition;
//	steps, in their order: each step's instruction → a step, its name
//	starting a step group; each step's ingredients, in their order →
//	Ingredients, a header ingredient (is_header, its note the title)
//	starting an ingredient group, and, when several steps have
//	ingredients, a named step's name starting one for the step's own.
//
// An ingredient's line is its original_text when it has one (Tandoor's
// export leaves it out, its API keeps it), else amount (unless
// no_amount), unit, food and note written out: "200 g flour, sifted".

type tandoorRecipe struct {
	Name         text          `json:"name"`
	Description  text          `json:"description"`
	Keywords     names         `json:"keywords"`
	Steps        []tandoorStep `json:"steps"`
	WorkingTime  number        `json:"working_time"`
	WaitingTime  number        `json:"waiting_time"`
	Servings     number        `json:"servings"`
	ServingsText text          `json:"servings_text"`
	SourceURL    text          `json:"source_url"`
	Nutrition    *struct {
		Calories      number `json:"calories"`
		Carbohydrates number `json:"carbohydrates"`
		Fats          number `json:"fats"`
		Proteins      number `json:"proteins"`
	} `json:"nutrition"`
}

type tandoorStep struct {
	Name        text                `json:"name"`
	Instruction text                `json:"instruction"`
	Ingredients []tandoorIngredient `json:"ingredients"`
	Order       number              `json:"order"`
}

type tandoorIngredient struct {
	Food         *tandoorName `json:"food"`
	Unit         *tandoorName `json:"unit"`
	Amount       number       `json:"amount"`
	Note         text         `json:"note"`
	OriginalText text         `json:"original_text"`
	Order        number       `json:"order"`
	IsHeader     flag         `json:"is_header"`
	NoAmount     flag         `json:"no_amount"`
	PluralUnit   flag         `json:"always_use_plural_unit"`
	PluralFood   flag         `json:"always_use_plural_food"`
}

type tandoorName struct {
	Name       text `json:"name"`
	PluralName text `json:"plural_name"`
}

// name is the singular or plural name.
func (n *tandoorName) name(plural bool) string {
	if n == nil {
		return ""
	}
	if p := n.PluralName.String(); plural && p != "" {
		return p
	}
	return n.Name.String()
}

type tandoorReader struct {
	src   *source
	files []*file
}

func (r *tandoorReader) count() (int, error) { return len(r.files), nil }

func (r *tandoorReader) read(each func(Item) error) error { return eachFile(r.files, r.item, each) }

func (r *tandoorReader) item(f *file) (Item, error) {
	it := Item{Name: f.name}
	data, err := r.src.read(f, limits.nested)
	if isFatal(err) {
		return it, err
	}
	if err != nil {
		it.Err = err
		return it, nil
	}
	inner, err := openZip(bytes.NewReader(data), int64(len(data)), r.src.spent, limits.nestedEntries)
	if err != nil {
		it.Err = refuse(ErrBadRecipe, "%s cannot be read: it is not a zip of a Tandoor recipe", f.name)
		return it, nil
	}
	var js, img *file
	for _, g := range inner.files {
		switch {
		case g.path == "recipe.json":
			js = g
		case js == nil && ext(g.path) == "json":
			js = g
		case img == nil && strings.HasPrefix(g.path, "image.") && !strings.Contains(g.path, "/"):
			img = g
		}
	}
	if js == nil {
		it.Err = refuse(ErrBadRecipe, "%s holds no recipe.json", f.name)
		return it, nil
	}
	name := f.name + "/" + js.name
	js.name = name
	body, err := inner.read(js, limits.json)
	if isFatal(err) {
		return it, err
	}
	if err != nil {
		it.Err = err
		return it, nil
	}
	var t tandoorRecipe
	if err := decodeJSON(body, &t); err != nil {
		it.Err = badRecipe(name, err)
		return it, nil
	}
	it.Recipe = t.draft()
	if checkDraft(&it); it.Err != nil {
		return it, nil
	}
	if img != nil {
		img.name = f.name + "/" + img.name
		if err := newPhotoSet(&it, true).file(inner, img, Photo{}); err != nil {
			return it, err
		}
	}
	return it, nil
}

func (t *tandoorRecipe) draft() *extract.Recipe {
	r := &extract.Recipe{
		Title:       capText(oneLine(t.Name.String()), maxText),
		Description: capText(t.Description.String(), maxText),
		SourceURL:   capText(t.SourceURL.String(), 4096),
		Keywords:    []string(t.Keywords),
		Via:         string(Tandoor),
	}
	r.PrepMinutes = minutes(t.WorkingTime)
	r.CookMinutes = minutes(t.WaitingTime)
	if r.PrepMinutes != nil || r.CookMinutes != nil {
		total := 0
		for _, m := range []*int{r.PrepMinutes, r.CookMinutes} {
			if m != nil {
				total += *m
			}
		}
		r.TotalMinutes = &total
	}
	if s, ok := t.Servings.positive(); ok && s < 1e6 {
		n := max(1, int(math.Round(s)))
		r.Servings = &n
		if u := oneLine(t.ServingsText.String()); u != "" {
			r.Yield = capText(amount(s)+" "+u, maxText)
		}
	}
	if n := t.Nutrition; n != nil {
		r.Nutrition = map[string]string{}
		for k, v := range map[string]number{"calories": n.Calories, "carbohydrateContent": n.Carbohydrates, "fatContent": n.Fats, "proteinContent": n.Proteins} {
			if v.ok {
				r.Nutrition[k] = amount(v.v)
			}
		}
		if len(r.Nutrition) == 0 {
			r.Nutrition = nil
		}
	}

	steps := slices.Clone(t.Steps)
	slices.SortStableFunc(steps, func(a, b tandoorStep) int { return cmp.Compare(a.Order.v, b.Order.v) })
	withIngredients := 0
	for _, s := range steps {
		if len(s.Ingredients) > 0 {
			withIngredients++
		}
	}
	var ing, st grouped
	for _, s := range steps {
		st.section(s.Name.String())
		st.add(s.Instruction.String())
		is := slices.Clone(s.Ingredients)
		slices.SortStableFunc(is, func(a, b tandoorIngredient) int { return cmp.Compare(a.Order.v, b.Order.v) })
		if withIngredients > 1 && len(is) > 0 && !is[0].IsHeader.v {
			ing.section(s.Name.String())
		}
		for _, i := range is {
			if i.IsHeader.v {
				ing.section(firstText(i.Note, i.Food.nameText()))
				continue
			}
			ing.add(i.line())
		}
	}
	ing.done()
	st.done()
	r.Ingredients, r.IngredientGroups = ing.items, ing.groups
	r.Steps, r.StepGroups = st.items, st.groups
	return r
}

// nameText is the name as a text, for firstText.
func (n *tandoorName) nameText() text {
	if n == nil {
		return ""
	}
	return n.Name
}

func (i tandoorIngredient) line() string {
	if s := oneLine(i.OriginalText.String()); s != "" {
		return s
	}
	var qty string
	a, has := i.Amount.positive()
	if has && !i.NoAmount.v {
		qty = amount(a)
	} else {
		has = false
	}
	unit := i.Unit.name(i.PluralUnit.v || has && a > 1)
	food := i.Food.name(i.PluralFood.v || has && a > 1)
	if !has {
		unit = ""
	}
	return ingredientLine(qty, unit, food, i.Note.String())
}

// minutes is a whole number of minutes above zero, or nil.
func minutes(n number) *int {
	v, ok := n.positive()
	if !ok || v > 1e6 {
		return nil
	}
	m := int(math.Round(v))
	return &m
}
