package seed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// ErrAlreadySeeded is returned by Demo when the demo users already exist.
var ErrAlreadySeeded = errors.New("demo data is already present")

// Demo writes the demo users and recipes. It refuses to run twice, so a
// restart of `make run` keeps whatever the user changed.
func Demo(ctx context.Context, s *store.Store) (users, recipes int, err error) {
	if _, err := s.UserByUsername(ctx, DemoUsers()[0].Username); err == nil {
		return 0, 0, ErrAlreadySeeded
	}
	ids := map[string]string{}
	now := time.Now().UTC()
	joined := DemoJoinedDaysAgo()
	for _, du := range DemoUsers() {
		hash, err := auth.HashPassword(DemoPassword)
		if err != nil {
			return 0, 0, err
		}
		u := &auth.User{Username: du.Username, Email: du.Email, DisplayName: du.DisplayName, Bio: du.Bio,
			PasswordHash: hash, Role: auth.RoleUser}
		if du.Admin {
			u.Role = auth.RoleAdmin
		}
		if err := s.CreateUserJoined(ctx, u, now.AddDate(0, 0, -joined[du.Username])); err != nil {
			return 0, 0, fmt.Errorf("create demo user %s: %w", du.Username, err)
		}
		ids[du.Username] = u.ID
	}
	batch := make([]store.NewRecipe, 0, len(DemoRecipes()))
	for i, dr := range DemoRecipes() {
		in, err := dr.input()
		if err != nil {
			return 0, 0, fmt.Errorf("demo recipe %d %q: %w", i, dr.Title, err)
		}
		// Spread creation times within each day too, so "newest" has a
		// stable, realistic order.
		at := now.AddDate(0, 0, -dr.AgeDays).Add(-time.Duration(i) * time.Minute)
		batch = append(batch, store.NewRecipe{AuthorID: ids[dr.Author], Input: in, CreatedAt: at})
	}
	if _, err := s.CreateRecipes(ctx, batch); err != nil {
		return 0, 0, err
	}
	return len(ids), len(batch), nil
}

// input converts a demo recipe, parsing its ingredient lines, and checks
// it against the same rules as the API.
func (dr DemoRecipe) input() (recipe.Input, error) {
	opt := func(n int) *int {
		if n == 0 {
			return nil
		}
		return &n
	}
	in := recipe.Input{
		Title: dr.Title, Description: dr.Description,
		PrepMinutes: opt(dr.PrepMinutes), CookMinutes: opt(dr.CookMinutes), Servings: opt(dr.Servings),
		Difficulty: dr.Difficulty, Visibility: dr.Visibility, SourceURL: dr.SourceURL,
		Steps: dr.Steps, Tags: dr.Tags, Categories: dr.Categories,
	}
	for _, line := range dr.Ingredients {
		in.Ingredients = append(in.Ingredients, recipe.ParseIngredient(line))
	}
	if errs := in.Normalize(); len(errs) > 0 {
		return in, errs.Err()
	}
	return in, nil
}

// SyntheticPassword is the password of every synthetic user.
const SyntheticPassword = "synthetic-password"

// Progress receives (done, total) as synthetic seeding advances.
type Progress func(done, total int)

// Synthetic writes users and recipes at scale for benchmarks, in batches
// of one transaction each. Users that already exist (a second run) are
// reused, so it can top a database up.
func Synthetic(ctx context.Context, s *store.Store, users, recipes int, seed int64, progress Progress) error {
	if users < 1 {
		return errors.New("synthetic seeding needs at least one user")
	}
	// One hash for all: hashing is deliberately slow, and these accounts
	// share a documented password anyway.
	hash, err := auth.HashPassword(SyntheticPassword)
	if err != nil {
		return err
	}
	ids := make([]string, users)
	for i := range users {
		su := SyntheticUser(i + 1)
		u := &auth.User{Username: su.Username, Email: su.Email, DisplayName: su.DisplayName, Bio: su.Bio, PasswordHash: hash}
		err := s.CreateUser(ctx, u)
		var ce *store.ConflictError
		if errors.As(err, &ce) {
			existing, lerr := s.UserByUsername(ctx, su.Username)
			if lerr != nil {
				return fmt.Errorf("reuse synthetic user %s: %w", su.Username, lerr)
			}
			u = existing
		} else if err != nil {
			return err
		}
		ids[i] = u.ID
	}
	// Recipes are generated (and their ingredient lines parsed) on one
	// goroutine while the previous batch is written, so the database and
	// the generator work at the same time.
	batches := make(chan []store.NewRecipe, 1)
	genErr := make(chan error, 1)
	genCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { genErr <- generateSynthetic(genCtx, ids, recipes, seed, batches) }()
	loader := s.NewBulkLoader()
	done := 0
	abort := func(err error) error {
		stop()
		for range batches { // let the generator finish
		}
		return err
	}
	for batch := range batches {
		if err := loader.Load(ctx, batch); err != nil {
			return abort(err)
		}
		// Every new public recipe enters the search window; trimmed as
		// the seed goes, it never holds more than a batch over its size.
		if _, err := s.TrimSearchWindow(ctx); err != nil {
			return abort(err)
		}
		done += len(batch)
		if progress != nil {
			progress(done, recipes)
		}
	}
	if err := <-genErr; err != nil {
		return err
	}
	// Fresh statistics, so the first queries on the new data are planned
	// for its real size.
	return s.Analyze(ctx)
}

// syntheticSpan is the time over which a synthetic collection was written.
const syntheticSpan = 1500 * 24 * time.Hour

// syntheticBatch is how many recipes go into one transaction: large enough
// that per-transaction costs vanish, small enough to keep memory modest.
const syntheticBatch = 2000

// generateSynthetic sends recipes 0..n-1 of the generator seeded with seed
// to out in batches, spread over the authors ids, and closes out.
func generateSynthetic(ctx context.Context, ids []string, n int, seed int64, out chan<- []store.NewRecipe) error {
	defer close(out)
	now := time.Now().UTC()
	step := syntheticSpan / time.Duration(max(n, 1))
	batch := make([]store.NewRecipe, 0, syntheticBatch)
	for i := range n {
		dr := SyntheticRecipe(seed, i)
		in, err := dr.input()
		if err != nil {
			return fmt.Errorf("synthetic recipe %d: %w", i, err)
		}
		// Recipe i is written after recipe i-1, the newest at now, like
		// a collection that grew over the years: rows lie in the table in
		// the order they were created, as they do on a real site, and the
		// newest-first index walks them in that order.
		at := now.Add(-step * time.Duration(n-1-i))
		batch = append(batch, store.NewRecipe{AuthorID: ids[i%len(ids)], Input: in, CreatedAt: at})
		if len(batch) == syntheticBatch || i == n-1 {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]store.NewRecipe, 0, syntheticBatch)
		}
	}
	return nil
}

// LogProgress reports seeding progress through logger about every tenth.
func LogProgress(logger *slog.Logger) Progress {
	start := time.Now()
	next := 0
	return func(done, total int) {
		if done < next && done != total {
			return
		}
		next = done + max(total/10, 1)
		elapsed := time.Since(start)
		rate := float64(done) / max(elapsed.Seconds(), 0.001)
		logger.Info("seeding", "done", done, "total", total, "per_second", int(rate),
			"elapsed", elapsed.Round(time.Second).String())
	}
}
