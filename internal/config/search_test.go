package config

import (
	"strings"
	"testing"
	"time"
)

func TestSearchTimeout(t *testing.T) {
	dir := t.TempDir()
	c, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": dir}), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.SearchTimeout != 2*time.Second {
		t.Errorf("default SearchTimeout %s, want 2s", c.SearchTimeout)
	}
	c, err = Load(getenvFrom(map[string]string{"RECC_DATA_DIR": dir, "RECC_SEARCH_TIMEOUT": "750ms"}), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.SearchTimeout != 750*time.Millisecond || c.Redacted()["RECC_SEARCH_TIMEOUT"] != "750ms" {
		t.Errorf("set: %s, redacted %q", c.SearchTimeout, c.Redacted()["RECC_SEARCH_TIMEOUT"])
	}
	for _, v := range []string{"0", "50ms", "2m", "soon"} {
		_, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": dir, "RECC_SEARCH_TIMEOUT": v}), fakeFiles(nil))
		if err == nil || !strings.Contains(err.Error(), "RECC_SEARCH_TIMEOUT") {
			t.Errorf("RECC_SEARCH_TIMEOUT=%q: error %v, want one naming the variable", v, err)
		}
	}
}
