package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/validate"
)

// The imported recipe, checked and saved: the recipe form itself (the same
// fields, rules and error summary as writing one), plus what only an
// import has: the page's photo and the fields the page did not give.

// importExtras is what the recipe form shows of an import.
type importExtras struct {
	// ImageURL is the page's photo, downloaded on saving when KeepPhoto.
	// It is shown as a choice, never as an <img>: the page would hotlink
	// the other site (and the Content-Security-Policy refuses it).
	ImageURL  string
	KeepPhoto bool
	// Missing are the form's fields the page left empty ("title",
	// "ingredients", "steps", "servings", "time", "photo").
	Missing map[string]bool
	// Existing is the person's recipe from the same page, if any.
	Existing *recipe.Summary
}

// Lacks reports whether the page did not give field.
func (x *importExtras) Lacks(field string) bool { return x != nil && x.Missing[field] }

// MissingList is Missing in the form's order, for the hidden fields that
// carry it through a save that has to be corrected.
func (x *importExtras) MissingList() []string {
	var out []string
	for _, f := range missingFields {
		if x.Lacks(f) {
			out = append(out, f)
		}
	}
	return out
}

var missingFields = []string{"title", "ingredients", "steps", "servings", "time", "photo"}

func missingSet(names []string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

func (u *UI) renderImportForm(w http.ResponseWriter, r *http.Request, status int, f recipeForm, x *importExtras) {
	v := formView{Form: f, Action: "/import/save", Heading: "Check the imported recipe", Cancel: "/import", Import: x}
	v.Form.Ingredients = withSpareRows(f.Ingredients)
	v.Form.Steps = withSpareRows(f.Steps)
	title := v.Heading
	if len(f.Summary) > 0 {
		title = "Please check the form · " + title
	}
	u.render(w, r, status, "recipe_form", &page{Title: title, Data: v})
}

// importSave is POST /import/save: the checked recipe becomes the
// person's, and the page's photo follows it when they kept it.
func (u *UI) importSave(w http.ResponseWriter, r *http.Request) {
	if u.imports == nil {
		u.notFound(w, r)
		return
	}
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	f := formFromRequest(r)
	x, err := importExtrasFromForm(r.PostForm)
	if err != nil {
		u.badForm(w, r, err)
		return
	}
	in, valid := f.input()
	if !valid {
		u.renderImportForm(w, r, http.StatusUnprocessableEntity, f, x)
		return
	}
	imageURL := ""
	if x.KeepPhoto {
		imageURL = x.ImageURL
	}
	rec, err := u.imports.Save(r.Context(), me.ID, in, imageURL)
	var verrs *validate.Error
	switch {
	case errors.As(err, &verrs):
		f.setErrors(verrs.Fields)
		u.renderImportForm(w, r, http.StatusUnprocessableEntity, f, x)
		return
	case err != nil:
		if p, known := importProblemOf(err); known {
			f.setErrors(validate.Errors{{Field: "source_url", Message: p.Message}})
			u.renderImportForm(w, r, http.StatusUnprocessableEntity, f, x)
			return
		}
		u.serverError(w, r, err)
		return
	}
	flash := "imported"
	if imageURL != "" {
		flash = "imported-photo"
	}
	u.redirect(w, r, "/recipes/"+rec.ID, flash)
}

// errImportForm is a save post whose hidden fields no preview wrote.
var errImportForm = errors.New("import form: malformed hidden fields")

// importExtrasFromForm reads the hidden fields a preview put in the form.
func importExtrasFromForm(v map[string][]string) (*importExtras, error) {
	get := func(k string) string {
		if vs := v[k]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	x := &importExtras{ImageURL: strings.TrimSpace(get("image_url")), KeepPhoto: get("keep_photo") != "",
		Missing: missingSet(v["missing"])}
	if x.ImageURL != "" && !isWebAddress(x.ImageURL) {
		return nil, errImportForm
	}
	return x, nil
}

// SetImports replaces the import flows (nil hides import), for a server
// that wires them after New.
func (u *UI) SetImports(f importer.Flows) { u.imports = f }
