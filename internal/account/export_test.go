package account

import (
	"time"

	"github.com/reccollection/reccollection/internal/auth"
)

// Test hooks for the external test package (which may import the app).

func SetMFAClock(m *MFA, now func() time.Time) { m.now = now }

func ResetMFAThrottle(m *MFA) { m.limit = auth.NewThrottle(FailuresPerAccountMFA, FailureWindow) }
