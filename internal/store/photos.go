package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
)

// PhotoRole is what a photo is of.
type PhotoRole string

const (
	PhotoMain    PhotoRole = "main"    // a recipe's main photo, at most one
	PhotoGallery PhotoRole = "gallery" // a recipe's gallery, in order
	PhotoStep    PhotoRole = "step"    // a recipe step's photo, one per step
	PhotoAvatar  PhotoRole = "avatar"  // a user's picture, at most one
)

// Refusals of AddPhoto; the photos service turns them into messages.
var (
	ErrPhotoQuota  = errors.New("storage quota exceeded")
	ErrGalleryFull = errors.New("gallery is full")
	ErrNoSuchStep  = errors.New("no such step")
)

// NewPhoto is an accepted upload, before its variants exist.
type NewPhoto struct {
	ID        string
	OwnerID   string
	RecipeID  string // empty for an avatar
	Role      PhotoRole
	Step      int // 1-based, for PhotoStep
	Alt       string
	UploadKey string
	// Width and Height of the upright picture, read from its header.
	Width, Height int
	Bytes         int64
}

// PhotoLimits bound AddPhoto: Quota is the most bytes one user may keep
// (0 = no limit), GalleryMax the most gallery photos of one recipe.
type PhotoLimits struct {
	Quota      int64
	GalleryMax int
}

// AddPhoto records an accepted upload for its recipe (only the recipe's
// author may) or as its owner's avatar, replacing the photo it takes the
// place of (a main, step or avatar photo). It returns the storage keys the
// replaced photo held, to delete once the transaction has committed. The
// quota is checked with the owner's row locked on PostgreSQL, so two
// parallel uploads cannot both slip under it; SQLite has one writer.
func (s *Store) AddPhoto(ctx context.Context, p NewPhoto, lim PhotoLimits) (freed []string, err error) {
	if !validID(p.OwnerID) || (p.Role != PhotoAvatar && !validID(p.RecipeID)) {
		return nil, ErrNotFound
	}
	err = s.inTx(ctx, func(tx conn) error {
		if s.d.name() == "postgres" {
			if _, err := tx.ExecContext(ctx, "SELECT id FROM users WHERE id = ? FOR UPDATE", p.OwnerID); err != nil {
				return fmt.Errorf("lock owner: %w", err)
			}
		}
		var recipeID any
		if p.Role != PhotoAvatar {
			recipeID = p.RecipeID
			var steps int
			err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM recipe_steps WHERE recipe_id = r.id)
				FROM recipes r WHERE r.id = ? AND r.author_id = ?`, p.RecipeID, p.OwnerID).Scan(&steps)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return fmt.Errorf("check recipe: %w", err)
			}
			if p.Role == PhotoStep && (p.Step < 1 || p.Step > steps) {
				return ErrNoSuchStep
			}
		}
		var cond string
		var args []any
		switch p.Role {
		case PhotoMain:
			cond, args = "recipe_id = ? AND role = 'main'", []any{p.RecipeID}
		case PhotoStep:
			cond, args = "recipe_id = ? AND role = 'step' AND step = ?", []any{p.RecipeID, p.Step}
		case PhotoAvatar:
			cond, args = "owner_id = ? AND role = 'avatar'", []any{p.OwnerID}
		}
		if cond != "" {
			keys, _, err := deletePhotos(ctx, tx, cond, args...)
			if err != nil {
				return err
			}
			freed = keys
		}
		position := 0
		if p.Role == PhotoGallery {
			var n, last int
			if err := tx.QueryRowContext(ctx, "SELECT count(*), COALESCE(max(position), 0) FROM photos WHERE recipe_id = ? AND role = 'gallery'",
				p.RecipeID).Scan(&n, &last); err != nil {
				return fmt.Errorf("count gallery: %w", err)
			}
			if lim.GalleryMax > 0 && n >= lim.GalleryMax {
				return ErrGalleryFull
			}
			position = last + 1
		}
		if lim.Quota > 0 {
			used, err := photoUsage(ctx, tx, p.OwnerID)
			if err != nil {
				return err
			}
			if used+p.Bytes > lim.Quota {
				return ErrPhotoQuota
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO photos (id, owner_id, recipe_id, role, step, position, alt, status,
			upload_key, width, height, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'processing', ?, ?, ?, ?, ?)`,
			p.ID, p.OwnerID, recipeID, string(p.Role), p.Step, position, p.Alt, p.UploadKey, p.Width, p.Height, p.Bytes,
			s.now().UTC())
		if err != nil {
			return fmt.Errorf("add photo: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return freed, nil
}

// PhotoUsage is how many bytes of storage userID's photos hold.
func (s *Store) PhotoUsage(ctx context.Context, userID string) (int64, error) {
	if !validID(userID) {
		return 0, nil
	}
	return photoUsage(ctx, s.read(), userID)
}

func photoUsage(ctx context.Context, q conn, userID string) (int64, error) {
	var used int64
	if err := q.QueryRowContext(ctx, "SELECT COALESCE(sum(bytes), 0) FROM photos WHERE owner_id = ?", userID).Scan(&used); err != nil {
		return 0, fmt.Errorf("photo usage: %w", err)
	}
	return used, nil
}

// deletePhotos deletes the photos matching cond and returns every storage
// key they held and how many there were.
func deletePhotos(ctx context.Context, tx conn, cond string, args ...any) ([]string, int64, error) {
	keys, err := photoKeysWhere(ctx, tx, cond, args...)
	if err != nil {
		return nil, 0, err
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM photos WHERE "+cond, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("delete photos: %w", err)
	}
	n, err := res.RowsAffected()
	return keys, n, err
}

func photoKeysWhere(ctx context.Context, q conn, cond string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT upload_key, variants FROM photos WHERE "+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("photo keys: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var upload sql.NullString
		var variants string
		if err := rows.Scan(&upload, &variants); err != nil {
			return nil, fmt.Errorf("photo keys: %w", err)
		}
		held, err := blobKeys(upload, variants)
		if err != nil {
			return nil, err
		}
		keys = append(keys, held...)
	}
	return keys, rows.Err()
}

// blobKeys are the storage keys one row holds: its upload, if still
// there, and its variants.
func blobKeys(upload sql.NullString, variants string) ([]string, error) {
	vs, err := decodeVariants(variants)
	if err != nil {
		return nil, err
	}
	var keys []string
	if upload.Valid {
		keys = append(keys, upload.String)
	}
	for _, v := range vs {
		keys = append(keys, v.Key)
	}
	return keys, nil
}

// storedVariant is a variant as the variants column keeps it.
type storedVariant struct {
	Key    string `json:"key"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Format string `json:"format"`
}

func decodeVariants(s string) ([]storedVariant, error) {
	var vs []storedVariant
	if err := json.Unmarshal([]byte(s), &vs); err != nil {
		return nil, fmt.Errorf("photo variants: %w", err)
	}
	return vs, nil
}

// DeletePhoto deletes one photo of a recipe, which ownerID must be the
// author of, and returns its storage keys.
func (s *Store) DeletePhoto(ctx context.Context, ownerID, recipeID, photoID string) ([]string, error) {
	if !validID(recipeID) || !validID(photoID) {
		return nil, ErrNotFound
	}
	return s.deleteOwnPhotos(ctx, ownerID, "recipe_id = ? AND id = ?", recipeID, photoID)
}

// DeleteMainPhoto deletes a recipe's main photo.
func (s *Store) DeleteMainPhoto(ctx context.Context, ownerID, recipeID string) ([]string, error) {
	if !validID(recipeID) {
		return nil, ErrNotFound
	}
	return s.deleteOwnPhotos(ctx, ownerID, "recipe_id = ? AND role = 'main'", recipeID)
}

// DeleteAvatar deletes ownerID's avatar.
func (s *Store) DeleteAvatar(ctx context.Context, ownerID string) ([]string, error) {
	return s.deleteOwnPhotos(ctx, ownerID, "role = 'avatar'")
}

// deleteOwnPhotos deletes ownerID's photos matching cond; ErrNotFound
// when there is none.
func (s *Store) deleteOwnPhotos(ctx context.Context, ownerID, cond string, args ...any) ([]string, error) {
	if !validID(ownerID) {
		return nil, ErrNotFound
	}
	var keys []string
	err := s.inTx(ctx, func(tx conn) error {
		var n int64
		var err error
		keys, n, err = deletePhotos(ctx, tx, "owner_id = ? AND "+cond, append([]any{ownerID}, args...)...)
		if err == nil && n == 0 {
			err = ErrNotFound
		}
		return err
	})
	return keys, err
}

// SetPhotoAlt changes a recipe photo's alt text.
func (s *Store) SetPhotoAlt(ctx context.Context, ownerID, recipeID, photoID, alt string) error {
	if !validID(ownerID) || !validID(recipeID) || !validID(photoID) {
		return ErrNotFound
	}
	res, err := s.read().ExecContext(ctx, "UPDATE photos SET alt = ? WHERE id = ? AND recipe_id = ? AND owner_id = ?",
		alt, photoID, recipeID, ownerID)
	if err != nil {
		return fmt.Errorf("set photo alt: %w", err)
	}
	return mustAffect(res, "photo "+photoID)
}

// PendingPhoto is what the variants job needs of a photo.
type PendingPhoto struct {
	Status    recipe.PhotoStatus
	UploadKey string
}

// PendingPhoto loads a photo for the variants job; ErrNotFound when it
// was deleted meanwhile.
func (s *Store) PendingPhoto(ctx context.Context, id string) (*PendingPhoto, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	var p PendingPhoto
	var upload sql.NullString
	err := s.read().QueryRowContext(ctx, "SELECT status, upload_key FROM photos WHERE id = ?", id).Scan(&p.Status, &upload)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load photo %s: %w", id, err)
	}
	p.UploadKey = upload.String
	return &p, nil
}

// FinishedPhoto is what the variants job made of an upload.
type FinishedPhoto struct {
	Width, Height int
	Colour        string
	Variants      []recipe.PhotoVariant
	Bytes         int64
}

// FinishPhoto records a photo's variants and forgets its upload. It
// reports false when the photo is no longer waiting for them (deleted or
// replaced meanwhile): the caller then deletes what it stored.
func (s *Store) FinishPhoto(ctx context.Context, id string, f FinishedPhoto) (bool, error) {
	vs := make([]storedVariant, len(f.Variants))
	for i, v := range f.Variants {
		vs[i] = storedVariant{Key: v.Key, Width: v.Width, Height: v.Height, Format: v.Format}
	}
	data, err := json.Marshal(vs)
	if err != nil {
		return false, err
	}
	res, err := s.read().ExecContext(ctx, `UPDATE photos SET status = 'ready', upload_key = NULL, width = ?, height = ?,
		colour = ?, variants = ?, bytes = ? WHERE id = ? AND status = 'processing'`,
		f.Width, f.Height, f.Colour, string(data), f.Bytes, id)
	if err != nil {
		return false, fmt.Errorf("finish photo %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FailPhoto marks a photo whose upload turned out unusable, and forgets
// the upload (deleted by the caller).
func (s *Store) FailPhoto(ctx context.Context, id string) error {
	_, err := s.read().ExecContext(ctx, "UPDATE photos SET status = 'failed', upload_key = NULL, bytes = 0 WHERE id = ? AND status = 'processing'", id)
	if err != nil {
		return fmt.Errorf("fail photo %s: %w", id, err)
	}
	return nil
}

// StalledPhotos lists photos still processing since before `before`: their
// job was lost (enqueueing failed after the upload committed) or gave up.
func (s *Store) StalledPhotos(ctx context.Context, before time.Time, limit int) ([]string, error) {
	rows, err := s.read().QueryContext(ctx, "SELECT id FROM photos WHERE status = 'processing' AND created_at < ? ORDER BY created_at LIMIT ?",
		before.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("stalled photos: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// PhotoKeys maps each of ids that has a row to the storage keys it holds
// (its upload and variants), for the orphan sweep.
func (s *Store) PhotoKeys(ctx context.Context, ids []string) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	var valid []any
	for _, id := range ids {
		if validID(id) {
			valid = append(valid, id)
		}
	}
	for len(valid) > 0 {
		batch := valid[:min(len(valid), 500)]
		valid = valid[len(batch):]
		in := placeholders(len(batch))
		rows, err := s.read().QueryContext(ctx, "SELECT id, upload_key, variants FROM photos WHERE id IN ("+in+")", batch...)
		if err != nil {
			return nil, fmt.Errorf("photo keys: %w", err)
		}
		for rows.Next() {
			var id, variants string
			var upload sql.NullString
			if err := rows.Scan(&id, &upload, &variants); err != nil {
				rows.Close()
				return nil, err
			}
			held, err := blobKeys(upload, variants)
			if err != nil {
				rows.Close()
				return nil, err
			}
			keys := make(map[string]bool, len(held))
			for _, k := range held {
				keys[k] = true
			}
			out[id] = keys
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PhotoAccess is who may see a stored photo: Private is true for a
// private recipe's photos, which only OwnerID may fetch.
type PhotoAccess struct {
	OwnerID string
	Private bool
	// RecipeID is the recipe the photo belongs to ("" for an avatar): a
	// share link of that recipe also shows a private one's photos.
	RecipeID string
	// Variants are the keys that may be served; never the upload.
	Variants map[string]string // key → format
}

// PhotoAccessOf tells who may see photo id; ErrNotFound when it is gone.
func (s *Store) PhotoAccessOf(ctx context.Context, id string) (*PhotoAccess, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	var a PhotoAccess
	var vis, recipeID sql.NullString
	var variants string
	err := s.read().QueryRowContext(ctx, `SELECT p.owner_id, r.visibility, p.variants, p.recipe_id FROM photos p
		LEFT JOIN recipes r ON r.id = p.recipe_id WHERE p.id = ?`, id).Scan(&a.OwnerID, &vis, &variants, &recipeID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("photo access %s: %w", id, err)
	}
	a.Private = vis.Valid && recipe.Visibility(vis.String) == recipe.Private
	a.RecipeID = recipeID.String
	vs, err := decodeVariants(variants)
	if err != nil {
		return nil, err
	}
	a.Variants = make(map[string]string, len(vs))
	for _, v := range vs {
		a.Variants[v.Key] = v.Format
	}
	return &a, nil
}

const photoColumns = "p.id, p.recipe_id, p.owner_id, p.role, p.step, p.alt, p.status, p.width, p.height, p.colour, p.variants"

// photoRow is a photo with what it belongs to.
type photoRow struct {
	recipe.Photo
	RecipeID, OwnerID string
	Role              PhotoRole
}

func (s *Store) scanPhoto(row interface{ Scan(...any) error }) (*photoRow, error) {
	var p photoRow
	var recipeID sql.NullString
	var variants string
	if err := row.Scan(&p.ID, &recipeID, &p.OwnerID, &p.Role, &p.Step, &p.Alt, &p.Status, &p.Width, &p.Height,
		&p.Colour, &variants); err != nil {
		return nil, err
	}
	p.RecipeID = recipeID.String
	vs, err := decodeVariants(variants)
	if err != nil {
		return nil, err
	}
	p.Variants = shownVariants(vs)
	s.linkPhoto(&p.Photo, false)
	if p.Role != PhotoStep {
		p.Step = 0
	}
	return &p, nil
}

// mediaURL is where a browser fetches a stored photo: this server's
// /media/ path, or the CDN in front of it for photos anyone may see. A
// private recipe's photos always come from this server, which checks who
// asks (docs/architecture.md, "Photos").
func (s *Store) mediaURL(key string, private bool) string {
	if private || s.mediaBase == "" {
		return "/media/" + key
	}
	return s.mediaBase + "/media/" + key
}

// SetMediaBaseURL makes the URLs of photos anyone may see start with base
// (RECC_MEDIA_BASE_URL, a CDN whose origin is this server) instead of
// this server's own path.
func (s *Store) SetMediaBaseURL(base string) { s.mediaBase = strings.TrimSuffix(base, "/") }

// Avatar loads userID's avatar, or nil when there is none.
func (s *Store) Avatar(ctx context.Context, userID string) (*recipe.Photo, error) {
	if !validID(userID) {
		return nil, nil
	}
	p, err := s.scanPhoto(s.read().QueryRowContext(ctx, "SELECT "+photoColumns+" FROM photos p WHERE p.owner_id = ? AND p.role = 'avatar'", userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load avatar: %w", err)
	}
	return &p.Photo, nil
}

// shownVariants are stored variants as the recipe package shows them
// (linkPhoto adds their addresses).
func shownVariants(vs []storedVariant) []recipe.PhotoVariant {
	out := make([]recipe.PhotoVariant, len(vs))
	for i, v := range vs {
		out[i] = recipe.PhotoVariant{Key: v.Key, Width: v.Width, Height: v.Height, Format: v.Format}
	}
	return out
}

// photoObject is the photo row alias p as a JSON object (photoJSON), for
// aggregating photos into the row they belong to.
func photoObject(d dialect, p string) string {
	return d.jsonObject("i", p+".id", "k", p+".role", "n", p+".step",
		"a", p+".alt", "s", p+".status", "w", p+".width", "h", p+".height", "c", p+".colour",
		"v", d.jsonColumn(p+".variants"))
}

// photoJSON is a photo as photoObject writes it.
type photoJSON struct {
	ID       string             `json:"i"`
	Role     PhotoRole          `json:"k"`
	Step     int                `json:"n"`
	Alt      string             `json:"a"`
	Status   recipe.PhotoStatus `json:"s"`
	Width    int                `json:"w"`
	Height   int                `json:"h"`
	Colour   string             `json:"c"`
	Variants []storedVariant    `json:"v"`
}

// photo is j as the recipe package shows it, linked on this server when
// private; a step number is kept for step photos only, as scanPhoto does.
func (s *Store) photo(j *photoJSON, private bool) recipe.Photo {
	p := recipe.Photo{ID: j.ID, Width: j.Width, Height: j.Height, Alt: j.Alt, Colour: j.Colour, Status: j.Status,
		Variants: shownVariants(j.Variants)}
	if j.Role == PhotoStep {
		p.Step = j.Step
	}
	s.linkPhoto(&p, private)
	return p
}

// decodePhoto decodes one photoObject, nil for SQL NULL (no such photo).
func (s *Store) decodePhoto(data []byte, private bool) (*recipe.Photo, error) {
	if data == nil {
		return nil, nil
	}
	var j photoJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("photo: %w", err)
	}
	p := s.photo(&j, private)
	return &p, nil
}

// fillRecipePhotos decodes a recipe's photos (an array of photoObject in
// role, step and position order) into its gallery followed by its step
// photos; the main photo came with the card columns.
func (s *Store) fillRecipePhotos(r *recipe.Recipe, data []byte) error {
	var all []photoJSON
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	private := r.Visibility == recipe.Private
	r.Photos = []recipe.Photo{}
	for i := range all {
		if all[i].Role == PhotoGallery || all[i].Role == PhotoStep {
			r.Photos = append(r.Photos, s.photo(&all[i], private))
		}
	}
	return nil
}

// linkPhoto fills a photo's URLs: its variants' and, as its own, the
// widest JPEG's. A private recipe's photos are linked on this server.
func (s *Store) linkPhoto(p *recipe.Photo, private bool) {
	for i := range p.Variants {
		p.Variants[i].URL = s.mediaURL(p.Variants[i].Key, private)
	}
	p.URL = ""
	if widest := p.Widest("jpeg"); widest != nil {
		p.URL = widest.URL
	}
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// recipePhotoKeys lists the storage keys of a recipe's photos, before the
// recipe (and by cascade its photos) is deleted.
func recipePhotoKeys(ctx context.Context, tx conn, recipeID string) ([]string, error) {
	return photoKeysWhere(ctx, tx, "recipe_id = ?", recipeID)
}

// OnBlobsFreed sets what runs after a commit that dropped photos without
// going through the photos service (deleting a recipe): it deletes their
// blobs. Without it they wait for the orphan sweep.
func (s *Store) OnBlobsFreed(fn func(keys []string)) { s.blobsFreed = fn }

func (s *Store) freed(keys []string) {
	if len(keys) > 0 && s.blobsFreed != nil {
		s.blobsFreed(keys)
	}
}

// RecipeRef names a recipe and its author.
type RecipeRef struct {
	ID, AuthorID, Title string
}

// RecipesWithoutPhoto lists up to limit recipes that have no main photo,
// newest first: what the seeders give a picture.
func (s *Store) RecipesWithoutPhoto(ctx context.Context, limit int) ([]RecipeRef, error) {
	rows, err := s.read().QueryContext(ctx, `SELECT r.id, r.author_id, r.title FROM recipes r
		WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.recipe_id = r.id AND p.role = 'main')
		ORDER BY r.created_at DESC, r.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("recipes without photo: %w", err)
	}
	defer rows.Close()
	var out []RecipeRef
	for rows.Next() {
		var r RecipeRef
		if err := rows.Scan(&r.ID, &r.AuthorID, &r.Title); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
