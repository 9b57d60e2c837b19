package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// periodicKind is the river kind of every periodic task; the task's name
// is its argument.
const periodicKind = "periodic"

// periodicMaxAttempts retries a failing periodic task a few times within
// its period (river backs off 1 s, 16 s, 81 s, 256 s: about six minutes in
// all) and then gives up until the next period, rather than piling up
// behind the next run.
const periodicMaxAttempts = 5

type periodicArgs struct {
	Name string `json:"name"`
}

func (periodicArgs) Kind() string { return periodicKind }

type periodicTask struct {
	name     string
	interval time.Duration
	run      func(ctx context.Context) error
}

// Periodic runs run every interval, once across all replicas that share
// the database: river's elected leader enqueues it and any replica may
// work it. A newly elected leader (after a deploy or a crash) enqueues it
// at once, but not when it already ran in the current period (periods are
// multiples of interval since the epoch, in UTC: for 24 hours, calendar
// days), so deploys neither skip nor repeat it. A failed run is retried a
// few times with backoff, then waits for the next period; its context
// ends after Options.PeriodicTimeout or at shutdown. For example:
//
//	q.Periodic("backup", 24*time.Hour, backups.Scheduled)
//
// name is a lower-case identifier unique among periodic tasks; it appears
// in logs and as kind="periodic:<name>" in the failure metric. interval
// should be a minute or more and at least a second. Periodic panics on an
// invalid name or interval, a duplicate name, or a call after the queue
// was first used: those are mistakes in the program, not conditions to
// handle.
func (q *Queue) Periodic(name string, interval time.Duration, run func(ctx context.Context) error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.mustBeOpen("Periodic " + name)
	if !kindPattern.MatchString(name) {
		panic(fmt.Sprintf("jobs: periodic task name %q must be lower-case letters, digits and underscores", name))
	}
	if interval < time.Second {
		panic(fmt.Sprintf("jobs: periodic task %q: interval %v is under a second", name, interval))
	}
	if run == nil {
		panic(fmt.Sprintf("jobs: periodic task %q has no function", name))
	}
	for _, p := range q.periodic {
		if p.name == name {
			panic(fmt.Sprintf("jobs: periodic task %q is already registered", name))
		}
	}
	q.periodic = append(q.periodic, periodicTask{name: name, interval: interval, run: run})
	q.metrics.failed.WithLabelValues(periodicKind + ":" + name)
}

func (p periodicTask) riverJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(p.interval), func() (river.JobArgs, *river.InsertOpts) {
		return periodicArgs{Name: p.name}, &river.InsertOpts{
			Queue:       QueuePeriodic,
			MaxAttempts: periodicMaxAttempts,
			// At most one run of this task per period, whoever enqueues
			// it: a leader elected mid-period finds the earlier run and
			// skips (until river deletes completed jobs, which is set to
			// happen only after the period).
			UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: p.interval},
		}
	}, &river.PeriodicJobOpts{RunOnStart: true})
}

// periodicWorker works every periodic task, looking its function up by
// name.
type periodicWorker struct {
	river.WorkerDefaults[periodicArgs]
	q *Queue
}

func (w *periodicWorker) Timeout(*river.Job[periodicArgs]) time.Duration {
	return w.q.opts.PeriodicTimeout
}

func (w *periodicWorker) Work(ctx context.Context, job *river.Job[periodicArgs]) error {
	task, ok := w.q.periodicTask(job.Args.Name)
	if !ok {
		// Enqueued by a build that had this task (before a rename, or
		// during a rolling deploy); retrying here cannot help.
		return river.JobCancel(fmt.Errorf("no periodic task named %q in this build", job.Args.Name))
	}
	return w.q.guard(ctx, periodicKind+":"+task.name, task.run)
}

func (q *Queue) periodicTask(name string) (periodicTask, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, p := range q.periodic {
		if p.name == name {
			return p, true
		}
	}
	return periodicTask{}, false
}

// periodicName decodes the task name of a periodic job's arguments, if it
// is one this build knows.
func (q *Queue) periodicName(encoded []byte) (string, bool) {
	var a periodicArgs
	if json.Unmarshal(encoded, &a) != nil {
		return "", false
	}
	_, ok := q.periodicTask(a.Name)
	return a.Name, ok
}
