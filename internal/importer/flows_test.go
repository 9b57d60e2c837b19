package importer_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
	"github.com/reccollection/reccollection/internal/validate"
)

// The flows on real databases, a real web site (on loopback, which the
// fetcher is allowed to reach here) and the real photo pipeline. The jobs the flows queue are run here by calling their
// workers, in order; internal/app's import tests run them on the job
// queue.

type harness struct {
	store *store.Store
	svc   *importer.Service
	site  *recipeSite
	user  string
	other string

	mu        sync.Mutex
	photoJobs []importer.PhotoJob
	bulkJobs  []importer.BulkJob
}

func forEachEngine(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, engine)
		})
	}
}

func newHarness(t *testing.T, engine string, configure func(*importer.Options)) *harness {
	return newHarnessVia(t, engine, configure, nil)
}

// newHarnessVia is newHarness with the fetcher wrapped by via, when set.
func newHarnessVia(t *testing.T, engine string, configure func(*importer.Options), via func(*importer.Fetcher) importer.PageFetcher) *harness {
	t.Helper()
	h := &harness{store: testutil.OpenStore(t, engine), site: newRecipeSite(t)}
	files, err := media.NewFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ph := photos.New(h.store, files, photos.Options{Quota: -1})
	opts := importer.Options{
		EnqueuePhoto: func(_ context.Context, j importer.PhotoJob) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.photoJobs = append(h.photoJobs, j)
			return nil
		},
		EnqueueBulk: func(_ context.Context, j importer.BulkJob) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.bulkJobs = append(h.bulkJobs, j)
			return nil
		},
		BulkPause: time.Millisecond,
	}
	if configure != nil {
		configure(&opts)
	}
	var fetcher importer.PageFetcher = importer.NewFetcher(importer.FetcherOptions{AllowPrivate: true})
	if via != nil {
		fetcher = via(fetcher.(*importer.Fetcher))
	}
	h.svc = importer.New(h.store, fetcher, ph, opts)
	for _, name := range []string{"cook", "other"} {
		u := &auth.User{Username: name, Email: name + "@example.test", DisplayName: name, PasswordHash: "x"}
		if err := h.store.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		if name == "cook" {
			h.user = u.ID
		} else {
			h.other = u.ID
		}
	}
	return h
}

// runJobs works the queued jobs, as the queue would, until none is left.
func (h *harness) runJobs(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for {
		h.mu.Lock()
		pj, bj := h.photoJobs, h.bulkJobs
		h.photoJobs, h.bulkJobs = nil, nil
		h.mu.Unlock()
		if len(pj) == 0 && len(bj) == 0 {
			return
		}
		for _, j := range bj {
			if err := h.svc.RunBulk(ctx, j); err != nil {
				t.Fatalf("bulk job %+v: %v", j, err)
			}
		}
		for _, j := range pj {
			if err := h.svc.FetchPhoto(ctx, j); err != nil {
				t.Fatalf("photo job %+v: %v", j, err)
			}
		}
	}
}

func TestPreviewByURL(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		h := newHarness(t, engine, nil)
		p, err := h.svc.Preview(context.Background(), h.user, importer.Source{URL: h.site.URL + "/soup?utm_source=feed#top"})
		if err != nil {
			t.Fatal(err)
		}
		in := p.Input
		if in.Title != "Leek and Potato Soup" || len(in.Ingredients) != 4 || len(in.Steps) != 3 {
			t.Fatalf("input = %+v", in)
		}
		if in.Ingredients[0].Original != "2 leeks, sliced" || in.Visibility != "private" {
			t.Errorf("ingredient %+v, visibility %q", in.Ingredients[0], in.Visibility)
		}
		if in.Servings == nil || *in.Servings != 4 || in.PrepMinutes == nil || *in.PrepMinutes != 15 || in.CookMinutes == nil || *in.CookMinutes != 60 {
			t.Errorf("servings %v, prep %v, cook %v", in.Servings, in.PrepMinutes, in.CookMinutes)
		}
		if want := h.site.URL + "/soup"; in.SourceURL != want {
			t.Errorf("source URL %q, want %q (tracking and fragment dropped)", in.SourceURL, want)
		}
		if want := []string{"weeknight", "kids favourites", "one-pot"}; !slices.Equal(in.Tags, want) {
			t.Errorf("tags %q, want %q", in.Tags, want)
		}
		if want := []string{"dinner", "french"}; !slices.Equal(in.Categories, want) {
			t.Errorf("categories %q, want %q", in.Categories, want)
		}
		if p.ImageURL != h.site.URL+"/photo.jpg" || len(p.Missing) != 0 || p.Existing != nil {
			t.Errorf("image %q, missing %q, existing %v", p.ImageURL, p.Missing, p.Existing)
		}
		if errs := in.Normalize(); len(errs) > 0 {
			t.Errorf("the preview's input does not validate: %v", errs)
		}

		// A page without a photo says so.
		p, err = h.svc.Preview(context.Background(), h.user, importer.Source{URL: h.site.URL + "/bread"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.Missing, []string{"photo"}) {
			t.Errorf("bread misses %q, want photo", p.Missing)
		}
	})
}

func TestPreviewOfPastedHTMLAndText(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		h := newHarness(t, engine, nil)
		ctx := context.Background()
		page := recipePage("Pasted Pie", "/pie.jpg", []string{"1 pastry case", "4 apples"}, []string{"Fill.", "Bake."})
		p, err := h.svc.Preview(ctx, h.user, importer.Source{HTML: page, BaseURL: "https://pies.example/pie"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Input.Title != "Pasted Pie" || p.ImageURL != "https://pies.example/pie.jpg" || p.Input.SourceURL != "https://pies.example/pie" {
			t.Errorf("pasted HTML: title %q, image %q, source %q", p.Input.Title, p.ImageURL, p.Input.SourceURL)
		}
		if h.site.total.Load() != 0 {
			t.Errorf("pasting HTML fetched %d times", h.site.total.Load())
		}
		p, err = h.svc.Preview(ctx, h.user, importer.Source{HTML: page})
		if err != nil {
			t.Fatal(err)
		}
		if p.Input.SourceURL != "" {
			t.Errorf("HTML without base URL has source %q", p.Input.SourceURL)
		}

		text := "Quick Pancakes\n\nIngredients:\n200 g flour\n2 eggs\n300 ml milk\n\nMethod:\n1. Whisk everything.\n2. Fry in a hot pan.\n"
		p, err = h.svc.Preview(ctx, h.user, importer.Source{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if p.Input.Title != "Quick Pancakes" || len(p.Input.Ingredients) != 3 || len(p.Input.Steps) != 2 {
			t.Errorf("from text: %+v", p.Input)
		}
		if !slices.Contains(p.Missing, "photo") || !slices.Contains(p.Missing, "servings") {
			t.Errorf("from text misses %q", p.Missing)
		}
	})
}

// TestBadSources: every source that cannot be imported is refused with
// the field to fix or the reason, before anything is fetched or stored.
func TestBadSources(t *testing.T) {
	h := newHarness(t, "sqlite", nil)
	ctx := context.Background()
	long := strings.Repeat("x", 5<<20+1)
	for _, c := range []struct {
		name  string
		src   importer.Source
		field string
	}{
		{"nothing", importer.Source{}, "url"},
		{"blank", importer.Source{URL: "  ", Text: "\n"}, "url"},
		{"url and text", importer.Source{URL: h.site.URL + "/soup", Text: "Soup"}, "text"},
		{"html and text", importer.Source{HTML: "<p>x</p>", Text: "Soup"}, "text"},
		{"html too long", importer.Source{HTML: long}, "html"},
		{"text too long", importer.Source{Text: long[:200<<10+1]}, "text"},
		{"base url not http", importer.Source{HTML: "<p>x</p>", BaseURL: "javascript:alert(1)"}, "base_url"},
		{"base url alone", importer.Source{BaseURL: "https://soup.example/"}, "url"},
		{"text's base url not http", importer.Source{Text: "Soup", BaseURL: "file:///etc/passwd"}, "base_url"},
	} {
		_, err := h.svc.Preview(ctx, h.user, c.src)
		var ve *validate.Error
		if !errors.As(err, &ve) || len(ve.Fields) == 0 || ve.Fields[0].Field != c.field {
			t.Errorf("%s: %v, want an error on %s", c.name, err, c.field)
		}
	}
	for _, c := range []struct {
		raw  string
		want error
	}{
		{"ftp://example.com/soup", importer.ErrInvalidURL},
		{"/soup", importer.ErrInvalidURL},
		{"https://user:pw@example.com/soup", importer.ErrInvalidURL},
		{"https://example.com/" + strings.Repeat("a", 2048), importer.ErrInvalidURL},
		{h.site.URL + "/nowhere", importer.ErrPageNotFound},
		{h.site.URL + "/blocked", importer.ErrBlocked},
		{h.site.URL + "/menu.pdf", importer.ErrNotHTML},
		{h.site.URL + "/about", importer.ErrNoRecipe},
	} {
		_, err := h.svc.Preview(ctx, h.user, importer.Source{URL: c.raw})
		if !errors.Is(err, c.want) {
			t.Errorf("%.60s: %v, want %v", c.raw, err, c.want)
		}
		if status, _, detail := importer.Problem(err); status < 400 || status >= 500 || detail == "" {
			t.Errorf("%.60s: problem %d %q, want a 4xx with a sentence", c.raw, status, detail)
		}
	}
	if h.site.count("/soup") != 0 {
		t.Error("a refused request fetched the page")
	}
}

// TestSaveWithPhotoAndImportAgain: saving queues the page's photo, which
// becomes the recipe's main photo described by its title; previewing the
// same address again (spelled differently) offers the saved recipe.
func TestSaveWithPhotoAndImportAgain(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		h := newHarness(t, engine, nil)
		ctx := context.Background()
		p, err := h.svc.Preview(ctx, h.user, importer.Source{URL: h.site.URL + "/soup"})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := h.svc.Save(ctx, h.user, p.Input, p.ImageURL)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Title != "Leek and Potato Soup" || rec.Ingredients[1].Name != "potatoes" || rec.Ingredients[1].Unit != "g" || rec.Photo != nil {
			t.Fatalf("saved %+v", rec)
		}
		h.runJobs(t)
		got, err := h.store.Recipe(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Photo == nil || !got.Photo.Ready() || got.Photo.Alt != rec.Title || got.Photo.Width != 640 {
			t.Fatalf("photo after the job: %+v", got.Photo)
		}
		if h.site.count("/photo.jpg") != 1 {
			t.Errorf("photo fetched %d times", h.site.count("/photo.jpg"))
		}

		again, err := h.svc.Preview(ctx, h.user, importer.Source{URL: h.site.URL + "/soup/?utm_medium=social"})
		if err != nil {
			t.Fatal(err)
		}
		if again.Existing == nil || again.Existing.ID != rec.ID {
			t.Errorf("second import offers %+v, want %s", again.Existing, rec.ID)
		}
		theirs, err := h.svc.Preview(ctx, h.other, importer.Source{URL: h.site.URL + "/soup"})
		if err != nil {
			t.Fatal(err)
		}
		if theirs.Existing != nil {
			t.Errorf("another person is offered %+v", theirs.Existing)
		}
	})
}

// TestSaveRefusals: an invalid recipe or photo address saves nothing and
// queues nothing; a photo that cannot be had leaves the recipe as saved.
func TestSaveRefusals(t *testing.T) {
	h := newHarness(t, "sqlite", nil)
	ctx := context.Background()
	p, err := h.svc.Preview(ctx, h.user, importer.Source{URL: h.site.URL + "/stew"})
	if err != nil {
		t.Fatal(err)
	}
	bad := p.Input
	bad.Title = ""
	if _, err := h.svc.Save(ctx, h.user, bad, p.ImageURL); err == nil {
		t.Fatal("saved a recipe without a title")
	}
	var ve *validate.Error
	if _, err := h.svc.Save(ctx, h.user, p.Input, "file:///etc/passwd"); !errors.As(err, &ve) || ve.Fields[0].Field != "image_url" {
		t.Fatalf("file photo address: %v, want an error on image_url", err)
	}
	if n := len(h.photoJobs); n != 0 {
		t.Fatalf("refused saves queued %d photos", n)
	}
	rec, err := h.svc.Save(ctx, h.user, p.Input, h.site.URL+"/nowhere.jpg")
	if err != nil {
		t.Fatal(err)
	}
	h.runJobs(t)
	got, err := h.store.Recipe(ctx, rec.ID)
	if err != nil || got.Photo != nil {
		t.Fatalf("recipe after a missing photo: %v, photo %+v", err, got.Photo)
	}
}

// TestBulkImport: three addresses, one without a page: each gets its
// result, the bulk finishes, and retrying queues only the failure, which
// succeeds once the page is there; an address imported before is skipped.
func TestBulkImport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		h := newHarness(t, engine, nil)
		ctx := context.Background()
		urls := []string{h.site.URL + "/soup", h.site.URL + "/later", h.site.URL + "/stew", h.site.URL + "/soup#again"}
		b, err := h.svc.StartBulk(ctx, h.user, urls)
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != importer.BulkQueued || b.Total != 3 || b.Done != 0 || b.Items[1].URL != urls[1] {
			t.Fatalf("started %+v", b)
		}
		h.runJobs(t)
		b, err = h.svc.Bulk(ctx, h.user, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != importer.BulkDone || b.Done != 3 || b.Failed != 1 {
			t.Fatalf("finished %+v", b)
		}
		wantStatus := []importer.BulkStatus{importer.BulkDone, importer.BulkFailed, importer.BulkDone}
		for i, it := range b.Items {
			if it.Status != wantStatus[i] {
				t.Errorf("item %d: %+v, want %s", i, it, wantStatus[i])
			}
		}
		if b.Items[0].Title != "Leek and Potato Soup" || b.Items[0].RecipeID == "" || !strings.Contains(b.Items[1].Error, "no page") {
			t.Errorf("items %+v", b.Items)
		}
		soup, err := h.store.Recipe(ctx, b.Items[0].RecipeID)
		if err != nil || soup.Photo == nil || soup.Author.ID != h.user || soup.Visibility != "private" {
			t.Fatalf("imported soup: %v %+v", err, soup)
		}
		if _, err := h.svc.Bulk(ctx, h.other, b.ID); !errors.Is(err, importer.ErrBulkNotFound) {
			t.Errorf("another person reads the bulk: %v", err)
		}
		if _, err := h.svc.RetryBulk(ctx, h.other, b.ID); !errors.Is(err, importer.ErrBulkNotFound) {
			t.Errorf("another person retries the bulk: %v", err)
		}

		h.site.set("/later", recipePage("Late Lasagne", "", []string{"pasta sheets"}, []string{"Layer and bake."}))
		soupFetches := h.site.count("/soup")
		r, err := h.svc.RetryBulk(ctx, h.user, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != importer.BulkQueued || r.Items[1].Status != importer.BulkQueued || r.Items[0].Status != importer.BulkDone {
			t.Fatalf("retried %+v", r)
		}
		h.runJobs(t)
		r, err = h.svc.Bulk(ctx, h.user, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != importer.BulkDone || r.Failed != 0 || r.Items[1].Status != importer.BulkDone || r.Items[1].Title != "Late Lasagne" {
			t.Fatalf("after retry %+v", r)
		}
		if h.site.count("/soup") != soupFetches {
			t.Error("the retry fetched an address that had succeeded")
		}

		// A second bulk skips what was imported, without fetching it.
		b2, err := h.svc.StartBulk(ctx, h.user, []string{h.site.URL + "/stew/"})
		if err != nil {
			t.Fatal(err)
		}
		stewFetches := h.site.count("/stew")
		h.runJobs(t)
		b2, _ = h.svc.Bulk(ctx, h.user, b2.ID)
		if it := b2.Items[0]; it.Status != importer.BulkSkipped || it.RecipeID != b.Items[2].RecipeID || it.Title != "Beef Stew" {
			t.Errorf("second bulk: %+v", it)
		}
		if h.site.count("/stew") != stewFetches {
			t.Error("a skipped address was fetched")
		}
	})
}

// TestBulkRefusals: bad lists are refused whole, naming the bad entries;
// a person has at most three bulks under way.
func TestBulkRefusals(t *testing.T) {
	h := newHarness(t, "postgres", nil)
	ctx := context.Background()
	many := make([]string, importer.MaxBulkURLs+1)
	for i := range many {
		many[i] = h.site.URL + "/soup?n=" + strings.Repeat("1", i%5+1)
	}
	for _, c := range []struct {
		name  string
		urls  []string
		field string
	}{
		{"none", nil, "urls"},
		{"too many", many, "urls"},
		{"one bad", []string{h.site.URL + "/soup", "not a url"}, "urls[1]"},
		{"too long", []string{"https://example.com/" + strings.Repeat("a", 2048)}, "urls[0]"},
	} {
		_, err := h.svc.StartBulk(ctx, h.user, c.urls)
		var ve *validate.Error
		if !errors.As(err, &ve) || ve.Fields[0].Field != c.field {
			t.Errorf("%s: %v, want an error on %s", c.name, err, c.field)
		}
	}
	for i := range 3 {
		if _, err := h.svc.StartBulk(ctx, h.user, []string{h.site.URL + "/soup"}); err != nil {
			t.Fatalf("bulk %d: %v", i+1, err)
		}
	}
	_, err := h.svc.StartBulk(ctx, h.user, []string{h.site.URL + "/soup"})
	if !errors.Is(err, importer.ErrTooManyBulks) {
		t.Fatalf("fourth bulk: %v", err)
	}
	if status, _, _ := importer.Problem(err); status != 409 {
		t.Errorf("fourth bulk answers %d", status)
	}
	if _, err := h.svc.StartBulk(ctx, h.other, []string{h.site.URL + "/soup"}); err != nil {
		t.Errorf("another person's bulk: %v", err)
	}
	var n int
	if err := h.store.DB().QueryRowContext(ctx, "SELECT count(*) FROM import_bulks").Scan(&n); err != nil || n != 4 {
		t.Errorf("bulks stored: %d (%v), want 4", n, err)
	}
}

// TestFetchBudget: over the instance-wide budget a preview is refused as
// busy without asking the site, and a bulk import waits for the budget.
func TestFetchBudget(t *testing.T) {
	var mu sync.Mutex
	allow := false
	refused := 0
	h := newHarness(t, "sqlite", func(o *importer.Options) {
		o.FetchBudget = func(context.Context) (bool, time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			if !allow {
				refused++
				if refused == 3 {
					allow = true // the budget refills
				}
				return false, time.Millisecond
			}
			return true, 0
		}
	})
	ctx := context.Background()
	_, err := h.svc.Preview(ctx, h.user, importer.Source{URL: h.site.URL + "/soup"})
	if !errors.Is(err, importer.ErrBusy) {
		t.Fatalf("over the budget: %v, want ErrBusy", err)
	}
	if status, _, _ := importer.Problem(err); status != 503 {
		t.Errorf("busy answers %d, want 503", status)
	}
	if h.site.total.Load() != 0 {
		t.Error("a refused preview asked the site")
	}
	b, err := h.svc.StartBulk(ctx, h.user, []string{h.site.URL + "/bread"})
	if err != nil {
		t.Fatal(err)
	}
	h.runJobs(t)
	if b, _ = h.svc.Bulk(ctx, h.user, b.ID); b.Items[0].Status != importer.BulkDone {
		t.Errorf("bulk after waiting for the budget: %+v", b.Items[0])
	}
}

// TestProblems: every error of the importer has an answer, 4xx for what
// the person can fix and 5xx with a retry for what may pass.
func TestProblems(t *testing.T) {
	for _, err := range []error{importer.ErrInvalidURL, importer.ErrHostRefused, importer.ErrTooManyRedirects, importer.ErrBlocked,
		importer.ErrPageNotFound, importer.ErrUpstream, importer.ErrNotHTML, importer.ErrTooLarge, importer.ErrTimeout,
		importer.ErrUnreachable, importer.ErrNoRecipe, importer.ErrBulkNotFound, importer.ErrTooManyBulks,
		importer.ErrBulkDailyLimit, importer.ErrBusy} {
		status, title, detail := importer.Problem(errors.Join(errors.New("context"), err))
		if status < 400 || title == "" || !strings.HasSuffix(detail, ".") {
			t.Errorf("%v: %d %q %q", err, status, title, detail)
		}
		if status >= 500 && !strings.Contains(detail, "again") {
			t.Errorf("%v: a %d without a hint to try again: %q", err, status, detail)
		}
	}
	if status, _, _ := importer.Problem(errors.New("other")); status != 0 {
		t.Errorf("a foreign error maps to %d", status)
	}
	if importer.ProblemField(importer.ErrInvalidURL) != "url" || importer.ProblemField(importer.ErrNoRecipe) != "" {
		t.Error("problem fields")
	}
	if status, _, detail := importer.Problem(importer.ErrBlocked); status != 422 || !strings.Contains(detail, "paste") {
		t.Errorf("blocked: %d %q", status, detail)
	}
}

// TestBulkContinuesInANewJob: a bulk job with too little time left before
// its deadline hands the rest to a new job instead of starting an address
// it might not finish.
func TestBulkContinuesInANewJob(t *testing.T) {
	h := newHarness(t, "sqlite", func(o *importer.Options) { o.BulkItemTime = time.Hour })
	ctx := context.Background()
	b, err := h.svc.StartBulk(ctx, h.user, []string{h.site.URL + "/soup"})
	if err != nil {
		t.Fatal(err)
	}
	job := h.bulkJobs[0]
	h.bulkJobs = nil
	short, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := h.svc.RunBulk(short, job); err != nil {
		t.Fatal(err)
	}
	if len(h.bulkJobs) != 1 || h.bulkJobs[0] != job {
		t.Fatalf("continuation jobs %+v, want %+v", h.bulkJobs, job)
	}
	if got, _ := h.svc.Bulk(ctx, h.user, b.ID); got.Status != importer.BulkRunning || got.Items[0].Status != importer.BulkQueued {
		t.Fatalf("after the short job %+v", got)
	}
	h.runJobs(t) // no deadline: the whole list
	if got, _ := h.svc.Bulk(ctx, h.user, b.ID); got.Status != importer.BulkDone || got.Items[0].Status != importer.BulkDone {
		t.Errorf("after the continuation %+v", got)
	}
}

// TestBulkAppliesTheFetchersRules: an address the fetcher would refuse
// refuses the whole list at once, naming it.
func TestBulkAppliesTheFetchersRules(t *testing.T) {
	st := testutil.OpenStore(t, "sqlite")
	u := &auth.User{Username: "cook", Email: "cook@example.test", PasswordHash: "x"}
	if err := st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	svc := importer.New(st, importer.NewFetcher(importer.FetcherOptions{}), nil, importer.Options{EnqueueBulk: func(context.Context, importer.BulkJob) error { return nil }})
	_, err := svc.StartBulk(context.Background(), u.ID, []string{"https://ok.example/a", "https://db.internal/admin"})
	var ve *validate.Error
	if !errors.As(err, &ve) || ve.Fields[0].Field != "urls[1]" || !strings.Contains(ve.Fields[0].Message, "never contacts") {
		t.Fatalf("refused host in a list: %v", err)
	}
	if _, err := svc.StartBulk(context.Background(), u.ID, []string{"https://ok.example/a"}); err != nil {
		t.Errorf("a good list: %v", err)
	}
}
