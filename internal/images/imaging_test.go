package images

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestInspectFormats(t *testing.T) {
	for _, f := range []Format{JPEG, PNG, GIF, WebP} {
		t.Run(string(f), func(t *testing.T) {
			data, info, err := Inspect(bytes.NewReader(encoded(t, f, 37, 21)), 0)
			if err != nil {
				t.Fatal(err)
			}
			want := Info{Format: f, Width: 37, Height: 21, Orientation: 1}
			if info != want || len(data) == 0 {
				t.Fatalf("Inspect = %+v (%d bytes), want %+v", info, len(data), want)
			}
		})
	}
}

func TestInspectRefusals(t *testing.T) {
	jpg := encoded(t, JPEG, 64, 48)
	heic := append([]byte("\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic"), make([]byte, 64)...)
	for _, tc := range []struct {
		name string
		data []byte
		want *Error
	}{
		{"empty", nil, ErrNotImage},
		{"html named photo.jpg", []byte("<!doctype html><title>photo.jpg</title><script>alert(1)</script>"), ErrNotImage},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), ErrNotImage},
		{"riff but not webp", []byte("RIFF\x10\x00\x00\x00WAVEfmt \x00\x00"), ErrNotImage},
		{"mp4", []byte("\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isomiso2"), ErrNotImage},
		{"heic", heic, ErrUnsupported},
		{"heic as compatible brand", []byte("\x00\x00\x00\x14ftypXXXX\x00\x00\x00\x00heic"), ErrUnsupported},
		{"truncated jpeg header", jpg[:20], ErrCorrupt},
		{"png bomb 30000x30000", craftedPNG(t, 30_000, 30_000), ErrTooManyPixels},
		{"png strip 20001 wide", craftedPNG(t, 20_001, 1), ErrTooManyPixels},
		{"png zero width", craftedPNG(t, 0, 10), ErrCorrupt},
		{"gif huge logical screen", gifScreen(65_535, 65_535), ErrTooManyPixels},
		{"gif zero logical screen", gifScreen(0, 0), ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Inspect(bytes.NewReader(tc.data), 0)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Inspect = %v, want %v", err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.want.Kind {
				t.Fatalf("error %v is not an *Error of kind %d", err, tc.want.Kind)
			}
		})
	}
}

// countingReader counts what is read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestInspectTooLarge(t *testing.T) {
	// A real JPEG header followed by 25 MiB: refused after reading just over the limit.
	src := &countingReader{r: io.MultiReader(bytes.NewReader(encoded(t, JPEG, 8, 8)), io.LimitReader(zeros{}, 25<<20))}
	if _, _, err := Inspect(src, 0); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Inspect = %v, want ErrTooLarge", err)
	}
	if src.n > MaxBytes+1<<16 {
		t.Fatalf("read %d bytes, want at most about %d", src.n, MaxBytes)
	}
	// A smaller limit is honoured; exactly the limit is accepted.
	jpg := encoded(t, JPEG, 8, 8)
	if _, _, err := Inspect(bytes.NewReader(jpg), int64(len(jpg)-1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Inspect over a small limit = %v", err)
	}
	if _, _, err := Inspect(bytes.NewReader(jpg), int64(len(jpg))); err != nil {
		t.Fatalf("Inspect at the limit = %v", err)
	}
}

// TestBombRefusedWithoutAllocating: the refusal comes from the header; decoding the pixels
// would allocate 3.6 GB.
func TestBombRefusedWithoutAllocating(t *testing.T) {
	bomb := craftedPNG(t, 30_000, 30_000)
	if len(bomb) > 1<<20 {
		t.Fatalf("the bomb is %d bytes; it should be small", len(bomb))
	}
	p := New(1)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 5 {
		if _, err := p.Process(context.Background(), bytes.NewReader(bomb)); !errors.Is(err, ErrTooManyPixels) {
			t.Fatalf("Process = %v, want ErrTooManyPixels", err)
		}
	}
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 16<<20 {
		t.Fatalf("refusing 5 bombs allocated %d bytes", d)
	}
}

func TestProcessFormats(t *testing.T) {
	p := New(2)
	for _, f := range []Format{JPEG, PNG, GIF, WebP} {
		t.Run(string(f), func(t *testing.T) {
			res, err := p.Process(context.Background(), bytes.NewReader(encoded(t, f, 700, 350)))
			if err != nil {
				t.Fatal(err)
			}
			if res.Info.Format != f || res.Width != 700 || res.Height != 350 {
				t.Fatalf("result %+v", res.Info)
			}
			checkVariants(t, res, []int{700, 640, 320}, 2)
		})
	}
}

// checkVariants asserts the widths (each as WebP then JPEG), that every variant decodes back
// to its stated size and format with the source's aspect ratio, and the digests.
func checkVariants(t *testing.T, res *Result, widths []int, aspect float64) {
	t.Helper()
	if len(res.Variants) != 2*len(widths) {
		t.Fatalf("%d variants, want %d", len(res.Variants), 2*len(widths))
	}
	for i, v := range res.Variants {
		if v.Width != widths[i/2] || v.Format != []Format{WebP, JPEG}[i%2] {
			t.Fatalf("variant %d is %s %d wide, want widths %v", i, v.Format, v.Width, widths)
		}
		if got := float64(v.Width) / float64(v.Height); got < aspect*0.98 || got > aspect*1.02 {
			t.Errorf("variant %d is %d×%d, aspect %.3f, want %.3f", i, v.Width, v.Height, got, aspect)
		}
		_, info, err := Inspect(bytes.NewReader(v.Data), 0)
		if err != nil {
			t.Fatalf("variant %d does not read back: %v", i, err)
		}
		if info.Format != v.Format || info.Width != v.Width || info.Height != v.Height {
			t.Fatalf("variant %d reads back as %+v, stated %s %d×%d", i, info, v.Format, v.Width, v.Height)
		}
		if _, err := decode(v.Data, info); err != nil {
			t.Fatalf("variant %d does not decode: %v", i, err)
		}
		if len(v.SHA256) != 64 || (i > 0 && v.SHA256 == res.Variants[i-1].SHA256) {
			t.Fatalf("variant %d digest %q", i, v.SHA256)
		}
	}
}

func TestVariantWidthsNeverUpscale(t *testing.T) {
	for _, tc := range []struct {
		w    int
		want []int
	}{
		{100, []int{100}},
		{320, []int{320}},
		{321, []int{321, 320}},
		{800, []int{800, 640, 320}},
		{1600, []int{1600, 1024, 640, 320}},
		{4000, []int{1600, 1024, 640, 320}},
	} {
		got := variantWidths(tc.w)
		if !slicesEqual(got, tc.want) {
			t.Errorf("variantWidths(%d) = %v, want %v", tc.w, got, tc.want)
		}
	}
	res, err := New(1).Process(context.Background(), bytes.NewReader(encoded(t, PNG, 2000, 1000)))
	if err != nil {
		t.Fatal(err)
	}
	checkVariants(t, res, []int{1600, 1024, 640, 320}, 2)
	small, err := New(1).Process(context.Background(), bytes.NewReader(encoded(t, PNG, 90, 3)))
	if err != nil {
		t.Fatal(err)
	}
	if len(small.Variants) != 2 || small.Variants[0].Width != 90 || small.Variants[0].Height != 3 {
		t.Fatalf("a 90×3 image gives %+v", small.Variants[0])
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestExifRotatedAndStripped(t *testing.T) {
	jpg := withExif(encoded(t, JPEG, 800, 400), 6, binary.BigEndian)
	if !bytes.Contains(jpg, []byte(gpsSecret)) {
		t.Fatal("the fixture lacks its GPS block")
	}
	res, err := New(1).Process(context.Background(), bytes.NewReader(jpg))
	if err != nil {
		t.Fatal(err)
	}
	if res.Info.Orientation != 6 || res.Info.Width != 800 || res.Width != 400 || res.Height != 800 {
		t.Fatalf("upload %+v turned %d×%d, want 400×800", res.Info, res.Width, res.Height)
	}
	checkVariants(t, res, []int{400, 320}, 0.5)
	for _, v := range res.Variants {
		for _, leak := range []string{"Exif", "GPS", gpsSecret, "XMP", "ICC_PROFILE"} {
			if bytes.Contains(v.Data, []byte(leak)) {
				t.Fatalf("%s variant %d wide contains %q", v.Format, v.Width, leak)
			}
		}
	}
}

func TestOrientationTag(t *testing.T) {
	jpg := encoded(t, JPEG, 4, 4)
	for o := 1; o <= 8; o++ {
		for _, bo := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
			if got := Orientation(withExif(jpg, o, bo)); got != o {
				t.Errorf("Orientation(%v, %d) = %d", bo, o, got)
			}
		}
	}
	for name, data := range map[string][]byte{
		"no exif":         jpg,
		"exif without it": withExif(jpg, 0, binary.LittleEndian),
		"out of range":    withExif(jpg, 9, binary.LittleEndian),
		"not a jpeg":      []byte("hello"),
		"png":             encoded(t, PNG, 2, 2),
	} {
		if got := Orientation(data); got != 1 {
			t.Errorf("%s: Orientation = %d, want 1", name, got)
		}
	}
}

// TestOrient checks all eight orientations on a 3×2 image whose pixels are all different:
//
//	a b c
//	d e f
func TestOrient(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i, c := range "abcdef" {
		src.Set(i%3, i/3, color.RGBA{uint8(c), 0, 0, 255})
	}
	for o, want := range map[int]string{
		1: "abc/def", 2: "cba/fed", 3: "fed/cba", 4: "def/abc",
		5: "ad/be/cf", 6: "da/eb/fc", 7: "fc/eb/da", 8: "cf/be/ad",
	} {
		img := orient(src, o)
		var rows []string
		for y := range img.Bounds().Dy() {
			var row []byte
			for x := range img.Bounds().Dx() {
				row = append(row, img.RGBAAt(x, y).R)
			}
			rows = append(rows, string(row))
		}
		if got := strings.Join(rows, "/"); got != want {
			t.Errorf("orientation %d: %s, want %s", o, got, want)
		}
	}
}

func TestTruncatedJPEG(t *testing.T) {
	jpg := encoded(t, JPEG, 300, 200)
	_, err := New(1).Process(context.Background(), bytes.NewReader(jpg[:len(jpg)/2]))
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Process = %v, want ErrCorrupt", err)
	}
}

func TestAverageColour(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 2, 1))
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	img.Set(1, 0, color.RGBA{0, 0, 255, 255})
	if got := averageColour(img); got != "#800080" {
		t.Errorf("averageColour = %s, want #800080", got)
	}
	if got := averageColour(image.NewRGBA(image.Rect(0, 0, 2, 2))); got != "#ffffff" {
		t.Errorf("transparent averageColour = %s", got)
	}
	res, err := New(1).Process(context.Background(), bytes.NewReader(encoded(t, PNG, 50, 50)))
	if err != nil {
		t.Fatal(err)
	}
	// picture's mean is about (127, 127, 128).
	if res.Colour < "#7a7a7a" || res.Colour > "#858585" {
		t.Errorf("Colour = %s, want about #7f7f80", res.Colour)
	}
}

// TestPoolBound: with N slots, N decodes run at once and the rest wait; none run beyond N.
func TestPoolBound(t *testing.T) {
	const n, uploads = 2, 8
	p := New(n)
	var cur, peak atomic.Int32
	started := make(chan struct{}, uploads)
	release := make(chan struct{})
	p.busy = func(d int) {
		if d < 0 {
			cur.Add(-1)
			return
		}
		c := cur.Add(1)
		for old := peak.Load(); c > old && !peak.CompareAndSwap(old, c); old = peak.Load() {
		}
		started <- struct{}{}
		<-release
	}
	img := encoded(t, PNG, 40, 30)
	var wg sync.WaitGroup
	errs := make(chan error, uploads)
	for range uploads {
		wg.Go(func() {
			_, err := p.Process(context.Background(), bytes.NewReader(img))
			errs <- err
		})
	}
	for range n {
		<-started
	}
	// Both slots are held: a decode whose context ends while it waits gives up.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Process(ctx, bytes.NewReader(img)); !errors.Is(err, context.Canceled) {
		t.Fatalf("waiting Process = %v, want context.Canceled", err)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := peak.Load(); got != n {
		t.Fatalf("peak concurrent decodes %d, want %d", got, n)
	}
}

func TestBoxShrink(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 5, 2)) // the fifth column is a partial block, dropped
	for x := range 5 {
		src.Set(x, 0, color.RGBA{uint8(40 * x), 0, 255, 255})
		src.Set(x, 1, color.RGBA{uint8(40*x + 20), 100, 255, 255})
	}
	got := boxShrink(src, 2)
	if got.Bounds().Dx() != 2 || got.Bounds().Dy() != 1 {
		t.Fatalf("size %v", got.Bounds())
	}
	// Block 0: R 0, 40, 20, 60 → 30; block 1: R 80, 120, 100, 140 → 110; G 0, 0, 100, 100 → 50.
	for x, want := range []color.RGBA{{30, 50, 255, 255}, {110, 50, 255, 255}} {
		if c := got.RGBAAt(x, 0); c != want {
			t.Errorf("pixel %d = %v, want %v", x, c, want)
		}
	}
}

// TestTransparentOnWhite: transparent pixels become white in the JPEG, not black.
func TestTransparentOnWhite(t *testing.T) {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 16, 16))); err != nil {
		t.Fatal(err)
	}
	res, err := New(1).Process(context.Background(), bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	j := res.Variants[1]
	img, err := decode(j.Data, Info{Format: j.Format, Orientation: 1})
	if err != nil {
		t.Fatal(err)
	}
	if c := img.RGBAAt(8, 8); c.R < 250 || c.G < 250 || c.B < 250 {
		t.Fatalf("a transparent pixel is %v in the JPEG, want white", c)
	}
}
