package app

import (
	"context"

	"github.com/reccollection/reccollection/internal/invitations"
	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/notify"
)

// householdInvitationEmail is the job that makes a household invitation
// and emails it. It carries the inviter and the address, never a token:
// the invitation is made when the message is sent
// (invitations.Service.DeliverEmail).
type householdInvitationEmail struct {
	invitations.EmailJob
}

func (householdInvitationEmail) Kind() string { return "household_invitation_email" }

// setUpInvitations builds household invitations on the job queue,
// sending through sender (nil: links work, email does not).
func (a *App) setUpInvitations(sender notify.Sender) {
	a.invitations = invitations.New(a.store, sender, a.cfg.BaseURL.String(), func(ctx context.Context, job invitations.EmailJob) error {
		_, err := a.jobs.Enqueue(ctx, householdInvitationEmail{job}, &jobs.EnqueueOptions{MaxAttempts: accountEmailAttempts})
		return err
	}, a.log)
	a.ui.SetInvitations(a.invitations)
	jobs.Register(a.jobs, func(ctx context.Context, args householdInvitationEmail) error {
		return a.invitations.DeliverEmail(ctx, args.EmailJob)
	})
}

// Invitations exposes the household invitation service (tests set its
// clock).
func (a *App) Invitations() *invitations.Service { return a.invitations }
