package store

import (
	"errors"
	"testing"
)

// FailMigrationWithin makes the migration of version fail inside Reload's
// transaction (up or down) until the test ends.
func FailMigrationWithin(t testing.TB, version int64) {
	applyWithinHook = func(v int64, up bool) error {
		if v == version {
			return errors.New("migration failed on purpose")
		}
		return nil
	}
	t.Cleanup(func() { applyWithinHook = nil })
}
