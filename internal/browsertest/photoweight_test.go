package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/reccollection/reccollection/internal/seed"
	"github.com/reccollection/reccollection/internal/testutil"
)

// photoPageBudget is the most the landing page with its twelve photo
// cards may transfer on a phone with an empty cache, images included.
const photoPageBudget = 300 * 1024

// TestHomePageWeightWithPhotos loads the landing page as a first-time
// visitor on a 390-px phone, when every card has a photo (drawn and
// rendered through the real pipeline), and checks that everything it
// transfers — document, styles, scripts and the card pictures the browser
// chose from their srcsets — stays under photoPageBudget. `make bench`
// prints the figure.
func TestHomePageWeightWithPhotos(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := testutil.StartServer(t, "sqlite")
	seedRecipes(t, srv, 12)
	if n, err := seed.Photos(context.Background(), srv.Store, srv.App.Photos(), 12, 1, true, nil); err != nil || n != 12 {
		t.Fatalf("photos for the cards: %d, %v", n, err)
	}
	b := newTab(t, srv.URL, phone)
	rec := b.recordNetwork()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatalf("disable the cache: %v", err)
	}
	rec.reset()
	b.open("/", 200)
	// Lazy pictures below the fold load as a visitor scrolls: the budget
	// covers the whole page, so scroll to its end.
	evalJS[bool](b, `(window.scrollTo(0, document.body.scrollHeight), true)`)
	reqs := rec.waitIdle(b)
	var total, images float64
	var cards int
	var lines []string
	for _, r := range reqs {
		u, err := url.Parse(r.url)
		if err != nil || u.Scheme == "data" || u.Scheme == "blob" {
			continue
		}
		total += r.bytes
		if strings.HasPrefix(u.Path, "/media/") {
			images += r.bytes
			cards++
			if !strings.HasSuffix(u.Path, "-320.webp") {
				t.Errorf("a phone card fetched %s, want the 320 px WebP", u.Path)
			}
		}
		lines = append(lines, fmt.Sprintf("%7.0f B  %s", r.bytes, strings.TrimPrefix(r.url, srv.URL)))
	}
	t.Logf("home page weight at 390 px with %d photo cards: %.1f KB (%.1f KB of photos)\n  %s",
		cards, total/1024, images/1024, strings.Join(lines, "\n  "))
	if cards < 12 {
		t.Errorf("%d card photos loaded, want 12", cards)
	}
	if total >= photoPageBudget {
		t.Errorf("the landing page transfers %.1f KB, want under %d KB", total/1024, photoPageBudget/1024)
	}
	b.shot("home-photos")
}
