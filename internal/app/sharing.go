package app

import (
	"context"

	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/notify"
	"github.com/reccollection/reccollection/internal/sharing"
)

// shareLinkEmail is the job that makes a share link and emails it. It
// carries the recipient, the note and the expiry, never a token: the
// link is made when the message is sent (sharing.Service.DeliverEmail).
type shareLinkEmail struct {
	sharing.EmailJob
}

func (shareLinkEmail) Kind() string { return "share_link_email" }

// setUpSharing builds share links on the job queue, sending through
// sender (nil: links work, sending them by email does not).
func (a *App) setUpSharing(sender notify.Sender) {
	a.sharing = sharing.New(a.store, sender, a.cfg.BaseURL.String(), func(ctx context.Context, job sharing.EmailJob) error {
		_, err := a.jobs.Enqueue(ctx, shareLinkEmail{job}, &jobs.EnqueueOptions{MaxAttempts: accountEmailAttempts})
		return err
	}, a.log)
	a.ui.SetSharing(a.sharing)
	jobs.Register(a.jobs, func(ctx context.Context, args shareLinkEmail) error {
		return a.sharing.DeliverEmail(ctx, args.EmailJob)
	})
}

// Sharing exposes the share link service (tests set its clock).
func (a *App) Sharing() *sharing.Service { return a.sharing }
