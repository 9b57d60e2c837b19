package ui

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Comments have a page of their own, GET /recipes/{id}/comments, rather
// than a place in the recipe page's data: the recipe page stays one
// statement and is kept for visitors (pagememo.go) with only the count,
// which its statement reads. The recipe page's "Comments" section links
// here and, with htmx, loads this page's #comments into itself when it
// scrolls into view; the order switch, "More comments" and the form work
// inside it the same way, and as plain links and posts without script.

// commentsView is the comments page's data. It may be kept for visitors
// (pagememo.go), so its fields are plain; what a reader may do is set
// only for the signed in, whose pages are never kept.
type commentsView struct {
	RecipeID    string
	RecipeTitle string
	Count       int
	// Order is "newest" or "oldest"; Oldest says which for the switch.
	Order  string
	Oldest bool
	Items  []commentView
	// MoreURL is the next page, "" on the last; Later is set on a page
	// after the first.
	MoreURL string
	Later   bool
	// SignedIn shows the form; a visitor is asked to sign in.
	SignedIn bool
	// Draft and DraftError keep a refused comment in the form.
	Draft      string
	DraftError string
	MaxRunes   int
}

// commentView is one comment as the page shows it.
type commentView struct {
	ID, RecipeID string
	Author       recipe.Author
	// Body is the text escaped, with its addresses linked (commentHTML).
	Body      template.HTML
	CreatedAt time.Time
	EditedAt  *time.Time
	// Posted and Edited are the times as the page writes them.
	Posted, Edited string
	CanEdit        bool
	CanDelete      bool
	// Removes says the reader would delete someone else's comment (the
	// recipe's author moderating), so the button says "Remove".
	Removes bool
}

// commentTime is when a comment was posted or edited, to the minute, in
// UTC (the page cannot know the reader's zone without script).
func commentTime(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04") + " UTC" }

// commentOrder reads ?order=: oldest, else newest (a page forgives what
// the API refuses).
func commentOrder(r *http.Request) store.CommentOrder {
	if r.URL.Query().Get("order") == string(store.CommentsOldest) {
		return store.CommentsOldest
	}
	return store.CommentsNewest
}

// commentsPath is the comments page of recipe id in order, from cursor.
func commentsPath(id string, order store.CommentOrder, cursor string) string {
	q := url.Values{}
	if order != store.CommentsNewest {
		q.Set("order", string(order))
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	p := "/recipes/" + url.PathEscape(id) + "/comments"
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// comments is GET /recipes/{id}/comments.
func (u *UI) comments(w http.ResponseWriter, r *http.Request) {
	u.showComments(w, r, http.StatusOK, "", "")
}

// showComments answers the comments page with status; draft and problem
// are a refused comment kept in the form and what was wrong with it.
func (u *UI) showComments(w http.ResponseWriter, r *http.Request, status int, draft, problem string) {
	v := viewerOf(r)
	order := commentOrder(r)
	cursor := ""
	if r.Method == http.MethodGet {
		cursor = r.URL.Query().Get("cursor")
	}
	cp, err := u.store.Comments(r.Context(), v, r.PathValue("id"), store.CommentQuery{Order: order, Cursor: cursor})
	switch {
	case errors.Is(err, store.ErrNotFound):
		u.notFound(w, r)
		return
	case errors.Is(err, store.ErrBadCursor):
		u.render(w, r, http.StatusBadRequest, "bad_request", &page{Title: "That did not work"})
		return
	case err != nil:
		u.serverError(w, r, err)
		return
	}
	view := commentsView{RecipeID: cp.Recipe.ID, RecipeTitle: cp.Recipe.Title, Count: cp.Count, Order: string(order),
		Oldest: order == store.CommentsOldest, Later: cursor != "", SignedIn: v.UserID != "",
		Draft: draft, DraftError: problem, MaxRunes: recipe.MaxCommentRunes, Items: make([]commentView, len(cp.Items))}
	if cp.NextCursor != "" {
		view.MoreURL = commentsPath(cp.Recipe.ID, order, cp.NextCursor)
	}
	for i, c := range cp.Items {
		cv := commentView{ID: c.ID, RecipeID: cp.Recipe.ID, Author: c.Author, Body: commentHTML(c.Body),
			CreatedAt: c.CreatedAt, EditedAt: c.EditedAt, Posted: commentTime(c.CreatedAt),
			CanEdit: recipe.CanEditComment(c, v), CanDelete: recipe.CanDeleteComment(c, &cp.Recipe, v)}
		if c.EditedAt != nil {
			cv.Edited = commentTime(*c.EditedAt)
		}
		cv.Removes = cv.CanDelete && !cv.CanEdit
		view.Items[i] = cv
	}
	public := cp.Recipe.Visibility == recipe.Public
	if !public {
		w.Header().Set("X-Robots-Tag", "noindex")
	}
	u.render(w, r, status, "comments", &page{Title: "Comments on " + cp.Recipe.Title, Data: view,
		Public: public && status == http.StatusOK})
}

// commentProblem is what the form says of a refused comment, and its
// status: 422 for the text, 429 over the daily allowance (with
// Retry-After); ok is false for any other error.
func commentProblem(w http.ResponseWriter, err error) (status int, problem string, ok bool) {
	var ve *validate.Error
	var le *store.CommentLimitError
	switch {
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, commentFieldMessage(ve.Fields), true
	case errors.As(err, &le):
		w.Header().Set("Retry-After", strconv.Itoa(int((le.RetryAfter+time.Second-1)/time.Second)))
		return http.StatusTooManyRequests, "You have posted " + strconv.Itoa(store.MaxCommentsPerDay) +
			" comments in the last 24 hours, the most we allow. Your comment is kept here: try again later.", true
	}
	return 0, "", false
}

// keptDraft is a refused text as the form shows it again: what a page
// cannot hold (control characters, which the message names, and invalid
// UTF-8) is left out, and the rest kept for the writer to fix.
func keptDraft(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			return -1
		}
		return r
	}, s)
}

// commentFieldMessage turns the text's validation error into a sentence.
func commentFieldMessage(errs validate.Errors) string {
	for _, e := range errs {
		if e.Field == "body" {
			if e.Message == "is required" {
				return "Write something first."
			}
			return "The comment " + e.Message + "."
		}
	}
	return "The comment could not be posted."
}

// postComment is POST /recipes/{id}/comments: body. It comes back to the
// new comment, or shows the page again with the text kept and what was
// wrong with it.
func (u *UI) postComment(w http.ResponseWriter, r *http.Request) {
	if u.requireUser(w, r) == nil {
		return
	}
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	body := r.PostForm.Get("body")
	c, err := u.store.AddComment(r.Context(), viewerOf(r), r.PathValue("id"), body)
	if status, problem, ok := commentProblem(w, err); ok {
		u.showComments(w, r, status, keptDraft(body), problem)
		return
	}
	if !u.commentDone(w, r, err) {
		return
	}
	u.redirect(w, r, commentsPath(c.RecipeID, store.CommentsNewest, "")+"#comment-"+c.ID, "comment-posted")
}

// commentDone answers a comment's not-found, forbidden and failed
// writes, and reports whether err was nil.
func (u *UI) commentDone(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return true
	case errors.Is(err, store.ErrNotFound):
		u.notFound(w, r)
	case errors.Is(err, store.ErrCommentNotYours):
		u.render(w, r, http.StatusForbidden, "forbidden", &page{Title: "Not yours to change",
			Data: "Only its author can edit a comment; its author and the recipe's author can delete it."})
	default:
		u.serverError(w, r, err)
	}
	return false
}

// commentEditView is the data of the page that edits a comment.
type commentEditView struct {
	RecipeID, RecipeTitle string
	CommentID             string
	Body                  string
	Problem               string
	MaxRunes              int
}

// editCommentForm is GET /recipes/{id}/comments/{comment}/edit, for the
// comment's author.
func (u *UI) editCommentForm(w http.ResponseWriter, r *http.Request) {
	if u.requireUser(w, r) == nil {
		return
	}
	c, on, err := u.store.Comment(r.Context(), viewerOf(r), r.PathValue("id"), r.PathValue("comment"))
	if err == nil && !recipe.CanEditComment(c, viewerOf(r)) {
		err = store.ErrCommentNotYours
	}
	if !u.commentDone(w, r, err) {
		return
	}
	u.renderCommentEdit(w, r, http.StatusOK, commentEditView{RecipeID: on.ID, RecipeTitle: on.Title, CommentID: c.ID, Body: c.Body})
}

func (u *UI) renderCommentEdit(w http.ResponseWriter, r *http.Request, status int, v commentEditView) {
	v.MaxRunes = recipe.MaxCommentRunes
	w.Header().Set("X-Robots-Tag", "noindex")
	u.render(w, r, status, "comment_edit", &page{Title: "Edit your comment", Data: v})
}

// saveComment is POST /recipes/{id}/comments/{comment}/edit: body.
func (u *UI) saveComment(w http.ResponseWriter, r *http.Request) {
	if u.requireUser(w, r) == nil {
		return
	}
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	body := r.PostForm.Get("body")
	id, commentID := r.PathValue("id"), r.PathValue("comment")
	c, err := u.store.EditComment(r.Context(), viewerOf(r), id, commentID, body)
	var ve *validate.Error
	if errors.As(err, &ve) {
		// The text is checked before the recipe is looked up: look it up
		// now, so a hidden recipe is still the same 404 as a missing one.
		old, on, lookErr := u.store.Comment(r.Context(), viewerOf(r), id, commentID)
		if lookErr == nil && !recipe.CanEditComment(old, viewerOf(r)) {
			lookErr = store.ErrCommentNotYours
		}
		if lookErr == nil {
			u.renderCommentEdit(w, r, http.StatusUnprocessableEntity, commentEditView{RecipeID: on.ID, RecipeTitle: on.Title,
				CommentID: commentID, Body: keptDraft(body), Problem: commentFieldMessage(ve.Fields)})
			return
		}
		err = lookErr
	}
	if !u.commentDone(w, r, err) {
		return
	}
	u.redirect(w, r, commentsPath(c.RecipeID, store.CommentsNewest, "")+"#comment-"+c.ID, "comment-saved")
}

// deleteComment is POST /recipes/{id}/comments/{comment}/delete.
func (u *UI) deleteComment(w http.ResponseWriter, r *http.Request) {
	if u.requireUser(w, r) == nil {
		return
	}
	id := r.PathValue("id")
	err := u.store.DeleteComment(r.Context(), viewerOf(r), id, r.PathValue("comment"))
	if !u.commentDone(w, r, err) {
		return
	}
	u.redirect(w, r, commentsPath(id, store.CommentsNewest, "")+"#comments", "comment-deleted")
}
