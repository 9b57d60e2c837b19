package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/observe"
)

// DBCounters are the server's database totals at one moment.
type DBCounters struct {
	Queries float64
	Time    time.Duration
}

// Sub returns the difference c - before.
func (c DBCounters) Sub(before DBCounters) DBCounters {
	return DBCounters{Queries: c.Queries - before.Queries, Time: c.Time - before.Time}
}

// scrapeDB reads the database counters from a /metrics endpoint.
func scrapeDB(ctx context.Context, client *http.Client, url string) (DBCounters, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return DBCounters{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return DBCounters{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return DBCounters{}, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return parseDBCounters(resp.Body)
}

// parseDBCounters finds the two database counters in the Prometheus text
// exposition format; both must be there.
func parseDBCounters(r io.Reader) (DBCounters, error) {
	var c DBCounters
	found := 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		switch name {
		case observe.MetricDBQueries, observe.MetricDBQuerySeconds:
		default:
			continue
		}
		v, err := strconv.ParseFloat(strings.Fields(value)[0], 64)
		if err != nil {
			return c, fmt.Errorf("metric %s: %w", name, err)
		}
		if name == observe.MetricDBQueries {
			c.Queries = v
		} else {
			c.Time = time.Duration(v * float64(time.Second))
		}
		found++
	}
	if err := sc.Err(); err != nil {
		return c, err
	}
	if found != 2 {
		return c, fmt.Errorf("metrics lack %s or %s", observe.MetricDBQueries, observe.MetricDBQuerySeconds)
	}
	return c, nil
}

// scrapeSeries reads /metrics and returns the value of each of the named
// series that is there.
func scrapeSeries(ctx context.Context, client *http.Client, url string, names ...string) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return parseSeries(resp.Body, names...)
}

// parseSeries finds the named series in the Prometheus text exposition
// format. A name is the series as written, labels included
// (`go_sql_open_connections{db_name="primary"}`); series that are not
// there are left out of the map.
func parseSeries(r io.Reader, names ...string) (map[string]float64, error) {
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	out := make(map[string]float64, len(names))
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		// Label values may hold spaces: the series ends at "} " when
		// there are labels, at the first space otherwise.
		var name, rest string
		var ok bool
		if i := strings.IndexByte(line, '{'); i >= 0 && i < strings.IndexByte(line+" ", ' ') {
			name, rest, ok = strings.Cut(line, "} ")
			name += "}"
		} else {
			name, rest, ok = strings.Cut(line, " ")
		}
		if !ok || !want[name] {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return nil, fmt.Errorf("metric %s: no value", name)
		}
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			return nil, fmt.Errorf("metric %s: %w", name, err)
		}
		out[name] = v
	}
	return out, sc.Err()
}
