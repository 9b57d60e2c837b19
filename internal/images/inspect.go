// Package images turns untrusted uploaded bytes into safe stored images: it decides the type
// by content, refuses oversized and bomb-like images from their headers before decoding
// pixels, applies EXIF orientation, and re-encodes resized variants (WebP and JPEG) from pixels
// so that no metadata of the upload survives.
package images

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// Limits on what is accepted. MaxPixels bounds the decoded size (50 MP is 200 MB as RGBA);
// MaxSide refuses absurd strips that stay under the pixel count.
const (
	MaxBytes  = 20 << 20
	MaxPixels = 50_000_000
	MaxSide   = 20_000
)

// Format is an accepted image type, named as in a MIME subtype.
type Format string

const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	WebP Format = "webp"
	GIF  Format = "gif"
)

// ContentType is the MIME type of the format.
func (f Format) ContentType() string { return "image/" + string(f) }

// Info is what the header of an accepted image says.
type Info struct {
	Format Format
	// Width and Height as stored, before orientation.
	Width, Height int
	// Orientation is the EXIF orientation (1–8) of a JPEG; 1 for every other format.
	Orientation int
}

// Sniff decides the type from the first bytes alone; a file name or a declared content type is
// never trusted. HEIC/HEIF is recognised so that it can be refused with its own message.
func Sniff(head []byte) (Format, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return GIF, nil
	case len(head) >= 16 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP" &&
		string(head[12:15]) == "VP8":
		return WebP, nil
	case isHEIF(head):
		return "", ErrUnsupported
	}
	return "", ErrNotImage
}

// isHEIF reports an ISO-BMFF file whose ftyp box names a HEIC/HEIF brand, as a major brand or
// as one of the compatible brands (phones write several).
func isHEIF(head []byte) bool {
	if len(head) < 16 || string(head[4:8]) != "ftyp" {
		return false
	}
	size := int(head[0])<<24 | int(head[1])<<16 | int(head[2])<<8 | int(head[3])
	if size < 16 || size > len(head) {
		size = min(len(head), 64)
	}
	brands := [][]byte{head[8:12]}
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, head[i:i+4])
	}
	for _, b := range brands {
		switch string(b) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1":
			return true
		}
	}
	return false
}

// Inspect reads at most limit bytes (MaxBytes when limit is zero or more than MaxBytes), decides
// the type by content and reads the dimensions from the header only, refusing too many pixels
// before any pixel is decoded. It returns the bytes read for Decode.
func Inspect(r io.Reader, limit int64) ([]byte, Info, error) {
	if limit <= 0 || limit > MaxBytes {
		limit = MaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, Info{}, err
	}
	if int64(len(data)) > limit {
		return nil, Info{}, ErrTooLarge
	}
	info, err := inspectBytes(data)
	return data, info, err
}

func inspectBytes(data []byte) (Info, error) {
	format, err := Sniff(data)
	if err != nil {
		return Info{}, err
	}
	cfg, err := decoders[format].config(bytes.NewReader(data))
	if err != nil {
		return Info{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	if info.Width <= 0 || info.Height <= 0 {
		return Info{}, fmt.Errorf("%w: %d×%d pixels", ErrCorrupt, info.Width, info.Height)
	}
	if info.Width > MaxSide || info.Height > MaxSide || info.Width*info.Height > MaxPixels {
		return Info{}, fmt.Errorf("%w: %d×%d pixels", ErrTooManyPixels, info.Width, info.Height)
	}
	if format == JPEG {
		info.Orientation = Orientation(data)
	}
	return info, nil
}

// decoders are each format's own decoder, called directly rather than through image.Decode's
// registry, so a type chosen by Sniff is decoded by exactly that decoder. WebP is decoded by
// golang.org/x/image/webp (pure Go) and encoded by gen2brain/webp (libwebp in wasm).
var decoders = map[Format]struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}{
	JPEG: {jpeg.DecodeConfig, jpeg.Decode},
	PNG:  {png.DecodeConfig, png.Decode},
	GIF:  {gif.DecodeConfig, gif.Decode},
	WebP: {webp.DecodeConfig, webp.Decode},
}

// decode decodes the pixels of an inspected image and applies its orientation.
func decode(data []byte, info Info) (*image.RGBA, error) {
	img, err := decoders[info.Format].decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return orient(img, info.Orientation), nil
}
