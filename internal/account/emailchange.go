package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/notify"
	"github.com/reccollection/reccollection/internal/ratelimit"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// EmailChangeLifetime is how long the link that confirms a new address
// works: a day, because the new mailbox may be one its owner reads less
// often than the one a password reset goes to, and the link only proves
// that the address is theirs (it signs nobody in).
const EmailChangeLifetime = 24 * time.Hour

// Messages one account may have sent per hour (requests and resends), and
// confirmations one address may receive per hour from all accounts: enough
// to retry after a message went to spam, too few to flood an inbox.
const (
	emailChangesPerUser    = 5
	emailChangesPerAddress = 3
	emailChangesPeriod     = time.Hour
)

// Audit log actions of changing the email address.
const (
	AuditEmailChangeRequested = "email.change_requested"
	AuditEmailChangeCancelled = "email.change_cancelled"
	AuditEmailChanged         = "email.changed"
)

var (
	// ErrEmailChangeUnavailable: the server cannot send email, so it
	// cannot confirm a new address.
	ErrEmailChangeUnavailable = errors.New("changing the email address is not available: this server has no email configured")
	// ErrEmailChangeToken: the link is unknown, used, replaced by a newer
	// one, expired, or its account is disabled.
	ErrEmailChangeToken = errors.New("this email confirmation link is invalid, used, replaced by a newer one or expired")
	// ErrEmailTaken: another account took the new address between the
	// request and the confirmation.
	ErrEmailTaken = errors.New("that address now belongs to another account; your email address was not changed")
	// ErrNoEmailChange: there is no pending change to resend.
	ErrNoEmailChange = errors.New("there is no email address change waiting for confirmation")
)

// EmailChangeLimitError refuses a request over the budget of messages.
type EmailChangeLimitError struct{ RetryAfter time.Duration }

func (e *EmailChangeLimitError) Error() string {
	return fmt.Sprintf("too many confirmation emails asked for; try again in %d minutes", e.Minutes())
}

// Minutes is RetryAfter in whole minutes, rounded up.
func (e *EmailChangeLimitError) Minutes() int {
	return int((e.RetryAfter + time.Minute - 1) / time.Minute)
}

// EmailChangeJobs puts the two messages of a change on the job queue.
// The confirmation carries only the change's id (its token is made when
// it is sent). The notice carries what it says, not the change's id: it
// must reach the old address even when the change is confirmed, or
// cancelled, before the job runs — else whoever took over an account
// could confirm at once and the owner would never hear of it.
type EmailChangeJobs struct {
	Confirm func(ctx context.Context, changeID string) error // to the new address
	Notice  func(ctx context.Context, n EmailChangeNotice) error
}

// EmailChangeNotice is the notice to the address an account had when a
// change was asked for.
type EmailChangeNotice struct {
	UserID      string `json:"user_id"`
	To          string `json:"to"`
	MaskedEmail string `json:"masked_email"` // the new address, partly hidden
}

// EmailChanges is changing one's email address: the new address takes
// effect only when the link emailed to it is followed, so an account can
// never end up with an address its owner does not read (and lose password
// reset), nor claim someone else's. As with password reset only the
// SHA-256 of the link's token is stored, and the token is made by the job
// that sends the message (Deliver), never resting in the queue's table.
type EmailChanges struct {
	store   *store.Store
	limiter ratelimit.Limiter
	sender  notify.Sender // nil: email is not configured
	siteURL string
	jobs    EmailChangeJobs
	now     func() time.Time
	log     *slog.Logger
}

// NewEmailChanges returns the service; sender nil means no email.
func NewEmailChanges(s *store.Store, sender notify.Sender, siteURL string, limiter ratelimit.Limiter,
	jobs EmailChangeJobs, logger *slog.Logger) *EmailChanges {
	return &EmailChanges{store: s, sender: sender, siteURL: strings.TrimSuffix(siteURL, "/"),
		limiter: limiter, jobs: jobs, now: time.Now, log: logger}
}

// SetClock replaces the clock that dates and expires changes (tests).
func (e *EmailChanges) SetClock(now func() time.Time) { e.now = now }

// Available reports whether a change can be confirmed at all.
func (e *EmailChanges) Available() bool { return e != nil && e.sender != nil }

// CheckNewEmail normalises email as registration does and adds to errs
// why u may not ask for it: invalid, or already u's address.
func CheckNewEmail(errs *validate.Errors, u *auth.User, email string) string {
	n := len(*errs)
	e := auth.NormalizeEmail(errs, "email", email)
	if len(*errs) == n && e == u.Email {
		errs.Add("email", "is already your address")
	}
	return e
}

// Request asks to change u's address to email: checked (CheckNewEmail; an
// address another account has is a *store.ConflictError, as at
// registration), counted against the budgets, stored as u's one pending
// change (replacing an earlier one) and the confirmation and the notice to
// the current address queued.
func (e *EmailChanges) Request(ctx context.Context, u *auth.User, email string, c Client) (*store.EmailChange, error) {
	if !e.Available() {
		return nil, ErrEmailChangeUnavailable
	}
	var errs validate.Errors
	email = CheckNewEmail(&errs, u, email)
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	other, err := e.store.UserByLogin(ctx, email)
	if err == nil && other.ID != u.ID {
		return nil, &store.ConflictError{Field: "email"}
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if err := e.charge(ctx, u.ID, email); err != nil {
		return nil, err
	}
	now := e.now().UTC()
	ch, err := e.store.RequestEmailChange(ctx, u.ID, email, now, now.Add(EmailChangeLifetime))
	if err != nil {
		return nil, err
	}
	e.audit(ctx, AuditEmailChangeRequested, u.ID, c, "to "+notify.MaskEmail(email))
	if err := e.jobs.Confirm(ctx, ch.ID); err != nil {
		return nil, err
	}
	if err := e.jobs.Notice(ctx, EmailChangeNotice{UserID: u.ID, To: u.Email, MaskedEmail: notify.MaskEmail(email)}); err != nil {
		return nil, err
	}
	return ch, nil
}

// Resend sends u's pending change a new link; the earlier one stops
// working. ErrNoEmailChange if nothing is pending.
func (e *EmailChanges) Resend(ctx context.Context, u *auth.User) (*store.EmailChange, error) {
	if !e.Available() {
		return nil, ErrEmailChangeUnavailable
	}
	ch, err := e.Pending(ctx, u)
	if err != nil {
		return nil, err
	}
	if ch == nil {
		return nil, ErrNoEmailChange
	}
	if err := e.charge(ctx, u.ID, ch.NewEmail); err != nil {
		return nil, err
	}
	return ch, e.jobs.Confirm(ctx, ch.ID)
}

// charge counts one message against the account's and the address's
// budgets.
func (e *EmailChanges) charge(ctx context.Context, userID, email string) error {
	for _, b := range []struct {
		key   string
		limit int
	}{{"email-change:account:" + userID, emailChangesPerUser}, {"email-change:address:" + email, emailChangesPerAddress}} {
		r, err := e.limiter.Allow(ctx, b.key, b.limit, emailChangesPeriod)
		if err != nil {
			return err
		}
		if !r.Allowed {
			return &EmailChangeLimitError{RetryAfter: r.RetryAfter}
		}
	}
	return nil
}

// Pending returns u's change waiting for confirmation, or nil.
func (e *EmailChanges) Pending(ctx context.Context, u *auth.User) (*store.EmailChange, error) {
	if !e.Available() {
		return nil, nil
	}
	ch, err := e.store.PendingEmailChange(ctx, u.ID, e.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return ch, err
}

// Cancel drops u's pending change; its link stops working. Cancelling
// when nothing is pending is not an error.
func (e *EmailChanges) Cancel(ctx context.Context, u *auth.User, c Client) error {
	if !e.Available() {
		return ErrEmailChangeUnavailable
	}
	done, err := e.store.CancelEmailChange(ctx, u.ID)
	if err == nil && done {
		e.audit(ctx, AuditEmailChangeCancelled, u.ID, c, "")
	}
	return err
}

// Deliver makes a token for change changeID, stores its hash and sends
// the link to the new address: the job queue's work. A change replaced,
// cancelled or expired since needs nothing. A failed send forgets the
// token (nobody received it) and returns the error, so the queue retries
// with a new one.
func (e *EmailChanges) Deliver(ctx context.Context, changeID string) error {
	if e.sender == nil {
		return ErrEmailChangeUnavailable
	}
	ch, u, err := e.live(ctx, changeID)
	if ch == nil || err != nil {
		return err
	}
	token := auth.NewSecret()
	hash := auth.HashSecret(token)
	now := e.now().UTC()
	if err := e.store.SetEmailChangeToken(ctx, ch.ID, hash, now, now.Add(EmailChangeLifetime)); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}
	return sendLink(ctx, e.sender, e.log, "email change confirmation", "email_change", ch.NewEmail, notify.EmailChange{
		Name: greeting(u), Username: u.Username, NewEmail: ch.NewEmail,
		Link: e.siteURL + "/email-change/" + url.PathEscape(token), Expires: "24 hours", SiteURL: e.siteURL,
	}, func(ctx context.Context) error { return e.store.ClearEmailChangeToken(ctx, hash) })
}

// Notify tells the account's address at the time of the request that a
// change to another was asked for: if the account was taken over, its
// owner learns of it while the old address still counts, and can act. A
// deleted or disabled account is not written to.
func (e *EmailChanges) Notify(ctx context.Context, n EmailChangeNotice) error {
	if e.sender == nil {
		return ErrEmailChangeUnavailable
	}
	u, err := e.store.UserByID(ctx, n.UserID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.DisabledAt != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	msg, err := notify.Render("email_change_notice", n.To, notify.EmailChangeNotice{
		Name: greeting(u), MaskedEmail: n.MaskedEmail,
		SettingsURL: e.siteURL + "/settings#email-heading", ForgotURL: e.siteURL + "/forgot-password", SiteURL: e.siteURL,
	})
	if err == nil {
		err = e.sender.Send(ctx, msg)
	}
	if err != nil {
		return fmt.Errorf("send email change notice: %w", err)
	}
	return nil
}

// live loads a pending change and its active user; nil, nil, nil when
// either is gone (nothing to send).
func (e *EmailChanges) live(ctx context.Context, changeID string) (*store.EmailChange, *auth.User, error) {
	ch, err := e.store.EmailChangeByID(ctx, changeID, e.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	u, err := e.store.UserByID(ctx, ch.UserID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.DisabledAt != nil) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return ch, u, nil
}

// EmailChangeView is what the confirmation page shows before the button
// is pressed.
type EmailChangeView struct {
	Username string
	NewEmail string
}

// Check reports what token would change, or ErrEmailChangeToken.
func (e *EmailChanges) Check(ctx context.Context, token string) (*EmailChangeView, error) {
	if !e.Available() {
		return nil, ErrEmailChangeUnavailable
	}
	if !plausibleToken(token) {
		return nil, ErrEmailChangeToken
	}
	ch, err := e.store.EmailChangeByToken(ctx, auth.HashSecret(token), e.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrEmailChangeToken
	}
	if err != nil {
		return nil, err
	}
	u, err := e.store.UserByID(ctx, ch.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrEmailChangeToken
	}
	if err != nil {
		return nil, err
	}
	return &EmailChangeView{Username: u.Username, NewEmail: ch.NewEmail}, nil
}

// Confirm spends token and gives its account the new address (the store
// also spends the account's unused password reset links, which went to
// the old address). ErrEmailChangeToken for a bad token, ErrEmailTaken
// when another account has the address by now.
func (e *EmailChanges) Confirm(ctx context.Context, token string, c Client) (*store.AppliedEmailChange, error) {
	if !e.Available() {
		return nil, ErrEmailChangeUnavailable
	}
	if !plausibleToken(token) {
		return nil, ErrEmailChangeToken
	}
	done, err := e.store.ApplyEmailChange(ctx, auth.HashSecret(token), e.now())
	var ce *store.ConflictError
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, ErrEmailChangeToken
	case errors.As(err, &ce):
		return nil, ErrEmailTaken
	case err != nil:
		return nil, err
	}
	e.audit(ctx, AuditEmailChanged, done.UserID, c, done.OldEmail+" -> "+done.NewEmail)
	return done, nil
}

// audit records an account's own email event; a failure to write is
// logged, not returned (the change itself has happened).
func (e *EmailChanges) audit(ctx context.Context, action, userID string, c Client, details string) {
	err := e.store.Audit(ctx, store.AuditEntry{ActorID: userID, Action: action, Target: "user:" + userID, IP: c.IP, Details: details})
	if err != nil {
		e.log.WarnContext(ctx, "append audit log", "action", action, "err", err)
	}
}

// greeting is how a message addresses u.
func greeting(u *auth.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}
