package jobs

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/reccollection/reccollection/internal/observe"
)

// scrapeTimeout bounds the queue-depth query of one scrape; a slow
// database must not hold up the whole /metrics answer.
const scrapeTimeout = 2 * time.Second

// metrics are the queue's series on the app's registry. Labels are the
// queue name and the job kind, both from a fixed set this build knows;
// never a job id or an argument.
type metrics struct {
	failed *prometheus.CounterVec
	depth  *depthCollector
}

func newMetrics(q *Queue) *metrics {
	return &metrics{
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: observe.MetricJobsFailed,
			Help: "Job attempts that failed (returned an error or panicked), by job kind; periodic tasks are kind=\"periodic:<name>\".",
		}, []string{"kind"}),
		depth: &depthCollector{q: q, desc: prometheus.NewDesc(observe.MetricJobsQueueDepth,
			"Jobs available to run and not yet running, by queue, counted at scrape time.", []string{"queue"}, nil)},
	}
}

func (m *metrics) register(reg prometheus.Registerer) error {
	if err := reg.Register(m.failed); err != nil {
		return err
	}
	return reg.Register(m.depth)
}

// depthCollector counts available jobs with one grouped query per scrape,
// so the gauge is exact on every replica without any bookkeeping.
type depthCollector struct {
	q    *Queue
	desc *prometheus.Desc
}

func (c *depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *depthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	depth, err := c.q.depth(ctx)
	if err != nil {
		// No series rather than a failed scrape: the other metrics (and
		// readiness, which reports the database) still reach Prometheus.
		c.q.log.Debug("count available jobs", "err", err)
		return
	}
	for queue, n := range depth {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), queue)
	}
}

// depth counts available jobs by queue. Both of our queues are always
// present (0 when empty), so a dashboard shows a line rather than a gap;
// a queue name this build does not use is counted as "other".
func (q *Queue) depth(ctx context.Context) (map[string]int64, error) {
	byQueue, err := q.store.AvailableJobs(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{QueueDefault: 0, QueuePeriodic: 0}
	for queue, n := range byQueue {
		if queue != QueueDefault && queue != QueuePeriodic {
			queue = "other"
		}
		out[queue] += n
	}
	return out, nil
}
