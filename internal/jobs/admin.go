package jobs

import (
	"context"

	"github.com/reccollection/reccollection/internal/admin"
)

// QueueStatus implements admin.QueueReporter for the console's system
// status; the console sets Health from the error.
func (q *Queue) QueueStatus(ctx context.Context) (admin.QueueStatus, error) {
	st, err := q.Status(ctx)
	if err != nil {
		return admin.QueueStatus{}, err
	}
	return admin.QueueStatus{Available: st.Available, Running: st.Running,
		Retrying: st.Retrying, FailedLastDay: st.FailedLastDay}, nil
}

var _ admin.QueueReporter = (*Queue)(nil)
