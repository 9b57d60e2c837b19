package app

import (
	"context"
	"time"

	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/jobs"
)

// importArchive is the job that works an archive import. It records every
// recipe's result itself and hands what is left to a new job before its
// timeout, so an attempt fails only when the database or the blob store
// does; a retry goes on where the last attempt stopped.
type importArchive struct {
	ImportID string `json:"import_id"`
	UserID   string `json:"user_id"`
}

func (importArchive) Kind() string { return "import_archive" }

const (
	importArchiveAttempts = 10
	// archiveSweepInterval: the sweep ends imports whose job gave up
	// hours ago and deletes their archives; hourly is soon enough.
	archiveSweepInterval = time.Hour
)

// setUpArchiveImports builds archive imports ("Move your recipes in") on
// the store, the blob store, the photo service and the job queue, after
// the import flows (a recipe's picture on the web is downloaded by their
// job).
func (a *App) setUpArchiveImports() {
	a.archives = importer.NewArchives(a.store, a.media, a.photos, importer.ArchiveOptions{
		// Not unique: a job that runs out of time queues the next while
		// it is itself still recorded as running.
		Enqueue: func(ctx context.Context, j importer.ArchiveJob) error {
			_, err := a.jobs.Enqueue(ctx, importArchive(j), &jobs.EnqueueOptions{MaxAttempts: importArchiveAttempts})
			return err
		},
		EnqueuePhoto: func(ctx context.Context, j importer.PhotoJob) error {
			_, err := a.jobs.Enqueue(ctx, importPhoto(j), &jobs.EnqueueOptions{MaxAttempts: importPhotoAttempts, Unique: true})
			return err
		},
		Logger: a.log,
	})
	jobs.Register(a.jobs, func(ctx context.Context, args importArchive) error {
		return a.archives.RunArchive(ctx, importer.ArchiveJob(args))
	})
	a.jobs.Periodic("archive_import_sweep", archiveSweepInterval, func(ctx context.Context) error {
		n, err := a.archives.Sweep(ctx)
		if n > 0 {
			a.log.Info("archive import sweep", "deleted", n)
		}
		return err
	})
	a.ui.SetArchiveImports(a.archives)
}

// Archives exposes archive imports, for tests.
func (a *App) Archives() *importer.Archives { return a.archives }
