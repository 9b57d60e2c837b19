package ui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// socialView is the recipe page's likes, saves and rating: the counts
// everyone sees and, for a signed-in reader only, their own marks. It is
// in the data of a page kept for visitors (pagememo.go), so its fields
// are plain; the marks are zero for a visitor, whose page is the same
// for everyone.
type socialView struct {
	RecipeID string
	recipe.Counts
	SignedIn bool
	Liked    bool
	Saved    bool
	// MyStars is the reader's rating, 0 for none.
	MyStars int
	Stars   []int
}

// allStars are the choices of the rating control.
var allStars = []int{1, 2, 3, 4, 5}

// socialFor is rec's socialView with the marks mine of the reader me
// (nil for a visitor).
func socialFor(rec *recipe.Recipe, mine recipe.Mine, me *auth.User) socialView {
	v := socialView{RecipeID: rec.ID, Counts: rec.Counts, Stars: allStars}
	if me == nil {
		return v
	}
	v.SignedIn, v.Liked, v.Saved = true, mine.Liked, mine.Saved
	if mine.MyRating != nil {
		v.MyStars = *mine.MyRating
	}
	return v
}

// markForm is POST /recipes/{id}/like and /save: to=on sets the mark,
// to=off removes it (the button says which, so a form sent twice does
// the same thing twice). A visitor is sent to sign in first.
func (u *UI) markForm(set func(*store.Store) func(ctx context.Context, v recipe.Viewer, id string, on bool) (*recipe.Engagement, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if u.requireUser(w, r) == nil {
			return
		}
		if err := parseForm(w, r); err != nil {
			u.badForm(w, r, err)
			return
		}
		on, ok := u.toggleTo(w, r)
		if !ok {
			return
		}
		_, err := set(u.store)(r.Context(), viewerOf(r), r.PathValue("id"), on)
		u.afterMark(w, r, err, "#social")
	}
}

// toggleTo reads a toggle form's to=on or to=off (the button says which,
// so a form sent twice does the same thing twice); anything else is
// answered with the bad-request page and ok false.
func (u *UI) toggleTo(w http.ResponseWriter, r *http.Request) (on, ok bool) {
	switch r.PostForm.Get("to") {
	case "on":
		return true, true
	case "off":
		return false, true
	}
	u.render(w, r, http.StatusBadRequest, "bad_request", &page{Title: "That did not work"})
	return false, false
}

// rateForm is POST /recipes/{id}/rating: stars 1 to 5, or remove=1 to
// remove the reader's rating (the form's second button; the checked star
// is sent with it).
func (u *UI) rateForm(w http.ResponseWriter, r *http.Request) {
	if u.requireUser(w, r) == nil {
		return
	}
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	stars, err := strconv.Atoi(r.PostForm.Get("stars"))
	if r.PostForm.Get("remove") == "1" {
		stars, err = 0, nil
	} else if err == nil && !recipe.ValidStars(stars) {
		err = errors.New("out of range")
	}
	if err != nil {
		u.render(w, r, http.StatusBadRequest, "bad_request", &page{Title: "Choose from one to five stars"})
		return
	}
	_, err = u.store.Rate(r.Context(), viewerOf(r), r.PathValue("id"), stars)
	u.afterMark(w, r, err, "#rating")
}

// afterMark answers a like, save or rating: back to the recipe's block
// (fragment), or the not-found page for a recipe the reader may not see.
func (u *UI) afterMark(w http.ResponseWriter, r *http.Request, err error, fragment string) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		u.notFound(w, r)
	case err != nil:
		u.serverError(w, r, err)
	default:
		u.redirect(w, r, "/recipes/"+url.PathEscape(r.PathValue("id"))+fragment, "")
	}
}

func likeMarker(s *store.Store) func(ctx context.Context, v recipe.Viewer, id string, on bool) (*recipe.Engagement, error) {
	return s.SetLike
}

func saveMarker(s *store.Store) func(ctx context.Context, v recipe.Viewer, id string, on bool) (*recipe.Engagement, error) {
	return s.SetSave
}

// saved is GET /saved: the reader's saved recipes, with browse's search,
// filters, facets and pages.
func (u *UI) saved(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	u.listRecipes(w, r, me)
}
