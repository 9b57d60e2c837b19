package account

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/ratelimit"
	"github.com/reccollection/reccollection/internal/store"
)

// Second-factor attempts are throttled per account like sign-ins: a
// six-digit code must not be guessable by brute force.
const FailuresPerAccountMFA = 5

var (
	// ErrNoSecondFactor means the user has not enrolled (or not confirmed).
	ErrNoSecondFactor = errors.New("no second factor is set up")
	// ErrBadCode is a wrong, reused or expired code.
	ErrBadCode = errors.New("that code is not valid; codes change every 30 seconds and work once")
	// ErrAlreadyEnabled refuses a new enrolment while a second factor is
	// on: starting again would drop the working one before the new one is
	// confirmed.
	ErrAlreadyEnabled = errors.New("two-factor authentication is already on; turn it off first to move it to a new device")
)

// Audit log actions of the second factor.
const (
	AuditMFAEnrol        = "mfa.enrol"
	AuditMFADisable      = "mfa.disable"
	AuditMFAVerify       = "mfa.verify"
	AuditMFAVerifyFailed = "mfa.verify_failed"
	AuditMFAReset        = "mfa.reset"
)

// MFA runs TOTP enrolment and verification. Secrets are sealed with a key
// derived from RECC_SECRET_KEY before they reach the database.
type MFA struct {
	store  *store.Store
	sealer *auth.Sealer
	issuer string
	// limiter counts code attempts (throttle.go), reserved before a code
	// is checked.
	limiter ratelimit.Limiter
	now     func() time.Time
}

// NewMFA returns the second-factor service; issuer names the site in
// authenticator apps.
func NewMFA(s *store.Store, secretKey []byte, issuer string, previousKeys ...[]byte) (*MFA, error) {
	sealer, err := auth.NewSealer(secretKey, "totp", previousKeys...)
	if err != nil {
		return nil, err
	}
	return &MFA{store: s, sealer: sealer, issuer: issuer, limiter: ratelimit.NewMemory(0), now: time.Now}, nil
}

// SetLimiter makes code attempts count on l, the server's shared limiter.
// Call it before the service is shared.
func (m *MFA) SetLimiter(l ratelimit.Limiter) { m.limiter = l }

// Enrolment is what a user needs to add the account to an authenticator app.
type Enrolment struct {
	Secret string
	URL    string
	QRCode []byte // PNG
}

// Start begins (or restarts) enrolment: a new secret, not active until
// Confirm sees a code from it.
func (m *MFA) Start(ctx context.Context, u *auth.User) (*Enrolment, error) {
	if on, err := m.Enabled(ctx, u); err != nil {
		return nil, err
	} else if on {
		return nil, ErrAlreadyEnabled
	}
	e, err := auth.NewTOTP(m.issuer, u.Username)
	if err != nil {
		return nil, err
	}
	png, err := auth.TOTPQRCode(e.URL, 240)
	if err != nil {
		return nil, err
	}
	if err := m.store.StartTOTP(ctx, u.ID, m.sealer.Seal(e.Secret)); err != nil {
		return nil, err
	}
	return &Enrolment{Secret: e.Secret, URL: e.URL, QRCode: png}, nil
}

// Confirm checks the first code from a pending enrolment, turns the second
// factor on and returns the recovery codes, shown to the user once.
func (m *MFA) Confirm(ctx context.Context, u *auth.User, code string) ([]string, error) {
	t, err := m.store.UserTOTP(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.EnabledAt != nil) {
		return nil, ErrNoSecondFactor
	}
	if err != nil {
		return nil, err
	}
	if err := m.check(ctx, u, t, code); err != nil {
		return nil, err
	}
	codes, hashes := auth.NewRecoveryCodes(auth.RecoveryCodeCount)
	if err := m.store.EnableTOTP(ctx, u.ID, hashes); err != nil {
		return nil, err
	}
	return codes, nil
}

// Enabled reports whether the user has a confirmed second factor.
func (m *MFA) Enabled(ctx context.Context, u *auth.User) (bool, error) {
	t, err := m.store.UserTOTP(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return t.EnabledAt != nil, nil
}

// Verify accepts a current code or an unused recovery code from a user
// with a confirmed second factor and marks the session as verified.
func (m *MFA) Verify(ctx context.Context, u *auth.User, sess *auth.Session, code string) error {
	t, err := m.store.UserTOTP(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.EnabledAt == nil) {
		return ErrNoSecondFactor
	}
	if err != nil {
		return err
	}
	if err := m.check(ctx, u, t, code); err != nil {
		return err
	}
	if sess == nil {
		return nil
	}
	return m.store.MarkSessionMFA(ctx, sess.ID)
}

// check accepts a TOTP code (once per time step) or, failing that, a
// recovery code, throttled per account: the attempt is reserved before
// the code is looked at and given back when it was right.
func (m *MFA) check(ctx context.Context, u *auth.User, t *store.TOTP, code string) error {
	res, err := reserve(ctx, m.limiter, charges(mfaKey(u.ID), mfaBudgets)...)
	if err != nil {
		return err
	}
	secret, err := m.sealer.Open(t.SecretSealed)
	if err != nil {
		return err
	}
	if step, ok := auth.CheckTOTP(secret, code, m.now(), t.LastUsedStep); ok {
		used, err := m.store.UseTOTPStep(ctx, u.ID, step)
		if err != nil {
			return err
		}
		if used {
			res.release(ctx)
			m.resealOne(ctx, u.ID, t.SecretSealed)
			return nil
		}
	} else if t.EnabledAt != nil {
		used, err := m.store.UseRecoveryCode(ctx, u.ID, auth.HashRecoveryCode(code))
		if err != nil {
			return err
		}
		if used {
			res.release(ctx)
			return nil
		}
	}
	return ErrBadCode
}

// Disable removes the second factor after checking a current code.
func (m *MFA) Disable(ctx context.Context, u *auth.User, code string) error {
	t, err := m.store.UserTOTP(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSecondFactor
	}
	if err != nil {
		return err
	}
	if err := m.check(ctx, u, t, code); err != nil {
		return err
	}
	return m.store.DisableTOTP(ctx, u.ID)
}

// MarkVerified records that the credential a request came with proved the
// second factor: the bearer token when there is one, else the session.
func (m *MFA) MarkVerified(ctx context.Context, sess *auth.Session, tok *auth.APIToken) error {
	switch {
	case tok != nil:
		return m.store.MarkTokenMFA(ctx, tok.ID)
	case sess != nil:
		return m.store.MarkSessionMFA(ctx, sess.ID)
	}
	return nil
}

// Status is what a user sees of their second factor.
type Status struct {
	Enabled           bool
	Pending           bool // enrolment started, awaiting its first code
	EnabledAt         *time.Time
	RecoveryCodesLeft int
}

// Status reports the user's second-factor state.
func (m *MFA) Status(ctx context.Context, u *auth.User) (Status, error) {
	t, err := m.store.UserTOTP(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return Status{}, nil
	}
	if err != nil {
		return Status{}, err
	}
	st := Status{Enabled: t.EnabledAt != nil, Pending: t.EnabledAt == nil, EnabledAt: t.EnabledAt}
	if st.Enabled {
		if st.RecoveryCodesLeft, err = m.store.RecoveryCodesLeft(ctx, u.ID); err != nil {
			return Status{}, err
		}
	}
	return st, nil
}

// Reset removes a user's second factor without a code: the operator's way
// back in for someone who lost both authenticator and recovery codes
// (`reccollection user mfa-reset`). It is audited.
func (m *MFA) Reset(ctx context.Context, u *auth.User, details string) error {
	if err := m.store.DisableTOTP(ctx, u.ID); err != nil {
		return err
	}
	m.Audit(ctx, nil, AuditMFAReset, u, Client{}, details)
	return nil
}

// Audit appends a second-factor event about target (done by actor, nil for
// the operator's command line) to the audit log. A failure to write is
// logged, not returned: the change it describes has already happened.
func (m *MFA) Audit(ctx context.Context, actor *auth.User, action string, target *auth.User, c Client, details string) {
	e := store.AuditEntry{Action: action, IP: c.IP, Details: details}
	if actor != nil {
		e.ActorID = actor.ID
	}
	if target != nil {
		e.Target = "user:" + target.ID
	}
	if err := m.store.Audit(ctx, e); err != nil {
		slog.WarnContext(ctx, "append audit log", "action", action, "err", err)
	}
}
