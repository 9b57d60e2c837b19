package photos

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/reccollection/reccollection/internal/images"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// Process renders the variants of photo id from its upload, records them
// and deletes the upload; it is the variants job. It is safe to run twice
// and does nothing for a photo already processed or deleted. An upload
// the decoder refuses marks the photo failed (no retry can help); any
// other error is returned so that the queue retries.
func (s *Service) Process(ctx context.Context, id string) error {
	p, err := s.store.PendingPhoto(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if p.Status != recipe.PhotoProcessing || p.UploadKey == "" {
		return nil
	}
	rc, err := s.media.Get(ctx, p.UploadKey)
	if errors.Is(err, media.ErrNotFound) {
		// The row names an upload that is gone: nothing to render from.
		return s.store.FailPhoto(ctx, id)
	}
	if err != nil {
		return fmt.Errorf("read upload of photo %s: %w", id, err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, images.MaxBytes+1))
	rc.Close()
	if err != nil {
		return fmt.Errorf("read upload of photo %s: %w", id, err)
	}
	process := s.pipeline.Process
	if isExactUpload(p.UploadKey) {
		process = s.pipeline.ProcessKeeping
	}
	res, err := process(ctx, bytes.NewReader(data))
	var refused *images.Error
	if errors.As(err, &refused) {
		s.log.Warn("photo refused by the decoder", "photo", id, "err", err)
		if err := s.store.FailPhoto(ctx, id); err != nil {
			return err
		}
		s.deleteBlobs(ctx, []string{p.UploadKey})
		return nil
	}
	if err != nil {
		return fmt.Errorf("render photo %s: %w", id, err)
	}
	f := store.FinishedPhoto{Width: res.Width, Height: res.Height, Colour: res.Colour}
	var written []string
	for _, v := range res.Variants {
		key := variantKey(id, v)
		if err := s.media.Put(ctx, key, bytes.NewReader(v.Data), int64(len(v.Data)), v.Format.ContentType()); err != nil {
			s.deleteBlobs(context.WithoutCancel(ctx), written)
			return fmt.Errorf("store variant of photo %s: %w", id, err)
		}
		written = append(written, key)
		f.Variants = append(f.Variants, recipe.PhotoVariant{Key: key, Width: v.Width, Height: v.Height, Format: string(v.Format)})
		f.Bytes += int64(len(v.Data))
	}
	ok, err := s.store.FinishPhoto(ctx, id, f)
	if err != nil {
		s.deleteBlobs(context.WithoutCancel(ctx), written)
		return err
	}
	if !ok { // deleted or replaced meanwhile
		s.deleteBlobs(ctx, written)
		return nil
	}
	s.deleteBlobs(ctx, []string{p.UploadKey})
	return nil
}

// SweepAge is how old a blob must be before the sweep may delete it: an
// upload in flight stores its blob a moment before its row commits.
const SweepAge = 24 * time.Hour

// stalledAfter is how long a photo may wait for its variants before the
// sweep enqueues its job again.
const stalledAfter = 15 * time.Minute

// SweepReport is what one sweep did.
type SweepReport struct {
	Checked, Deleted, Requeued int
}

// Sweep deletes blobs under photos/ older than SweepAge that no row names
// (a failed delete, a job that finished after its photo was deleted, a
// crash between storing and recording), and enqueues again the variants
// jobs of photos stuck processing. It is the periodic cleanup job.
func (s *Service) Sweep(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	var batch []media.Object
	flush := func() error {
		ids := make([]string, 0, len(batch))
		for _, o := range batch {
			ids = append(ids, photoIDOf(o.Key))
		}
		known, err := s.store.PhotoKeys(ctx, ids)
		if err != nil {
			return err
		}
		for _, o := range batch {
			if known[photoIDOf(o.Key)][o.Key] {
				continue
			}
			if err := s.media.Delete(ctx, o.Key); err != nil && !errors.Is(err, media.ErrNotFound) {
				return fmt.Errorf("delete orphan %s: %w", o.Key, err)
			}
			rep.Deleted++
		}
		batch = batch[:0]
		return nil
	}
	err := s.media.List(ctx, keyPrefix, func(o media.Object) error {
		rep.Checked++
		if now.Sub(o.Modified) < SweepAge {
			return nil
		}
		batch = append(batch, o)
		if len(batch) == 500 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return rep, err
	}
	if s.enqueue == nil {
		return rep, nil
	}
	stalled, err := s.store.StalledPhotos(ctx, now.Add(-stalledAfter), 1000)
	if err != nil {
		return rep, err
	}
	for _, id := range stalled {
		if err := s.enqueue(ctx, id); err != nil {
			return rep, err
		}
		rep.Requeued++
	}
	return rep, nil
}
