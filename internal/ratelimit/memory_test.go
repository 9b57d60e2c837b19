package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func allow(t *testing.T, l Limiter, key string, limit int, period time.Duration) Result {
	t.Helper()
	r, err := l.Allow(context.Background(), key, limit, period)
	if err != nil {
		t.Fatalf("Allow(%s): %v", key, err)
	}
	return r
}

// The budget is a burst of limit requests that refills one request every
// period/limit: the N+1th request in an instant waits one interval.
func TestMemoryBurstThenRefusal(t *testing.T) {
	c := newClock()
	m := NewMemoryWithClock(0, c.now)
	for i := range 10 {
		r := allow(t, m, "k", 10, time.Minute)
		if !r.Allowed || r.Remaining != 9-i || r.Limit != 10 || r.RetryAfter != 0 {
			t.Fatalf("request %d: %+v, want allowed with %d remaining", i+1, r, 9-i)
		}
		if want := time.Duration(i+1) * 6 * time.Second; r.Reset != want {
			t.Errorf("request %d: reset %v, want %v (full again after that long)", i+1, r.Reset, want)
		}
	}
	r := allow(t, m, "k", 10, time.Minute)
	if r.Allowed || r.Remaining != 0 || r.RetryAfter != 6*time.Second {
		t.Fatalf("11th request: %+v, want refused, retry after 6s", r)
	}
	// Refusals do not push the budget further away.
	c.add(3 * time.Second)
	if r := allow(t, m, "k", 10, time.Minute); r.Allowed || r.RetryAfter != 3*time.Second {
		t.Fatalf("after 3s: %+v, want refused, retry after 3s", r)
	}
	c.add(3 * time.Second)
	if r := allow(t, m, "k", 10, time.Minute); !r.Allowed || r.Remaining != 0 {
		t.Fatalf("after one interval: %+v, want one more allowed", r)
	}
	if r := allow(t, m, "k", 10, time.Minute); r.Allowed {
		t.Fatalf("then: %+v, want refused again", r)
	}
	// A whole period of silence restores the whole budget.
	c.add(time.Minute)
	if r := allow(t, m, "k", 10, time.Minute); !r.Allowed || r.Remaining != 9 {
		t.Fatalf("after a quiet minute: %+v, want 9 remaining", r)
	}
}

func TestMemorySteadyRate(t *testing.T) {
	c := newClock()
	m := NewMemoryWithClock(0, c.now)
	// 5 per hour: one every 12 minutes, forever, after the burst.
	for range 5 {
		allow(t, m, "k", 5, time.Hour)
	}
	for i := range 20 {
		if r := allow(t, m, "k", 5, time.Hour); r.Allowed {
			t.Fatalf("step %d: allowed early: %+v", i, r)
		}
		c.add(12 * time.Minute)
		if r := allow(t, m, "k", 5, time.Hour); !r.Allowed {
			t.Fatalf("step %d: refused on schedule: %+v", i, r)
		}
	}
}

func TestMemoryKeysAreIndependent(t *testing.T) {
	m := NewMemoryWithClock(0, newClock().now)
	for range 3 {
		allow(t, m, "a", 3, time.Minute)
	}
	if r := allow(t, m, "a", 3, time.Minute); r.Allowed {
		t.Fatal("a should be exhausted")
	}
	if r := allow(t, m, "b", 3, time.Minute); !r.Allowed || r.Remaining != 2 {
		t.Fatalf("b: %+v, want a fresh budget", r)
	}
}

func TestMemoryIsBounded(t *testing.T) {
	c := newClock()
	m := NewMemoryWithClock(1000, c.now)
	for i := range 10_000 {
		allow(t, m, fmt.Sprint("ip", i), 10, time.Minute)
		if m.Len() > 1000 {
			t.Fatalf("after %d keys the table holds %d, above its bound", i+1, m.Len())
		}
	}
	// Keys whose budget is full again are dropped first.
	c.add(time.Hour)
	allow(t, m, "fresh-0", 10, time.Minute)
	for i := range 500 {
		allow(t, m, fmt.Sprint("fresh-", i+1), 10, time.Minute)
	}
	if m.Len() != 501 {
		t.Errorf("after every old key expired: %d keys, want the 501 live ones", m.Len())
	}
}

func TestMemoryConcurrentUseCountsEveryRequest(t *testing.T) {
	m := NewMemoryWithClock(0, newClock().now) // frozen clock: no refill
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				r, _ := m.Allow(context.Background(), "k", 100, time.Minute)
				if r.Allowed {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if allowed != 100 {
		t.Fatalf("%d of 500 concurrent requests allowed, want exactly 100", allowed)
	}
}

func TestIPSubject(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":                    "192.0.2.7",
		"::ffff:192.0.2.7":             "192.0.2.7",
		"2001:db8:1:2:aaaa::1":         "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff:0:abc": "2001:db8:1:2::/64",
		"not-an-ip":                    "not-an-ip",
	} {
		if got := IPSubject(in); got != want {
			t.Errorf("IPSubject(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRulesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
		if r.Limit <= 0 || r.Period < time.Second || (r.Scope != PerIP && r.Scope != PerUser) {
			t.Errorf("rule %+v is not sensible", r)
		}
		if seen[r.Name()] {
			t.Errorf("rule %s declared twice", r.Name())
		}
		seen[r.Name()] = true
	}
	for _, c := range []Class{Login, Register, Write, Search} {
		if !seen[string(c)+":ip"] {
			t.Errorf("class %s has no per-IP rule", c)
		}
	}
	if got := (Rule{Login, PerIP, 10, time.Minute}).Policy(); got != "10;w=60" {
		t.Errorf("Policy() = %q", got)
	}
}

// Refund gives one allowed request back, and never more than the budget.
func TestMemoryRefund(t *testing.T) {
	c := newClock()
	m := NewMemoryWithClock(0, c.now)
	ctx := context.Background()
	for range 3 {
		allow(t, m, "k", 3, time.Minute)
	}
	if r := allow(t, m, "k", 3, time.Minute); r.Allowed {
		t.Fatal("fourth request within the period allowed")
	}
	if err := m.Refund(ctx, "k", 3, time.Minute); err != nil {
		t.Fatal(err)
	}
	if r := allow(t, m, "k", 3, time.Minute); !r.Allowed || r.Remaining != 0 {
		t.Fatalf("after a refund: %+v, want one more allowed", r)
	}
	// Three refunds bring the budget back to full and forget the key; a
	// fourth (or one for an unknown key) changes nothing.
	for range 4 {
		if err := m.Refund(ctx, "k", 3, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Refund(ctx, "unknown", 3, time.Minute); err != nil {
		t.Fatal(err)
	}
	if m.Len() != 0 {
		t.Fatalf("%d keys held after refunding to full, want 0", m.Len())
	}
	if r := allow(t, m, "k", 3, time.Minute); r.Remaining != 2 {
		t.Fatalf("after refunds: %+v, want a full budget (2 left after this one)", r)
	}
}
