package extract

import (
	"slices"
	"testing"
)

func TestFromPostDropsWhatIsSaidToTheAudience(t *testing.T) {
	caption := "Crispy chickpea salad 🥗\n\nIngredients:\n- 1 can chickpeas\n- 1 cucumber\n- 2 tbsp olive oil\n\n" +
		"Steps:\n1. Roast the chickpeas for 25 minutes.\n2. Follow the packet's directions for the dressing.\n3. Save some chickpeas for snacking.\n4. Toss everything together.\n\n" +
		"Save this for later!\nFollow @ana for more 💚\nLink in bio for the printable recipe\n@ben @carla\nComment SALAD and I'll DM you the list\n#salad #healthy"
	r := FromPost(Post{Provider: "Instagram", URL: "https://www.instagram.com/p/x/", Caption: caption, Author: "Ana (@ana)", ImageURL: "https://cdn.example/x.jpg"})
	if r.Title != "Crispy chickpea salad" {
		t.Errorf("title %q", r.Title)
	}
	want := []string{"Roast the chickpeas for 25 minutes.", "Follow the packet's directions for the dressing.",
		"Save some chickpeas for snacking.", "Toss everything together."}
	if !slices.Equal(r.Steps, want) {
		t.Errorf("steps %q, want %q", r.Steps, want)
	}
	if !slices.Equal(r.Ingredients, []string{"1 can chickpeas", "1 cucumber", "2 tbsp olive oil"}) {
		t.Errorf("ingredients %q", r.Ingredients)
	}
	if !slices.Equal(r.Keywords, []string{"salad", "healthy"}) {
		t.Errorf("keywords %q", r.Keywords)
	}
	if r.Author != "Ana (@ana)" || r.SourceURL != "https://www.instagram.com/p/x/" || r.ImageURL != "https://cdn.example/x.jpg" || r.SiteName != "Instagram" || r.Via != "post" {
		t.Errorf("post fields %+v", r)
	}
}

func TestPostTitles(t *testing.T) {
	for in, want := range map[string]string{
		"Grandma's Lentil Soup | Easy Vegan Dinner":  "Grandma's Lentil Soup",
		"How to make Pad Thai - Street Food at Home": "Pad Thai",
		"Best Banana Bread Recipe":                   "Best Banana Bread",
		"Soup | Ep. 4":                               "Soup | Ep. 4",
		"🍝 Cacio e Pepe 🍝":                           "Cacio e Pepe",
	} {
		if got := postTitle(in); got != want {
			t.Errorf("postTitle(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range []struct{ title, desc, wantTitle, wantDesc string }{
		{"Garlic butter pasta 🍝 ready in 15 minutes!", "", "Garlic butter pasta", "Ready in 15 minutes!"},
		{"Pasta 🍝 tonight", "So good.", "Pasta 🍝 tonight", "So good."},
		{"Plain title", "x", "Plain title", "x"},
	} {
		gt, gd := captionTitle(c.title, c.desc)
		if gt != c.wantTitle || gd != c.wantDesc {
			t.Errorf("captionTitle(%q) = %q, %q; want %q, %q", c.title, gt, gd, c.wantTitle, c.wantDesc)
		}
	}
}

func TestKeycapNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"1️⃣ Cook the pasta": "1. Cook the pasta",
		"2⃣ Drain":           "2. Drain",
		"🔟 Serve":            "10. Serve",
		"1️⃣2️⃣ eggs":        "1️⃣2️⃣ eggs",
		"12 eggs":            "12 eggs",
		"Cook 1️⃣ minute":    "Cook 1️⃣ minute",
	} {
		if got := keycapNumber(in); got != want {
			t.Errorf("keycapNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadPostPage(t *testing.T) {
	page := []byte(`<!doctype html><html><head>
<meta property="og:title" content="Soup &amp; Bread">
<meta property="og:description" content="Line one
Line two">
<meta property="og:image" content="/thumb.jpg">
<meta name="pinterestapp:source" content="https://blog.example/soup">
</head><body><script>var p = {"videoDetails":{"shortDescription":"Full\ndescription \u00e9 \"quoted\""}};</script></body></html>`)
	p := ReadPostPage(page, "https://www.example.com/post/1")
	if p.Title != "Soup & Bread" || p.Description != "Line one\nLine two" || p.ImageURL != "https://www.example.com/thumb.jpg" {
		t.Errorf("meta %+v", p)
	}
	if p.VideoDescription != "Full\ndescription é \"quoted\"" || p.SourceLink != "https://blog.example/soup" {
		t.Errorf("video description %q, source %q", p.VideoDescription, p.SourceLink)
	}
	// A broken player string is no description, not a failure.
	if p := ReadPostPage([]byte(`<script>{"shortDescription":"unterminated`), ""); p.VideoDescription != "" {
		t.Errorf("broken player data read as %q", p.VideoDescription)
	}
}
