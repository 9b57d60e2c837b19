package media

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

const (
	// MaxKeyLen bounds a whole key; S3 allows 1024 bytes, and the S3 store
	// adds its prefix in front.
	MaxKeyLen = 512
	// maxSegmentLen is NAME_MAX on Linux: a longer segment could be stored
	// in S3 but not on disk, and both stores must accept the same keys.
	maxSegmentLen = 255
)

// reservedPrefix holds the health probe. Every name the stores use for
// themselves (the probe, the file store's temporary files) begins with a
// dot, and keys may not, so a caller can neither read nor clobber them and
// List never shows them.
const reservedPrefix = ".health/"

// ValidateKey reports whether key may name a blob, as an error wrapping
// ErrInvalidKey. A key is 1 to 512 bytes of UTF-8 made of slash-separated
// segments, each 1 to 255 bytes, none beginning with a dot (which also
// rules out "." and ".."), with no leading or trailing slash, backslash,
// NUL or other control character. The rules keep a key inside the store's
// root on every file system and make it valid in S3, whichever store is in
// use, so data can move between them.
func ValidateKey(key string) error {
	if err := validatePath(key); err != nil {
		return fmt.Errorf("%w %q: %s", ErrInvalidKey, truncate(key), err.Error())
	}
	return nil
}

// validatePrefix checks a List prefix: "" (everything), or a key, or a key
// followed by a slash. A partial last segment is a key in its own right.
func validatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if err := validatePath(strings.TrimSuffix(prefix, "/")); err != nil {
		return fmt.Errorf("%w: list prefix %q: %s", ErrInvalidKey, truncate(prefix), err.Error())
	}
	return nil
}

// keyError is a rule a key broke, for the message.
type keyError string

func (e keyError) Error() string { return string(e) }

func validatePath(key string) error {
	switch {
	case key == "":
		return keyError("is empty")
	case len(key) > MaxKeyLen:
		return keyError(fmt.Sprintf("is longer than %d bytes", MaxKeyLen))
	case !utf8.ValidString(key):
		return keyError("is not UTF-8")
	}
	for _, r := range key {
		// Control characters would end up in file names, log lines and
		// HTTP headers; a backslash is a separator on Windows.
		if r < 0x20 || r == 0x7f || r == '\\' {
			return keyError("contains a control character or a backslash")
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch {
		case seg == "":
			return keyError("has an empty segment (leading, trailing or double slash)")
		case seg[0] == '.':
			return keyError("has a segment beginning with a dot")
		case len(seg) > maxSegmentLen:
			return keyError(fmt.Sprintf("has a segment longer than %d bytes", maxSegmentLen))
		}
	}
	return nil
}

// truncate keeps error messages short whatever a caller sent.
func truncate(s string) string {
	const n = 64
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
