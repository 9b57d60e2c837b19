package app

import (
	"context"
	"fmt"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/notify"
)

// accountEmailAttempts bounds the retries of one account email (password
// reset, email change). River backs off by attempt⁴ seconds, so five
// attempts span about six minutes: a relay that is down longer than that
// is an outage, and the user asks again rather than getting a link for an
// hour-old request.
const accountEmailAttempts = 5

// passwordResetEmail is the job that makes a reset token and sends it.
// It carries only the user's id: the token is made when the message is
// sent, so it is never stored in the queue's table.
type passwordResetEmail struct {
	UserID string `json:"user_id"`
}

func (passwordResetEmail) Kind() string { return "password_reset_email" }

// emailChangeEmail makes a token for a pending email change and sends it
// to the new address; it carries only the change's id, and a change
// replaced or cancelled meanwhile sends nothing. emailChangeNotice tells
// the address the account had when the change was asked for
// (account.EmailChangeNotice says why it carries its own data). Both
// retry as the reset email does.
type emailChangeEmail struct {
	ChangeID string `json:"change_id"`
}

func (emailChangeEmail) Kind() string { return "email_change_email" }

type emailChangeNotice struct {
	account.EmailChangeNotice
}

func (emailChangeNotice) Kind() string { return "email_change_notice" }

// newSender is the configured way out for email: the SMTP relay of
// RECC_SMTP_URL; without one, the log in development, and nothing in
// staging and production, where pretending to send would strand a user
// waiting for a message.
func (a *App) newSender() (notify.Sender, error) {
	if a.cfg.SMTPURL != "" {
		s, err := notify.NewSMTP(a.cfg.SMTPURL, "RecCollection <noreply@"+a.cfg.BaseURL.Hostname()+">")
		if err != nil {
			return nil, fmt.Errorf("email: %w", err)
		}
		return s, nil
	}
	if a.cfg.IsDevelopment() {
		return notify.Log{Logger: a.log}, nil
	}
	a.log.Warn("RECC_SMTP_URL is unset: no email is sent: password reset by email and changing email addresses are unavailable")
	return nil, nil
}

// setUpEmail builds the password reset and email change services on the
// job queue.
func (a *App) setUpEmail() error {
	sender, err := a.newSender()
	if err != nil {
		return err
	}
	a.resets = account.NewPasswordResets(a.store, sender, a.cfg.BaseURL.String(), a.limiter,
		func(ctx context.Context, userID string) error {
			_, err := a.jobs.Enqueue(ctx, passwordResetEmail{UserID: userID}, &jobs.EnqueueOptions{MaxAttempts: accountEmailAttempts})
			return err
		}, a.log)
	a.ui.SetPasswordResets(a.resets)
	jobs.Register(a.jobs, func(ctx context.Context, args passwordResetEmail) error {
		return a.resets.Deliver(ctx, args.UserID)
	})
	opts := &jobs.EnqueueOptions{MaxAttempts: accountEmailAttempts}
	a.emailChanges = account.NewEmailChanges(a.store, sender, a.cfg.BaseURL.String(), a.limiter, account.EmailChangeJobs{
		Confirm: func(ctx context.Context, id string) error {
			_, err := a.jobs.Enqueue(ctx, emailChangeEmail{ChangeID: id}, opts)
			return err
		},
		Notice: func(ctx context.Context, n account.EmailChangeNotice) error {
			_, err := a.jobs.Enqueue(ctx, emailChangeNotice{n}, opts)
			return err
		},
	}, a.log)
	a.ui.SetEmailChanges(a.emailChanges)
	jobs.Register(a.jobs, func(ctx context.Context, args emailChangeEmail) error {
		return a.emailChanges.Deliver(ctx, args.ChangeID)
	})
	jobs.Register(a.jobs, func(ctx context.Context, args emailChangeNotice) error {
		return a.emailChanges.Notify(ctx, args.EmailChangeNotice)
	})
	a.setUpSharing(sender)
	a.setUpInvitations(sender)
	a.setUpNotifications(sender)
	return nil
}

// EmailChanges exposes the email change service (tests set its clock).
func (a *App) EmailChanges() *account.EmailChanges { return a.emailChanges }

// PasswordResets exposes the password reset service (tests set its clock).
func (a *App) PasswordResets() *account.PasswordResets { return a.resets }
