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

// ResetTokenLifetime is how long an emailed reset link works.
const ResetTokenLifetime = time.Hour

// Messages a user may ask for per address: enough to retry after a
// message went to spam, too few to flood someone's inbox.
const (
	resetsPerAddress       = 3
	resetsPerAddressPeriod = time.Hour
)

// ErrResetUnavailable: the server cannot send email, so it cannot reset
// passwords by email (staging or production without RECC_SMTP_URL).
var ErrResetUnavailable = errors.New("password reset by email is not available: this server has no email configured")

// ErrResetToken: the reset link is unknown, used, expired, or its account
// is disabled. One error for all, so a link's state is not a way to learn
// about an account.
var ErrResetToken = errors.New("this password reset link is invalid, used or expired; ask for a new one")

// PasswordResets is "forgot password": an emailed, single-use, one-hour
// link. Only the SHA-256 of the link's token is stored, and the token is
// made by the job that sends the message (Deliver), so it never rests in
// the job queue's table either.
type PasswordResets struct {
	store   *store.Store
	limiter ratelimit.Limiter
	sender  notify.Sender // nil: email is not configured
	siteURL string
	enqueue func(ctx context.Context, userID string) error
	now     func() time.Time
	log     *slog.Logger
}

// NewPasswordResets returns the service. sender nil means no email;
// enqueue puts Deliver(userID) on the job queue; limiter counts the
// messages per address.
func NewPasswordResets(s *store.Store, sender notify.Sender, siteURL string, limiter ratelimit.Limiter,
	enqueue func(ctx context.Context, userID string) error, logger *slog.Logger) *PasswordResets {
	return &PasswordResets{store: s, sender: sender, siteURL: strings.TrimSuffix(siteURL, "/"),
		limiter: limiter, enqueue: enqueue, now: time.Now, log: logger}
}

// SetClock replaces the clock that dates and expires tokens (tests).
func (p *PasswordResets) SetClock(now func() time.Time) { p.now = now }

// Available reports whether reset emails can be sent at all.
func (p *PasswordResets) Available() bool { return p.sender != nil }

// Request asks for a reset link for email. Whether or not an active
// account has that address, the caller answers the same; the lookup is
// the only work done on the request, the message is made and sent by the
// job queue, so the answer's timing differs by one queued row at most.
func (p *PasswordResets) Request(ctx context.Context, email string) error {
	if !p.Available() {
		return ErrResetUnavailable
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || len(email) > 254 || !strings.Contains(email, "@") {
		return validate.Errors{{Field: "email", Message: "must be an email address"}}.Err()
	}
	u, err := p.store.UserByLogin(ctx, email)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.DisabledAt != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	r, err := p.limiter.Allow(ctx, "reset:account:"+u.ID, resetsPerAddress, resetsPerAddressPeriod)
	if err != nil {
		return err
	}
	if !r.Allowed {
		// Silently: saying so would tell who has an account.
		p.log.WarnContext(ctx, "password reset emails for one account exceed their budget; not sending", "user_id", u.ID)
		return nil
	}
	return p.enqueue(ctx, u.ID)
}

// Deliver makes a token for userID, stores its hash and sends the link:
// the job queue's work. A failed send removes the token (nobody received
// it) and returns the error, so the queue retries with a new one.
func (p *PasswordResets) Deliver(ctx context.Context, userID string) error {
	if p.sender == nil {
		return ErrResetUnavailable
	}
	u, err := p.store.UserByID(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted since: nothing to send
	}
	if err != nil {
		return err
	}
	if u.DisabledAt != nil {
		return nil
	}
	token := auth.NewSecret()
	hash := auth.HashSecret(token)
	now := p.now().UTC()
	if err := p.store.CreatePasswordReset(ctx, u.ID, hash, now, now.Add(ResetTokenLifetime)); err != nil {
		return err
	}
	return sendLink(ctx, p.sender, p.log, "password reset email", "password_reset", u.Email, notify.PasswordReset{
		Name: greeting(u), Link: p.siteURL + "/password-reset/" + url.PathEscape(token),
		Expires: "one hour", SiteURL: p.siteURL,
	}, func(ctx context.Context) error { return p.store.DeletePasswordReset(ctx, hash) })
}

// sendLink renders template for to with data and sends it. When either
// fails, forget removes the token the message carried (nobody received
// it; it runs even if ctx was cancelled) and the error is returned, so the
// job queue retries with a new token.
func sendLink(ctx context.Context, sender notify.Sender, log *slog.Logger, what, template, to string, data any,
	forget func(context.Context) error) error {
	msg, err := notify.Render(template, to, data)
	if err == nil {
		err = sender.Send(ctx, msg)
	}
	if err == nil {
		return nil
	}
	if ferr := forget(context.WithoutCancel(ctx)); ferr != nil {
		log.WarnContext(ctx, "forget the token of an unsent "+what, "err", ferr)
	}
	return fmt.Errorf("send %s: %w", what, err)
}

// Check reports whether token may still reset a password (the page shows
// the form only then): nil, or ErrResetToken.
func (p *PasswordResets) Check(ctx context.Context, token string) error {
	if !plausibleToken(token) {
		return ErrResetToken
	}
	if _, err := p.store.PasswordResetUser(ctx, auth.HashSecret(token), p.now()); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return ErrResetToken
		}
		return err
	}
	return nil
}

// Confirm sets a new password with token: the password policy applies as
// at registration, and the store spends the token, ends every session and
// API token of the account and spends its other reset links, in one
// transaction. A bad token is ErrResetToken; a weak password a
// *validate.Error on new_password (the token stays usable).
func (p *PasswordResets) Confirm(ctx context.Context, token, newPassword string) error {
	if !plausibleToken(token) {
		return ErrResetToken
	}
	hash := auth.HashSecret(token)
	userID, err := p.store.PasswordResetUser(ctx, hash, p.now())
	if errors.Is(err, store.ErrNotFound) {
		return ErrResetToken
	}
	if err != nil {
		return err
	}
	u, err := p.store.UserByID(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrResetToken
	}
	if err != nil {
		return err
	}
	var errs validate.Errors
	auth.CheckPasswordRules(&errs, "new_password", newPassword, u.Username, u.Email)
	if len(errs) > 0 {
		return errs.Err()
	}
	pwHash, err := auth.HashPassword(newPassword)
	if err != nil {
		return err
	}
	if _, _, err := p.store.ResetPassword(ctx, hash, pwHash, p.now()); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return ErrResetToken
		}
		return err
	}
	return nil
}

// plausibleToken rejects what auth.NewSecret cannot have made before
// touching the database.
func plausibleToken(t string) bool {
	if len(t) != 43 {
		return false
	}
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
