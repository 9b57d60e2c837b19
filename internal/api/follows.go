package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Follows and the feed. PUT follows and DELETE unfollows, each idempotent
// by nature (a second PUT is the same follow), so they need no
// Idempotency-Key; the answer is the person's counts as they stand after
// the change.

// selfFollowMessage is what following oneself is told.
const selfFollowMessage = "You cannot follow yourself."

// followView is the answer of PUT and DELETE .../follow.
type followView struct {
	Username       string `json:"username"`
	FollowerCount  int    `json:"follower_count"`
	FollowingCount int    `json:"following_count"`
	FollowedByYou  bool   `json:"followed_by_you"`
}

// follow is PUT (on) or DELETE of /api/v1/users/{username}/follow.
func (a *API) follow(on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		me := requireUser(w, r)
		if me == nil {
			return
		}
		name := r.PathValue("username")
		st, err := a.store.SetFollow(r.Context(), me.ID, name, on)
		if errors.Is(err, store.ErrSelfFollow) {
			httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict, selfFollowMessage))
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "private, no-store")
		httpx.WriteJSON(w, r, http.StatusOK, followView{Username: strings.ToLower(name), FollowerCount: st.Followers,
			FollowingCount: st.Following, FollowedByYou: st.Followed})
	}
}

// personView is one entry of a followers or following list.
type personView struct {
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	Avatar      *recipe.Photo `json:"avatar"`
	// Since is when the follow began.
	Since time.Time `json:"since"`
}

type peopleResponse struct {
	Items      []personView `json:"items"`
	NextCursor string       `json:"next_cursor"`
}

// followList is GET /api/v1/users/{username}/followers or /following.
// Follows are public, as profiles are: anyone may read the lists.
func (a *API) followList(following bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		limit, cursor, ok := pageParams(w, r)
		if !ok {
			return
		}
		who, err := a.store.UserByUsername(r.Context(), r.PathValue("username"))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		read := a.store.Followers
		if following {
			read = a.store.Following
		}
		page, err := read(r.Context(), who.ID, limit, cursor)
		if errors.Is(err, store.ErrBadCursor) {
			badCursor(w, r)
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		out := peopleResponse{Items: make([]personView, 0, len(page.Items)), NextCursor: page.NextCursor}
		for _, p := range page.Items {
			out.Items = append(out.Items, personView{p.Username, p.DisplayName, p.Avatar, p.Since})
		}
		httpx.WriteJSON(w, r, http.StatusOK, out)
	}
}

// feed is GET /api/v1/me/feed: the newest public recipes of the people
// the caller follows, as the recipe list's cards and cursor.
func (a *API) feed(w http.ResponseWriter, r *http.Request) {
	me := requireUser(w, r)
	if me == nil {
		return
	}
	limit, cursor, ok := pageParams(w, r)
	if !ok {
		return
	}
	page, err := a.store.Feed(r.Context(), me.ID, limit, cursor)
	if errors.Is(err, store.ErrBadCursor) {
		badCursor(w, r)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, listResponse{Items: page.Items, NextCursor: page.NextCursor})
}

// pageParams reads limit and cursor, the only parameters of the follow
// lists and the feed, or answers 400.
func pageParams(w http.ResponseWriter, r *http.Request) (limit int, cursor string, ok bool) {
	q := r.URL.Query()
	var errs validate.Errors
	for key, vals := range q {
		if len(vals) > 1 {
			errs.Add(key, "must be given once")
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxListLimit {
			errs.Add("limit", "must be a whole number from 1 to %d", store.MaxListLimit)
		}
		limit = n
	}
	if len(errs) > 0 {
		p := httpx.NewProblem(http.StatusBadRequest, "Some query parameters are invalid; see errors.")
		p.Errors = errs
		httpx.WriteProblem(w, r, p)
		return 0, "", false
	}
	return limit, q.Get("cursor"), true
}

func badCursor(w http.ResponseWriter, r *http.Request) {
	p := httpx.NewProblem(http.StatusBadRequest, "The cursor is invalid or belongs to another list; start again without it.")
	p.Errors = validate.Errors{{Field: "cursor", Message: "is invalid"}}
	httpx.WriteProblem(w, r, p)
}

// profileFollows are the follow fields of a profile: the counts for
// everyone, and for a signed-in caller whether they follow this person.
type profileFollows struct {
	FollowerCount  int   `json:"follower_count"`
	FollowingCount int   `json:"following_count"`
	FollowedByYou  *bool `json:"followed_by_you,omitempty"`
}

func newProfileFollows(st *store.ProfileStats, me *auth.User) profileFollows {
	f := profileFollows{FollowerCount: st.Followers, FollowingCount: st.Following}
	if me != nil {
		f.FollowedByYou = &st.Followed
	}
	return f
}
