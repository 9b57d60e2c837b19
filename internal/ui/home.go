package ui

// The public pages around recipes: home, about, profiles.

import (
	"errors"
	"net/http"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

type homeView struct {
	// Tab is "mine", "following" (the feed, follows.go) or "everyone";
	// "" on the visitors' landing page.
	Tab     string
	Items   []*recipe.Summary
	NextURL string
}

// home is the landing page for visitors and the kitchen table for people
// signed in: their own recipes (the default: the collection is theirs
// first), the feed of the people they follow, or everyone's newest.
func (u *UI) home(w http.ResponseWriter, r *http.Request) {
	me := auth.UserFrom(r.Context())
	q := r.URL.Query()
	lq := store.ListQuery{Limit: 12, Cursor: q.Get("cursor")}
	v := homeView{}
	if me != nil && q.Get("tab") == "following" {
		v.Tab = "following"
		if err := u.feedTab(r, me, &v); err != nil {
			u.serverError(w, r, err)
			return
		}
		u.render(w, r, http.StatusOK, "home", &page{Title: "Your kitchen", Data: v})
		return
	}
	if me != nil {
		lq.ViewerID = me.ID
		v.Tab = "mine"
		if q.Get("tab") == "everyone" {
			v.Tab = "everyone"
			lq.Visibility = recipe.Public
		} else {
			lq.AuthorID = me.ID
		}
	}
	res, _, err := u.list(r, lq)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v.Items = res.Items
	if res.NextCursor != "" && me != nil {
		v.NextURL = "/?tab=" + v.Tab + "&cursor=" + urlQueryEscape(res.NextCursor)
	}
	if me == nil {
		u.render(w, r, http.StatusOK, "landing", &page{Title: "Your recipes, kept and shared",
			Description: "RecCollection keeps your recipes, finds them again and shares the ones you love.", Data: v, Public: true})
		return
	}
	u.render(w, r, http.StatusOK, "home", &page{Title: "Your kitchen", Data: v})
}

func (u *UI) about(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "about", &page{Title: "About", Public: true})
}

type profileView struct {
	Profile *auth.User
	Count   int
	Items   []*recipe.Summary
	NextURL string
	IsMe    bool
	Avatar  avatarView
	// Collections are the person's public collections.
	Collections []collectionCard
	// Follow is the counts and the follow button (follows.go).
	Follow followView
}

func (u *UI) profile(w http.ResponseWriter, r *http.Request) {
	who, err := u.store.UserByUsername(r.Context(), r.PathValue("username"))
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(w, r)
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	viewer := ""
	if me := auth.UserFrom(r.Context()); me != nil {
		viewer = me.ID
	}
	st, err := u.store.ProfileStats(r.Context(), who.ID, viewer)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	res, _, err := u.list(r, store.ListQuery{ViewerID: viewer, AuthorID: who.ID, Limit: 24, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	avatar, err := u.store.Avatar(r.Context(), who.ID)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v := profileView{Profile: who, Count: st.Recipes, Items: res.Items, IsMe: viewer == who.ID,
		Avatar: newAvatarView(avatar, who.DisplayName, "large"), Follow: newFollowView(who, st, viewer)}
	if v.Collections, err = u.publicCollections(r, who.ID, viewer); err != nil {
		u.serverError(w, r, err)
		return
	}
	if res.NextCursor != "" {
		v.NextURL = "/u/" + who.Username + "?cursor=" + urlQueryEscape(res.NextCursor)
	}
	u.render(w, r, http.StatusOK, "profile", &page{Title: who.DisplayName + " (@" + who.Username + ")",
		Description: "Recipes by " + who.DisplayName + " on RecCollection.", Data: v, Public: true})
}

// list loads a page of recipes; a cursor that no longer fits (the sort
// changed, the link is old) falls back to the first page, reported by
// expired.
func (u *UI) list(r *http.Request, lq store.ListQuery) (res *store.Page, expired bool, err error) {
	res, err = u.store.ListRecipes(r.Context(), lq)
	if errors.Is(err, store.ErrBadCursor) {
		lq.Cursor = ""
		res, err = u.store.ListRecipes(r.Context(), lq)
		expired = true
	}
	return res, expired, err
}
