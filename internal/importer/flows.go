package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/reccollection/reccollection/internal/ai"
	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// PageFetcher is what the flows need of the fetcher (*Fetcher): every
// outbound request goes through it.
type PageFetcher interface {
	Page(ctx context.Context, url string) (*Page, error)
	// Image returns the picture's bytes and content type.
	Image(ctx context.Context, url string) ([]byte, string, error)
}

// TextReader structures free text as a recipe with an AI service, as
// (*ai.Service).Recipe does, recording the request for userID.
type TextReader interface {
	Recipe(ctx context.Context, userID, text string) (*extract.Recipe, error)
}

// PhotoSetter stores a picture as a recipe's main photo, as an upload
// is (*photos.Service).
type PhotoSetter interface {
	SetMain(ctx context.Context, userID, recipeID string, body io.Reader, alt string) (*recipe.Photo, error)
}

// PhotoJob is the download of a saved recipe's photo, run by the job
// queue (FetchPhoto).
type PhotoJob struct {
	RecipeID string `json:"recipe_id"`
	UserID   string `json:"user_id"`
	URL      string `json:"url"`
}

// BulkJob is the work of one bulk import, run by the job queue (RunBulk).
type BulkJob struct {
	BulkID string `json:"bulk_id"`
	UserID string `json:"user_id"`
}

// Defaults of Options.
const (
	DefaultBulkPause         = 2 * time.Second
	DefaultBulkItemTime      = 30 * time.Second
	DefaultMaxActiveBulks    = 3
	DefaultMaxBulkURLsPerDay = 1000
)

// Options are the Service's connections to the job queue and its limits.
type Options struct {
	// EnqueuePhoto queues a PhotoJob; nil means photos are not fetched.
	EnqueuePhoto func(ctx context.Context, job PhotoJob) error
	// EnqueueBulk queues a BulkJob; StartBulk needs it.
	EnqueueBulk func(ctx context.Context, job BulkJob) error
	// AI reads free text as a recipe with an AI service (*ai.Service);
	// nil means a Source with AI set is ai.ErrNotConfigured.
	AI TextReader
	// FetchBudget reserves one outbound fetch against the instance-wide
	// cap, answering when one would be allowed if not now; nil means no
	// cap. A person's preview over the cap is ErrBusy; a bulk import
	// waits for the budget, a photo download is retried later.
	FetchBudget func(ctx context.Context) (ok bool, retryAfter time.Duration)
	// BulkPause is the wait between two fetches of one bulk import, to
	// be polite to the sites (several URLs are often of one site).
	BulkPause time.Duration
	// BulkItemTime is the time one address of a bulk import may take
	// (the fetcher's timeout and the save): a bulk job with less left
	// before its deadline continues in a new job.
	BulkItemTime time.Duration
	// MaxActiveBulks bounds one person's bulk imports queued or running.
	MaxActiveBulks int
	// MaxBulkURLsPerDay bounds the URLs one person imports in bulk in 24
	// hours.
	MaxBulkURLsPerDay int
	Logger            *slog.Logger
}

// Service implements Flows on the store, the fetcher and the photo
// service.
type Service struct {
	store   *store.Store
	fetcher PageFetcher
	photos  PhotoSetter
	opts    Options
	log     *slog.Logger
}

var _ Flows = (*Service)(nil)

// New returns the import flows. fetcher may be nil, which makes every
// import by URL (and every photo download) ErrUnreachable; pasted HTML
// and text still work.
func New(s *store.Store, fetcher PageFetcher, photos PhotoSetter, opts Options) *Service {
	if opts.BulkPause == 0 {
		opts.BulkPause = DefaultBulkPause
	}
	if opts.BulkItemTime == 0 {
		opts.BulkItemTime = DefaultBulkItemTime
	}
	if opts.MaxActiveBulks == 0 {
		opts.MaxActiveBulks = DefaultMaxActiveBulks
	}
	if opts.MaxBulkURLsPerDay == 0 {
		opts.MaxBulkURLsPerDay = DefaultMaxBulkURLsPerDay
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: s, fetcher: fetcher, photos: photos, opts: opts, log: log}
}

// Preview implements Flows.
func (s *Service) Preview(ctx context.Context, userID string, src Source) (*Preview, error) {
	return s.preview(ctx, userID, src, false)
}

// preview is Preview; wait makes a fetch over the instance-wide budget
// wait for it rather than fail with ErrBusy (bulk imports).
func (s *Service) preview(ctx context.Context, userID string, src Source, wait bool) (*Preview, error) {
	if err := checkSource(&src); err != nil {
		return nil, err
	}
	var (
		draft   *extract.Recipe
		fetched string
	)
	post, short, social := findPost(src.URL)
	switch {
	case src.URL != "" && social:
		var err error
		if draft, fetched, err = s.readPost(ctx, src.URL, post, short, wait); err != nil {
			return nil, err
		}
	case src.URL != "":
		page, err := s.page(ctx, src.URL, wait)
		if err != nil {
			return nil, err
		}
		draft, fetched = extract.FromHTML(page.Body, page.URL), page.URL
	case src.HTML != "":
		draft, fetched = extract.FromHTML([]byte(src.HTML), src.BaseURL), src.BaseURL
	case src.AI:
		if s.opts.AI == nil {
			return nil, ai.ErrNotConfigured
		}
		var err error
		if draft, err = s.opts.AI.Recipe(ctx, userID, src.Text); err != nil {
			return nil, err
		}
		draft.SourceURL, fetched = canonicalPost(src.BaseURL), src.BaseURL
	default:
		draft, fetched = textDraft(src.Text, src.BaseURL), src.BaseURL
	}
	if !draft.Found() {
		return nil, ErrNoRecipe
	}
	p := &Preview{Draft: draft, Input: inputOf(draft, fetched)}
	if img := canonicalImage(draft.ImageURL); img != "" {
		p.ImageURL = img
	}
	p.Missing = missing(p.Input, p.ImageURL)
	var err error
	p.Existing, err = s.existing(ctx, userID, p.Input.SourceURL, src.URL, fetched)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// canonicalImage is raw when it is an address the photo download can
// try (absolute http(s), within MaxURL), else "".
func canonicalImage(raw string) string {
	u, err := checkURL(raw)
	if err != nil {
		return ""
	}
	return u
}

// checkSource trims src and checks that exactly one of URL, HTML and Text
// is given, within its limits; the problems are validate.Errors naming
// the fields (url, html, base_url, text).
func checkSource(src *Source) error {
	var errs validate.Errors
	given := 0
	for _, f := range []struct {
		name  string
		value string
	}{{"url", src.URL}, {"html", src.HTML}, {"text", src.Text}} {
		if isBlank(f.value) {
			continue
		}
		given++
		if given > 1 {
			errs.Add(f.name, "give only one of url, html and text")
		}
	}
	if given == 0 {
		errs.Add("url", "give the address of a recipe's page (url), the page's HTML (html) or the recipe's text (text)")
		return errs.Err()
	}
	if src.AI && isBlank(src.Text) {
		errs.Add("ai", "goes with text only: the AI service reads a recipe's text")
	}
	if isBlank(src.HTML) && isBlank(src.Text) && !isBlank(src.BaseURL) {
		errs.Add("base_url", "goes with html or text only: the address the pasted page or caption came from")
	}
	if len(errs) > 0 {
		return errs.Err()
	}
	switch {
	case !isBlank(src.URL):
		src.HTML, src.Text = "", ""
		u, err := checkURL(src.URL)
		if err != nil {
			return err
		}
		src.URL = u
	case !isBlank(src.HTML):
		src.URL, src.Text = "", ""
		if len(src.HTML) > extract.MaxHTML {
			errs.Add("html", "must be at most %d MiB (got %.1f MiB)", extract.MaxHTML>>20, float64(len(src.HTML))/(1<<20))
		}
		checkBaseURL(src, &errs)
	default:
		src.URL, src.HTML = "", ""
		if len(src.Text) > extract.MaxText {
			errs.Add("text", "must be at most %d KiB (got %d KiB)", extract.MaxText>>10, (len(src.Text)+1023)>>10)
		}
		checkBaseURL(src, &errs)
	}
	return errs.Err()
}

// checkBaseURL checks the address pasted HTML or text came from, which
// becomes the recipe's source.
func checkBaseURL(src *Source, errs *validate.Errors) {
	if isBlank(src.BaseURL) {
		src.BaseURL = ""
		return
	}
	u, err := checkURL(src.BaseURL)
	if err != nil {
		errs.Add("base_url", "must be the page's absolute http or https address, at most %d characters", MaxURL)
	}
	src.BaseURL = u
}

// textDraft reads pasted text; when it came from a social post (baseURL
// is the post's address) it is read as that post's caption.
func textDraft(text, baseURL string) *extract.Recipe {
	if post, short, ok := findPost(baseURL); ok && !short {
		return extract.FromPost(extract.Post{Provider: post.provider.name, URL: post.url, Caption: text})
	}
	d := extract.FromText(text)
	d.SourceURL = baseURL
	return d
}

// canonicalPost is baseURL, or the canonical address of the post it is.
func canonicalPost(baseURL string) string {
	if post, short, ok := findPost(baseURL); ok && !short {
		return post.url
	}
	return baseURL
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}

// urlChecker is implemented by a fetcher that can apply its rules that
// need no network (scheme, port, local names, private addresses) to an
// address before fetching it.
type urlChecker interface {
	CheckURL(raw string) (string, error)
}

// checkAddress is checkURL and, when the fetcher can, the fetcher's own
// rules: a bulk import refuses a bad address in the list at once rather
// than as a failed item later.
func (s *Service) checkAddress(raw string) (string, error) {
	u, err := checkURL(raw)
	if err != nil {
		return "", err
	}
	if c, ok := s.fetcher.(urlChecker); ok {
		if _, err := c.CheckURL(u); err != nil {
			return "", err
		}
	}
	return u, nil
}

// page fetches raw through the fetch budget.
func (s *Service) page(ctx context.Context, raw string, wait bool) (*Page, error) {
	if s.fetcher == nil {
		return nil, fmt.Errorf("%w: importing from addresses is not set up", ErrUnreachable)
	}
	if err := s.spend(ctx, wait); err != nil {
		return nil, err
	}
	return s.fetcher.Page(ctx, raw)
}

// spend reserves one outbound fetch: ErrBusy over the budget, or with
// wait the pause until it allows one.
func (s *Service) spend(ctx context.Context, wait bool) error {
	if s.opts.FetchBudget == nil {
		return nil
	}
	for {
		ok, after := s.opts.FetchBudget(ctx)
		if ok {
			return nil
		}
		if !wait {
			return ErrBusy
		}
		t := time.NewTimer(max(after, 100*time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// existing is userID's newest recipe imported from any of the addresses,
// or nil.
func (s *Service) existing(ctx context.Context, userID string, addresses ...string) (*recipe.Summary, error) {
	return findExisting(ctx, s.store, userID, addresses...)
}

// findExisting is Service.existing on st, for the archive imports too.
func findExisting(ctx context.Context, st *store.Store, userID string, addresses ...string) (*recipe.Summary, error) {
	var urls []string
	for _, a := range addresses {
		urls = append(urls, sameAddress(a)...)
	}
	urls = dedupe(urls)
	if len(urls) == 0 || userID == "" {
		return nil, nil
	}
	r, err := st.RecipeBySourceURL(ctx, userID, urls)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look for an earlier import: %w", err)
	}
	return r, nil
}

// Save implements Flows. The source URL is kept in its canonical form,
// which is what later previews look for.
func (s *Service) Save(ctx context.Context, userID string, in recipe.Input, imageURL string) (*recipe.Recipe, error) {
	if c := canonicalURL(in.SourceURL); c != "" {
		in.SourceURL = c
	}
	errs := in.Normalize()
	if !isBlank(imageURL) {
		u, err := checkURL(imageURL)
		if err != nil {
			errs.Add("image_url", "must be an absolute http or https address, at most %d characters", MaxURL)
		}
		imageURL = u
	} else {
		imageURL = ""
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	rec, err := s.store.CreateRecipe(ctx, userID, in)
	if err != nil {
		return nil, err
	}
	if imageURL != "" && s.opts.EnqueuePhoto != nil {
		// The recipe is saved whatever happens to its photo. Under an
		// Idempotency-Key the recipe commits with the key's record, and
		// only then is the photo queued: a retry replays the answer and
		// queues nothing.
		s.store.AfterCommit(ctx, func(ctx context.Context) {
			if err := s.opts.EnqueuePhoto(ctx, PhotoJob{RecipeID: rec.ID, UserID: userID, URL: imageURL}); err != nil {
				s.log.WarnContext(ctx, "queue imported photo", "recipe_id", rec.ID, "err", err)
			}
		})
	}
	return rec, nil
}

var _ PageFetcher = (*Fetcher)(nil)
