package browsertest

import (
	"strconv"
	"strings"
	"testing"
)

// TestSuggestionsAndVideo: on the recipe form, Suggest offers a title, a
// description and tags from what is written, each put in its field only
// when chosen; a recipe from a YouTube video shows the video behind a
// press, and the player appears only then.
func TestSuggestionsAndVideo(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			b := newTab(t, startServer(t), vp)
			b.open("/register", 200)
			register(b, newAccount("Suggest", vp))
			b.open("/recipes/new", 200)
			b.waitVisible(css("#add-ingredient"))

			lines := []string{"8 chicken thighs", "2 lemons", "1 head of garlic", "2 tbsp olive oil"}
			for i, l := range lines {
				if i > 0 {
					b.click(button("Add ingredient"))
				}
				b.fill(css("#ingredient-"+strconv.Itoa(i)), l)
			}
			b.fill(css("#step-0"), "Roast the chicken with the lemons and garlic for 45 minutes.")
			b.fill(css("#tags"), "dinner")
			b.click(button("Suggest a title, description and tags"))
			b.waitJS("the suggestions", `document.querySelectorAll('.suggestion').length === 3`)
			got := b.texts(".suggestion")
			if got[0] != "Title: Lemon and Garlic Roast Chicken Use this title" {
				t.Errorf("title suggestion %q", got[0])
			}
			if !strings.HasPrefix(got[1], "Description: Chicken thighs roasted with lemons and garlic.") {
				t.Errorf("description suggestion %q", got[1])
			}
			if !strings.Contains(got[2], "chicken") {
				t.Errorf("tag suggestion %q", got[2])
			}
			if got := b.text(css(".suggest-result .hint")); got != "Suggested by the built-in generator." {
				t.Errorf("the suggestions' source reads %q", got)
			}
			// Nothing is put in a field unasked.
			if v := evalJS[string](b, `document.getElementById('title').value`); v != "" {
				t.Errorf("the title was filled in unasked: %q", v)
			}
			b.checkPage("recipe form with suggestions")
			b.shot("suggestions")
			b.click(button("Use this title"))
			b.click(button("Add these tags"))
			if v := evalJS[string](b, `document.getElementById('title').value`); v != "Lemon and Garlic Roast Chicken" {
				t.Errorf("title after choosing it %q", v)
			}
			if v := evalJS[string](b, `document.getElementById('tags').value`); !strings.HasPrefix(v, "dinner, ") || !strings.Contains(v, "chicken") {
				t.Errorf("tags after adding %q", v)
			}

			// Saved with a YouTube video as its source.
			b.fill(css("#source_url"), "https://youtu.be/dQw4w9WgXcQ")
			b.fill(css("#source_author"), "Soup Stories")
			b.follow(button("Save recipe"), 200)
			if got := b.text(css(".source-credit")); got != "Recipe by Soup Stories" {
				t.Errorf("credit %q", got)
			}
			if b.count("iframe") != 0 {
				t.Error("a player is on the page before anyone pressed play")
			}
			b.reveal(button("Play the video"))
			b.checkPage("recipe with a video")
			b.shot("video-before")
			b.click(button("Play the video"))
			b.waitJS("the player", `!!document.querySelector('iframe.video-player')`)
			src, _ := b.attr("iframe.video-player", "src")
			title, _ := b.attr("iframe.video-player", "title")
			if src != "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1" || title != "Video: Lemon and Garlic Roast Chicken" {
				t.Errorf("player src %q, title %q", src, title)
			}
			if w := evalJS[float64](b, `document.querySelector('iframe.video-player').getBoundingClientRect().width`); w < 200 || w > float64(vp.width) {
				t.Errorf("the player is %.0f px wide on a %d px screen", w, vp.width)
			}
			b.shot("video-playing")
		})
	}
}
