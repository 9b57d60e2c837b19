// Package flags is RecCollection's feature flags: flags are declared in
// code (registry.go) with a default; an operator may override a flag per
// environment in the database, turning it off, on, on for a percentage of
// signed-in users, or on and off for named users. The Evaluator answers
// from a short-lived per-process snapshot of the overrides; because the
// rule is deterministic and the overrides live in the shared database,
// every replica gives the same user the same answer (within the cache
// TTL). The exact rule is on Evaluator.Evaluate and in
// docs/operations.md.
package flags

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/reccollection/reccollection/internal/config"
)

// Flag is one feature flag as declared in the registry.
type Flag struct {
	// Key names the flag everywhere: in code, the database and the CLI.
	Key         string
	Description string
	// Default is the answer wherever no override says otherwise.
	Default bool
	// Owner is who decides about the flag and removes it once the
	// feature is settled (a team or a person).
	Owner string
}

// Override is an environment's setting for one flag.
type Override struct {
	Environment string
	Key         string
	// Enabled false is the kill switch: the flag is off for everyone,
	// the allow list included.
	Enabled bool
	// RolloutPercent (0–100) is the share of signed-in users, outside the
	// lists, for whom an enabled flag is on.
	RolloutPercent int
	// AllowUsers and DenyUsers hold user ids (not usernames).
	AllowUsers []string
	DenyUsers  []string
	UpdatedAt  time.Time
	// UpdatedBy says who made the change (a username, or "cli").
	UpdatedBy string
}

// Limits on an override, checked before it is stored.
const (
	maxKeyLen    = 64
	maxListLen   = 1000
	maxUserIDLen = 64
	maxByLen     = 200
)

var keyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidKey reports whether key is shaped like a flag key (lower-case
// words joined by hyphens).
func ValidKey(key string) bool { return len(key) <= maxKeyLen && keyPattern.MatchString(key) }

// ValidEnvironment reports whether env is one the configuration accepts.
func ValidEnvironment(env string) bool {
	switch config.Env(env) {
	case config.Development, config.Staging, config.Production:
		return true
	}
	return false
}

// ErrInvalid marks an override that may not be stored.
var ErrInvalid = errors.New("invalid flag override")

// Validate checks an override before it is written; the database has the
// same limits as constraints.
func (o *Override) Validate() error {
	var errs []error
	if !ValidEnvironment(o.Environment) {
		errs = append(errs, fmt.Errorf("environment %q is not development, staging or production", o.Environment))
	}
	if !ValidKey(o.Key) {
		errs = append(errs, fmt.Errorf("key %q is not a flag key (lower-case words joined by hyphens, at most %d characters)", o.Key, maxKeyLen))
	}
	if o.RolloutPercent < 0 || o.RolloutPercent > 100 {
		errs = append(errs, fmt.Errorf("rollout %d%% is outside 0–100", o.RolloutPercent))
	}
	for name, list := range map[string][]string{"allow": o.AllowUsers, "deny": o.DenyUsers} {
		if len(list) > maxListLen {
			errs = append(errs, fmt.Errorf("%s list has %d users; at most %d", name, len(list), maxListLen))
		}
		for _, id := range list {
			if id == "" || len(id) > maxUserIDLen {
				errs = append(errs, fmt.Errorf("%s list holds an invalid user id %q", name, id))
				break
			}
		}
	}
	for _, id := range o.AllowUsers {
		if slices.Contains(o.DenyUsers, id) {
			errs = append(errs, fmt.Errorf("user %s is on both the allow and the deny list", id))
			break
		}
	}
	if len(o.UpdatedBy) > maxByLen {
		errs = append(errs, fmt.Errorf("updated_by is longer than %d characters", maxByLen))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrInvalid, errors.Join(errs...))
	}
	return nil
}

// Summary describes the override in a few words, for `flags list` and
// logs: "off", "on", "25%", with list sizes when there are any.
func (o *Override) Summary() string {
	s := fmt.Sprintf("%d%%", o.RolloutPercent)
	switch {
	case !o.Enabled:
		return "off"
	case o.RolloutPercent == 100:
		s = "on"
	}
	if n := len(o.AllowUsers); n > 0 {
		s += fmt.Sprintf(" +%d allowed", n)
	}
	if n := len(o.DenyUsers); n > 0 {
		s += fmt.Sprintf(" -%d denied", n)
	}
	return s
}
