package ui

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

func viewerOf(r *http.Request) recipe.Viewer {
	if u := auth.UserFrom(r.Context()); u != nil {
		return recipe.Viewer{UserID: u.ID, Admin: u.IsAdmin()}
	}
	return recipe.Viewer{}
}

// loadVisible loads the recipe in the URL if the visitor may read it;
// otherwise it has answered with the not-found page (hidden recipes look
// exactly like missing ones).
func (u *UI) loadVisible(w http.ResponseWriter, r *http.Request) *recipe.Recipe {
	rec, err := u.store.Recipe(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !recipe.CanRead(&rec.Summary, viewerOf(r))) {
		u.notFound(w, r)
		return nil
	}
	if err != nil {
		u.serverError(w, r, err)
		return nil
	}
	return rec
}

// loadEditable is loadVisible for the recipe's author (or a moderating
// admin); others who can see it get a 403 page.
func (u *UI) loadEditable(w http.ResponseWriter, r *http.Request) *recipe.Recipe {
	if u.requireUser(w, r) == nil {
		return nil
	}
	rec := u.loadVisible(w, r)
	if rec == nil {
		return nil
	}
	if !recipe.CanEdit(&rec.Summary, viewerOf(r)) {
		u.render(w, r, http.StatusForbidden, "forbidden", &page{Title: "Not yours to change"})
		return nil
	}
	return rec
}

type recipeView struct {
	Recipe *recipe.Recipe
	scaling
	Ingredients []ingredientView
	Steps       []string
	// UnitChoices are the buttons of the units toggle.
	UnitChoices []option
	CanEdit     bool
	ShareURL    string
	// ShowShareLink offers the "Copy link" box (flag recipe-share-link);
	// never on a private recipe, whose link works for its author alone.
	ShowShareLink bool
	// Hero is the main photo, Gallery the other photos not tied to a
	// step; stepPhotos are the steps' photos by 1-based step.
	Hero       *photoView
	Gallery    []*photoView
	stepPhotos map[int]*photoView
}

// StepPhoto is the photo of the step at index i (0-based), or nil.
func (v recipeView) StepPhoto(i int) *photoView { return v.stepPhotos[i+1] }

// photos prepares the recipe page's pictures: the main photo is the
// page's largest paint, fetched first; the gallery and the steps' photos
// are further down and load as they come into view.
func (v *recipeView) photos(rec *recipe.Recipe) {
	v.Hero = newPhotoView("hero", rec.Photo, rec.Title, true)
	n := 0
	for i := range rec.Photos {
		p := &rec.Photos[i]
		if p.Step > 0 {
			if pv := newPhotoView("step", p, fmt.Sprintf("%s: step %d", rec.Title, p.Step), false); pv != nil {
				if v.stepPhotos == nil {
					v.stepPhotos = map[int]*photoView{}
				}
				v.stepPhotos[p.Step] = pv
			}
			continue
		}
		n++
		if pv := newPhotoView("thumb", p, fmt.Sprintf("%s, photo %d", rec.Title, n+1), false); pv != nil {
			v.Gallery = append(v.Gallery, pv)
		}
	}
}

// unitToggle offers the three ways to read a recipe's measures.
var unitToggle = []option{{string(recipe.AsWritten), "As written"}, {string(recipe.Metric), "Metric"}, {string(recipe.USCustomary), "US"}}

// maxScaledServings bounds the servings control.
const maxScaledServings = 1000

func (u *UI) viewRecipe(w http.ResponseWriter, r *http.Request) {
	rec := u.loadVisible(w, r)
	if rec == nil {
		return
	}
	v := recipeView{Recipe: rec, scaling: scalingFor(r, rec, auth.UserFrom(r.Context())), CanEdit: recipe.CanEdit(&rec.Summary, viewerOf(r)),
		ShareURL: u.baseURL + "/recipes/" + rec.ID, UnitChoices: unitToggle}
	v.ShowShareLink = rec.Visibility != recipe.Private && u.flagOn(r, flags.RecipeShareLink)
	v.Ingredients, v.Steps = v.ingredients(rec), v.steps(rec)
	v.photos(rec)
	p := &page{Title: rec.Title, Description: summarise(rec), Data: v, Canonical: v.ShareURL,
		OG:     map[string]string{"og:type": "article", "og:title": rec.Title, "og:description": summarise(rec), "og:url": v.ShareURL},
		JSONLD: recipeJSONLD(rec, v.ShareURL, u.baseURL)}
	shareImage(p.OG, rec, u.baseURL)
	if rec.Visibility != recipe.Public {
		w.Header().Set("X-Robots-Tag", "noindex")
	}
	u.render(w, r, http.StatusOK, "recipe", p)
}

// summarise is a one-line description for search engines and link previews.
func summarise(rec *recipe.Recipe) string {
	d := strings.Join(strings.Fields(rec.Description), " ")
	if d == "" {
		d = fmt.Sprintf("A recipe by %s on RecCollection.", rec.Author.DisplayName)
	}
	if r := []rune(d); len(r) > 200 {
		d = string(r[:197]) + "…"
	}
	return d
}

// recipeJSONLD describes the recipe as schema.org/Recipe, which search
// engines and other recipe apps read; base makes its photos' URLs
// absolute.
func recipeJSONLD(rec *recipe.Recipe, url, base string) map[string]any {
	ld := map[string]any{
		"@context":      "https://schema.org",
		"@type":         "Recipe",
		"name":          rec.Title,
		"url":           url,
		"author":        map[string]any{"@type": "Person", "name": rec.Author.DisplayName},
		"datePublished": rec.CreatedAt.UTC().Format("2006-01-02"),
		"dateModified":  rec.UpdatedAt.UTC().Format("2006-01-02"),
	}
	if rec.Description != "" {
		ld["description"] = rec.Description
	}
	for key, m := range map[string]*int{"prepTime": rec.PrepMinutes, "cookTime": rec.CookMinutes, "totalTime": rec.TotalMinutes} {
		if m != nil {
			ld[key] = fmt.Sprintf("PT%dM", *m)
		}
	}
	if rec.Servings != nil {
		ld["recipeYield"] = fmt.Sprintf("%d servings", *rec.Servings)
	}
	var ings []string
	for _, ing := range rec.Ingredients {
		ings = append(ings, recipe.FormatIngredient(ing))
	}
	ld["recipeIngredient"] = ings
	var steps []map[string]any
	for i, s := range rec.Steps {
		steps = append(steps, map[string]any{"@type": "HowToStep", "position": i + 1, "text": s})
	}
	ld["recipeInstructions"] = steps
	if len(rec.Tags) > 0 {
		ld["keywords"] = strings.Join(rec.Tags, ", ")
	}
	if len(rec.Categories) > 0 {
		ld["recipeCategory"] = rec.Categories
	}
	if rec.SourceURL != "" {
		ld["isBasedOn"] = rec.SourceURL
	}
	if images := jsonLDImages(rec, base); len(images) > 0 {
		ld["image"] = images
	}
	return ld
}

type formView struct {
	Form    recipeForm
	Action  string
	Heading string
	Cancel  string
}

func (u *UI) renderForm(w http.ResponseWriter, r *http.Request, status int, f recipeForm) {
	v := formView{Form: f, Action: "/recipes/new", Heading: "New recipe", Cancel: "/"}
	if f.ID != "" {
		v.Action, v.Heading, v.Cancel = "/recipes/"+f.ID+"/edit", "Edit recipe", "/recipes/"+f.ID
	}
	v.Form.Ingredients = withSpareRows(f.Ingredients)
	v.Form.Steps = withSpareRows(f.Steps)
	title := v.Heading
	if len(f.Summary) > 0 {
		title = "Please check the form · " + title
	}
	u.render(w, r, status, "recipe_form", &page{Title: title, Data: v})
}

func (u *UI) newRecipe(w http.ResponseWriter, r *http.Request) {
	if u.requireUser(w, r) == nil {
		return
	}
	u.renderForm(w, r, http.StatusOK, recipeForm{Visibility: string(recipe.DefaultVisibility), Servings: "4"})
}

func (u *UI) createRecipe(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	f := formFromRequest(r)
	in, ok := f.input()
	if !ok {
		u.renderForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	rec, err := u.store.CreateRecipe(r.Context(), me.ID, in)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	u.redirect(w, r, "/recipes/"+rec.ID, "saved")
}

func (u *UI) editRecipe(w http.ResponseWriter, r *http.Request) {
	rec := u.loadEditable(w, r)
	if rec == nil {
		return
	}
	u.renderForm(w, r, http.StatusOK, formFromRecipe(rec))
}

func (u *UI) updateRecipe(w http.ResponseWriter, r *http.Request) {
	rec := u.loadEditable(w, r)
	if rec == nil {
		return
	}
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	f := formFromRequest(r)
	f.ID = rec.ID
	in, ok := f.input()
	if !ok {
		u.renderForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if _, err := u.store.ReplaceRecipe(r.Context(), rec.ID, in); err != nil {
		u.serverError(w, r, err)
		return
	}
	u.redirect(w, r, "/recipes/"+rec.ID, "saved")
}

func (u *UI) confirmDelete(w http.ResponseWriter, r *http.Request) {
	rec := u.loadEditable(w, r)
	if rec == nil {
		return
	}
	u.render(w, r, http.StatusOK, "recipe_delete", &page{Title: "Delete " + rec.Title + "?", Data: rec})
}

func (u *UI) deleteRecipe(w http.ResponseWriter, r *http.Request) {
	rec := u.loadEditable(w, r)
	if rec == nil {
		return
	}
	if err := u.store.DeleteRecipe(r.Context(), rec.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
		u.serverError(w, r, err)
		return
	}
	u.redirect(w, r, "/", "deleted")
}

// badForm answers a form post that could not even be read (too large or
// malformed).
func (u *UI) badForm(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusBadRequest
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		status = http.StatusRequestEntityTooLarge
	}
	u.render(w, r, status, "bad_request", &page{Title: "That did not work", Data: status == http.StatusRequestEntityTooLarge})
}

// scaleFactorText writes how a page's amounts differ from the recipe's
// ("×1½"), empty when they do not.
func scaleFactorText(servings, base int) string {
	f := float64(servings) / float64(base)
	if math.Abs(f-1) < 1e-9 {
		return ""
	}
	return "×" + recipe.FormatQuantity(f)
}
