package account

import (
	"time"

	"github.com/reccollection/reccollection/internal/ratelimit"
)

// Test hooks for the external test package (which may import the app).

func SetMFAClock(m *MFA, now func() time.Time) { m.now = now }

func ResetMFAThrottle(m *MFA) { m.limiter = ratelimit.NewMemory(0) }

// SetPasswordCheck replaces the password verification of s, so a test can
// count how many attempts reached the hash.
func SetPasswordCheck(s *Service, check func(hash, password string) error) { s.checkPassword = check }
