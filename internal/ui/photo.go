package ui

// Photos on pages: what the "photo" template (templates/layout/photo.html)
// needs to draw one picture at one place, and the placeholder a recipe
// without a photo gets. docs/architecture.md ("Photos on pages") says why
// the placeholders and sizes are as they are.

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/reccollection/reccollection/internal/recipe"
)

// photoPlace is where on a page a photo is drawn: how wide it is there
// (the sizes attribute), the widest variant worth offering there, and the
// JPEG an old browser without srcset gets.
type photoPlace struct {
	// sizes is the slot's width at each breakpoint of app.css; the
	// browser picks the variant from it before any layout exists.
	sizes string
	// widest bounds the variants offered: a slot that is never wider
	// than 26rem gains nothing from 1600 pixels at any screen density
	// worth serving, and a listed variant is one the browser may pick.
	widest int
	// fallback is the width the plain src aims at.
	fallback int
}

var photoPlaces = map[string]photoPlace{
	// A card: a thumbnail beside the text on phones (the 6.5rem column
	// of app.css), then one, two or three columns of at most 26rem.
	"card": {sizes: "(max-width: 36rem) 6.5rem, (max-width: 40rem) calc(100vw - 3rem), (max-width: 64rem) 50vw, 26rem",
		widest: 1024, fallback: 640},
	// The recipe page's main photo: full width under the title on
	// phones, half of the 72rem page beside the title on wide screens.
	"hero": {sizes: "(min-width: 72rem) 34rem, (min-width: 52rem) 50vw, calc(100vw - 2rem)",
		widest: 1600, fallback: 1024},
	// A gallery thumbnail, a square of 6rem; the link opens the widest.
	"thumb": {sizes: "6rem", widest: 640, fallback: 320},
	// A step's photo inside the method, at most 28rem wide.
	"step": {sizes: "(min-width: 52rem) 28rem, calc(100vw - 5rem)", widest: 1024, fallback: 640},
	// Cook mode's step photo, at most 34rem wide.
	"cook": {sizes: "(min-width: 36rem) 34rem, calc(100vw - 2rem)", widest: 1600, fallback: 1024},
	// An avatar: 4rem at most (the profile's), so the 320 always does.
	"avatar": {sizes: "4rem", widest: 320, fallback: 320},
}

// photoView is one photo as the "photo" template draws it.
type photoView struct {
	Place string // a key of photoPlaces, also the CSS class photo-<place>
	Alt   string
	Sizes string
	// Eager is for a photo in the first screen: fetched at high priority
	// and never lazily, because it is the page's largest paint.
	Eager bool
	// Ready is false while the variants are being made (or when they
	// never will be): the template then draws the placeholder alone.
	Ready         bool
	Src           string
	WebP, JPEG    string // srcset values
	Width, Height int
	// Colour fills the reserved box until the picture arrives: the
	// photo's average colour, or "" for the theme's neutral warm tone.
	Colour string
	// Full is the widest JPEG, where a gallery thumbnail leads.
	Full string
}

// hexColour is the only form of colour a page repeats: the store writes
// "#rrggbb", and anything else falls back to the neutral tone rather than
// reaching an attribute.
var hexColour = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// newPhotoView prepares p for place; alt stands in when the photo has
// none (an empty alt means "the recipe's title"). nil when there is no
// photo to show: none at all, or one that failed.
func newPhotoView(place string, p *recipe.Photo, alt string, eager bool) *photoView {
	if p == nil || p.Status == recipe.PhotoFailed {
		return nil
	}
	pl, ok := photoPlaces[place]
	if !ok {
		pl = photoPlaces["hero"]
	}
	v := &photoView{Place: place, Alt: p.Alt, Sizes: pl.sizes, Eager: eager, Ready: p.Ready(),
		Width: p.Width, Height: p.Height}
	if v.Alt == "" {
		v.Alt = alt
	}
	if hexColour.MatchString(p.Colour) {
		v.Colour = strings.ToLower(p.Colour)
	}
	if v.Ready {
		v.WebP = srcsetUpTo(p, "webp", pl.widest)
		v.JPEG = srcsetUpTo(p, "jpeg", pl.widest)
		if f := p.Smallest("jpeg", pl.fallback); f != nil {
			v.Src = f.URL
			if v.Width <= 0 || v.Height <= 0 {
				v.Width, v.Height = f.Width, f.Height
			}
		}
		v.Full = widestJPEG(p)
		v.Ready = v.Src != ""
	}
	if v.Width <= 0 || v.Height <= 0 {
		v.Width, v.Height = 4, 3
	}
	return v
}

// srcsetUpTo is p's srcset in format without the variants wider than
// widest, narrowest first; the narrowest always stays, so that a small
// photo whose only variant is wider still has one.
func srcsetUpTo(p *recipe.Photo, format string, widest int) string {
	var parts []string
	narrowest := p.Smallest(format, 0)
	for i := len(p.Variants) - 1; i >= 0; i-- {
		v := p.Variants[i]
		if v.Format != format || v.URL == "" || (v.Width > widest && &p.Variants[i] != narrowest) {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %dw", v.URL, v.Width))
	}
	return strings.Join(parts, ", ")
}

// widestJPEG is the URL of p's widest JPEG variant: the picture in full.
func widestJPEG(p *recipe.Photo) string {
	if w := p.Widest("jpeg"); w != nil && w.URL != "" {
		return w.URL
	}
	return p.URL
}

// cardArt is the picture a recipe without a photo gets: a soft gradient
// in a hue of its own, read from the title so that a recipe keeps its
// colour from list to list, under a line drawing of a dish. It is drawn
// in an inline SVG whose colours are presentation attributes, which the
// Content-Security-Policy (no inline style) allows.
type cardArt struct {
	ID             string // makes the gradient's id unique in the page
	From, To, Line string // "#rrggbb"
}

func newCardArt(id, title string) cardArt {
	// A cryptographic hash, not FNV: titles that differ in one letter
	// ("Pasta No. 5", "Pasta No. 6") must not get neighbouring hues.
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(title))))
	hue := float64(binary.BigEndian.Uint16(sum[:2]) % 360)
	return cardArt{ID: id, From: hsl(hue, .55, .90), To: hsl(math.Mod(hue+28, 360), .50, .79), Line: hsl(hue, .30, .36)}
}

// hsl converts a colour to "#rrggbb" (h in degrees, s and l in 0..1).
func hsl(h, s, l float64) string {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	channel := func(v float64) int { return int(math.Round((v + m) * 255)) }
	return fmt.Sprintf("#%02x%02x%02x", channel(r), channel(g), channel(b))
}

// absoluteURL makes a photo's URL absolute for link previews and search
// engines, which fetch it from elsewhere: a path gets the site's base URL,
// a CDN's URL stays as it is.
func absoluteURL(base, u string) string {
	if u == "" || strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	if strings.HasPrefix(u, "//") {
		return "https:" + u
	}
	if !strings.HasPrefix(u, "/") {
		u = "/" + u
	}
	return strings.TrimRight(base, "/") + u
}

// avatarView is a person's picture beside their name: their avatar when
// it is ready, else the first letter of their name in a circle. Size is
// "small" (cards), "byline" (the recipe page) or "large" (the profile).
type avatarView struct {
	Photo   *photoView
	Initial string
	Size    string
}

// newAvatarView is the avatar of the person named name. The name is
// always written beside it, so the picture is decorative (alt "").
func newAvatarView(p *recipe.Photo, name, size string) avatarView {
	v := avatarView{Initial: initial(name), Size: size}
	if p.Ready() {
		v.Photo = newPhotoView("avatar", p, "", false)
		v.Photo.Alt = ""
	}
	return v
}

// initial is the first letter of a name, capitalised; "?" for none.
func initial(s string) string {
	for _, r := range strings.TrimSpace(s) {
		return strings.ToUpper(string(r))
	}
	return "?"
}

// photoFuncs are the template functions of photos, avatars and cards.
func photoFuncs() map[string]any {
	return map[string]any{
		"photo":     newPhotoView,
		"card":      cardAt,
		"cardPhoto": cardPhoto,
		"cardArt":   func(c listCard) cardArt { return newCardArt(c.ID, c.Title) },
		"avatar": func(a recipe.Author, size string) avatarView {
			return newAvatarView(a.Avatar, a.DisplayName, size)
		},
		"hasPrefix": strings.HasPrefix,
	}
}
