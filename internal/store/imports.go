package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
)

// ImportBulk is a stored bulk import: a person's list of URLs and where
// each stands. Statuses are the importer's (queued, running, done; an
// item also failed or skipped).
type ImportBulk struct {
	ID        string
	UserID    string
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
	Items     []ImportBulkItem
}

// ImportBulkItem is one URL of a bulk import, in its list's order.
type ImportBulkItem struct {
	Position int
	URL      string
	Status   string
	RecipeID string
	Title    string
	Error    string
}

// ImportBulkStale is how long a bulk import may go without progress
// before it is taken as abandoned (its job gave up after a long outage):
// it no longer counts as under way, and retrying queues it again. A bulk
// that is being worked records progress with every address.
const ImportBulkStale = time.Hour

// ImportBulkLimits bound the bulk imports one person may have: Active
// queued or running at once, and PerDay URLs in the bulks created in
// the last 24 hours. Zero means no limit.
type ImportBulkLimits struct {
	Active int
	PerDay int
}

var (
	// ErrTooManyBulks: the person already has Active bulk imports queued
	// or running.
	ErrTooManyBulks = errors.New("store: too many bulk imports under way")
	// ErrBulkDailyLimit: the URLs would take the person over PerDay.
	ErrBulkDailyLimit = errors.New("store: too many URLs imported in bulk today")
)

// CreateImportBulk writes a queued bulk import of urls (already checked
// and de-duplicated) for userID in one transaction, after checking lim
// with the user's row locked on PostgreSQL so two parallel requests
// cannot both slip under it (SQLite has one writer).
func (s *Store) CreateImportBulk(ctx context.Context, userID string, urls []string, lim ImportBulkLimits) (*ImportBulk, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	b := &ImportBulk{ID: newID(), UserID: userID, Status: "queued", CreatedAt: now, UpdatedAt: now}
	err := s.inTx(ctx, func(tx conn) error {
		if err := s.lockUser(ctx, tx, userID); err != nil {
			return err
		}
		if err := checkActiveBulks(ctx, tx, userID, lim.Active, now); err != nil {
			return err
		}
		if lim.PerDay > 0 {
			var n int
			err := tx.QueryRowContext(ctx, `SELECT count(*) FROM import_bulk_items i JOIN import_bulks b ON b.id = i.bulk_id
				WHERE b.user_id = ? AND b.created_at > ?`, userID, now.Add(-24*time.Hour)).Scan(&n)
			if err != nil {
				return fmt.Errorf("count today's bulk import URLs: %w", err)
			}
			if n+len(urls) > lim.PerDay {
				return ErrBulkDailyLimit
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO import_bulks (id, user_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
			b.ID, userID, b.Status, now, now); err != nil {
			return fmt.Errorf("insert bulk import: %w", err)
		}
		rows := make([][]any, len(urls))
		for i, u := range urls {
			rows[i] = []any{b.ID, i, u, "queued"}
			b.Items = append(b.Items, ImportBulkItem{Position: i, URL: u, Status: "queued"})
		}
		return insertRows(ctx, tx, "import_bulk_items", "bulk_id, position, url, status", rows)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// lockUser locks userID's row for the transaction on PostgreSQL; a
// missing user is ErrNotFound.
func (s *Store) lockUser(ctx context.Context, tx conn, userID string) error {
	q := "SELECT id FROM users WHERE id = ?"
	if s.d.name() == "postgres" {
		q += " FOR UPDATE"
	}
	var id string
	err := tx.QueryRowContext(ctx, q, userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("lock user: %w", err)
	}
	return nil
}

func checkActiveBulks(ctx context.Context, tx conn, userID string, limit int, now time.Time) error {
	if limit <= 0 {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM import_bulks
		WHERE user_id = ? AND status IN ('queued', 'running') AND updated_at > ?`,
		userID, now.Add(-ImportBulkStale)).Scan(&n); err != nil {
		return fmt.Errorf("count bulk imports under way: %w", err)
	}
	if n >= limit {
		return ErrTooManyBulks
	}
	return nil
}

// ImportBulk loads one of userID's bulk imports with its items; another
// person's, or an unknown id, is ErrNotFound.
func (s *Store) ImportBulk(ctx context.Context, userID, id string) (*ImportBulk, error) {
	if !validID(userID) || !validID(id) {
		return nil, ErrNotFound
	}
	return loadImportBulk(ctx, s.read(), userID, id)
}

func loadImportBulk(ctx context.Context, q conn, userID, id string) (*ImportBulk, error) {
	b := &ImportBulk{}
	err := q.QueryRowContext(ctx, "SELECT id, user_id, status, created_at, updated_at FROM import_bulks WHERE id = ? AND user_id = ?",
		id, userID).Scan(&b.ID, &b.UserID, &b.Status, &b.CreatedAt, &b.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load bulk import %s: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT position, url, status, recipe_id, title, error
		FROM import_bulk_items WHERE bulk_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("load bulk import items %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var it ImportBulkItem
		if err := rows.Scan(&it.Position, &it.URL, &it.Status, &it.RecipeID, &it.Title, &it.Error); err != nil {
			return nil, fmt.Errorf("scan bulk import item: %w", err)
		}
		b.Items = append(b.Items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load bulk import items %s: %w", id, err)
	}
	return b, nil
}

// SetImportBulkStatus moves a bulk import to status (running, done).
func (s *Store) SetImportBulkStatus(ctx context.Context, id, status string) error {
	if !validID(id) {
		return ErrNotFound
	}
	res, err := s.read().ExecContext(ctx, "UPDATE import_bulks SET status = ?, updated_at = ? WHERE id = ?",
		status, s.now().UTC().Truncate(time.Microsecond), id)
	if err != nil {
		return fmt.Errorf("set bulk import %s %s: %w", id, status, err)
	}
	return mustAffect(res, "bulk import "+id)
}

// SetImportBulkItem records where one URL of a bulk import stands, and
// touches the bulk so a poller sees progress, in one transaction.
func (s *Store) SetImportBulkItem(ctx context.Context, bulkID string, it ImportBulkItem) error {
	if !validID(bulkID) {
		return ErrNotFound
	}
	return s.inTx(ctx, func(tx conn) error {
		res, err := tx.ExecContext(ctx, `UPDATE import_bulk_items SET status = ?, recipe_id = ?, title = ?, error = ?
			WHERE bulk_id = ? AND position = ?`, it.Status, it.RecipeID, it.Title, it.Error, bulkID, it.Position)
		if err != nil {
			return fmt.Errorf("set bulk import item %s/%d: %w", bulkID, it.Position, err)
		}
		if err := mustAffect(res, "bulk import item"); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE import_bulks SET updated_at = ? WHERE id = ?", s.now().UTC().Truncate(time.Microsecond), bulkID)
		if err != nil {
			return fmt.Errorf("touch bulk import %s: %w", bulkID, err)
		}
		return nil
	})
}

// RetryImportBulk queues the failed items of userID's finished bulk
// import again and the bulk with them, within lim.Active; a stale bulk
// (ImportBulkStale) is queued again with every unfinished item too. It
// returns the bulk as it now stands and whether anything was queued: a
// bulk still under way, or a finished one without failures, is returned
// unchanged.
func (s *Store) RetryImportBulk(ctx context.Context, userID, id string, lim ImportBulkLimits) (b *ImportBulk, queued bool, err error) {
	if !validID(userID) || !validID(id) {
		return nil, false, ErrNotFound
	}
	err = s.inTx(ctx, func(tx conn) error {
		if err := s.lockUser(ctx, tx, userID); err != nil {
			return err
		}
		if b, err = loadImportBulk(ctx, tx, userID, id); err != nil {
			return err
		}
		now := s.now().UTC().Truncate(time.Microsecond)
		stale := b.Status != "done" && b.UpdatedAt.Before(now.Add(-ImportBulkStale))
		if !stale && (b.Status != "done" || !hasFailed(b.Items)) {
			return nil
		}
		if err := checkActiveBulks(ctx, tx, userID, lim.Active, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE import_bulk_items SET status = 'queued', error = ''
			WHERE bulk_id = ? AND status IN ('failed', 'running')`, id); err != nil {
			return fmt.Errorf("requeue bulk import items %s: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE import_bulks SET status = 'queued', updated_at = ? WHERE id = ?", now, id); err != nil {
			return fmt.Errorf("requeue bulk import %s: %w", id, err)
		}
		queued = true
		b, err = loadImportBulk(ctx, tx, userID, id)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return b, queued, nil
}

func hasFailed(items []ImportBulkItem) bool {
	for _, it := range items {
		if it.Status == "failed" {
			return true
		}
	}
	return false
}

// RecipeBySourceURL returns authorID's most recent recipe whose source
// URL is one of urls (the importer passes the spellings of one address
// it treats as the same), or ErrNotFound.
func (s *Store) RecipeBySourceURL(ctx context.Context, authorID string, urls []string) (*recipe.Summary, error) {
	if !validID(authorID) || len(urls) == 0 {
		return nil, ErrNotFound
	}
	args := []any{authorID}
	for _, u := range urls {
		if !storable(u) {
			return nil, ErrNotFound
		}
		args = append(args, u)
	}
	var id string
	err := s.read().QueryRowContext(ctx, `SELECT id FROM recipes WHERE author_id = ? AND source_url <> ''
		AND source_url IN (`+placeholders(len(urls))+`) ORDER BY created_at DESC, id DESC LIMIT 1`, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("recipe by source URL: %w", err)
	}
	r, err := s.loadRecipe(ctx, s.read(), id)
	if err != nil {
		return nil, err
	}
	return &r.Summary, nil
}
