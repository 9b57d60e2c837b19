package importer

import (
	"net/url"
	"regexp"
	"strings"
)

// Social posts: a link to a post on Instagram, TikTok, YouTube, Facebook
// or Pinterest is read from what the provider shows anyone without a
// login: its oEmbed answer (the endpoint sites use to embed a post) and
// the Open Graph tags of the post's page, both through the fetcher. Posts
// behind a login or a consent page are not read; the person is asked to
// paste the caption instead (ErrPostUnreadable).

// provider is one social site: how to recognise its posts and where
// their public metadata is.
type provider struct {
	name string
	// hosts are the site's host names (without "www."), matched exactly.
	hosts []string
	// short are hosts of short links ("vm.tiktok.com"), which are
	// followed to the post they lead to before anything is read.
	short []string
	// post is the canonical address of the post u points to, or "" when
	// u is not a post (a profile, a search).
	post func(u *url.URL) string
	// oembed is the provider's public oEmbed endpoint for a post's
	// canonical address, or "" when it has none that works without an
	// app token (Instagram's and Facebook's need one).
	oembed func(post string) string
	// readPage says the post's page is read for its Open Graph tags
	// even when oEmbed answered: the caption is only there (YouTube's
	// description, Instagram's caption).
	readPage bool
}

var (
	youTubeID = regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	// Instagram's shortcodes and TikTok's and Pinterest's numeric ids.
	instagramCode = regexp.MustCompile(`^[A-Za-z0-9_-]{5,64}$`)
	numericID     = regexp.MustCompile(`^[0-9]{5,25}$`)
	tikTokUser    = regexp.MustCompile(`^@[A-Za-z0-9_.]{1,64}$`)
)

// providers are the social sites the importer reads posts from.
var providers = []*provider{
	{
		name:  "YouTube",
		hosts: []string{"youtube.com", "m.youtube.com", "music.youtube.com", "youtu.be", "youtube-nocookie.com"},
		post:  youTubePost,
		oembed: func(post string) string {
			return "https://www.youtube.com/oembed?format=json&url=" + url.QueryEscape(post)
		},
		readPage: true,
	},
	{
		name:  "TikTok",
		hosts: []string{"tiktok.com", "m.tiktok.com"},
		short: []string{"vm.tiktok.com", "vt.tiktok.com"},
		post:  tikTokPost,
		oembed: func(post string) string {
			return "https://www.tiktok.com/oembed?url=" + url.QueryEscape(post)
		},
	},
	{
		name:     "Instagram",
		hosts:    []string{"instagram.com", "m.instagram.com"},
		post:     instagramPost,
		readPage: true,
	},
	{
		name:     "Facebook",
		hosts:    []string{"facebook.com", "m.facebook.com", "web.facebook.com"},
		short:    []string{"fb.watch"},
		post:     facebookPost,
		readPage: true,
	},
	{
		name:     "Pinterest",
		hosts:    []string{"pinterest.com"},
		short:    []string{"pin.it"},
		post:     pinterestPost,
		readPage: true,
	},
}

// socialPost is a recognised post: its provider and canonical address.
type socialPost struct {
	provider *provider
	url      string
}

// findPost recognises raw as a post of one of the providers, or as a
// short link to one (short reports that: it must be followed first).
func findPost(raw string) (p socialPost, short, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return p, false, false
	}
	host := strings.TrimPrefix(strings.ToLower(strings.TrimSuffix(u.Hostname(), ".")), "www.")
	for _, pr := range providers {
		for _, h := range pr.short {
			if host == h {
				return socialPost{provider: pr}, true, true
			}
		}
		if !pr.hostMatches(host) {
			continue
		}
		if post := pr.post(u); post != "" {
			return socialPost{provider: pr, url: post}, false, true
		}
		// tiktok.com/t/… is a short link on the main host.
		if pr.name == "TikTok" && strings.HasPrefix(u.Path, "/t/") {
			return socialPost{provider: pr}, true, true
		}
		return p, false, false
	}
	return p, false, false
}

func (pr *provider) hostMatches(host string) bool {
	for _, h := range pr.hosts {
		if host == h {
			return true
		}
	}
	// Pinterest has a site per country: pinterest.co.uk, de.pinterest.com.
	if pr.name == "Pinterest" {
		labels := strings.Split(host, ".")
		for i, l := range labels {
			if l == "pinterest" && len(labels)-i <= 3 && len(labels)-i >= 2 {
				return true
			}
		}
	}
	return false
}

// pathParts are u's path segments, without empty ones.
func pathParts(u *url.URL) []string {
	var out []string
	for _, p := range strings.Split(u.Path, "/") {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// youTubePost accepts /watch?v=ID, /shorts/ID, /live/ID, /embed/ID and
// youtu.be/ID; the canonical form is the watch page.
func youTubePost(u *url.URL) string {
	parts := pathParts(u)
	id := ""
	switch {
	case strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), "youtu.be") && len(parts) == 1:
		id = parts[0]
	case len(parts) == 1 && parts[0] == "watch":
		id = u.Query().Get("v")
	case len(parts) == 2 && (parts[0] == "shorts" || parts[0] == "live" || parts[0] == "embed" || parts[0] == "v"):
		id = parts[1]
	}
	if !youTubeID.MatchString(id) {
		return ""
	}
	return "https://www.youtube.com/watch?v=" + id
}

// YouTubeVideoID is the id of the YouTube video at raw ("dQw4w9WgXcQ"),
// or "" when raw is not a YouTube video's address. The recipe page embeds
// the video of a recipe imported from one.
func YouTubeVideoID(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if !providers[0].hostMatches(host) {
		return ""
	}
	post := youTubePost(u)
	if post == "" {
		return ""
	}
	return strings.TrimPrefix(post, "https://www.youtube.com/watch?v=")
}

// instagramPost accepts /p/CODE, /reel/CODE, /reels/CODE and /tv/CODE,
// also under a user's name (/ana/p/CODE).
func instagramPost(u *url.URL) string {
	parts := pathParts(u)
	if len(parts) == 3 {
		parts = parts[1:]
	}
	if len(parts) != 2 || !instagramCode.MatchString(parts[1]) {
		return ""
	}
	switch parts[0] {
	case "p", "tv":
		return "https://www.instagram.com/p/" + parts[1] + "/"
	case "reel", "reels":
		return "https://www.instagram.com/reel/" + parts[1] + "/"
	}
	return ""
}

// tikTokPost accepts /@user/video/ID and /@user/photo/ID.
func tikTokPost(u *url.URL) string {
	parts := pathParts(u)
	if len(parts) != 3 || !tikTokUser.MatchString(parts[0]) || (parts[1] != "video" && parts[1] != "photo") || !numericID.MatchString(parts[2]) {
		return ""
	}
	return "https://www.tiktok.com/" + parts[0] + "/" + parts[1] + "/" + parts[2]
}

// facebookPost accepts the addresses of posts, videos, reels and shared
// posts; they have too many forms to rebuild, so the address is kept as
// given, without tracking parameters.
func facebookPost(u *url.URL) string {
	parts := pathParts(u)
	if len(parts) == 0 {
		return ""
	}
	postish := map[string]bool{"posts": true, "videos": true, "reel": true, "watch": true, "share": true,
		"permalink.php": true, "story.php": true, "photo.php": true, "photo": true, "groups": true}
	for _, p := range parts {
		if postish[p] {
			c := *u
			c.Scheme, c.Host, c.Fragment = "https", "www.facebook.com", ""
			q := url.Values{}
			for _, k := range []string{"v", "story_fbid", "id", "fbid"} {
				if v := u.Query().Get(k); v != "" {
					q.Set(k, v)
				}
			}
			c.RawQuery = q.Encode()
			return c.String()
		}
	}
	return ""
}

// pinterestPost accepts /pin/ID on any of Pinterest's country sites.
func pinterestPost(u *url.URL) string {
	parts := pathParts(u)
	if len(parts) < 2 || parts[0] != "pin" {
		return ""
	}
	// Newer pins have a slug before the id: /pin/pasta-bake--1234567/.
	id := parts[1]
	if i := strings.LastIndex(id, "-"); i >= 0 {
		id = id[i+1:]
	}
	if !numericID.MatchString(id) {
		return ""
	}
	return "https://www.pinterest.com/pin/" + id + "/"
}
