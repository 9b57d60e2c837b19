package config

import (
	"strings"
	"testing"
	"time"
)

func TestCacheSMaxAge(t *testing.T) {
	dir := t.TempDir()
	load := func(v string) (*Config, error) {
		env := map[string]string{"RECC_DATA_DIR": dir}
		if v != "" {
			env["RECC_CACHE_SMAXAGE"] = v
		}
		return Load(getenvFrom(env), fakeFiles(nil))
	}
	for v, want := range map[string]time.Duration{"": time.Minute, "2": 2 * time.Second, "90s": 90 * time.Second, "0": 0, "1h": time.Hour} {
		c, err := load(v)
		if err != nil {
			t.Fatalf("RECC_CACHE_SMAXAGE=%q: %v", v, err)
		}
		if c.CacheSMaxAge != want || c.Redacted()["RECC_CACHE_SMAXAGE"] != want.String() {
			t.Errorf("RECC_CACHE_SMAXAGE=%q: %s (redacted %q), want %s", v, c.CacheSMaxAge, c.Redacted()["RECC_CACHE_SMAXAGE"], want)
		}
	}
	for _, v := range []string{"-1", "1500ms", "2h", "soon"} {
		if _, err := load(v); err == nil || !strings.Contains(err.Error(), "RECC_CACHE_SMAXAGE") {
			t.Errorf("RECC_CACHE_SMAXAGE=%q: error %v, want one naming the variable", v, err)
		}
	}
}
