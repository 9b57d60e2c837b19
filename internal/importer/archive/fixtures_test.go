package archive

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"testing"
)

// entry is a file of a fixture zip.
type entry struct {
	name string
	data []byte
}

// zipOf builds a zip of the entries, deflated, in order.
func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipOf(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jsonOf(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// picture is a small image with a colour of its own, so that every
// fixture photo has different bytes.
func picture(c uint8) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := 0; x < 4; x++ {
		for y := 0; y < 3; y++ {
			img.Set(x, y, color.RGBA{c, 255 - c, uint8(x * 40), 255})
		}
	}
	return img
}

func pngOf(t testing.TB, c uint8) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, picture(c)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegOf(t testing.TB, c uint8) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, picture(c), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// webpImage is a valid 1×1 lossless WebP.
var webpImage = []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// readZip reads data with Read and checks that Count agrees with it.
func readZip(t testing.TB, data []byte) (Format, []Item, error) {
	t.Helper()
	var items []Item
	f, err := Read(bytes.NewReader(data), int64(len(data)), func(it Item) error {
		items = append(items, it)
		return nil
	})
	if err == nil {
		cf, n, cerr := Count(bytes.NewReader(data), int64(len(data)))
		if cerr != nil || cf != f || n != len(items) {
			t.Errorf("Count = %q, %d, %v; Read gave %q with %d recipes", cf, n, cerr, f, len(items))
		}
	}
	return f, items, err
}

// mustRead is readZip for an archive that must read without error, as
// format, with n recipes.
func mustRead(t testing.TB, data []byte, format Format, n int) []Item {
	t.Helper()
	f, items, err := readZip(t, data)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if f != format || len(items) != n {
		t.Fatalf("Read gave %q with %d recipes, want %q with %d", f, len(items), format, n)
	}
	return items
}

// withLimits lowers limits for one test.
func withLimits(t testing.TB, change func(*limitSet)) {
	t.Helper()
	saved := limits
	change(&limits)
	t.Cleanup(func() { limits = saved })
}

func intp(n int) *int { return &n }

func eqInt(t testing.TB, what string, got *int, want int) {
	t.Helper()
	if got == nil || *got != want {
		t.Errorf("%s = %v, want %d", what, deref(got), want)
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func eqStrings(t testing.TB, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %q, want %q", what, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s = %q, want %q", what, got, want)
			return
		}
	}
}

// forEachEntry calls fn with each file of the zip data.
func forEachEntry(t testing.TB, data []byte, fn func(name string, data []byte)) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		fn(f.Name, b)
	}
}
