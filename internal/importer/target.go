package importer

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"

	"github.com/reccollection/reccollection/internal/recipe"
)

// MaxURL bounds an address to import: the longest source URL a recipe
// keeps.
const MaxURL = recipe.MaxSourceURL

// privateSuffixes are names that by convention never leave a local
// network: a public recipe site cannot have them, so there is no reason to
// ask DNS (or a search domain, or mDNS) about them.
var privateSuffixes = []string{".localhost", ".local", ".internal", ".home.arpa", ".localdomain", ".lan"}

// CheckURL applies the rules that need no network to rawURL (scheme,
// port, user information, host form and local names) and returns it in
// the form the fetcher would request, so a list of URLs can be refused
// item by item before any is fetched. Passing is no promise: the host may
// still resolve to a refused address.
func (f *Fetcher) CheckURL(rawURL string) (string, error) {
	u, err := f.checkURL(rawURL)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// checkURL parses raw and applies the rules that need no DNS: http or
// https, no user information, an allowed port, and a host that is a
// public-looking name or an allowed IP address. It returns the URL with
// the host in its ASCII (punycode) form, so the host checked is the host
// the transport looks up.
func (f *Fetcher) checkURL(raw string) (*url.URL, error) {
	if len(raw) > MaxURL {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrInvalidURL, MaxURL)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	if err := f.checkParsed(u); err != nil {
		return nil, err
	}
	return u, nil
}

// checkParsed is checkURL for a URL already parsed (a redirect's target);
// it may rewrite u.Host to its ASCII form.
func (f *Fetcher) checkParsed(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return fmt.Errorf("%w: scheme %q", ErrInvalidURL, u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return fmt.Errorf("%w: no host", ErrInvalidURL)
	}
	if u.User != nil {
		// user:pass@ hides the real host from a quick read ("https://
		// trusted.example@10.0.0.1/") and would send credentials.
		return fmt.Errorf("%w: user information in the address", ErrInvalidURL)
	}
	port := uint16(80)
	if strings.EqualFold(u.Scheme, "https") {
		port = 443
	}
	if p := u.Port(); p != "" {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil || strconv.FormatUint(n, 10) != p || !f.portAllowed(uint16(n)) {
			return fmt.Errorf("%w: port %q", ErrInvalidURL, p)
		}
		port = uint16(n)
	} else if strings.HasSuffix(u.Host, ":") {
		return fmt.Errorf("%w: empty port", ErrInvalidURL)
	}
	host, err := f.checkHost(u.Hostname(), port)
	if err != nil {
		return err
	}
	if a, err := netip.ParseAddr(host); err == nil && a.Is6() {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" {
		host += ":" + p
	}
	u.Host = host
	return nil
}

// checkHost applies the host rules to a URL's host name (brackets already
// removed; port is the one the URL connects to) and returns it in the form
// to connect to.
func (f *Fetcher) checkHost(host string, port uint16) (string, error) {
	if host == "" {
		return "", fmt.Errorf("%w: no host", ErrInvalidURL)
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if a.Zone() != "" {
			return "", fmt.Errorf("%w: an address with a zone", ErrInvalidURL)
		}
		return a.String(), f.addrAllowed(netip.AddrPortFrom(a, port))
	}
	ascii := host
	if !isASCII(host) {
		// IDNA mapping turns full-width digits and dots into ASCII ones,
		// so "１２７．０．０．１" must be checked after it, not before.
		var err error
		if ascii, err = idna.Lookup.ToASCII(host); err != nil {
			return "", fmt.Errorf("%w: host %q: %v", ErrInvalidURL, host, err)
		}
	}
	name := strings.ToLower(strings.TrimSuffix(ascii, "."))
	if a, err := netip.ParseAddr(name); err == nil {
		return a.String(), f.addrAllowed(netip.AddrPortFrom(a, port))
	}
	if looksNumeric(name) {
		// "2130706433", "0177.0.0.1", "0x7f.1" and "127.1" all mean
		// 127.0.0.1 to inet_aton and to browsers; a real name never ends in
		// a numeric label, so any such host is a disguised address.
		return "", fmt.Errorf("%w: %q is an IP address in a non-standard form", ErrHostRefused, host)
	}
	if f.opts.AllowPrivate {
		return ascii, nil
	}
	if name == "localhost" || !strings.Contains(name, ".") {
		// A single label is resolved through the search domains of
		// resolv.conf, which is how "http://metadata/" reaches a cloud's
		// metadata service.
		return "", fmt.Errorf("%w: %q is a local name", ErrHostRefused, host)
	}
	for _, s := range privateSuffixes {
		if strings.HasSuffix(name, s) {
			return "", fmt.Errorf("%w: %q is a local name", ErrHostRefused, host)
		}
	}
	return ascii, nil
}

// looksNumeric reports whether name's last label is a number (decimal,
// octal with a leading 0, or hexadecimal with 0x), which is what makes the
// URL standard and inet_aton read a host as an IPv4 address.
func looksNumeric(name string) bool {
	labels := strings.Split(name, ".")
	last := labels[len(labels)-1]
	if last == "" {
		return false
	}
	if h, ok := strings.CutPrefix(last, "0x"); ok {
		return strings.Trim(h, "0123456789abcdef") == ""
	}
	return strings.Trim(last, "0123456789") == ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
