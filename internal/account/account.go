// Package account holds the account workflows shared by the JSON API and
// the web pages: registration, sign-in with throttling, sessions, password
// changes and API tokens. Both front ends call it, so a rule (or a
// throttle budget) cannot differ between them.
package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/ratelimit"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Limits of API tokens; the sign-in throttle's are in throttle.go.
const (
	MaxTokens          = 100
	LoginTokenLifetime = 30 * 24 * time.Hour
)

var (
	// ErrBadCredentials is a failed sign-in; it never says which part was wrong.
	ErrBadCredentials = errors.New("wrong username, email or password")
	// ErrTooManyTokens refuses a personal API token over MaxTokens.
	ErrTooManyTokens = fmt.Errorf("you have the maximum of %d API tokens; revoke one first", MaxTokens)
)

// ThrottledError says that too many attempts failed and when to retry.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed attempts; try again in %d seconds", e.Seconds())
}

// Seconds is RetryAfter in whole seconds, rounded up, for Retry-After.
func (e *ThrottledError) Seconds() int { return int((e.RetryAfter + time.Second - 1) / time.Second) }

// Client describes where a request came from, for sessions and throttling.
type Client struct {
	IP        string
	UserAgent string
	// Device is the device cookie the browser sent (device.go), "" if none.
	Device string
}

// Service is safe for concurrent use; one per process.
type Service struct {
	store    *store.Store
	limiter  ratelimit.Limiter
	devices  *deviceSigner
	observer LoginObserver
	// checkPassword verifies a password against its hash; tests count
	// the calls to prove that refused attempts never reach it.
	checkPassword func(hash, password string) error
}

// Reasons passed to LoginObserver.LoginFailed.
const (
	FailureBadCredentials = "bad_credentials"
	FailureThrottled      = "throttled"
)

// LoginObserver is told about every refused sign-in, for metrics; the
// reason is FailureBadCredentials or FailureThrottled, never the login.
type LoginObserver interface {
	LoginFailed(reason string)
}

// SetLoginObserver installs o; call it before the service is shared.
func (s *Service) SetLoginObserver(o LoginObserver) { s.observer = o }

func (s *Service) loginFailed(reason string) {
	if s.observer != nil {
		s.observer.LoginFailed(reason)
	}
}

// New returns the service, throttling on a limiter of its own and signing
// device cookies with a random key until SetLimiter and SetDeviceKey say
// otherwise (the server sets both; tests of one service need neither).
func New(s *store.Store) *Service {
	return &Service{
		store:         s,
		limiter:       ratelimit.NewMemory(0),
		devices:       newDeviceSigner([]byte(auth.NewSecret())),
		checkPassword: auth.CheckPassword,
	}
}

// SetLimiter makes password attempts count on l: the server's shared
// limiter, so every replica sees one budget when Redis is configured.
// Call it before the service is shared.
func (s *Service) SetLimiter(l ratelimit.Limiter) { s.limiter = l }

// SetDeviceKey derives the device cookies' signing key from the secret key
// (RECC_SECRET_KEY); cookies signed under previousKeys still verify. Call
// it before the service is shared.
func (s *Service) SetDeviceKey(secretKey []byte, previousKeys ...[]byte) {
	s.devices = newDeviceSigner(secretKey, previousKeys...)
}

// Register validates reg and creates the account. Invalid input is a
// *validate.Error, a taken username or email a *store.ConflictError.
func (s *Service) Register(ctx context.Context, reg auth.Registration) (*auth.User, error) {
	if errs := reg.Normalize(); len(errs) > 0 {
		return nil, errs.Err()
	}
	hash, err := auth.HashPassword(reg.Password)
	if err != nil {
		return nil, err
	}
	u := &auth.User{Username: reg.Username, Email: reg.Email, DisplayName: reg.DisplayName, PasswordHash: hash, Role: auth.RoleUser}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// Authenticate checks a login (username or email) and password, throttled
// per IP and per account or known device (throttle.go). It returns
// ErrBadCredentials or a *ThrottledError on failure, and records the
// sign-in on success.
func (s *Service) Authenticate(ctx context.Context, login, password string, c Client) (*auth.User, error) {
	u, err := s.store.UserByLogin(ctx, login)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	// Throttle by account id, so a username and an email share one budget.
	cs := charges(ipKey(c.IP), ipBudgets)
	var device string // the nonce of this browser's device cookie for u
	if u != nil {
		device = s.devices.deviceFor(c.Device, u.ID, time.Now())
	}
	switch {
	case u == nil:
		cs = append(cs, charges(loginKey(login), accountBudgets)...)
	case device != "":
		cs = append(cs, charges(deviceKey(u.ID, device), deviceBudgets)...)
	default:
		cs = append(cs, charges(accountKey(u.ID), accountBudgets)...)
	}
	res, err := reserve(ctx, s.limiter, cs...)
	if err != nil {
		var te *ThrottledError
		if errors.As(err, &te) {
			s.loginFailed(FailureThrottled)
			s.auditLogin(ctx, AuditLoginFailed, u, c, FailureThrottled)
		}
		return nil, err
	}
	if u == nil {
		auth.BurnPasswordCheck(password)
	}
	if u == nil || s.checkPassword(u.PasswordHash, password) != nil {
		s.loginFailed(FailureBadCredentials)
		s.auditLogin(ctx, AuditLoginFailed, u, c, FailureBadCredentials)
		return nil, ErrBadCredentials
	}
	// The right password: the attempt costs nothing. The failures before
	// it stay counted until they refill, so a success does not hand
	// whoever is guessing a fresh budget.
	res.release(ctx)
	// A disabled account answers like a wrong password: its owner learns
	// nothing an attacker could not, and support can tell them why.
	if u.DisabledAt != nil {
		s.auditLogin(ctx, AuditLoginFailed, u, c, "disabled")
		return nil, ErrBadCredentials
	}
	if err := s.store.TouchLogin(ctx, u.ID); err != nil {
		return nil, err
	}
	s.auditLogin(ctx, AuditLogin, u, c, "")
	fresh, err := s.store.UserByID(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	// What this sign-in issues belongs to the credentials epoch in which
	// its password was checked: if a revocation (password change, disable)
	// came in between, the new session or token is born revoked.
	fresh.CredentialsEpoch = u.CredentialsEpoch
	return fresh, nil
}

// Audit log actions of signing in, from either front end.
const (
	AuditLogin       = "login.succeeded"
	AuditLoginFailed = "login.failed"
)

// auditLogin records a sign-in attempt. The login as typed is not
// written (people type passwords into it); an attempt on an unknown
// account has no target. A failure to write is logged, not returned.
func (s *Service) auditLogin(ctx context.Context, action string, u *auth.User, c Client, details string) {
	e := store.AuditEntry{Action: action, IP: c.IP, Details: details}
	if u != nil {
		e.Target = "user:" + u.ID
		if action == AuditLogin {
			e.ActorID = u.ID
		}
	} else if details == FailureBadCredentials {
		e.Details = "unknown account"
	}
	if err := s.store.Audit(ctx, e); err != nil {
		slog.WarnContext(ctx, "append audit log", "action", action, "err", err)
	}
}

// StartSession creates a browser session for u and returns the cookie
// value; only its hash is stored. The session starts without the second
// factor and in u's credentials epoch.
func (s *Service) StartSession(ctx context.Context, u *auth.User, c Client) (string, error) {
	return s.startSession(ctx, u, c, nil)
}

// startSession is StartSession, already verified at mfaVerifiedAt when
// that is not nil.
func (s *Service) startSession(ctx context.Context, u *auth.User, c Client, mfaVerifiedAt *time.Time) (string, error) {
	secret := auth.NewSecret()
	now := time.Now().UTC()
	ua := c.UserAgent
	if len(ua) > 200 {
		ua = ua[:200]
	}
	err := s.store.CreateSession(ctx, auth.Session{
		ID: auth.HashSecret(secret), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(auth.SessionLifetime), UserAgent: ua, IP: c.IP,
		MFAVerifiedAt: mfaVerifiedAt, Epoch: u.CredentialsEpoch,
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// EndSession signs a browser out.
func (s *Service) EndSession(ctx context.Context, sess *auth.Session) error {
	if sess == nil {
		return nil
	}
	return s.store.DeleteSession(ctx, sess.ID)
}

// issueToken creates tok for u, in u's credentials epoch, with a new
// secret and returns the secret, the only time it is visible. Login
// tokens make room by pruning the oldest login tokens, so signing in never
// fails on a limit; personal tokens are capped separately
// (ErrTooManyTokens).
func (s *Service) issueToken(ctx context.Context, u *auth.User, tok *auth.APIToken) (string, error) {
	tok.UserID, tok.Epoch = u.ID, u.CredentialsEpoch
	if err := s.store.PruneAPITokens(ctx, tok.UserID, MaxTokens-1); err != nil {
		return "", err
	}
	if tok.Source == auth.TokenFromUser {
		n, err := s.store.CountAPITokens(ctx, tok.UserID, auth.TokenFromUser)
		if err != nil {
			return "", err
		}
		if n >= MaxTokens {
			return "", ErrTooManyTokens
		}
	}
	secret := auth.NewAPIToken()
	tok.Hash = auth.HashSecret(secret)
	if err := s.store.CreateAPIToken(ctx, tok); err != nil {
		return "", err
	}
	return secret, nil
}

// IssueLoginToken issues the 30-day token that a sign-in through the API
// returns; name defaults to the date. It never starts verified: a sign-in
// proves the password only.
func (s *Service) IssueLoginToken(ctx context.Context, u *auth.User, name string) (string, *auth.APIToken, error) {
	if name == "" {
		name = "login " + time.Now().UTC().Format("2006-01-02 15:04")
	}
	exp := time.Now().UTC().Add(LoginTokenLifetime)
	tok := &auth.APIToken{Name: name, Source: auth.TokenFromLogin, ExpiresAt: &exp}
	secret, err := s.issueToken(ctx, u, tok)
	return secret, tok, err
}

// ChangePassword checks the current password (throttled like sign-in) and
// sets the new one, which revokes every session and every API token of
// the account, sign-in and personal tokens alike: whoever else had access,
// or a credential made with the old password, loses it. When the change
// came from a browser session (by.Session), that browser is signed in
// again: the cookie value of its new session is returned, verified if the
// session that made the change was. A bearer client gets "" and signs in
// again with the new password.
func (s *Service) ChangePassword(ctx context.Context, u *auth.User, current, next string, c Client, by auth.Credential) (string, error) {
	var errs validate.Errors
	if current == "" {
		errs.Add("current_password", "is required")
	}
	auth.CheckPasswordRules(&errs, "new_password", next, u.Username, u.Email)
	if len(errs) > 0 {
		return "", errs.Err()
	}
	if err := s.reauthenticate(ctx, u, "current_password", current); err != nil {
		return "", err
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return "", err
	}
	rev, err := s.store.SetPassword(ctx, u.ID, hash)
	if err != nil {
		return "", err
	}
	u.PasswordHash, u.CredentialsEpoch = hash, rev.Epoch
	if by.Session == nil {
		return "", nil
	}
	var verified *time.Time
	if by.MFAVerified() {
		now := time.Now().UTC()
		verified = &now
	}
	return s.startSession(ctx, u, c, verified)
}

// CheckPassword asks for the current password again before a sensitive
// change (enrolling a second factor), throttled like sign-in. A wrong
// password is a *validate.Error on field.
func (s *Service) CheckPassword(u *auth.User, field, password string) error {
	if password == "" {
		return validate.Errors{{Field: field, Message: "is required"}}.Err()
	}
	return s.reauthenticate(context.Background(), u, field, password)
}

// reauthenticate checks a signed-in user's password, throttled on the
// account's re-authentication budget (reserved first, given back when the
// password is right).
func (s *Service) reauthenticate(ctx context.Context, u *auth.User, field, password string) error {
	res, err := reserve(ctx, s.limiter, charges(reauthKey(u.ID), reauthBudgets)...)
	if err != nil {
		return err
	}
	if s.checkPassword(u.PasswordHash, password) != nil {
		return validate.Errors{{Field: field, Message: "is not your current password"}}.Err()
	}
	res.release(ctx)
	return nil
}

// ClientOf describes the client of r. Behind a load balancer every request
// would share its address; forwarded headers are honoured only from
// trusted proxies, which the operations layer configures.
func ClientOf(r *http.Request) Client {
	c := Client{IP: httpx.ClientIP(r), UserAgent: r.UserAgent()}
	if dc, err := r.Cookie(DeviceCookie); err == nil {
		c.Device = dc.Value
	}
	return c
}
