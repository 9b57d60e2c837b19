package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
)

// Comments on recipes: rows of recipe_comments (migration 21), each with
// its recipe and author, plain text checked by recipe.NormalizeComment
// before anything is read or written. Every operation first looks the
// recipe up and applies recipe.CanRead, so a comment on a recipe the
// viewer may not read, a comment on a missing recipe and a comment id
// that belongs to another recipe are all ErrNotFound, as a missing
// recipe is. A recipe's comment count is counted from the rows (as likes
// are, engagement.go), in the recipe's own statement (loadRecipeFor) and
// in the first statement of a comment page.

// CommentOrder orders a recipe's comments.
type CommentOrder string

const (
	CommentsNewest CommentOrder = "newest"
	CommentsOldest CommentOrder = "oldest"
)

// Page sizes of a comment list.
const (
	DefaultCommentLimit = 20
	MaxCommentLimit     = 100
)

// MaxCommentsPerDay is how many comments one person may post in any 24
// hours, all recipes together: far beyond a keen cook's evening, and a
// bound on what one account can pour onto other people's recipes that
// the request rate limit (a burst, then a trickle) does not give.
const MaxCommentsPerDay = 100

// commentDay is the window of MaxCommentsPerDay.
const commentDay = 24 * time.Hour

var (
	// ErrCommentNotYours: the comment exists and the viewer may see it,
	// but may not change it (only its author edits; its author and the
	// recipe's may delete).
	ErrCommentNotYours = errors.New("not your comment")
	// ErrCommentLimit is wrapped by CommentLimitError.
	ErrCommentLimit = errors.New("daily comment allowance used")
)

// CommentLimitError refuses a comment over MaxCommentsPerDay; RetryAfter
// is when the oldest comment of the day leaves the window.
type CommentLimitError struct{ RetryAfter time.Duration }

func (e *CommentLimitError) Error() string {
	return fmt.Sprintf("%d comments in 24 hours; next in %s", MaxCommentsPerDay, e.RetryAfter)
}
func (e *CommentLimitError) Unwrap() error { return ErrCommentLimit }

// CommentQuery selects a page of a recipe's comments. The zero value is
// the newest DefaultCommentLimit.
type CommentQuery struct {
	Order  CommentOrder
	Cursor string
	Limit  int
}

// CommentPage is a page of a recipe's comments with what a page about
// them shows of the recipe; NextCursor is empty on the last page.
type CommentPage struct {
	// Recipe has the recipe's id, title, author id and visibility only.
	Recipe     recipe.Summary
	Count      int
	Items      []*recipe.Comment
	NextCursor string
}

// commentCursor is the position after a page's last comment: its time
// and id (the sort key) and the order it was issued for.
type commentCursor struct {
	Order CommentOrder `json:"o"`
	Time  time.Time    `json:"t"`
	ID    string       `json:"i"`
}

func decodeCommentCursor(s string, order CommentOrder) (*commentCursor, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > 256 {
		return nil, ErrBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadCursor
	}
	var c commentCursor
	if err := json.Unmarshal(b, &c); err != nil || c.Order != order || c.Time.IsZero() || !validID(c.ID) {
		return nil, ErrBadCursor
	}
	return &c, nil
}

func (c commentCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// commentSQL is the text of the comment statements per dialect name,
// built once (the commenter's avatar is a dialect's JSON object).
var commentSQL = map[string]commentQueries{
	"postgres": newCommentQueries(postgresDialect{}),
	"sqlite":   newCommentQueries(sqliteDialect{}),
}

type commentQueries struct {
	// columns and from read comments with their authors (scanComment);
	// a WHERE on c follows from.
	columns, from string
}

func newCommentQueries(d dialect) commentQueries {
	return commentQueries{
		columns: "SELECT c.id, c.recipe_id, c.body, c.created_at, c.edited_at, u.id, u.username, u.display_name" +
			", (SELECT " + photoObject(d, "p") + " FROM photos p WHERE p.owner_id = u.id AND p.role = 'avatar')",
		from: " FROM recipe_comments c JOIN users u ON u.id = c.author_id",
	}
}

// commentCountOf is the number of comments on the recipe whose id is the
// expression recipeID.
func commentCountOf(recipeID string) string {
	return "(SELECT count(*) FROM recipe_comments cc WHERE cc.recipe_id = " + recipeID + ")"
}

// scanComment reads one row of commentQueries.columns.
func (s *Store) scanComment(row interface{ Scan(...any) error }) (*recipe.Comment, error) {
	var c recipe.Comment
	var edited sql.NullTime
	var avatar []byte
	if err := row.Scan(&c.ID, &c.RecipeID, &c.Body, &c.CreatedAt, &edited, &c.Author.ID, &c.Author.Username,
		&c.Author.DisplayName, &avatar); err != nil {
		return nil, err
	}
	if edited.Valid {
		t := edited.Time
		c.EditedAt = &t
	}
	var err error
	c.Author.Avatar, err = s.decodePhoto(avatar, false)
	return &c, err
}

// commentRecipeIn looks recipe id up on q with its comment count, and
// answers ErrNotFound unless v may read it (recipe.CanRead).
func commentRecipeIn(ctx context.Context, q conn, v recipe.Viewer, id string) (*recipe.Summary, int, error) {
	sum := recipe.Summary{ID: id}
	var count int
	err := q.QueryRowContext(ctx, "SELECT r.author_id, r.visibility, r.title, "+commentCountOf("r.id")+
		" FROM recipes r WHERE r.id = ?", id).Scan(&sum.Author.ID, &sum.Visibility, &sum.Title, &count)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, ErrNotFound
	}
	if err != nil {
		return nil, 0, fmt.Errorf("look up recipe %s: %w", id, err)
	}
	if !recipe.CanRead(&sum, v) {
		return nil, 0, ErrNotFound
	}
	return &sum, count, nil
}

// commentIn reads comment id of recipe recipeID on q: ErrNotFound when
// there is none, or it belongs to another recipe.
func (s *Store) commentIn(ctx context.Context, q conn, recipeID, id string) (*recipe.Comment, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	cq := commentSQL[s.d.name()]
	c, err := s.scanComment(q.QueryRowContext(ctx, cq.columns+cq.from+" WHERE c.id = ? AND c.recipe_id = ?", id, recipeID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read comment %s: %w", id, err)
	}
	return c, nil
}

// Comments answers a page of the comments on recipe id, in q's order,
// with the recipe's count, in two statements whatever the page's size:
// the recipe with its count (and the CanRead check), then the page's
// comments with their authors' names and avatars. A recipe v may not
// read is ErrNotFound; a cursor not issued for q.Order is ErrBadCursor.
// Comments tolerate replication lag (a reader's own new comment comes
// from the primary: readYourWrites), so a replica may answer.
func (s *Store) Comments(ctx context.Context, v recipe.Viewer, id string, q CommentQuery) (*CommentPage, error) {
	if q.Order == "" {
		q.Order = CommentsNewest
	}
	if q.Order != CommentsNewest && q.Order != CommentsOldest {
		return nil, fmt.Errorf("comment order %q", q.Order)
	}
	if q.Limit <= 0 {
		q.Limit = DefaultCommentLimit
	}
	q.Limit = min(q.Limit, MaxCommentLimit)
	cur, err := decodeCommentCursor(q.Cursor, q.Order)
	if err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, ErrNotFound
	}
	var page *CommentPage
	err = s.fromReplicaOrPrimary(ctx, func(c conn) (err error) {
		page, err = s.commentPage(ctx, c, v, id, q, cur)
		return err
	})
	return page, err
}

func (s *Store) commentPage(ctx context.Context, q conn, v recipe.Viewer, id string, cq CommentQuery, cur *commentCursor) (*CommentPage, error) {
	sum, count, err := commentRecipeIn(ctx, q, v, id)
	if err != nil {
		return nil, err
	}
	page := &CommentPage{Recipe: *sum, Count: count, Items: []*recipe.Comment{}}
	if count == 0 {
		return page, nil
	}
	sqlText := commentSQL[s.d.name()]
	query := sqlText.columns + sqlText.from + " WHERE c.recipe_id = ?"
	args := []any{id}
	cmp, dir := ">", "ASC"
	if cq.Order == CommentsNewest {
		cmp, dir = "<", "DESC"
	}
	if cur != nil {
		// A row value walks recipe_comments_recipe_idx from the cursor on,
		// in both engines.
		query += " AND (c.created_at, c.id) " + cmp + " (?, ?)"
		args = append(args, cur.Time, cur.ID)
	}
	query += " ORDER BY c.created_at " + dir + ", c.id " + dir + " LIMIT ?"
	args = append(args, cq.Limit+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list comments of recipe %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := s.scanComment(rows)
		if err != nil {
			return nil, fmt.Errorf("list comments of recipe %s: %w", id, err)
		}
		page.Items = append(page.Items, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list comments of recipe %s: %w", id, err)
	}
	if len(page.Items) > cq.Limit {
		page.Items = page.Items[:cq.Limit]
		last := page.Items[len(page.Items)-1]
		page.NextCursor = commentCursor{Order: cq.Order, Time: last.CreatedAt, ID: last.ID}.encode()
	}
	return page, nil
}

// CountComments is the number of comments on recipe id, which v must be
// able to read (ErrNotFound otherwise).
func (s *Store) CountComments(ctx context.Context, v recipe.Viewer, id string) (int, error) {
	if !validID(id) {
		return 0, ErrNotFound
	}
	var n int
	err := s.fromReplicaOrPrimary(ctx, func(q conn) (err error) {
		_, n, err = commentRecipeIn(ctx, q, v, id)
		return err
	})
	return n, err
}

// AddComment posts body as v's comment on recipe id and returns it. The
// text is checked first (a *validate.Error, whatever the recipe); then,
// in one transaction, the recipe must be one v may read (ErrNotFound),
// v must be under MaxCommentsPerDay (*CommentLimitError), and the row is
// written and read back. Whatever else a new comment should cause joins
// this transaction.
func (s *Store) AddComment(ctx context.Context, v recipe.Viewer, id, body string) (*recipe.Comment, error) {
	body, errs := recipe.NormalizeComment(body)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if v.UserID == "" || !validID(id) {
		return nil, ErrNotFound
	}
	var c *recipe.Comment
	var emails []int64
	err := s.inTx(ctx, func(tx conn) error {
		if _, _, err := commentRecipeIn(ctx, tx, v, id); err != nil {
			return err
		}
		now := s.now().UTC().Truncate(time.Microsecond)
		if err := underCommentCap(ctx, tx, v.UserID, now); err != nil {
			return err
		}
		commentID := newID()
		_, err := tx.ExecContext(ctx, "INSERT INTO recipe_comments (id, recipe_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
			commentID, id, v.UserID, body, now)
		if s.d.isForeignKeyViolation(err) {
			return ErrNotFound // the recipe was deleted since the look-up (PostgreSQL)
		}
		if err != nil {
			return fmt.Errorf("add comment to recipe %s: %w", id, err)
		}
		// The author hears of it (notifications.go).
		if err := s.notifyIn(ctx, tx, notice{kind: KindComment, recipient: recipeAuthor, args: []any{id},
			actorID: v.UserID, recipeID: id, commentID: commentID}, &emails); err != nil {
			return err
		}
		c, err = s.commentIn(ctx, tx, id, commentID)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.announceEmails(ctx, emails)
	return c, nil
}

// underCommentCap answers a *CommentLimitError when userID has posted
// MaxCommentsPerDay comments in the day before now: it reads the
// MaxCommentsPerDay-th newest of them (an index walk of at most that
// many entries), whose age says when the next one is allowed.
func underCommentCap(ctx context.Context, q conn, userID string, now time.Time) error {
	var oldest time.Time
	err := q.QueryRowContext(ctx, "SELECT created_at FROM recipe_comments WHERE author_id = ? AND created_at > ?"+
		" ORDER BY created_at DESC LIMIT 1 OFFSET ?", userID, now.Add(-commentDay), MaxCommentsPerDay-1).Scan(&oldest)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("count comments of %s: %w", userID, err)
	}
	return &CommentLimitError{RetryAfter: max(oldest.Add(commentDay).Sub(now), time.Second)}
}

// EditComment replaces the text of comment commentID on recipe id with
// body, which only its author may do (ErrCommentNotYours), and marks it
// edited. The text is checked first, as AddComment does. The same text
// again changes nothing, not even the mark.
func (s *Store) EditComment(ctx context.Context, v recipe.Viewer, id, commentID, body string) (*recipe.Comment, error) {
	body, errs := recipe.NormalizeComment(body)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if v.UserID == "" || !validID(id) {
		return nil, ErrNotFound
	}
	var c *recipe.Comment
	err := s.inTx(ctx, func(tx conn) error {
		if _, _, err := commentRecipeIn(ctx, tx, v, id); err != nil {
			return err
		}
		var err error
		if c, err = s.commentIn(ctx, tx, id, commentID); err != nil {
			return err
		}
		if !recipe.CanEditComment(c, v) {
			return ErrCommentNotYours
		}
		if c.Body == body {
			return nil
		}
		now := s.now().UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, "UPDATE recipe_comments SET body = ?, edited_at = ? WHERE id = ?", body, now, commentID); err != nil {
			return fmt.Errorf("edit comment %s: %w", commentID, err)
		}
		c.Body, c.EditedAt = body, &now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// DeleteComment deletes comment commentID on recipe id: its author may,
// and so may whoever may edit the recipe (recipe.CanDeleteComment);
// anyone else who can see it gets ErrCommentNotYours.
func (s *Store) DeleteComment(ctx context.Context, v recipe.Viewer, id, commentID string) error {
	if v.UserID == "" || !validID(id) {
		return ErrNotFound
	}
	return s.inTx(ctx, func(tx conn) error {
		sum, _, err := commentRecipeIn(ctx, tx, v, id)
		if err != nil {
			return err
		}
		c, err := s.commentIn(ctx, tx, id, commentID)
		if err != nil {
			return err
		}
		if !recipe.CanDeleteComment(c, sum, v) {
			return ErrCommentNotYours
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM recipe_comments WHERE id = ?", commentID); err != nil {
			return fmt.Errorf("delete comment %s: %w", commentID, err)
		}
		return nil
	})
}

// Comment reads comment commentID on recipe id with the recipe it is
// on (its id, title, author id and visibility), for a page about that
// one comment; ErrNotFound as the other operations answer it.
func (s *Store) Comment(ctx context.Context, v recipe.Viewer, id, commentID string) (*recipe.Comment, *recipe.Summary, error) {
	if !validID(id) {
		return nil, nil, ErrNotFound
	}
	var c *recipe.Comment
	var sum *recipe.Summary
	err := s.fromReplicaOrPrimary(ctx, func(q conn) (err error) {
		if sum, _, err = commentRecipeIn(ctx, q, v, id); err != nil {
			return err
		}
		c, err = s.commentIn(ctx, q, id, commentID)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return c, sum, nil
}
