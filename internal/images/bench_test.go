package images

import (
	"bytes"
	"context"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// BenchmarkVariants12MP renders every variant of a 4000×3000 JPEG, a typical phone photo, and
// reports besides time and allocations the peak of live heap while it runs (peak-MB): what one
// decode slot of the pool costs in memory.
func BenchmarkVariants12MP(b *testing.B) {
	jpg := encoded(b, JPEG, 4000, 3000)
	p := New(1)
	// The WebP encoder is compiled on first use; keep that out of the figures.
	if _, err := p.Process(context.Background(), bytes.NewReader(encoded(b, JPEG, 64, 64))); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	base := liveHeap()
	peak, stop := watchHeap()
	b.ReportAllocs()
	b.SetBytes(int64(len(jpg)))
	for b.Loop() {
		if _, err := p.Process(context.Background(), bytes.NewReader(jpg)); err != nil {
			b.Fatal(err)
		}
	}
	stop()
	b.ReportMetric(float64(*peak-base)/(1<<20), "peak-MB")
}

// liveHeap is the bytes of heap objects the runtime counts as live or not yet swept.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// watchHeap samples liveHeap every millisecond until stop is called, keeping the highest.
func watchHeap() (peak *uint64, stop func()) {
	var max uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if h := liveHeap(); h > max {
				max = h
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return &max, func() { close(done); wg.Wait() }
}
