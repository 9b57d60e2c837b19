package app

import (
	"context"
	"time"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/ratelimit"
)

// importPhoto is the job that downloads an imported recipe's photo. The
// site may be slow or down for a while: four attempts (river waits 1 s,
// 16 s and 81 s between them) and then the recipe stays without it.
type importPhoto struct {
	RecipeID string `json:"recipe_id"`
	UserID   string `json:"user_id"`
	URL      string `json:"url"`
}

func (importPhoto) Kind() string { return "import_photo" }

// importBulk is the job that works a bulk import. It records every
// address's result itself and hands what is left to a new job before its
// timeout, so an attempt fails only when the database does.
type importBulk struct {
	BulkID string `json:"bulk_id"`
	UserID string `json:"user_id"`
}

func (importBulk) Kind() string { return "import_bulk" }

const (
	importPhotoAttempts = 4
	importBulkAttempts  = 10
)

// newImportFetcher builds the fetcher every outbound request of the
// importer goes through; loopback and private addresses are refused
// unless RECC_IMPORT_ALLOW_PRIVATE_HOSTS allows them (development and
// tests only; config refuses it elsewhere).
func newImportFetcher(cfg *config.Config) *importer.Fetcher {
	return importer.NewFetcher(importer.FetcherOptions{AllowPrivate: cfg.ImportAllowPrivateHosts})
}

// setUpImports builds the import flows on the store, the fetcher, the
// photo service and the job queue, after the limiter (the instance-wide
// cap on outbound fetches counts on it, shared through Redis when
// configured).
func (a *App) setUpImports() {
	a.imports = importer.New(a.store, newImportFetcher(a.cfg), a.photos, importer.Options{
		EnqueuePhoto: func(ctx context.Context, j importer.PhotoJob) error {
			_, err := a.jobs.Enqueue(ctx, importPhoto(j), &jobs.EnqueueOptions{MaxAttempts: importPhotoAttempts, Unique: true})
			return err
		},
		// Not unique: a retry may be queued while the job that finished
		// the bulk is still recorded as running.
		EnqueueBulk: func(ctx context.Context, j importer.BulkJob) error {
			_, err := a.jobs.Enqueue(ctx, importBulk(j), &jobs.EnqueueOptions{MaxAttempts: importBulkAttempts})
			return err
		},
		FetchBudget: func(ctx context.Context) (bool, time.Duration) {
			res, err := a.limiter.Allow(ctx, ratelimit.ImportFetchKey, ratelimit.ImportFetchesPerMinute, time.Minute)
			if err != nil {
				return true, 0 // fail open, as every limit does
			}
			return res.Allowed, res.RetryAfter
		},
		AI:     a.ai,
		Logger: a.log,
	})
	jobs.Register(a.jobs, func(ctx context.Context, args importPhoto) error {
		return a.imports.FetchPhoto(ctx, importer.PhotoJob(args))
	})
	jobs.Register(a.jobs, func(ctx context.Context, args importBulk) error {
		return a.imports.RunBulk(ctx, importer.BulkJob(args))
	})
}

// Imports exposes the import flows, for the web pages and tests.
func (a *App) Imports() *importer.Service { return a.imports }
