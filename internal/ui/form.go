package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/validate"
)

// Without JavaScript, empty rows are the only way to add ingredients and
// steps, so the form carries some: startRows on an empty list (a new
// recipe) and spareRows after filled ones. An edit shows one spare, not a
// block of blank boxes below the recipe being corrected; more can be added
// on the next edit. With JavaScript, editor.js drops the blank rows a list
// does not need, since its Add buttons make rows on demand.
const (
	startRows = 3
	spareRows = 1
)

// recipeForm is the recipe form as typed: numbers stay text so that a
// mistake is shown back exactly as entered.
type recipeForm struct {
	ID          string
	Title       string
	Description string
	PrepMinutes string
	CookMinutes string
	Servings    string
	Difficulty  string
	Visibility  string
	SourceURL   string
	// SourceAuthor credits the creator of someone else's recipe.
	SourceAuthor string
	Tags         string
	Categories   string
	Ingredients  []string
	Steps        []string
	// Photos are the photo fields, shown when a photo service is set.
	Photos photoForm
	// Errors maps a form field ("title", "ingredient-2") to its message;
	// Summary lists them in form order for the error box.
	Errors  map[string]string
	Summary []formError
}

type formError struct {
	Field   string // the input's id, for the summary's links
	Label   string
	Message string
}

func formFromRecipe(r *recipe.Recipe) recipeForm {
	f := recipeForm{
		ID: r.ID, Title: r.Title, Description: r.Description, Difficulty: string(r.Difficulty),
		Visibility: string(r.Visibility), SourceURL: r.SourceURL, SourceAuthor: r.SourceAuthor,
		PrepMinutes: intText(r.PrepMinutes), CookMinutes: intText(r.CookMinutes), Servings: intText(r.Servings),
		Tags: strings.Join(r.Tags, ", "), Categories: strings.Join(r.Categories, ", "), Steps: rowsOf(r.Steps, r.StepGroups),
	}
	lines := make([]string, len(r.Ingredients))
	for i, ing := range r.Ingredients {
		lines[i] = ing.Original
		if lines[i] == "" {
			lines[i] = recipe.FormatIngredient(ing)
		}
	}
	f.Ingredients = rowsOf(lines, r.IngredientGroups)
	return f
}

func intText(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// parseForm reads a form post, bounded like the API's JSON bodies.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, httpx.MaxBody)
	return r.ParseForm()
}

func formFromRequest(r *http.Request) recipeForm {
	v := r.PostForm
	f := recipeForm{
		Title: v.Get("title"), Description: v.Get("description"), PrepMinutes: v.Get("prep_minutes"),
		CookMinutes: v.Get("cook_minutes"), Servings: v.Get("servings"), Difficulty: v.Get("difficulty"),
		Visibility: v.Get("visibility"), SourceURL: v.Get("source_url"), SourceAuthor: v.Get("source_author"),
		Tags: v.Get("tags"), Categories: v.Get("categories"),
	}
	f.Ingredients = nonEmpty(v["ingredient"])
	f.Steps = nonEmpty(v["step"])
	return f
}

// nonEmpty drops blank rows: empty rows are the form's spare capacity.
func nonEmpty(rows []string) []string {
	var out []string
	for _, r := range rows {
		if strings.TrimSpace(r) != "" {
			out = append(out, r)
		}
	}
	return out
}

// withSpareRows returns rows plus empty ones for the form to show.
func withSpareRows(rows []string) []string {
	n := spareRows
	if len(rows) == 0 {
		n = startRows
	}
	out := append([]string{}, rows...)
	for range n {
		out = append(out, "")
	}
	return out
}

// input converts the form to a recipe input and validates it with the same
// rules as the API, attaching each problem to the field that caused it.
func (f *recipeForm) input() (recipe.Input, bool) {
	var errs validate.Errors
	num := func(field, text string) *int {
		text = strings.TrimSpace(text)
		if text == "" {
			return nil
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			errs.Add(field, "must be a whole number")
			return nil
		}
		return &n
	}
	in := recipe.Input{
		Title: f.Title, Description: f.Description,
		PrepMinutes: num("prep_minutes", f.PrepMinutes), CookMinutes: num("cook_minutes", f.CookMinutes),
		Servings: num("servings", f.Servings), Difficulty: recipe.Difficulty(f.Difficulty),
		Visibility: recipe.Visibility(f.Visibility), SourceURL: f.SourceURL, SourceAuthor: f.SourceAuthor,
		Tags: splitList(f.Tags), Categories: splitList(f.Categories),
	}
	// Items and their section headings share a list's boxes: every
	// problem is pointed at its box.
	lines, ingGroups, ingRow, ingGroupRow, ingOrphans := splitRows(f.Ingredients)
	steps, stepGroups, stepRow, stepGroupRow, stepOrphans := splitRows(f.Steps)
	lists := []formList{
		{items: "ingredients", groups: "ingredient_groups", item: "ingredient", itemRow: ingRow, groupRow: ingGroupRow, orphans: ingOrphans},
		{items: "steps", groups: "step_groups", item: "step", itemRow: stepRow, groupRow: stepGroupRow, orphans: stepOrphans},
	}
	in.Steps, in.StepGroups, in.IngredientGroups = steps, stepGroups, ingGroups
	// Lines are parsed, defaults applied and limits checked by Normalize,
	// with the API's rules.
	for _, line := range lines {
		in.Ingredients = append(in.Ingredients, recipe.IngredientLine(line))
	}
	for _, l := range lists {
		for _, row := range l.orphans {
			errs.Add(fmt.Sprintf("%s[%d]", l.items, row), "is a section heading with no %s after it", l.item)
		}
	}
	for _, e := range in.Normalize() {
		for _, l := range lists {
			if field, ok := l.boxField(e.Field); ok {
				e.Field = field
				break
			}
		}
		errs = append(errs, e)
	}
	f.setErrors(errs)
	return in, len(errs) == 0
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var indexedField = regexp.MustCompile(`^(ingredients|steps)\[(\d+)\]`)

// formList is one of the form's lists whose boxes hold both items and
// section headings ("# For the sauce").
type formList struct {
	items, groups     string // the input's fields: "steps", "step_groups"
	item              string // one item, for messages: "step"
	itemRow, groupRow []int  // the box of each item and of each group
	orphans           []int  // boxes of headings with nothing under them
}

// boxField points a problem with item or group i of the list at the box
// it was typed in ("step_groups[1].title" → "steps[4].title"); ok is
// false for a field of another list.
func (l formList) boxField(field string) (string, bool) {
	name, rest, indexed := strings.Cut(field, "[")
	rows := l.itemRow
	switch {
	case name == l.groups:
		rows = l.groupRow
	case name != l.items:
		return field, false
	}
	idx, tail, _ := strings.Cut(rest, "]")
	i, err := strconv.Atoi(idx)
	if !indexed || err != nil || i < 0 || i >= len(rows) {
		return l.items, true
	}
	return fmt.Sprintf("%s[%d]%s", l.items, rows[i], tail), true
}

var fieldLabels = map[string]string{
	"title": "Title", "description": "Description", "prep_minutes": "Preparation time", "cook_minutes": "Cooking time",
	"servings": "Servings", "difficulty": "Difficulty", "visibility": "Visibility", "source_url": "Source", "source_author": "Credit",
	"tags": "Tags", "categories": "Categories", "ingredients": "Ingredients", "steps": "Steps",
}

// setErrors maps validation paths onto form fields: "ingredients[2].name"
// belongs to the third ingredient row, "tags[1]" to the tags box.
func (f *recipeForm) setErrors(errs validate.Errors) {
	f.Errors = map[string]string{}
	for _, e := range errs {
		field, label := e.Field, ""
		if m := indexedField.FindStringSubmatch(e.Field); m != nil {
			i, _ := strconv.Atoi(m[2])
			kind := strings.TrimSuffix(m[1], "s")
			field = fmt.Sprintf("%s-%d", kind, i)
			label = fmt.Sprintf("%s %d", fieldLabels[m[1]][:len(fieldLabels[m[1]])-1], i+1)
		} else {
			field, _, _ = strings.Cut(field, "[")
			label = fieldLabels[field]
		}
		if _, dup := f.Errors[field]; dup {
			continue
		}
		f.Errors[field] = e.Message
		f.Summary = append(f.Summary, formError{Field: field, Label: label, Message: e.Message})
	}
}

// addPhotoError attaches a refused photo to its field, after any refusal
// already there (several gallery photos may be refused at once).
func (f *recipeForm) addPhotoError(e photoError, pf photoForm) {
	label := map[string]string{"photo": "Photo", "photo_alt": "Photo description", "gallery": "Gallery photos"}[e.Field]
	for i, p := range pf.Photos {
		if e.Field == "photo_alt_"+p.ID {
			label = fmt.Sprintf("Gallery photo %d", i+1)
		}
	}
	if prev, ok := f.Errors[e.Field]; ok {
		f.Errors[e.Field] = prev + "; " + e.Message
	} else {
		f.Errors[e.Field] = e.Message
	}
	f.Summary = append(f.Summary, formError{Field: e.Field, Label: label, Message: e.Message})
}

// urlQueryEscape escapes a value for a query string.
func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// signedInForm is the start of every signed-in form post: the user (or a
// redirect to log in) and the parsed, size-bounded form (or an error page).
func (u *UI) signedInForm(w http.ResponseWriter, r *http.Request) (*auth.User, bool) {
	return u.gatedForm(w, r, u.requireUser)
}

// gatedForm passes gate (which answers when it refuses), then parses the
// form, bounded in size.
func (u *UI) gatedForm(w http.ResponseWriter, r *http.Request, gate func(http.ResponseWriter, *http.Request) *auth.User) (*auth.User, bool) {
	me := gate(w, r)
	if me == nil {
		return nil, false
	}
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return nil, false
	}
	return me, true
}
