package ui_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Social posts on the import page: a post behind a login is explained and
// its caption can be pasted with the post kept as the source; the creator
// is credited on the recipe page; a YouTube recipe's page offers its video
// behind a press, and only that page's policy allows the player.

const pastaCaption = "Creamy garlic butter pasta 🍝 ready in 15 minutes!\n\n" +
	"Ingredients:\n🧄 4 cloves garlic\n🧈 50g butter\n🍝 200g spaghetti\n\n" +
	"Method:\n1️⃣ Cook the pasta.\n2️⃣ Melt the butter with the garlic.\n3️⃣ Toss together.\n\n" +
	"Follow @anacooks for more!\n#pasta #dinner"

// socialSite is the import site with an importer whose fetcher reaches a
// server that answers as Instagram does for a post behind its login.
func socialSite(t *testing.T) *site {
	t.Helper()
	s, _ := importSite(t, "sqlite")
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/www.instagram.com/p/SignIn1234/":
			http.Redirect(w, r, "/www.instagram.com/accounts/login/?next=%2Fp%2FSignIn1234%2F", http.StatusFound)
		case "/www.instagram.com/accounts/login/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!doctype html><title>Login • Instagram</title><form>Log in</form>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(web.Close)
	fetcher := testutil.FetchVia(importer.NewFetcher(importer.FetcherOptions{AllowPrivate: true}), web.URL)
	s.App.SetImportFlows(importer.New(s.App.Store(), fetcher, s.App.Photos(), importer.Options{}))
	return s
}

func TestImportUnreadablePostOffersTheCaption(t *testing.T) {
	t.Parallel()
	s := socialSite(t)
	ann := s.register(t, "ann")
	const post = "https://www.instagram.com/p/SignIn1234/"

	d := assertDocument(t, ann.post(t, "/import", url.Values{"url": {post}}).want(t, http.StatusUnprocessableEntity))
	if got := d.one(t, "#error-summary h2").textContent(); got != "The post could not be read" {
		t.Errorf("summary %q", got)
	}
	if got := d.one(t, "#text-error").textContent(); !strings.Contains(got, "copy its caption and paste it below") {
		t.Errorf("the text box says %q", got)
	}
	if d.one(t, "#error-summary a").get("href") != "#text" || d.one(t, "#text").get("aria-invalid") != "true" {
		t.Error("the summary does not lead to the text box")
	}
	if got := inputValue(t, d, "text_url"); got != post {
		t.Errorf("where it came from = %q, want the post", got)
	}

	// The caption pasted with the post: the recipe, sourced to the post.
	d = assertDocument(t, ann.post(t, "/import", url.Values{"text": {pastaCaption}, "text_url": {post}}).want(t, http.StatusOK))
	if inputValue(t, d, "title") != "Creamy garlic butter pasta" || inputValue(t, d, "ingredient-1") != "50g butter" ||
		inputValue(t, d, "step-2") != "Toss together." || inputValue(t, d, "source_url") != post {
		t.Errorf("form: %q, %q, %q, %q", inputValue(t, d, "title"), inputValue(t, d, "ingredient-1"), inputValue(t, d, "step-2"), inputValue(t, d, "source_url"))
	}
	if inputValue(t, d, "tags") != "pasta, dinner" {
		t.Errorf("tags %q", inputValue(t, d, "tags"))
	}
	form := formValues(d, "recipe-form")
	form.Set("source_author", "Ana Cooks (@anacooks)")
	res := ann.post(t, "/import/save", form).want(t, http.StatusSeeOther)
	page := assertDocument(t, ann.follow(t, res))
	if got := page.one(t, ".source-credit").textContent(); got != "Recipe by Ana Cooks (@anacooks)" {
		t.Errorf("credit %q", got)
	}
	if got := page.one(t, ".source-link").get("href"); got != post {
		t.Errorf("source link %q", got)
	}

	// A source that is not a web address is refused by its field.
	d = assertDocument(t, ann.post(t, "/import", url.Values{"text": {pastaCaption}, "text_url": {"javascript:alert(1)"}}).want(t, http.StatusUnprocessableEntity))
	if d.one(t, "#text_url").get("aria-invalid") != "true" || d.first("#text_url-error") == nil {
		t.Error("a bad source address is not marked on its field")
	}
}

func TestRecipeCreditIsValidated(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	form := simpleRecipe("Soup", "private").values()
	form.Set("source_author", strings.Repeat("a", recipe.MaxSourceAuthor+1))
	d := assertDocument(t, ann.post(t, "/recipes/new", form).want(t, http.StatusUnprocessableEntity))
	if d.one(t, "#source_author").get("aria-invalid") != "true" || !strings.Contains(d.one(t, "#source_author-error").textContent(), "at most 200") {
		t.Error("an overlong credit is not refused by its field")
	}
}

func TestRecipeVideo(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	ids := s.seedRecipes(t, "ann",
		recipe.Input{Title: "Lentil Soup", Visibility: recipe.Public, SourceURL: "https://youtu.be/dQw4w9WgXcQ", SourceAuthor: "Soup Stories",
			Ingredients: []recipe.Ingredient{recipe.IngredientLine("250 g lentils")}, Steps: []string{"Simmer."}},
		recipe.Input{Title: "Bread", Visibility: recipe.Public, SourceURL: "https://bread.example/loaf",
			Ingredients: []recipe.Ingredient{recipe.IngredientLine("500 g flour")}, Steps: []string{"Bake."}})
	video, plain := ids[0], ids[1]

	for _, reader := range []*browser{ann, s.browser()} {
		r := reader.get(t, "/recipes/"+video).want(t, http.StatusOK)
		csp := r.header.Get("Content-Security-Policy")
		if !strings.HasSuffix(csp, "; frame-src https://www.youtube-nocookie.com") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("the video recipe's policy: %q", csp)
		}
		d := assertDocument(t, r)
		box := d.one(t, "[data-video]")
		if box.get("data-video") != "dQw4w9WgXcQ" || d.first("iframe") != nil {
			t.Error("the video is not offered behind a press, or a player loads at once")
		}
		if a := box.one(t, "a[data-video-play]"); a.get("href") != "https://www.youtube.com/watch?v=dQw4w9WgXcQ" {
			t.Errorf("the video's link %q", a.get("href"))
		}
		r = reader.get(t, "/recipes/"+plain).want(t, http.StatusOK)
		if strings.Contains(r.header.Get("Content-Security-Policy"), "frame-src") {
			t.Error("a recipe without a video allows frames")
		}
		if assertDocument(t, r).first("[data-video]") != nil {
			t.Error("a recipe without a video offers one")
		}
	}
}
