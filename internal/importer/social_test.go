package importer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Social posts are read from a real HTTP server that answers as the
// providers do: YouTube's and TikTok's oEmbed endpoints, post pages with
// Open Graph tags (Instagram's caption framing, YouTube's player data),
// login and consent redirects. The fetcher is the real one, reaching the
// server for every host (testutil.FetchVia), so the importer sees the
// providers' real addresses.

// socialWeb is the providers' side.
type socialWeb struct {
	*httptest.Server
	photo []byte
	mu    sync.Mutex
	asked []string // host + path of every request, in order
}

const (
	ytVideo   = "dQw4w9WgXcQ"
	ytPrivate = "PrivateVid1"
	ytMissing = "MissingVid1"
	ytConsent = "ConsentVid1"
)

const ytDescription = "My grandmother's lentil soup, the one I grew up on.\n\n" +
	"INGREDIENTS\n- 1 onion, chopped\n- 2 carrots, diced\n- 250 g red lentils\n- 1.2 l vegetable stock\n- 1 tsp cumin\n\n" +
	"METHOD\n1. Soften the onion and carrots in a little oil for 8 minutes.\n2. Add the lentils, cumin and stock; simmer for 20 minutes.\n3. Blend half and season.\n\n" +
	"Subscribe for a new soup every week!\n#soup #lentils #vegan"

const instagramCaption = "Creamy garlic butter pasta 🍝 ready in 15 minutes!\n\n" +
	"Ingredients:\n🧄 4 cloves garlic\n🧈 50g butter\n🍝 200g spaghetti\n🧀 30g parmesan\n\n" +
	"Method:\n1️⃣ Cook the pasta in salted water.\n2️⃣ Melt the butter and fry the garlic for 1 minute.\n3️⃣ Toss the pasta with the butter and cheese.\n\n" +
	"Follow @anacooks for more easy dinners!\n#pasta #easyrecipes #dinnerideas"

const tikTokCaption = "Fluffy pancakes 🥞 #pancakes #breakfast\nYou need:\n• 200g flour\n• 2 eggs\n• 300ml milk\n• 1 tbsp sugar\n\n" +
	"Whisk everything and rest for 10 minutes. Fry in a hot pan and flip when bubbles appear."

func newSocialWeb(t *testing.T) *socialWeb {
	t.Helper()
	w := &socialWeb{photo: imagetest.Encoded(t, "jpeg", 480, 360)}
	w.Server = httptest.NewServer(http.HandlerFunc(w.serve))
	t.Cleanup(w.Close)
	return w
}

func (s *socialWeb) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.asked)
}

func (s *socialWeb) serve(w http.ResponseWriter, r *http.Request) {
	host, path, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	path = "/" + path
	s.mu.Lock()
	s.asked = append(s.asked, host+path)
	s.mu.Unlock()
	q := r.URL.Query()
	local := func(h, p string) string { return "/" + h + p }
	switch host + path {
	case "www.youtube.com/oembed":
		post, _ := url.Parse(q.Get("url"))
		switch post.Query().Get("v") {
		case ytVideo, ytConsent:
			writeJSON(w, map[string]any{"type": "video", "version": "1.0", "provider_name": "YouTube",
				"title": "Grandma's Lentil Soup | Easy Vegan Dinner", "author_name": "Soup Stories",
				"author_url":    "https://www.youtube.com/@soupstories",
				"thumbnail_url": "https://i.ytimg.com/vi/" + post.Query().Get("v") + "/hqdefault.jpg",
				"html":          `<iframe width="200" height="113" src="https://www.youtube.com/embed/x"></iframe>`})
		case ytPrivate:
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
		default:
			http.Error(w, "Not Found", http.StatusNotFound)
		}
	case "www.youtube.com/watch":
		switch q.Get("v") {
		case ytConsent:
			http.Redirect(w, r, local("consent.youtube.com", "/ml?continue=watch"), http.StatusFound)
		case ytPrivate:
			page(w, `<title>YouTube</title>`, `<div>Video unavailable. This video is private.</div>`)
		default:
			player, _ := json.Marshal(map[string]any{"videoDetails": map[string]any{"videoId": q.Get("v"), "shortDescription": ytDescription}})
			page(w, `<meta property="og:title" content="Grandma's Lentil Soup | Easy Vegan Dinner">
<meta property="og:description" content="My grandmother's lentil soup, the one I grew up on. INGREDIENTS - 1 onion…">
<meta property="og:image" content="https://i.ytimg.com/vi/x/maxresdefault.jpg">`,
				`<script>var ytInitialPlayerResponse = `+string(player)+`;</script>`)
		}
	case "consent.youtube.com/ml":
		page(w, `<title>Before you continue to YouTube</title>`, `<form>Accept all</form>`)
	case "i.ytimg.com/vi/" + ytVideo + "/hqdefault.jpg", "p16-sign.tiktokcdn.example/pancakes.jpeg", "scontent.cdninstagram.example/pasta.jpg":
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(s.photo)
	case "www.instagram.com/p/CpAsTa123/":
		page(w, fmt.Sprintf(`<meta property="og:title" content="Ana Cooks on Instagram: &quot;%s&quot;">
<meta property="og:description" content="1,234 likes, 56 comments - anacooks on March 3, 2026: &quot;%s&quot;. ">
<meta property="og:image" content="https://scontent.cdninstagram.example/pasta.jpg">`,
			html.EscapeString(strings.SplitN(instagramCaption, "\n", 2)[0]), html.EscapeString(instagramCaption)), "")
	case "www.instagram.com/p/NoRecipe99/":
		page(w, `<meta property="og:title" content="Ana Cooks on Instagram: &quot;Sunday vibes&quot;">
<meta property="og:description" content="12 likes, 1 comment - anacooks on March 4, 2026: &quot;Sunday vibes 🌞 #food #weekend&quot;. ">`, "")
	case "www.instagram.com/p/SignIn1234/", "www.instagram.com/reel/SignIn1234/":
		http.Redirect(w, r, local("www.instagram.com", "/accounts/login/?next=%2Fp%2FSignIn1234%2F"), http.StatusFound)
	case "www.instagram.com/accounts/login/":
		page(w, `<meta property="og:title" content="Login • Instagram">`, `<form>Log in</form>`)
	case "www.tiktok.com/oembed":
		if !strings.Contains(q.Get("url"), "/video/7234567890123456789") {
			http.Error(w, "{}", http.StatusBadRequest)
			return
		}
		writeJSON(w, map[string]any{"version": "1.0", "type": "video", "title": tikTokCaption,
			"author_url": "https://www.tiktok.com/@anacooks", "author_name": "Ana Cooks", "author_unique_id": "anacooks",
			"thumbnail_url": "https://p16-sign.tiktokcdn.example/pancakes.jpeg", "provider_name": "TikTok"})
	case "vm.tiktok.com/ZMabc123/":
		http.Redirect(w, r, local("www.tiktok.com", "/@anacooks/video/7234567890123456789?_r=1"), http.StatusMovedPermanently)
	case "www.tiktok.com/@anacooks/video/7234567890123456789":
		page(w, `<title>TikTok</title>`, `<div id="app"></div>`)
	case "www.pinterest.com/pin/987654321/":
		page(w, `<meta property="og:title" content="Leek and Potato Soup">
<meta property="og:description" content="Silky soup for cold nights.">
<meta property="og:image" content="https://i.pinimg.example/soup.jpg">
<meta name="pinterestapp:source" content="https://soup.blog.example/leek-soup">`, "")
	case "soup.blog.example/leek-soup":
		page(w, `<script type="application/ld+json">`+soupLD+`</script><title>Leek and Potato Soup</title>`, `<h1>Leek and Potato Soup</h1>`)
	default:
		http.NotFound(w, r)
	}
}

const soupLD = `{"@context":"https://schema.org","@type":"Recipe","name":"Leek and Potato Soup","author":{"@type":"Person","name":"Jo Blogs"},
"recipeIngredient":["2 leeks","500 g potatoes","1 l stock"],"recipeInstructions":["Soften the leeks.","Simmer with the potatoes.","Blend."]}`

func page(w http.ResponseWriter, head, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!doctype html><html><head>%s</head><body>%s</body></html>", head, body)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func socialHarness(t *testing.T, engine string) (*harness, *socialWeb) {
	web := newSocialWeb(t)
	h := newHarnessVia(t, engine, nil, func(f *importer.Fetcher) importer.PageFetcher {
		return testutil.FetchVia(f, web.URL)
	})
	return h, web
}

func TestPostsFromProviders(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		h, web := socialHarness(t, engine)
		ctx := context.Background()

		// YouTube: the title from oEmbed, the recipe from the whole
		// description in the watch page's player data.
		p, err := h.svc.Preview(ctx, h.user, importer.Source{URL: "https://youtu.be/" + ytVideo + "?si=tracking"})
		if err != nil {
			t.Fatal(err)
		}
		in := p.Input
		if in.Title != "Grandma's Lentil Soup" {
			t.Errorf("YouTube title %q", in.Title)
		}
		if got := originals(in.Ingredients); !slices.Equal(got, []string{"1 onion, chopped", "2 carrots, diced", "250 g red lentils", "1.2 l vegetable stock", "1 tsp cumin"}) {
			t.Errorf("YouTube ingredients %q", got)
		}
		if len(in.Steps) != 3 || in.Steps[1] != "Add the lentils, cumin and stock; simmer for 20 minutes." {
			t.Errorf("YouTube steps %q", in.Steps)
		}
		if in.Description != "My grandmother's lentil soup, the one I grew up on." {
			t.Errorf("YouTube description %q", in.Description)
		}
		if !slices.Equal(in.Tags, []string{"soup", "lentils", "vegan"}) {
			t.Errorf("YouTube tags %q", in.Tags)
		}
		if in.SourceURL != "https://www.youtube.com/watch?v="+ytVideo || in.SourceAuthor != "Soup Stories" {
			t.Errorf("YouTube source %q by %q", in.SourceURL, in.SourceAuthor)
		}
		if p.ImageURL != "https://i.ytimg.com/vi/"+ytVideo+"/hqdefault.jpg" {
			t.Errorf("YouTube photo %q", p.ImageURL)
		}
		if errs := in.Normalize(); len(errs) > 0 {
			t.Errorf("the YouTube preview does not validate: %v", errs)
		}

		// Instagram: caption and creator out of the page's Open Graph
		// tags; the call to follow is not a step.
		p, err = h.svc.Preview(ctx, h.user, importer.Source{URL: "https://www.instagram.com/anacooks/p/CpAsTa123/?igsh=abc"})
		if err != nil {
			t.Fatal(err)
		}
		in = p.Input
		if in.Title != "Creamy garlic butter pasta" || in.Description != "Ready in 15 minutes!" {
			t.Errorf("Instagram title %q, description %q", in.Title, in.Description)
		}
		if got := originals(in.Ingredients); !slices.Equal(got, []string{"4 cloves garlic", "50g butter", "200g spaghetti", "30g parmesan"}) {
			t.Errorf("Instagram ingredients %q", got)
		}
		if !slices.Equal(in.Steps, []string{"Cook the pasta in salted water.", "Melt the butter and fry the garlic for 1 minute.", "Toss the pasta with the butter and cheese."}) {
			t.Errorf("Instagram steps %q", in.Steps)
		}
		if !slices.Equal(in.Tags, []string{"pasta", "easyrecipes", "dinnerideas"}) {
			t.Errorf("Instagram tags %q", in.Tags)
		}
		if in.SourceURL != "https://www.instagram.com/p/CpAsTa123/" || in.SourceAuthor != "Ana Cooks (@anacooks)" {
			t.Errorf("Instagram source %q by %q", in.SourceURL, in.SourceAuthor)
		}
		if p.ImageURL != "https://scontent.cdninstagram.example/pasta.jpg" {
			t.Errorf("Instagram photo %q", p.ImageURL)
		}

		// TikTok: a short link followed to the post; the caption is
		// oEmbed's title; prose after the list is the method.
		p, err = h.svc.Preview(ctx, h.user, importer.Source{URL: "https://vm.tiktok.com/ZMabc123/"})
		if err != nil {
			t.Fatal(err)
		}
		in = p.Input
		if in.Title != "Fluffy pancakes" || len(in.Ingredients) != 4 || len(in.Steps) != 1 || !strings.HasPrefix(in.Steps[0], "Whisk everything") {
			t.Errorf("TikTok: title %q, ingredients %q, steps %q", in.Title, originals(in.Ingredients), in.Steps)
		}
		if in.SourceURL != "https://www.tiktok.com/@anacooks/video/7234567890123456789" || in.SourceAuthor != "Ana Cooks (@anacooks)" {
			t.Errorf("TikTok source %q by %q", in.SourceURL, in.SourceAuthor)
		}

		// Pinterest: the pin's linked page holds the recipe in full.
		p, err = h.svc.Preview(ctx, h.user, importer.Source{URL: "https://www.pinterest.co.uk/pin/987654321/"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Input.Title != "Leek and Potato Soup" || len(p.Input.Steps) != 3 || p.Input.SourceURL != "https://soup.blog.example/leek-soup" ||
			p.Input.SourceAuthor != "Jo Blogs" || p.ImageURL != "https://i.pinimg.example/soup.jpg" {
			t.Errorf("Pinterest: %q from %q by %q, photo %q", p.Input.Title, p.Input.SourceURL, p.Input.SourceAuthor, p.ImageURL)
		}

		// Nothing outside the providers' public endpoints was asked for.
		for _, r := range web.requests() {
			if strings.Contains(r, "login") && !strings.HasPrefix(r, "www.instagram.com/accounts/login/") {
				t.Errorf("asked for %s", r)
			}
		}
	})
}

func TestUnreadablePosts(t *testing.T) {
	h, _ := socialHarness(t, "sqlite")
	ctx := context.Background()
	for _, c := range []struct {
		url  string
		want error
	}{
		// A login wall, a consent page and a private video: the caption
		// cannot be had without signing in.
		{"https://www.instagram.com/p/SignIn1234/", importer.ErrPostUnreadable},
		{"https://www.youtube.com/watch?v=" + ytConsent, importer.ErrPostUnreadable},
		{"https://www.youtube.com/shorts/" + ytPrivate, importer.ErrPostUnreadable},
		// Read, but no recipe in it.
		{"https://www.instagram.com/p/NoRecipe99/", importer.ErrNoRecipeInPost},
		// No such video.
		{"https://www.youtube.com/watch?v=" + ytMissing, importer.ErrPageNotFound},
	} {
		_, err := h.svc.Preview(ctx, h.user, importer.Source{URL: c.url})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.url, err, c.want)
			continue
		}
		status, title, detail := importer.Problem(err)
		if status != http.StatusUnprocessableEntity || title == "" {
			t.Errorf("%s: problem %d %q", c.url, status, title)
		}
		if c.want != importer.ErrPageNotFound && !strings.Contains(detail, "paste it below") && !strings.Contains(detail, "paste it") {
			t.Errorf("%s: %q does not offer pasting", c.url, detail)
		}
	}
}

// TestPastedCaption: the way round an unreadable post. The caption, with
// the post's address, reads as the post would have; the photo is the
// person's to add.
func TestPastedCaption(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		h, web := socialHarness(t, engine)
		ctx := context.Background()
		before := len(web.requests())
		p, err := h.svc.Preview(ctx, h.user, importer.Source{Text: instagramCaption, BaseURL: "https://www.instagram.com/reel/SignIn1234/?igsh=x"})
		if err != nil {
			t.Fatal(err)
		}
		in := p.Input
		if in.Title != "Creamy garlic butter pasta" || len(in.Ingredients) != 4 || len(in.Steps) != 3 || in.SourceURL != "https://www.instagram.com/reel/SignIn1234/" {
			t.Errorf("pasted caption: %q, %d ingredients, steps %q, source %q", in.Title, len(in.Ingredients), in.Steps, in.SourceURL)
		}
		if n := len(web.requests()); n != before {
			t.Errorf("pasting a caption made %d requests", n-before)
		}
		if !slices.Contains(p.Missing, "photo") {
			t.Errorf("missing %q, want photo", p.Missing)
		}
		rec, err := h.svc.Save(ctx, h.user, in, "")
		if err != nil {
			t.Fatal(err)
		}
		if rec.SourceURL != "https://www.instagram.com/reel/SignIn1234/" || len(rec.Steps) != 3 {
			t.Errorf("saved %q with %d steps", rec.SourceURL, len(rec.Steps))
		}
		// Pasted again: the earlier import is offered.
		p, err = h.svc.Preview(ctx, h.user, importer.Source{Text: instagramCaption, BaseURL: "https://www.instagram.com/reel/SignIn1234/"})
		if err != nil || p.Existing == nil || p.Existing.ID != rec.ID {
			t.Errorf("second paste: existing %+v, %v", p.Existing, err)
		}
	})
}

// TestPostSavedWithThumbnail: saving a post's preview keeps the creator
// and downloads the thumbnail as the recipe's photo.
func TestPostSavedWithThumbnail(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		h, web := socialHarness(t, engine)
		ctx := context.Background()
		p, err := h.svc.Preview(ctx, h.user, importer.Source{URL: "https://www.youtube.com/watch?v=" + ytVideo})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := h.svc.Save(ctx, h.user, p.Input, p.ImageURL)
		if err != nil {
			t.Fatal(err)
		}
		h.runJobs(t)
		got, err := h.store.Recipe(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.SourceAuthor != "Soup Stories" || got.SourceURL != "https://www.youtube.com/watch?v="+ytVideo {
			t.Errorf("saved source %q by %q", got.SourceURL, got.SourceAuthor)
		}
		if got.Photo == nil {
			t.Fatalf("no photo from the thumbnail; asked %q", web.requests())
		}
		if !slices.Contains(web.requests(), "i.ytimg.com/vi/"+ytVideo+"/hqdefault.jpg") {
			t.Errorf("thumbnail not fetched: %q", web.requests())
		}
	})
}

func originals(ings []recipe.Ingredient) []string {
	out := make([]string, len(ings))
	for i, ing := range ings {
		out[i] = ing.Original
	}
	return out
}
