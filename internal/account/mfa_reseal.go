package account

import (
	"context"
	"fmt"
	"strings"
)

// Rotating RECC_SECRET_KEY: the old key goes into RECC_SECRET_KEY_PREVIOUS,
// so every stored TOTP secret still opens; each is re-encrypted under the
// new key when its owner next signs in with a code (resealOne), or all at
// once by `reccollection secret-key reseal` (ResealAll). Once that reports
// nothing left under an old key, the previous key can be removed.

// ResealReport says what ResealAll did.
type ResealReport struct {
	Resealed  int      // moved from a previous key to the current one
	Current   int      // already under the current key
	Unopened  []string // user ids whose secret no configured key opens
	Conflicts int      // changed meanwhile (re-enrolled): left as they are
}

// ResealAll re-encrypts every stored TOTP secret under the current key. A
// secret that no key opens is listed, not changed: its owner needs
// `reccollection user mfa-reset` and a new enrolment.
func (m *MFA) ResealAll(ctx context.Context) (ResealReport, error) {
	var r ResealReport
	all, err := m.store.SealedTOTPSecrets(ctx)
	if err != nil {
		return r, err
	}
	for _, t := range all {
		resealed, changed, err := m.sealer.Reseal(t.Sealed)
		switch {
		case err != nil:
			r.Unopened = append(r.Unopened, t.UserID)
		case !changed:
			r.Current++
		default:
			ok, err := m.store.ReplaceTOTPSecret(ctx, t.UserID, t.Sealed, resealed)
			if err != nil {
				return r, err
			}
			if ok {
				r.Resealed++
			} else {
				r.Conflicts++
			}
		}
	}
	if len(r.Unopened) > 0 {
		return r, fmt.Errorf("%d TOTP secret(s) open under no configured key (users %s): put the old key in RECC_SECRET_KEY_PREVIOUS, or reset their second factor with `reccollection user mfa-reset`",
			len(r.Unopened), strings.Join(r.Unopened, ", "))
	}
	return r, nil
}

// resealOne moves one user's secret to the current key after it was used
// successfully. It is best effort: a failure leaves the old sealing, which
// still opens while the previous key is configured.
func (m *MFA) resealOne(ctx context.Context, userID, sealed string) {
	if resealed, changed, err := m.sealer.Reseal(sealed); err == nil && changed {
		_, _ = m.store.ReplaceTOTPSecret(ctx, userID, sealed, resealed)
	}
}
