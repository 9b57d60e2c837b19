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
	readable := "JOIN recipes r ON r.id = m.recipe_id AND (r.author_id = ? OR r.visibility IN ('public', 'unlisted'))"
	q := "SELECT 'like', m.recipe_id, r.title, 0, m.created_at FROM recipe_likes m " + readable + " WHERE m.user_id = ?" +
		" UNION ALL SELECT 'save', m.recipe_id, r.title, 0, m.created_at FROM recipe_saves m " + readable + " WHERE m.user_id = ?" +
		" UNION ALL SELECT 'rating', m.recipe_id, r.title, m.stars, m.updated_at FROM recipe_ratings m " + readable + " WHERE m.user_id = ?" +
		" ORDER BY 1, 5, 2"
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
