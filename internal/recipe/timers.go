package recipe

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Timer is a duration written in a step ("simmer 8–10 minutes"), which
// cook mode offers to time.
type Timer struct {
	// Start and End are the byte offsets of the duration in the step.
	Start, End int
	// Seconds is the time to set: for a range, its lower end, so that
	// the cook checks at the earliest moment the step could be done and
	// can start another timer for the rest. MaxSeconds is the upper end
	// of a range, else 0.
	Seconds, MaxSeconds int
	// Label is what is being timed, the cooking verb nearest before the
	// duration in its clause ("simmer"), or "" when there is none.
	Label string
}

// MaxTimerSeconds bounds a timer: a longer "duration" (a typo, "100
// hours") is left as text.
const MaxTimerSeconds = 72 * 3600

const (
	timerNumber = `(\d+(?:\.\d+)?(?:\s?½)?|½)`
	timerUnit   = `(hours?|hrs?|h|minutes?|mins?|seconds?|secs?)`
)

// timerPattern finds "25 min", "8–10 minutes", "8 to 10 minutes". The
// leading group keeps a number that is part of something else ("v2.10")
// out; the unit must end the word ("10 mint" is no duration). RE2 runs in
// linear time, so a step of any length costs no more than reading it.
var timerPattern = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}.,/])` + timerNumber +
	`(?:\s*(?:-|–|—|to)\s*` + timerNumber + `)?\s*` + timerUnit + `\b`)

// timerRest is the rest of "1 hr 30 mins", "1 hour and 30 minutes".
var timerRest = regexp.MustCompile(`(?i)^,?\s*(?:and\s+)?` + timerNumber + `\s*` + timerUnit + `\b`)

// FindTimers returns the durations written in a step, in order.
func FindTimers(step string) []Timer {
	var out []Timer
	next := 0
	for _, m := range timerPattern.FindAllStringSubmatchIndex(step, -1) {
		if m[2] < next {
			continue // the rest of the duration before
		}
		group := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return step[m[2*i]:m[2*i+1]]
		}
		unit := unitSeconds(group(3))
		t := Timer{Start: m[2], End: m[1], Seconds: seconds(group(1), unit)}
		if group(2) != "" {
			t.MaxSeconds = seconds(group(2), unit)
		}
		// The rest counts only in a smaller unit, and not after a range
		// ("1–2 hours 30 minutes" is ambiguous).
		if r := timerRest.FindStringSubmatch(step[t.End:]); r != nil && t.MaxSeconds == 0 {
			if u := unitSeconds(r[2]); u < unit {
				t.Seconds += seconds(r[1], u)
				t.End += len(r[0])
			}
		}
		next = t.End
		if t.MaxSeconds <= t.Seconds {
			t.MaxSeconds = 0
		}
		if t.Seconds <= 0 || t.Seconds > MaxTimerSeconds || t.MaxSeconds > MaxTimerSeconds {
			continue
		}
		t.Label = timerLabel(step[:t.Start])
		out = append(out, t)
	}
	return out
}

func unitSeconds(u string) int {
	switch u = strings.ToLower(u); {
	case u == "":
		return 0
	case u[0] == 'h':
		return 3600
	case u[0] == 'm':
		return 60
	}
	return 1
}

// seconds is a written number of units in whole seconds; 0 when it
// cannot be read.
func seconds(num string, unit int) int {
	num = strings.ReplaceAll(num, " ", "")
	half := strings.HasSuffix(num, "½")
	num = strings.TrimSuffix(num, "½")
	var n float64
	if num != "" {
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return 0
		}
		n = v
	}
	if half {
		n += 0.5
	}
	return int(n*float64(unit) + 0.5)
}

// timerVerbs are what a step times.
var timerVerbs = map[string]bool{
	"bake": true, "beat": true, "blanch": true, "blend": true, "boil": true, "braise": true,
	"broil": true, "brown": true, "caramelise": true, "caramelize": true, "chill": true,
	"cook": true, "cool": true, "cure": true, "drain": true, "dry": true, "freeze": true,
	"fry": true, "grill": true, "heat": true, "infuse": true, "knead": true, "leave": true,
	"marinate": true, "melt": true, "microwave": true, "mix": true, "poach": true,
	"process": true, "proof": true, "prove": true, "reduce": true, "refrigerate": true,
	"rest": true, "rise": true, "roast": true, "sauté": true, "saute": true, "sear": true,
	"set": true, "simmer": true, "sit": true, "smoke": true, "soak": true, "soften": true, "stand": true,
	"steam": true, "steep": true, "stir": true, "stir-fry": true, "toast": true,
	"wait": true, "warm": true, "whisk": true,
}

// timerLabel names what the text before a duration times: the last
// cooking verb of its clause, else the clause's first word.
func timerLabel(before string) string {
	clause := before
	if i := strings.LastIndexAny(before, ".;:!?,\n"); i >= 0 {
		clause = before[i+1:]
	}
	words := strings.FieldsFunc(strings.ToLower(clause), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '-'
	})
	for i := len(words) - 1; i >= 0; i-- {
		if timerVerbs[words[i]] {
			return words[i]
		}
	}
	for _, w := range words {
		if w != "for" && w != "about" && w != "then" && w != "and" {
			return w
		}
	}
	return ""
}
