package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/reccollection/reccollection/internal/testutil"
)

// pageBudget is the most a page may transfer, images excluded, with an
// empty cache: headers and bodies as they came over the wire (compressed
// when the server compresses).
const pageBudget = 100 * 1024

// TestPageWeight loads the landing page, the browse page and a recipe page
// with an empty cache, at the phone viewport, and checks each transfers
// less than pageBudget (images excluded) and asks nothing of any host but
// the server.
func TestPageWeight(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := testutil.StartServer(t, "sqlite")
	id := seedRecipes(t, srv, 24)
	b := newTab(t, srv.URL, phone)
	rec := b.recordNetwork()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatalf("disable the cache: %v", err)
	}
	host := strings.TrimPrefix(strings.TrimPrefix(srv.URL, "http://"), "https://")

	for _, page := range []struct{ name, path string }{
		{"landing", "/"},
		{"browse", "/recipes"},
		{"recipe", "/recipes/" + id},
	} {
		rec.reset()
		b.open(page.path, 200)
		reqs := rec.waitIdle(b)
		var total float64
		var lines []string
		for _, r := range reqs {
			u, err := url.Parse(r.url)
			switch {
			case err != nil:
				t.Errorf("%s: request to an unreadable URL %q", page.name, r.url)
			case u.Scheme == "data" || u.Scheme == "blob" || u.Scheme == "about":
				continue
			case u.Host != host:
				t.Errorf("%s: request to another host: %s (%s)", page.name, r.url, r.typ)
			}
			image := r.typ == network.ResourceTypeImage || strings.HasPrefix(r.mime, "image/")
			note := ""
			if image {
				note = " (image, not counted)"
			} else {
				total += r.bytes
			}
			if r.failed != "" {
				note += " FAILED: " + r.failed
			}
			lines = append(lines, fmt.Sprintf("%7.0f B  %-10s %s%s", r.bytes, r.typ, strings.TrimPrefix(r.url, srv.URL), note))
		}
		t.Logf("%s (%s): %.1f KB without images\n  %s", page.name, page.path, total/1024, strings.Join(lines, "\n  "))
		if total >= pageBudget {
			t.Errorf("%s (%s) transfers %.1f KB without images, want under %d KB:\n  %s",
				page.name, page.path, total/1024, pageBudget/1024, strings.Join(lines, "\n  "))
		}
		if len(reqs) == 0 {
			t.Errorf("%s: no requests recorded", page.name)
		}
		b.shot(page.name)
	}
}

// seedRecipes creates a user and n public recipes through the API, and
// returns the id of the last, a full one.
func seedRecipes(t *testing.T, srv *testutil.Server, n int) string {
	t.Helper()
	post := apiPoster(t, srv)
	post("/api/v1/auth/register", map[string]string{
		"username": "weigher", "email": "weigher@example.com", "password": "a long passphrase", "display_name": "Page Weigher",
	})
	var id string
	for i := range n {
		r := post("/api/v1/recipes", map[string]any{
			"title":        fmt.Sprintf("Weeknight Garlic Pasta No. %d", i+1),
			"description":  "Fast, cheap and better than it has any right to be. " + strings.Repeat("Plenty of garlic, good oil and a little heat. ", 3),
			"prep_minutes": 5, "cook_minutes": 12, "servings": 2,
			"difficulty": "easy", "visibility": "public",
			"ingredients": []string{
				"200 g spaghetti", "2-3 cloves garlic, thinly sliced", "½ tsp chilli flakes",
				"3 tbsp olive oil", "1 handful parsley, chopped", "50 g parmesan, grated", "salt to taste",
			},
			"steps": []string{
				"Boil the pasta in well salted water until al dente.",
				"Warm the garlic and chilli in the oil over a low heat until fragrant, without browning.",
				"Toss the pasta with the oil, a splash of the cooking water, the parsley and the cheese.",
				"Season and serve at once.",
			},
			"tags":       []string{"pasta", "quick", "vegetarian"},
			"categories": []string{"dinner"},
		})
		id, _ = r["id"].(string)
	}
	if id == "" {
		t.Fatal("the API returned no recipe id")
	}
	return id
}

// request is one network request of a page.
type request struct {
	url    string
	typ    network.ResourceType
	mime   string
	bytes  float64 // encoded (wire) length, redirects included
	done   bool
	failed string
}

// netRecorder records the tab's network requests from its events.
type netRecorder struct {
	mu   sync.Mutex
	reqs map[network.RequestID]*request
	last time.Time // of the last event
}

// recordNetwork starts recording the tab's requests.
func (b *tab) recordNetwork() *netRecorder {
	b.t.Helper()
	rec := &netRecorder{reqs: map[network.RequestID]*request{}}
	if err := chromedp.Listen(b.ctx, rec.onEvent); err != nil {
		b.t.Fatalf("listen to the network: %v", err)
	}
	return rec
}

func (n *netRecorder) onEvent(ev any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		r := n.reqs[ev.RequestID]
		if r == nil {
			r = &request{}
			n.reqs[ev.RequestID] = r
		}
		if ev.RedirectResponse != nil {
			r.bytes += ev.RedirectResponse.EncodedDataLength
		}
		r.url, r.typ, r.done = ev.Request.URL, ev.Type, false
	case *network.EventResponseReceived:
		if r := n.reqs[ev.RequestID]; r != nil {
			r.mime, r.typ = ev.Response.MimeType, ev.Type
		}
	case *network.EventLoadingFinished:
		if r := n.reqs[ev.RequestID]; r != nil {
			r.bytes += ev.EncodedDataLength
			r.done = true
		}
	case *network.EventLoadingFailed:
		if r := n.reqs[ev.RequestID]; r != nil {
			r.failed, r.done = ev.ErrorText, true
		}
	default:
		return
	}
	n.last = time.Now()
}

func (n *netRecorder) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.reqs = map[network.RequestID]*request{}
	n.last = time.Now()
}

// waitIdle waits until every request has finished and none has started for
// a quiet spell (300 ms, scaled like the deadlines: a loaded machine can
// pause that long between a page and the request its script makes), and
// returns the requests in URL order.
func (n *netRecorder) waitIdle(b *tab) []request {
	b.t.Helper()
	quietFor := testutil.Scaled(300 * time.Millisecond)
	pending := 0
	idle := func() bool {
		n.mu.Lock()
		defer n.mu.Unlock()
		pending = 0
		for _, r := range n.reqs {
			if !r.done {
				pending++
			}
		}
		return pending == 0 && time.Since(n.last) >= quietFor
	}
	if err := pollUntil(b.ctx, actionTimeout, idle); err != nil {
		b.fatalf("the network is still busy (%d requests pending) after %s: %v", pending, actionTimeout, err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]request, 0, len(n.reqs))
	for _, r := range n.reqs {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].url < out[j].url })
	return out
}
