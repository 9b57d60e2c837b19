// Package photos is what people do with pictures: a recipe's main photo,
// its gallery and its steps' photos, and avatars. An upload is checked at
// once (type by content, size, pixels from the header: internal/images),
// stored as it came under a key nobody can fetch, and recorded as
// "processing"; a job then renders the variants, records them and
// deletes the upload, so nothing kept carries the upload's metadata.
// Blobs of photos that are replaced or deleted go after the database
// commits; a periodic sweep removes whatever was left behind.
package photos

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/reccollection/reccollection/internal/images"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// Limits on what one user may keep.
const (
	// DefaultQuota is the storage one user's photos may hold (RECC_MEDIA_QUOTA).
	DefaultQuota = 1 << 30
	// GalleryMax is the most gallery photos a recipe has.
	GalleryMax = 20
	// MaxAltLength bounds alt text, in characters.
	MaxAltLength = 300
	// uploadSlots bounds uploads held in memory at once (20 MiB each).
	uploadSlots = 8
)

// Options configure a Service.
type Options struct {
	// Quota is the most bytes one user's photos may hold; 0 means
	// DefaultQuota, a negative value no limit.
	Quota int64
	// Enqueue schedules the variants job of a photo; nil processes it at
	// once in the caller (tools and tests without a queue).
	Enqueue func(ctx context.Context, photoID string) error
	// Decoders bounds concurrent decodes (each up to 200 MB for a 50 MP
	// photo); 0 means GOMAXPROCS.
	Decoders int
	Logger   *slog.Logger
}

// Service uploads, processes and deletes photos.
type Service struct {
	store    *store.Store
	media    media.Store
	pipeline *images.Pipeline
	quota    int64
	enqueue  func(ctx context.Context, photoID string) error
	log      *slog.Logger
	uploads  chan struct{}
}

// New returns a service over the database and the blob store.
func New(s *store.Store, m media.Store, opts Options) *Service {
	q := opts.Quota
	if q == 0 {
		q = DefaultQuota
	}
	if q < 0 {
		q = 0
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	svc := &Service{store: s, media: m, pipeline: images.New(opts.Decoders), quota: q, enqueue: opts.Enqueue,
		log: log, uploads: make(chan struct{}, uploadSlots)}
	// Deleting a recipe drops its photos in the store; their blobs go
	// once that has committed.
	s.OnBlobsFreed(func(keys []string) { svc.deleteBlobs(context.Background(), keys) })
	return svc
}

// Refusal is an upload or change refused for a reason the person can fix;
// Status is the HTTP status that fits.
type Refusal struct {
	Status  int
	Message string
}

func (r *Refusal) Error() string { return r.Message }

// Refusals besides the image pipeline's.
var (
	ErrQuota       = &Refusal{413, "Your photos have used up your storage allowance; delete some to add more."}
	ErrGalleryFull = &Refusal{409, fmt.Sprintf("A recipe can have at most %d gallery photos; remove one first.", GalleryMax)}
	ErrNoSuchStep  = &Refusal{422, "That step does not exist in this recipe."}
	ErrAltTooLong  = &Refusal{422, fmt.Sprintf("The description of the photo (alt text) must be at most %d characters.", MaxAltLength)}
	ErrEmpty       = &Refusal{422, "Choose a photo to upload: the file is empty."}
)

// ErrStorage wraps a failure of the blob store during an upload: the
// caller answers 503, as for a database outage; nothing was recorded.
var ErrStorage = errors.New("photo storage is unavailable")

// Problem turns err into what an HTTP answer says: a status and a message
// for the person. ok is false for failures that are not the person's to
// fix (storage or database down, a bug): the caller answers those itself.
func Problem(err error) (status int, message string, ok bool) {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Status, r.Message, true
	}
	var ie *images.Error
	if errors.As(err, &ie) {
		switch ie.Kind {
		case images.KindTooLarge:
			return 413, "The photo is larger than 20 MiB.", true
		case images.KindUnsupportedType:
			return 415, capitalise(ie.Error()) + ".", true
		default:
			return 422, capitalise(ie.Error()) + ".", true
		}
	}
	return 0, "", false
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// target is what an upload becomes.
type target struct {
	role     store.PhotoRole
	recipeID string
	step     int
	// exact keeps a plain JPEG's bytes as the widest JPEG variant
	// (Import).
	exact bool
}

// SetMain makes body the recipe's main photo, replacing any. An empty alt
// means the recipe's title, decided when pages show it.
func (s *Service) SetMain(ctx context.Context, userID, recipeID string, body io.Reader, alt string) (*recipe.Photo, error) {
	return s.add(ctx, userID, target{role: store.PhotoMain, recipeID: recipeID}, body, alt)
}

// AddPhoto adds body to the recipe's gallery (step 0) or makes it the
// photo of step (1-based), replacing that step's photo.
func (s *Service) AddPhoto(ctx context.Context, userID, recipeID string, step int, body io.Reader, alt string) (*recipe.Photo, error) {
	t := target{role: store.PhotoGallery, recipeID: recipeID}
	if step != 0 {
		t = target{role: store.PhotoStep, recipeID: recipeID, step: step}
		if step < 0 {
			return nil, ErrNoSuchStep
		}
	}
	return s.add(ctx, userID, t, body, alt)
}

// Import adds a photo read from a recipe archive to the recipe, as role
// main (replacing any), gallery or step (1-based, replacing that step's),
// like SetMain and AddPhoto. exact is for the photos of RecCollection's
// own export: a plain JPEG (images.PlainJPEG, as the export writes them)
// then becomes the widest JPEG variant byte for byte
// (images.Pipeline.ProcessKeeping) rather than being encoded again, so
// that exporting the imported recipes gives the same files back.
func (s *Service) Import(ctx context.Context, userID, recipeID string, role store.PhotoRole, step int, body io.Reader, alt string, exact bool) (*recipe.Photo, error) {
	t := target{role: role, recipeID: recipeID, exact: exact}
	switch role {
	case store.PhotoMain, store.PhotoGallery:
	case store.PhotoStep:
		if step < 1 {
			return nil, ErrNoSuchStep
		}
		t.step = step
	default:
		return nil, fmt.Errorf("photos: import as %q", role)
	}
	return s.add(ctx, userID, t, body, alt)
}

// SetAvatar makes body userID's avatar, replacing any.
func (s *Service) SetAvatar(ctx context.Context, userID string, body io.Reader) (*recipe.Photo, error) {
	return s.add(ctx, userID, target{role: store.PhotoAvatar}, body, "")
}

func (s *Service) add(ctx context.Context, userID string, t target, body io.Reader, alt string) (*recipe.Photo, error) {
	alt = strings.TrimSpace(alt)
	if utf8.RuneCountInString(alt) > MaxAltLength || !utf8.ValidString(alt) {
		return nil, ErrAltTooLong
	}
	select {
	case s.uploads <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	data, info, err := images.Inspect(body, images.MaxBytes)
	<-s.uploads
	if err != nil {
		if len(data) == 0 && errors.Is(err, images.ErrNotImage) {
			return nil, ErrEmpty
		}
		return nil, err
	}
	w, h := info.Width, info.Height
	if info.Orientation >= 5 { // rotated a quarter turn
		w, h = h, w
	}
	id := uuid.Must(uuid.NewV7()).String()
	key := uploadKey(id)
	if t.exact {
		key = exactUploadKey(id)
	}
	// The upload is stored before its row exists: a row never names a blob
	// that is not there. If the row is refused, the blob goes at once (or
	// with the sweep).
	if err := s.media.Put(ctx, key, bytes.NewReader(data), int64(len(data)), info.Format.ContentType()); err != nil {
		return nil, fmt.Errorf("%w: store upload: %w", ErrStorage, err)
	}
	freed, err := s.store.AddPhoto(ctx, store.NewPhoto{ID: id, OwnerID: userID, RecipeID: t.recipeID, Role: t.role,
		Step: t.step, Alt: alt, UploadKey: key, Width: w, Height: h, Bytes: int64(len(data))},
		store.PhotoLimits{Quota: s.quota, GalleryMax: GalleryMax})
	if err != nil {
		s.deleteBlobs(context.WithoutCancel(ctx), []string{key})
		switch {
		case errors.Is(err, store.ErrPhotoQuota):
			return nil, ErrQuota
		case errors.Is(err, store.ErrGalleryFull):
			return nil, ErrGalleryFull
		case errors.Is(err, store.ErrNoSuchStep):
			return nil, ErrNoSuchStep
		}
		return nil, err
	}
	s.deleteBlobs(context.WithoutCancel(ctx), freed)
	if s.enqueue == nil {
		if err := s.Process(ctx, id); err != nil {
			return nil, err
		}
	} else if err := s.enqueue(ctx, id); err != nil {
		// The photo is recorded; the sweep enqueues it again later.
		s.log.Warn("photo variants job not enqueued; the sweep retries", "photo", id, "err", err)
	}
	p := &recipe.Photo{ID: id, Width: w, Height: h, Alt: alt, Status: recipe.PhotoProcessing,
		Variants: []recipe.PhotoVariant{}, Step: t.step}
	if s.enqueue == nil {
		return s.load(ctx, userID, t, id, p)
	}
	return p, nil
}

// load reads a processed photo back for the answer of an upload made
// without a queue.
func (s *Service) load(ctx context.Context, userID string, t target, id string, fallback *recipe.Photo) (*recipe.Photo, error) {
	if t.role == store.PhotoAvatar {
		return s.store.Avatar(ctx, userID)
	}
	r, err := s.store.Recipe(ctx, t.recipeID)
	if err != nil {
		return nil, err
	}
	if r.Photo != nil && r.Photo.ID == id {
		return r.Photo, nil
	}
	for i := range r.Photos {
		if r.Photos[i].ID == id {
			return &r.Photos[i], nil
		}
	}
	return fallback, nil
}

// DeleteMain removes a recipe's main photo.
func (s *Service) DeleteMain(ctx context.Context, userID, recipeID string) error {
	keys, err := s.store.DeleteMainPhoto(ctx, userID, recipeID)
	s.deleteBlobs(context.WithoutCancel(ctx), keys)
	return err
}

// DeletePhoto removes one of a recipe's photos (main, gallery or step).
func (s *Service) DeletePhoto(ctx context.Context, userID, recipeID, photoID string) error {
	keys, err := s.store.DeletePhoto(ctx, userID, recipeID, photoID)
	s.deleteBlobs(context.WithoutCancel(ctx), keys)
	return err
}

// DeleteAvatar removes userID's avatar.
func (s *Service) DeleteAvatar(ctx context.Context, userID string) error {
	keys, err := s.store.DeleteAvatar(ctx, userID)
	s.deleteBlobs(context.WithoutCancel(ctx), keys)
	return err
}

// SetAlt changes the alt text of one of a recipe's photos.
func (s *Service) SetAlt(ctx context.Context, userID, recipeID, photoID, alt string) error {
	alt = strings.TrimSpace(alt)
	if utf8.RuneCountInString(alt) > MaxAltLength || !utf8.ValidString(alt) {
		return ErrAltTooLong
	}
	return s.store.SetPhotoAlt(ctx, userID, recipeID, photoID, alt)
}

// Avatar is userID's avatar, or nil.
func (s *Service) Avatar(ctx context.Context, userID string) (*recipe.Photo, error) {
	return s.store.Avatar(ctx, userID)
}

// Usage is how many bytes userID's photos hold, and the quota (0: none).
func (s *Service) Usage(ctx context.Context, userID string) (used, quota int64, err error) {
	used, err = s.store.PhotoUsage(ctx, userID)
	return used, s.quota, err
}

// deleteBlobs removes blobs no row names any more. A failure is only
// logged: the sweep removes what is left.
func (s *Service) deleteBlobs(ctx context.Context, keys []string) {
	for _, k := range keys {
		if err := s.media.Delete(ctx, k); err != nil && !errors.Is(err, media.ErrNotFound) {
			s.log.Warn("photo blob not deleted; the sweep retries", "key", k, "err", err)
		}
	}
}

// Keys: every blob of photo id lives under photos/<id>/, so the sweep and
// the delivery route find the row from the key alone. The upload's key is
// never served; variants are named by their content's hash.
const keyPrefix = "photos/"

func uploadKey(id string) string { return keyPrefix + id + "/upload" }

// exactUploadKey is the upload of an imported photo whose plain JPEG is
// kept as it is (Import): the key tells the variants job, which has only
// the photo's row to go on.
func exactUploadKey(id string) string { return keyPrefix + id + "/upload-exact" }

// isExactUpload reports an upload stored under exactUploadKey.
func isExactUpload(key string) bool { return strings.HasSuffix(key, "/upload-exact") }

func variantKey(id string, v images.Variant) string {
	ext := "jpg"
	if v.Format == images.WebP {
		ext = "webp"
	}
	return fmt.Sprintf("%s%s/%s-%d.%s", keyPrefix, id, v.SHA256[:20], v.Width, ext)
}

// photoIDOf is the photo a key belongs to, or "".
func photoIDOf(key string) string {
	rest, ok := strings.CutPrefix(key, keyPrefix)
	if !ok {
		return ""
	}
	id, _, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	return id
}
