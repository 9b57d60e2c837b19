package app

import (
	"context"
	"time"
)

// searchWindowTrimInterval: the search window (store.TrimSearchWindow)
// grows by each public recipe written, and a larger window only costs a
// search a little more, so once a minute keeps it near its size.
const searchWindowTrimInterval = time.Minute

// setUpSearchWindowTrim schedules store.TrimSearchWindow.
func (a *App) setUpSearchWindowTrim() {
	a.jobs.Periodic("search_window_trim", searchWindowTrimInterval, func(ctx context.Context) error {
		n, err := a.store.TrimSearchWindow(ctx)
		if n > 0 {
			a.log.Debug("search window trimmed", "dropped", n)
		}
		return err
	})
}
