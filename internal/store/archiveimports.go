package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
)

// Archive imports (migration 34): a whole archive from another recipe app,
// or RecCollection's own export, worked by a background job that records
// one result per recipe of the archive, by its position in it. The job
// may be stopped and run again at any point: a position with a final
// result is never worked twice, and a recipe is saved in the same
// transaction as the result that names it, so a crash never leaves a
// saved recipe its import does not know of.

// ArchiveImport is one uploaded archive and where its import stands.
type ArchiveImport struct {
	ID       string
	UserID   string
	Format   string // the archive's layout (internal/importer/archive's Format)
	FileName string // as uploaded, for the person's pages
	BlobKey  string // the archive in the blob store; "" once deleted
	Status   string // queued, running, done, failed
	Total    int    // recipes in the archive
	Done     int    // recipes with a result (done, failed or skipped)
	Failed   int    // of those, the failed ones
	// Error says why the whole import failed (status failed).
	Error     string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Results are the recipes worked so far, in the archive's order
	// (ArchiveImport fills them; the listing does not).
	Results []ArchiveImportResult
}

// ArchiveImportResult is what became of one recipe of an archive.
type ArchiveImportResult struct {
	Position int    // 0-based, in the archive's order
	Name     string // where in the archive the recipe came from
	// Status is running (saved as RecipeID, photos still being added),
	// done, failed (Error says why) or skipped (imported before, as
	// RecipeID).
	Status   string
	RecipeID string // "" when none, or when the recipe was deleted since
	Title    string
	Error    string
	Photos   int // photos kept
}

// Archive import states, of an import and of a result.
const (
	ArchiveQueued  = "queued"
	ArchiveRunning = "running"
	ArchiveDone    = "done"
	ArchiveFailed  = "failed"
	ArchiveSkipped = "skipped"
)

// ArchiveImportStale is how long an archive import may go without
// progress before it no longer counts as under way (its job died and the
// queue gave up): a new one may then start, and the sweep ends it. A job
// that works records progress with every recipe.
const ArchiveImportStale = time.Hour

// ErrArchiveImportUnderWay refuses a new archive import while the person
// has as many queued or running as they may.
var ErrArchiveImportUnderWay = errors.New("store: an archive import is under way")

const archiveImportColumns = "id, user_id, format, file_name, blob_key, status, total, done, failed, error, created_at, updated_at"

func scanArchiveImport(row interface{ Scan(...any) error }) (*ArchiveImport, error) {
	var a ArchiveImport
	err := row.Scan(&a.ID, &a.UserID, &a.Format, &a.FileName, &a.BlobKey, &a.Status, &a.Total, &a.Done, &a.Failed,
		&a.Error, &a.CreatedAt, &a.UpdatedAt)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// CreateArchiveImport records imp (its UserID, Format, FileName, BlobKey
// and Total) as a queued import and fills in its ID, status and times.
// It refuses with ErrArchiveImportUnderWay when the person already has
// maxActive imports queued or running that made progress within
// ArchiveImportStale (0: no limit), with their row locked on PostgreSQL
// so two uploads at once cannot both pass; a missing user is ErrNotFound.
func (s *Store) CreateArchiveImport(ctx context.Context, imp *ArchiveImport, maxActive int) error {
	if !validID(imp.UserID) {
		return ErrNotFound
	}
	if !storable(imp.FileName) || !storable(imp.Format) {
		return fmt.Errorf("archive import: a name holds a NUL character")
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	return s.inTx(ctx, func(tx conn) error {
		if err := s.lockUser(ctx, tx, imp.UserID); err != nil {
			return err
		}
		if maxActive > 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM archive_imports
				WHERE user_id = ? AND status IN ('queued', 'running') AND updated_at > ?`,
				imp.UserID, now.Add(-ArchiveImportStale)).Scan(&n); err != nil {
				return fmt.Errorf("count archive imports under way: %w", err)
			}
			if n >= maxActive {
				return ErrArchiveImportUnderWay
			}
		}
		imp.ID, imp.Status, imp.CreatedAt, imp.UpdatedAt = newID(), ArchiveQueued, now, now
		imp.Done, imp.Failed, imp.Error, imp.Results = 0, 0, "", nil
		_, err := tx.ExecContext(ctx, "INSERT INTO archive_imports ("+archiveImportColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, '', ?, ?)",
			imp.ID, imp.UserID, imp.Format, imp.FileName, imp.BlobKey, imp.Status, imp.Total, now, now)
		if err != nil {
			return fmt.Errorf("insert archive import: %w", err)
		}
		return nil
	})
}

// ArchiveImport loads one of userID's archive imports with its results;
// another person's, or an unknown id, is ErrNotFound.
func (s *Store) ArchiveImport(ctx context.Context, userID, id string) (*ArchiveImport, error) {
	if !validID(userID) || !validID(id) {
		return nil, ErrNotFound
	}
	q := s.joined(ctx)
	a, err := scanArchiveImport(q.QueryRowContext(ctx, "SELECT "+archiveImportColumns+" FROM archive_imports WHERE id = ? AND user_id = ?", id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load archive import %s: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT position, name, status, recipe_id, title, error, photos
		FROM archive_import_results WHERE import_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("load archive import results %s: %w", id, err)
	}
	defer rows.Close()
	a.Results = []ArchiveImportResult{}
	for rows.Next() {
		var r ArchiveImportResult
		var recipeID sql.NullString
		if err := rows.Scan(&r.Position, &r.Name, &r.Status, &recipeID, &r.Title, &r.Error, &r.Photos); err != nil {
			return nil, fmt.Errorf("scan archive import result: %w", err)
		}
		r.RecipeID = recipeID.String
		a.Results = append(a.Results, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load archive import results %s: %w", id, err)
	}
	return a, nil
}

// ArchiveImports lists userID's latest archive imports, newest first,
// without their results.
func (s *Store) ArchiveImports(ctx context.Context, userID string, limit int) ([]*ArchiveImport, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	rows, err := s.read().QueryContext(ctx, "SELECT "+archiveImportColumns+" FROM archive_imports WHERE user_id = ?"+
		" ORDER BY created_at DESC, id DESC LIMIT ?", userID, limit)
	if err != nil {
		return nil, fmt.Errorf("list archive imports: %w", err)
	}
	defer rows.Close()
	out := []*ArchiveImport{}
	for rows.Next() {
		a, err := scanArchiveImport(rows)
		if err != nil {
			return nil, fmt.Errorf("list archive imports: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetArchiveImportStatus moves import id to status (running, done or
// failed, with why for a failure) and records the moment as progress.
func (s *Store) SetArchiveImportStatus(ctx context.Context, id, status, why string) error {
	if !validID(id) {
		return ErrNotFound
	}
	res, err := s.joined(ctx).ExecContext(ctx, "UPDATE archive_imports SET status = ?, error = ?, updated_at = ? WHERE id = ?",
		status, why, s.now().UTC().Truncate(time.Microsecond), id)
	if err != nil {
		return fmt.Errorf("set archive import %s %s: %w", id, status, err)
	}
	return mustAffect(res, "archive import "+id)
}

// ForgetArchiveImportBlob records that import id's archive was deleted
// from the blob store. A missing import is no error: it went with its
// account.
func (s *Store) ForgetArchiveImportBlob(ctx context.Context, id string) error {
	if !validID(id) {
		return ErrNotFound
	}
	if _, err := s.joined(ctx).ExecContext(ctx, "UPDATE archive_imports SET blob_key = '' WHERE id = ?", id); err != nil {
		return fmt.Errorf("forget archive import %s's blob: %w", id, err)
	}
	return nil
}

// SaveArchiveImportRecipe creates nr (a validated recipe, backdated when
// its CreatedAt is set) and, in the same transaction, records it as res
// (status running) of import importID, so that a job stopped at any
// point finds the recipe it saved. A position that already has a result
// is *ConflictError (field "position"), and nothing is saved; the recipe
// is not announced to followers (an import brings back old recipes, it
// publishes nothing new).
func (s *Store) SaveArchiveImportRecipe(ctx context.Context, importID string, res ArchiveImportResult, nr NewRecipe) (*recipe.Recipe, error) {
	if !validID(importID) || !validID(nr.AuthorID) {
		return nil, ErrNotFound
	}
	var r *recipe.Recipe
	err := s.inTx(ctx, func(tx conn) error {
		ids, err := s.insertRecipes(ctx, tx, []NewRecipe{nr})
		if err != nil {
			return err
		}
		if r, err = s.loadRecipe(ctx, tx, ids[0]); err != nil {
			return err
		}
		res.Status, res.RecipeID, res.Title, res.Error = ArchiveRunning, r.ID, r.Title, ""
		return s.putArchiveResult(ctx, tx, importID, res, true)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// SetArchiveImportResult records res as the result of its position of
// import importID, replacing what was there, keeps the import's counts
// of finished and failed recipes, and records the moment as progress,
// in one transaction.
func (s *Store) SetArchiveImportResult(ctx context.Context, importID string, res ArchiveImportResult) error {
	if !validID(importID) {
		return ErrNotFound
	}
	return s.inTx(ctx, func(tx conn) error { return s.putArchiveResult(ctx, tx, importID, res, false) })
}

// putArchiveResult writes res on tx: a new row, or (unless onlyNew) over
// the position's row; the import's counts move by the difference.
func (s *Store) putArchiveResult(ctx context.Context, tx conn, importID string, res ArchiveImportResult, onlyNew bool) error {
	if res.Position < 0 || !storable(res.Name) || !storable(res.Title) || !storable(res.Error) {
		return fmt.Errorf("archive import result %d: not storable", res.Position)
	}
	var recipeID any
	if res.RecipeID != "" {
		if !validID(res.RecipeID) {
			return fmt.Errorf("archive import result %d: recipe id %q", res.Position, res.RecipeID)
		}
		recipeID = res.RecipeID
	}
	var before string
	err := tx.QueryRowContext(ctx, "SELECT status FROM archive_import_results WHERE import_id = ? AND position = ?",
		importID, res.Position).Scan(&before)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		before = ""
		if _, err := tx.ExecContext(ctx, `INSERT INTO archive_import_results
			(import_id, position, name, status, recipe_id, title, error, photos) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			importID, res.Position, res.Name, res.Status, recipeID, res.Title, res.Error, res.Photos); err != nil {
			if s.d.isUniqueViolation(err) {
				return &ConflictError{Field: "position"}
			}
			return fmt.Errorf("insert archive import result %s/%d: %w", importID, res.Position, err)
		}
	case err != nil:
		return fmt.Errorf("read archive import result %s/%d: %w", importID, res.Position, err)
	case onlyNew:
		return &ConflictError{Field: "position"}
	default:
		if _, err := tx.ExecContext(ctx, `UPDATE archive_import_results SET name = ?, status = ?, recipe_id = ?, title = ?, error = ?, photos = ?
			WHERE import_id = ? AND position = ?`,
			res.Name, res.Status, recipeID, res.Title, res.Error, res.Photos, importID, res.Position); err != nil {
			return fmt.Errorf("set archive import result %s/%d: %w", importID, res.Position, err)
		}
	}
	finished := func(st string) int {
		if st == ArchiveDone || st == ArchiveFailed || st == ArchiveSkipped {
			return 1
		}
		return 0
	}
	failed := func(st string) int {
		if st == ArchiveFailed {
			return 1
		}
		return 0
	}
	r, err := tx.ExecContext(ctx, "UPDATE archive_imports SET done = done + ?, failed = failed + ?, updated_at = ? WHERE id = ?",
		finished(res.Status)-finished(before), failed(res.Status)-failed(before), s.now().UTC().Truncate(time.Microsecond), importID)
	if err != nil {
		return fmt.Errorf("count archive import %s: %w", importID, err)
	}
	return mustAffect(r, "archive import "+importID)
}

// StaleArchiveImports lists up to limit imports still queued or running
// that made no progress since before (their job is gone), oldest first,
// for the sweep to end.
func (s *Store) StaleArchiveImports(ctx context.Context, before time.Time, limit int) ([]*ArchiveImport, error) {
	rows, err := s.read().QueryContext(ctx, "SELECT "+archiveImportColumns+" FROM archive_imports"+
		" WHERE status IN ('queued', 'running') AND updated_at < ? ORDER BY updated_at LIMIT ?", before.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("find stale archive imports: %w", err)
	}
	defer rows.Close()
	var out []*ArchiveImport
	for rows.Next() {
		a, err := scanArchiveImport(rows)
		if err != nil {
			return nil, fmt.Errorf("find stale archive imports: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ArchiveImportKeysNamed answers which of keys an archive import names.
func (s *Store) ArchiveImportKeysNamed(ctx context.Context, keys []string) (map[string]bool, error) {
	return s.blobKeysNamed(ctx, "archive_imports", keys)
}

// archiveKeysOf are the blobs of userID's archive imports, read before
// the account's rows go.
func archiveKeysOf(ctx context.Context, tx conn, userID string) ([]string, error) {
	keys, err := strings1(ctx, tx, "SELECT blob_key FROM archive_imports WHERE user_id = ? AND blob_key <> ''", userID)
	if err != nil {
		return nil, fmt.Errorf("archive import keys of %s: %w", userID, err)
	}
	return keys, nil
}
