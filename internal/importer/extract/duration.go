package extract

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// isoDuration matches an ISO 8601 duration as recipe pages write it:
// "PT1H30M", "P0DT1H", "PT90M", "PT0.5H", "P1DT2H", "PT45S".
var isoDuration = regexp.MustCompile(`(?i)^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$`)

// textDuration matches a duration written out: "1 hour 30 minutes",
// "1 hr 20 mins", "45 min", "2h15".
var textDuration = regexp.MustCompile(`(?i)(\d+(?:[.,]\d+)?)\s*(d|days?|h|hrs?|hours?|stunden?|heures?|m|mins?|minutes?|minuten?|s|secs?|seconds?)\b`)

// maxMinutes bounds a duration (a year): anything longer is a typo.
const maxMinutes = 525600

// parseDuration reads a duration as minutes: ISO 8601, a plain number (of
// minutes), or text like "1 hour 30 minutes". Unreadable input is nil.
func parseDuration(s string) *int {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 100 {
		return nil
	}
	var minutes float64
	if m := isoDuration.FindStringSubmatch(s); m != nil && len(s) > 1 {
		units := []float64{525600, 43200, 10080, 1440, 60, 1, 1.0 / 60}
		any := false
		for i, u := range units {
			if m[i+1] == "" {
				continue
			}
			f, err := strconv.ParseFloat(strings.ReplaceAll(m[i+1], ",", "."), 64)
			if err != nil {
				return nil
			}
			minutes += f * u
			any = true
		}
		if !any {
			return nil
		}
	} else if f, err := strconv.ParseFloat(s, 64); err == nil {
		minutes = f
	} else if ms := textDuration.FindAllStringSubmatch(s, 6); ms != nil {
		for _, m := range ms {
			f, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", "."), 64)
			if err != nil {
				return nil
			}
			switch u := strings.ToLower(m[2]); {
			case strings.HasPrefix(u, "d"):
				minutes += f * 1440
			case strings.HasPrefix(u, "h") || strings.HasPrefix(u, "st"):
				minutes += f * 60
			case strings.HasPrefix(u, "s"):
				minutes += f / 60
			default:
				minutes += f
			}
		}
	} else {
		return nil
	}
	if math.IsNaN(minutes) || minutes < 0 || minutes > maxMinutes {
		return nil
	}
	n := int(math.Round(minutes))
	return &n
}
