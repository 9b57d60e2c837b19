package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
)

// Share links (migration 23): a recipe's author hands out a URL whose
// token opens the recipe read-only, private recipes included. The table
// holds the SHA-256 of each token, never the token, so a visit is an
// index probe by hash (nothing compares secrets byte by byte) and a leak
// of the table opens nothing. Revoking deletes the row: an unknown, an
// expired and a revoked token are then the same not-found.

// MaxShareLinksPerRecipe bounds the live links of one recipe: enough for
// a link per friend or group and a few emailed ones, few enough that the
// share panel is one short list.
const MaxShareLinksPerRecipe = 20

// ErrTooManyShareLinks: the recipe already has MaxShareLinksPerRecipe
// live links; one must be revoked (or expire) first.
var ErrTooManyShareLinks = errors.New("too many share links")

// ErrNotAuthor: the caller may read the recipe but only its author
// manages its share links.
var ErrNotAuthor = errors.New("only the recipe's author manages its share links")

// ShareLink is one live link as its author sees it. The token is not
// here: it exists only in the answer that created the link.
type ShareLink struct {
	ID        string     `json:"id"`
	RecipeID  string     `json:"recipe_id"`
	Label     string     `json:"label"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at"`
	// LastUsedAt and Uses count the visits of the share page (not of its
	// photos).
	LastUsedAt *time.Time `json:"last_used_at"`
	Uses       int64      `json:"uses"`
}

// NewShareLink is what CreateShareLink stores: the token's hash (made by
// the caller, which alone sees the token), a label and an expiry (nil for
// none).
type NewShareLink struct {
	TokenHash string
	Label     string
	ExpiresAt *time.Time
}

// CreateShareLink adds a link to recipe id for its author v, at now. A
// recipe v may not read is ErrNotFound, one v reads but did not write
// ErrNotAuthor, and a recipe at the cap of live links
// ErrTooManyShareLinks; nothing is written then. Expired links of the
// recipe are deleted in the same transaction, so they never pile up.
func (s *Store) CreateShareLink(ctx context.Context, v recipe.Viewer, id string, l NewShareLink, now time.Time) (*ShareLink, error) {
	if v.UserID == "" || !validID(id) || !storable(l.TokenHash) || !storable(l.Label) {
		return nil, ErrNotFound
	}
	now = now.UTC().Truncate(time.Microsecond)
	link := &ShareLink{ID: newID(), RecipeID: id, Label: l.Label, CreatedAt: now}
	if l.ExpiresAt != nil {
		e := l.ExpiresAt.UTC().Truncate(time.Microsecond)
		link.ExpiresAt = &e
	}
	err := s.inTx(ctx, func(tx conn) error {
		if err := s.authorOf(ctx, tx, v, id, true); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM share_links WHERE recipe_id = ? AND expires_at <= ?", id, now); err != nil {
			return fmt.Errorf("delete expired share links of recipe %s: %w", id, err)
		}
		var live int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM share_links WHERE recipe_id = ?", id).Scan(&live); err != nil {
			return fmt.Errorf("count share links of recipe %s: %w", id, err)
		}
		if live >= MaxShareLinksPerRecipe {
			return ErrTooManyShareLinks
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO share_links (id, recipe_id, created_by, token_hash, label, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, link.ID, id, v.UserID, l.TokenHash, l.Label, now, nullTime(link.ExpiresAt))
		if s.d.isForeignKeyViolation(err) {
			return ErrNotFound // the recipe went since authorOf looked (PostgreSQL)
		}
		if err != nil {
			return fmt.Errorf("create share link of recipe %s: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return link, nil
}

// ShareLinks lists the links of recipe id live at now, newest first, for
// its author v; other callers get ErrNotFound or ErrNotAuthor as
// CreateShareLink says. Two statements, whatever the number of links (at
// most MaxShareLinksPerRecipe).
func (s *Store) ShareLinks(ctx context.Context, v recipe.Viewer, id string, now time.Time) ([]ShareLink, error) {
	if v.UserID == "" || !validID(id) {
		return nil, ErrNotFound
	}
	if err := s.authorOf(ctx, s.read(), v, id, false); err != nil {
		return nil, err
	}
	return s.liveShareLinks(ctx, id, now)
}

// LiveShareLinks lists the live links of recipe id for a caller that has
// already established that the reader is its author (the recipe page,
// which has the recipe in hand).
func (s *Store) LiveShareLinks(ctx context.Context, id string, now time.Time) ([]ShareLink, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	return s.liveShareLinks(ctx, id, now)
}

func (s *Store) liveShareLinks(ctx context.Context, id string, now time.Time) ([]ShareLink, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT id, recipe_id, label, created_at, expires_at, last_used_at, use_count
		FROM share_links WHERE recipe_id = ? AND (expires_at IS NULL OR expires_at > ?)
		ORDER BY created_at DESC, id DESC`, id, now.UTC())
	if err != nil {
		return nil, fmt.Errorf("list share links of recipe %s: %w", id, err)
	}
	defer rows.Close()
	out := []ShareLink{}
	for rows.Next() {
		var l ShareLink
		var exp, used sql.NullTime
		if err := rows.Scan(&l.ID, &l.RecipeID, &l.Label, &l.CreatedAt, &exp, &used, &l.Uses); err != nil {
			return nil, fmt.Errorf("list share links of recipe %s: %w", id, err)
		}
		l.CreatedAt = l.CreatedAt.UTC()
		l.ExpiresAt, l.LastUsedAt = utcPtr(timePtr(exp)), utcPtr(timePtr(used))
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list share links of recipe %s: %w", id, err)
	}
	return out, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t != nil {
		*t = t.UTC()
	}
	return t
}

// RevokeShareLink deletes link linkID of recipe id for its author v: the
// link stops working at once. A link that is not the recipe's (or no
// longer exists) is ErrNotFound; the recipe's rules are CreateShareLink's.
func (s *Store) RevokeShareLink(ctx context.Context, v recipe.Viewer, id, linkID string) error {
	if v.UserID == "" || !validID(id) || !validID(linkID) {
		return ErrNotFound
	}
	return s.inTx(ctx, func(tx conn) error {
		if err := s.authorOf(ctx, tx, v, id, false); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM share_links WHERE id = ? AND recipe_id = ?", linkID, id)
		if err != nil {
			return fmt.Errorf("revoke share link %s: %w", linkID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// ForgetShareLink deletes the link whose token hashes to tokenHash: the
// link of an email that could not be sent, which nobody received.
func (s *Store) ForgetShareLink(ctx context.Context, tokenHash string) error {
	if _, err := s.read().ExecContext(ctx, "DELETE FROM share_links WHERE token_hash = ?", tokenHash); err != nil {
		return fmt.Errorf("forget share link: %w", err)
	}
	return nil
}

// UseShareLink resolves a visit of the share page: the id of the recipe
// whose live link (unexpired at now) has the token that hashes to
// tokenHash, counting the visit in the same statement. An unknown,
// revoked or expired token is ErrNotFound, all alike. It writes, so it
// runs on the primary: a revocation is seen at once.
func (s *Store) UseShareLink(ctx context.Context, tokenHash string, now time.Time) (string, error) {
	if !storable(tokenHash) {
		return "", ErrNotFound
	}
	now = now.UTC().Truncate(time.Microsecond)
	var recipeID string
	err := s.read().QueryRowContext(ctx, `UPDATE share_links SET use_count = use_count + 1, last_used_at = ?
		WHERE token_hash = ? AND (expires_at IS NULL OR expires_at > ?) RETURNING recipe_id`,
		now, tokenHash, now).Scan(&recipeID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("use share link: %w", err)
	}
	return recipeID, nil
}

// SharedRecipeID is UseShareLink without counting: whether tokenHash
// opens a recipe at now, and which. The photos of a shared page ask it,
// on the primary, so a revoked link stops showing them at once too.
func (s *Store) SharedRecipeID(ctx context.Context, tokenHash string, now time.Time) (string, error) {
	if !storable(tokenHash) {
		return "", ErrNotFound
	}
	var recipeID string
	err := s.read().QueryRowContext(ctx, `SELECT recipe_id FROM share_links
		WHERE token_hash = ? AND (expires_at IS NULL OR expires_at > ?)`, tokenHash, now.UTC()).Scan(&recipeID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("look up share link: %w", err)
	}
	return recipeID, nil
}

// ShareableRecipe checks that v is the author of recipe id, as
// CreateShareLink does, and returns its title for a message about it.
func (s *Store) ShareableRecipe(ctx context.Context, v recipe.Viewer, id string) (title string, err error) {
	if v.UserID == "" || !validID(id) {
		return "", ErrNotFound
	}
	return s.authorTitle(ctx, s.read(), v, id, false)
}

// authorOf answers nil when v wrote recipe id, ErrNotFound when v may not
// read it (recipe.CanRead: hidden and missing look alike) and
// ErrNotAuthor when v reads it but did not write it. lock locks the
// recipe's row on PostgreSQL, so two links created at once are counted
// one after the other against the cap (SQLite has one writer).
func (s *Store) authorOf(ctx context.Context, q conn, v recipe.Viewer, id string, lock bool) error {
	_, err := s.authorTitle(ctx, q, v, id, lock)
	return err
}

// authorTitle is authorOf that also answers the recipe's title.
func (s *Store) authorTitle(ctx context.Context, q conn, v recipe.Viewer, id string, lock bool) (string, error) {
	query := "SELECT author_id, visibility, title FROM recipes WHERE id = ?"
	if lock && s.d.name() == "postgres" {
		query += " FOR UPDATE"
	}
	var sum recipe.Summary
	err := q.QueryRowContext(ctx, query, id).Scan(&sum.Author.ID, &sum.Visibility, &sum.Title)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("look up recipe %s: %w", id, err)
	}
	if !recipe.CanRead(&sum, v) {
		return "", ErrNotFound
	}
	if sum.Author.ID != v.UserID {
		return "", ErrNotAuthor
	}
	return sum.Title, nil
}
