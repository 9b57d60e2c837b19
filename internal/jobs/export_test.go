package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// ClientID is the river client id of q, as river_leader records it.
func (q *Queue) ClientID() string {
	c, err := q.riverClient()
	if err != nil {
		panic(err)
	}
	return c.ID()
}

// Witness schedules run on every leader's start, with no uniqueness: it
// shows that a leader's start-of-term enqueueing has happened (river
// inserts all of a term's first jobs in one transaction).
func (q *Queue) Witness(run func()) {
	Register(q, func(ctx context.Context, _ witnessArgs) error { run(); return nil })
	q.mu.Lock()
	defer q.mu.Unlock()
	q.extraPeriodic = append(q.extraPeriodic, river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return witnessArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true}))
}

type witnessArgs struct{}

func (witnessArgs) Kind() string { return "witness" }
