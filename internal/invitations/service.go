// Package invitations brings people into a household: an owner makes an
// invitation as a link to hand out or as an email, and whoever holds the
// link sees who invites them, then accepts or declines. The token exists
// only in the link; the store keeps its hash (store/households.go), as
// for share links.
package invitations

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
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/sharing"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// PathPrefix is where an invitation link points: PathPrefix + token.
const PathPrefix = "/household/join/"

// ErrEmailUnavailable: the server cannot send email, so invitations can
// be made as links but not sent.
var ErrEmailUnavailable = errors.New("sending invitations by email is not available: this server has no email configured")

// Service makes, sends, opens, accepts and declines invitations.
type Service struct {
	store   *store.Store
	sender  notify.Sender // nil: email is not configured
	siteURL string
	enqueue func(ctx context.Context, job EmailJob) error
	now     func() time.Time
	log     *slog.Logger
}

// New returns the service. sender nil means no email; enqueue puts
// DeliverEmail(job) on the job queue.
func New(s *store.Store, sender notify.Sender, siteURL string, enqueue func(context.Context, EmailJob) error, logger *slog.Logger) *Service {
	return &Service{store: s, sender: sender, siteURL: strings.TrimSuffix(siteURL, "/"), enqueue: enqueue, now: time.Now, log: logger}
}

// SetClock replaces the clock that dates and expires invitations (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Now is the service's clock, for the household reads that go with it.
func (s *Service) Now() time.Time { return s.now() }

// EmailAvailable reports whether invitations can be sent by email.
func (s *Service) EmailAvailable() bool { return s != nil && s.sender != nil }

// Created is a new invitation with its link: the only time the token
// exists outside the invited person's address bar.
type Created struct {
	planner.Invitation
	Token string `json:"token"`
	URL   string `json:"url"`
}

// CalendarURL is the absolute address of the household's iCalendar feed
// of token (planner.CalendarPath); the service makes it because it knows
// the site's address.
func (s *Service) CalendarURL(token string) string {
	return s.siteURL + planner.CalendarPath + url.PathEscape(token) + ".ics"
}

// URL is the absolute address of the invitation page of token.
func (s *Service) URL(token string) string { return s.siteURL + PathPrefix + url.PathEscape(token) }

// CreateLink makes an invitation by link in userID's household.
func (s *Service) CreateLink(ctx context.Context, userID string) (*Created, error) {
	return s.create(ctx, userID, "")
}

func (s *Service) create(ctx context.Context, userID, email string) (*Created, error) {
	token := auth.NewSecret()
	inv, err := s.store.CreateHouseholdInvitation(ctx, userID, store.NewInvitation{TokenHash: auth.HashSecret(token), Email: email}, s.now())
	if err != nil {
		return nil, err
	}
	return &Created{Invitation: *inv, Token: token, URL: s.URL(token)}, nil
}

// EmailJob is what the job queue carries for one invitation email. It
// holds no token: the invitation is made when the message is sent.
type EmailJob struct {
	InviterID string `json:"inviter_id"`
	To        string `json:"to"`
}

// SendByEmail checks the address and that userID owns a household with
// room for one more member and invitation, then queues the message.
func (s *Service) SendByEmail(ctx context.Context, userID, to string) error {
	var errs validate.Errors
	to = sharing.Address(&errs, "email", to)
	if err := errs.Err(); err != nil {
		return err
	}
	h, err := s.store.Household(ctx, userID, s.now())
	if err != nil {
		return err
	}
	switch {
	case !h.Owner():
		return store.ErrNotHouseholdOwner
	case len(h.Members) >= planner.MaxMembers:
		return store.ErrHouseholdFull
	case len(h.Invitations) >= planner.MaxPendingInvitations:
		return store.ErrTooManyInvitations
	case !s.EmailAvailable():
		return ErrEmailUnavailable
	}
	return s.enqueue(ctx, EmailJob{InviterID: userID, To: to})
}

// DeliverEmail makes the invitation of job and sends it: the job queue's
// work. An inviter who since lost their account or their owner role, or
// whose household filled up, sends nothing (a retry would not change
// that). A failed send withdraws the invitation (nobody received it) and
// returns the error, so the queue retries with a new one.
func (s *Service) DeliverEmail(ctx context.Context, job EmailJob) error {
	if s.sender == nil {
		return ErrEmailUnavailable
	}
	u, err := s.store.UserByID(ctx, job.InviterID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.DisabledAt != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	created, err := s.create(ctx, u.ID, job.To)
	switch {
	case errors.Is(err, store.ErrNotHouseholdOwner), errors.Is(err, store.ErrHouseholdFull), errors.Is(err, store.ErrTooManyInvitations):
		s.log.WarnContext(ctx, "household invitation not sent", "reason", err.Error())
		return nil
	case err != nil:
		return err
	}
	h, err := s.store.Household(ctx, u.ID, s.now())
	if err != nil {
		return err
	}
	name := u.DisplayName
	if name == "" {
		name = u.Username
	}
	msg, err := notify.Render("household_invitation", job.To, notify.HouseholdInvitation{
		SenderName: notify.OneLine(name), SenderUsername: u.Username, Household: notify.OneLine(h.Name),
		Link: created.URL, Expires: created.ExpiresAt.Format("2 January 2006"), SiteURL: s.siteURL,
	})
	if err == nil {
		err = s.sender.Send(ctx, msg)
	}
	if err == nil {
		return nil
	}
	if rerr := s.store.RevokeHouseholdInvitation(context.WithoutCancel(ctx), u.ID, created.ID, s.now()); rerr != nil && !errors.Is(rerr, store.ErrNotFound) {
		s.log.WarnContext(ctx, "withdraw the invitation of an unsent email", "err", rerr)
	}
	return fmt.Errorf("send household invitation: %w", err)
}

// Open is the invitation of token as userID sees it before answering.
// Unknown, used, withdrawn and expired tokens are all store.ErrNotFound.
func (s *Service) Open(ctx context.Context, userID, token string) (*planner.Offer, error) {
	if !sharing.PlausibleToken(token) {
		return nil, store.ErrNotFound
	}
	return s.store.HouseholdOffer(ctx, userID, auth.HashSecret(token), s.now())
}

// Accept makes userID a member of the household of token's invitation.
func (s *Service) Accept(ctx context.Context, userID, token string) (*planner.Household, error) {
	if !sharing.PlausibleToken(token) {
		return nil, store.ErrNotFound
	}
	return s.store.AcceptHouseholdInvitation(ctx, userID, auth.HashSecret(token), s.now())
}

// Decline uses token's invitation up without joining.
func (s *Service) Decline(ctx context.Context, token string) error {
	if !sharing.PlausibleToken(token) {
		return store.ErrNotFound
	}
	return s.store.DeclineHouseholdInvitation(ctx, auth.HashSecret(token), s.now())
}
