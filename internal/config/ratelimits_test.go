package config

import (
	"errors"
	"testing"
)

func TestRateLimitsSetting(t *testing.T) {
	for raw, want := range map[string]bool{"": true, "on": true, "ON": true, "off": false} {
		c, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_RATE_LIMITS": raw}), fakeFiles(nil))
		if err != nil || c.RateLimits != want {
			t.Errorf("RECC_RATE_LIMITS=%q: RateLimits = %v, %v; want %v", raw, c != nil && c.RateLimits, err, want)
		}
		if err == nil && c.Redacted()["RECC_RATE_LIMITS"] != map[bool]string{true: "on", false: "off"}[want] {
			t.Errorf("RECC_RATE_LIMITS=%q: Redacted = %q", raw, c.Redacted()["RECC_RATE_LIMITS"])
		}
	}
	_, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_RATE_LIMITS": "maybe"}), fakeFiles(nil))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Var != "RECC_RATE_LIMITS" {
		t.Errorf("RECC_RATE_LIMITS=maybe: %v, want a FieldError naming it", err)
	}
}

func TestRedisKeyPrefix(t *testing.T) {
	c, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir()}), fakeFiles(nil))
	if err != nil || c.RedisKeyPrefix != "recc:" {
		t.Fatalf("default prefix = %q, %v", c.RedisKeyPrefix, err)
	}
	c, err = Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_REDIS_KEY_PREFIX": "staging:recc:"}), fakeFiles(nil))
	if err != nil || c.RedisKeyPrefix != "staging:recc:" {
		t.Fatalf("prefix = %q, %v", c.RedisKeyPrefix, err)
	}
	_, err = Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_REDIS_KEY_PREFIX": "a b*"}), fakeFiles(nil))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Var != "RECC_REDIS_KEY_PREFIX" {
		t.Errorf("bad prefix: %v, want a FieldError naming it", err)
	}
}
