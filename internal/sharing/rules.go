// Package sharing is share links: a recipe's author hands out an
// unguessable URL (/s/{token}) that shows the recipe read-only to whoever
// holds it — private recipes too, deliberately — lists and revokes them,
// and sends one by email with a short message. The rules (expiry, label,
// address, message) live here once, for the API and the pages; the store
// keeps the links (store.CreateShareLink and the rest), only the hash of
// each token.
package sharing

import (
	"net/mail"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/validate"
)

// Limits of what a person types.
const (
	// MaxLabel is a link's label ("for Grandma"), in characters.
	MaxLabel = 80
	// MaxMessage is the note sent with a link by email, in characters.
	MaxMessage = 500
	// MaxAddress is the longest email address SMTP carries (RFC 5321).
	MaxAddress = 254
	// MaxLifetime is the longest a link may last when it has an expiry:
	// a link meant to last longer is one without expiry, revoked by hand.
	MaxLifetime = 366 * 24 * time.Hour
)

// Expiry is how long a new link lasts: one of the choices of Expiries.
type Expiry string

const (
	ExpiryDay   Expiry = "1d"
	ExpiryWeek  Expiry = "7d"
	ExpiryMonth Expiry = "30d"
	ExpiryYear  Expiry = "365d"
	ExpiryNever Expiry = "never"
)

// Expiries are the choices, in the order a form offers them, with their
// words; DefaultExpiry is the one a form starts with.
var Expiries = []struct {
	Value Expiry
	Label string
	after time.Duration
}{
	{ExpiryDay, "1 day", 24 * time.Hour},
	{ExpiryWeek, "7 days", 7 * 24 * time.Hour},
	{ExpiryMonth, "30 days", 30 * 24 * time.Hour},
	{ExpiryYear, "1 year", 365 * 24 * time.Hour},
	{ExpiryNever, "Never (until revoked)", 0},
}

// DefaultExpiry is what the share panel's forms preselect: a link that
// outlives a conversation but not a year.
const DefaultExpiry = ExpiryMonth

// ExpiryFor turns a choice or a date into the moment a link made at now
// stops working (nil for never). choice "" with date "" is never; a date
// (YYYY-MM-DD, or an RFC 3339 time) is the end of that day in UTC, or
// that time, and must lie after now and within MaxLifetime. Both at once
// is refused. Errors are on field (choice) and dateField.
func ExpiryFor(errs *validate.Errors, field, choice, dateField, date string, now time.Time) *time.Time {
	choice, date = strings.TrimSpace(choice), strings.TrimSpace(date)
	if date != "" {
		if choice != "" && Expiry(choice) != ExpiryNever {
			errs.Add(dateField, "give either an expiry choice or a date, not both")
			return nil
		}
		return expiryDate(errs, dateField, date, now)
	}
	if choice == "" {
		return nil
	}
	for _, e := range Expiries {
		if e.Value == Expiry(choice) {
			if e.after == 0 {
				return nil
			}
			t := now.UTC().Add(e.after)
			return &t
		}
	}
	names := make([]string, len(Expiries))
	for i, e := range Expiries {
		names[i] = string(e.Value)
	}
	errs.Add(field, "must be one of: %s", strings.Join(names, ", "))
	return nil
}

func expiryDate(errs *validate.Errors, field, date string, now time.Time) *time.Time {
	var t time.Time
	if d, err := time.Parse(time.DateOnly, date); err == nil {
		t = d.Add(24*time.Hour - time.Second) // the whole of that day, in UTC
	} else if d, err := time.Parse(time.RFC3339, date); err == nil {
		t = d.UTC()
	} else {
		errs.Add(field, "must be a date (YYYY-MM-DD) or an RFC 3339 time")
		return nil
	}
	switch {
	case !t.After(now):
		errs.Add(field, "must be in the future")
		return nil
	case t.Sub(now) > MaxLifetime:
		errs.Add(field, "must be within a year; for longer, choose no expiry and revoke the link when done")
		return nil
	}
	return &t
}

// Label checks a link's optional label and returns it trimmed.
func Label(errs *validate.Errors, field, label string) string {
	return validate.Text(errs, field, label, 0, MaxLabel, false)
}

// Address checks the recipient of a shared link: one bare address
// (no display name, comment or group, nothing on a second line), so
// nothing a sender types reaches a header but the address itself.
// It answers the address as it will be used.
func Address(errs *validate.Errors, field, addr string) string {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		errs.Add(field, "is required")
		return ""
	}
	if len(addr) > MaxAddress || strings.ContainsAny(addr, "\r\n<>,;\"()\\") || strings.ContainsFunc(addr, isSpaceOrControl) {
		errs.Add(field, "must be one email address, like name@example.com")
		return ""
	}
	parsed, err := mail.ParseAddress(addr)
	if err != nil || parsed.Name != "" || parsed.Address != addr || !strings.Contains(addr[strings.LastIndexByte(addr, '@')+1:], ".") {
		errs.Add(field, "must be one email address, like name@example.com")
		return ""
	}
	return addr
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

// Message checks the optional note sent with a link: at most MaxMessage
// characters, lines allowed, no other control characters. Line breaks are
// made "\n" (text) so the message reads the same in every part.
func Message(errs *validate.Errors, field, msg string) string {
	msg = strings.ReplaceAll(strings.ReplaceAll(msg, "\r\n", "\n"), "\r", "\n")
	return validate.Text(errs, field, msg, 0, MaxMessage, true)
}
