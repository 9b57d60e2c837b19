package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/sharing"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Share links on pages: the recipe page's Share panel (its author alone,
// with the recipe-share-link flag on for them) and the share page,
// /s/{token}, which shows the recipe read-only to anyone holding a live
// link, signed in or not.

// SetSharing enables share links; without it the panel is never shown
// and /s/{token} is 404.
func (u *UI) SetSharing(s *sharing.Service) { u.sharing = s }

// sharePanel is the Share panel's data. It reaches only the author's own
// page, never one kept for visitors, but its fields are plain all the
// same (TestPageMemoDataIsPlain).
type sharePanel struct {
	RecipeID string
	Private  bool
	Links    []shareLinkRow
	Max      int
	Full     bool
	// Created is the link just made, shown once with its URL.
	Created *shareLinkRow
	// Expiries are the expiry choices; NewExpires the one selected.
	Expiries   []option
	NewExpires string
	NewLabel   string
	// EmailAvailable says whether this server can send email.
	EmailAvailable bool
	Email          shareEmailForm
	// Errors are the messages of the form just sent, by input id.
	Errors map[string]string
}

// shareLinkRow is one link as the panel lists it.
type shareLinkRow struct {
	ID      string
	Label   string
	URL     string // only for the link just made
	Created string
	Expires string // "" for never
	Used    string // "" for never
	Uses    int64
}

type shareEmailForm struct {
	To, Message, Expires string
}

var shareExpiryOptions = func() []option {
	out := make([]option, len(sharing.Expiries))
	for i, e := range sharing.Expiries {
		out[i] = option{Value: string(e.Value), Label: e.Label}
	}
	return out
}()

// shareOn answers whether me manages rec's share links on this page.
func (u *UI) shareOn(r *http.Request, rec *recipe.Recipe, me *auth.User) bool {
	return u.sharing != nil && me != nil && me.ID == rec.Author.ID && u.flagOn(r, flags.RecipeShareLink)
}

// sharePanelFor is the panel of rec for its author: one statement, the
// recipe's live links (at most store.MaxShareLinksPerRecipe).
func (u *UI) sharePanelFor(r *http.Request, rec *recipe.Recipe) (*sharePanel, error) {
	links, err := u.sharing.LiveLinks(r.Context(), rec.ID)
	if err != nil {
		return nil, err
	}
	p := &sharePanel{RecipeID: rec.ID, Private: rec.Visibility == recipe.Private, Max: store.MaxShareLinksPerRecipe,
		Full: len(links) >= store.MaxShareLinksPerRecipe, Expiries: shareExpiryOptions,
		NewExpires: string(sharing.DefaultExpiry), EmailAvailable: u.sharing.EmailAvailable(),
		Email: shareEmailForm{Expires: string(sharing.DefaultExpiry)}}
	for _, l := range links {
		p.Links = append(p.Links, linkRow(l))
	}
	return p, nil
}

func linkRow(l store.ShareLink) shareLinkRow {
	row := shareLinkRow{ID: l.ID, Label: l.Label, Created: shortDate(l.CreatedAt), Uses: l.Uses}
	if l.ExpiresAt != nil {
		row.Expires = shortDate(*l.ExpiresAt)
	}
	if l.LastUsedAt != nil {
		row.Used = shortDate(*l.LastUsedAt)
	}
	return row
}

func shortDate(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

// shareTarget loads the recipe of a Share panel form for its author with
// the flag on. Anyone else gets what they would get for a missing
// recipe (404), or, reading a recipe they did not write, the 403 page;
// with the flag off the panel's routes do not exist (404).
func (u *UI) shareTarget(w http.ResponseWriter, r *http.Request) (*recipe.Recipe, recipe.Mine, bool) {
	var mine recipe.Mine
	me := u.requireUser(w, r)
	if me == nil {
		return nil, mine, false
	}
	if u.sharing == nil || !u.flagOn(r, flags.RecipeShareLink) {
		u.notFound(w, r)
		return nil, mine, false
	}
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return nil, mine, false
	}
	rec, mine := u.loadVisibleFor(w, r, me)
	if rec == nil {
		return nil, mine, false
	}
	if rec.Author.ID != me.ID {
		u.render(w, r, http.StatusForbidden, "forbidden", &page{Title: "Not yours to share"})
		return nil, mine, false
	}
	return rec, mine, true
}

// createShareLink is POST /recipes/{id}/share-links: the recipe page
// again, with the new link's URL shown once (it is not stored, so a
// redirect could not carry it without putting it in a URL or a cookie).
func (u *UI) createShareLink(w http.ResponseWriter, r *http.Request) {
	rec, mine, ok := u.shareTarget(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	c, err := u.sharing.Create(r.Context(), viewerOf(r), rec.ID, sharing.LinkInput{Label: f.Get("label"), Expires: f.Get("expires")})
	u.showPanel(w, r, rec, mine, func(p *sharePanel) {
		p.NewLabel, p.NewExpires = f.Get("label"), f.Get("expires")
		if c != nil {
			row := linkRow(c.ShareLink)
			row.URL = c.URL
			p.Created = &row
			p.NewLabel, p.NewExpires = "", string(sharing.DefaultExpiry)
		}
	}, err, map[string]string{"label": "share-label", "expires": "share-expires"})
}

// emailShareLink is POST /recipes/{id}/share-links/email: queued, back to
// the recipe with a message; a refused form comes back filled in.
func (u *UI) emailShareLink(w http.ResponseWriter, r *http.Request) {
	rec, mine, ok := u.shareTarget(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	err := u.sharing.SendByEmail(r.Context(), viewerOf(r), rec.ID, sharing.EmailInput{To: f.Get("to"), Message: f.Get("message"), Expires: f.Get("expires")})
	if err == nil {
		u.redirect(w, r, "/recipes/"+url.PathEscape(rec.ID)+"#share", "share-sent")
		return
	}
	u.showPanel(w, r, rec, mine, func(p *sharePanel) {
		p.Email = shareEmailForm{To: f.Get("to"), Message: f.Get("message"), Expires: f.Get("expires")}
	}, err, map[string]string{"to": "share-to", "message": "share-message", "expires": "share-email-expires"})
}

// revokeShareLink is POST /recipes/{id}/share-links/{linkID}/revoke.
func (u *UI) revokeShareLink(w http.ResponseWriter, r *http.Request) {
	rec, _, ok := u.shareTarget(w, r)
	if !ok {
		return
	}
	err := u.sharing.Revoke(r.Context(), viewerOf(r), rec.ID, r.PathValue("linkID"))
	switch {
	case err == nil, errors.Is(err, store.ErrNotFound):
		// Revoked now or before (a second click): either way it is gone.
		u.redirect(w, r, "/recipes/"+url.PathEscape(rec.ID)+"#share", "share-revoked")
	default:
		u.serverError(w, r, err)
	}
}

// showPanel draws the recipe page after a panel form: 200 for a new
// link, 422 with the messages of a refused form (ids maps the form's
// fields to its inputs), 409 at the cap, 503 without email.
func (u *UI) showPanel(w http.ResponseWriter, r *http.Request, rec *recipe.Recipe, mine recipe.Mine, fill func(*sharePanel), err error, ids map[string]string) {
	status := http.StatusOK
	errs := map[string]string{}
	var ve *validate.Error
	switch {
	case err == nil:
	case errors.As(err, &ve):
		status = http.StatusUnprocessableEntity
		for _, fe := range ve.Fields {
			if id, ok := ids[fe.Field]; ok {
				errs[id] = fe.Message
			}
		}
	case errors.Is(err, store.ErrTooManyShareLinks):
		status = http.StatusConflict
		errs["share-panel"] = fmt.Sprintf("This recipe has %d live links, the most it may have: revoke one first.", store.MaxShareLinksPerRecipe)
	case errors.Is(err, sharing.ErrEmailUnavailable):
		status = http.StatusServiceUnavailable
		errs["share-panel"] = "This server cannot send email. Make a link and send it yourself."
	case errors.Is(err, store.ErrNotFound):
		u.notFound(w, r)
		return
	default:
		u.serverError(w, r, err)
		return
	}
	u.renderRecipe(w, r, rec, mine, status, func(v *recipeView) error {
		p, err := u.sharePanelFor(r, rec)
		if err != nil {
			return err
		}
		fill(p)
		p.Errors = errs
		v.Share = p
		return nil
	})
}

// sharedRecipe is GET /s/{token}: the recipe a live link opens, read-only
// (no edit, like, save or rating controls), for anyone. It is never
// indexed, cached or kept for other visitors, and sends no Referer, so
// the token in its address stays with whoever opened it. Unknown,
// revoked and expired links, and links whose author no longer has the
// flag, are all the same not-found page.
func (u *UI) sharedRecipe(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex")
	if u.sharing == nil {
		u.notFound(w, r)
		return
	}
	token := r.PathValue("token")
	rec, err := u.sharing.Open(r.Context(), token)
	if err == nil && !u.flagOnFor(r, flags.RecipeShareLink, rec.Author.ID) {
		err = store.ErrNotFound
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		u.notFound(w, r)
		return
	case err != nil:
		u.serverError(w, r, err)
		return
	}
	sharing.ShowPhotos(rec, token)
	me := auth.UserFrom(r.Context())
	v := recipeView{Recipe: rec, scaling: scalingFor(r, rec, me), SharedPath: sharing.PathPrefix + url.PathEscape(token)}
	v.fill(rec)
	v.allowVideo(w)
	u.render(w, r, http.StatusOK, "recipe", &page{Title: rec.Title, Data: v, NoIndex: true})
}

// flagOnFor answers whether feature flag key is on for userID (not
// necessarily the visitor).
func (u *UI) flagOnFor(r *http.Request, key, userID string) bool {
	if u.flags == nil {
		f, _ := flags.Lookup(key)
		return f.Default
	}
	return u.flags.Enabled(r.Context(), key, userID)
}
