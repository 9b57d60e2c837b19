package images

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

func FuzzOrientation(f *testing.F) {
	jpg := encoded(f, JPEG, 4, 4)
	f.Add(jpg)
	f.Add(withExif(jpg, 6, binary.LittleEndian))
	f.Add(withExif(jpg, 3, binary.BigEndian)[:40])
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00\xff\xff\xff\xff"))
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x1cExif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff\x01\x12\x00\x03\x00\x00\x00\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := Orientation(data); o < 1 || o > 8 {
			t.Fatalf("Orientation = %d", o)
		}
	})
}

func FuzzInspect(f *testing.F) {
	for _, format := range []Format{JPEG, PNG, GIF, WebP} {
		f.Add(encoded(f, format, 3, 2))
	}
	f.Add(craftedPNG(f, 30_000, 30_000))
	f.Add(gifScreen(65_535, 1))
	f.Add([]byte("\x00\x00\x00\x14ftypheic\x00\x00\x00\x00mif1"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8X"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, info, err := Inspect(bytes.NewReader(data), 0)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Inspect = %v, not an *Error", err)
			}
			return
		}
		if info.Width < 1 || info.Height < 1 || info.Width*info.Height > MaxPixels ||
			info.Width > MaxSide || info.Height > MaxSide || info.Orientation < 1 || info.Orientation > 8 {
			t.Fatalf("accepted %+v", info)
		}
	})
}
