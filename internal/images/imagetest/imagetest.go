// Package imagetest makes pictures for tests: plain ones in every accepted
// format, and hostile ones (decompression bombs, oversized headers, photos
// carrying GPS metadata) that the image pipeline must refuse or clean.
package imagetest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/gen2brain/webp"
)

// Picture is a w×h image with a gradient, so resizing and orientation have something to move.
func Picture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	return img
}

// encoded returns Picture(w, h) in format f.
func Encoded(t testing.TB, f string, w, h int) []byte {
	t.Helper()
	img := Picture(w, h)
	var b bytes.Buffer
	var err error
	switch f {
	case "jpeg":
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
	case "png":
		err = png.Encode(&b, img)
	case "gif":
		err = gif.Encode(&b, img, nil)
	case "webp":
		err = webp.Encode(&b, img)
	default:
		t.Fatalf("imagetest: unknown format %q", f)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngChunk is one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// CraftedPNG is a valid-looking RGBA PNG claiming w×h pixels whose IDAT holds only a few
// compressed zero rows: a few kilobytes on disk that would decode to w*h*4 bytes.
func CraftedPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(make([]byte, 10*(1+4*w))); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", z.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

// GIFScreen is a GIF header claiming a w×h logical screen, followed by one 1×1 frame.
func GIFScreen(w, h int) []byte {
	out := []byte("GIF89a")
	out = binary.LittleEndian.AppendUint16(out, uint16(w))
	out = binary.LittleEndian.AppendUint16(out, uint16(h))
	out = append(out, 0x80, 0, 0, 0, 0, 0, 255, 255, 255) // 2-colour global table
	out = append(out, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0)    // image descriptor 1×1
	out = append(out, 2, 2, 0x44, 0x01, 0)                // LZW data
	return append(out, 0x3B)
}

// ByteOrder is a byte order a TIFF block can be written in.
type ByteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// GPSSecret stands for the location a photo would give away.
const GPSSecret = "GPS-51.5007N-0.1246W"

// WithExif splices an APP1 Exif segment after a JPEG's SOI: IFD0 with the Orientation tag
// (when o > 0) and a pointer to a GPS IFD holding GPSLatitudeRef and a processing-method text.
func WithExif(jpg []byte, o int, bo ByteOrder) []byte {
	t := []byte("II")
	if bo.String() == binary.BigEndian.String() {
		t = []byte("MM")
	}
	t = bo.AppendUint16(t, 42)
	t = bo.AppendUint32(t, 8)
	entry := func(b []byte, tag, typ uint16, count uint32, value []byte) []byte {
		b = bo.AppendUint16(b, tag)
		b = bo.AppendUint16(b, typ)
		b = bo.AppendUint32(b, count)
		return append(b, append(value, make([]byte, 4-len(value))...)...)
	}
	n := uint16(1)
	if o > 0 {
		n = 2
	}
	t = bo.AppendUint16(t, n)
	if o > 0 {
		t = entry(t, 0x0112, 3, 1, bo.AppendUint16(nil, uint16(o)))
	}
	gpsIFD := uint32(len(t) + 12 + 4)
	t = entry(t, 0x8825, 4, 1, bo.AppendUint32(nil, gpsIFD))
	t = bo.AppendUint32(t, 0) // no IFD1
	t = bo.AppendUint16(t, 2)
	t = entry(t, 0x0001, 2, 2, []byte("N\x00"))
	textAt := uint32(len(t) + 2*12 + 4)
	t = entry(t, 0x001B, 7, uint32(len(GPSSecret)), bo.AppendUint32(nil, textAt))
	t = bo.AppendUint32(t, 0)
	t = append(t, GPSSecret...)

	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(2+6+len(t)))
	seg = append(seg, "Exif\x00\x00"...)
	seg = append(seg, t...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}
