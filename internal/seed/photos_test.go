package seed_test

import (
	"context"
	"testing"

	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/seed"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Seeded photos go through the photo service like uploads: the newest
// recipes without one get a rendered photo, a second run continues with
// the next ones, and the same title gives the same picture.
func TestPhotosForTheNewestRecipes(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := testutil.OpenStore(t, engine)
			files, err := media.NewFile(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			svc := photos.New(s, files, photos.Options{})
			if _, _, err := seed.Demo(ctx, s); err != nil {
				t.Fatal(err)
			}
			newest, err := s.RecipesWithoutPhoto(ctx, 3)
			if err != nil {
				t.Fatal(err)
			}
			n, err := seed.Photos(ctx, s, svc, 2, 1, true, nil)
			if err != nil || n != 2 {
				t.Fatalf("first run: %d, %v", n, err)
			}
			n, err = seed.Photos(ctx, s, svc, 1, 1, true, nil)
			if err != nil || n != 1 {
				t.Fatalf("second run: %d, %v", n, err)
			}
			left, err := s.RecipesWithoutPhoto(ctx, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if want := len(seed.DemoRecipes()) - 3; len(left) != want {
				t.Errorf("%d recipes without a photo, want %d", len(left), want)
			}
			for _, ref := range newest {
				r, err := s.Recipe(ctx, ref.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !r.Photo.Ready() || r.Photo.Width != 1024 || r.Photo.Height != 768 || r.Photo.Colour == "" {
					t.Errorf("%q: photo %+v", r.Title, r.Photo)
				}
			}
		})
	}
}
