package store_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// TestImportBulkLifecycle: a bulk is written whole, read back only by its
// owner, records each item's result, and its failures can be queued again
// once it is done.
func TestImportBulkLifecycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cook, other := mkUser(t, s, "cook"), mkUser(t, s, "other")
		urls := []string{"https://a.example/1", "https://a.example/2", "https://a.example/3"}
		b, err := s.CreateImportBulk(ctx, cook.ID, urls, store.ImportBulkLimits{Active: 3, PerDay: 10})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ImportBulk(ctx, cook.ID, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "queued" || len(got.Items) != 3 || got.Items[2].URL != urls[2] || got.Items[2].Position != 2 || got.Items[0].Status != "queued" {
			t.Fatalf("stored bulk = %+v", got)
		}
		if _, err := s.ImportBulk(ctx, other.ID, b.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another user reads the bulk: %v, want ErrNotFound", err)
		}
		if _, err := s.ImportBulk(ctx, cook.ID, "not-an-id"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("bad id: %v, want ErrNotFound", err)
		}

		// Retrying while it runs changes nothing.
		if _, queued, err := s.RetryImportBulk(ctx, cook.ID, b.ID, store.ImportBulkLimits{}); err != nil || queued {
			t.Fatalf("retry of a queued bulk: queued %v, %v", queued, err)
		}
		if err := s.SetImportBulkStatus(ctx, b.ID, "running"); err != nil {
			t.Fatal(err)
		}
		for _, it := range []store.ImportBulkItem{
			{Position: 0, Status: "done", RecipeID: "r1", Title: "Soup"},
			{Position: 1, Status: "failed", Error: "The site has no page at that address."},
			{Position: 2, Status: "skipped", RecipeID: "r0", Title: "Stew"},
		} {
			if err := s.SetImportBulkItem(ctx, b.ID, it); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetImportBulkItem(ctx, b.ID, store.ImportBulkItem{Position: 9, Status: "done"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown item: %v, want ErrNotFound", err)
		}
		if err := s.SetImportBulkStatus(ctx, b.ID, "done"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.RetryImportBulk(ctx, other.ID, b.ID, store.ImportBulkLimits{}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another user retries: %v, want ErrNotFound", err)
		}
		r, queued, err := s.RetryImportBulk(ctx, cook.ID, b.ID, store.ImportBulkLimits{Active: 3})
		if err != nil || !queued {
			t.Fatalf("retry: queued %v, %v", queued, err)
		}
		want := []string{"done", "queued", "skipped"}
		for i, it := range r.Items {
			if it.Status != want[i] || it.Error != "" {
				t.Errorf("item %d after retry = %+v, want %s without error", i, it, want[i])
			}
		}
		if r.Status != "queued" || r.Items[0].RecipeID != "r1" || r.Items[0].Title != "Soup" {
			t.Errorf("bulk after retry = %+v", r)
		}
	})
}

// TestImportBulkLimits: a person may have so many bulks under way and
// import so many URLs a day; a refused bulk writes nothing.
func TestImportBulkLimits(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cook := mkUser(t, s, "cook")
		lim := store.ImportBulkLimits{Active: 2, PerDay: 5}
		first, err := s.CreateImportBulk(ctx, cook.ID, []string{"https://a.example/1"}, lim)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateImportBulk(ctx, cook.ID, []string{"https://a.example/2"}, lim); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateImportBulk(ctx, cook.ID, []string{"https://a.example/3"}, lim); !errors.Is(err, store.ErrTooManyBulks) {
			t.Fatalf("third bulk under way: %v, want ErrTooManyBulks", err)
		}
		if err := s.SetImportBulkStatus(ctx, first.ID, "done"); err != nil {
			t.Fatal(err)
		}
		// Two URLs used of five: four more is one too many.
		four := []string{"https://b.example/1", "https://b.example/2", "https://b.example/3", "https://b.example/4"}
		if _, err := s.CreateImportBulk(ctx, cook.ID, four, lim); !errors.Is(err, store.ErrBulkDailyLimit) {
			t.Fatalf("over the daily URLs: %v, want ErrBulkDailyLimit", err)
		}
		if _, err := s.CreateImportBulk(ctx, cook.ID, four[:3], lim); err != nil {
			t.Fatalf("exactly the daily URLs: %v", err)
		}
		var n int
		if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM import_bulk_items").Scan(&n); err != nil || n != 5 {
			t.Errorf("items stored = %d (%v), want 5: a refused bulk wrote rows", n, err)
		}
		// A day later, with nothing under way, the URL budget is whole again.
		if _, err := s.DB().ExecContext(ctx, "UPDATE import_bulks SET status = 'done'"); err != nil {
			t.Fatal(err)
		}
		store.SetClock(s, func() time.Time { return time.Now().Add(25 * time.Hour) })
		if _, err := s.CreateImportBulk(ctx, cook.ID, four, lim); err != nil {
			t.Errorf("a day later: %v", err)
		}
	})
}

// TestRecipeBySourceURL: the lookup finds the author's own recipe under
// any of the spellings given, the newest first, and never another
// author's.
func TestRecipeBySourceURL(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cook, other := mkUser(t, s, "cook"), mkUser(t, s, "other")
		mk := func(author, title, source string) string {
			in := input(title, recipe.Private)
			in.SourceURL = source
			r, err := s.CreateRecipe(ctx, author, in)
			if err != nil {
				t.Fatal(err)
			}
			return r.ID
		}
		mk(other.ID, "Theirs", "https://site.example/soup")
		mk(cook.ID, "Older", "https://site.example/soup")
		newer := mk(cook.ID, "Newer", "https://site.example/soup/")
		mk(cook.ID, "Unrelated", "")
		got, err := s.RecipeBySourceURL(ctx, cook.ID, []string{"https://site.example/soup", "https://site.example/soup/"})
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != newer || got.Title != "Newer" {
			t.Errorf("found %s %q, want the newest, %s", got.ID, got.Title, newer)
		}
		for _, urls := range [][]string{{"https://site.example/stew"}, {""}, nil, {"https://site.example/soup\x00"}} {
			if got, err := s.RecipeBySourceURL(ctx, cook.ID, urls); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%q: %v %v, want ErrNotFound", urls, got, err)
			}
		}
		if _, err := s.RecipeBySourceURL(ctx, "x", []string{"https://site.example/soup"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("bad author id: %v", err)
		}
	})
}

// TestStaleImportBulk: a bulk left running without progress for longer
// than ImportBulkStale no longer counts as under way, and retrying it
// queues its unfinished items again.
func TestStaleImportBulk(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cook := mkUser(t, s, "cook")
		lim := store.ImportBulkLimits{Active: 1}
		b, err := s.CreateImportBulk(ctx, cook.ID, []string{"https://a.example/1", "https://a.example/2"}, lim)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetImportBulkStatus(ctx, b.ID, "running"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetImportBulkItem(ctx, b.ID, store.ImportBulkItem{Position: 0, Status: "running"}); err != nil {
			t.Fatal(err)
		}
		if _, queued, err := s.RetryImportBulk(ctx, cook.ID, b.ID, lim); err != nil || queued {
			t.Fatalf("retry of a bulk under way: queued %v, %v", queued, err)
		}
		if _, err := s.CreateImportBulk(ctx, cook.ID, []string{"https://a.example/3"}, lim); !errors.Is(err, store.ErrTooManyBulks) {
			t.Fatalf("second bulk while one runs: %v", err)
		}
		store.SetClock(s, func() time.Time { return time.Now().Add(store.ImportBulkStale + time.Minute) })
		r, queued, err := s.RetryImportBulk(ctx, cook.ID, b.ID, lim)
		if err != nil || !queued {
			t.Fatalf("retry of a stale bulk: queued %v, %v", queued, err)
		}
		if r.Status != "queued" || r.Items[0].Status != "queued" || r.Items[1].Status != "queued" {
			t.Errorf("stale bulk after retry %+v", r)
		}
		if _, err := s.CreateImportBulk(ctx, cook.ID, []string{"https://a.example/3"}, lim); !errors.Is(err, store.ErrTooManyBulks) {
			t.Errorf("the retried bulk does not count as under way: %v", err)
		}
	})
}

// TestImportBulkLimitUnderParallelRequests: requests racing for the last
// places under way cannot all slip under the limit.
func TestImportBulkLimitUnderParallelRequests(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cook := mkUser(t, s, "cook")
		lim := store.ImportBulkLimits{Active: 3}
		errs := make(chan error, 8)
		for i := range 8 {
			go func() {
				_, err := s.CreateImportBulk(ctx, cook.ID, []string{"https://a.example/" + strconv.Itoa(i)}, lim)
				errs <- err
			}()
		}
		ok, refused := 0, 0
		for range 8 {
			switch err := <-errs; {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrTooManyBulks):
				refused++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}
		if ok != 3 || refused != 5 {
			t.Errorf("%d created, %d refused; want 3 and 5", ok, refused)
		}
	})
}
