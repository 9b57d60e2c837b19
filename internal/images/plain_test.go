package images

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"
)

// TestPlainJPEG: the JPEGs this package writes are plain; anything that
// carries more than pixels, or does not hold together, is not.
func TestPlainJPEG(t *testing.T) {
	jpg := encoded(t, JPEG, 64, 48)
	comment := append([]byte{0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x07}, "hello"...)
	comment = append(comment, jpg[2:]...)
	jfif := append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10}, "JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"...)
	jfif = append(jfif, jpg[2:]...)
	for _, c := range []struct {
		name string
		data []byte
		want bool
	}{
		{"image/jpeg's own", jpg, true},
		{"a tiny one", encoded(t, JPEG, 1, 1), true},
		{"with EXIF and GPS", withExif(jpg, 1, binary.BigEndian), false},
		{"with a comment", comment, false},
		{"with a JFIF header", jfif, false},
		{"with bytes after its end", append(bytes.Clone(jpg), "secret"...), false},
		{"cut short", jpg[:len(jpg)-10], false},
		{"without its end", jpg[:len(jpg)-2], false},
		{"a PNG", encoded(t, PNG, 8, 8), false},
		{"nothing", nil, false},
		{"a start alone", []byte{0xFF, 0xD8}, false},
	} {
		if got := PlainJPEG(c.data); got != c.want {
			t.Errorf("%s: PlainJPEG = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestProcessKeeping: a plain JPEG is kept byte for byte as the widest
// JPEG variant, the other variants rendered as ever; a JPEG with
// metadata, one wider than the widest variant, and other formats are
// rendered as Process renders them.
func TestProcessKeeping(t *testing.T) {
	ctx := context.Background()
	p := New(1)
	widestJPEG := func(res *Result) []byte {
		for _, v := range res.Variants {
			if v.Format == JPEG && v.Width == res.Variants[0].Width {
				return v.Data
			}
		}
		t.Fatal("no JPEG variant")
		return nil
	}
	plain := encoded(t, JPEG, 800, 600)
	kept, err := p.ProcessKeeping(ctx, bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(widestJPEG(kept), plain) {
		t.Error("the plain JPEG was encoded again")
	}
	checkVariants(t, kept, []int{800, 640, 320}, 4.0/3)
	again, err := p.ProcessKeeping(ctx, bytes.NewReader(widestJPEG(kept)))
	if err != nil || !bytes.Equal(widestJPEG(again), plain) {
		t.Errorf("kept twice: changed (%v)", err)
	}
	if res, err := p.Process(ctx, bytes.NewReader(plain)); err != nil || bytes.Equal(widestJPEG(res), plain) {
		t.Errorf("Process keeps the upload (%v)", err)
	}
	for name, data := range map[string][]byte{
		"with EXIF":  withExif(plain, 1, binary.LittleEndian),
		"too wide":   encoded(t, JPEG, 2000, 1000),
		"a PNG":      encoded(t, PNG, 800, 600),
		"with bytes": append(bytes.Clone(plain), 0, 1, 2),
	} {
		res, err := p.ProcessKeeping(ctx, bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if bytes.Equal(widestJPEG(res), data) {
			t.Errorf("%s: kept as it is", name)
		}
		for _, v := range res.Variants {
			if bytes.Contains(v.Data, []byte(gpsSecret)) {
				t.Errorf("%s: %s variant keeps the GPS block", name, v.Format)
			}
		}
	}
}
