package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/sharing"
	"github.com/reccollection/reccollection/internal/store"
)

// Share links. Managing them (list, create, revoke, send by email) is
// the recipe author's alone and needs the recipe-share-link flag on for
// the caller: with it off every management route answers 404, as if it
// did not exist. A recipe the caller may not read is the same 404 as a
// missing one; one they read but did not write is 403 (they know it
// exists; only its author manages its links). Opening a link
// (GET /api/v1/shared/{token}) needs no account, and works while the
// flag is on for the recipe's author.

// WithSharing enables share links; without it every share route is 404.
func (a *API) WithSharing(s *sharing.Service) *API {
	a.sharing = s
	return a
}

// sharingFor answers whether the caller may manage share links at all: a
// signed-in user (else 401) with the flag on (else 404).
func (a *API) sharingFor(w http.ResponseWriter, r *http.Request) bool {
	u := requireUser(w, r)
	if u == nil {
		return false
	}
	if a.sharing == nil || a.flags == nil || !a.flags.Enabled(r.Context(), flags.RecipeShareLink, u.ID) {
		notFound(w, r)
		return false
	}
	return true
}

// failSharing maps share link errors to answers; the rest go to fail.
func (a *API) failSharing(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrNotAuthor):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusForbidden, "Only the recipe's author manages its share links."))
	case errors.Is(err, store.ErrTooManyShareLinks):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict,
			"This recipe has the most share links it may have ("+strconv.Itoa(store.MaxShareLinksPerRecipe)+"); revoke one first."))
	case errors.Is(err, sharing.ErrEmailUnavailable):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusServiceUnavailable, "This server cannot send email; copy the link instead."))
	default:
		a.fail(w, r, err)
	}
}

type shareLinkList struct {
	Items []store.ShareLink `json:"items"`
	// Max is how many live links a recipe may have.
	Max int `json:"max"`
}

// listShareLinks is GET /api/v1/recipes/{id}/share-links: the live links,
// newest first (at most store.MaxShareLinksPerRecipe, so no cursor).
func (a *API) listShareLinks(w http.ResponseWriter, r *http.Request) {
	if !a.sharingFor(w, r) {
		return
	}
	links, err := a.sharing.List(r.Context(), viewerOf(r), r.PathValue("id"))
	if err != nil {
		a.failSharing(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, shareLinkList{Items: links, Max: store.MaxShareLinksPerRecipe})
}

type shareLinkRequest struct {
	Label     string `json:"label"`
	Expires   string `json:"expires"`
	ExpiresAt string `json:"expires_at"`
}

// createShareLink is POST /api/v1/recipes/{id}/share-links: 201 with the
// link, its token and URL, which no later answer repeats.
func (a *API) createShareLink(w http.ResponseWriter, r *http.Request) {
	if !a.sharingFor(w, r) {
		return
	}
	var req shareLinkRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	c, err := a.sharing.Create(r.Context(), viewerOf(r), r.PathValue("id"), sharing.LinkInput{Label: req.Label, Expires: req.Expires, ExpiresAt: req.ExpiresAt})
	if err != nil {
		a.failSharing(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, r, http.StatusCreated, c)
}

// revokeShareLink is DELETE /api/v1/recipes/{id}/share-links/{linkID}.
func (a *API) revokeShareLink(w http.ResponseWriter, r *http.Request) {
	if !a.sharingFor(w, r) {
		return
	}
	if err := a.sharing.Revoke(r.Context(), viewerOf(r), r.PathValue("id"), r.PathValue("linkID")); err != nil {
		a.failSharing(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type shareEmailRequest struct {
	To        string `json:"to"`
	Message   string `json:"message"`
	Expires   string `json:"expires"`
	ExpiresAt string `json:"expires_at"`
}

// emailShareLink is POST /api/v1/recipes/{id}/share-links/email: 202 once
// the message is queued; the link it carries is made when it is sent.
func (a *API) emailShareLink(w http.ResponseWriter, r *http.Request) {
	if !a.sharingFor(w, r) {
		return
	}
	var req shareEmailRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	err := a.sharing.SendByEmail(r.Context(), viewerOf(r), r.PathValue("id"),
		sharing.EmailInput{To: req.To, Message: req.Message, Expires: req.Expires, ExpiresAt: req.ExpiresAt})
	if err != nil {
		a.failSharing(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusAccepted, map[string]string{"message": "The link is on its way."})
}

// sharedRecipe is GET /api/v1/shared/{token}: the recipe a live link
// opens, to anyone who has it. Unknown, revoked and expired tokens, and
// links whose author no longer has the flag, are one 404.
func (a *API) sharedRecipe(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if a.sharing == nil {
		notFound(w, r)
		return
	}
	token := r.PathValue("token")
	rec, err := a.sharing.Open(r.Context(), token)
	if err == nil && (a.flags == nil || !a.flags.Enabled(r.Context(), flags.RecipeShareLink, rec.Author.ID)) {
		err = store.ErrNotFound
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	sharing.ShowPhotos(rec, token)
	httpx.WriteJSON(w, r, http.StatusOK, rec)
}
