package importer

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/reccollection/reccollection/internal/importer/extract"
)

// oembedAnswer is the part of an oEmbed answer the importer reads.
type oembedAnswer struct {
	Title        string `json:"title"`
	AuthorName   string `json:"author_name"`
	AuthorURL    string `json:"author_url"`
	ThumbnailURL string `json:"thumbnail_url"`
	// TikTok's handle of the author ("anacooks").
	AuthorUniqueID string `json:"author_unique_id"`
}

// readPost fetches what post's provider shows without a login and builds
// the recipe from it; raw is the address as given, followed first when it
// is a short link. It returns the draft and the address it was read
// from.
func (s *Service) readPost(ctx context.Context, raw string, post socialPost, short, wait bool) (*extract.Recipe, string, error) {
	var page *Page
	if short {
		pg, err := s.page(ctx, raw, wait)
		if err != nil {
			return nil, "", unreadable(err)
		}
		p, stillShort, ok := findPost(pg.URL)
		if !ok || stillShort {
			if walled(pg.URL) {
				return nil, "", fmt.Errorf("%w: %s led to %s", ErrPostUnreadable, raw, pg.URL)
			}
			return nil, "", fmt.Errorf("%w: %s led to %s, not a post", ErrPostUnreadable, raw, pg.URL)
		}
		post, page = p, pg
	}
	pr := post.provider
	var oe oembedAnswer
	oembedOK := false
	if pr.oembed != nil {
		pg, err := s.page(ctx, pr.oembed(post.url), wait)
		switch {
		case errors.Is(err, ErrPageNotFound) || errors.Is(err, ErrBusy) || ctx.Err() != nil:
			// No such post (or it was deleted); or no budget or time left.
			return nil, "", err
		case err == nil:
			oembedOK = json.Unmarshal(pg.Body, &oe) == nil
		}
	}
	var pp extract.PostPage
	if page == nil && (pr.readPage || !oembedOK) {
		pg, err := s.page(ctx, post.url, wait)
		switch {
		case err != nil && !oembedOK:
			return nil, "", unreadable(err)
		case err == nil && walled(pg.URL) && !oembedOK:
			return nil, "", fmt.Errorf("%w: %s sent the importer to %s", ErrPostUnreadable, post.url, pg.URL)
		case err == nil && !walled(pg.URL):
			page = pg
		}
	}
	if page != nil {
		pp = extract.ReadPostPage(page.Body, page.URL)
	}
	if pr.name == "Pinterest" && pp.SourceLink != "" {
		if r, from, ok := s.pinnedPage(ctx, pp, wait); ok {
			return r, from, nil
		}
	}
	p := postOf(pr.name, post.url, oe, pp)
	if strings.TrimSpace(p.Caption) == "" {
		return nil, "", fmt.Errorf("%w: %s showed no caption", ErrPostUnreadable, post.url)
	}
	r := extract.FromPost(p)
	if !r.Found() {
		return nil, "", fmt.Errorf("%w: %s", ErrNoRecipeInPost, post.url)
	}
	return r, post.url, nil
}

// postOf puts together what the provider showed, in the order each
// provider is most reliable in.
func postOf(provider, postURL string, oe oembedAnswer, pp extract.PostPage) extract.Post {
	p := extract.Post{Provider: provider, URL: postURL, ImageURL: firstOf(oe.ThumbnailURL, pp.ImageURL)}
	switch provider {
	case "YouTube":
		p.Title = firstOf(oe.Title, pp.Title)
		p.Caption = firstOf(pp.VideoDescription, pp.Description)
		p.Author = oe.AuthorName
	case "TikTok":
		// oEmbed's title is the whole caption.
		p.Caption = firstOf(oe.Title, pp.Description)
		p.Author = credit(oe.AuthorName, oe.AuthorUniqueID)
	case "Instagram":
		p.Author, p.Caption = instagramCaption(pp.Title, pp.Description)
	case "Pinterest":
		p.Title = pp.Title
		p.Caption = pp.Description
	default:
		p.Caption = pp.Description
		p.Author = oe.AuthorName
	}
	return p
}

// pinnedPage imports the page a pin links to, where the recipe usually
// is in full, with the pin's picture when the page has none. ok is false
// when that page cannot be read or holds no recipe: the pin's own
// description is read instead.
func (s *Service) pinnedPage(ctx context.Context, pp extract.PostPage, wait bool) (*extract.Recipe, string, bool) {
	target, err := checkURL(pp.SourceLink)
	if err != nil {
		return nil, "", false
	}
	if _, _, social := findPost(target); social {
		return nil, "", false
	}
	pg, err := s.page(ctx, target, wait)
	if err != nil {
		return nil, "", false
	}
	r := extract.FromHTML(pg.Body, pg.URL)
	if !r.Found() {
		return nil, "", false
	}
	if r.ImageURL == "" {
		r.ImageURL = pp.ImageURL
	}
	return r, pg.URL, true
}

// instagramDescription is how Instagram's og:description frames a
// caption: `1,234 likes, 56 comments - anacooks on March 3, 2025: "…"`;
// instagramTitle its og:title: `Ana Cooks on Instagram: "…"`.
var (
	instagramDescription = regexp.MustCompile(`(?s)^(?:[\d.,]+[KkMm]? likes?, [\d.,]+[KkMm]? comments? - )?([A-Za-z0-9_.]{1,30}) on [^:"]{1,40}: ["“](.*)["”]\.?\s*$`)
	instagramTitle       = regexp.MustCompile(`(?s)^(.{1,100}?) on Instagram: ["“]`)
)

// instagramCaption reads the creator and the caption out of a post
// page's og:title and og:description; a description in another shape is
// taken as the caption whole.
func instagramCaption(title, description string) (author, caption string) {
	m := instagramDescription.FindStringSubmatch(description)
	if m == nil {
		return "", description
	}
	handle, caption := m[1], m[2]
	name := ""
	if t := instagramTitle.FindStringSubmatch(title); t != nil {
		name = strings.TrimSpace(t[1])
	}
	return credit(name, handle), caption
}

// credit names a creator by name and handle: "Ana Cooks (@anacooks)",
// or whichever of the two is known.
func credit(name, handle string) string {
	name, handle = strings.TrimSpace(name), strings.TrimPrefix(strings.TrimSpace(handle), "@")
	switch {
	case handle == "" || strings.EqualFold(name, handle):
		return cmp.Or(name, handle)
	case name == "":
		return "@" + handle
	}
	return name + " (@" + handle + ")"
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// walled reports an address a provider sends those it will not show a
// post to: a login, a consent page or a checkpoint.
func walled(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return true
	}
	host := strings.ToLower(u.Hostname())
	path := strings.ToLower(u.Path)
	if strings.HasPrefix(host, "consent.") || strings.HasPrefix(host, "login.") || strings.HasPrefix(host, "accounts.") {
		return true
	}
	for _, p := range []string{"/accounts/login", "/login", "/signin", "/checkpoint", "/consent", "/challenge"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// unreadable turns a failed fetch of a post into ErrPostUnreadable where
// pasting the caption is the way round it (the site refused, or answered
// with an error); a missing post, a busy importer or a timeout keep their
// own reasons.
func unreadable(err error) error {
	for _, keep := range []error{ErrPageNotFound, ErrBusy, ErrTimeout, ErrUnreachable, ErrInvalidURL, ErrHostRefused, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, keep) {
			return err
		}
	}
	return fmt.Errorf("%w: %v", ErrPostUnreadable, err)
}
