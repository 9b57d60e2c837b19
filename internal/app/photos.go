package app

import (
	"context"
	"time"

	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/photos"
)

// photoVariants is the job that renders a photo's variants. River backs
// off by attempt⁴ seconds (1 s, 16 s, … 40 min), so eight attempts span
// about 80 minutes of storage trouble; the hourly sweep enqueues a photo
// again after that.
type photoVariants struct {
	PhotoID string `json:"photo_id"`
}

func (photoVariants) Kind() string { return "photo_variants" }

const (
	photoVariantAttempts = 8
	// photoSweepInterval: orphans must be a day old before they go, so an
	// hourly sweep removes each within 25 hours and re-enqueues a stalled
	// photo within the hour.
	photoSweepInterval = time.Hour
)

// setUpPhotos builds the photo service on the job queue and the blob
// store, and points photo URLs at the CDN when there is one.
func (a *App) setUpPhotos() {
	quota := a.cfg.MediaQuota
	if quota == 0 {
		quota = -1 // no limit
	}
	a.photos = photos.New(a.store, a.media, photos.Options{
		Quota:  quota,
		Logger: a.log,
		Enqueue: func(ctx context.Context, id string) error {
			_, err := a.jobs.Enqueue(ctx, photoVariants{PhotoID: id}, &jobs.EnqueueOptions{MaxAttempts: photoVariantAttempts, Unique: true})
			return err
		},
		// Decodes share the CPUs with requests; two at once keeps a burst
		// of 50 MP uploads under half a gigabyte.
		Decoders: 2,
	})
	a.store.SetMediaBaseURL(a.cfg.MediaBaseURL)
	jobs.Register(a.jobs, func(ctx context.Context, args photoVariants) error {
		return a.photos.Process(ctx, args.PhotoID)
	})
	a.jobs.Periodic("photo_sweep", photoSweepInterval, func(ctx context.Context) error {
		rep, err := a.photos.Sweep(ctx, time.Now())
		if rep.Deleted > 0 || rep.Requeued > 0 {
			a.log.Info("photo sweep", "checked", rep.Checked, "deleted", rep.Deleted, "requeued", rep.Requeued)
		}
		return err
	})
}

// Photos exposes the photo service (for tests and the demo seed).
func (a *App) Photos() *photos.Service { return a.photos }
