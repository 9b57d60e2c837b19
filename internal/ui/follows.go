package ui

// Follows on the pages: the profile's follow button, the followers and
// following lists, and the home page's "Following" feed.

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

// followForm is POST /u/{username}/follow: to=on follows, to=off
// unfollows (the button says which, so a form sent twice does the same
// thing twice). A visitor is sent to sign in and back to the profile.
func (u *UI) followForm(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("username")
	profile := "/u/" + url.PathEscape(name)
	me := auth.UserFrom(r.Context())
	if me == nil {
		http.Redirect(w, r, "/login?next="+urlQueryEscape(profile), http.StatusSeeOther)
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
	_, err := u.store.SetFollow(r.Context(), me.ID, name, on)
	switch {
	case errors.Is(err, store.ErrSelfFollow):
		u.render(w, r, http.StatusBadRequest, "follow_self", &page{Title: "You cannot follow yourself", Data: me.Username})
	case errors.Is(err, store.ErrNotFound):
		u.notFound(w, r)
	case err != nil:
		u.serverError(w, r, err)
	default:
		u.redirect(w, r, profile+"#follow", "")
	}
}

// followView is a profile's counts and follow button. It is in the data
// of a page kept for visitors (pagememo.go), so its fields are plain; a
// visitor's Followed is false, their page the same for everyone.
type followView struct {
	Username  string
	Recipes   int
	Followers int
	Following int
	// SignedIn shows the button as the reader's toggle; a visitor's
	// leads to the sign-in page. IsMe shows none.
	SignedIn bool
	IsMe     bool
	Followed bool
}

func newFollowView(who *auth.User, st *store.ProfileStats, viewer string) followView {
	return followView{Username: who.Username, Recipes: st.Recipes, Followers: st.Followers, Following: st.Following,
		SignedIn: viewer != "", IsMe: viewer == who.ID, Followed: st.Followed}
}

// peopleView is a followers or following page.
type peopleView struct {
	// Profile is whose list it is (no avatar: the heading names them).
	Profile personCard
	// Following is set for the people the profile follows, unset for
	// their followers.
	Following bool
	Count     int
	People    []personCard
	NextURL   string
}

// personCard is one person in a list: plain data, for the page memo.
type personCard struct {
	Username    string
	DisplayName string
	Avatar      avatarView
}

// people is GET /u/{username}/followers, or with following GET
// /u/{username}/following: public, like the profile.
func (u *UI) people(following bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		who, err := u.store.UserByUsername(r.Context(), r.PathValue("username"))
		if errors.Is(err, store.ErrNotFound) {
			u.notFound(w, r)
			return
		}
		if err != nil {
			u.serverError(w, r, err)
			return
		}
		read, suffix := u.store.Followers, "/followers"
		if following {
			read, suffix = u.store.Following, "/following"
		}
		st, err := u.store.ProfileStats(r.Context(), who.ID, "")
		if err != nil {
			u.serverError(w, r, err)
			return
		}
		// An old or altered cursor starts again from the first page.
		res, err := read(r.Context(), who.ID, 48, r.URL.Query().Get("cursor"))
		if errors.Is(err, store.ErrBadCursor) {
			res, err = read(r.Context(), who.ID, 48, "")
		}
		if err != nil {
			u.serverError(w, r, err)
			return
		}
		v := peopleView{Profile: personCard{Username: who.Username, DisplayName: who.DisplayName},
			Following: following, Count: st.Followers}
		title := "People following " + who.DisplayName
		if following {
			v.Count, title = st.Following, "People "+who.DisplayName+" follows"
		}
		for _, p := range res.Items {
			v.People = append(v.People, personCard{p.Username, p.DisplayName, newAvatarView(p.Avatar, p.DisplayName, "small")})
		}
		if res.NextCursor != "" {
			v.NextURL = "/u/" + who.Username + suffix + "?cursor=" + urlQueryEscape(res.NextCursor)
		}
		u.render(w, r, http.StatusOK, "people", &page{Title: title + " (@" + who.Username + ")", Data: v, Public: true})
	}
}

// feedTab fills v with the reader's feed: the newest public recipes of
// the people they follow.
func (u *UI) feedTab(r *http.Request, me *auth.User, v *homeView) error {
	res, err := u.store.Feed(r.Context(), me.ID, 12, r.URL.Query().Get("cursor"))
	if errors.Is(err, store.ErrBadCursor) {
		res, err = u.store.Feed(r.Context(), me.ID, 12, "")
	}
	if err != nil {
		return err
	}
	v.Items = res.Items
	if res.NextCursor != "" {
		v.NextURL = "/?tab=following&cursor=" + urlQueryEscape(res.NextCursor)
	}
	return nil
}
