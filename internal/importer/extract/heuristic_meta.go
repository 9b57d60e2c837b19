package extract

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// metaContent is the content of the first <meta> whose property or name is
// one of keys, tried in order.
func metaContent(doc *goquery.Document, keys ...string) string {
	for _, k := range keys {
		var v string
		doc.Find("meta").EachWithBreak(func(_ int, s *goquery.Selection) bool {
			p, _ := s.Attr("property")
			if p == "" {
				p, _ = s.Attr("name")
			}
			if !strings.EqualFold(strings.TrimSpace(p), k) {
				return true
			}
			c, _ := s.Attr("content")
			v = clean(c)
			return v == ""
		})
		if v != "" {
			return v
		}
	}
	return ""
}

// pageMeta fills what a page says about itself: title, description,
// image, site name, language and author.
func pageMeta(doc *goquery.Document, baseURL string, r *Recipe) {
	r.SiteName = metaContent(doc, "og:site_name")
	r.Title = pageTitle(doc, r.SiteName, hostOf(baseURL))
	r.Description = metaContent(doc, "description", "og:description", "twitter:description")
	base := documentBase(doc, baseURL)
	if img := metaContent(doc, "og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"); img != "" && !isLogo(img) {
		r.ImageURL = absoluteURL(base, img)
	}
	if lang, ok := doc.Find("html").First().Attr("lang"); ok {
		r.Language = clean(lang)
	}
	r.Author = metaContent(doc, "author", "article:author")
	if strings.HasPrefix(r.Author, "http://") || strings.HasPrefix(r.Author, "https://") {
		// article:author is often a profile URL, not a name.
		r.Author = ""
	}
}

// pageTitle is the page's main heading when its head names the same dish,
// else og:title, else the first <h1>, else <title>; a site name the page
// appends (" | Site", " - Site") is trimmed.
func pageTitle(doc *goquery.Document, site, host string) string {
	og := unescapeLeft(metaContent(doc, "og:title", "twitter:title"))
	if h := confirmedHeading(doc, site, host, og, unescapeLeft(clean(doc.Find("title").First().Text()))); h != "" {
		return h
	}
	if og != "" && !namesSite(og, site, host) {
		return recipeName(trimSiteSuffix(og, site, host, false))
	}
	if h := doc.Find("h1").First(); h.Length() > 0 {
		if t := textOf(h.Nodes[0]); t != "" {
			return recipeName(t)
		}
	}
	return recipeName(trimSiteSuffix(unescapeLeft(clean(doc.Find("title").First().Text())), site, host, true))
}

// unescapeLeft decodes entities a page escaped twice ("l&#039;emmental"
// in an attribute reads "l&#039;emmental" once parsed).
func unescapeLeft(s string) string {
	if strings.Contains(s, "&") && strings.Contains(s, ";") {
		return html.UnescapeString(s)
	}
	return s
}

// recipeWords are the words for "recipe" that pages put around a
// recipe's name in their titles ("Recette : Quiche", "Quiche Recipe").
var recipeWords = []string{"recipe", "recette", "ricetta", "rezept", "recept", "receta", "receita", "przepis"}

// recipeName takes the word "recipe" off a page title: "Recette -
// Quiche lorraine", "Lemon posset recipe", "Lau Chingri recipe by Bong
// Eats" all name a dish.
func recipeName(t string) string {
	lower := strings.ToLower(t)
	for _, w := range recipeWords {
		if rest, ok := strings.CutPrefix(lower, w); ok && rest != "" && strings.ContainsAny(rest[:1], " :-–|") {
			if name := strings.TrimLeft(t[len(w):], " :-–|"); name != "" {
				t, lower = name, strings.ToLower(name)
			}
			break
		}
	}
	for _, w := range recipeWords {
		if i := strings.LastIndex(lower, " "+w+" by "); i > 0 {
			t, lower = t[:i], lower[:i]
		}
		if strings.HasSuffix(lower, " "+w) && len(t) > len(w)+1 {
			t = strings.TrimRight(t[:len(t)-len(w)-1], " -–:|")
			break
		}
	}
	return t
}

// titleSeparators divide a page title from the site name after it.
var titleSeparators = []string{" | ", " │ ", " – ", " — ", " - ", " :: ", " · ", " • ", " « ", " » "}

// trimSiteSuffix removes a trailing " | Site". With always set (a <title>,
// where a suffix is the rule) any last part after a separator goes;
// otherwise only a part that names the site (its og:site_name or its host
// name).
func trimSiteSuffix(t, site, host string, always bool) string {
	t = strings.TrimRight(t, " |-–—:·•")
	for _, sep := range titleSeparators {
		i := strings.LastIndex(t, sep)
		if i <= 0 {
			continue
		}
		tail := strings.TrimSpace(t[i+len(sep):])
		if always || namesSite(tail, site, host) {
			return strings.TrimSpace(t[:i])
		}
	}
	return t
}

// namesSite reports whether a title's tail is the site's name: its
// og:site_name or the start of it ("Site" of "Site - tagline"), or its
// host name without "www." and the top-level domain, ignoring case,
// spaces and punctuation.
func namesSite(tail, site, host string) bool {
	tail = squash(tail)
	if tail == "" {
		return false
	}
	if s := squash(site); s != "" && strings.HasPrefix(s, tail) {
		return true
	}
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	h := host
	if i := strings.LastIndexByte(h, '.'); i > 0 {
		h = h[:i]
	}
	return squash(h) == tail || squash(host) == tail
}

// squash lower-cases s and keeps only its letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hostOf is the host name of a URL, or "".
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// documentBase is the URL relative links resolve against: <base href>
// when the page has one, else the page's own URL.
func documentBase(doc *goquery.Document, baseURL string) *url.URL {
	base, err := url.Parse(baseURL)
	if err != nil {
		base = &url.URL{}
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(strings.TrimSpace(href)); err == nil {
			base = b
		}
	}
	return base
}

// absoluteURL resolves ref against base, keeping only http(s) results.
func absoluteURL(base *url.URL, ref string) string {
	u, err := base.Parse(strings.TrimSpace(ref))
	if err != nil {
		return ""
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}

// imageOf is the URL of the image n is or holds: the widest candidate of
// its srcset, else its src, looking past lazy loaders' placeholders to
// the data-src attributes they read.
func imageOf(n *html.Node) string {
	img := n
	if n.Data != "img" {
		img = firstTag(n, "img")
		if img == nil {
			return ""
		}
	}
	best, bestWidth := "", -1
	for _, a := range img.Attr {
		switch a.Key {
		case "srcset", "data-srcset", "data-lazy-srcset":
			for _, cand := range strings.Split(a.Val, ",") {
				f := strings.Fields(cand)
				if len(f) == 0 {
					continue
				}
				w := 0
				if len(f) > 1 && strings.HasSuffix(f[1], "w") {
					w, _ = strconv.Atoi(strings.TrimSuffix(f[1], "w"))
				}
				if w > bestWidth {
					best, bestWidth = f[0], w
				}
			}
		}
	}
	if best != "" {
		return best
	}
	for _, key := range []string{"data-lazy-src", "data-src", "src"} {
		for _, a := range img.Attr {
			if a.Key == key && a.Val != "" && !strings.HasPrefix(a.Val, "data:") {
				return strings.TrimSpace(a.Val)
			}
		}
	}
	return ""
}

// firstTag is the first element named tag under n.
func firstTag(n *html.Node, tag string) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.Data == tag {
			return c
		}
		if f := firstTag(c, tag); f != nil {
			return f
		}
	}
	return nil
}

// confirmedHeading is the first <h1> that names the dish one of the page's
// head titles names: the heading is what a reader sees as the title, in
// the case and with the words the page shows ("The ULTIMATE Roasties"),
// while the head titles carry site names, ratings and taglines. An <h1>
// the head titles do not confirm is often a logo or a section's name, and
// a part of a head title that names the site confirms nothing.
func confirmedHeading(doc *goquery.Document, site, host string, heads ...string) string {
	var parts []string
	for _, h := range heads {
		for _, p := range titleParts(h) {
			if !namesSite(p, site, host) && !isRecipeWord(squash(p)) {
				parts = append(parts, p)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	var headings []string
	doc.Find("h1").EachWithBreak(func(i int, s *goquery.Selection) bool {
		if t := textOf(s.Nodes[0]); t != "" && len(t) <= maxShort {
			headings = append(headings, t)
		}
		return i < 10
	})
	// The head titles' parts in order: the dish's name comes before a
	// section's ("Fig Jam | Preserves"), which a heading may repeat too.
	for _, p := range parts {
		for _, h := range headings {
			if sameDish(h, p) {
				return h
			}
		}
	}
	return ""
}

// isRecipeWord reports a word for "recipe" or "recipes" alone ("Recipes",
// "Rezepte", "Recettes"): a section of the site, not a dish.
func isRecipeWord(w string) bool {
	for _, r := range recipeWords {
		if strings.HasPrefix(w, r[:len(r)-1]) && len(w) <= len(r)+2 {
			return true
		}
	}
	return false
}

// titleParts are the pieces of a head title between its separators
// ("Fig Jam Recipe | Jams | Jar Life").
func titleParts(t string) []string {
	parts := []string{t}
	for _, sep := range titleSeparators {
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
	}
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sameDish reports whether a heading and a part of a head title name the
// same dish: the same words ignoring case and punctuation, once the word
// "recipe" and a trailing parenthesis ("(vegan)") are set aside.
func sameDish(heading, part string) bool {
	h := squash(heading)
	for _, p := range []string{part, recipeName(part)} {
		w := squash(p)
		if w != "" && (w == h || w == squash(withoutParenthesis(heading)) || squash(withoutParenthesis(p)) == h) {
			return true
		}
	}
	return false
}

// withoutParenthesis drops a parenthesis that ends s ("Pie (vegan)").
func withoutParenthesis(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i > 0 {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

// isLogo reports an image address whose file name calls it a logo, an
// icon or a placeholder: a site's default picture, the same on every
// page, a button's, or a stand-in a script replaces, not a photo of the
// dish. An image proxy's address ("/_next/image?url=…") is judged by the
// image it serves.
func isLogo(u string) bool {
	if p, err := url.Parse(u); err == nil {
		u = p.Path
		for _, k := range []string{"url", "src"} {
			if v := p.Query().Get(k); v != "" {
				u = v
				break
			}
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	for _, w := range nameWords(u[strings.LastIndexByte(u, '/')+1:]) {
		switch w {
		case "logo", "icon", "favicon", "placeholder", "fallback":
			return true
		}
	}
	return false
}

// nameWords splits a file name into its lower-case words, at anything
// not a letter and where a capital follows a small letter
// ("recipeImgFallback" is recipe, img, fallback).
func nameWords(name string) []string {
	var words []string
	var b strings.Builder
	prevLower := false
	for _, r := range name {
		if !unicode.IsLetter(r) || (prevLower && unicode.IsUpper(r)) {
			if b.Len() > 0 {
				words = append(words, b.String())
				b.Reset()
			}
		}
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToLower(r))
		}
		prevLower = unicode.IsLower(r)
	}
	if b.Len() > 0 {
		words = append(words, b.String())
	}
	return words
}

// maxHeadingImageDistance is how many elements after the page's <h1>
// headingImage looks for a picture.
const maxHeadingImageDistance = 300

// headingImage is the first picture shortly after the page's first <h1>,
// outside navigation, headers, footers and asides: where a page without
// a share image shows its dish.
func headingImage(doc *goquery.Document) string {
	h := doc.Find("h1").First()
	if h.Length() == 0 {
		return ""
	}
	seen, visits := -1, 0
	found := ""
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || skipped[c.Data] || hiddenNode(c) {
				continue
			}
			if visits++; visits > maxElements {
				return true
			}
			if seen >= 0 {
				if seen++; seen > maxHeadingImageDistance {
					return true
				}
				switch c.Data {
				case "nav", "header", "footer", "aside":
					continue
				case "img":
					if u := imageOf(c); u != "" && !isLogo(u) {
						found = u
						return true
					}
				}
			}
			if c == h.Nodes[0] {
				seen = 0
				continue
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	if len(doc.Nodes) > 0 {
		walk(doc.Nodes[0])
	}
	return found
}
