package ratelimit

import (
	"context"
	"sync"
	"time"
)

// DefaultMaxKeys bounds the memory limiter: a key costs about 100 bytes,
// so the table stays under ~10 MB whatever a flood of addresses does.
const DefaultMaxKeys = 100_000

// Memory is a per-process limiter. Behind a load balancer each replica
// counts on its own, so a client gets up to replicas × limit; use Redis
// where that matters.
type Memory struct {
	now     func() time.Time
	maxKeys int

	mu   sync.Mutex
	tats map[string]int64 // key → theoretical arrival time, Unix ns
}

// NewMemory returns a limiter holding at most maxKeys keys (DefaultMaxKeys
// when maxKeys ≤ 0).
func NewMemory(maxKeys int) *Memory {
	return NewMemoryWithClock(maxKeys, time.Now)
}

// NewMemoryWithClock is NewMemory with an injected clock, for tests.
func NewMemoryWithClock(maxKeys int, now func() time.Time) *Memory {
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	return &Memory{now: now, maxKeys: maxKeys, tats: map[string]int64{}}
}

// Allow implements Limiter; it never fails.
func (m *Memory) Allow(_ context.Context, key string, limit int, period time.Duration) (Result, error) {
	now := m.now().UnixNano()
	m.mu.Lock()
	defer m.mu.Unlock()
	tat, known := m.tats[key]
	newTAT, r := gcra(now, tat, limit, int64(period))
	if !r.Allowed {
		return r, nil
	}
	if !known && len(m.tats) >= m.maxKeys {
		m.makeRoom(now)
	}
	m.tats[key] = newTAT
	return r, nil
}

// Refund implements Limiter; it never fails.
func (m *Memory) Refund(_ context.Context, key string, limit int, period time.Duration) error {
	now := m.now().UnixNano()
	m.mu.Lock()
	defer m.mu.Unlock()
	tat, known := m.tats[key]
	if !known {
		return nil
	}
	if newTAT, keep := gcraRefund(now, tat, limit, int64(period)); keep {
		m.tats[key] = newTAT
	} else {
		delete(m.tats, key)
	}
	return nil
}

// Len is the number of keys held (for tests and metrics).
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.tats)
}

// makeRoom drops every key whose budget is full again (forgetting it
// changes nothing), and if the table is still nearly full, arbitrary keys
// down to 90%: those clients get a fresh budget, which is the price of
// bounded memory. Clearing a tenth at once keeps the sweep's cost
// amortised under a flood.
func (m *Memory) makeRoom(now int64) {
	for k, tat := range m.tats {
		if tat <= now {
			delete(m.tats, k)
		}
	}
	target := m.maxKeys * 9 / 10
	for k := range m.tats {
		if len(m.tats) <= target {
			break
		}
		delete(m.tats, k)
	}
}
