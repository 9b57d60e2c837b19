package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// MigrateOptions tunes Migrate.
type MigrateOptions struct {
	// Workers is how many keys are copied at once (default 4).
	Workers int
	// DryRun lists what would be copied (Report.Copied counts it) and
	// writes nothing.
	DryRun bool
	// Progress, when set, is called now and then (every ProgressEvery
	// keys or ProgressInterval, whichever comes first) and once at the
	// end, never concurrently.
	Progress         func(Report)
	ProgressEvery    int           // default 100
	ProgressInterval time.Duration // default 5s
	// Copying, when set, is told each key that is (or, on a dry run,
	// would be) copied, one call at a time.
	Copying func(key string)
}

// Report counts what Migrate did.
type Report struct {
	Copied, Skipped int
	Bytes           int64 // copied
	Failures        []Failure
}

// Failure is one key that could not be copied or did not verify.
type Failure struct {
	Key string
	Err error
}

// ErrMismatch is wrapped by a Failure whose copy read back differently.
var ErrMismatch = errors.New("media: copy does not match the source")

// Migrate copies every blob of from into to. A key the target already
// holds with the same size and SHA-256 is skipped, so a run that was
// interrupted resumes where it stopped. Each copy streams through a hash
// and is read back from the target to compare; a failing key is recorded
// and the others go on. The error is ctx's when the run was cancelled,
// else one naming the failed keys when there are any.
func Migrate(ctx context.Context, from, to Store, opts MigrateOptions) (Report, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = 4
	}
	every := opts.ProgressEvery
	if every <= 0 {
		every = 100
	}
	interval := opts.ProgressInterval
	if interval <= 0 {
		interval = 5 * time.Second
	}

	var (
		mu       sync.Mutex
		rep      Report
		done     int
		lastTick = time.Now()
		keys     = make(chan Object)
		wg       sync.WaitGroup
	)
	record := func(o Object, copied bool, err error) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
			rep.Failures = append(rep.Failures, Failure{o.Key, err})
		case copied:
			rep.Copied++
			if !opts.DryRun {
				rep.Bytes += o.Size
			}
		default:
			rep.Skipped++
		}
		done++
		if done%every == 0 || time.Since(lastTick) >= interval {
			lastTick = time.Now()
			if opts.Progress != nil {
				opts.Progress(rep.clone())
			}
		}
	}
	if c := opts.Copying; c != nil {
		var cmu sync.Mutex
		opts.Copying = func(key string) {
			cmu.Lock()
			defer cmu.Unlock()
			c(key)
		}
	}
	for range workers {
		wg.Go(func() {
			for o := range keys {
				copied, err := migrateOne(ctx, from, to, o, opts)
				if ctx.Err() != nil {
					continue // cancelled: the key is neither done nor failed
				}
				record(o, copied, err)
			}
		})
	}
	listErr := from.List(ctx, "", func(o Object) error {
		select {
		case keys <- o:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(keys)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return rep.clone(), err
	}
	if listErr != nil {
		return rep.clone(), fmt.Errorf("list %s: %w", from.Describe(), listErr)
	}
	if n := len(rep.Failures); n > 0 {
		errs := make([]error, n)
		for i, f := range rep.Failures {
			errs[i] = f.Err
		}
		return rep.clone(), fmt.Errorf("%d keys failed:\n%w", n, errors.Join(errs...))
	}
	return rep.clone(), nil
}

func (r Report) clone() Report {
	r.Failures = append([]Failure(nil), r.Failures...)
	return r
}

// migrateOne copies one key unless the target has it already; copied
// says whether it did (or would).
func migrateOne(ctx context.Context, from, to Store, o Object, opts MigrateOptions) (bool, error) {
	if t, err := to.Stat(ctx, o.Key); err == nil && t.Size == o.Size {
		src, err := hashOf(ctx, from, o.Key)
		if err != nil {
			return false, fmt.Errorf("%s: read source: %w", o.Key, err)
		}
		dst, err := hashOf(ctx, to, o.Key)
		if err == nil && bytes.Equal(src, dst) {
			return false, nil
		}
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return false, fmt.Errorf("%s: stat target: %w", o.Key, err)
	}
	if opts.Copying != nil {
		opts.Copying(o.Key)
	}
	if opts.DryRun {
		return true, nil
	}
	r, err := from.Get(ctx, o.Key)
	if err != nil {
		return false, fmt.Errorf("%s: read source: %w", o.Key, err)
	}
	defer r.Close()
	h := sha256.New()
	// The size listed is the one announced: a blob that changed since the
	// listing fails the Put rather than landing torn.
	if err := to.Put(ctx, o.Key, io.TeeReader(r, h), o.Size, ""); err != nil {
		return false, fmt.Errorf("%s: write target: %w", o.Key, err)
	}
	got, err := hashOf(ctx, to, o.Key)
	if err != nil {
		return false, fmt.Errorf("%s: read back: %w", o.Key, err)
	}
	if !bytes.Equal(got, h.Sum(nil)) {
		return false, fmt.Errorf("%s: %w", o.Key, ErrMismatch)
	}
	return true, nil
}

// hashOf streams a blob through SHA-256.
func hashOf(ctx context.Context, s Store, key string) ([]byte, error) {
	r, err := s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}
