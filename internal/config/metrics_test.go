package config

import "testing"

func TestMetricsAddr(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    string
		enabled bool
	}{
		{"", "127.0.0.1:9090", true},
		{"off", "", false},
		{" OFF ", "", false},
		{"0.0.0.0:9100", "0.0.0.0:9100", true},
		{"127.0.0.1:0", "127.0.0.1:0", true},
	} {
		c, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_METRICS_ADDR": tc.value}), fakeFiles(nil))
		if err != nil {
			t.Fatalf("RECC_METRICS_ADDR=%q: %v", tc.value, err)
		}
		if c.MetricsAddr != tc.want || c.MetricsEnabled() != tc.enabled {
			t.Errorf("RECC_METRICS_ADDR=%q: MetricsAddr %q enabled %v, want %q %v", tc.value, c.MetricsAddr, c.MetricsEnabled(), tc.want, tc.enabled)
		}
		if got := c.Redacted()["RECC_METRICS_ADDR"]; tc.want == "" && got != "off" {
			t.Errorf("RECC_METRICS_ADDR=%q: redacted as %q, want off", tc.value, got)
		}
	}
	if _, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_METRICS_ADDR": "nope"}), fakeFiles(nil)); err == nil {
		t.Error(`RECC_METRICS_ADDR="nope" accepted`)
	}
	if (&Config{}).MetricsEnabled() {
		t.Error("a Config without MetricsAddr has metrics enabled")
	}
}
