package extract

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
)

// Post is what a social post shows without a login, as its provider's
// oEmbed answer and its page's Open Graph tags give it: the importer
// fetches, this reads.
type Post struct {
	// Provider names the site ("Instagram", "YouTube").
	Provider string
	// URL is the post's canonical address, the recipe's source.
	URL string
	// Title is a video's own title where it has one apart from its
	// caption (YouTube), else "".
	Title string
	// Caption is the post's text: a caption or a video's description.
	Caption string
	// Author is the creator to credit ("Ana Cooks (@anacooks)").
	Author   string
	ImageURL string
}

// FromPost builds a recipe from a post's caption: the caption is read as
// pasted text is (FromText: "Ingredients:" markers, emoji bullets,
// numbered steps, hashtags as keywords), after the lines that talk to the
// audience rather than the cook ("Follow @x for more", "Link in bio") are
// dropped. A video's title, when there is one, is the recipe's title.
func FromPost(p Post) *Recipe {
	caption := captionText(p.Caption)
	title := postTitle(p.Title)
	text := caption
	if title != "" {
		text = title + "\n\n" + caption
	}
	r := FromText(text)
	if title == "" {
		r.Title, r.Description = captionTitle(r.Title, r.Description)
	}
	r.Author = clean(p.Author)
	r.ImageURL = p.ImageURL
	r.SourceURL = p.URL
	r.SiteName = p.Provider
	r.Via = "post"
	return r
}

// captionText is a caption without what is said to the audience: calls
// to follow, save, share or comment, links in the bio, and lines that
// only mention accounts.
func captionText(caption string) string {
	lines := strings.Split(caption, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if isAudienceLine(l) {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n")
}

// audiencePrefixes open a line that addresses the audience; each is
// specific enough not to open a step ("Follow the packet's directions",
// "Save some pasta water" are steps).
var audiencePrefixes = []string{
	"follow me", "follow @", "follow for", "follow us", "follow along",
	"save this", "save it for", "save for later", "save the recipe", "save and share",
	"share this", "share with", "send this to", "tag a friend", "tag someone", "tag your",
	"comment ", "let me know", "link in bio", "link in my bio", "recipe in bio", "recipe in my bio",
	"full recipe", "printable recipe", "recipe linked", "recipe on my", "recipe below", "recipe is below",
	"subscribe", "turn on notifications", "like and ", "double tap", "dm me", "dm for",
	"shop my", "use code", "use my code", "sponsored", "#ad", "ad:", "music:", "song:", "credit:", "credits:",
}

// isAudienceLine reports a caption line addressed to the audience.
func isAudienceLine(l string) bool {
	s := strings.ToLower(strings.TrimSpace(stripBullet(strings.TrimSpace(l))))
	if s == "" {
		return false
	}
	for _, p := range audiencePrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	// "@ana @ben": only mentions.
	for _, f := range strings.Fields(s) {
		if !strings.HasPrefix(f, "@") {
			return false
		}
	}
	return true
}

// postTitle is a video's title as a recipe's: without "How to make",
// "Recipe" and what follows a separator ("Garlic Pasta | Easy Dinner
// Ideas" is "Garlic Pasta").
func postTitle(t string) string {
	t = clean(t)
	for _, sep := range titleSeparators {
		if head, _, ok := strings.Cut(t, sep); ok && len(strings.Fields(head)) >= 2 {
			t = head
		}
	}
	lower := strings.ToLower(t)
	for _, p := range []string{"how to make ", "how to cook ", "how i make ", "making "} {
		if strings.HasPrefix(lower, p) {
			t = t[len(p):]
			break
		}
	}
	return titleText(t)
}

// captionTitle splits a caption's first line, taken as the title, at its
// first emoji: what follows it is a remark ("Garlic butter pasta 🍝 ready
// in 15 minutes!"), kept at the head of the description.
func captionTitle(title, description string) (string, string) {
	for i, r := range title {
		if !isEmoji(r) {
			continue
		}
		head := strings.TrimSpace(title[:i])
		if len(strings.Fields(head)) < 2 {
			return title, description
		}
		tail := strings.TrimFunc(title[i:], func(r rune) bool {
			return isEmoji(r) || unicode.IsSpace(r) || r == '\ufe0f' || r == '\u200d'
		})
		if tail != "" {
			r, size := utf8.DecodeRuneInString(tail)
			tail = string(unicode.ToUpper(r)) + tail[size:]
			description = strings.TrimSpace(tail + "\n" + description)
		}
		return head, description
	}
	return title, description
}

// keycapNumber reads a step numbered with keycap emoji ("1️⃣", "🔟") as
// "1." is: it returns the line so numbered, or l.
func keycapNumber(l string) string {
	if rest, ok := strings.CutPrefix(l, "🔟"); ok {
		return "10. " + strings.TrimSpace(rest)
	}
	i := 0
	for i < len(l) && i < 2 && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	if i == 0 {
		return l
	}
	rest := strings.TrimPrefix(l[i:], "\ufe0f")
	rest, ok := strings.CutPrefix(rest, "\u20e3")
	if !ok {
		return l
	}
	// "1️⃣2️⃣" would be twelve; captions number steps one keycap each.
	if r, _ := utf8.DecodeRuneInString(rest); r >= '0' && r <= '9' {
		return l
	}
	return l[:i] + ". " + strings.TrimSpace(rest)
}

// PostPage is what a post's page says of itself in its <head> (Open
// Graph and Twitter card tags), which is what a provider shows anyone
// without a login. Text keeps its line breaks: a caption's lines matter.
type PostPage struct {
	Title       string
	Description string
	ImageURL    string
	// VideoDescription is a video's whole description from the page's
	// player data ("shortDescription"), which the meta tags cut short.
	VideoDescription string
	// SourceLink is the page a pin links to (pinterestapp:source,
	// og:see_also), where the recipe itself usually is.
	SourceLink string
}

// maxPostText bounds each text PostPage keeps: more than any caption.
const maxPostText = 64 << 10

// ReadPostPage reads page, a post's HTML fetched from baseURL.
func ReadPostPage(page []byte, baseURL string) PostPage {
	if len(page) > MaxHTML {
		page = page[:MaxHTML]
	}
	var p PostPage
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return p
	}
	tags := metaTags(doc)
	text := func(keys ...string) string {
		for _, k := range keys {
			if v := postText(tags[k]); v != "" {
				return v
			}
		}
		return ""
	}
	base, _ := url.Parse(baseURL)
	p.Title = text("og:title", "twitter:title")
	p.Description = text("og:description", "twitter:description", "description")
	if img := firstNonEmpty(tags["og:image:secure_url"], tags["og:image"], tags["og:image:url"], tags["twitter:image"], tags["twitter:image:src"]); !isLogo(img) {
		p.ImageURL = resolveWebURL(base, img)
	}
	p.SourceLink = resolveWebURL(base, firstNonEmpty(tags["pinterestapp:source"], tags["og:see_also"]))
	p.VideoDescription = postText(playerDescription(page))
	return p
}

// postText is s as valid UTF-8 with its lines trimmed, within
// maxPostText.
func postText(s string) string {
	s = strings.ToValidUTF8(strings.TrimSpace(s), "")
	if len(s) > maxPostText {
		s = s[:maxPostText]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// playerDescription finds a video page's "shortDescription":"…" (in the
// player data a script of the page holds) and decodes it as the JSON
// string it is, or "".
func playerDescription(page []byte) string {
	const key = `"shortDescription":`
	i := bytes.Index(page, []byte(key))
	if i < 0 {
		return ""
	}
	var s string
	if err := json.NewDecoder(bytes.NewReader(page[i+len(key):])).Decode(&s); err != nil {
		return ""
	}
	return s
}
