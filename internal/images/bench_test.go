package images

import (
	"bytes"
	"context"
	"testing"
)

// BenchmarkVariants12MP renders every variant of a 4000×3000 JPEG, a typical phone photo.
func BenchmarkVariants12MP(b *testing.B) {
	jpg := encoded(b, JPEG, 4000, 3000)
	p := New(1)
	b.ReportAllocs()
	b.SetBytes(int64(len(jpg)))
	for b.Loop() {
		if _, err := p.Process(context.Background(), bytes.NewReader(jpg)); err != nil {
			b.Fatal(err)
		}
	}
}
