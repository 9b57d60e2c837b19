package auth

import (
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/validate"
)

// Account limits.
const (
	MinPassword    = 8
	MaxPassword    = 256
	MinUsername    = 3
	MaxUsername    = 32
	MaxEmail       = 254
	MaxDisplayName = 80
	MaxBio         = 2000
)

// reservedUsernames would shadow pages or confuse people in a URL such as
// /u/{username}.
var reservedUsernames = map[string]bool{
	"admin": true, "administrator": true, "api": true, "me": true, "new": true, "settings": true,
	"login": true, "logout": true, "register": true, "signup": true, "root": true, "system": true,
	"support": true, "help": true, "about": true, "static": true, "assets": true, "recipes": true,
	"reccollection": true, "anonymous": true, "null": true, "undefined": true,
}

// Registration is what a new account is created from.
type Registration struct {
	Username    string
	Email       string
	Password    string
	DisplayName string
}

// Normalize lower-cases username and email, trims the display name, and
// reports every problem.
func (r *Registration) Normalize() validate.Errors {
	var errs validate.Errors
	r.Username = NormalizeUsername(&errs, "username", r.Username)
	r.Email = NormalizeEmail(&errs, "email", r.Email)
	r.DisplayName = validate.Text(&errs, "display_name", r.DisplayName, 0, MaxDisplayName, false)
	if r.DisplayName == "" {
		r.DisplayName = r.Username
	}
	CheckPasswordRules(&errs, "password", r.Password, r.Username, r.Email)
	return errs
}

// NormalizeUsername checks and lower-cases a username: 3–32 of a–z, 0–9,
// '_', '.', '-', starting with a letter or digit.
func NormalizeUsername(errs *validate.Errors, field, username string) string {
	u := strings.ToLower(strings.TrimSpace(username))
	n := utf8.RuneCountInString(u)
	switch {
	case u == "":
		errs.Add(field, "is required")
	case n < MinUsername || n > MaxUsername:
		errs.Add(field, "must be %d to %d characters", MinUsername, MaxUsername)
	case strings.IndexFunc(u, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-')
	}) >= 0:
		errs.Add(field, "may contain only letters a–z, digits, '_', '.' and '-'")
	case !(u[0] >= 'a' && u[0] <= 'z' || u[0] >= '0' && u[0] <= '9'):
		errs.Add(field, "must start with a letter or digit")
	case reservedUsernames[u]:
		errs.Add(field, "is reserved; choose another")
	}
	return u
}

// NormalizeEmail checks and lower-cases an email address.
func NormalizeEmail(errs *validate.Errors, field, email string) string {
	e := strings.ToLower(strings.TrimSpace(email))
	switch {
	case e == "":
		errs.Add(field, "is required")
	case len(e) > MaxEmail:
		errs.Add(field, "must be at most %d characters", MaxEmail)
	default:
		addr, err := mail.ParseAddress(e)
		// ParseAddress also accepts "Name <a@b>"; only a bare address is
		// an email field's value.
		if err != nil || addr.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
			errs.Add(field, "must be a valid email address such as cook@example.com")
		}
	}
	return e
}

// CheckPasswordRules adds the reason password may not be used by the
// account with username and email, if there is one (PasswordProblem).
func CheckPasswordRules(errs *validate.Errors, field, password, username, email string) {
	if msg := PasswordProblem(password, username, email); msg != "" {
		errs.Add(field, "%s", msg)
	}
}
