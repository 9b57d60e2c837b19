package auth

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The password policy follows NIST SP 800-63B (5.1.1.2): length matters,
// composition rules do not; a password is refused only when it is too
// short or long, blank, or predictable: one of the most common passwords,
// built from the account's own name or email or the site's name, or a
// simple pattern. Each refusal says why, because a person who knows the
// reason picks a better password rather than a cleverly mangled one.

// Reasons a password is refused, as field messages ("Password …").
var (
	PasswordTooShort = fmt.Sprintf("must be at least %d characters", MinPassword)
	PasswordTooLong  = fmt.Sprintf("must be at most %d characters", MaxPassword)
)

const (
	PasswordNotUTF8    = "must be valid UTF-8 text"
	PasswordBlank      = "must not be only spaces"
	PasswordIsAccount  = "must not be the same as your username or email"
	PasswordCommon     = "is one of the most common passwords, which attackers try first; choose one that others would not guess"
	PasswordCommonPlus = "is a common password with a few characters added, which attackers try early; choose one that others would not guess"
	PasswordPattern    = "follows a simple pattern (repeated or consecutive characters or keys, like aaaaaaaa, 12345678 or qwertyui); choose something less predictable"
	passwordBuiltFrom  = "is built from %s; choose something unrelated to it"
)

// siteName is the word every password on this site is first guessed with.
const siteName = "reccollection"

// minOwnLetters is how many letters a password must keep once the words it
// borrows from the account (username, email) or the site are taken out,
// with digits, punctuation and spaces: "alice1990!" keeps none.
const minOwnLetters = 5

// PasswordProblem returns why password may not be used by the account with
// username and email, or "" if it may. It reports one reason, the first
// that applies.
func PasswordProblem(password, username, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return PasswordNotUTF8
	case n < MinPassword:
		return PasswordTooShort
	case n > MaxPassword:
		return PasswordTooLong
	case strings.TrimSpace(password) == "":
		return PasswordBlank
	}
	p := strings.ToLower(password)
	username, email = strings.ToLower(strings.TrimSpace(username)), strings.ToLower(strings.TrimSpace(email))
	if p == username || p == email {
		return PasswordIsAccount
	}
	if what := builtFrom(p, username, email); what != "" {
		return fmt.Sprintf(passwordBuiltFrom, what)
	}
	if isPattern(p) {
		return PasswordPattern
	}
	if isCommonPassword(p) {
		return PasswordCommon
	}
	// The same with digits or punctuation added at either end.
	notAlnum := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	for _, core := range []string{strings.TrimFunc(p, notAlnum), strings.TrimFunc(p, notLetter)} {
		if core != p && utf8.RuneCountInString(core) >= MinPassword && isCommonPassword(core) {
			return PasswordCommonPlus
		}
	}
	return ""
}

// builtFrom names what p is made of when it keeps fewer than minOwnLetters
// letters of its own after the username, the email (whole, its local part
// and the local part's pieces) and the site's name are taken out. Only
// words of three letters or more count, so a short name does not eat
// ordinary words. It returns "" when p is not built from them.
func builtFrom(p, username, email string) string {
	type source struct {
		what  string
		words []string
	}
	local, _, _ := strings.Cut(email, "@")
	sources := []source{
		{"your username", withPieces(username)},
		{"your email address", append([]string{email}, withPieces(local)...)},
		{"the site's name", []string{siteName}},
	}
	rest, found := p, ""
	for _, src := range sources {
		for _, w := range src.words {
			if utf8.RuneCountInString(w) < 3 || !strings.Contains(rest, w) {
				continue
			}
			rest = strings.ReplaceAll(rest, w, " ")
			if found == "" {
				found = src.what
			}
		}
	}
	if found == "" {
		return ""
	}
	letters := 0
	for _, r := range rest {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters >= minOwnLetters {
		return ""
	}
	return found
}

// withPieces is s and, when s is made of several words joined by
// punctuation ("jane.doe", "jane_doe-1"), each of them, longest first so
// that the whole is taken out before its parts.
func withPieces(s string) []string {
	if s == "" {
		return nil
	}
	out := []string{s}
	pieces := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(pieces) > 1 {
		out = append(out, pieces...)
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// Relations between neighbouring characters of a pattern, as bits so that
// a pair may have several (g→h is both the next letter and the next key).
const (
	relSame = 1 << iota
	relUp
	relDown
	relKeyRight
	relKeyLeft
)

// keyboardRows are runs people type without thinking: the number row and
// the letter rows of QWERTY, QWERTZ and AZERTY keyboards.
var keyboardRows = []string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "yxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn"}

func relation(a, b rune) int {
	rel := 0
	switch b - a {
	case 0:
		rel |= relSame
	case 1:
		rel |= relUp
	case -1:
		rel |= relDown
	}
	for _, row := range keyboardRows {
		if i := strings.IndexRune(row, a); i >= 0 {
			if i+1 < len(row) && rune(row[i+1]) == b {
				rel |= relKeyRight
			}
			if i > 0 && rune(row[i-1]) == b {
				rel |= relKeyLeft
			}
		}
	}
	return rel
}

// isPattern reports whether p repeats a unit of at most half its length
// ("abcabcab", "passwordpassword") or is at most two runs of repeated,
// consecutive or neighbouring-key characters ("aaaaaaaa", "12345678",
// "abcd4321", "qwerty12", "aaaa1111").
func isPattern(p string) bool {
	rs := []rune(p)
	n := len(rs)
	for k := 1; k <= n/2; k++ {
		repeats := true
		for i := k; i < n && repeats; i++ {
			repeats = rs[i] == rs[i-k]
		}
		if repeats {
			return true
		}
	}
	runs := 0
	for i := 0; i < n; runs++ {
		if runs == 2 {
			return false
		}
		// The run is rs[i:j]: it grows while one relation holds for every
		// pair in it; the rune that breaks it starts the next run.
		j, mask := i+1, relSame|relUp|relDown|relKeyRight|relKeyLeft
		for ; j < n; j++ {
			m := mask & relation(rs[j-1], rs[j])
			if m == 0 {
				break
			}
			mask = m
		}
		i = j
	}
	return true
}

//go:embed commonpasswords/passwords.txt.gz
var commonPasswordsGz []byte

// commonPasswords is the embedded list (commonpasswords/README.md), sorted
// bytewise, decompressed on first use.
var commonPasswords = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic("auth: embedded common-password list: " + err.Error())
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		panic("auth: embedded common-password list: " + err.Error())
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
})

// isCommonPassword reports whether the lower-cased p is on the list.
func isCommonPassword(p string) bool {
	_, found := slices.BinarySearch(commonPasswords(), p)
	return found
}
