package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// What a data export reads besides recipes and photos: a person's own
// marks on recipes. Each source answers only what its owner may still
// read, so an export never carries a recipe another cook has since made
// private.

// Mark is one like, save or rating of a person's.
type Mark struct {
	Kind     string    `json:"kind"` // like, save, rating
	RecipeID string    `json:"recipe_id"`
	Title    string    `json:"title"`
	Stars    int       `json:"stars,omitempty"`
	At       time.Time `json:"at"`
}

// MarksOf lists userID's likes, saves and ratings on recipes they may
// read (their own, and others' public and unlisted ones), oldest first
// per kind, in one statement.
func (s *Store) MarksOf(ctx context.Context, userID string) ([]Mark, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	vis, _ := readableBy("r", userID)
	readable := "JOIN recipes r ON r.id = m.recipe_id AND " + vis
	q := "SELECT 'like', m.recipe_id, r.title, 0, m.created_at FROM recipe_likes m " + readable + " WHERE m.user_id = ?" +
		" UNION ALL SELECT 'save', m.recipe_id, r.title, 0, m.created_at FROM recipe_saves m " + readable + " WHERE m.user_id = ?" +
		" UNION ALL SELECT 'rating', m.recipe_id, r.title, m.stars, m.updated_at FROM recipe_ratings m " + readable + " WHERE m.user_id = ?" +
		" ORDER BY 1, 5, 2"
	// readableBy's argument, then the owner, for each of the three.
	rows, err := s.read().QueryContext(ctx, q, userID, userID, userID, userID, userID, userID)
	if err != nil {
		return nil, fmt.Errorf("marks of %s: %w", userID, err)
	}
	defer rows.Close()
	out := []Mark{}
	for rows.Next() {
		var m Mark
		if err := rows.Scan(&m.Kind, &m.RecipeID, &m.Title, &m.Stars, &m.At); err != nil {
			return nil, fmt.Errorf("marks of %s: %w", userID, err)
		}
		m.At = m.At.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// PhotoFile is one of a person's ready photos as an export copies it:
// the widest JPEG variant's storage key.
type PhotoFile struct {
	ID       string `json:"id"`
	RecipeID string `json:"recipe_id,omitempty"`
	Role     string `json:"role"` // main, gallery, step, avatar
	Step     int    `json:"step,omitempty"`
	Alt      string `json:"alt,omitempty"`
	Key      string `json:"-"`
}

// PhotoFilesOf lists userID's ready photos (recipes' and their avatar),
// in one statement.
func (s *Store) PhotoFilesOf(ctx context.Context, userID string) ([]PhotoFile, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	rows, err := s.read().QueryContext(ctx, "SELECT id, recipe_id, role, step, alt, variants FROM photos"+
		" WHERE owner_id = ? AND status = 'ready' ORDER BY recipe_id, role, position, id", userID)
	if err != nil {
		return nil, fmt.Errorf("photos of %s: %w", userID, err)
	}
	defer rows.Close()
	out := []PhotoFile{}
	for rows.Next() {
		var p PhotoFile
		var recipeID sql.NullString
		var variants string
		widest := 0
		if err := rows.Scan(&p.ID, &recipeID, &p.Role, &p.Step, &p.Alt, &variants); err != nil {
			return nil, fmt.Errorf("photos of %s: %w", userID, err)
		}
		vs, err := decodeVariants(variants)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if v.Format == "jpeg" && (p.Key == "" || v.Width > widest) {
				p.Key, widest = v.Key, v.Width
			}
		}
		if p.Key == "" {
			continue
		}
		p.RecipeID = recipeID.String
		out = append(out, p)
	}
	return out, rows.Err()
}

// WrittenComment is one comment a person wrote, as their export lists it.
type WrittenComment struct {
	ID       string     `json:"id"`
	RecipeID string     `json:"recipe_id"`
	Title    string     `json:"recipe_title"`
	Body     string     `json:"body"`
	At       time.Time  `json:"created_at"`
	EditedAt *time.Time `json:"edited_at,omitempty"`
}

// CommentsOf lists the comments userID wrote on recipes they may still
// read, oldest first, in one statement.
func (s *Store) CommentsOf(ctx context.Context, userID string) ([]WrittenComment, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	vis, visArgs := readableBy("r", userID)
	rows, err := s.read().QueryContext(ctx, "SELECT c.id, c.recipe_id, r.title, c.body, c.created_at, c.edited_at FROM recipe_comments c"+
		" JOIN recipes r ON r.id = c.recipe_id AND "+vis+
		" WHERE c.author_id = ? ORDER BY c.created_at, c.id", append(visArgs, userID)...)
	if err != nil {
		return nil, fmt.Errorf("comments of %s: %w", userID, err)
	}
	defer rows.Close()
	out := []WrittenComment{}
	for rows.Next() {
		var c WrittenComment
		var edited sql.NullTime
		if err := rows.Scan(&c.ID, &c.RecipeID, &c.Title, &c.Body, &c.At, &edited); err != nil {
			return nil, fmt.Errorf("comments of %s: %w", userID, err)
		}
		c.At, c.EditedAt = c.At.UTC(), timePtr(edited)
		out = append(out, c)
	}
	return out, rows.Err()
}

// FollowEdge is one follow of or by a person, named by username.
type FollowEdge struct {
	Username string    `json:"username"`
	Since    time.Time `json:"since"`
}

// FollowsOf lists whom userID follows and who follows them, newest first,
// in one statement.
func (s *Store) FollowsOf(ctx context.Context, userID string) (following, followers []FollowEdge, err error) {
	if !validID(userID) {
		return nil, nil, ErrNotFound
	}
	rows, err := s.read().QueryContext(ctx, "SELECT 'following', u.username, f.created_at FROM follows f JOIN users u ON u.id = f.followee_id WHERE f.follower_id = ?"+
		" UNION ALL SELECT 'follower', u.username, f.created_at FROM follows f JOIN users u ON u.id = f.follower_id WHERE f.followee_id = ?"+
		" ORDER BY 3 DESC, 2", userID, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("follows of %s: %w", userID, err)
	}
	defer rows.Close()
	following, followers = []FollowEdge{}, []FollowEdge{}
	for rows.Next() {
		var kind string
		var e FollowEdge
		if err := rows.Scan(&kind, &e.Username, &e.Since); err != nil {
			return nil, nil, fmt.Errorf("follows of %s: %w", userID, err)
		}
		e.Since = e.Since.UTC()
		if kind == "following" {
			following = append(following, e)
		} else {
			followers = append(followers, e)
		}
	}
	return following, followers, rows.Err()
}
