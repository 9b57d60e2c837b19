// Package dataexport makes a person's data export: a zip of everything of
// theirs, built by a background job, kept in the blob store and offered
// for download until it expires. The request only records the export and
// queues the job, so a cook with thousands of recipes and photos waits
// for an email-free page that updates itself, never for a request.
package dataexport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/store"
)

// Defaults of Options.
const (
	DefaultLifetime = 7 * 24 * time.Hour
	DefaultPerDay   = 3
	// staleAfter is when a queued or running export no longer blocks a
	// new one: its job died with its process and the queue gave up.
	staleAfter = 6 * time.Hour
	// keyPrefix is where the zips live in the blob store.
	keyPrefix = "exports/"
)

// ErrNotReady answers a download of an export still being made (or one
// that failed).
var ErrNotReady = errors.New("the export is not ready")

// Options configure the service.
type Options struct {
	// Enqueue queues the job that builds export id.
	Enqueue func(ctx context.Context, id string) error
	// SiteURL is the instance's address, for the recipes' URLs.
	SiteURL string
	// Lifetime is how long a finished export is offered (DefaultLifetime).
	Lifetime time.Duration
	// PerDay bounds a person's exports in 24 hours (DefaultPerDay).
	PerDay int
	Logger *slog.Logger
}

// Service makes, serves and expires data exports.
type Service struct {
	store *store.Store
	media media.Store
	opts  Options
	now   func() time.Time
}

// New returns the service on s and the blob store m.
func New(s *store.Store, m media.Store, opts Options) *Service {
	if opts.Lifetime <= 0 {
		opts.Lifetime = DefaultLifetime
	}
	if opts.PerDay <= 0 {
		opts.PerDay = DefaultPerDay
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	opts.SiteURL = strings.TrimRight(opts.SiteURL, "/")
	return &Service{store: s, media: m, opts: opts, now: time.Now}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Lifetime is how long a finished export is offered.
func (s *Service) Lifetime() time.Duration { return s.opts.Lifetime }

// Request records a new export of userID and queues its job. It answers
// store.ErrExportInProgress while another is being made and
// store.ErrExportDailyLimit past the day's number. When the job cannot
// be queued the export is marked failed, so it blocks nothing.
func (s *Service) Request(ctx context.Context, userID string) (*store.DataExport, error) {
	e, err := s.store.CreateDataExport(ctx, userID, s.opts.PerDay, s.now().Add(-staleAfter))
	if err != nil {
		return nil, err
	}
	if err := s.opts.Enqueue(ctx, e.ID); err != nil {
		if ferr := s.store.FailDataExport(context.WithoutCancel(ctx), e.ID, "It could not be queued; please ask again.", s.now().Add(s.opts.Lifetime)); ferr != nil {
			s.opts.Logger.WarnContext(ctx, "mark export failed", "export", e.ID, "err", ferr)
		}
		return nil, fmt.Errorf("queue export %s: %w", e.ID, err)
	}
	return e, nil
}

// Build is the job: it writes export id's zip to the blob store and
// marks the export ready, or failed with a reason its owner can read. It
// answers an error only when it could not even record the failure, so
// the queue tries again; an export whose account is gone builds nothing.
func (s *Service) Build(ctx context.Context, id string) error {
	e, err := s.store.ExportToRun(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	key := keyPrefix + e.ID + ".zip"
	size, err := s.write(ctx, e.UserID, key)
	expires := s.now().Add(s.opts.Lifetime)
	if err != nil {
		s.opts.Logger.ErrorContext(ctx, "build data export", "export", id, "err", err)
		s.deleteBlob(ctx, key)
		if errors.Is(err, store.ErrNotFound) { // the account went meanwhile
			return nil
		}
		return s.store.FailDataExport(ctx, id, "Something went wrong while making it; please ask for a new one.", expires)
	}
	ok, err := s.store.FinishDataExport(ctx, id, key, size, expires)
	if err != nil || !ok {
		s.deleteBlob(ctx, key)
	}
	return err
}

// write streams the zip of userID's data into the blob store at key and
// answers its size.
func (s *Service) write(ctx context.Context, userID, key string) (int64, error) {
	pr, pw := io.Pipe()
	counted := &countingWriter{w: pw}
	go func() {
		pw.CloseWithError(s.writeZip(ctx, counted, userID))
	}()
	err := s.media.Put(ctx, key, pr, -1, "application/zip")
	pr.CloseWithError(err) // stops the writer if Put gave up early
	return counted.n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Open opens export id of userID for download. Another's, a missing and
// an expired export are store.ErrNotFound; one not ready, ErrNotReady.
func (s *Service) Open(ctx context.Context, userID, id string) (io.ReadCloser, *store.DataExport, error) {
	e, err := s.Get(ctx, userID, id)
	if err != nil {
		return nil, nil, err
	}
	if e.Status != store.ExportReady {
		return nil, e, ErrNotReady
	}
	rc, err := s.media.Get(ctx, e.BlobKey)
	if errors.Is(err, media.ErrNotFound) {
		return nil, nil, store.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	return rc, e, nil
}

// Get is export id of userID; another's, a missing and an expired export
// are store.ErrNotFound.
func (s *Service) Get(ctx context.Context, userID, id string) (*store.DataExport, error) {
	e, err := s.store.DataExport(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	if e.ExpiresAt != nil && !s.now().Before(*e.ExpiresAt) {
		return nil, store.ErrNotFound
	}
	return e, nil
}

// List is userID's exports, newest first, without the expired ones the
// sweep has not reached yet.
func (s *Service) List(ctx context.Context, userID string) ([]*store.DataExport, error) {
	all, err := s.store.DataExports(ctx, userID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := all[:0]
	for _, e := range all {
		if e.ExpiresAt == nil || now.Before(*e.ExpiresAt) {
			out = append(out, e)
		}
	}
	return out, nil
}

// Sweep deletes the exports whose time ran out, rows then blobs, and the
// blobs under the exports' prefix that no row names and are older than
// staleAfter (left by a crash between writing a zip and recording it).
// It answers how many blobs it deleted.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.now()
	deleted := 0
	for {
		keys, err := s.store.DeleteExpiredDataExports(ctx, now, 100)
		if err != nil {
			return deleted, err
		}
		for _, k := range keys {
			s.deleteBlob(ctx, k)
		}
		deleted += len(keys)
		if len(keys) < 100 {
			break
		}
	}
	orphans, err := media.Orphans(ctx, s.media, keyPrefix, now, staleAfter, s.store.ExportKeysNamed)
	if err != nil {
		return deleted, err
	}
	for _, k := range orphans {
		s.deleteBlob(ctx, k)
	}
	return deleted + len(orphans), nil
}

func (s *Service) deleteBlob(ctx context.Context, key string) {
	if err := s.media.Delete(context.WithoutCancel(ctx), key); err != nil && !errors.Is(err, media.ErrNotFound) {
		s.opts.Logger.WarnContext(ctx, "delete export blob", "key", key, "err", err)
	}
}

// WriteDownloadHeaders describes export e's zip as a download for
// username: a file to save, never kept by a shared cache.
func WriteDownloadHeaders(w http.ResponseWriter, username string, e *store.DataExport) {
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="reccollection-`+username+"-"+e.CreatedAt.UTC().Format("2006-01-02")+`.zip"`)
	h.Set("Content-Length", strconv.FormatInt(e.Size, 10))
	h.Set("Cache-Control", "private, no-store")
}
