package importer

import "testing"

func TestFindPost(t *testing.T) {
	for _, c := range []struct {
		raw, provider, post string
		short               bool
	}{
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s&si=abc", "YouTube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", false},
		{"https://youtu.be/dQw4w9WgXcQ?si=abc", "YouTube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", false},
		{"https://m.youtube.com/shorts/dQw4w9WgXcQ", "YouTube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", false},
		{"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "YouTube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", false},
		{"https://www.instagram.com/p/CpAsTa123/?igsh=x", "Instagram", "https://www.instagram.com/p/CpAsTa123/", false},
		{"https://instagram.com/reels/CpAsTa123", "Instagram", "https://www.instagram.com/reel/CpAsTa123/", false},
		{"https://www.instagram.com/anacooks/p/CpAsTa123/", "Instagram", "https://www.instagram.com/p/CpAsTa123/", false},
		{"https://www.tiktok.com/@ana.cooks/video/7234567890123456789?is_from_webapp=1", "TikTok", "https://www.tiktok.com/@ana.cooks/video/7234567890123456789", false},
		{"https://vm.tiktok.com/ZMabc123/", "TikTok", "", true},
		{"https://www.tiktok.com/t/ZTabc123/", "TikTok", "", true},
		{"https://www.facebook.com/anacooks/videos/123456789012/?mibextid=x", "Facebook", "https://www.facebook.com/anacooks/videos/123456789012/", false},
		{"https://www.facebook.com/watch/?v=123456789012&ref=share", "Facebook", "https://www.facebook.com/watch/?v=123456789012", false},
		{"https://fb.watch/abcDEF/", "Facebook", "", true},
		{"https://www.pinterest.co.uk/pin/pasta-bake--987654321/", "Pinterest", "https://www.pinterest.com/pin/987654321/", false},
		{"https://de.pinterest.com/pin/987654321/", "Pinterest", "https://www.pinterest.com/pin/987654321/", false},
		{"https://pin.it/3xYz", "Pinterest", "", true},
	} {
		p, short, ok := findPost(c.raw)
		if !ok || p.provider.name != c.provider || p.url != c.post || short != c.short {
			name := ""
			if p.provider != nil {
				name = p.provider.name
			}
			t.Errorf("%s: %v %s %q short=%v, want %s %q short=%v", c.raw, ok, name, p.url, short, c.provider, c.post, c.short)
		}
	}
	// Not posts: the normal page import reads them.
	for _, raw := range []string{
		"https://www.youtube.com/@soupstories", "https://www.youtube.com/watch?v=short", "https://www.instagram.com/anacooks/",
		"https://www.tiktok.com/@anacooks", "https://www.facebook.com/anacooks", "https://www.pinterest.com/anacooks/soups/",
		"https://notyoutube.com/watch?v=dQw4w9WgXcQ", "https://pinterest.example.com.evil.test/pin/987654321/", "https://example.com/p/CpAsTa123/", "",
	} {
		if p, _, ok := findPost(raw); ok {
			t.Errorf("%s read as a %s post %q", raw, p.provider.name, p.url)
		}
	}
}

func TestYouTubeVideoID(t *testing.T) {
	for raw, want := range map[string]string{
		"https://www.youtube.com/watch?v=dQw4w9WgXcQ": "dQw4w9WgXcQ",
		"https://youtu.be/dQw4w9WgXcQ":                "dQw4w9WgXcQ",
		"https://www.youtube.com/shorts/dQw4w9WgXcQ":  "dQw4w9WgXcQ",
		"https://www.youtube.com/watch?v=dQw4w9WgXc":  "",
		"https://vimeo.com/123456":                    "",
		"https://www.youtube.com/watch?v=<script>":    "",
		"javascript:alert(1)":                         "",
	} {
		if got := YouTubeVideoID(raw); got != want {
			t.Errorf("YouTubeVideoID(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestInstagramCaption(t *testing.T) {
	for _, c := range []struct{ title, description, author, caption string }{
		{`Ana Cooks on Instagram: "Pasta night"`, `1,234 likes, 56 comments - anacooks on March 3, 2026: "Pasta night` + "\n" + `2 eggs". `, "Ana Cooks (@anacooks)", "Pasta night\n2 eggs"},
		{`anacooks on Instagram: "Soup"`, `12K likes, 1 comment - anacooks on May 1, 2026: "Soup"`, "anacooks", "Soup"},
		{``, `anacooks on June 2, 2026: “Cake”`, "@anacooks", "Cake"},
		{`Instagram`, `See photos and videos from friends on Instagram.`, "", "See photos and videos from friends on Instagram."},
	} {
		author, caption := instagramCaption(c.title, c.description)
		if author != c.author || caption != c.caption {
			t.Errorf("%q: %q, %q; want %q, %q", c.description, author, caption, c.author, c.caption)
		}
	}
}

func TestWalled(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://www.instagram.com/accounts/login/?next=/p/x/": true,
		"https://consent.youtube.com/ml?continue=x":            true,
		"https://www.facebook.com/login/?next=x":               true,
		"https://www.facebook.com/checkpoint/1501092823525282": true,
		"https://www.instagram.com/p/CpAsTa123/":               false,
		"https://www.youtube.com/watch?v=dQw4w9WgXcQ":          false,
	} {
		if walled(raw) != want {
			t.Errorf("walled(%q) = %v", raw, !want)
		}
	}
}
