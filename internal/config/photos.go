package config

import (
	"strconv"
	"strings"
)

const (
	varMediaBaseURL = "RECC_MEDIA_BASE_URL"
	varMediaQuota   = "RECC_MEDIA_QUOTA"
	defMediaQuota   = "1GiB"
)

// byteUnits are the suffixes RECC_MEDIA_QUOTA takes, longest first.
var byteUnits = []struct {
	suffix string
	factor int64
}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}

// photos reads the settings of stored photos: the CDN in front of
// /media/ and each user's storage allowance.
func (l *loader) photos(c *Config) {
	c.MediaBaseURL = strings.TrimRight(l.optionalURL(varMediaBaseURL, "https", "http"), "/")
	raw := l.str(varMediaQuota, defMediaQuota)
	q, ok := parseBytes(raw)
	if !ok {
		l.fail(varMediaQuota, "invalid size %q; use a number of bytes with a unit such as 500MiB or 2GiB, or 0 for no limit", raw)
		return
	}
	c.MediaQuota = q
}

// parseBytes reads "1GiB", "500 MB", "1048576"; ok is false for anything
// else, a negative size or one that overflows.
func parseBytes(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	factor := int64(1)
	for _, u := range byteUnits {
		if n, found := strings.CutSuffix(s, u.suffix); found {
			s, factor = strings.TrimSpace(n), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/factor {
		return 0, false
	}
	return n * factor, true
}

// quotaText shows a quota as it is configured best: in whole GiB or MiB
// where it divides.
func quotaText(q int64) string {
	switch {
	case q == 0:
		return "0"
	case q%(1<<30) == 0:
		return strconv.FormatInt(q>>30, 10) + "GiB"
	case q%(1<<20) == 0:
		return strconv.FormatInt(q>>20, 10) + "MiB"
	}
	return strconv.FormatInt(q, 10)
}
