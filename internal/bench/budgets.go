package bench

import (
	"fmt"
	"time"
)

// Route names, as the results table shows them.
const (
	RouteHome   = "home"
	RouteBrowse = "HTML browse"
	RouteRecipe = "HTML recipe"
	// The same pages for a signed-in reader: drawn every time, where a
	// visitor's are kept once drawn (ui/pagememo.go).
	RouteBrowseSignedIn = "HTML browse, signed in"
	RouteRecipeSignedIn = "HTML recipe, signed in"
	RouteCook           = "HTML cook mode"
	RouteHTMLSearch     = "HTML search chicken"
	RouteAPIList        = "API list"
	RouteAPIGet         = "API get"
	RouteAPISearch      = "API search chicken"
	RouteAPITypo        = "API search chiken"
	RouteAPIPhrase      = "API search spicy chicken tacos"
	RouteAPICreate      = "API create"
	budgetEngine        = "postgres"
	budgetScale         = 100_000
	largeScale          = 1_000_000
	loadConnections     = 32
	singleConnection    = 1
)

// RouteResult is what one route did at one concurrency.
type RouteResult struct {
	Route    string
	Conns    int
	Requests uint64
	Errors   uint64        // answers with an unexpected status, or none
	Rate     float64       // successful requests per second
	P50      time.Duration // latency percentiles, as the client saw them
	P95      time.Duration
	P99      time.Duration
	CPU      time.Duration // server CPU time (user+system) per request
	DB       time.Duration // database time per request
	Queries  float64       // statements per request
	RSS      int64         // server resident memory after the run, bytes
}

// Run is one engine's benchmark.
type Run struct {
	Engine       string // "postgres" or "sqlite"
	Recipes      int
	SeedTime     time.Duration
	StartToReady time.Duration
	IdleRSS      int64
	Routes       []RouteResult
}

// SeedRate is recipes written per second.
func (r *Run) SeedRate() float64 {
	if r.SeedTime <= 0 {
		return 0
	}
	return float64(r.Recipes) / r.SeedTime.Seconds()
}

// Result finds a route's result at conns connections.
func (r *Run) Result(route string, conns int) (RouteResult, bool) {
	for _, rr := range r.Routes {
		if rr.Route == route && rr.Conns == conns {
			return rr, true
		}
	}
	return RouteResult{}, false
}

// Budget is one line of the performance budget: a measured value that must
// stay at or below Max. Budgets are set for Engine at Scale recipes on the
// reference machine (2 cores); elsewhere a verdict is only indicative.
type Budget struct {
	Name    string
	Max     float64
	Unit    string // "ms", "×", "MB", "s", "min"
	Scale   int
	measure func(r *Run) (float64, bool)
}

// Verdict is a budget judged against a run.
type Verdict struct {
	Budget
	Value      float64
	Measured   bool // false when the run lacks the routes the budget needs
	Pass       bool
	Indicative bool // the run's engine or scale is not the budget's
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// routeValue measures one figure of one route.
func routeValue(route string, conns int, f func(RouteResult) float64) func(*Run) (float64, bool) {
	return func(r *Run) (float64, bool) {
		rr, ok := r.Result(route, conns)
		if !ok || rr.Requests == 0 {
			return 0, false
		}
		return f(rr), true
	}
}

func cpuMS(rr RouteResult) float64 { return ms(rr.CPU) }
func p95MS(rr RouteResult) float64 { return ms(rr.P95) }
func p99MS(rr RouteResult) float64 { return ms(rr.P99) }

// costRatio is how many times a route's CPU plus database time per
// request is the base route's, both at one connection: under 32
// connections a statement's time includes its wait for the two cores,
// which would swamp the difference between two routes.
func costRatio(route, base string) func(*Run) (float64, bool) {
	return func(r *Run) (float64, bool) {
		a, ok1 := r.Result(route, singleConnection)
		b, ok2 := r.Result(base, singleConnection)
		if !ok1 || !ok2 || a.Requests == 0 || b.Requests == 0 || b.CPU+b.DB <= 0 {
			return 0, false
		}
		return float64(a.CPU+a.DB) / float64(b.CPU+b.DB), true
	}
}

// Budgets are the performance budgets, checked on PostgreSQL at 100 000
// recipes (search latency and seeding time at 1 000 000).
var Budgets = []Budget{
	{"API get: server CPU per request", 0.3, "ms", budgetScale, routeValue(RouteAPIGet, loadConnections, cpuMS)},
	{"API list: server CPU per request", 0.5, "ms", budgetScale, routeValue(RouteAPIList, loadConnections, cpuMS)},
	{"HTML recipe: server CPU per request", 0.8, "ms", budgetScale, routeValue(RouteRecipe, loadConnections, cpuMS)},
	{"HTML browse: server CPU per request", 0.8, "ms", budgetScale, routeValue(RouteBrowse, loadConnections, cpuMS)},
	{"API search chicken: CPU+DB vs API list", 2, "×", budgetScale, costRatio(RouteAPISearch, RouteAPIList)},
	{"API search chiken: CPU+DB vs API list", 2, "×", budgetScale, costRatio(RouteAPITypo, RouteAPIList)},
	{"API search spicy chicken tacos: CPU+DB vs API list", 2, "×", budgetScale, costRatio(RouteAPIPhrase, RouteAPIList)},
	{"HTML search: CPU+DB vs HTML browse", 2, "×", budgetScale, costRatio(RouteHTMLSearch, RouteBrowse)},
	{"API search chicken: p95, 1 client", 50, "ms", largeScale, routeValue(RouteAPISearch, singleConnection, p95MS)},
	{"API search chiken: p95, 1 client", 50, "ms", largeScale, routeValue(RouteAPITypo, singleConnection, p95MS)},
	{"HTML search: p95, 1 client", 50, "ms", largeScale, routeValue(RouteHTMLSearch, singleConnection, p95MS)},
	{"API get: p99 at 32 connections", 25, "ms", budgetScale, routeValue(RouteAPIGet, loadConnections, p99MS)},
	{"HTML recipe: p99 at 32 connections", 25, "ms", budgetScale, routeValue(RouteRecipe, loadConnections, p99MS)},
	{"start to ready (migrated database)", 0.25, "s", budgetScale, func(r *Run) (float64, bool) {
		return r.StartToReady.Seconds(), r.StartToReady > 0
	}},
	{"idle RSS", 40, "MB", budgetScale, func(r *Run) (float64, bool) {
		return float64(r.IdleRSS) / (1 << 20), r.IdleRSS > 0
	}},
	// Seeding is judged on its rate: the time 1 000 000 recipes take at it.
	{"seeding 1 000 000 recipes (at the measured rate)", 10, "min", largeScale, func(r *Run) (float64, bool) {
		rate := r.SeedRate()
		return largeScale / max(rate, 1e-9) / 60, rate > 0
	}},
}

// Evaluate judges run against every budget.
func Evaluate(run *Run, budgets []Budget) []Verdict {
	out := make([]Verdict, 0, len(budgets))
	for _, b := range budgets {
		v := Verdict{Budget: b, Indicative: run.Engine != budgetEngine || run.Recipes < b.Scale}
		v.Value, v.Measured = b.measure(run)
		v.Pass = v.Measured && v.Value <= b.Max
		out = append(out, v)
	}
	return out
}

// Failed counts the verdicts that fail for real: measured, over budget and
// not merely indicative.
func Failed(vs []Verdict) int {
	n := 0
	for _, v := range vs {
		if v.Measured && !v.Pass && !v.Indicative {
			n++
		}
	}
	return n
}

// Status is PASS, FAIL or "—" (not measured); an indicative verdict says so.
func (v Verdict) Status() string {
	s := "FAIL"
	switch {
	case !v.Measured:
		return "—"
	case v.Pass:
		s = "PASS"
	}
	if v.Indicative {
		s += " (indicative)"
	}
	return s
}

// Limit renders the budget, such as "≤ 0.3 ms".
func (b Budget) Limit() string { return "≤ " + formatValue(b.Max, b.Unit) }

// Shown renders the measured value.
func (v Verdict) Shown() string {
	if !v.Measured {
		return "—"
	}
	return formatValue(v.Value, v.Unit)
}

func formatValue(x float64, unit string) string {
	switch {
	case unit == "×":
		return fmt.Sprintf("%.2f×", x)
	case x >= 100:
		return fmt.Sprintf("%.0f %s", x, unit)
	case x >= 10:
		return fmt.Sprintf("%.1f %s", x, unit)
	default:
		return fmt.Sprintf("%.3g %s", x, unit)
	}
}
