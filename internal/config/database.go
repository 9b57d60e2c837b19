package config

import (
	"net"
	"net/url"
	"strings"
)

// weakDBPasswords are the passwords of docker-compose files and tutorials;
// in production they mean somebody forgot to set a real one.
var weakDBPasswords = []string{"postgres", "password", "changeme", "secret", "admin"}

// Never echo url.Parse errors for these URLs: they quote the input, and a
// password containing '#' or '/' ends up in the "invalid port" message.
const reasonInvalidPostgresURL = "is not a valid URL; percent-encode special characters such as @ : / # ? in the user name and password"

func hasPostgresScheme(s string) bool {
	// Case-sensitive on purpose: pgx only recognises these exact prefixes
	// and would otherwise try to parse the URL as a key=value DSN.
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// checkPostgresURL returns the reasons raw is unacceptable, or nil.
func checkPostgresURL(raw string, env Env) []string {
	if !hasPostgresScheme(raw) {
		return []string{"must start with postgres:// or postgresql://"}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return []string{reasonInvalidPostgresURL}
	}
	if env != Production {
		return nil
	}
	var reasons []string
	q := u.Query()
	passwords := q["password"]
	if u.User != nil {
		if p, ok := u.User.Password(); ok {
			passwords = append(passwords, p)
		}
	}
	for _, p := range passwords {
		if isWeakDBPassword(p) {
			reasons = append(reasons, "uses a default or well-known password; set a strong password in production")
			break
		}
	}
	for _, mode := range q["sslmode"] {
		if strings.EqualFold(mode, "disable") && !allHostsLocal(u) {
			reasons = append(reasons, "sslmode=disable sends credentials and data unencrypted; in production it is allowed only for localhost or a unix socket, use sslmode=verify-full or require")
			break
		}
	}
	return reasons
}

func isWeakDBPassword(p string) bool {
	for _, w := range weakDBPasswords {
		if strings.EqualFold(p, w) {
			return true
		}
	}
	return false
}

// allHostsLocal considers both the URL authority and the host query
// parameter, each possibly a comma-separated multi-host list as libpq and
// pgx accept. An empty host means the default unix socket.
func allHostsLocal(u *url.URL) bool {
	hosts := strings.Split(u.Host, ",")
	for _, h := range u.Query()["host"] {
		hosts = append(hosts, strings.Split(h, ",")...)
	}
	for _, h := range hosts {
		if !isLocalHost(h) {
			return false
		}
	}
	return true
}

func isLocalHost(h string) bool {
	if strings.HasPrefix(h, "/") || h == "" {
		return true
	}
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if strings.EqualFold(h, "localhost") || h == "" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// splitReplicaURLs splits on commas but glues back pieces that do not start
// a new URL, because a single multi-host postgres URL contains commas too
// (postgres://a:5432,b:5432/db).
func splitReplicaURLs(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		p := strings.TrimSpace(part)
		if p == "" {
			continue
		}
		if len(out) > 0 && !strings.Contains(p, "://") {
			out[len(out)-1] += "," + p
			continue
		}
		out = append(out, p)
	}
	return out
}

// redactPostgresURL hides the password in the authority and in a password
// query parameter, keeping host and database visible for debugging.
func redactPostgresURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "set (unparsable)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
