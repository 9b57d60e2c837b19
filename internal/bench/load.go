package bench

import (
	"context"
	"fmt"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// route is one benchmarked route: the requests to cycle through and the
// status a correct answer has.
type route struct {
	name    string
	targets []vegeta.Target
	want    int
}

// attack sends the route's requests as fast as conns connections allow
// for d, one request in flight per connection, and returns the client's
// view of it. Vegeta cycles through the targets in order.
func attack(rt route, conns int, d time.Duration) RouteResult {
	atk := vegeta.NewAttacker(
		vegeta.Workers(uint64(conns)), vegeta.MaxWorkers(uint64(conns)),
		vegeta.Connections(conns), vegeta.MaxConnections(conns),
		vegeta.KeepAlive(true), vegeta.Redirects(vegeta.NoFollow),
		vegeta.Timeout(30*time.Second),
	)
	var m vegeta.Metrics
	var bad uint64
	// Rate 0 is "as fast as the workers go"; MaxWorkers bounds them.
	for res := range atk.Attack(vegeta.NewStaticTargeter(rt.targets...), vegeta.Rate{}, d, rt.name) {
		if int(res.Code) != rt.want {
			bad++
		}
		m.Add(res)
	}
	m.Close()
	ok := m.Requests - bad
	rate := 0.0
	if m.Duration > 0 {
		rate = float64(ok) / (m.Duration + m.Wait).Seconds()
	}
	return RouteResult{Route: rt.name, Conns: conns, Requests: m.Requests, Errors: bad, Rate: rate,
		P50: m.Latencies.P50, P95: m.Latencies.P95, P99: m.Latencies.P99}
}

// sample is the server's CPU time and database totals at one moment.
type sample struct {
	cpu time.Duration
	db  DBCounters
}

func takeSample(ctx context.Context, client *http.Client, srv *server) (sample, error) {
	cpu, err := ProcCPU(srv.pid())
	if err != nil {
		return sample{}, err
	}
	db, err := scrapeDB(ctx, client, srv.metrics)
	return sample{cpu: cpu, db: db}, err
}

// measure runs attack between two samples of the server, and reads its
// memory after.
func measure(ctx context.Context, srv *server, rt route, conns int, d time.Duration) (RouteResult, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	before, err := takeSample(ctx, client, srv)
	if err != nil {
		return RouteResult{}, err
	}
	res := attack(rt, conns, d)
	after, err := takeSample(ctx, client, srv)
	if err != nil {
		return RouteResult{}, err
	}
	if res.Requests == 0 {
		return res, fmt.Errorf("%s: no request was sent", rt.name)
	}
	n := float64(res.Requests)
	db := after.db.Sub(before.db)
	// A scrape evaluates the readiness gauge and the last-backup time,
	// a few statements per scrape: negligible against thousands of requests.
	res.CPU = time.Duration(float64(after.cpu-before.cpu) / n)
	res.DB = time.Duration(float64(db.Time) / n)
	res.Queries = db.Queries / n
	res.RSS, err = ProcRSS(srv.pid())
	return res, err
}
