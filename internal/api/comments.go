package api

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Comments live under their recipe: /api/v1/recipes/{id}/comments and
// /api/v1/recipes/{id}/comments/{comment}. The recipe in the path is
// what privacy is checked against, so a comment is found only under the
// recipe it belongs to, and a recipe the caller may not read is the same
// 404 as a missing one whatever follows it. Bodies are plain text; the
// caller renders them (the web pages escape them and link addresses).

// commentJSON is a comment with what the caller may do with it.
type commentJSON struct {
	*recipe.Comment
	CanEdit   bool `json:"can_edit"`
	CanDelete bool `json:"can_delete"`
}

func commentFor(c *recipe.Comment, on *recipe.Summary, v recipe.Viewer) commentJSON {
	return commentJSON{Comment: c, CanEdit: recipe.CanEditComment(c, v), CanDelete: recipe.CanDeleteComment(c, on, v)}
}

type commentListResponse struct {
	Items      []commentJSON `json:"items"`
	Count      int           `json:"count"`
	NextCursor string        `json:"next_cursor"`
}

// commentRequest is the body of POST and PATCH.
type commentRequest struct {
	Body *string `json:"body"`
}

var commentOrders = map[string]store.CommentOrder{"newest": store.CommentsNewest, "oldest": store.CommentsOldest}

// parseCommentQuery reads order, cursor and limit, reporting every bad
// parameter at once.
func parseCommentQuery(q url.Values) (store.CommentQuery, validate.Errors) {
	var errs validate.Errors
	var cq store.CommentQuery
	for key, vals := range q {
		if len(vals) > 1 {
			errs.Add(key, "must be given once")
		}
	}
	if v := q.Get("order"); v != "" {
		o, ok := commentOrders[v]
		if !ok {
			errs.Add("order", "must be newest or oldest")
		}
		cq.Order = o
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxCommentLimit {
			errs.Add("limit", "must be a whole number from 1 to %d", store.MaxCommentLimit)
		}
		cq.Limit = n
	}
	cq.Cursor = q.Get("cursor")
	return cq, errs
}

// listComments is GET /api/v1/recipes/{id}/comments.
func (a *API) listComments(w http.ResponseWriter, r *http.Request) {
	cq, errs := parseCommentQuery(r.URL.Query())
	if len(errs) > 0 {
		p := httpx.NewProblem(http.StatusBadRequest, "Some query parameters are invalid; see errors.")
		p.Errors = errs
		httpx.WriteProblem(w, r, p)
		return
	}
	v := viewerOf(r)
	page, err := a.store.Comments(r.Context(), v, r.PathValue("id"), cq)
	if errors.Is(err, store.ErrBadCursor) {
		p := httpx.NewProblem(http.StatusBadRequest, "The cursor is invalid or belongs to another order; start again without it.")
		p.Errors = validate.Errors{{Field: "cursor", Message: "is invalid"}}
		httpx.WriteProblem(w, r, p)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if page.Recipe.Visibility != recipe.Public || v.UserID != "" {
		// As a recipe: shared caches keep only what anyone may see, and
		// nothing that says what the caller may do.
		w.Header().Set("Cache-Control", "private, no-store")
	}
	out := commentListResponse{Items: make([]commentJSON, len(page.Items)), Count: page.Count, NextCursor: page.NextCursor}
	for i, c := range page.Items {
		out.Items[i] = commentFor(c, &page.Recipe, v)
	}
	httpx.WriteJSON(w, r, http.StatusOK, out)
}

// decodeComment reads a comment's body, answering 400, 413, 415 or 422
// itself; the text's own rules are the store's (recipe.NormalizeComment).
func decodeComment(w http.ResponseWriter, r *http.Request) (string, bool) {
	var req commentRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return "", false
	}
	if req.Body == nil {
		httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "body", Message: "is required"}}))
		return "", false
	}
	return *req.Body, true
}

// addComment is POST /api/v1/recipes/{id}/comments: 201 with the comment.
func (a *API) addComment(w http.ResponseWriter, r *http.Request) {
	if requireUser(w, r) == nil {
		return
	}
	body, ok := decodeComment(w, r)
	if !ok {
		return
	}
	v := viewerOf(r)
	c, err := a.store.AddComment(r.Context(), v, r.PathValue("id"), body)
	if err != nil {
		a.failComment(w, r, err, "")
		return
	}
	w.Header().Set("Location", "/api/v1/recipes/"+c.RecipeID+"/comments/"+c.ID)
	httpx.WriteJSON(w, r, http.StatusCreated, commentJSON{Comment: c, CanEdit: true, CanDelete: true})
}

// editComment is PATCH /api/v1/recipes/{id}/comments/{comment}: the new
// body; the comment's author only.
func (a *API) editComment(w http.ResponseWriter, r *http.Request) {
	if requireUser(w, r) == nil {
		return
	}
	body, ok := decodeComment(w, r)
	if !ok {
		return
	}
	c, err := a.store.EditComment(r.Context(), viewerOf(r), r.PathValue("id"), r.PathValue("comment"), body)
	if err != nil {
		a.failComment(w, r, err, "Only the comment's author can edit it.")
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, commentJSON{Comment: c, CanEdit: true, CanDelete: true})
}

// deleteComment is DELETE /api/v1/recipes/{id}/comments/{comment}: the
// comment's author, or the recipe's (or an admin moderating it).
func (a *API) deleteComment(w http.ResponseWriter, r *http.Request) {
	if requireUser(w, r) == nil {
		return
	}
	err := a.store.DeleteComment(r.Context(), viewerOf(r), r.PathValue("id"), r.PathValue("comment"))
	if err != nil {
		a.failComment(w, r, err, "Only the comment's author or the recipe's author can delete it.")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// failComment answers the comment conditions: 403 with notYours for a
// comment the caller can see but not change, 429 with Retry-After over
// the daily allowance; anything else as fail does.
func (a *API) failComment(w http.ResponseWriter, r *http.Request, err error, notYours string) {
	var le *store.CommentLimitError
	switch {
	case errors.Is(err, store.ErrCommentNotYours):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusForbidden, notYours))
	case errors.As(err, &le):
		secs := int((le.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusTooManyRequests, CommentLimitMessage))
	default:
		a.fail(w, r, err)
	}
}

// CommentLimitMessage is what a comment over the daily allowance is told.
var CommentLimitMessage = "You have posted " + strconv.Itoa(store.MaxCommentsPerDay) +
	" comments in the last 24 hours, the most allowed. Try again later."
