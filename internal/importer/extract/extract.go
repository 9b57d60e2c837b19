package extract

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// FromHTML extracts a recipe from page, an HTML document fetched from
// baseURL (used to make links absolute and as SourceURL; the page's
// canonical link wins when it has one). It never fails: a page without a
// recipe gives a Recipe for which Found is false.
func FromHTML(page []byte, baseURL string) *Recipe {
	if len(page) > MaxHTML {
		page = page[:MaxHTML]
	}
	r := &Recipe{SourceURL: baseURL}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(escapeJSONAttributes(page)))
	if err != nil {
		return r
	}
	base := pageBase(doc, baseURL)
	baseText := baseURL
	if base != nil {
		baseText = base.String()
	}

	// Structured data first (JSON-LD, microdata, RDFa, each filling only
	// what the ones before left empty), then heuristics for whatever is
	// still missing, then the page's Open Graph and <head>.
	s, imageSized := structured(doc, bareJSONLD(page), base)
	if s != nil {
		r = s
		r.Ingredients, r.IngredientGroups = splitHeadings(r.Ingredients, shownHeadings(doc, r.Ingredients))
	}
	tags := metaTags(doc)
	meta := headMeta(doc, base, tags)
	r.Title = recipeTitle(doc, r.Title, meta.SiteName, hostOf(baseText))
	if meta.ImageURL != "" && !imageSized {
		r.ImageURL = shareOrRecipeImage(meta.ImageURL, r.ImageURL, tags)
	}
	h := heuristic(doc, baseText)
	if r.Via == "" && h != nil && (h.Title != "" || len(h.Ingredients) > 0 || len(h.Steps) > 0) {
		r.Via = h.Via
	}
	if h != nil {
		if v := visibleIngredients(r.Ingredients, h.Ingredients); v != nil {
			// The page's lines come with the page's groups.
			r.Ingredients, r.IngredientGroups = v, h.IngredientGroups
		}
	}
	fillMissing(r, h)
	fillMissing(r, meta)
	r.SourceURL = baseURL
	if c := canonicalURL(doc, tags); c != "" {
		r.SourceURL = c
	}
	return r
}

// bareJSONLD decodes a "page" that is a JSON-LD document itself (an
// address serving application/ld+json), or returns nil.
func bareJSONLD(page []byte) any {
	t := bytes.TrimSpace(page)
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return nil
	}
	v, _ := decodeJSONLD(string(t))
	return v
}

// structured reads the page's schema.org Recipe: from JSON-LD, then
// microdata, then RDFa, a later source filling only what the earlier left
// empty; raw is the page itself when it is JSON-LD. It is nil when the
// page declares no recipe. imageSized reports that the image came from a
// list with declared sizes (the largest).
func structured(doc *goquery.Document, raw any, base *url.URL) (out *Recipe, imageSized bool) {
	add := func(sr *schemaReader, r *Recipe, n node, via string) {
		if r == nil {
			return
		}
		if out == nil {
			r.Via = via
			out = r
			imageSized = r.ImageURL != "" && sr.imageSized(n["image"])
			return
		}
		fillMissing(out, r)
	}
	values := jsonLDNodes(doc)
	if raw != nil {
		values = append(values, raw)
	}
	if len(values) > 0 {
		sr := &schemaReader{g: newGraph(values), base: base}
		r, n := bestRecipe(sr, findRecipes(values))
		add(sr, r, n, "json-ld")
	}
	for _, v := range []vocabulary{microdata, rdfa} {
		if out != nil && out.Found() && len(out.Ingredients) > 0 && len(out.Steps) > 0 {
			break
		}
		sr := &schemaReader{base: base, markup: true}
		r, n := bestRecipe(sr, v.recipeItems(doc))
		add(sr, r, n, v.via)
	}
	return out, imageSized
}

// bestRecipe reads candidates in order and returns the first that is a
// recipe by Found, else the first, else nil, with the node it came from.
// A page that lists several recipes (a round-up) is imported as its
// first.
func bestRecipe(sr *schemaReader, candidates []node) (*Recipe, node) {
	var firstRead *Recipe
	var firstNode node
	for i, n := range candidates {
		if i >= 20 {
			break
		}
		r := sr.read(n)
		if r.Found() {
			return r, n
		}
		if firstRead == nil {
			firstRead, firstNode = r, n
		}
	}
	return firstRead, firstNode
}

// fillMissing copies into r each field of from that r lacks. Ingredients,
// steps and their groups move together; so do the yield and the servings.
func fillMissing(r, from *Recipe) {
	if from == nil {
		return
	}
	setString(&r.Title, from.Title)
	setString(&r.Description, from.Description)
	if len(r.Ingredients) == 0 {
		r.Ingredients, r.IngredientGroups = from.Ingredients, from.IngredientGroups
	}
	if len(r.Steps) == 0 {
		r.Steps, r.StepGroups = from.Steps, from.StepGroups
	}
	if r.Yield == "" && r.Servings == nil {
		r.Yield, r.Servings = from.Yield, from.Servings
	}
	setInt(&r.PrepMinutes, from.PrepMinutes)
	setInt(&r.CookMinutes, from.CookMinutes)
	setInt(&r.TotalMinutes, from.TotalMinutes)
	setString(&r.ImageURL, from.ImageURL)
	setString(&r.Author, from.Author)
	if len(r.Keywords) == 0 {
		r.Keywords = from.Keywords
	}
	if len(r.Cuisine) == 0 {
		r.Cuisine = from.Cuisine
	}
	if len(r.Category) == 0 {
		r.Category = from.Category
	}
	if len(r.Nutrition) == 0 {
		r.Nutrition = from.Nutrition
	}
	setString(&r.Language, from.Language)
	setString(&r.SiteName, from.SiteName)
}

func setString(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func setInt(dst **int, v *int) {
	if *dst == nil {
		*dst = v
	}
}

// pageBase is the URL links on the page resolve against: the page's
// <base href> (itself resolved against baseURL) or baseURL. It is nil
// when neither is an absolute URL.
func pageBase(doc *goquery.Document, baseURL string) *url.URL {
	b, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || !b.IsAbs() {
		b = nil
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if h, err := url.Parse(strings.TrimSpace(href)); err == nil {
			if b != nil {
				h = b.ResolveReference(h)
			}
			if h.IsAbs() && (h.Scheme == "http" || h.Scheme == "https") {
				return h
			}
		}
	}
	return b
}

// canonicalURL is the page's own idea of its address (<link
// rel=canonical>, else og:url), when that is an absolute http(s) URL.
func canonicalURL(doc *goquery.Document, meta map[string]string) string {
	cands := []string{
		attrOf(doc.Find(`link[rel~="canonical"]`), "href"),
		meta["og:url"],
	}
	for _, c := range cands {
		if u := resolveWebURL(nil, c); u != "" && len(u) <= 2048 {
			return u
		}
	}
	return ""
}

// headMeta is what a page's <head> says of itself: Open Graph's title,
// image and site name, its description and language. FromHTML uses it
// last, for fields nothing else gave.
func headMeta(doc *goquery.Document, base *url.URL, meta map[string]string) *Recipe {
	r := &Recipe{}
	r.Title = cleanCapped(meta["og:title"], maxShort)
	if img := firstNonEmpty(meta["og:image:secure_url"], meta["og:image"], meta["og:image:url"]); !isLogo(img) {
		r.ImageURL = resolveWebURL(base, img)
	}
	r.SiteName = cleanCapped(meta["og:site_name"], maxShort)
	r.Description = cleanCapped(firstNonEmpty(meta["og:description"], meta["description"]), maxLong)
	if lang, ok := doc.Find("html").First().Attr("lang"); ok {
		r.Language = cleanCapped(lang, 35)
	}
	return r
}

// metaTags maps each <meta> property or name (lower case) of doc to the
// first non-empty content given for it, in one pass over the document.
func metaTags(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find("meta[content]").EachWithBreak(func(i int, m *goquery.Selection) bool {
		c, _ := m.Attr("content")
		if c = strings.TrimSpace(c); c == "" {
			return true
		}
		for _, a := range []string{"property", "name", "itemprop"} {
			if k, ok := m.Attr(a); ok {
				k = strings.ToLower(strings.TrimSpace(k))
				if _, seen := out[k]; !seen && k != "" {
					out[k] = c
				}
			}
		}
		return i < 2000
	})
	return out
}

func attrOf(s *goquery.Selection, name string) string {
	v, _ := s.First().Attr(name)
	return strings.TrimSpace(v)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// recipeTitle is a structured title, or the page's heading for it when
// the structured title is the page's <title> with more than the dish's
// name (" | Site", " - (4.8/5)") and a heading confirms the name.
func recipeTitle(doc *goquery.Document, title, site, host string) string {
	if len(titleParts(title)) < 2 || title != clean(doc.Find("title").First().Text()) {
		return title
	}
	if h := confirmedHeading(doc, site, host, title); h != "" && h != title {
		return h
	}
	return title
}

// shareOrRecipeImage chooses between the page's share image (og:image)
// and the recipe's own first image when the recipe declares no sizes.
// The same photo at two sizes named in its address ("…/1200x1200/…",
// "…_480x480.png") gives the larger. Otherwise the share image wins when
// the page declares its size, as SEO plugins do for the photo the site
// chose to stand for the page (the recipe's list often starts with a
// thumbnail); a share image without a declared size is more often a
// default or a crop for social cards, so the recipe's own image wins
// unless its address names a thumbnail's size.
func shareOrRecipeImage(share, recipe string, tags map[string]string) string {
	if recipe == "" {
		return share
	}
	if a, b := sizedVariant(share), sizedVariant(recipe); a.rest != "" && a.rest == b.rest && a.area != b.area {
		if a.area > b.area {
			return share
		}
		return recipe
	}
	if dimension(tags["og:image:width"])+dimension(tags["og:image:height"]) > 0 || isThumbnail(recipe) {
		return share
	}
	return recipe
}
