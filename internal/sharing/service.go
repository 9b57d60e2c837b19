package sharing

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
	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// PathPrefix is where a share link points: PathPrefix + token.
const PathPrefix = "/s/"

// ErrEmailUnavailable: the server has no way to send email, so links can
// be made and copied but not sent.
var ErrEmailUnavailable = errors.New("sending share links by email is not available: this server has no email configured")

// Service makes, lists, revokes, opens and emails share links.
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

// SetClock replaces the clock that dates and expires links (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// EmailAvailable reports whether links can be sent by email.
func (s *Service) EmailAvailable() bool { return s != nil && s.sender != nil }

// LinkInput is a new link as a person asks for it: an expiry choice or a
// date (both optional; neither is no expiry) and a label.
type LinkInput struct {
	Expires   string
	ExpiresAt string
	Label     string
}

// Created is a new link with its token: the only time the token exists
// outside the visitor's address bar.
type Created struct {
	store.ShareLink
	Token string `json:"token"`
	URL   string `json:"url"`
}

// Create makes a link to recipe id for its author v. Bad input is a
// *validate.Error before anything is looked up; the recipe's rules are
// store.CreateShareLink's (ErrNotFound, ErrNotAuthor,
// ErrTooManyShareLinks).
func (s *Service) Create(ctx context.Context, v recipe.Viewer, id string, in LinkInput) (*Created, error) {
	now := s.now().UTC()
	var errs validate.Errors
	label := Label(&errs, "label", in.Label)
	expires := ExpiryFor(&errs, "expires", in.Expires, "expires_at", in.ExpiresAt, now)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s.create(ctx, v, id, label, expires, now)
}

func (s *Service) create(ctx context.Context, v recipe.Viewer, id, label string, expires *time.Time, now time.Time) (*Created, error) {
	token := auth.NewSecret()
	link, err := s.store.CreateShareLink(ctx, v, id, store.NewShareLink{TokenHash: auth.HashSecret(token), Label: label, ExpiresAt: expires}, now)
	if err != nil {
		return nil, err
	}
	return &Created{ShareLink: *link, Token: token, URL: s.URL(token)}, nil
}

// URL is the absolute address of the share page of token.
func (s *Service) URL(token string) string { return s.siteURL + PathPrefix + url.PathEscape(token) }

// List is recipe id's live links for its author v.
func (s *Service) List(ctx context.Context, v recipe.Viewer, id string) ([]store.ShareLink, error) {
	return s.store.ShareLinks(ctx, v, id, s.now())
}

// LiveLinks is List for a caller that already knows v wrote the recipe.
func (s *Service) LiveLinks(ctx context.Context, id string) ([]store.ShareLink, error) {
	return s.store.LiveShareLinks(ctx, id, s.now())
}

// Revoke ends link linkID of recipe id at once.
func (s *Service) Revoke(ctx context.Context, v recipe.Viewer, id, linkID string) error {
	return s.store.RevokeShareLink(ctx, v, id, linkID)
}

// PlausibleToken says whether token could be one this service made (43
// characters of unpadded base64url), so a malformed one is turned away
// without a query.
func PlausibleToken(token string) bool {
	if len(token) != 43 {
		return false
	}
	for _, c := range token {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Open resolves a visit of the share page of token: the recipe, whatever
// its visibility, counting the visit. Unknown, revoked and expired
// tokens are all store.ErrNotFound.
func (s *Service) Open(ctx context.Context, token string) (*recipe.Recipe, error) {
	if !PlausibleToken(token) {
		return nil, store.ErrNotFound
	}
	id, err := s.store.UseShareLink(ctx, auth.HashSecret(token), s.now())
	if err != nil {
		return nil, err
	}
	return s.store.Recipe(ctx, id)
}

// EmailInput is "send by email": the recipient, a note and how long the
// link made for it lasts.
type EmailInput struct {
	To        string
	Message   string
	Expires   string
	ExpiresAt string
}

// EmailJob is what the job queue carries for one email. It holds no
// token: the link is made by DeliverEmail, when the message is sent, so
// a token never rests in the queue's table.
type EmailJob struct {
	SenderID  string     `json:"sender_id"`
	RecipeID  string     `json:"recipe_id"`
	To        string     `json:"to"`
	Message   string     `json:"message"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// SendByEmail is "send by email", whole: it checks the input and that v
// wrote recipe id and has room for one more link, then queues the
// message; the job makes a fresh link for it (DeliverEmail). Everything
// that should happen when a recipe is shared with someone by email joins
// here.
func (s *Service) SendByEmail(ctx context.Context, v recipe.Viewer, id string, in EmailInput) error {
	now := s.now().UTC()
	var errs validate.Errors
	to := Address(&errs, "to", in.To)
	msg := Message(&errs, "message", in.Message)
	expires := ExpiryFor(&errs, "expires", in.Expires, "expires_at", in.ExpiresAt, now)
	if err := errs.Err(); err != nil {
		return err
	}
	if _, err := s.store.ShareableRecipe(ctx, v, id); err != nil {
		return err
	}
	if !s.EmailAvailable() {
		return ErrEmailUnavailable
	}
	live, err := s.store.LiveShareLinks(ctx, id, now)
	if err != nil {
		return err
	}
	if len(live) >= store.MaxShareLinksPerRecipe {
		return store.ErrTooManyShareLinks
	}
	return s.enqueue(ctx, EmailJob{SenderID: v.UserID, RecipeID: id, To: to, Message: msg, ExpiresAt: expires})
}

// DeliverEmail makes the link of job and sends it: the job queue's work.
// A sender who lost their account or the recipe since, or a recipe at
// its cap of links, sends nothing (retrying would not change that). A
// failed send deletes the link (nobody received it) and returns the
// error, so the queue retries with a new one.
func (s *Service) DeliverEmail(ctx context.Context, job EmailJob) error {
	if s.sender == nil {
		return ErrEmailUnavailable
	}
	u, err := s.store.UserByID(ctx, job.SenderID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.DisabledAt != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	v := recipe.Viewer{UserID: u.ID}
	title, err := s.store.ShareableRecipe(ctx, v, job.RecipeID)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrNotAuthor) {
		return nil
	}
	if err != nil {
		return err
	}
	now := s.now().UTC()
	if job.ExpiresAt != nil && !job.ExpiresAt.After(now) {
		return nil // queued so long that its link would be born expired
	}
	created, err := s.create(ctx, v, job.RecipeID, "Sent to "+job.To, job.ExpiresAt, now)
	if errors.Is(err, store.ErrTooManyShareLinks) {
		s.log.WarnContext(ctx, "share link email not sent: the recipe has the most links it may have", "recipe_id", job.RecipeID)
		return nil
	}
	if err != nil {
		return err
	}
	data := notify.SharedRecipe{
		SenderName: notify.OneLine(greeting(u)), SenderUsername: u.Username, Title: notify.OneLine(title),
		Message: job.Message, Link: created.URL, SiteURL: s.siteURL,
	}
	if job.ExpiresAt != nil {
		data.Expires = job.ExpiresAt.UTC().Format("2 January 2006")
	}
	msg, err := notify.Render("shared_recipe", job.To, data)
	if err == nil {
		err = s.sender.Send(ctx, msg)
	}
	if err == nil {
		// An address of an account also finds the recipe among its
		// notifications; the email is sent whatever becomes of that.
		if nerr := s.store.NotifyShared(context.WithoutCancel(ctx), job.SenderID, job.RecipeID, job.To); nerr != nil {
			s.log.WarnContext(ctx, "record shared recipe notification", "err", nerr)
		}
		return nil
	}
	if ferr := s.store.ForgetShareLink(context.WithoutCancel(ctx), auth.HashSecret(created.Token)); ferr != nil {
		s.log.WarnContext(ctx, "forget the link of an unsent share email", "err", ferr)
	}
	return fmt.Errorf("send share link email: %w", err)
}

func greeting(u *auth.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// ShowPhotos makes the photo URLs of rec, opened by a share link, carry
// its token (photos.ShareParam): /media/ serves a private recipe's
// photos only to its author or with a live link of that recipe. Photos
// of other recipes are served to anyone (and perhaps by a CDN, whose
// cache a per-link URL would only split), so they stay as they are.
func ShowPhotos(rec *recipe.Recipe, token string) {
	if rec.Visibility != recipe.Private {
		return
	}
	withToken := func(p *recipe.Photo) {
		if p == nil {
			return
		}
		suffix := "?" + photos.ShareParam + "=" + url.QueryEscape(token)
		for i := range p.Variants {
			if u := p.Variants[i].URL; u != "" && !strings.Contains(u, "?") {
				p.Variants[i].URL = u + suffix
			}
		}
		if p.URL != "" && !strings.Contains(p.URL, "?") {
			p.URL += suffix
		}
	}
	withToken(rec.Photo)
	for i := range rec.Photos {
		withToken(&rec.Photos[i])
	}
}
