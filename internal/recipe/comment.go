package recipe

import (
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/validate"
)

// MaxCommentRunes is the longest comment, in characters (runes): room for
// a whole story of how the dish went, short of a second recipe.
const MaxCommentRunes = 5000

// Comment is one reader's remark on a recipe: plain text, never markup.
// Pages escape it and turn its web addresses into links; API clients get
// the text as written.
type Comment struct {
	ID       string `json:"id"`
	RecipeID string `json:"recipe_id"`
	// Author is who wrote it (their public face, as a recipe's author).
	Author    Author    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	// EditedAt is when its author last changed it; nil if never.
	EditedAt *time.Time `json:"edited_at"`
}

// NormalizeComment is the one rule for a comment's text, from the API and
// the pages alike: line breaks as "\n" (a browser's form sends "\r\n"),
// surrounding white space trimmed, then 1 to MaxCommentRunes characters of
// valid UTF-8 with no control character but newline and tab. It returns
// the text to store and, when it is not acceptable, the reasons under the
// field "body".
func NormalizeComment(body string) (string, validate.Errors) {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	var errs validate.Errors
	body = validate.Text(&errs, "body", body, 1, MaxCommentRunes, true)
	return body, errs
}

// CanEditComment reports whether v may change c: its author alone, so
// that nobody's words are put in their mouth.
func CanEditComment(c *Comment, v Viewer) bool {
	return v.UserID != "" && c.Author.ID == v.UserID
}

// CanDeleteComment reports whether v may delete c on recipe r (which v
// can read): its author, and whoever may edit the recipe (its author, or
// an admin moderating published work, as CanEdit says).
func CanDeleteComment(c *Comment, r *Summary, v Viewer) bool {
	return CanEditComment(c, v) || CanEdit(r, v)
}
