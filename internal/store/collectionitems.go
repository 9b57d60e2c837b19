package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/collection"
	"github.com/reccollection/reccollection/internal/recipe"
)

// The recipes of a collection and their order.
//
// Order: collection_recipes.position, unique per collection. Every change
// of a collection's recipes runs in one transaction that first locks the
// collection (lockCollection), reads its recipes in order (one
// statement), works out the new order in Go, and writes it back as
// positions 0, 1, 2, ... in two statements whatever the number of
// recipes: all positions made negative (-1 - position, so none collides
// with a position to come, the unique index being checked row by row),
// then each set by a CASE on the recipe id. A rule that shifts a range
// by one ("position + 1 WHERE position >= k") needs the same two steps
// and breaks when a recipe deleted elsewhere has left a gap; rewriting
// the whole order also closes such gaps, so after any change the
// positions are dense again. The lock makes concurrent changes of one
// collection run one after another, each on the order the last one left:
// the result is the same as some serial order of the moves, never a
// duplicate or a lost position.
//
// Positions a caller sees count from 1 over the recipes that caller may
// read (collection.Item). A move names its target the same way: "to
// position k" puts the recipe just before the recipe the owner now sees
// at k (after the last one for the last place), so recipes hidden from
// the owner keep their place between the ones around them.

// slot is a recipe of a collection in its order: readable says whether
// the owner may read it now.
type slot struct {
	recipeID string
	position int
	readable bool
}

// slotsIn reads collection id's recipes in order, judged readable for
// ownerID.
func slotsIn(ctx context.Context, tx conn, ownerID, id string) ([]slot, error) {
	rows, err := tx.QueryContext(ctx, "SELECT ci.recipe_id, ci.position,"+
		" CASE WHEN r.visibility <> 'private' OR r.author_id = ? THEN 1 ELSE 0 END"+
		" FROM collection_recipes ci JOIN recipes r ON r.id = ci.recipe_id WHERE ci.collection_id = ? ORDER BY ci.position", ownerID, id)
	if err != nil {
		return nil, fmt.Errorf("read order of collection %s: %w", id, err)
	}
	defer rows.Close()
	var out []slot
	for rows.Next() {
		var sl slot
		var readable int
		if err := rows.Scan(&sl.recipeID, &sl.position, &readable); err != nil {
			return nil, fmt.Errorf("read order of collection %s: %w", id, err)
		}
		sl.readable = readable != 0
		out = append(out, sl)
	}
	return out, rows.Err()
}

// dense reports whether slots already hold positions 0, 1, 2, ...
func dense(slots []slot) bool {
	for i, sl := range slots {
		if sl.position != i {
			return false
		}
	}
	return true
}

// writeOrder sets collection id's positions to the order of slots, 0 up:
// two statements, whatever their number (see the top of this file).
func writeOrder(ctx context.Context, tx conn, id string, slots []slot) error {
	if len(slots) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "UPDATE collection_recipes SET position = -1 - position WHERE collection_id = ?", id); err != nil {
		return fmt.Errorf("reorder collection %s: %w", id, err)
	}
	var b strings.Builder
	b.WriteString("UPDATE collection_recipes SET position = CASE recipe_id")
	args := make([]any, 0, len(slots)+1)
	for i, sl := range slots {
		b.WriteString(" WHEN ? THEN " + strconv.Itoa(i))
		args = append(args, sl.recipeID)
	}
	b.WriteString(" END WHERE collection_id = ?")
	if _, err := tx.ExecContext(ctx, b.String(), append(args, id)...); err != nil {
		return fmt.Errorf("reorder collection %s: %w", id, err)
	}
	return nil
}

// touchCollection marks collection id as changed now.
func (s *Store) touchCollection(ctx context.Context, tx conn, id string) error {
	if _, err := tx.ExecContext(ctx, "UPDATE collections SET updated_at = ? WHERE id = ?", s.collectionTime(), id); err != nil {
		return fmt.Errorf("touch collection %s: %w", id, err)
	}
	return nil
}

// AddToCollection puts recipe recipeID, which v must be able to read
// (ErrNotFound otherwise, as for a missing one), at the end of v's
// collection id, and answers its position as v sees it. A recipe already
// there stays where it is (added false). A full collection answers
// ErrCollectionFull.
func (s *Store) AddToCollection(ctx context.Context, v recipe.Viewer, id, recipeID string) (position int, added bool, err error) {
	if !validID(recipeID) {
		// Checked after the collection below, so that a bad recipe id in
		// someone else's collection is still their 403 or 404.
		recipeID = ""
	}
	err = s.inTx(ctx, func(tx conn) error {
		if err := s.lockCollection(ctx, tx, v.UserID, id); err != nil {
			return err
		}
		if recipeID == "" {
			return ErrNotFound
		}
		if err := readableIn(ctx, tx, v, recipeID); err != nil {
			return err
		}
		slots, err := slotsIn(ctx, tx, v.UserID, id)
		if err != nil {
			return err
		}
		seen := 0
		for _, sl := range slots {
			if sl.readable {
				seen++
			}
			if sl.recipeID == recipeID {
				position = seen
				return nil
			}
		}
		if len(slots) >= s.recipesPerCollection() {
			return ErrCollectionFull
		}
		if !dense(slots) {
			if err := writeOrder(ctx, tx, id, slots); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO collection_recipes (collection_id, recipe_id, position, added_at) VALUES (?, ?, ?, ?)",
			id, recipeID, len(slots), s.collectionTime())
		if s.d.isForeignKeyViolation(err) {
			return ErrNotFound // deleted since readableIn looked (PostgreSQL)
		}
		if err != nil {
			return fmt.Errorf("add recipe %s to collection %s: %w", recipeID, id, err)
		}
		position, added = seen+1, true
		return s.touchCollection(ctx, tx, id)
	})
	return position, added, err
}

// RemoveFromCollection takes recipe recipeID out of v's collection id.
// Removing a recipe that is not there succeeds too, so the answer is the
// same whether the recipe is hidden, missing or was never added: nothing
// about it is told.
func (s *Store) RemoveFromCollection(ctx context.Context, v recipe.Viewer, id, recipeID string) error {
	return s.inTx(ctx, func(tx conn) error {
		if err := s.lockCollection(ctx, tx, v.UserID, id); err != nil {
			return err
		}
		if !validID(recipeID) {
			return nil
		}
		slots, err := slotsIn(ctx, tx, v.UserID, id)
		if err != nil {
			return err
		}
		i := indexOfSlot(slots, recipeID)
		if i < 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM collection_recipes WHERE collection_id = ? AND recipe_id = ?", id, recipeID); err != nil {
			return fmt.Errorf("remove recipe %s from collection %s: %w", recipeID, id, err)
		}
		if err := writeOrder(ctx, tx, id, append(slots[:i:i], slots[i+1:]...)); err != nil {
			return err
		}
		return s.touchCollection(ctx, tx, id)
	})
}

func indexOfSlot(slots []slot, recipeID string) int {
	for i, sl := range slots {
		if sl.recipeID == recipeID {
			return i
		}
	}
	return -1
}

// Moves: where a recipe goes, relative to the recipes its owner sees.
type Move struct {
	// To is the position to take, from 1; past the end means last.
	To int
	// By moves by that many places instead (-1 up, +1 down) when To is 0.
	By int
}

// MoveInCollection moves recipe recipeID within v's collection id as m
// says, and answers its new position as v sees it. A recipe not in the
// collection, or one v may no longer read, answers ErrNotFound. Moving
// the first one up, or the last one down, changes nothing.
func (s *Store) MoveInCollection(ctx context.Context, v recipe.Viewer, id, recipeID string, m Move) (int, error) {
	var position int
	err := s.inTx(ctx, func(tx conn) error {
		if err := s.lockCollection(ctx, tx, v.UserID, id); err != nil {
			return err
		}
		slots, err := slotsIn(ctx, tx, v.UserID, id)
		if err != nil {
			return err
		}
		i := indexOfSlot(slots, recipeID)
		if i < 0 || !slots[i].readable {
			return ErrNotFound
		}
		moving := slots[i]
		// The owner's view of the order without the moving recipe:
		// indexes into rest of the recipes they see.
		rest := append(slots[:i:i], slots[i+1:]...)
		var seen []int
		current := 0
		for j, sl := range rest {
			if sl.readable {
				if j < i {
					current++
				}
				seen = append(seen, j)
			}
		}
		target := m.To - 1
		if m.To <= 0 {
			target = current + m.By
		}
		target = max(0, min(target, len(seen)))
		at := len(rest)
		switch {
		case target < len(seen):
			at = seen[target]
		case len(seen) > 0:
			at = seen[len(seen)-1] + 1
		}
		order := append(append(append(make([]slot, 0, len(slots)), rest[:at]...), moving), rest[at:]...)
		position = target + 1
		if target == current && dense(slots) {
			return nil // already there
		}
		if err := writeOrder(ctx, tx, id, order); err != nil {
			return err
		}
		return s.touchCollection(ctx, tx, id)
	})
	return position, err
}

// ItemPage is one page of a collection's recipes as a viewer sees them.
type ItemPage struct {
	Items      []collection.Item
	NextCursor string
}

// CollectionPage is collection id as viewerID sees it (ErrNotFound when
// hidden from them) and a page of its recipes in order, only those they
// may read, as cards (the list's card data: labels, photo, counts). Two
// statements, whatever the number of recipes. cursor is the NextCursor
// of the page before, "" for the first; a cursor this store did not
// issue is ErrBadCursor.
func (s *Store) CollectionPage(ctx context.Context, viewerID, id, cursor string, limit int) (*collection.Collection, *ItemPage, error) {
	if limit <= 0 || limit > MaxListLimit {
		limit = DefaultListLimit
	}
	after, err := decodeItemCursor(cursor)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.Collection(ctx, viewerID, id)
	if err != nil {
		return nil, nil, err
	}
	vis, visArgs := readableBy("r0", viewerID)
	// The ranks are taken over every recipe the viewer may read, before
	// the page is cut, so positions run on from page to page.
	query := "SELECT " + summaryColumns + ", " + readSQL[s.d.name()].card + ", it.rank, it.added_at, it.pos" +
		" FROM (SELECT ci.recipe_id, ci.position AS pos, ci.added_at, ROW_NUMBER() OVER (ORDER BY ci.position) AS rank" +
		" FROM collection_recipes ci JOIN recipes r0 ON r0.id = ci.recipe_id WHERE ci.collection_id = ? AND " + vis + ") it" +
		" JOIN recipes r ON r.id = it.recipe_id JOIN users u ON u.id = r.author_id" +
		" WHERE it.pos > ? ORDER BY it.pos LIMIT ?"
	args := append(append([]any{id}, visArgs...), after, limit+1)
	page := &ItemPage{Items: []collection.Item{}}
	var lastPos []int
	err = s.fromReplica(ctx, func(q conn) error {
		page.Items, lastPos = page.Items[:0], lastPos[:0]
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var card cardJSON
			var it collection.Item
			var pos int
			var added time.Time
			r, err := scanSummary(rows, append(card.dest(), &it.Position, &added, &pos)...)
			if err != nil {
				return err
			}
			if err := s.fillCard(r, &card); err != nil {
				return err
			}
			it.Recipe, it.AddedAt = *r, added
			page.Items = append(page.Items, it)
			lastPos = append(lastPos, pos)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("list recipes of collection %s: %w", id, err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = encodeItemCursor(lastPos[limit-1])
	}
	return c, page, nil
}

// An item cursor is the stored position of the last recipe of a page:
// positions only grow along the order, so the next page is what comes
// after it, whatever was added or removed meanwhile.
func encodeItemCursor(pos int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("p" + strconv.Itoa(pos)))
}

func decodeItemCursor(s string) (int, error) {
	if s == "" {
		return -1, nil
	}
	if len(s) > 32 {
		return 0, ErrBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 2 || b[0] != 'p' {
		return 0, ErrBadCursor
	}
	n, err := strconv.Atoi(string(b[1:]))
	if err != nil || n < 0 || n > 1<<30 {
		return 0, ErrBadCursor
	}
	return n, nil
}
