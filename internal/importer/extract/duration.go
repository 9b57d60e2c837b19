package extract

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// textDuration matches a duration written out: "1 hour 30 minutes",
// "1 hr 20 mins", "45 min", "2h15".
var textDuration = regexp.MustCompile(`(?i)(\d+(?:[.,]\d+)?)\s*(d|days?|h|hrs?|hours?|stunden?|heures?|m|mins?|minutes?|minuten?|s|secs?|seconds?)\b`)

// maxMinutes bounds a duration (a year): anything longer is a typo.
const maxMinutes = 525600

// parseMinutes reads a duration as minutes: ISO 8601 ("PT1H30M",
// "P0DT1H", "PT0.5H", and the broken forms plugins print, "PTH25M"), a
// plain number (of minutes), or text like "1 hour 30 minutes". Unreadable
// or negative input is nil.
func parseMinutes(s string) *int {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 100 {
		return nil
	}
	var minutes float64
	var ok bool
	switch {
	case s[0] == 'P' || s[0] == 'p':
		minutes, ok = isoMinutes(s[1:])
	default:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			minutes, ok = f, true
		} else {
			minutes, ok = textMinutes(s)
		}
	}
	if !ok || math.IsNaN(minutes) || minutes < 0 || minutes > maxMinutes {
		return nil
	}
	n := int(math.Round(minutes))
	return &n
}

// isoMinutes reads the part of an ISO 8601 duration after the "P". A
// unit letter without a number ("PTH25M") counts as nothing rather than
// spoiling the rest; a sign or any other character makes it unreadable.
func isoMinutes(s string) (float64, bool) {
	var total float64
	timePart, any := false, false
	num := ""
	for _, c := range strings.ToUpper(s) {
		switch {
		case c == ' ':
			// "PT32 M": a space typed between a number and its unit.
			continue
		case c >= '0' && c <= '9' || c == '.' || c == ',':
			num += string(c)
			continue
		case c == 'T':
			timePart = true
			num = ""
			continue
		}
		unit := 0.0
		switch c {
		case 'Y':
			unit = 525600
		case 'W':
			unit = 10080
		case 'D':
			unit = 1440
		case 'H':
			unit = 60
		case 'M':
			unit = 1
			if !timePart {
				unit = 43200 // months
			}
		case 'S':
			unit = 1.0 / 60
		default:
			return 0, false
		}
		if num != "" {
			f, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", "."), 64)
			if err != nil {
				return 0, false
			}
			total += f * unit
			any = true
		}
		num = ""
	}
	return total, any && num == ""
}

// textMinutes reads "1 hour 30 minutes" and the like.
func textMinutes(s string) (float64, bool) {
	ms := textDuration.FindAllStringSubmatch(s, 6)
	if ms == nil {
		return 0, false
	}
	var minutes float64
	for _, m := range ms {
		f, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", "."), 64)
		if err != nil {
			return 0, false
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
	return minutes, true
}
