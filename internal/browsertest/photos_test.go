package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
	"github.com/reccollection/reccollection/internal/platepic"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestPhotosOnPages uploads photos through the API the way an app would,
// lets the job queue render their variants, and then looks at the pages
// as a person does at a phone's and a desktop's width: which variant each
// picture fetched, that it arrived, that it fits the screen, and that the
// pages still pass axe.
func TestPhotosOnPages(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := testutil.StartServer(t, "sqlite")
	api := newAPIClient(t, srv)
	api.call("POST", "/api/v1/auth/register", "application/json", jsonBody(map[string]string{
		"username": "pia", "email": "pia@example.com", "password": "a long passphrase", "display_name": "Pia Photographer",
	}))
	recipe := func(title string) string {
		r := api.call("POST", "/api/v1/recipes", "application/json", jsonBody(map[string]any{
			"title": title, "description": "Sweet roasted squash, blended smooth with stock and a little cream.",
			"visibility": "public", "servings": 4, "prep_minutes": 15, "cook_minutes": 45, "tags": []string{"soup", "autumn"},
			"ingredients": []string{"1 butternut squash", "1 onion", "750 ml vegetable stock", "100 ml cream"},
			"steps": []string{"Roast the squash at 200 °C for 40 minutes.", "Soften the onion in a large pan, then add the squash and the stock.",
				"Blend until smooth, stir in the cream and season."},
		}))
		return r["id"].(string)
	}
	plain := recipe("Plain lentil soup")
	id := recipe("Roast squash soup")
	api.call("PUT", "/api/v1/recipes/"+id+"/photo?alt="+url.QueryEscape("A bowl of orange squash soup with a swirl of cream"), "image/jpeg",
		dish(t, 1600, 1200, 1, "Roast squash soup"))
	api.call("POST", "/api/v1/recipes/"+id+"/photos", "image/jpeg", dish(t, 1200, 1200, 2, "Tomato soup"))
	api.call("POST", "/api/v1/recipes/"+id+"/photos?alt="+url.QueryEscape("Roasted squash on a tray"), "image/jpeg", dish(t, 1000, 1250, 3, "Roast squash"))
	api.call("POST", "/api/v1/recipes/"+id+"/photos?step=2&alt="+url.QueryEscape("Onion softening in the pan"), "image/jpeg",
		dish(t, 1400, 1050, 4, "Onion and cream"))
	api.call("PUT", "/api/v1/me/avatar", "image/jpeg", dish(t, 600, 600, 5, "Herb salad"))

	// The upload answers at once; until the queue has rendered the
	// variants, pages keep the photo's box, in the neutral tone.
	// One tab per screen for both stages: a new tab would clear the
	// test's earlier screenshots.
	var tabs []*tab
	for _, vp := range viewports {
		tabs = append(tabs, newTab(t, srv.URL, vp))
	}
	for _, b := range tabs {
		func() {
			b.open("/recipes/"+id, 200)
			box := evalJS[[]float64](b, `(r => [r.width, r.height])(document.querySelector('.recipe-hero .photo').getBoundingClientRect())`)
			if box[0] < 200 || math.Abs(box[1]-box[0]*3/4) > 2 {
				b.errorf("the photo being prepared keeps a box of %v×%v, want its 4:3", box[0], box[1])
			}
			if b.count(".recipe-hero img") != 0 || evalJS[string](b, `document.querySelector('.recipe-hero .visually-hidden')?.textContent ?? ''`) != "Photo being prepared" {
				b.errorf("the photo being prepared is not said to be")
			}
			b.noSidewaysScroll("the recipe page with photos being prepared")
			b.checkPage("recipe with photos being prepared")
			b.shot("recipe-processing")
		}()
	}
	workQueue(t, srv)
	var rec struct {
		Photo struct {
			Status, Colour string
		}
		Photos []struct{ Status string }
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		raw := api.call("GET", "/api/v1/recipes/"+id, "", nil)
		b, _ := json.Marshal(raw)
		_ = json.Unmarshal(b, &rec)
		ready := rec.Photo.Status == "ready" && len(rec.Photos) == 3
		for _, p := range rec.Photos {
			ready = ready && p.Status == "ready"
		}
		if ready {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the photos are not ready: %s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}

	for _, b := range tabs {
		func() {
			vp := b.vp

			// The landing page's cards: the photo at a variant fit for
			// the card's width, and the drawn picture of the recipe
			// without one in a box of the same size.
			b.open("/", 200)
			card := `.recipe-card:has(a[href="/recipes/` + id + `"]) .photo-card img`
			w := b.loadedVariant(card)
			if vp.mobile && w != 320 && w != 640 {
				b.errorf("a phone's card fetched the %d-pixel variant, want the 320 or the 640", w)
			}
			if !vp.mobile && w > 1024 {
				b.errorf("a desktop card fetched the %d-pixel variant", w)
			}
			art := `.recipe-card:has(a[href="/recipes/` + plain + `"]) .photo-art`
			b.waitVisible(css(art))
			sizes := evalJS[[]float64](b, fmt.Sprintf(`[%s, %s].map(s => document.querySelector(s).closest('.photo-card').getBoundingClientRect())
				.flatMap(r => [r.width, r.height])`, js(card), js(art)))
			if math.Abs(sizes[0]-sizes[2]) > 1 || (!vp.mobile && math.Abs(sizes[1]-sizes[3]) > 1) {
				b.errorf("the photo card's picture is %v×%v, the drawn one %v×%v: the grid is uneven", sizes[0], sizes[1], sizes[2], sizes[3])
			}
			b.noSidewaysScroll("the landing page")
			b.checkPage("landing with photos")
			b.shot("landing")

			// The recipe page: the hero in the first screen, within its
			// width, in the photo's colour until it arrives.
			b.open("/recipes/"+id, 200)
			hero := ".recipe-hero img"
			if w := b.loadedVariant(hero); w < 320 {
				b.errorf("hero variant %d", w)
			}
			r := evalJS[[]float64](b, `(r => [r.left, r.right, r.top, r.width])(document.querySelector('.recipe-hero img').getBoundingClientRect())`)
			vw := evalJS[float64](b, `document.documentElement.clientWidth`)
			if r[0] < 0 || r[1] > vw+0.5 || r[2] > float64(vp.height) || r[3] < 200 {
				b.errorf("the hero is at %v (the viewport is %v wide, %d high)", r, vw, vp.height)
			}
			if fill, _ := b.attr(".recipe-hero svg rect", "fill"); fill != rec.Photo.Colour {
				b.errorf("the hero's placeholder is %q, the photo's colour %q", fill, rec.Photo.Colour)
			}
			if n := b.count(".gallery a.gallery-link img[alt]"); n != 2 {
				b.errorf("%d gallery thumbnails with alt text, want 2", n)
			}
			b.loadedVariant(".gallery a.gallery-link img")
			b.loadedVariant(".step-photo img") // lazy: scrolled to first
			if n := b.count("#steps li:nth-child(2) .step-photo img"); n != 1 {
				b.errorf("step 2 has %d photos", n)
			}
			if b.count(".recipe-byline .avatar img") != 1 {
				b.errorf("no avatar in the byline")
			}
			b.noSidewaysScroll("the recipe page")
			b.checkPage("recipe with photos")
			b.shot("recipe")

			// A thumbnail opens the photo in full, by keyboard too.
			full, _ := b.attr(".gallery a.gallery-link", "href")
			thumbs, _ := b.attr(".gallery a.gallery-link source", "srcset")
			b.focus(".gallery a.gallery-link")
			b.press(kb.Enter)
			b.waitJS("the full photo", fmt.Sprintf(`location.pathname === %s`, js(full)))
			w = evalJS[int](b, `document.images[0]?.naturalWidth ?? 0`)
			if m := variantWidth.FindStringSubmatch(full); m == nil || m[1] != strconv.Itoa(w) || m[2] != "jpg" {
				b.errorf("the thumbnail opened %s, %d pixels wide", full, w)
			}
			for _, m := range regexp.MustCompile(`(\d+)w`).FindAllStringSubmatch(thumbs, -1) {
				if n, _ := strconv.Atoi(m[1]); n > w {
					b.errorf("the thumbnail opened a %d-pixel picture, narrower than its own %d-pixel variant", w, n)
				}
			}

			// Cook mode: the step's photo with the step.
			b.open("/recipes/"+id+"/cook?step=2", 200)
			b.loadedVariant("#step-2 .cook-photo img")
			r = evalJS[[]float64](b, `(r => [r.left, r.right, r.height])(document.querySelector('#step-2 .cook-photo img').getBoundingClientRect())`)
			if r[0] < 0 || r[1] > vw+0.5 || r[2] > float64(vp.height)*0.55+1 {
				b.errorf("cook mode's photo is at %v", r)
			}
			b.noSidewaysScroll("cook mode")
			b.checkPage("cook mode with a photo")
			b.shot("cook-step-2")

			// The profile, with the avatar in its header.
			b.open("/u/pia", 200)
			b.loadedVariant(".profile-head .avatar img")
			b.noSidewaysScroll("the profile")
			b.checkPage("profile with an avatar")
			b.shot("profile")

			// A recipe without a photo keeps its page as it was.
			b.open("/recipes/"+plain, 200)
			if b.count(".recipe-media") != 0 {
				b.errorf("a recipe without photos has a media block")
			}
			b.shot("recipe-without-photo")
		}()
	}
}

// variantWidth reads the width from a variant's URL (…-640.webp).
var variantWidth = regexp.MustCompile(`-(\d+)\.(webp|jpg)$`)

// loadedVariant scrolls the image into view, waits until it has arrived
// and returns the width of the variant the browser chose. A browser that
// knows WebP must have chosen a WebP one.
func (b *tab) loadedVariant(selector string) int {
	b.t.Helper()
	evalJS[bool](b, fmt.Sprintf(`(e => { e?.scrollIntoView({block: 'center'}); return true })(document.querySelector(%s))`, js(selector)))
	b.waitJS(selector+" loaded", fmt.Sprintf(`(e => !!e && e.complete && e.naturalWidth > 0)(document.querySelector(%s))`, js(selector)))
	src := evalJS[string](b, fmt.Sprintf(`document.querySelector(%s).currentSrc`, js(selector)))
	m := variantWidth.FindStringSubmatch(src)
	if m == nil {
		b.errorf("%s: currentSrc %q is not a variant", selector, src)
		return 0
	}
	if m[2] != "webp" {
		b.errorf("%s: the browser fetched %q, not the WebP", selector, src)
	}
	w, _ := strconv.Atoi(m[1])
	return w
}

// noSidewaysScroll fails the test when the page is wider than the screen.
func (b *tab) noSidewaysScroll(page string) {
	b.t.Helper()
	if over := evalJS[float64](b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
		b.errorf("%s scrolls sideways by %v px", page, over)
	}
}

// workQueue works the app's job queue while the test runs, as serve does:
// the variants job renders every uploaded photo.
func workQueue(t *testing.T, srv *testutil.Server) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := srv.App.Jobs().Start(ctx); err != nil {
		t.Fatalf("start the job queue: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		sctx, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		_ = srv.App.Jobs().Stop(sctx)
	})
}

// apiClient is one API client with its own cookie jar, for setting up
// data: any answer but 2xx fails the test.
type apiClient struct {
	t   *testing.T
	c   *http.Client
	url string
}

func newAPIClient(t *testing.T, srv *testutil.Server) *apiClient {
	return &apiClient{t: t, c: srv.Client(), url: srv.URL}
}

func jsonBody(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func (a *apiClient) call(method, path, contentType string, body []byte) map[string]any {
	a.t.Helper()
	req, err := http.NewRequest(method, a.url+path, bytes.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := a.c.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		a.t.Fatalf("%s %s: %s %s", method, path, resp.Status, raw)
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// dish is a w×h JPEG of a dish named title, drawn by platepic: something
// that looks like food in the screenshots, with edges and colours that
// show how each place crops it.
func dish(t *testing.T, w, h int, seed uint64, title string) []byte {
	t.Helper()
	jpg, err := platepic.JPEG(seed, title, w, h)
	if err != nil {
		t.Fatal(err)
	}
	return jpg
}
