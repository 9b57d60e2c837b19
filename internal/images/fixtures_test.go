package images

import (
	"testing"

	"github.com/reccollection/reccollection/internal/images/imagetest"
)

// The fixtures live in imagetest, which other packages' tests share.
var (
	craftedPNG = imagetest.CraftedPNG
	gifScreen  = imagetest.GIFScreen
	withExif   = imagetest.WithExif
)

const gpsSecret = imagetest.GPSSecret

type byteOrder = imagetest.ByteOrder

func encoded(t testing.TB, f Format, w, h int) []byte { return imagetest.Encoded(t, string(f), w, h) }
