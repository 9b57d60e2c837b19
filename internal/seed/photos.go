package seed

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"

	"github.com/reccollection/reccollection/internal/platepic"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// PhotoUploader is what seeding needs of the photo service.
type PhotoUploader interface {
	SetMain(ctx context.Context, userID, recipeID string, body io.Reader, alt string) (*recipe.Photo, error)
	Process(ctx context.Context, photoID string) error
}

// Photo size: the 1024 px variant is the widest a page asks for below a
// large desktop; drawing is proportional to the pixels, so the demo
// library is drawn in about half a minute on two cores.
const photoWidth, photoHeight = 1024, 768

// Photos gives up to limit recipes without a main photo (newest first) a
// drawn picture of their dish (internal/platepic), uploaded through the
// photo service like any other. With process, each photo's variants are
// rendered at once; otherwise the job queue renders them when a server
// runs. The picture depends only on the recipe's title and seed, so the
// same data gives the same pictures.
func Photos(ctx context.Context, s *store.Store, up PhotoUploader, limit int, seed int64, process bool, progress Progress) (int, error) {
	refs, err := s.RecipesWithoutPhoto(ctx, limit)
	if err != nil {
		return 0, err
	}
	for i, ref := range refs {
		jpg, err := platepic.JPEG(photoSeed(seed, ref.Title), ref.Title, photoWidth, photoHeight)
		if err != nil {
			return i, err
		}
		p, err := up.SetMain(ctx, ref.AuthorID, ref.ID, bytes.NewReader(jpg), "")
		if err != nil {
			return i, fmt.Errorf("photo of %q: %w", ref.Title, err)
		}
		if process {
			if err := up.Process(ctx, p.ID); err != nil {
				return i, fmt.Errorf("photo of %q: %w", ref.Title, err)
			}
		}
		if progress != nil && ((i+1)%25 == 0 || i == len(refs)-1) {
			progress(i+1, len(refs))
		}
	}
	return len(refs), nil
}

func photoSeed(seed int64, title string) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d\x00%s", seed, title)
	return h.Sum64()
}
