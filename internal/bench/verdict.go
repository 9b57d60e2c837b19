package bench

import (
	"fmt"
	"slices"
	"time"
)

// SoakSample is what the soak saw of the server at one moment under load.
// Requests, Errors and Shed are totals since the load started.
type SoakSample struct {
	Elapsed    time.Duration
	Requests   uint64
	Errors     uint64 // answers that were neither the expected one nor shed load
	Shed       uint64 // 429, or 503 with Retry-After: the server saying "later"
	RSS        int64  // bytes, VmRSS
	HeapInUse  int64  // bytes, go_memstats_heap_inuse_bytes
	Goroutines int    // go_goroutines
	DBOpen     int    // go_sql_open_connections of the primary pool, -1 when not exposed
	CPU        time.Duration
}

// SoakRule is what "stable" means. The rule splits the samples into
// thirds by count: the first third is the warm-up (caches fill, the
// connection pool grows, the garbage collector finds its pace), the second
// is the warmed-up level, the last is judged against it. A leak grows the whole
// time, so it shows as a last third above the second; comparing with the
// first would flag the warm-up itself.
//
// Memory under load is a saw: the heap climbs to twice what is live before
// each collection, one sign-in holds 19 MB of argon2 memory for a moment,
// and RSS follows as the runtime returns pages. What a leak adds never
// leaves, so it lifts the bottom of the saw: the rule compares the lowest
// reading of each third, which the transient allocations are absent from.
// Goroutines jump with in-flight requests and background jobs, so the
// rule takes each third's median, and adds the sharpest test of all: once
// the load has stopped and its connections are closed, the count must be
// back near where it was before the load.
//
// No timing is judged: latency and throughput depend on the machine and
// its other work; growth does not.
type SoakRule struct {
	// MinSamples below which a run is too short to judge.
	MinSamples int
	// GoroutineSlack and GoroutineShare bound the last third's median
	// goroutines above the warmed-up level, the second third's median:
	// whichever of the absolute slack and the share of that level is
	// larger. A fixed number
	// of clients keeps a fixed number of connections and requests in
	// flight, so a count that keeps rising is a leak.
	GoroutineSlack int
	GoroutineShare float64
	// IdleSlack bounds the goroutines once the load has stopped and its
	// connections are closed, above the count before the load began.
	IdleSlack int
	// MemoryGrowth is the share by which the last third's lowest RSS or
	// heap in use may exceed the second third's; MemoryFloor is the least
	// growth allowed in bytes, so that a small heap's jitter (a sample
	// that just missed the bottom of the saw) is not a trend.
	MemoryGrowth float64
	MemoryFloor  int64
	// MaxShedShare is the share of requests that may be shed (429, or 503
	// with Retry-After, as a search over its time budget is answered)
	// before the run counts as unstable: shedding is the server's honest
	// answer to overload, which says more about the machine's spare CPU
	// than about the server's stability, but a server that sheds a tenth
	// of its traffic is not serving.
	MaxShedShare float64
}

// DefaultSoakRule is the rule `make soak` judges by.
var DefaultSoakRule = SoakRule{
	MinSamples:     9,
	GoroutineSlack: 20,
	GoroutineShare: 0.2,
	IdleSlack:      10,
	MemoryGrowth:   0.10,
	MemoryFloor:    16 << 20,
	MaxShedShare:   0.10,
}

// SoakVerdict is the judgement of one soak.
type SoakVerdict struct {
	Stable  bool
	Reasons []string // why not, one line each; empty when stable
	// Compared says what each check compared, one line each, so that a
	// stable run still shows how close it came.
	Compared []string
}

// JudgeSoak applies the rule to the samples taken under load and to the
// goroutine counts of the idle server before the load and after it
// (negative when unknown: not judged).
func JudgeSoak(samples []SoakSample, idleBefore, idleAfter int, rule SoakRule) SoakVerdict {
	var v SoakVerdict
	fail := func(format string, args ...any) { v.Reasons = append(v.Reasons, fmt.Sprintf(format, args...)) }
	if len(samples) < rule.MinSamples {
		fail("only %d samples under load, %d needed to judge", len(samples), rule.MinSamples)
		return v
	}
	last := samples[len(samples)-1]
	if last.Requests == 0 {
		fail("no request was answered")
	}
	if last.Errors > 0 {
		fail("%d unexpected answers or failed requests", last.Errors)
	}
	if last.Requests > 0 && float64(last.Shed) > rule.MaxShedShare*float64(last.Requests) {
		fail("%d of %d requests shed (429 or 503), more than %.0f%%", last.Shed, last.Requests, 100*rule.MaxShedShare)
	}

	// The first third, the warm-up, is judged by nothing but errors.
	third := len(samples) / 3
	second, final := samples[third:2*third], samples[2*third:]

	goroutines := func(s SoakSample) int64 { return int64(s.Goroutines) }
	warmLevel, endLevel := median(second, goroutines), median(final, goroutines)
	bound := warmLevel + max(int64(rule.GoroutineSlack), int64(rule.GoroutineShare*float64(warmLevel)))
	v.Compared = append(v.Compared, fmt.Sprintf("goroutines median: second third %d, last third %d (at most %d)", warmLevel, endLevel, bound))
	if endLevel > bound {
		fail("goroutines rose: median %d in the last third, above %d (warmed-up median %d)", endLevel, bound, warmLevel)
	}
	if idleBefore >= 0 && idleAfter >= 0 {
		v.Compared = append(v.Compared, fmt.Sprintf("idle goroutines: before the load %d, after it %d (at most %d)", idleBefore, idleAfter, idleBefore+rule.IdleSlack))
	}
	if idleBefore >= 0 && idleAfter >= 0 && idleAfter > idleBefore+rule.IdleSlack {
		fail("%d goroutines once the load stopped, %d before it began (slack %d)", idleAfter, idleBefore, rule.IdleSlack)
	}

	for _, m := range []struct {
		name string
		of   func(SoakSample) int64
	}{
		{"RSS", func(s SoakSample) int64 { return s.RSS }},
		{"heap in use", func(s SoakSample) int64 { return s.HeapInUse }},
	} {
		ref, got := lowest(second, m.of), lowest(final, m.of)
		allowed := max(int64(rule.MemoryGrowth*float64(ref)), rule.MemoryFloor)
		v.Compared = append(v.Compared, fmt.Sprintf("%s lowest: second third %.1f MB, last third %.1f MB (at most %.1f MB)",
			m.name, mb(ref), mb(got), mb(ref+allowed)))
		if got > ref+allowed {
			fail("%s grew: lowest %.1f MB in the last third against %.1f MB in the second (allowed +%.1f MB)",
				m.name, mb(got), mb(ref), mb(allowed))
		}
	}
	v.Stable = len(v.Reasons) == 0
	return v
}

func median(samples []SoakSample, of func(SoakSample) int64) int64 {
	vals := make([]int64, len(samples))
	for i, s := range samples {
		vals[i] = of(s)
	}
	slices.Sort(vals)
	n := len(vals)
	if n%2 == 1 {
		return vals[n/2]
	}
	return (vals[n/2-1] + vals[n/2]) / 2
}

func lowest(samples []SoakSample, of func(SoakSample) int64) int64 {
	low := of(samples[0])
	for _, s := range samples[1:] {
		low = min(low, of(s))
	}
	return low
}

func mb(bytes int64) float64 { return float64(bytes) / (1 << 20) }
