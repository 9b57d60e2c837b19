package importer

import (
	"fmt"
	"net/url"
	"strings"
)

// checkURL trims raw and accepts it when it is an absolute http(s) URL of
// at most MaxURL characters with a host; anything else is ErrInvalidURL.
// The fetcher checks the rest (ports, where the host resolves to).
func checkURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalidURL)
	}
	if len(raw) > MaxURL {
		return "", fmt.Errorf("%w: longer than %d characters", ErrInvalidURL, MaxURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.Opaque != "" {
		return "", fmt.Errorf("%w: %q is not an absolute http or https URL", ErrInvalidURL, raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("%w: addresses with a user name or password are not imported", ErrInvalidURL)
	}
	return raw, nil
}

// canonicalURL is the form a source URL is saved and compared in: the
// scheme and host lower-cased, without the fragment (a position in the
// page) and the utm_* tracking parameters (where a link was shared), which
// never change what page it is. It is "" when raw is not an absolute
// http(s) URL.
func canonicalURL(raw string) string {
	raw, err := checkURL(raw)
	if err != nil {
		return ""
	}
	u, _ := url.Parse(raw)
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		var kept []string
		for _, part := range strings.Split(u.RawQuery, "&") {
			name, _, _ := strings.Cut(part, "=")
			if part == "" || strings.HasPrefix(strings.ToLower(name), "utm_") {
				continue
			}
			kept = append(kept, part)
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	u.ForceQuery = false
	if u.Path == "" {
		u.Path = "/"
	}
	s := u.String()
	if len(s) > MaxURL {
		return ""
	}
	return s
}

// sameAddress lists the spellings of raw that the importer treats as the
// same page when it looks for an earlier import: its canonical form with
// and without a trailing slash, over http and https. Recipes saved by the
// importer keep the canonical form, so these are all a lookup needs.
func sameAddress(raw string) []string {
	c := canonicalURL(raw)
	if c == "" {
		return nil
	}
	u, _ := url.Parse(c)
	var out []string
	for _, scheme := range []string{"https", "http"} {
		v := *u
		v.Scheme = scheme
		with := v
		without := v
		if strings.HasSuffix(v.Path, "/") {
			without.Path = strings.TrimSuffix(v.Path, "/")
		} else {
			with.Path = v.Path + "/"
		}
		if without.RawPath != "" {
			without.RawPath = strings.TrimSuffix(without.RawPath, "/")
		}
		if with.RawPath != "" && !strings.HasSuffix(with.RawPath, "/") {
			with.RawPath += "/"
		}
		out = append(out, with.String(), without.String())
	}
	return dedupe(out)
}

// addressKey is one string for all the spellings of raw, to find
// duplicates in a list.
func addressKey(raw string) string {
	s := sameAddress(raw)
	if len(s) == 0 {
		return strings.TrimSpace(raw)
	}
	return s[0]
}

func dedupe(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0]
	for _, s := range list {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
