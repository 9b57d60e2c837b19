package browsertest

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestCookTogether is two people who have just signed up, one on a phone
// and one at a desktop, each in a browser of their own, on one server with
// an in-process SMTP listener: Tom follows Rosa, likes, saves and comments
// on her recipe; Rosa sees it all counted in the navigation and listed in
// her notifications, and gets the comment by email (whose unsubscribe link
// works signed out); Rosa posts a new recipe and it reaches Tom's
// notifications and feed; Rosa shares a private recipe by link, a visitor
// who is signed in nowhere opens it, Rosa revokes the link, and the
// visitor's next visit is a 404 like any missing page. Every new page is
// checked with axe-core and photographed.
func TestCookTogether(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv, relay := testutil.StartServingWithMail(t, "sqlite", nil)
	o := flags.Override{Environment: "development", Key: flags.RecipeShareLink, Enabled: true, RolloutPercent: 100}
	if err := srv.App.Store().SetFlagOverride(context.Background(), &o); err != nil {
		t.Fatal(err)
	}
	srv.App.Flags().Invalidate()

	rosaTab := newTabOf(t, srv.URL, phone, "rosa")
	tomTab := newTabOf(t, srv.URL, desktop, "tom")
	visitor := newTabOf(t, srv.URL, phone, "visitor")
	rosa, tom := newAccount("Rosa", phone), newAccount("Tom", desktop)

	// Rosa signs up, asks for comments by email, and writes a public and
	// a private recipe.
	rosaTab.open("/register", 200)
	register(rosaTab, rosa)
	rosaTab.open("/settings/notifications", 200)
	rosaTab.click(css(`input[name="comment"][value="email"]`))
	rosaTab.follow(button("Save notification settings"), 200)
	rosaTab.checkPage("notification settings")
	if !evalJS[bool](rosaTab, `document.querySelector('input[name="comment"][value="email"]').checked`) {
		rosaTab.errorf(`after saving, "Comments on your recipes" is not "Email each"`)
	}
	cake := writeRecipe(rosaTab, recipeInput{
		title: "Plum Cake", description: "A sheet of plums on a soft sponge.",
		servings: "8", visibility: "public",
		ingredients: []string{"500 g plums", "200 g flour", "3 eggs"},
		steps:       []string{"Beat the eggs with the flour.", "Lay the plums on top and bake."},
	})
	soup := writeRecipe(rosaTab, recipeInput{
		title: "Grandmother's Tomato Soup", servings: "4", visibility: "private",
		ingredients: []string{"1 kg tomatoes", "1 onion"},
		steps:       []string{"Simmer the tomatoes with the onion, then blend."},
	})

	// Tom signs up and follows Rosa from her profile.
	tomTab.open("/register", 200)
	register(tomTab, tom)
	tomTab.open("/u/"+rosa.username, 200)
	tomTab.click(button("Follow @" + rosa.username))
	tomTab.waitVisible(button("Unfollow @" + rosa.username))
	if n := tomTab.text(css("#follower-count")); n != "1" {
		tomTab.errorf("Rosa's profile shows %s followers after Tom follows, want 1", n)
	}
	tomTab.shot("profile-followed")
	tomTab.checkPage("profile, followed")

	// He likes and saves her cake (with htmx, in place), and finds it on
	// his Saved page.
	tomTab.follow(css(`a[href="/recipes/`+cake+`"]`), 200)
	tomTab.click(css("#like-button"))
	tomTab.waitJS("the like counted", `document.querySelector('#like-button')?.getAttribute('aria-pressed') === 'true'`)
	if n := tomTab.text(css("#like-count")); n != "1 like" {
		tomTab.errorf("after liking: %q, want \"1 like\"", n)
	}
	tomTab.click(css("#save-button"))
	tomTab.waitJS("the save counted", `document.querySelector('#save-button')?.getAttribute('aria-pressed') === 'true'`)
	if n := tomTab.text(css("#save-count")); n != "1 save" {
		tomTab.errorf("after saving: %q, want \"1 save\"", n)
	}

	// He scrolls down to the comments (loaded as they come into view) and
	// comments; the address in it becomes a link.
	evalJS[bool](tomTab, `(document.querySelector('#comments').scrollIntoView(), true)`)
	comment := "Made it twice this week. Damsons work too, see https://example.org/damsons"
	tomTab.fill(css("#comment-body"), comment)
	tomTab.click(button("Post comment"))
	tomTab.waitJS("the comment in the list", `[...document.querySelectorAll('#comment-list .comment-body')].some(e => e.innerText.includes('Damsons work too'))`)
	if href, _ := tomTab.attr(`#comment-list .comment-body a`, "href"); href != "https://example.org/damsons" {
		tomTab.errorf("the comment's link goes to %q", href)
	}
	if n := tomTab.text(css("#comments .comment-count")); n != "(1)" {
		tomTab.errorf("comment count %q after commenting, want (1)", n)
	}
	tomTab.shot("recipe-liked-saved-commented")
	tomTab.checkPage("recipe, liked, saved and commented")

	tomTab.follow(link("Saved"), 200)
	if titles := tomTab.texts(".recipe-card h2, .recipe-card h3"); len(titles) != 1 || titles[0] != "Plum Cake" {
		tomTab.errorf("Tom's Saved page lists %q, want [Plum Cake]", titles)
	}
	tomTab.shot("saved")

	// Her private soup stays hidden from him: the same 404 as a missing page.
	tomTab.open("/recipes/"+soup, 404)
	checkNotFound(tomTab)

	// Rosa's phone shows three unread on the closed menu, and the list.
	rosaTab.open("/", 200)
	if badge := rosaTab.text(css(".nav-menu-button .badge-count")); badge != "3" {
		rosaTab.errorf("the Menu button shows %q unread, want 3", badge)
	}
	rosaTab.shot("home-three-unread")
	rosaTab.follow(css(`a[href="/notifications"]`), 200)
	got := rosaTab.texts(".notification-list .notification a")
	// Each begins with "Unread: " for a screen reader (visually hidden).
	want := []string{
		"Unread: " + tom.displayName + " commented on your recipe “Plum Cake”",
		"Unread: " + tom.displayName + " liked your recipe “Plum Cake”",
		"Unread: " + tom.displayName + " started following you",
	}
	if !slices.Equal(got, want) {
		rosaTab.errorf("Rosa's notifications:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rosaTab.shot("notifications")
	rosaTab.checkPage("notifications")
	rosaTab.follow(button("Mark all read"), 200)
	if n := rosaTab.count(".notification-unread"); n != 0 {
		rosaTab.errorf("%d notifications unread after marking all read", n)
	}
	if n := rosaTab.count(".badge-count"); n != 0 {
		rosaTab.errorf("%d unread badges after marking all read", n)
	}

	// The comment reached her by email, with an unsubscribe link that
	// works for someone signed in nowhere.
	header, text := awaitMail(rosaTab, relay, rosa.email, strings.TrimPrefix(want[0], "Unread: "))
	if !strings.Contains(text, "/recipes/"+cake+"/comments") {
		rosaTab.errorf("the email does not link to the comments:\n%s", text)
	}
	u, err := url.Parse(strings.Trim(header.Get("List-Unsubscribe"), "<>"))
	if err != nil || !strings.HasPrefix(u.Path, "/unsubscribe/") {
		rosaTab.fatalf("List-Unsubscribe is %q", header.Get("List-Unsubscribe"))
	}
	if !strings.Contains(text, u.Path) {
		rosaTab.errorf("the email's text has no unsubscribe link %s:\n%s", u.Path, text)
	}
	visitor.open(u.Path, 200)
	visitor.checkPage("unsubscribe")
	visitor.follow(button("Unsubscribe"), 200)
	if txt := visitor.text(css("main")); !strings.Contains(txt, "You will no longer receive") {
		visitor.errorf("after unsubscribing the page says %q", txt)
	}
	visitor.shot("unsubscribed")
	rosaTab.open("/settings/notifications", 200)
	if !evalJS[bool](rosaTab, `document.querySelector('input[name="comment"][value="app"]').checked`) {
		rosaTab.errorf(`after unsubscribing, "Comments on your recipes" is not back to "In the app"`)
	}

	// A new public recipe of Rosa's reaches Tom, through the fan-out job.
	jam := writeRecipe(rosaTab, recipeInput{
		title: "Plum Jam", servings: "6", visibility: "public",
		ingredients: []string{"1 kg plums", "500 g sugar"},
		steps:       []string{"Boil the plums with the sugar until it sets."},
	})
	tomTab.waitFor("Rosa's new recipe among Tom's notifications", func() bool {
		tomTab.open("/notifications", 200)
		return slices.ContainsFunc(tomTab.texts(".notification-list .notification a"), func(s string) bool {
			return strings.HasSuffix(s, rosa.displayName+" posted a new recipe: “Plum Jam”")
		})
	})
	tomTab.shot("notifications-new-recipe")
	tomTab.open("/?tab=following", 200)
	tomTab.waitVisible(css(`a[href="/recipes/` + jam + `"]`))
	tomTab.shot("home-following")

	// Rosa shares her private soup by link from its Share panel.
	rosaTab.open("/recipes/"+soup, 200)
	rosaTab.fill(css("#share-label"), "For Ines")
	rosaTab.follow(button("Create link"), 200)
	// The page opens at the panel, with the new link in sight.
	rosaTab.waitJS("the new link in the viewport", `(r => r.top >= 0 && r.bottom <= innerHeight)(document.querySelector('#share-new-url').getBoundingClientRect())`)
	shared := rosaTab.text(css("#share-new-url"))
	su, err := url.Parse(shared)
	if err != nil || !regexp.MustCompile(`^/s/[A-Za-z0-9_-]{40,}$`).MatchString(su.Path) {
		rosaTab.fatalf("the new share link is %q", shared)
	}
	if items := rosaTab.texts(".share-link-item .share-link-label"); len(items) != 1 || items[0] != "For Ines" {
		rosaTab.errorf("live links %q, want [For Ines]", items)
	}
	rosaTab.shot("share-link-made")
	rosaTab.checkPage("recipe, share panel with a new link")

	// Signed in nowhere, the link opens the private recipe read-only; the
	// recipe's own address still does not.
	visitor.open(su.Path, 200)
	if h := visitor.text(css("h1#recipe-title")); h != "Grandmother's Tomato Soup" {
		visitor.errorf("the share link shows %q", h)
	}
	if note := visitor.text(css(".shared-note")); !strings.Contains(note, "only people with the link") {
		visitor.errorf("the shared page's note: %q", note)
	}
	if n := visitor.count("#share, #social form, .comment-form"); n != 0 {
		visitor.errorf("the shared page offers %d controls of the author or of signed-in people", n)
	}
	visitor.shot("shared-recipe")
	visitor.checkPage("shared recipe, signed out")
	visitor.open("/recipes/"+soup, 404)

	// Rosa revokes it; the visitor's next visit is a plain 404.
	rosaTab.open("/recipes/"+soup, 200)
	rosaTab.follow(button("Revoke For Ines"), 200)
	if n := rosaTab.count(".share-link-item"); n != 0 {
		rosaTab.errorf("%d live links after revoking", n)
	}
	rosaTab.shot("share-link-revoked")
	visitor.open(su.Path, 404)
	checkNotFound(visitor)
	visitor.shot("shared-link-revoked")
}

// writeRecipe writes r with the recipe form and returns its id.
func writeRecipe(b *tab, r recipeInput) string {
	b.t.Helper()
	b.open("/recipes/new", 200)
	fillRecipeForm(b, r, true)
	b.follow(button("Save recipe"), 200)
	id, ok := recipeIDFrom(b.path())
	if !ok {
		b.fatalf("after saving %q the browser is at %s", r.title, b.path())
	}
	return id
}

// awaitMail waits for a message to to whose subject (decoded) is
// subject, and returns its headers and its plain-text part.
func awaitMail(b *tab, relay *testutil.SMTPServer, to, subject string) (mail.Header, string) {
	b.t.Helper()
	var msg *mail.Message
	b.waitFor("an email to "+to+" saying "+subject, func() bool {
		for _, m := range relay.Received() {
			if len(m.To) != 1 || m.To[0] != to {
				continue
			}
			parsed, err := mail.ReadMessage(bytes.NewReader(m.Data))
			if err != nil {
				continue
			}
			if s, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject")); err == nil && s == subject {
				msg = parsed
				return true
			}
		}
		return false
	})
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		b.fatalf("the email's Content-Type: %v", err)
	}
	// The multipart reader undoes quoted-printable.
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			b.fatalf("no text part in the email to %s: %v", to, err)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			text, _ := io.ReadAll(p)
			return msg.Header, string(text)
		}
	}
}
