package ui

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/importer"
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
	rec, _ := u.loadVisibleFor(w, r, nil)
	return rec
}

// loadVisibleFor is loadVisible with the marks of the reader me on the
// recipe, read in the same statement (none for a visitor, nil).
func (u *UI) loadVisibleFor(w http.ResponseWriter, r *http.Request, me *auth.User) (*recipe.Recipe, recipe.Mine) {
	var userID string
	if me != nil {
		userID = me.ID
	}
	rec, mine, err := u.store.RecipeFor(r.Context(), r.PathValue("id"), userID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !recipe.CanRead(&rec.Summary, viewerOf(r))) {
		u.notFound(w, r)
		return nil, mine
	}
	if err != nil {
		u.serverError(w, r, err)
		return nil, mine
	}
	return rec, mine
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
	// IngredientSections and Sections are the ingredients and the steps
	// under their headings, or nil when the list has no sections.
	IngredientSections []section[ingredientView]
	Sections           []section[string]
	// UnitChoices are the buttons of the units toggle.
	UnitChoices []option
	// Social is the likes, saves and rating block.
	Social socialView
	// Collections is the "Add to collection" block (collections.go).
	Collections collectionsBlock
	CanEdit     bool
	ShareURL    string
	// ShowShareLink offers the "Copy link" box (flag recipe-share-link);
	// never on a private recipe, whose link works for its author alone.
	ShowShareLink bool
	// Share is the Share panel, for the recipe's author alone (flag
	// recipe-share-link; sharelinks.go); nil for everyone else.
	Share *sharePanel
	// SharedPath is the share page's own path when the recipe is seen
	// through a share link (/s/{token}): the page is then read-only.
	SharedPath string
	// Hero is the main photo, Gallery the other photos not tied to a
	// step; stepPhotos are the steps' photos by 1-based step.
	Hero       *photoView
	Gallery    []*photoView
	stepPhotos map[int]*photoView
	// Video is the YouTube video the recipe came from, or nil.
	Video *videoView
}

// videoView is a recipe's video: a link to it, which a press turns into
// the player on the page (app.js). Nothing is loaded from YouTube before
// that press, and the player comes from youtube-nocookie.com.
type videoView struct {
	ID       string
	WatchURL string
}

// youTubePlayer is the origin of the player, the one frame source the
// recipe page of a video's recipe allows.
const youTubePlayer = "https://www.youtube-nocookie.com"

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
	me := auth.UserFrom(r.Context())
	rec, mine, inCollections := u.loadRecipePage(w, r, me)
	if rec == nil {
		return
	}
	share := u.shareOn(r, rec, me)
	u.renderRecipe(w, r, rec, mine, http.StatusOK, func(v *recipeView) (err error) {
		v.Collections = inCollections
		if share {
			v.Share, err = u.sharePanelFor(r, rec)
		}
		return err
	})
}

// renderRecipe draws the recipe page of rec for its reader, with their
// marks mine; extra, when set, adds to the page's data (the reader's
// collections, the Share panel).
func (u *UI) renderRecipe(w http.ResponseWriter, r *http.Request, rec *recipe.Recipe, mine recipe.Mine, status int, extra func(v *recipeView) error) {
	me := auth.UserFrom(r.Context())
	v := recipeView{Recipe: rec, scaling: scalingFor(r, rec, me), CanEdit: recipe.CanEdit(&rec.Summary, viewerOf(r)),
		ShareURL: u.baseURL + "/recipes/" + rec.ID, UnitChoices: unitToggle}
	v.ShowShareLink = rec.Visibility != recipe.Private && u.flagOn(r, flags.RecipeShareLink)
	v.fill(rec)
	v.Social = socialFor(rec, mine, me)
	if extra != nil {
		if err := extra(&v); err != nil {
			u.serverError(w, r, err)
			return
		}
	}
	p := &page{Title: rec.Title, Description: summarise(rec), Data: v, Canonical: v.ShareURL,
		OG:     map[string]string{"og:type": "article", "og:title": rec.Title, "og:description": summarise(rec), "og:url": v.ShareURL},
		JSONLD: recipeJSONLD(rec, v.ShareURL, u.baseURL), Public: rec.Visibility == recipe.Public, VaryLanguage: v.UnitsAsked == ""}
	shareImage(p.OG, rec, u.baseURL)
	if rec.Visibility != recipe.Public {
		w.Header().Set("X-Robots-Tag", "noindex")
	}
	v.allowVideo(w)
	u.render(w, r, status, "recipe", p)
}

// fill prepares rec's ingredients, steps, their sections and photos.
func (v *recipeView) fill(rec *recipe.Recipe) {
	v.Ingredients, v.Steps = v.ingredients(rec), v.steps(rec)
	v.IngredientSections = sectionsOf(v.Ingredients, rec.IngredientGroups)
	v.Sections = sectionsOf(v.Steps, rec.StepGroups)
	v.photos(rec)
	if id := importer.YouTubeVideoID(rec.SourceURL); id != "" {
		v.Video = &videoView{ID: id, WatchURL: "https://www.youtube.com/watch?v=" + id}
	}
}

// allowVideo lets the page of v play its video, and nothing else from
// elsewhere.
func (v *recipeView) allowVideo(w http.ResponseWriter) {
	if v.Video != nil {
		httpx.AllowFrames(w.Header(), youTubePlayer)
	}
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

// recipeJSONLD describes the recipe as schema.org/Recipe
// (recipe.SchemaOrg); base makes its photos' URLs absolute.
func recipeJSONLD(rec *recipe.Recipe, url, base string) map[string]any {
	return recipe.SchemaOrg(rec, url, jsonLDImages(rec, base))
}

type formView struct {
	Form    recipeForm
	Action  string
	Heading string
	Cancel  string
	// Import is set when the form checks an imported recipe (importform.go).
	Import *importExtras
}

func (u *UI) renderForm(w http.ResponseWriter, r *http.Request, status int, f recipeForm) {
	v := formView{Form: f, Action: "/recipes/new", Heading: "New recipe", Cancel: "/"}
	if f.ID != "" {
		v.Action, v.Heading, v.Cancel = "/recipes/"+f.ID+"/edit", "Edit recipe", "/recipes/"+f.ID
	}
	v.Form.Ingredients = withSpareRows(f.Ingredients)
	v.Form.Steps = withSpareRows(f.Steps)
	steps, _, _, _, _ := splitRows(f.Steps)
	v.Form.Photos.StepCount = max(len(steps), v.Form.Photos.StepCount)
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
	u.renderForm(w, r, http.StatusOK, recipeForm{Visibility: string(recipe.DefaultVisibility), Servings: "4", Photos: u.photosOf(r, nil)})
}

// photoFileFields are the recipe form's file inputs.
var photoFileFields = []string{"photo", "gallery"}

// readRecipeForm reads the recipe form, with its photos when the viewer
// may add them (files in a post by anyone else are read past). rec is the
// recipe being edited, nil for a new one. It answers itself on failure.
func (u *UI) readRecipeForm(w http.ResponseWriter, r *http.Request, rec *recipe.Recipe) (recipeForm, *uploads, bool) {
	pf := u.photosOf(r, rec)
	var fields []string
	if pf.Enabled {
		fields = photoFileFields
	}
	up, err := parseUploadForm(w, r, MaxUploadBody, fields...)
	if err != nil {
		u.badForm(w, r, err)
		return recipeForm{}, nil, false
	}
	f := formFromRequest(r)
	pf.typed(r.PostForm)
	f.Photos = pf
	return f, up, true
}

func (u *UI) createRecipe(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	f, up, ok := u.readRecipeForm(w, r, nil)
	if !ok {
		return
	}
	defer up.Close()
	in, ok := f.input()
	if !ok {
		f.Photos.Unsent = up.any()
		u.renderForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	rec, err := u.store.CreateRecipe(r.Context(), me.ID, in)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	u.savePhotos(w, r, me.ID, rec, f, up)
}

func (u *UI) editRecipe(w http.ResponseWriter, r *http.Request) {
	rec := u.loadEditable(w, r)
	if rec == nil {
		return
	}
	f := formFromRecipe(rec)
	f.Photos = u.photosOf(r, rec)
	u.renderForm(w, r, http.StatusOK, f)
}

func (u *UI) updateRecipe(w http.ResponseWriter, r *http.Request) {
	rec := u.loadEditable(w, r)
	if rec == nil {
		return
	}
	f, up, ok := u.readRecipeForm(w, r, rec)
	if !ok {
		return
	}
	defer up.Close()
	f.ID = rec.ID
	in, ok := f.input()
	if !ok {
		f.Photos.Unsent = up.any()
		u.renderForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	saved, err := u.store.ReplaceRecipe(r.Context(), rec.ID, in)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	// The photos as they were when the form was read: those are the ones
	// its fields name.
	saved.Photo, saved.Photos = rec.Photo, rec.Photos
	u.savePhotos(w, r, auth.UserFrom(r.Context()).ID, saved, f, up)
}

// savePhotos applies the form's photos to the saved recipe rec and shows
// the recipe; when a photo is refused it shows the form again instead,
// now editing the saved recipe, with what was typed, a note that the
// recipe is saved, and each refusal by its field.
func (u *UI) savePhotos(w http.ResponseWriter, r *http.Request, userID string, rec *recipe.Recipe, f recipeForm, up *uploads) {
	if !f.Photos.Enabled {
		u.redirect(w, r, "/recipes/"+rec.ID, "saved")
		return
	}
	refused, err := u.applyPhotos(r, userID, rec, up)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	if len(refused) == 0 {
		u.redirect(w, r, "/recipes/"+rec.ID, "saved")
		return
	}
	now, err := u.store.Recipe(r.Context(), rec.ID)
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(w, r) // deleted meanwhile, from another tab
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	f.ID = rec.ID
	f.Photos = u.photosOf(r, now)
	f.Photos.typed(r.PostForm)
	f.Photos.Saved = true
	f.Errors = map[string]string{}
	f.Summary = nil
	for _, e := range refused {
		f.addPhotoError(e, f.Photos)
	}
	if refused[0].Status == http.StatusServiceUnavailable {
		httpx.SetRetryAfter(w)
	}
	u.renderForm(w, r, refused[0].Status, f)
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
	status, v := http.StatusBadRequest, (*tooLargeView)(nil)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		status = http.StatusRequestEntityTooLarge
		v = &tooLargeView{Limit: sizeText(mbe.Limit), Photos: mbe.Limit > httpx.MaxBody}
	}
	u.render(w, r, status, "bad_request", &page{Title: "That did not work", Data: v})
}

// tooLargeView says what the 413 page tells: the limit, and whether it
// was a post with photos.
type tooLargeView struct {
	Limit  string
	Photos bool
}

// sizeText writes a byte limit as people read it: "1 MB", "100 MB". (The
// limits are powers of two; "MB" is what people call a mebibyte.)
func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", max(n>>10, 1))
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
