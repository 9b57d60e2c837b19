package observe

import (
	"database/sql"

	"github.com/prometheus/client_golang/prometheus"
)

// dbStatsCollector exports a connection pool's sql.DBStats as the go_sql_*
// series of client_golang's collectors.NewDBStatsCollector (same names,
// help, types and db_name label), but reads them through a function: the
// store keeps its *sql.DB to itself and hands out only its statistics.
type dbStatsCollector struct {
	stats func() sql.DBStats
	descs [9]*prometheus.Desc
}

func newDBStatsCollector(name string, stats func() sql.DBStats) *dbStatsCollector {
	d := func(n, help string) *prometheus.Desc {
		return prometheus.NewDesc("go_sql_"+n, help, nil, prometheus.Labels{"db_name": name})
	}
	return &dbStatsCollector{stats: stats, descs: [9]*prometheus.Desc{
		d("max_open_connections", "Maximum number of open connections to the database."),
		d("open_connections", "The number of established connections both in use and idle."),
		d("in_use_connections", "The number of connections currently in use."),
		d("idle_connections", "The number of idle connections."),
		d("wait_count_total", "The total number of connections waited for."),
		d("wait_duration_seconds_total", "The total time blocked waiting for a new connection."),
		d("max_idle_closed_total", "The total number of connections closed due to SetMaxIdleConns."),
		d("max_idle_time_closed_total", "The total number of connections closed due to SetConnMaxIdleTime."),
		d("max_lifetime_closed_total", "The total number of connections closed due to SetConnMaxLifetime."),
	}}
}

func (c *dbStatsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

func (c *dbStatsCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	gauge, counter := prometheus.GaugeValue, prometheus.CounterValue
	for i, v := range []struct {
		t prometheus.ValueType
		v float64
	}{
		{gauge, float64(s.MaxOpenConnections)},
		{gauge, float64(s.OpenConnections)},
		{gauge, float64(s.InUse)},
		{gauge, float64(s.Idle)},
		{counter, float64(s.WaitCount)},
		{counter, s.WaitDuration.Seconds()},
		{counter, float64(s.MaxIdleClosed)},
		{counter, float64(s.MaxIdleTimeClosed)},
		{counter, float64(s.MaxLifetimeClosed)},
	} {
		ch <- prometheus.MustNewConstMetric(c.descs[i], v.t, v.v)
	}
}
