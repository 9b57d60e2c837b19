package ratelimit_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/ratelimit"
	"github.com/reccollection/reccollection/internal/testutil"
)

func openRedis(t *testing.T, url, prefix string) *ratelimit.Redis {
	t.Helper()
	client, err := ratelimit.OpenRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return ratelimit.NewRedis(client, prefix, ratelimit.NewMemory(0), slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
}

func TestRedisBurstThenRefusal(t *testing.T) {
	url, prefix, _ := testutil.Redis(t)
	l := openRedis(t, url, prefix)
	ctx := context.Background()
	for i := range 10 {
		r, err := l.Allow(ctx, "login:ip:192.0.2.1", 10, time.Minute)
		if err != nil || !r.Allowed || r.Remaining != 9-i {
			t.Fatalf("request %d: %+v, %v; want allowed with %d remaining", i+1, r, err, 9-i)
		}
	}
	r, err := l.Allow(ctx, "login:ip:192.0.2.1", 10, time.Minute)
	if err != nil || r.Allowed || r.Remaining != 0 || r.RetryAfter <= 0 || r.RetryAfter > 6*time.Second {
		t.Fatalf("11th request: %+v, %v; want refused with a wait of at most 6s", r, err)
	}
	if r, _ := l.Allow(ctx, "login:ip:192.0.2.2", 10, time.Minute); !r.Allowed || r.Remaining != 9 {
		t.Fatalf("another key: %+v, want a fresh budget", r)
	}
}

// With an injected clock the script counts on it, not on Redis's TIME:
// a frozen clock never refills, and stepping it refills exactly.
func TestRedisFollowsInjectedClock(t *testing.T) {
	url, prefix, client := testutil.Redis(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	l := openRedis(t, url, prefix).WithClock(clock)
	ctx := context.Background()
	for i := range 10 {
		if r, err := l.Allow(ctx, "k", 10, time.Minute); err != nil || !r.Allowed || r.Remaining != 9-i {
			t.Fatalf("request %d: %+v, %v", i+1, r, err)
		}
	}
	r, err := l.Allow(ctx, "k", 10, time.Minute)
	if err != nil || r.Allowed || r.RetryAfter != 6*time.Second {
		t.Fatalf("11th request: %+v, %v; want refused for exactly 6s", r, err)
	}
	mu.Lock()
	now = now.Add(6 * time.Second)
	mu.Unlock()
	if r, err := l.Allow(ctx, "k", 10, time.Minute); err != nil || !r.Allowed || r.Remaining != 0 || r.Reset != time.Minute {
		t.Fatalf("6s later: %+v, %v; want one allowed, none left, full in a minute", r, err)
	}
	if ttl := client.PTTL(ctx, prefix+"k").Val(); ttl <= 0 || ttl > time.Minute {
		t.Errorf("PTTL %v, want within the period", ttl)
	}
}

// Refund gives one request back, atomically, and deletes the key once the
// budget is full again.
func TestRedisRefund(t *testing.T) {
	url, prefix, client := testutil.Redis(t)
	l := openRedis(t, url, prefix).WithClock(func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) })
	ctx := context.Background()
	for range 2 {
		if r, _ := l.Allow(ctx, "k", 2, time.Hour); !r.Allowed {
			t.Fatal("refused within the budget")
		}
	}
	if r, _ := l.Allow(ctx, "k", 2, time.Hour); r.Allowed {
		t.Fatal("third request allowed")
	}
	if err := l.Refund(ctx, "k", 2, time.Hour); err != nil {
		t.Fatal(err)
	}
	if r, _ := l.Allow(ctx, "k", 2, time.Hour); !r.Allowed || r.Remaining != 0 {
		t.Fatalf("after a refund: %+v, want one more allowed", r)
	}
	for range 3 {
		if err := l.Refund(ctx, "k", 2, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if keys := testutil.RedisKeys(t, client, prefix); len(keys) != 0 {
		t.Fatalf("keys %v after refunding to full, want none", keys)
	}
	if err := l.Refund(ctx, "unknown", 2, time.Hour); err != nil {
		t.Fatal(err)
	}
	if keys := testutil.RedisKeys(t, client, prefix); len(keys) != 0 {
		t.Fatalf("a refund of an unknown key stored %v", keys)
	}
}

// Many clients of one Redis (as many replicas would be) share exactly one
// budget: the script is atomic.
func TestRedisConcurrentClientsShareOneBudget(t *testing.T) {
	url, prefix, _ := testutil.Redis(t)
	limiters := []*ratelimit.Redis{openRedis(t, url, prefix), openRedis(t, url, prefix), openRedis(t, url, prefix)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				r, err := limiters[i%3].Allow(context.Background(), "k", 100, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
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
		t.Fatalf("%d of 300 requests allowed across three clients, want exactly 100", allowed)
	}
}

// A key lives only until its budget is full again.
func TestRedisKeysExpire(t *testing.T) {
	url, prefix, client := testutil.Redis(t)
	l := openRedis(t, url, prefix)
	ctx := context.Background()
	for range 2 {
		if r, err := l.Allow(ctx, "short", 2, 300*time.Millisecond); err != nil || !r.Allowed {
			t.Fatalf("%+v, %v", r, err)
		}
	}
	ttl, err := client.PTTL(ctx, prefix+"short").Result()
	if err != nil || ttl <= 0 || ttl > 300*time.Millisecond {
		t.Fatalf("PTTL = %v, %v; want a positive expiry within the period", ttl, err)
	}
	if r, _ := l.Allow(ctx, "short", 2, 300*time.Millisecond); r.Allowed {
		t.Fatal("third request within the period should be refused")
	}
	time.Sleep(400 * time.Millisecond)
	if keys := testutil.RedisKeys(t, client, prefix); len(keys) != 0 {
		t.Fatalf("keys still present after the period: %v", keys)
	}
	if r, _ := l.Allow(ctx, "short", 2, 300*time.Millisecond); !r.Allowed || r.Remaining != 1 {
		t.Fatalf("after expiry: %+v, want a fresh budget", r)
	}
}

// With Redis unreachable the limiter keeps answering from its per-process
// fallback, quickly, and says so in the log.
func TestRedisDownFallsBackAndWarns(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	client, err := ratelimit.OpenRedis("redis://" + addr + "/0")
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	var logs syncBuffer
	l := ratelimit.NewRedis(client, "x:", ratelimit.NewMemory(0), slog.New(slog.NewTextHandler(&logs, nil)))
	start := time.Now()
	for i := range 5 {
		r, err := l.Allow(context.Background(), "k", 3, time.Minute)
		if err != nil {
			t.Fatalf("request %d: error %v; the fallback should answer", i+1, err)
		}
		if r.Allowed != (i < 3) {
			t.Fatalf("request %d: allowed=%v; the fallback should still limit", i+1, r.Allowed)
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("five requests took %v with Redis down; the backoff should skip it", d)
	}
	if n := strings.Count(logs.String(), "Redis unreachable"); n != 1 {
		t.Errorf("%d warnings, want exactly one:\n%s", n, logs.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
