package app

import (
	"context"
	"time"

	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/notifications"
	"github.com/reccollection/reccollection/internal/notify"
	"github.com/reccollection/reccollection/internal/store"
)

// The notification jobs (docs/architecture.md, "Notifications"): a new
// public recipe is one new_recipe_fanout job, whatever its author's
// following; each email of a notification is one notification_email job;
// the daily notification_digest task queues one notification_digest_email
// job per person owed a digest.

type newRecipeFanout struct {
	RecipeID string `json:"recipe_id"`
}

func (newRecipeFanout) Kind() string { return "new_recipe_fanout" }

type notificationEmail struct {
	ID int64 `json:"id"`
}

func (notificationEmail) Kind() string { return "notification_email" }

type notificationDigestEmail struct {
	UserID string `json:"user_id"`
}

func (notificationDigestEmail) Kind() string { return "notification_digest_email" }

// fanoutAttempts retries a fan-out that failed half way; each retry
// adds only what the failed run did not (one notification per recipe
// and follower).
const fanoutAttempts = 10

// digestInterval is the digest's period: calendar days in UTC.
const digestInterval = 24 * time.Hour

// setUpNotifications builds the notification service on the job queue,
// sending through sender (nil: notifications stay in the app), and hooks
// the store's announcements to it.
func (a *App) setUpNotifications(sender notify.Sender) {
	emailOpts := &jobs.EnqueueOptions{MaxAttempts: accountEmailAttempts}
	a.notifications = notifications.New(a.store, sender, a.cfg.BaseURL.String(), a.cfg.SecretKey, a.cfg.PreviousSecretKeys,
		notifications.Jobs{
			Emails: func(ctx context.Context, ids []int64) error {
				// In one statement: a fan-out batch's emails at once.
				args := make([]jobs.Args, len(ids))
				for i, id := range ids {
					args[i] = notificationEmail{ID: id}
				}
				return a.jobs.EnqueueMany(ctx, args, emailOpts)
			},
			Digest: func(ctx context.Context, userID string) error {
				_, err := a.jobs.Enqueue(ctx, notificationDigestEmail{UserID: userID},
					&jobs.EnqueueOptions{MaxAttempts: accountEmailAttempts, Unique: true})
				return err
			},
		}, a.log)
	a.store.SetHooks(store.Hooks{
		NotificationEmails: a.notifications.QueueEmails,
		RecipePublished: func(ctx context.Context, recipeID string) {
			// The recipe is saved: a queue that fails to take the job
			// costs its followers a notification, never the author the
			// recipe.
			if _, err := a.jobs.Enqueue(context.WithoutCancel(ctx), newRecipeFanout{RecipeID: recipeID},
				&jobs.EnqueueOptions{MaxAttempts: fanoutAttempts}); err != nil {
				a.log.WarnContext(ctx, "queue new recipe fan-out", "recipe_id", recipeID, "err", err)
			}
		},
	})
	a.ui.SetNotifications(a.notifications)
	jobs.Register(a.jobs, func(ctx context.Context, args newRecipeFanout) error {
		return a.notifications.FanOut(ctx, args.RecipeID)
	})
	jobs.Register(a.jobs, func(ctx context.Context, args notificationEmail) error {
		return a.notifications.DeliverEmail(ctx, args.ID)
	})
	jobs.Register(a.jobs, func(ctx context.Context, args notificationDigestEmail) error {
		return a.notifications.DeliverDigest(ctx, args.UserID)
	})
	a.jobs.Periodic("notification_digest", digestInterval, a.notifications.DigestSweep)
	a.jobs.Periodic("notification_prune", digestInterval, a.notifications.Prune)
}

// Notifications exposes the notification service (tests set its clock
// and run the digest).
func (a *App) Notifications() *notifications.Service { return a.notifications }
