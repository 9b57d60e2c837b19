package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/recipe"
)

// photographed is a recipe with every kind of photo, all processed.
type photographed struct {
	id, plain string // the recipe with photos, and one without any
	rec       *recipe.Recipe
}

// photograph uploads a main photo (1200×900), a gallery photo (800×800), a
// photo of step 2 (1000×750) and ann's avatar, through the photo service,
// and runs the variants job that makes them ready.
func photograph(t *testing.T, s *site, ann *browser) photographed {
	t.Helper()
	ctx := context.Background()
	f := simpleRecipe("Roast squash soup", "public")
	id := ann.createRecipe(t, f)
	plain := ann.createRecipe(t, simpleRecipe("Plain bread", "public"))
	uid := s.userID(t, "ann")
	svc := s.App.Photos()
	jpg := func(w, h int) *bytes.Reader { return bytes.NewReader(imagetest.Encoded(t, "jpeg", w, h)) }
	if _, err := svc.SetMain(ctx, uid, id, jpg(1200, 900), "A bowl of orange soup"); err != nil {
		t.Fatalf("main photo: %v", err)
	}
	if _, err := svc.AddPhoto(ctx, uid, id, 0, jpg(800, 800), ""); err != nil {
		t.Fatalf("gallery photo: %v", err)
	}
	if _, err := svc.AddPhoto(ctx, uid, id, 2, jpg(1000, 750), "Eggs beaten in"); err != nil {
		t.Fatalf("step photo: %v", err)
	}
	if _, err := svc.SetAvatar(ctx, uid, jpg(400, 400)); err != nil {
		t.Fatalf("avatar: %v", err)
	}
	// The test server does not work the job queue: run the variants job
	// of every waiting photo as its workers would.
	ids, err := s.Store.StalledPhotos(ctx, time.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range ids {
		if err := svc.Process(ctx, pid); err != nil {
			t.Fatalf("process photo %s: %v", pid, err)
		}
	}
	rec, err := s.Store.Recipe(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	av, err := s.Store.Avatar(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Photo.Ready() || !av.Ready() || len(rec.Photos) != 2 || !rec.Photos[0].Ready() || !rec.Photos[1].Ready() {
		t.Fatalf("photos not processed: main %+v, others %+v, avatar %+v", rec.Photo, rec.Photos, av)
	}
	return photographed{id: id, plain: plain, rec: rec}
}

// TestPhotosOnPages: a recipe's photos appear where people look for them
// (its card, its page's hero, gallery and method, cook mode, the author's
// avatar) as <picture>s whose WebP and JPEG variants the server delivers,
// and a recipe without a photo gets the drawn picture instead.
func TestPhotosOnPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann := s.register(t, "ann")
		p := photograph(t, s, ann)
		anon := s.browser()

		// The recipe page.
		d := assertDocument(t, anon.get(t, "/recipes/"+p.id).want(t, http.StatusOK))
		hero := d.one(t, ".recipe-hero picture img")
		if hero.get("fetchpriority") != "high" || hero.has("loading") || hero.get("alt") != "A bowl of orange soup" ||
			hero.get("width") != "1200" || hero.get("height") != "900" {
			t.Errorf("hero img %v", hero.attrs)
		}
		if src := d.one(t, `.recipe-hero picture source[type="image/webp"]`); !strings.Contains(src.get("srcset"), "1024w") ||
			!strings.HasPrefix(src.get("srcset"), "/media/") {
			t.Errorf("hero webp srcset %q", src.get("srcset"))
		}
		if fill := d.one(t, ".recipe-hero svg rect").get("fill"); len(fill) != 7 || fill[0] != '#' {
			t.Errorf("hero placeholder colour %q, want the photo's", fill)
		}
		thumbs := d.all(".gallery a.gallery-link")
		if len(thumbs) != 1 || thumbs[0].get("href") != p.rec.Photos[0].URL {
			t.Fatalf("gallery links %d, want 1 to the widest JPEG %q", len(thumbs), p.rec.Photos[0].URL)
		}
		if img := d.one(t, ".gallery a.gallery-link img"); img.get("alt") != "Roast squash soup, photo 2" || img.get("loading") != "lazy" {
			t.Errorf("gallery img %v", img.attrs)
		}
		steps := d.all("#steps li")
		if len(steps) != 3 || steps[0].first("img") != nil || steps[2].first("img") != nil {
			t.Fatalf("step photos in the wrong steps")
		}
		if img := steps[1].first(".step-photo img"); img == nil || img.get("alt") != "Eggs beaten in" || img.get("loading") != "lazy" {
			t.Errorf("step 2's photo: %v", img)
		}
		if img := d.first(".recipe-byline .avatar img"); img == nil || img.get("alt") != "" {
			t.Errorf("byline avatar %v", img)
		}

		// Every variant the page names is delivered.
		for _, sel := range []string{".recipe-hero source", ".recipe-hero img", ".gallery img", ".step-photo source"} {
			for _, n := range d.all(sel) {
				for _, cand := range strings.Split(n.get("srcset"), ",") {
					u, _, _ := strings.Cut(strings.TrimSpace(cand), " ")
					r := anon.get(t, u).want(t, http.StatusOK)
					if ct := r.header.Get("Content-Type"); ct != "image/webp" && ct != "image/jpeg" {
						t.Errorf("%s: %s", u, ct)
					}
				}
			}
		}

		// Cards: the photo for the one that has it, the drawn picture for
		// the other, both in the same box.
		for _, c := range []struct {
			who  *browser
			path string
		}{{ann, "/"}, {anon, "/"}, {anon, "/recipes"}, {anon, "/u/ann"}, {anon, "/recipes?q=soup"}} {
			d := assertDocument(t, c.who.get(t, c.path).want(t, http.StatusOK))
			var photo, art int
			for _, card := range d.all("li.recipe-card") {
				href := card.one(t, "a.recipe-card-link").get("href")
				img := card.first(".photo-card picture img")
				switch {
				case href == "/recipes/"+p.id && img != nil:
					photo++
					if img.get("alt") != "" || !strings.Contains(card.one(t, `.photo-card source[type="image/webp"]`).get("srcset"), "320w") {
						t.Errorf("%s: card img %v", c.path, img.attrs)
					}
				case href == "/recipes/"+p.plain && img == nil && card.first(".photo-card.photo-art svg") != nil:
					art++
				default:
					t.Errorf("%s: card %s has the wrong picture", c.path, href)
				}
			}
			if photo != 1 || (c.path != "/recipes?q=soup" && art != 1) {
				t.Errorf("%s: %d photo cards, %d drawn", c.path, photo, art)
			}
			// The first cards (here both) load first.
			if img := d.first(".recipe-card .photo-card img"); img == nil || img.get("fetchpriority") != "high" || img.has("loading") {
				t.Errorf("%s: the first cards' photo is not fetched first", c.path)
			}
		}
		d = assertDocument(t, anon.get(t, "/recipes").want(t, http.StatusOK))
		if img := d.first(".recipe-card-by .avatar img"); img == nil {
			t.Error("no avatar by the author's name on a card")
		}
		if d := assertDocument(t, anon.get(t, "/u/ann").want(t, http.StatusOK)); d.first(".profile-head .avatar img") == nil {
			t.Error("no avatar in the profile's header")
		}

		// Cook mode: the step's photo with its step, loaded at once on
		// the step shown and lazily on the others.
		d = assertDocument(t, anon.get(t, "/recipes/"+p.id+"/cook?step=2").want(t, http.StatusOK))
		if img := d.first("#step-2 .cook-photo img"); img == nil || img.get("fetchpriority") != "high" {
			t.Errorf("cook mode step 2's photo: %v", img)
		}
		if d.first("#step-1 img") != nil || d.first("#step-3 img") != nil {
			t.Error("cook mode shows a photo on a step without one")
		}
		d = assertDocument(t, anon.get(t, "/recipes/"+p.id+"/cook").want(t, http.StatusOK))
		if img := d.first("#step-2 .cook-photo img"); img == nil || img.get("loading") != "lazy" {
			t.Errorf("cook mode: a hidden step's photo: %v", img)
		}
	})
}

// TestRecipePagePhotoMetadata: link previews and search engines get the
// main photo as absolute URLs on the site's base URL.
func TestRecipePagePhotoMetadata(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann := s.register(t, "ann")
		p := photograph(t, s, ann)
		d := assertDocument(t, s.browser().get(t, "/recipes/"+p.id).want(t, http.StatusOK))
		meta := map[string]string{}
		for _, m := range d.all("head meta[property]") {
			meta[m.get("property")] = m.get("content")
		}
		for _, m := range d.all("head meta[name]") {
			meta[m.get("name")] = m.get("content")
		}
		const base = "http://localhost:8080" // the test configuration's base URL
		main := p.rec.Photo
		want := map[string]string{"og:image": base + main.Smallest("jpeg", 1024).URL, "og:image:width": "1024", "og:image:height": "768",
			"og:image:alt": "A bowl of orange soup", "og:image:type": "image/jpeg", "twitter:card": "summary_large_image"}
		for k, v := range want {
			if meta[k] != v {
				t.Errorf("%s = %q, want %q", k, meta[k], v)
			}
		}
		var ld struct {
			Image []string `json:"image"`
		}
		if err := json.Unmarshal([]byte(d.one(t, `script[type="application/ld+json"]`).rawText()), &ld); err != nil {
			t.Fatal(err)
		}
		if len(ld.Image) != 2 || ld.Image[0] != base+main.URL || ld.Image[1] != base+p.rec.Photos[0].URL {
			t.Errorf("JSON-LD image %q, want the main photo's and the gallery's widest JPEGs", ld.Image)
		}

		// Without a photo: no image, and the smaller Twitter card.
		d = assertDocument(t, s.browser().get(t, "/recipes/"+p.plain).want(t, http.StatusOK))
		if d.first(`head meta[property="og:image"]`) != nil || d.first(`head meta[name="twitter:card"]`) != nil {
			t.Error("a recipe without a photo has an og:image or a twitter card")
		}
		if d.first(".recipe-media") != nil {
			t.Error("a recipe without a photo has a media block")
		}
	})
}
