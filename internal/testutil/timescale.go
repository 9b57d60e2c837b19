package testutil

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"sync"
	"time"
)

// Tests that wait on something outside the Go process — a browser, a
// child process, a server's answer — wait with deadlines that say when to
// give up, never how fast things must be. On a busy machine, or with the
// race detector (several times slower), the same work takes longer, so
// every such deadline is multiplied by one factor:
//
//	RECC_TEST_TIMEOUT_SCALE  a positive number; default 1, or 3 in a -race build
//
// Raise it on a loaded or slow machine rather than editing deadlines.
const TimeoutScaleVar = "RECC_TEST_TIMEOUT_SCALE"

// defaultRaceScale is the factor under -race when the variable is unset.
const defaultRaceScale = 3

var (
	scaleOnce sync.Once
	scale     float64
	scaleErr  error
)

// TimeoutScale is the factor Scaled applies, from RECC_TEST_TIMEOUT_SCALE
// or the default for this build.
func TimeoutScale() (float64, error) {
	scaleOnce.Do(func() { scale, scaleErr = parseTimeoutScale(os.Getenv(TimeoutScaleVar), RaceEnabled) })
	return scale, scaleErr
}

func parseTimeoutScale(v string, race bool) (float64, error) {
	if v == "" {
		if race {
			return defaultRaceScale, nil
		}
		return 1, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("%s=%q: want a positive number such as 2 or 1.5", TimeoutScaleVar, v)
	}
	return f, nil
}

// Scaled is d multiplied by the timeout scale. An invalid
// RECC_TEST_TIMEOUT_SCALE panics: a test run with a setting it cannot
// honour should stop at once, not wait with the wrong deadlines.
func Scaled(d time.Duration) time.Duration {
	f, err := TimeoutScale()
	if err != nil {
		panic(err)
	}
	return time.Duration(float64(d) * f)
}
