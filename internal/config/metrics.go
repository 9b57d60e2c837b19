package config

import "strings"

// MetricsOff is the RECC_METRICS_ADDR value that disables the metrics
// listener; Config.MetricsAddr is then "".
const MetricsOff = "off"

// metricsAddr reads RECC_METRICS_ADDR: a host:port, or "off" for no
// metrics listener (a Config with an empty MetricsAddr has none either).
func (l *loader) metricsAddr() string {
	if strings.EqualFold(strings.TrimSpace(l.getenv(varMetricsAddr)), MetricsOff) {
		return ""
	}
	return l.addr(varMetricsAddr, defMetricsAddr)
}

func metricsAddrText(addr string) string {
	if addr == "" {
		return MetricsOff
	}
	return addr
}

// MetricsEnabled reports whether the internal /metrics listener runs.
func (c *Config) MetricsEnabled() bool {
	return c.MetricsAddr != "" && !strings.EqualFold(c.MetricsAddr, MetricsOff)
}
