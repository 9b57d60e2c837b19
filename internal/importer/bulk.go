package importer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// StartBulk implements Flows. The URLs are checked first, all of them,
// and written in one transaction with the bulk; duplicates (the same page
// spelled twice) are kept once. One job works the whole list in order.
func (s *Service) StartBulk(ctx context.Context, userID string, urls []string) (*Bulk, error) {
	list, err := s.checkBulkURLs(urls)
	if err != nil {
		return nil, err
	}
	if s.opts.EnqueueBulk == nil {
		return nil, errors.New("bulk import: no job queue")
	}
	b, err := s.store.CreateImportBulk(ctx, userID, list, s.limits())
	if err != nil {
		return nil, storeLimitError(err)
	}
	if err := s.opts.EnqueueBulk(ctx, BulkJob{BulkID: b.ID, UserID: userID}); err != nil {
		// Nothing will work the bulk: mark it finished and failed, so it
		// neither counts as under way nor looks stuck; retrying it
		// queues it again.
		s.abandon(ctx, b, "The import could not be queued; retry it.")
		return nil, fmt.Errorf("queue bulk import: %w", err)
	}
	return bulkOf(b), nil
}

// checkBulkURLs checks every URL (problems as urls[i]) and the count,
// and returns the list trimmed and without duplicates.
func (s *Service) checkBulkURLs(urls []string) ([]string, error) {
	var errs validate.Errors
	if len(urls) == 0 {
		errs.Add("urls", "give at least one address to import")
		return nil, errs.Err()
	}
	if len(urls) > MaxBulkURLs {
		errs.Add("urls", "must have at most %d addresses (got %d)", MaxBulkURLs, len(urls))
		return nil, errs.Err()
	}
	var list []string
	seen := map[string]bool{}
	for i, raw := range urls {
		u, err := s.checkAddress(raw)
		if err != nil {
			msg := fmt.Sprintf("must be an absolute http or https address, at most %d characters", MaxURL)
			if errors.Is(err, ErrHostRefused) {
				msg = "is an address the importer never contacts"
			}
			errs.Add(fmt.Sprintf("urls[%d]", i), "%s", msg)
			continue
		}
		if k := addressKey(u); !seen[k] {
			seen[k] = true
			list = append(list, u)
		}
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	return list, nil
}

func (s *Service) limits() store.ImportBulkLimits {
	return store.ImportBulkLimits{Active: s.opts.MaxActiveBulks, PerDay: s.opts.MaxBulkURLsPerDay}
}

func storeLimitError(err error) error {
	switch {
	case errors.Is(err, store.ErrTooManyBulks):
		return ErrTooManyBulks
	case errors.Is(err, store.ErrBulkDailyLimit):
		return ErrBulkDailyLimit
	case errors.Is(err, store.ErrNotFound):
		return ErrBulkNotFound
	}
	return err
}

// abandon marks every unfinished item of b failed with message and the
// bulk done; failures to do so are only logged.
func (s *Service) abandon(ctx context.Context, b *store.ImportBulk, message string) {
	ctx = context.WithoutCancel(ctx)
	for _, it := range b.Items {
		if it.Status == string(BulkQueued) || it.Status == string(BulkRunning) {
			it.Status, it.Error = string(BulkFailed), message
			if err := s.store.SetImportBulkItem(ctx, b.ID, it); err != nil {
				s.log.WarnContext(ctx, "abandon bulk import item", "bulk_id", b.ID, "err", err)
			}
		}
	}
	if err := s.store.SetImportBulkStatus(ctx, b.ID, string(BulkDone)); err != nil {
		s.log.WarnContext(ctx, "abandon bulk import", "bulk_id", b.ID, "err", err)
	}
}

// Bulk implements Flows.
func (s *Service) Bulk(ctx context.Context, userID, id string) (*Bulk, error) {
	b, err := s.store.ImportBulk(ctx, userID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrBulkNotFound
	}
	if err != nil {
		return nil, err
	}
	return bulkOf(b), nil
}

// RetryBulk implements Flows. A bulk still under way, or a finished one
// without failures, is returned as it is; one left without progress for
// store.ImportBulkStale (its job gave up) is queued again whole.
func (s *Service) RetryBulk(ctx context.Context, userID, id string) (*Bulk, error) {
	b, queued, err := s.store.RetryImportBulk(ctx, userID, id, s.limits())
	if err != nil {
		return nil, storeLimitError(err)
	}
	if queued {
		if s.opts.EnqueueBulk == nil {
			return nil, errors.New("bulk import: no job queue")
		}
		if err := s.opts.EnqueueBulk(ctx, BulkJob{BulkID: b.ID, UserID: userID}); err != nil {
			s.abandon(ctx, b, "The import could not be queued; retry it.")
			return nil, fmt.Errorf("queue bulk import: %w", err)
		}
	}
	return bulkOf(b), nil
}

func bulkOf(b *store.ImportBulk) *Bulk {
	out := &Bulk{ID: b.ID, Status: BulkStatus(b.Status), Total: len(b.Items), Items: make([]BulkItem, len(b.Items)),
		CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt}
	for i, it := range b.Items {
		out.Items[i] = BulkItem{URL: it.URL, Status: BulkStatus(it.Status), RecipeID: it.RecipeID, Title: it.Title, Error: it.Error}
		switch BulkStatus(it.Status) {
		case BulkDone, BulkSkipped:
			out.Done++
		case BulkFailed:
			out.Done++
			out.Failed++
		}
	}
	return out
}

// RunBulk works a bulk import: each URL still queued (or left running by
// an attempt that was stopped) in turn, a pause between two fetches,
// each result recorded as it comes so a poller sees the progress. An
// address the person imported before is skipped with that recipe. A
// stopped context returns its error, for the queue to run the rest
// later; nothing else fails the job, since each URL's failure is
// recorded on it. A job that runs under a deadline (the queue's job
// timeout) hands the rest to a new job when too little time is left.
func (s *Service) RunBulk(ctx context.Context, job BulkJob) error {
	b, err := s.store.ImportBulk(ctx, job.UserID, job.BulkID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // the person's account is gone
	}
	if err != nil {
		return err
	}
	if b.Status == string(BulkDone) {
		return nil
	}
	if err := s.store.SetImportBulkStatus(ctx, b.ID, string(BulkRunning)); err != nil {
		return err
	}
	fetched := false
	for _, it := range b.Items {
		if it.Status != string(BulkQueued) && it.Status != string(BulkRunning) {
			continue
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < s.opts.BulkPause+s.opts.BulkItemTime {
			// Too little of the job's time is left for another address:
			// a new job goes on from here, rather than this one being cut
			// off and retried after the queue's backoff.
			return s.opts.EnqueueBulk(ctx, job)
		}
		it.Status = string(BulkRunning)
		if err := s.store.SetImportBulkItem(ctx, b.ID, it); err != nil {
			return err
		}
		if fetched {
			if err := pause(ctx, s.opts.BulkPause); err != nil {
				return err
			}
		}
		res, didFetch := s.importOne(ctx, job.UserID, it)
		fetched = fetched || didFetch
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := s.store.SetImportBulkItem(ctx, b.ID, res); err != nil {
			return err
		}
	}
	return s.store.SetImportBulkStatus(ctx, b.ID, string(BulkDone))
}

// importOne imports one URL of a bulk and returns its result, and whether
// a site was asked.
func (s *Service) importOne(ctx context.Context, userID string, it store.ImportBulkItem) (store.ImportBulkItem, bool) {
	it.RecipeID, it.Title, it.Error = "", "", ""
	if r, err := s.existing(ctx, userID, it.URL); err != nil {
		return failed(it, err), false
	} else if r != nil {
		it.Status, it.RecipeID, it.Title = string(BulkSkipped), r.ID, r.Title
		return it, false
	}
	p, err := s.preview(ctx, userID, Source{URL: it.URL}, true)
	if err != nil {
		return failed(it, err), true
	}
	if p.Existing != nil {
		it.Status, it.RecipeID, it.Title = string(BulkSkipped), p.Existing.ID, p.Existing.Title
		return it, true
	}
	rec, err := s.Save(ctx, userID, p.Input, p.ImageURL)
	if err != nil {
		return failed(it, err), true
	}
	it.Status, it.RecipeID, it.Title = string(BulkDone), rec.ID, rec.Title
	return it, true
}

// failed records err on it in words a person can act on.
func failed(it store.ImportBulkItem, err error) store.ImportBulkItem {
	it.Status = string(BulkFailed)
	var ve *validate.Error
	switch {
	case errors.As(err, &ve):
		var parts []string
		for _, f := range ve.Fields {
			parts = append(parts, f.Field+" "+f.Message)
		}
		it.Error = "The recipe on that page could not be saved: " + strings.Join(parts, "; ") + "."
	default:
		if status, _, detail := Problem(err); status != 0 {
			it.Error = detail
		} else {
			it.Error = "Something went wrong importing that page; retry it later."
		}
	}
	return it
}

func pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
