package testutil

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const defaultRedisURL = "redis://127.0.0.1:6379/0"

// Redis returns the test Redis (RECC_TEST_REDIS_URL, default the local
// one) and a key prefix of its own for this test: every key under it is
// deleted when the test ends, so tests leave nothing behind and never see
// each other's keys. Without a reachable Redis the test is skipped, or
// fails when RECC_TEST_REQUIRE_REDIS=1 (CI).
func Redis(t testing.TB) (url, prefix string, client *redis.Client) {
	t.Helper()
	url = os.Getenv("RECC_TEST_REDIS_URL")
	if url == "" {
		url = defaultRedisURL
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("RECC_TEST_REDIS_URL: %v", err)
	}
	client = redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		if os.Getenv("RECC_TEST_REQUIRE_REDIS") == "1" {
			t.Fatalf("Redis is required (RECC_TEST_REQUIRE_REDIS=1) but unreachable at %s: %v", url, err)
		}
		t.Skipf("Redis unreachable at %s, skipping (set RECC_TEST_REDIS_URL): %v", url, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix = "recc-test-" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		defer client.Close()
		ctx := context.Background()
		for _, k := range RedisKeys(t, client, prefix) {
			client.Del(ctx, k)
		}
		if left := RedisKeys(t, client, prefix); len(left) > 0 {
			t.Errorf("keys left behind in Redis: %v", left)
		}
	})
	return url, prefix, client
}

// RedisKeys lists the keys under prefix.
func RedisKeys(t testing.TB, client *redis.Client, prefix string) []string {
	t.Helper()
	var keys []string
	iter := client.Scan(context.Background(), 0, prefix+"*", 100).Iterator()
	for iter.Next(context.Background()) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Errorf("scan Redis keys: %v", err)
	}
	return keys
}
