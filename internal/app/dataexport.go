package app

import (
	"context"
	"time"

	"github.com/reccollection/reccollection/internal/dataexport"
	"github.com/reccollection/reccollection/internal/jobs"
)

// dataExport is the job that builds a person's data export. Build records
// a failure itself, so a retry happens only when even that could not be
// written (the database was down).
type dataExport struct {
	ExportID string `json:"export_id"`
}

func (dataExport) Kind() string { return "data_export" }

const (
	dataExportAttempts = 5
	// exportSweepInterval: an export is offered for 7 days; an hourly
	// sweep deletes it within the hour after.
	exportSweepInterval = time.Hour
)

// setUpExports builds the data export service on the job queue and the
// blob store.
func (a *App) setUpExports() {
	a.exports = dataexport.New(a.store, a.media, dataexport.Options{
		SiteURL: a.cfg.BaseURL.String(),
		Logger:  a.log,
		Enqueue: func(ctx context.Context, id string) error {
			_, err := a.jobs.Enqueue(ctx, dataExport{ExportID: id}, &jobs.EnqueueOptions{MaxAttempts: dataExportAttempts, Unique: true})
			return err
		},
	})
	jobs.Register(a.jobs, func(ctx context.Context, args dataExport) error {
		return a.exports.Build(ctx, args.ExportID)
	})
	a.jobs.Periodic("data_export_sweep", exportSweepInterval, func(ctx context.Context) error {
		n, err := a.exports.Sweep(ctx)
		if n > 0 {
			a.log.Info("data export sweep", "deleted", n)
		}
		return err
	})
}

// Exports exposes the data export service (for tests).
func (a *App) Exports() *dataexport.Service { return a.exports }
