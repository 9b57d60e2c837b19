package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/collection"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Collections' pages: /collections (mine, and the form for a new one),
// /c/{id} (a collection: a short, stable URL to share, which a rename does
// not break), /collections/{id}/edit, and /recipes/{id}/collections (the
// reader's collections with a checkbox each, where a card's "Add to
// collection" link leads). Every control is a form that posts and comes
// back, so all of it works without script; the moves are Up and Down
// buttons and a "move to" number, reachable by keyboard.

// collectionItemsPerPage is how many recipes a collection page shows.
const collectionItemsPerPage = 48

func init() {
	for k, v := range map[string]string{
		"collection-created": "Collection created.",
		"collection-saved":   "Collection saved.",
		"collection-deleted": "Collection deleted. Its recipes are still where they were.",
		"collection-added":   "Added to your collection.",
		"collection-updated": "Your collections are updated.",
		"collection-removed": "Removed from the collection.",
		"collection-moved":   "Moved.",
	} {
		flashMessages[k] = v
	}
}

// collectionForm is the create and edit form, kept as typed when it is
// refused.
type collectionForm struct {
	ID          string
	Name        string
	Description string
	Visibility  string
	Errors      map[string]string
	Summary     []formError
}

var collectionLabels = map[string]string{"name": "Name", "description": "Description", "visibility": "Who can see it"}

func (f *collectionForm) setErrors(errs validate.Errors) {
	f.Errors = map[string]string{}
	for _, e := range errs {
		if _, dup := f.Errors[e.Field]; dup {
			continue
		}
		f.Errors[e.Field] = e.Message
		f.Summary = append(f.Summary, formError{Field: e.Field, Label: collectionLabels[e.Field], Message: e.Message})
	}
}

func collectionFormFrom(r *http.Request) collectionForm {
	return collectionForm{Name: r.PostForm.Get("name"), Description: r.PostForm.Get("description"), Visibility: r.PostForm.Get("visibility")}
}

func (f collectionForm) input() collection.Input {
	return collection.Input{Name: f.Name, Description: f.Description, Visibility: recipe.Visibility(f.Visibility)}
}

// collectionCard is a collection in a list: its cover as a card photo.
type collectionCard struct {
	*collection.Collection
	CoverPhoto *photoView
}

func collectionCards(list []*collection.Collection) []collectionCard {
	out := make([]collectionCard, len(list))
	for i, c := range list {
		out[i] = collectionCard{Collection: c, CoverPhoto: newPhotoView("card", c.Cover, "", i < eagerCards)}
		if out[i].CoverPhoto != nil {
			out[i].CoverPhoto.Alt = ""
		}
	}
	return out
}

// myCollectionsView is /collections.
type myCollectionsView struct {
	Items []collectionCard
	Form  collectionForm
	Max   int
}

// myCollections is GET /collections.
func (u *UI) myCollections(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	u.renderMyCollections(w, r, me, http.StatusOK, collectionForm{Visibility: string(collection.DefaultVisibility)})
}

func (u *UI) renderMyCollections(w http.ResponseWriter, r *http.Request, me *auth.User, status int, f collectionForm) {
	list, err := u.store.CollectionsOf(r.Context(), me.ID, me.ID)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	title := "My collections"
	if len(f.Summary) > 0 {
		title = "Please check the form · " + title
	}
	u.render(w, r, status, "collections", &page{Title: title,
		Data: myCollectionsView{Items: collectionCards(list), Form: f, Max: collection.MaxPerUser}})
}

// createCollection is POST /collections.
func (u *UI) createCollection(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	f := collectionFormFrom(r)
	c, err := u.store.CreateCollection(r.Context(), me.ID, f.input())
	if u.refusedCollectionForm(w, r, err, &f, func(status int) { u.renderMyCollections(w, r, me, status, f) }) {
		return
	}
	u.redirect(w, r, "/c/"+c.ID, "collection-created")
}

// refusedCollectionForm answers a refused create or edit with the form
// again (redraw, given the status), and reports whether it answered.
func (u *UI) refusedCollectionForm(w http.ResponseWriter, r *http.Request, err error, f *collectionForm, redraw func(status int)) bool {
	var ve *validate.Error
	switch {
	case err == nil:
		return false
	case errors.As(err, &ve):
		f.setErrors(ve.Fields)
		redraw(http.StatusUnprocessableEntity)
	case errors.Is(err, store.ErrTooManyCollections):
		f.setErrors(validate.Errors{{Field: "name", Message: "cannot be added: you have the maximum of " +
			strconv.Itoa(collection.MaxPerUser) + " collections; delete one first"}})
		redraw(http.StatusConflict)
	default:
		u.collectionError(w, r, err)
	}
	return true
}

// collectionError answers the store's other answers: the not-found page
// for a hidden or missing collection, the forbidden page for someone
// else's.
func (u *UI) collectionError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		u.notFound(w, r)
	case errors.Is(err, store.ErrNotOwner):
		u.render(w, r, http.StatusForbidden, "forbidden", &page{Title: "Not yours to change"})
	case errors.Is(err, store.ErrCollectionFull):
		u.render(w, r, http.StatusConflict, "bad_request", &page{Title: "That collection is full: it holds " +
			strconv.Itoa(collection.MaxRecipes) + " recipes. Remove one first."})
	default:
		u.serverError(w, r, err)
	}
}

// collectionPageView is /c/{id}.
type collectionPageView struct {
	Collection *collection.Collection
	Cover      *photoView
	Items      []collectionItemView
	// IsOwner shows the owner's controls (reorder, remove, edit).
	IsOwner  bool
	ShareURL string
	NextURL  string
}

// collectionItemView is a recipe of the page: its card (the same for
// everyone, through the fragment cache) and its place.
type collectionItemView struct {
	Card     listCard
	Position int
	// Last says it is the last recipe the viewer sees: no Down button.
	Last bool
}

// viewCollection is GET /c/{id}.
func (u *UI) viewCollection(w http.ResponseWriter, r *http.Request) {
	viewer := viewerOf(r).UserID
	id, cursor := r.PathValue("id"), r.URL.Query().Get("cursor")
	c, pg, err := u.store.CollectionPage(r.Context(), viewer, id, cursor, collectionItemsPerPage)
	if errors.Is(err, store.ErrBadCursor) {
		cursor = ""
		c, pg, err = u.store.CollectionPage(r.Context(), viewer, id, "", collectionItemsPerPage)
	}
	if err != nil {
		u.collectionError(w, r, err)
		return
	}
	v := collectionPageView{Collection: c, IsOwner: viewer != "" && viewer == c.Owner.ID,
		Cover: newPhotoView("hero", c.Cover, "", true)}
	if c.Visibility != collection.Private {
		v.ShareURL = u.baseURL + "/c/" + c.ID
	}
	for i, it := range pg.Items {
		v.Items = append(v.Items, collectionItemView{Card: cardAt(&pg.Items[i].Recipe, i), Position: it.Position,
			Last: it.Position == c.RecipeCount})
	}
	if pg.NextCursor != "" {
		v.NextURL = "/c/" + c.ID + "?cursor=" + url.QueryEscape(pg.NextCursor)
	}
	desc := c.Description
	if desc == "" {
		desc = "A collection of recipes by " + c.Owner.DisplayName + " on RecCollection."
	}
	p := &page{Title: c.Name, Description: desc, Data: v, Public: c.Visibility == collection.Public}
	if c.Visibility == collection.Public {
		p.Canonical = u.baseURL + "/c/" + c.ID
	} else {
		w.Header().Set("X-Robots-Tag", "noindex")
	}
	u.render(w, r, http.StatusOK, "collection", p)
}

// ownCollection reads the collection of the URL for its owner, or
// answers (404 when hidden, 403 when someone else's).
func (u *UI) ownCollection(w http.ResponseWriter, r *http.Request, me *auth.User) *collection.Collection {
	c, err := u.store.Collection(r.Context(), me.ID, r.PathValue("id"))
	if err == nil && c.Owner.ID != me.ID {
		err = store.ErrNotOwner
	}
	if err != nil {
		u.collectionError(w, r, err)
		return nil
	}
	return c
}

// editCollectionForm is GET /collections/{id}/edit.
func (u *UI) editCollectionForm(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	c := u.ownCollection(w, r, me)
	if c == nil {
		return
	}
	u.render(w, r, http.StatusOK, "collection_edit", &page{Title: "Edit " + c.Name,
		Data: collectionForm{ID: c.ID, Name: c.Name, Description: c.Description, Visibility: string(c.Visibility)}})
}

// editCollection is POST /collections/{id}/edit.
func (u *UI) editCollection(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	f := collectionFormFrom(r)
	f.ID = r.PathValue("id")
	_, err := u.store.UpdateCollection(r.Context(), me.ID, f.ID, f.input())
	if u.refusedCollectionForm(w, r, err, &f, func(status int) {
		u.render(w, r, status, "collection_edit", &page{Title: "Please check the form · Edit collection", Data: f})
	}) {
		return
	}
	u.redirect(w, r, "/c/"+f.ID, "collection-saved")
}

// deleteCollection is POST /collections/{id}/delete.
func (u *UI) deleteCollection(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	if err := u.store.DeleteCollection(r.Context(), me.ID, r.PathValue("id")); err != nil {
		u.collectionError(w, r, err)
		return
	}
	u.redirect(w, r, "/collections", "collection-deleted")
}

// moveInCollection is POST /collections/{id}/recipes/{recipeID}/move:
// to=up or to=down (the buttons), or to=N for a position from 1.
func (u *UI) moveInCollection(w http.ResponseWriter, r *http.Request) {
	if _, ok := u.signedInForm(w, r); !ok {
		return
	}
	var m store.Move
	switch to := r.PostForm.Get("to"); to {
	case "up":
		m.By = -1
	case "down":
		m.By = 1
	default:
		n, err := strconv.Atoi(to)
		if err != nil || n < 1 || n > collection.MaxRecipes {
			u.render(w, r, http.StatusBadRequest, "bad_request", &page{Title: "Choose a position from 1 to " + strconv.Itoa(collection.MaxRecipes)})
			return
		}
		m.To = n
	}
	id, recipeID := r.PathValue("id"), r.PathValue("recipeID")
	if _, err := u.store.MoveInCollection(r.Context(), viewerOf(r), id, recipeID, m); err != nil {
		u.collectionError(w, r, err)
		return
	}
	u.redirect(w, r, "/c/"+id+"#arrange", "collection-moved")
}

// removeFromCollection is POST /collections/{id}/recipes/{recipeID}/remove.
func (u *UI) removeFromCollection(w http.ResponseWriter, r *http.Request) {
	if u.requireUser(w, r) == nil {
		return
	}
	id := r.PathValue("id")
	if err := u.store.RemoveFromCollection(r.Context(), viewerOf(r), id, r.PathValue("recipeID")); err != nil {
		u.collectionError(w, r, err)
		return
	}
	u.redirect(w, r, "/c/"+id+"#arrange", "collection-removed")
}

// collectionsBlock is the recipe page's "Add to collection" form: the
// reader's collections, read in the recipe's own statement
// (store.RecipeWithChoices); a visitor gets a link to sign in instead,
// so their page stays the same for everyone (pagememo.go).
type collectionsBlock struct {
	RecipeID string
	SignedIn bool
	Choices  []collection.Choice
	// In are the reader's collections holding the recipe.
	In []collection.Choice
}

func collectionsBlockFor(recipeID string, me *auth.User, choices []collection.Choice) collectionsBlock {
	b := collectionsBlock{RecipeID: recipeID, SignedIn: me != nil, Choices: choices}
	for _, c := range choices {
		if c.Contains {
			b.In = append(b.In, c)
		}
	}
	return b
}

// loadRecipePage is loadVisibleFor with the reader's collections for the
// recipe, in the same statement.
func (u *UI) loadRecipePage(w http.ResponseWriter, r *http.Request, me *auth.User) (*recipe.Recipe, recipe.Mine, collectionsBlock) {
	var userID string
	if me != nil {
		userID = me.ID
	}
	rec, mine, choices, err := u.store.RecipeWithChoices(r.Context(), r.PathValue("id"), userID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !recipe.CanRead(&rec.Summary, viewerOf(r))) {
		u.notFound(w, r)
		return nil, mine, collectionsBlock{}
	}
	if err != nil {
		u.serverError(w, r, err)
		return nil, mine, collectionsBlock{}
	}
	return rec, mine, collectionsBlockFor(rec.ID, me, choices)
}

// recipeCollectionsView is /recipes/{id}/collections.
type recipeCollectionsView struct {
	Recipe  *recipe.Summary
	Choices []collection.Choice
	NewName string
	Error   string
}

// recipeCollections is GET /recipes/{id}/collections: the reader's
// collections, each with a checkbox saying whether the recipe is in it.
func (u *UI) recipeCollections(w http.ResponseWriter, r *http.Request) {
	if u.requireUser(w, r) == nil {
		return
	}
	u.renderRecipeCollections(w, r, http.StatusOK, "", "")
}

func (u *UI) renderRecipeCollections(w http.ResponseWriter, r *http.Request, status int, newName, problem string) {
	sum, choices, err := u.store.CollectionChoices(r.Context(), viewerOf(r), r.PathValue("id"))
	if err != nil {
		u.collectionError(w, r, err)
		return
	}
	u.render(w, r, status, "recipe_collections", &page{Title: "Collections for " + sum.Title,
		Data: recipeCollectionsView{Recipe: sum, Choices: choices, NewName: newName, Error: problem}})
}

// setRecipeCollections is POST /recipes/{id}/collections, from two
// forms. The recipe page's (action=add) adds the recipe to the chosen
// collection. The checkbox page's (action=set) lists the collections it
// showed (shown) and the ticked ones (in): the recipe is added to the
// ticked and removed from the others shown, so a collection made in
// another tab meanwhile is left alone. Either may name a new collection
// (new_name), made private and given the recipe.
func (u *UI) setRecipeCollections(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	ctx, v, recipeID := r.Context(), viewerOf(r), r.PathValue("id")
	action, newName := r.PostForm.Get("action"), r.PostForm.Get("new_name")
	back := "/recipes/" + url.PathEscape(recipeID) + "#collections"
	refuse := func(status int, problem string) {
		if action == "set" {
			u.renderRecipeCollections(w, r, status, newName, problem)
			return
		}
		u.render(w, r, status, "bad_request", &page{Title: problem})
	}
	// The recipe first, so that a hidden one is the same 404 whatever
	// the form says.
	if _, _, err := u.store.CollectionChoices(ctx, v, recipeID); err != nil {
		u.collectionError(w, r, err)
		return
	}
	// Nothing is written until the whole form is understood and the new
	// name, if any, is valid; then the new collection is made first, as
	// the one write that can still be refused (the cap).
	var targets, untick []string
	switch action {
	case "add":
		if id := r.PostForm.Get("collection"); id != "" {
			targets = append(targets, id)
		}
		if len(targets) == 0 && newName == "" {
			refuse(http.StatusBadRequest, "Choose a collection, or name a new one")
			return
		}
	case "set":
		ticked := map[string]bool{}
		for _, id := range r.PostForm["in"] {
			ticked[id] = true
		}
		shown := r.PostForm["shown"]
		if len(shown) > collection.MaxPerUser {
			refuse(http.StatusBadRequest, "Too many collections in one form")
			return
		}
		for _, id := range shown {
			if ticked[id] {
				targets = append(targets, id)
			} else {
				untick = append(untick, id)
			}
		}
		back = "/recipes/" + url.PathEscape(recipeID) + "/collections"
	default:
		u.render(w, r, http.StatusBadRequest, "bad_request", &page{Title: "That did not work"})
		return
	}
	if newName != "" {
		in := collection.Input{Name: newName}
		if errs := in.Normalize(); len(errs) > 0 {
			refuse(http.StatusUnprocessableEntity, "The new collection's name "+errs[0].Message)
			return
		}
		c, err := u.store.CreateCollection(ctx, me.ID, in)
		switch {
		case errors.Is(err, store.ErrTooManyCollections):
			refuse(http.StatusConflict, "You have the maximum of "+strconv.Itoa(collection.MaxPerUser)+" collections; delete one first")
			return
		case err != nil:
			u.serverError(w, r, err)
			return
		}
		targets = append(targets, c.ID)
	}
	for _, id := range untick {
		if err := u.store.RemoveFromCollection(ctx, v, id, recipeID); err != nil {
			u.collectionError(w, r, err)
			return
		}
	}
	for _, id := range targets {
		if _, _, err := u.store.AddToCollection(ctx, v, id, recipeID); err != nil {
			u.collectionError(w, r, err)
			return
		}
	}
	flash := "collection-added"
	if action == "set" {
		flash = "collection-updated"
	}
	u.redirect(w, r, back, flash)
}

// publicCollections are ownerID's public collections as viewerID sees
// them, for the profile page: the owner's unlisted and private ones are
// not listed there, even for the owner, so the page shows what others
// see.
func (u *UI) publicCollections(r *http.Request, ownerID, viewerID string) ([]collectionCard, error) {
	list, err := u.store.CollectionsOf(r.Context(), ownerID, viewerID)
	if err != nil {
		return nil, err
	}
	public := list[:0]
	for _, c := range list {
		if c.Visibility == collection.Public {
			public = append(public, c)
		}
	}
	return collectionCards(public), nil
}
