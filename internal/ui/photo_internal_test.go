package ui

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html/template"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
)

// testPhoto is a ready photo of w×h with every variant the pipeline makes
// for it (widest first, as the store gives them).
func testPhoto(id string, w, h int) *recipe.Photo {
	p := &recipe.Photo{ID: id, Width: w, Height: h, Alt: "A " + id, Colour: "#a0522d", Status: recipe.PhotoReady}
	for _, vw := range []int{1600, 1024, 640, 320} {
		if vw > w {
			continue
		}
		for _, f := range []string{"webp", "jpeg"} {
			ext := map[string]string{"webp": "webp", "jpeg": "jpg"}[f]
			p.Variants = append(p.Variants, recipe.PhotoVariant{Key: id, URL: "/media/" + id + "-" + strconv.Itoa(vw) + "." + ext,
				Width: vw, Height: vw * h / w, Format: f})
		}
	}
	p.URL = p.Variants[1].URL
	return p
}

// testTemplates parses the page templates the way New does.
func testTemplates(t *testing.T) map[string]*template.Template {
	t.Helper()
	a, err := NewAssets("")
	if err != nil {
		t.Fatal(err)
	}
	pt, err := parseTemplates((&UI{assets: a}).funcs())
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]*template.Template{}
	for name := range pt.pages {
		tmpl, _, err := pt.page(name)
		if err != nil {
			t.Fatal(err)
		}
		pages[name] = tmpl
	}
	return pages
}

// el is an element of rendered markup, with the tags it sits in.
type el struct {
	tag     string
	attrs   map[string]string
	parents []string
	text    string // the text directly inside it
}

// elements parses an HTML fragment into its elements in document order.
func elements(t *testing.T, markup string) []*el {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader("<root>" + markup + "</root>"))
	d.Strict = false
	d.AutoClose = htmlVoidElements
	d.Entity = xml.HTMLEntity
	var out, stack []*el
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, markup)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			e := &el{tag: strings.ToLower(tk.Name.Local), attrs: map[string]string{}}
			for _, s := range stack {
				e.parents = append(e.parents, s.tag)
			}
			for _, a := range tk.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, e)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		}
	}
	return out[1:]
}

func find(els []*el, tag string) []*el {
	var out []*el
	for _, e := range els {
		if e.tag == tag {
			out = append(out, e)
		}
	}
	return out
}

func renderPartial(t *testing.T, pages map[string]*template.Template, name string, data any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := pages["recipe"].ExecuteTemplate(&buf, name, data); err != nil {
		t.Fatalf("render %s: %v", name, err)
	}
	return buf.String()
}

// TestPhotoPartial: a ready photo is a <picture> with a WebP source and a
// JPEG fallback, both with srcset and sizes, its own width and height so
// that its box is reserved, and its colour under it; below the fold it
// loads lazily, above it first.
func TestPhotoPartial(t *testing.T) {
	pages := testTemplates(t)
	p := testPhoto("soup", 2000, 1500)

	lazy := elements(t, renderPartial(t, pages, "photo", newPhotoView("step", p, "Soup: step 1", false)))
	pics, sources, imgs := find(lazy, "picture"), find(lazy, "source"), find(lazy, "img")
	if len(pics) != 1 || len(sources) != 1 || len(imgs) != 1 {
		t.Fatalf("want one picture, source and img: %d %d %d", len(pics), len(sources), len(imgs))
	}
	src, img := sources[0], imgs[0]
	if src.attrs["type"] != "image/webp" || src.parents[len(src.parents)-1] != "picture" || img.parents[len(img.parents)-1] != "picture" {
		t.Errorf("source %v inside %v, img inside %v", src.attrs, src.parents, img.parents)
	}
	// The step place offers up to 1024: more would never be picked.
	if got, want := src.attrs["srcset"], "/media/soup-320.webp 320w, /media/soup-640.webp 640w, /media/soup-1024.webp 1024w"; got != want {
		t.Errorf("webp srcset %q, want %q", got, want)
	}
	if got, want := img.attrs["srcset"], "/media/soup-320.jpg 320w, /media/soup-640.jpg 640w, /media/soup-1024.jpg 1024w"; got != want {
		t.Errorf("jpeg srcset %q, want %q", got, want)
	}
	if img.attrs["src"] != "/media/soup-640.jpg" || img.attrs["sizes"] == "" || img.attrs["sizes"] != src.attrs["sizes"] {
		t.Errorf("img src %q sizes %q (source sizes %q)", img.attrs["src"], img.attrs["sizes"], src.attrs["sizes"])
	}
	if img.attrs["width"] != "2000" || img.attrs["height"] != "1500" || img.attrs["alt"] != "A soup" {
		t.Errorf("img width %q height %q alt %q", img.attrs["width"], img.attrs["height"], img.attrs["alt"])
	}
	if img.attrs["loading"] != "lazy" || img.attrs["decoding"] != "async" || img.attrs["fetchpriority"] != "" {
		t.Errorf("below the fold: loading %q decoding %q fetchpriority %q", img.attrs["loading"], img.attrs["decoding"], img.attrs["fetchpriority"])
	}
	svg := find(lazy, "svg")
	rect := find(lazy, "rect")
	if len(svg) != 1 || svg[0].attrs["viewBox"] != "0 0 2000 1500" || svg[0].attrs["aria-hidden"] != "true" || len(rect) != 1 || rect[0].attrs["fill"] != "#a0522d" {
		t.Errorf("placeholder: svg %v rect %v", svg, rect)
	}

	hero := find(elements(t, renderPartial(t, pages, "photo", newPhotoView("hero", p, "Soup", true))), "img")[0]
	if hero.attrs["fetchpriority"] != "high" || hero.attrs["loading"] != "" {
		t.Errorf("hero: fetchpriority %q loading %q", hero.attrs["fetchpriority"], hero.attrs["loading"])
	}
	if !strings.Contains(hero.attrs["srcset"], "1600w") {
		t.Errorf("hero srcset %q lacks the 1600", hero.attrs["srcset"])
	}

	// A card is never wider than 26rem: up to the 1024 at most, and a
	// phone's 6.5rem thumbnail is in its sizes.
	card := find(elements(t, renderPartial(t, pages, "photo", newPhotoView("card", p, "", false))), "source")[0]
	if strings.Contains(card.attrs["srcset"], "1600w") || !strings.HasPrefix(card.attrs["sizes"], "(max-width: 36rem) 6.5rem") {
		t.Errorf("card srcset %q sizes %q", card.attrs["srcset"], card.attrs["sizes"])
	}

	// No alt of its own: the one the page gives.
	noAlt := testPhoto("pie", 800, 600)
	noAlt.Alt = ""
	if img := find(elements(t, renderPartial(t, pages, "photo", newPhotoView("hero", noAlt, "Apple pie", true))), "img")[0]; img.attrs["alt"] != "Apple pie" {
		t.Errorf("alt %q, want the title", img.attrs["alt"])
	}
}

// TestPhotoPartialSmallPhoto: a photo narrower than the smallest step
// keeps the one variant it has.
func TestPhotoPartialSmallPhoto(t *testing.T) {
	p := &recipe.Photo{ID: "tiny", Width: 200, Height: 100, Status: recipe.PhotoReady, Variants: []recipe.PhotoVariant{
		{URL: "/media/t.webp", Width: 200, Height: 100, Format: "webp"}, {URL: "/media/t.jpg", Width: 200, Height: 100, Format: "jpeg"}}}
	v := newPhotoView("thumb", p, "x", false)
	if v.WebP != "/media/t.webp 200w" || v.JPEG != "/media/t.jpg 200w" || v.Src != "/media/t.jpg" || v.Full != "/media/t.jpg" {
		t.Errorf("%+v", v)
	}
	// A CDN that serves only variants wider than the place still gives one.
	big := testPhoto("big", 3000, 2000)
	big.Variants = big.Variants[:2] // the 1600s alone
	if v := newPhotoView("avatar", big, "", false); v.JPEG != "/media/big-1600.jpg 1600w" {
		t.Errorf("avatar of a photo with only a 1600: %q", v.JPEG)
	}
}

// TestPhotoPartialProcessing: a photo still being prepared reserves its
// box in the neutral tone and says so to screen readers, with no image
// to fetch yet; a failed one is not drawn at all.
func TestPhotoPartialProcessing(t *testing.T) {
	pages := testTemplates(t)
	p := &recipe.Photo{ID: "new", Width: 3000, Height: 4000, Status: recipe.PhotoProcessing}
	els := elements(t, renderPartial(t, pages, "photo", newPhotoView("hero", p, "Bread", true)))
	if len(find(els, "img")) != 0 || len(find(els, "picture")) != 0 {
		t.Errorf("a processing photo has an image to fetch")
	}
	if svg := find(els, "svg"); len(svg) != 1 || svg[0].attrs["viewBox"] != "0 0 3000 4000" {
		t.Errorf("reserved box: %v", svg)
	}
	if rect := find(els, "rect"); len(rect) != 1 || rect[0].attrs["fill"] != "" {
		t.Errorf("processing fill %v, want the stylesheet's neutral tone", rect)
	}
	var said bool
	for _, e := range find(els, "span") {
		if strings.Contains(e.attrs["class"], "visually-hidden") && strings.TrimSpace(e.text) == "Photo being prepared" {
			said = true
		}
	}
	if !said {
		t.Error("no visually hidden \"Photo being prepared\"")
	}
	if !strings.Contains(find(els, "span")[0].attrs["class"], "is-processing") {
		t.Errorf("outer class %q", find(els, "span")[0].attrs["class"])
	}
	if v := newPhotoView("hero", &recipe.Photo{Status: recipe.PhotoFailed, Width: 10, Height: 10}, "", true); v != nil {
		t.Errorf("a failed photo is drawn: %+v", v)
	}
	if v := newPhotoView("hero", nil, "", true); v != nil {
		t.Errorf("no photo is drawn: %+v", v)
	}
}

// TestPhotoColourIsOnlyAColour: the colour reaches the page only as
// #rrggbb; anything else gives the neutral tone.
func TestPhotoColourIsOnlyAColour(t *testing.T) {
	pages := testTemplates(t)
	for colour, want := range map[string]string{"#A0B1C2": "#a0b1c2", "": "", "red": "", `#000000" onload="alert(1)`: "", "#12345": "",
		"url(#x)": "", "#0000001": ""} {
		p := testPhoto("c", 640, 480)
		p.Colour = colour
		out := renderPartial(t, pages, "photo", newPhotoView("card", p, "", false))
		if rect := find(elements(t, out), "rect"); rect[0].attrs["fill"] != want {
			t.Errorf("colour %q: fill %q, want %q", colour, rect[0].attrs["fill"], want)
		}
		if strings.Contains(out, "onload") {
			t.Errorf("colour %q reached the markup: %s", colour, out)
		}
	}
}

// TestAvatarPartial: an avatar photo in a circle, else the initial, drawn
// from data-initial so that "by Ann Cook" reads without it.
func TestAvatarPartial(t *testing.T) {
	pages := testTemplates(t)
	none := elements(t, renderPartial(t, pages, "avatar", newAvatarView(nil, "  émile", "small")))
	if len(none) != 1 || none[0].attrs["data-initial"] != "É" || strings.TrimSpace(none[0].text) != "" || none[0].attrs["aria-hidden"] != "true" {
		t.Errorf("initial avatar: %+v", none)
	}
	processing := &recipe.Photo{Width: 500, Height: 500, Status: recipe.PhotoProcessing}
	if els := elements(t, renderPartial(t, pages, "avatar", newAvatarView(processing, "Ann", "byline"))); els[0].attrs["data-initial"] != "A" || len(els) != 1 {
		t.Errorf("a processing avatar shows the initial: %+v", els)
	}
	withPhoto := elements(t, renderPartial(t, pages, "avatar", newAvatarView(testPhoto("ann", 800, 800), "Ann", "large")))
	img := find(withPhoto, "img")
	if len(img) != 1 || img[0].attrs["alt"] != "" || withPhoto[0].attrs["data-initial"] != "" || !strings.Contains(withPhoto[0].attrs["class"], "avatar-large") {
		t.Fatalf("photo avatar: %+v", withPhoto[0])
	}
	if img[0].attrs["srcset"] != "/media/ann-320.jpg 320w" {
		t.Errorf("an avatar needs the 320 alone: %q", img[0].attrs["srcset"])
	}
}

// TestCardArt: a recipe without a photo gets a gradient of its own hue,
// the same for the same title, in a box as even as a photo's.
func TestCardArt(t *testing.T) {
	pages := testTemplates(t)
	a, b := newCardArt("r1", "Lemon drizzle cake"), newCardArt("r2", "Lemon drizzle cake")
	if a.From != b.From || a.To != b.To || a.Line != b.Line {
		t.Errorf("one title, two colours: %+v %+v", a, b)
	}
	hues := map[string]bool{}
	for _, title := range []string{"Soup", "Bread", "Pie", "Salad", "Stew", "Curry"} {
		hues[newCardArt("x", title).From] = true
	}
	if len(hues) < 4 {
		t.Errorf("six titles gave %d colours", len(hues))
	}
	for _, c := range []string{a.From, a.To, a.Line} {
		if !hexColour.MatchString(c) {
			t.Errorf("colour %q", c)
		}
	}
	els := elements(t, renderPartial(t, pages, "card-art", a))
	if !strings.Contains(els[0].attrs["class"], "photo-card") || find(els, "svg")[0].attrs["aria-hidden"] != "true" {
		t.Errorf("card art box: %+v", els[0])
	}
	if g := find(els, "lineargradient"); len(g) != 1 || g[0].attrs["id"] != "art-r1" || find(els, "rect")[0].attrs["fill"] != "url(#art-r1)" {
		t.Errorf("gradient: %+v", g)
	}
	if len(find(els, "img")) != 0 {
		t.Error("the drawn picture fetches an image")
	}
}

func TestHSL(t *testing.T) {
	for _, c := range []struct {
		h, s, l float64
		want    string
	}{{0, 1, .5, "#ff0000"}, {120, 1, .5, "#00ff00"}, {240, 1, .5, "#0000ff"}, {0, 0, 1, "#ffffff"}, {30, .5, .5, "#bf8040"}, {359, 0, 0, "#000000"}} {
		if got := hsl(c.h, c.s, c.l); got != c.want {
			t.Errorf("hsl(%v, %v, %v) = %s, want %s", c.h, c.s, c.l, got, c.want)
		}
	}
}

func TestAbsoluteURL(t *testing.T) {
	for in, want := range map[string]string{
		"/media/a.jpg":                    "https://food.example/media/a.jpg",
		"media/a.jpg":                     "https://food.example/media/a.jpg",
		"https://cdn.example/media/a.jpg": "https://cdn.example/media/a.jpg",
		"http://cdn.example/a.jpg":        "http://cdn.example/a.jpg",
		"//cdn.example/a.jpg":             "https://cdn.example/a.jpg",
		"":                                "",
	} {
		if got := absoluteURL("https://food.example/", in); got != want {
			t.Errorf("absoluteURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestShareImageAndJSONLD: a recipe's Open Graph tags carry its main
// photo's 1024 JPEG with its size and alt, and its JSON-LD the widest JPEG
// of every ready photo, main photo first, all absolute; photos still
// being prepared and step photos are left out.
func TestShareImageAndJSONLD(t *testing.T) {
	rec := &recipe.Recipe{Summary: recipe.Summary{ID: "r1", Title: "Ragù", Author: recipe.Author{DisplayName: "Ann"},
		CreatedAt: time.Unix(0, 0), UpdatedAt: time.Unix(0, 0)}}
	rec.Photo = testPhoto("main", 2400, 1600)
	rec.Photo.Alt = ""
	g1, g2 := testPhoto("g1", 1200, 1200), testPhoto("g2", 900, 600)
	g2.Status = recipe.PhotoProcessing
	step := testPhoto("s1", 2000, 1500)
	step.Step = 1
	rec.Photos = []recipe.Photo{*g1, *g2, *step}

	og := map[string]string{}
	shareImage(og, rec, "https://food.example")
	want := map[string]string{"og:image": "https://food.example/media/main-1024.jpg", "og:image:width": "1024", "og:image:height": "682",
		"og:image:alt": "Ragù", "og:image:type": "image/jpeg", "twitter:card": "summary_large_image", "twitter:image:alt": "Ragù"}
	for k, v := range want {
		if og[k] != v {
			t.Errorf("%s = %q, want %q", k, og[k], v)
		}
	}

	ld := recipeJSONLD(rec, "https://food.example/recipes/r1", "https://food.example")
	b, _ := json.Marshal(ld["image"])
	if got := string(b); got != `["https://food.example/media/main-1600.jpg","https://food.example/media/g1-1024.jpg"]` {
		t.Errorf("JSON-LD image %s", got)
	}

	// Without any ready photo, neither says anything of an image.
	rec.Photo.Status, rec.Photos = recipe.PhotoProcessing, nil
	og = map[string]string{}
	shareImage(og, rec, "https://food.example")
	if len(og) != 0 {
		t.Errorf("og without a ready photo: %v", og)
	}
	if _, ok := recipeJSONLD(rec, "u", "https://food.example")["image"]; ok {
		t.Error("JSON-LD image without a ready photo")
	}
}

// htmlVoidElements are the elements without an end tag: encoding/xml's
// list lacks the newer ones (<source> of a <picture>).
var htmlVoidElements = append(append([]string{}, xml.HTMLAutoClose...), "source", "wbr", "track", "embed")

// TestCardsLoadTheFirstScreenFirst: the first cards of a list fetch their
// photo at once; the rest wait until they are scrolled near.
func TestCardsLoadTheFirstScreenFirst(t *testing.T) {
	for i := range 6 {
		s := &recipe.Summary{ID: "r", Title: "Soup", Photo: testPhoto("p", 1600, 1200)}
		for _, c := range []any{s, oneAuthorCard{s}, searchCard{Summary: s}} {
			lc := cardAt(c, i)
			v := cardPhoto(lc)
			if lc.Summary != s || v == nil || v.Eager != (i < eagerCards) || v.Alt != "" {
				t.Errorf("card %d (%T): %+v", i, c, v)
			}
		}
	}
	if v := cardPhoto(cardAt(&recipe.Summary{ID: "r"}, 0)); v != nil {
		t.Errorf("a recipe without a photo: %+v", v)
	}
}
