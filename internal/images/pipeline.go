package images

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"runtime"

	"github.com/gen2brain/webp"
	"golang.org/x/image/draw"
)

// Widths are the variant widths; an image is never upscaled, so a narrower one gets the widths
// below its own and its own width as the largest.
var Widths = []int{320, 640, 1024, 1600}

// Encoder qualities: visually clean for photos at a fraction of the upload's size.
const (
	jpegQuality = 80
	webpQuality = 75
)

// Variant is one stored rendition.
type Variant struct {
	Width, Height int
	Format        Format // WebP or JPEG
	Data          []byte
	// SHA256 is the hex digest of Data, for content-hashed storage keys.
	SHA256 string
}

// Result is an accepted upload turned into variants.
type Result struct {
	// Info describes the upload as sent (dimensions before orientation).
	Info Info
	// Width and Height of the upright image.
	Width, Height int
	// Variants, widest first, a WebP and a JPEG for each width.
	Variants []Variant
	// Colour is the average colour ("#rrggbb") for a placeholder while the image loads.
	Colour string
}

// Pipeline processes uploads with a bound on concurrent decodes: a decoded 50 MP image is
// 200 MB, so parallel uploads wait for a slot rather than exhaust memory.
type Pipeline struct {
	slots chan struct{}
	// busy, when set (by tests), is called with +1 when a decode takes a slot and -1 when it
	// gives the slot back.
	busy func(delta int)
}

// New returns a pipeline running at most concurrency decodes at once (GOMAXPROCS when < 1).
func New(concurrency int) *Pipeline {
	if concurrency < 1 {
		concurrency = runtime.GOMAXPROCS(0)
	}
	return &Pipeline{slots: make(chan struct{}, concurrency)}
}

// Process reads an upload (at most MaxBytes), checks it, and renders every variant. It waits for
// a decode slot, or returns ctx's error when ctx ends first. Refusals are *Error values.
func (p *Pipeline) Process(ctx context.Context, r io.Reader) (*Result, error) {
	return p.process(ctx, r, false)
}

// ProcessKeeping is Process for a picture RecCollection rendered itself,
// read back from its own data export: when the upload is a plain JPEG
// (PlainJPEG: its pixels and nothing else, so there is no metadata to
// strip) no wider than the widest variant, its bytes are kept, unchanged,
// as the widest JPEG variant rather than encoded again, so that a photo
// exported, imported and exported again is the same file. Every other
// variant, and any other picture, is rendered as Process renders it.
func (p *Pipeline) ProcessKeeping(ctx context.Context, r io.Reader) (*Result, error) {
	return p.process(ctx, r, true)
}

func (p *Pipeline) process(ctx context.Context, r io.Reader, keep bool) (*Result, error) {
	data, info, err := Inspect(r, MaxBytes)
	if err != nil {
		return nil, err
	}
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-p.slots }()
	if p.busy != nil {
		p.busy(1)
		defer p.busy(-1)
	}
	img, err := decode(data, info)
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	res := &Result{Info: info, Width: b.Dx(), Height: b.Dy()}
	// Each width is scaled from the next wider one: at most a 2.5× step, which CatmullRom
	// handles well, and much cheaper than scaling every width from a 12 MP original.
	src := img
	var kept []byte
	if keep && info.Format == JPEG && info.Orientation == 1 && b.Dx() <= Widths[len(Widths)-1] && PlainJPEG(data) {
		kept = data
	}
	for i, w := range variantWidths(b.Dx()) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		scaled := scale(src, w)
		var jpegAsIs []byte
		if i == 0 {
			jpegAsIs = kept
		}
		vs, err := encode(scaled, jpegAsIs)
		if err != nil {
			return nil, err
		}
		res.Variants = append(res.Variants, vs...)
		src = scaled
	}
	res.Colour = averageColour(src)
	return res, nil
}

// variantWidths lists the widths for an image w pixels wide, widest first.
func variantWidths(w int) []int {
	out := []int{min(w, Widths[len(Widths)-1])}
	for i := len(Widths) - 1; i >= 0; i-- {
		if Widths[i] < out[len(out)-1] {
			out = append(out, Widths[i])
		}
	}
	return out
}

// scale resizes img to width w, keeping the aspect ratio (at least one pixel high).
func scale(img *image.RGBA, w int) *image.RGBA {
	b := img.Bounds()
	if b.Dx() == w {
		return img
	}
	h := max(1, (b.Dy()*w+b.Dx()/2)/b.Dx())
	// CatmullRom keeps a float64 buffer of w × source height × 4 channels (150 MB from a
	// 12 MP photo to 1600 wide), so a reduction of 2× or more first averages k×k blocks down
	// to no less than the target; the filter then does the rest.
	if k := b.Dx() / w; k >= 2 && b.Dy()/k >= h {
		img = boxShrink(img, k)
		b = img.Bounds()
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// boxShrink averages each k×k block of img into one pixel (dropping a partial edge block).
func boxShrink(img *image.RGBA, k int) *image.RGBA {
	w, h := img.Bounds().Dx()/k, img.Bounds().Dy()/k
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	n := uint32(k * k)
	sums := make([]uint32, 4*w)
	for y := range h {
		clear(sums)
		for sy := y * k; sy < (y+1)*k; sy++ {
			row := img.Pix[sy*img.Stride:]
			for x := range 4 * w * k {
				sums[x/(4*k)*4+x%4] += uint32(row[x])
			}
		}
		out := dst.Pix[y*dst.Stride:]
		for i, v := range sums {
			out[i] = uint8((v + n/2) / n)
		}
	}
	return dst
}

// encode renders img as WebP and as JPEG, the fallback for browsers without WebP. Both are
// encoded from pixels alone, so nothing of the upload's metadata (EXIF, GPS, XMP, ICC) survives.
// jpegAsIs, when set, is a plain JPEG of exactly img (ProcessKeeping) used as the JPEG.
func encode(img *image.RGBA, jpegAsIs []byte) ([]Variant, error) {
	b := img.Bounds()
	var wb bytes.Buffer
	if err := webp.Encode(&wb, img, webp.Options{Quality: webpQuality}); err != nil {
		return nil, fmt.Errorf("images: encode webp: %w", err)
	}
	if jpegAsIs != nil {
		return []Variant{variant(b, WebP, wb.Bytes()), variant(b, JPEG, jpegAsIs)}, nil
	}
	// JPEG has no alpha: flatten transparent areas onto white rather than black.
	flat := img
	if !img.Opaque() {
		flat = image.NewRGBA(b)
		draw.Draw(flat, b, image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.Draw(flat, b, img, b.Min, draw.Over)
	}
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, flat, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, fmt.Errorf("images: encode jpeg: %w", err)
	}
	return []Variant{variant(b, WebP, wb.Bytes()), variant(b, JPEG, jb.Bytes())}, nil
}

func variant(b image.Rectangle, f Format, data []byte) Variant {
	sum := sha256.Sum256(data)
	return Variant{Width: b.Dx(), Height: b.Dy(), Format: f, Data: data, SHA256: hex.EncodeToString(sum[:])}
}

// averageColour is the alpha-weighted mean colour of img (white when fully transparent).
func averageColour(img *image.RGBA) string {
	var r, g, bl, a uint64
	for i := 0; i+3 < len(img.Pix); i += 4 {
		r += uint64(img.Pix[i])
		g += uint64(img.Pix[i+1])
		bl += uint64(img.Pix[i+2])
		a += uint64(img.Pix[i+3])
	}
	if a == 0 {
		return "#ffffff"
	}
	// The pixels are premultiplied, so the sums divided by the alpha sum are the mean colour.
	c := func(v uint64) uint64 { return min(255, (v*255+a/2)/a) }
	return fmt.Sprintf("#%02x%02x%02x", c(r), c(g), c(bl))
}
