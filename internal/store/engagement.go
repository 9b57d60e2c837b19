package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/validate"
)

// Saves, likes and ratings: one row per person and recipe in
// recipe_saves, recipe_likes and recipe_ratings (migration 20), the
// primary key (user_id, recipe_id) making a second like the same row.
//
// Counts are not kept in a column: each is counted from the rows, through
// the tables' recipe-first indexes, in the statement that reads the recipe
// or the list's page (countColumns). A stored counter has to be changed
// by every path that adds or removes a row — the toggles, but also the
// cascades when an account or a recipe is deleted, and a restore — and
// one it misses stays wrong; a count of the rows is exact by construction,
// whatever writes run at once, and costs an index-only range scan per
// recipe (a page's cards included, with no extra round trip). Should a
// recipe ever gather hundreds of thousands of likes, a counter maintained
// by triggers (which see cascades too) is the change to make here.

// countColumns are a recipe's likes, saves, rating count and rating sum,
// counted from the rows for the recipe whose id is the expression
// recipeID.
func countColumns(recipeID string) string {
	return "(SELECT count(*) FROM recipe_likes lk WHERE lk.recipe_id = " + recipeID + ")" +
		", (SELECT count(*) FROM recipe_saves sv WHERE sv.recipe_id = " + recipeID + ")" +
		", (SELECT count(*) FROM recipe_ratings rt WHERE rt.recipe_id = " + recipeID + ")" +
		", (SELECT COALESCE(sum(rt.stars), 0) FROM recipe_ratings rt WHERE rt.recipe_id = " + recipeID + ")"
}

// countsRow receives countColumns.
type countsRow struct{ likes, saves, ratings, stars int }

func (c *countsRow) dest() []any { return []any{&c.likes, &c.saves, &c.ratings, &c.stars} }

func (c *countsRow) counts() recipe.Counts {
	return recipe.Counts{Likes: c.likes, Saves: c.saves, Rating: recipe.NewRating(c.ratings, c.stars)}
}

// The tables of the two toggles.
const (
	likesTable = "recipe_likes"
	savesTable = "recipe_saves"
)

// SetLike likes (on) or stops liking recipe id as v, and returns the
// recipe's counts and v's marks as they are after the change, read in the
// same transaction. Liking twice is liking once; so is unliking. A recipe
// v may not read (recipe.CanRead) answers ErrNotFound, as a missing one.
func (s *Store) SetLike(ctx context.Context, v recipe.Viewer, id string, on bool) (*recipe.Engagement, error) {
	return s.setMark(ctx, v, id, likesTable, on)
}

// SetSave saves recipe id into v's library (on) or takes it out, as
// SetLike does.
func (s *Store) SetSave(ctx context.Context, v recipe.Viewer, id string, on bool) (*recipe.Engagement, error) {
	return s.setMark(ctx, v, id, savesTable, on)
}

func (s *Store) setMark(ctx context.Context, v recipe.Viewer, id, table string, on bool) (*recipe.Engagement, error) {
	var emails []int64
	e, err := s.mark(ctx, v, id, "mark recipe %s in "+table, func(tx conn) error {
		if on {
			_, err := tx.ExecContext(ctx, "INSERT INTO "+table+" (user_id, recipe_id, created_at) VALUES (?, ?, ?)"+
				" ON CONFLICT (user_id, recipe_id) DO NOTHING", v.UserID, id, s.now().UTC().Truncate(time.Microsecond))
			if err == nil && table == likesTable {
				// The author hears of it (notifications.go).
				err = s.notifyIn(ctx, tx, notice{kind: KindLike, recipient: recipeAuthor, args: []any{id},
					actorID: v.UserID, recipeID: id}, &emails)
			}
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE user_id = ? AND recipe_id = ?", v.UserID, id)
		return err
	})
	if err == nil {
		s.announceEmails(ctx, emails)
	}
	return e, err
}

// Rate sets v's rating of recipe id to stars (recipe.ValidStars), or
// removes it when stars is 0, and answers as SetLike does. Any other
// number is refused with a *validate.Error before anything is written.
func (s *Store) Rate(ctx context.Context, v recipe.Viewer, id string, stars int) (*recipe.Engagement, error) {
	if stars != 0 && !recipe.ValidStars(stars) {
		return nil, starsError()
	}
	return s.mark(ctx, v, id, "rate recipe %s", func(tx conn) error {
		if stars == 0 {
			_, err := tx.ExecContext(ctx, "DELETE FROM recipe_ratings WHERE user_id = ? AND recipe_id = ?", v.UserID, id)
			return err
		}
		now := s.now().UTC().Truncate(time.Microsecond)
		_, err := tx.ExecContext(ctx, "INSERT INTO recipe_ratings (user_id, recipe_id, stars, created_at, updated_at)"+
			" VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, recipe_id) DO UPDATE SET stars = excluded.stars, updated_at = excluded.updated_at",
			v.UserID, id, stars, now, now)
		return err
	})
}

// mark runs write, v's change of their mark on recipe id, in one
// transaction after checking v may read the recipe, and answers the
// recipe's counts and v's marks as they are then; what names the change
// in an error ("%s" is the recipe's id).
func (s *Store) mark(ctx context.Context, v recipe.Viewer, id, what string, write func(tx conn) error) (*recipe.Engagement, error) {
	if v.UserID == "" || !validID(id) {
		return nil, ErrNotFound
	}
	var e *recipe.Engagement
	err := s.inTx(ctx, func(tx conn) error {
		if err := readableIn(ctx, tx, v, id); err != nil {
			return err
		}
		err := write(tx)
		if s.d.isForeignKeyViolation(err) {
			return ErrNotFound // deleted since readableIn looked (PostgreSQL)
		}
		if err != nil {
			return fmt.Errorf(what+": %w", id, err)
		}
		e, err = engagementIn(ctx, tx, v.UserID, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// mineOn are a reader's like, save and stars on the recipe whose id is
// the expression recipeID; their arguments are the reader's id, three
// times.
func mineOn(recipeID string) string {
	return "EXISTS (SELECT 1 FROM recipe_likes WHERE user_id = ? AND recipe_id = " + recipeID + ")" +
		", EXISTS (SELECT 1 FROM recipe_saves WHERE user_id = ? AND recipe_id = " + recipeID + ")" +
		", (SELECT stars FROM recipe_ratings WHERE user_id = ? AND recipe_id = " + recipeID + ")"
}

// engagementIn reads recipe id's counts and userID's marks on q.
func engagementIn(ctx context.Context, q conn, userID, id string) (*recipe.Engagement, error) {
	var c countsRow
	var m recipe.Mine
	var stars sql.NullInt64
	query := "SELECT " + countColumns("r.id") + ", " + mineOn("r.id") + " FROM recipes r WHERE r.id = ?"
	err := q.QueryRowContext(ctx, query, userID, userID, userID, id).
		Scan(append(c.dest(), &m.Liked, &m.Saved, &stars)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read counts of recipe %s: %w", id, err)
	}
	m.MyRating = intPtr(stars)
	return &recipe.Engagement{Counts: c.counts(), Mine: m}, nil
}

// readableIn answers ErrNotFound unless recipe id exists and v may read
// it: the one rule of recipe.CanRead, so a hidden recipe and a missing
// one cannot be told apart.
func readableIn(ctx context.Context, q conn, v recipe.Viewer, id string) error {
	var sum recipe.Summary
	err := q.QueryRowContext(ctx, "SELECT author_id, visibility FROM recipes WHERE id = ?", id).Scan(&sum.Author.ID, &sum.Visibility)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("look up recipe %s: %w", id, err)
	}
	if !recipe.CanRead(&sum, v) {
		return ErrNotFound
	}
	return nil
}

// StarsMessage is what a rating out of range is told.
const StarsMessage = "must be a whole number from 1 to 5"

func starsError() error {
	return validate.Errors{{Field: "stars", Message: StarsMessage}}.Err()
}
