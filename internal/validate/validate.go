// Package validate collects field-level problems so that a request with
// several mistakes is answered with all of them at once.
package validate

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldError is one invalid field. Field uses the JSON name with list
// indexes, e.g. "ingredients[2].name".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Errors is a list of field errors; empty means valid.
type Errors []FieldError

// Add records a problem with field.
func (e *Errors) Add(field, format string, args ...any) {
	*e = append(*e, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns e as an error, or nil when there is nothing to report.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return &Error{Fields: e}
}

// Error carries field errors through ordinary error returns.
type Error struct{ Fields Errors }

func (e *Error) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Text checks a free-text value: at most max characters, and no control
// characters other than newline and tab when multiline is true. It returns
// the value trimmed of surrounding white space.
func Text(errs *Errors, field, value string, min, max int, multiline bool) string {
	value = strings.TrimSpace(value)
	n := utf8.RuneCountInString(value)
	switch {
	case !utf8.ValidString(value):
		errs.Add(field, "must be valid UTF-8 text")
	case n < min && min == 1:
		errs.Add(field, "is required")
	case n < min:
		errs.Add(field, "must be at least %d characters", min)
	case n > max:
		errs.Add(field, "must be at most %d characters (got %d)", max, n)
	case hasControl(value, multiline):
		errs.Add(field, "must not contain control characters")
	}
	return value
}

func hasControl(s string, multiline bool) bool {
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// IntRange checks an optional integer.
func IntRange(errs *Errors, field string, v *int, min, max int) {
	if v != nil && (*v < min || *v > max) {
		errs.Add(field, "must be between %d and %d", min, max)
	}
}

// OneOf checks that value is one of the allowed values.
func OneOf[T ~string](errs *Errors, field string, value T, allowed ...T) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	errs.Add(field, "must be one of: %s", strings.Join(names, ", "))
}
