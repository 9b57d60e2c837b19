package config

import (
	"net/mail"
	"net/netip"
	"net/url"
	"strings"
)

// TLSEnabled reports whether the server obtains certificates itself
// (RECC_TLS_DOMAINS): HTTPS on HTTPSAddr, and on HTTPAddr only ACME
// challenges, health probes and redirects to HTTPS.
func (c *Config) TLSEnabled() bool { return len(c.TLSDomains) > 0 }

// trustedProxies reads RECC_TRUSTED_PROXIES: comma-separated IP addresses
// and CIDR ranges of the proxies (load balancers) whose X-Forwarded-For
// and X-Forwarded-Proto are believed. Unset trusts none.
func (l *loader) trustedProxies() []netip.Prefix {
	raw := l.str(varTrustedProxies, "")
	if raw == "" {
		return nil
	}
	var out []netip.Prefix
	before := len(l.errs)
	for _, part := range strings.Split(raw, ",") {
		s := strings.TrimSpace(part)
		if s == "" {
			continue
		}
		var p netip.Prefix
		if strings.Contains(s, "/") {
			var err error
			p, err = netip.ParsePrefix(s)
			if err != nil {
				l.fail(varTrustedProxies, "invalid CIDR range %q; want e.g. 10.0.0.0/8 or fd00::/8", s)
				continue
			}
			if p.Addr().Zone() != "" {
				l.fail(varTrustedProxies, "%q: zones are not supported", s)
				continue
			}
			if p.Addr().Is4In6() {
				p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
			}
			if p.Masked() != p {
				l.fail(varTrustedProxies, "%q has host bits set; did you mean %s?", s, p.Masked())
				continue
			}
		} else {
			a, err := netip.ParseAddr(s)
			if err != nil || a.Zone() != "" {
				l.fail(varTrustedProxies, "invalid IP address %q; want addresses or CIDR ranges separated by commas", s)
				continue
			}
			a = a.Unmap()
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Bits() == 0 {
			l.fail(varTrustedProxies, "%q trusts every address, so any client could forge its address and scheme; list the load balancer's addresses", s)
			continue
		}
		out = append(out, p)
	}
	if len(out) == 0 && len(l.errs) == before {
		l.fail(varTrustedProxies, "lists no address")
	}
	return out
}

// tlsDomains reads RECC_TLS_DOMAINS: the host names to obtain certificates
// for, lower-cased, each a plain DNS name (no port, wildcard or IP address:
// ACME http-01 and tls-alpn-01 cannot validate those).
func (l *loader) tlsDomains() []string {
	raw := l.str(varTLSDomains, "")
	if raw == "" {
		return nil
	}
	var out []string
	before := len(l.errs)
	seen := map[string]bool{}
	for _, part := range strings.Split(raw, ",") {
		d := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(part), "."))
		if d == "" {
			continue
		}
		if !validHostName(d) {
			l.fail(varTLSDomains, "%q is not a host name; want names such as recipes.example.com (no scheme, port, wildcard or IP address; internationalised names in their xn-- form)", strings.TrimSpace(part))
			continue
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	if len(out) == 0 && len(l.errs) == before {
		l.fail(varTLSDomains, "lists no host name")
	}
	return out
}

// validHostName accepts lower-case DNS names of at least two labels.
func validHostName(h string) bool {
	if len(h) > 253 || !strings.Contains(h, ".") {
		return false
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	// A numeric top-level label would make it look like an address.
	last := h[strings.LastIndexByte(h, '.')+1:]
	return strings.Trim(last, "0123456789") != ""
}

// https reads the settings that only matter with RECC_TLS_DOMAINS, and
// refuses them without it, where they would silently do nothing.
func (l *loader) https(c *Config, env Env, strict bool) {
	c.HTTPSAddr = l.addr(varHTTPSAddr, defHTTPSAddr)
	c.ACMEDirectoryURL = l.optionalURL(varACMEDirectory, "https", "http")
	if strict && strings.HasPrefix(c.ACMEDirectoryURL, "http:") {
		l.fail(varACMEDirectory, "must be https in %s", env)
	}
	if e := l.str(varACMEEmail, ""); e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e || a.Name != "" {
			l.fail(varACMEEmail, "invalid email address %q; want a plain address such as ops@example.com", e)
		} else {
			c.ACMEEmail = e
		}
	}
	if c.TLSEnabled() {
		if strict && c.BaseURL != nil {
			if host := strings.ToLower(c.BaseURL.Hostname()); !containsString(c.TLSDomains, host) {
				l.fail(varTLSDomains, "does not include the host of RECC_BASE_URL (%s); links would point to a name without a certificate", host)
			}
		}
		return
	}
	for _, name := range []string{varHTTPSAddr, varACMEDirectory, varACMEEmail} {
		if l.str(name, "") != "" {
			l.fail(name, "has no effect without RECC_TLS_DOMAINS; unset it, or set RECC_TLS_DOMAINS to obtain certificates")
		}
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func prefixesText(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		if p.IsSingleIP() {
			s[i] = p.Addr().String()
		} else {
			s[i] = p.String()
		}
	}
	return strings.Join(s, ",")
}

// acmeDirectoryText shows the directory without credentials or query.
func acmeDirectoryText(u string) string {
	if u == "" {
		return "Let's Encrypt"
	}
	if p, err := url.Parse(u); err == nil {
		return p.Scheme + "://" + p.Host + p.Path
	}
	return "set"
}
