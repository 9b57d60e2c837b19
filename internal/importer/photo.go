package importer

import (
	"bytes"
	"context"
	"errors"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/store"
)

// FetchPhoto downloads an imported recipe's photo and makes it the main
// photo, described by the recipe's title. Only a failure that may pass
// (the site slow or unreachable, the fetch budget spent, the database
// or the photo storage away) is returned, for the queue to try again later; every other one
// (no such picture, not an image, over the quota, the recipe deleted or
// given a photo of its own meanwhile) is logged and the job ends: the
// recipe was saved without it and stays so.
func (s *Service) FetchPhoto(ctx context.Context, job PhotoJob) error {
	log := s.log.With("recipe_id", job.RecipeID, "url", job.URL)
	rec, err := s.store.Recipe(ctx, job.RecipeID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if rec.Author.ID != job.UserID || rec.Photo != nil {
		return nil
	}
	if s.fetcher == nil {
		log.WarnContext(ctx, "imported photo not fetched: importing from addresses is not set up")
		return nil
	}
	if err := s.spend(ctx, false); err != nil {
		return err
	}
	body, _, err := s.fetcher.Image(ctx, job.URL)
	if err != nil {
		if errors.Is(err, ErrTimeout) || errors.Is(err, ErrUnreachable) {
			return err
		}
		log.InfoContext(ctx, "imported photo not fetched", "err", err)
		return nil
	}
	alt := rec.Title
	if utf8.RuneCountInString(alt) > photos.MaxAltLength {
		alt = clipWords(alt, photos.MaxAltLength)
	}
	if _, err := s.photos.SetMain(ctx, job.UserID, job.RecipeID, bytes.NewReader(body), alt); err != nil {
		if store.IsUnavailable(err) || errors.Is(err, photos.ErrStorage) {
			return err
		}
		log.InfoContext(ctx, "imported photo not stored", "err", err)
	}
	return nil
}
