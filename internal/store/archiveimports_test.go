package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// TestArchiveImportLifecycle: an archive import is read back only by its
// owner; a recipe is saved with its result in one step, once per
// position; results keep the import's counts; a deleted recipe leaves its
// result without it; the account's deletion frees the archive's blob.
func TestArchiveImportLifecycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cook, other := mkUser(t, s, "cook"), mkUser(t, s, "other")
		imp := &store.ArchiveImport{UserID: cook.ID, Format: "paprika", FileName: "My Recipes.paprikarecipes",
			BlobKey: "imports/a.zip", Total: 3}
		if err := s.CreateArchiveImport(ctx, imp, 1); err != nil {
			t.Fatal(err)
		}
		if imp.ID == "" || imp.Status != store.ArchiveQueued || imp.CreatedAt.IsZero() {
			t.Fatalf("created %+v", imp)
		}
		// One at a time.
		second := &store.ArchiveImport{UserID: cook.ID, Format: "mealie", BlobKey: "imports/b.zip", Total: 1}
		if err := s.CreateArchiveImport(ctx, second, 1); !errors.Is(err, store.ErrArchiveImportUnderWay) {
			t.Errorf("second import while one is queued: %v, want ErrArchiveImportUnderWay", err)
		}
		if err := s.CreateArchiveImport(ctx, &store.ArchiveImport{UserID: other.ID, Format: "mealie", Total: 1}, 1); err != nil {
			t.Errorf("another person's import: %v", err)
		}
		got, err := s.ArchiveImport(ctx, cook.ID, imp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Format != "paprika" || got.FileName != imp.FileName || got.BlobKey != "imports/a.zip" || got.Total != 3 ||
			got.Status != "queued" || len(got.Results) != 0 {
			t.Fatalf("stored %+v", got)
		}
		if _, err := s.ArchiveImport(ctx, other.ID, imp.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another person reads the import: %v, want ErrNotFound", err)
		}
		if _, err := s.ArchiveImport(ctx, cook.ID, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("bad id: %v, want ErrNotFound", err)
		}
		if err := s.SetArchiveImportStatus(ctx, imp.ID, store.ArchiveRunning, ""); err != nil {
			t.Fatal(err)
		}

		in := input("Pancakes", recipe.Private, "breakfast")
		rec, err := s.SaveArchiveImportRecipe(ctx, imp.ID, store.ArchiveImportResult{Position: 0, Name: "Pancakes.paprikarecipe"},
			store.NewRecipe{AuthorID: cook.ID, Input: in, CreatedAt: time.Date(2019, 5, 1, 8, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if rec.Author.ID != cook.ID || rec.Title != "Pancakes" || !rec.CreatedAt.Equal(time.Date(2019, 5, 1, 8, 0, 0, 0, time.UTC)) {
			t.Fatalf("saved %+v", rec.Summary)
		}
		// The same position again saves nothing.
		var conflict *store.ConflictError
		if _, err := s.SaveArchiveImportRecipe(ctx, imp.ID, store.ArchiveImportResult{Position: 0}, store.NewRecipe{AuthorID: cook.ID, Input: input("Twice", recipe.Private)}); !errors.As(err, &conflict) {
			t.Errorf("position saved twice: %v, want a conflict", err)
		}
		page, err := s.ListRecipes(ctx, store.ListQuery{AuthorID: cook.ID, ViewerID: cook.ID, Limit: 10})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("recipes after a refused second save: %d, %v", len(page.Items), err)
		}
		mid, err := s.ArchiveImport(ctx, cook.ID, imp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(mid.Results) != 1 || mid.Results[0].Status != store.ArchiveRunning || mid.Results[0].RecipeID != rec.ID || mid.Done != 0 {
			t.Fatalf("after saving, before the photos: %+v", mid)
		}
		for _, r := range []store.ArchiveImportResult{
			{Position: 0, Name: "Pancakes.paprikarecipe", Status: store.ArchiveDone, RecipeID: rec.ID, Title: "Pancakes", Photos: 2},
			{Position: 1, Name: "Broken.paprikarecipe", Status: store.ArchiveFailed, Error: "Broken.paprikarecipe cannot be read."},
			{Position: 2, Name: "Soup.paprikarecipe", Status: store.ArchiveSkipped, RecipeID: rec.ID, Title: "Pancakes"},
			// Recorded again (a job run twice): counted once.
			{Position: 1, Name: "Broken.paprikarecipe", Status: store.ArchiveFailed, Error: "Broken.paprikarecipe cannot be read."},
		} {
			if err := s.SetArchiveImportResult(ctx, imp.ID, r); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetArchiveImportStatus(ctx, imp.ID, store.ArchiveDone, ""); err != nil {
			t.Fatal(err)
		}
		done, err := s.ArchiveImport(ctx, cook.ID, imp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != "done" || done.Done != 3 || done.Failed != 1 || len(done.Results) != 3 {
			t.Fatalf("done %+v", done)
		}
		if r := done.Results[0]; r.Photos != 2 || r.Status != "done" || r.Name != "Pancakes.paprikarecipe" {
			t.Errorf("first result %+v", r)
		}
		if r := done.Results[1]; r.Status != "failed" || r.Error == "" || r.RecipeID != "" {
			t.Errorf("second result %+v", r)
		}
		// A finished import no longer blocks the next.
		if err := s.CreateArchiveImport(ctx, second, 1); err != nil {
			t.Errorf("an import after the first finished: %v", err)
		}
		list, err := s.ArchiveImports(ctx, cook.ID, 10)
		if err != nil || len(list) != 2 || list[0].ID != second.ID || list[1].ID != imp.ID || list[1].Results != nil {
			t.Fatalf("list %+v, %v", list, err)
		}

		// The recipe deleted: its results stay, without it.
		if err := s.DeleteRecipe(ctx, rec.ID); err != nil {
			t.Fatal(err)
		}
		after, err := s.ArchiveImport(ctx, cook.ID, imp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.Results[0].RecipeID != "" || after.Results[2].RecipeID != "" || after.Results[0].Title != "Pancakes" {
			t.Errorf("after the recipe's deletion: %+v", after.Results)
		}

		named, err := s.ArchiveImportKeysNamed(ctx, []string{"imports/a.zip", "imports/b.zip", "imports/c.zip"})
		if err != nil || !named["imports/a.zip"] || !named["imports/b.zip"] || named["imports/c.zip"] {
			t.Errorf("keys named %v, %v", named, err)
		}
		if err := s.ForgetArchiveImportBlob(ctx, imp.ID); err != nil {
			t.Fatal(err)
		}
		if named, _ := s.ArchiveImportKeysNamed(ctx, []string{"imports/a.zip"}); named["imports/a.zip"] {
			t.Errorf("a forgotten blob is still named")
		}

		// The account's deletion takes the imports and frees the archive.
		var freed []string
		s.OnBlobsFreed(func(keys []string) { freed = append(freed, keys...) })
		if _, err := s.DeleteAccount(ctx, cook.ID); err != nil {
			t.Fatal(err)
		}
		if len(freed) != 1 || freed[0] != "imports/b.zip" {
			t.Errorf("blobs freed with the account: %q", freed)
		}
		if _, err := s.ArchiveImport(ctx, cook.ID, second.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("import after the account's deletion: %v", err)
		}
	})
}

// TestArchiveImportStale: an import without progress for
// ArchiveImportStale no longer blocks a new one, and the sweep finds it.
func TestArchiveImportStale(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cook := mkUser(t, s, "cook")
		now := time.Now()
		store.SetClock(s, func() time.Time { return now })
		old := &store.ArchiveImport{UserID: cook.ID, Format: "tandoor", BlobKey: "imports/old.zip", Total: 5}
		if err := s.CreateArchiveImport(ctx, old, 1); err != nil {
			t.Fatal(err)
		}
		stale, err := s.StaleArchiveImports(ctx, now.Add(-time.Minute), 10)
		if err != nil || len(stale) != 0 {
			t.Fatalf("stale at once: %v, %v", stale, err)
		}
		now = now.Add(store.ArchiveImportStale + time.Minute)
		if err := s.CreateArchiveImport(ctx, &store.ArchiveImport{UserID: cook.ID, Format: "tandoor", Total: 1}, 1); err != nil {
			t.Errorf("an import after the first went stale: %v", err)
		}
		stale, err = s.StaleArchiveImports(ctx, now.Add(-time.Minute), 10)
		if err != nil || len(stale) != 1 || stale[0].ID != old.ID || stale[0].BlobKey != "imports/old.zip" {
			t.Fatalf("stale %+v, %v", stale, err)
		}
	})
}
