// Package notifications tells people what happened to them: the emails
// of notifications (one each, or a daily digest), the fan-out of a new
// recipe to its author's followers, and the signed unsubscribe links.
// The store writes and reads the notifications themselves
// (internal/store/notifications.go); this package is what the job queue
// runs.
package notifications

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/reccollection/reccollection/internal/notify"
	"github.com/reccollection/reccollection/internal/store"
)

// Jobs are how the service hands work to the job queue.
type Jobs struct {
	// Emails queues one email job per id.
	Emails func(ctx context.Context, ids []int64) error
	// Digest queues the digest of one person.
	Digest func(ctx context.Context, userID string) error
}

// Service sends notifications' emails and fans new recipes out.
type Service struct {
	store   *store.Store
	sender  notify.Sender
	siteURL string
	signer  *signer
	jobs    Jobs
	log     *slog.Logger
	now     func() time.Time
}

// New builds the service; sender nil sends nothing (the notifications
// stay in the app).
func New(s *store.Store, sender notify.Sender, siteURL string, secretKey []byte, previousKeys [][]byte, jobs Jobs, log *slog.Logger) *Service {
	return &Service{store: s, sender: sender, siteURL: siteURL, signer: newSigner(secretKey, previousKeys...),
		jobs: jobs, log: log, now: time.Now}
}

// SetClock replaces the clock (tests of the digest).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// EmailAvailable reports whether emails can be sent at all.
func (s *Service) EmailAvailable() bool { return s != nil && s.sender != nil }

// QueueEmails hands ids to the email jobs; a failure is logged, not
// returned: the event it follows has committed, and the notification is
// in the app whatever happens to its email.
func (s *Service) QueueEmails(ctx context.Context, ids []int64) {
	if !s.EmailAvailable() {
		return
	}
	if err := s.jobs.Emails(ctx, ids); err != nil {
		s.log.WarnContext(ctx, "queue notification emails", "count", len(ids), "err", err)
	}
}

// FanOut writes the new_recipe notifications of recipe id in batches
// and queues their emails: the new_recipe_fanout job's work.
func (s *Service) FanOut(ctx context.Context, recipeID string) error {
	var emails func(context.Context, []int64) error
	if s.EmailAvailable() {
		emails = s.jobs.Emails
	}
	_, err := s.store.FanOutNewRecipe(ctx, recipeID, store.FanOutBatch, emails)
	return err
}

// UnsubscribeURL is the link that stops kind's emails for userID.
func (s *Service) UnsubscribeURL(userID string, kind store.NotificationKind) string {
	return s.siteURL + UnsubscribePath + s.signer.token(userID, kind)
}

// ErrBadToken is an unsubscribe token that was not made here.
var ErrBadToken = errors.New("invalid unsubscribe link")

// CheckUnsubscribe answers the kind a token stops, or ErrBadToken.
func (s *Service) CheckUnsubscribe(token string) (store.NotificationKind, error) {
	_, kind, ok := s.signer.open(token)
	if !ok {
		return "", ErrBadToken
	}
	return kind, nil
}

// Unsubscribe stops the emails a token names, keeping the notifications
// in the app; for a digest token, every kind's digest. Doing it twice is
// doing it once; an account deleted since is nothing to do.
func (s *Service) Unsubscribe(ctx context.Context, token string) (store.NotificationKind, error) {
	userID, kind, ok := s.signer.open(token)
	if !ok {
		return "", ErrBadToken
	}
	if kind != DigestKind {
		err := s.store.TurnOffNotificationEmail(ctx, userID, kind)
		if errors.Is(err, store.ErrNotFound) {
			err = nil
		}
		return kind, err
	}
	prefs, err := s.store.NotificationPrefs(ctx, userID)
	if err != nil {
		return kind, err
	}
	off := store.NotificationPrefs{}
	for k, c := range prefs {
		if c == store.ChannelDigest {
			off[k] = store.ChannelApp
		}
	}
	if len(off) == 0 {
		return kind, nil
	}
	err = s.store.SetNotificationPrefs(ctx, userID, off)
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	return kind, err
}

// DeliverEmail sends the email of notification id: the
// notification_email job's work. One that is gone, hidden, emailed
// already or no longer wanted by email sends nothing.
func (s *Service) DeliverEmail(ctx context.Context, id int64) error {
	if !s.EmailAvailable() {
		return nil
	}
	m, err := s.store.NotificationForEmail(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	unsubscribe := s.UnsubscribeURL(m.UserID, m.Kind)
	msg, err := notify.Render("notification", m.Email, notify.Notification{
		Name: greeting(m), Sentence: Describe(m.Notification), Link: s.siteURL + Path(m.Notification),
		SettingsURL: s.siteURL + "/settings/notifications", UnsubscribeURL: unsubscribe, SiteURL: s.siteURL,
	})
	if err != nil {
		return err
	}
	msg.Unsubscribe = unsubscribe
	if err := s.sender.Send(ctx, msg); err != nil {
		return fmt.Errorf("send notification email: %w", err)
	}
	return s.store.MarkNotificationsEmailed(context.WithoutCancel(ctx), []int64{id})
}

// How long notifications are kept: a read one 90 days, an unread one a
// year. The list is for what happened lately; nobody pages back a year,
// and a person who never reads them should not grow the table forever.
const (
	KeepRead   = 90 * 24 * time.Hour
	KeepUnread = 365 * 24 * time.Hour
)

// Prune deletes the notifications past their keeping time: the daily
// notification_prune task.
func (s *Service) Prune(ctx context.Context) error {
	now := s.now()
	n, err := s.store.PruneNotifications(ctx, now.Add(-KeepRead), now.Add(-KeepUnread))
	if n > 0 {
		s.log.InfoContext(ctx, "pruned notifications", "deleted", n)
	}
	return err
}

// digestPage is how many recipients the digest sweep reads at a time.
const digestPage = 500

// digestCutoff is where a digest ends: the start of the current UTC day.
// The sweep runs at midnight and covers the day before; a run at another
// hour (a new leader after a deploy, a retry) sends nothing of today, so
// nobody gets a digest of half a day.
func digestCutoff(now time.Time) time.Time { return now.UTC().Truncate(24 * time.Hour) }

// DigestSweep queues a digest for everybody owed one: the daily
// notification_digest task. Each digest is its own job, so one failing
// relay conversation retries alone.
func (s *Service) DigestSweep(ctx context.Context) error {
	if !s.EmailAvailable() {
		return nil
	}
	before := digestCutoff(s.now())
	after := ""
	for {
		ids, err := s.store.DigestRecipients(ctx, before, after, digestPage)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.jobs.Digest(ctx, id); err != nil {
				return err
			}
		}
		if len(ids) < digestPage {
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// DeliverDigest sends userID's digest of what they are owed: the
// notification_digest_email job's work.
func (s *Service) DeliverDigest(ctx context.Context, userID string) error {
	if !s.EmailAvailable() {
		return nil
	}
	d, err := s.store.DigestFor(ctx, userID, digestCutoff(s.now()))
	if err != nil {
		return err
	}
	if len(d.Items) > 0 {
		unsubscribe := s.UnsubscribeURL(userID, DigestKind)
		data := notify.Digest{Name: greeting(d.Items[0]), More: d.More, ListURL: s.siteURL + "/notifications",
			SettingsURL: s.siteURL + "/settings/notifications", UnsubscribeURL: unsubscribe, SiteURL: s.siteURL}
		for _, m := range d.Items {
			data.Items = append(data.Items, notify.DigestItem{Sentence: Describe(m.Notification), Link: s.siteURL + Path(m.Notification)})
		}
		msg, err := notify.Render("notification_digest", d.Items[0].Email, data)
		if err != nil {
			return err
		}
		msg.Unsubscribe = unsubscribe
		if err := s.sender.Send(ctx, msg); err != nil {
			return fmt.Errorf("send notification digest: %w", err)
		}
	}
	return s.store.MarkNotificationsEmailed(context.WithoutCancel(ctx), d.IDs)
}

func greeting(m *store.NotificationMail) string {
	if m.DisplayName != "" {
		return m.DisplayName
	}
	return m.Username
}
