package importer_test

import (
	"testing"

	"github.com/reccollection/reccollection/internal/images"
	"github.com/reccollection/reccollection/internal/importer/archive"
)

// TestArchivePhotoLimit: a photo read from an archive is kept only if the
// photo pipeline would take it (the archive package keeps its own copy of
// the limit; see archive.MaxPhotoBytes).
func TestArchivePhotoLimit(t *testing.T) {
	if archive.MaxPhotoBytes != images.MaxBytes {
		t.Errorf("archive.MaxPhotoBytes = %d, images.MaxBytes = %d", archive.MaxPhotoBytes, images.MaxBytes)
	}
}
