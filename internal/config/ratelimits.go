package config

import "strings"

func (l *loader) onOff(name string, def bool) bool {
	raw := l.str(name, "")
	switch strings.ToLower(raw) {
	case "":
		return def
	case "on":
		return true
	case "off":
		return false
	}
	l.fail(name, "must be on or off, not %q", raw)
	return def
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// redisKeyPrefix is short and plain, so keys stay readable in redis-cli.
func (l *loader) redisKeyPrefix() string {
	p := l.str(varRedisKeyPrefix, defRedisKeyPrefix)
	if len(p) > 64 || strings.ContainsAny(p, " \t\r\n*?[]") {
		l.fail(varRedisKeyPrefix, "must be at most 64 characters without spaces or glob characters")
		return defRedisKeyPrefix
	}
	return p
}
