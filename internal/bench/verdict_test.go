package bench

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// steady is n samples of a server holding level under load: memory a saw
// (the heap between 40 and 100 MB, RSS following), goroutines around 70
// with a burst now and then, requests rising.
func steady(n int) []SoakSample {
	out := make([]SoakSample, n)
	for i := range out {
		saw := int64(i%5) * 15 << 20
		g := 70 + i%3
		if i%7 == 3 {
			g += 50 // a burst of background jobs
		}
		out[i] = SoakSample{Elapsed: time.Duration(i+1) * 10 * time.Second, Requests: uint64(1000 * (i + 1)),
			RSS: 120<<20 + saw, HeapInUse: 40<<20 + saw, Goroutines: g, DBOpen: 8}
	}
	return out
}

func TestJudgeSoak(t *testing.T) {
	rule := DefaultSoakRule
	for _, tc := range []struct {
		name        string
		change      func([]SoakSample)
		idleAfter   int
		want        bool
		wantMention string
	}{
		{name: "steady", want: true},
		{name: "warm-up growth only", want: true, change: func(s []SoakSample) {
			// The first third climbs from a cold start; later thirds are level.
			for i := range len(s) / 3 {
				s[i].RSS -= int64(len(s)/3-i) * 10 << 20
				s[i].Goroutines -= 30
			}
		}},
		{name: "RSS leak", wantMention: "RSS grew", change: func(s []SoakSample) {
			for i := range s {
				s[i].RSS += int64(i) * 2 << 20 // 2 MB more every sample
			}
		}},
		{name: "heap leak", wantMention: "heap in use grew", change: func(s []SoakSample) {
			for i := range s {
				s[i].HeapInUse += int64(i) * 1 << 20
			}
		}},
		{name: "goroutine leak", wantMention: "goroutines rose", change: func(s []SoakSample) {
			for i := range s {
				s[i].Goroutines += 2 * i
			}
		}},
		{name: "goroutines left after the load", idleAfter: 90, wantMention: "once the load stopped"},
		{name: "an unexpected answer", wantMention: "unexpected answers", change: func(s []SoakSample) {
			s[len(s)-1].Errors = 1
		}},
		{name: "a little shed load", want: true, change: func(s []SoakSample) {
			s[len(s)-1].Shed = s[len(s)-1].Requests / 50
		}},
		{name: "much shed load", wantMention: "shed", change: func(s []SoakSample) {
			s[len(s)-1].Shed = s[len(s)-1].Requests / 5
		}},
		{name: "no answer", wantMention: "no request", change: func(s []SoakSample) {
			for i := range s {
				s[i].Requests = 0
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			samples := steady(60)
			if tc.change != nil {
				tc.change(samples)
			}
			idleAfter := 62
			if tc.idleAfter != 0 {
				idleAfter = tc.idleAfter
			}
			v := JudgeSoak(samples, 60, idleAfter, rule)
			if v.Stable != tc.want || v.Stable != (len(v.Reasons) == 0) {
				t.Fatalf("stable = %v, reasons %q; want stable = %v", v.Stable, v.Reasons, tc.want)
			}
			if tc.wantMention != "" && !strings.Contains(strings.Join(v.Reasons, "\n"), tc.wantMention) {
				t.Errorf("reasons %q do not mention %q", v.Reasons, tc.wantMention)
			}
		})
	}
}

func TestJudgeSoakNeedsSamples(t *testing.T) {
	v := JudgeSoak(steady(DefaultSoakRule.MinSamples-1), 60, 60, DefaultSoakRule)
	if v.Stable || len(v.Reasons) != 1 || !strings.Contains(v.Reasons[0], "samples") {
		t.Errorf("too short a run judged %+v", v)
	}
	if v := JudgeSoak(steady(DefaultSoakRule.MinSamples), 60, 60, DefaultSoakRule); !v.Stable {
		t.Errorf("shortest judged run: %+v", v)
	}
	// Unknown idle counts are not judged.
	if v := JudgeSoak(steady(30), -1, -1, DefaultSoakRule); !v.Stable || len(v.Compared) != 3 {
		t.Errorf("without idle counts: %+v", v)
	}
	// A stable run still says what it compared: goroutines, idle
	// goroutines, RSS and heap.
	if v := JudgeSoak(steady(30), 60, 60, DefaultSoakRule); len(v.Compared) != 4 {
		t.Errorf("compared %q; want four checks", v.Compared)
	}
}

func TestParseSeries(t *testing.T) {
	text := `# HELP go_goroutines Number of goroutines.
# TYPE go_goroutines gauge
go_goroutines 73
go_goroutines_extra 9
go_memstats_heap_inuse_bytes 1.1649024e+07
go_sql_open_connections{db_name="primary"} 4
go_sql_open_connections{db_name="replica one"} 2
`
	got, err := parseSeries(strings.NewReader(text), seriesGoroutines, seriesHeapInUse, seriesDBOpen, `go_sql_open_connections{db_name="replica one"}`, "absent")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{seriesGoroutines: 73, seriesHeapInUse: 11649024, seriesDBOpen: 4,
		`go_sql_open_connections{db_name="replica one"}`: 2}
	if len(got) != len(want) {
		t.Errorf("parseSeries = %v; want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v; want %v", k, got[k], v)
		}
	}
	if _, err := parseSeries(strings.NewReader("go_goroutines many\n"), seriesGoroutines); err == nil {
		t.Error("a value that is no number was accepted")
	}
}

func TestMixWeights(t *testing.T) {
	if total := mixTotalWeight(); total != 1000 {
		t.Errorf("weights add up to %d; they are read as per mille", total)
	}
	// Every operation is drawn, in proportion to its weight.
	seen := map[string]int{}
	for r := range mixTotalWeight() {
		seen[pickOp(r)]++
	}
	for _, w := range mixWeights {
		if seen[w.op] != w.weight {
			t.Errorf("%s drawn %d times in 1000; weight %d", w.op, seen[w.op], w.weight)
		}
	}
}

func TestMixStatsClassifiesAnswers(t *testing.T) {
	s := newMixStats()
	retry := http.Header{"Retry-After": {"1"}}
	s.record(OpHome, "GET", "/", 200, 200, nil, nil, nil)
	s.record(OpCreate, "POST", "/api/v1/recipes", 201, 201, nil, nil, nil)
	s.record(OpCreate, "POST", "/api/v1/recipes", 201, 503, retry, []byte("busy"), nil) // shed
	s.record(OpHome, "GET", "/", 200, 429, nil, nil, nil)                               // shed
	s.record(OpHome, "GET", "/", 200, 503, nil, nil, nil)                               // no Retry-After: an error
	s.record(OpHome, "GET", "/", 200, 500, nil, []byte("oops"), nil)
	s.record(OpAPIGet, "GET", "/api/v1/recipes/x", 200, 0, nil, nil, errors.New("connection reset"))
	requests, errs, shed := s.Totals()
	if requests != 7 || errs != 3 || shed != 2 {
		t.Errorf("totals %d requests, %d errors, %d shed; want 7, 3, 2", requests, errs, shed)
	}
	if got := s.FirstErrors(); len(got) != 3 || !strings.Contains(got[1], "500 oops") || !strings.Contains(got[2], "connection reset") {
		t.Errorf("first errors %q", got)
	}
	if got := s.FirstShed(); len(got) != 2 {
		t.Errorf("first shed %q", got)
	}
	byOp := s.ByOp()
	if len(byOp) != 3 || byOp[0].Op != OpHome || byOp[0].Requests != 4 || byOp[0].Errors != 2 || byOp[0].Shed != 1 {
		t.Errorf("by operation %+v", byOp)
	}
}
