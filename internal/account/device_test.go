package account

import (
	"strings"
	"testing"
	"time"
)

func TestDeviceTokens(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	d := newDeviceSigner([]byte("the-current-secret-key-0123456789"))

	cookie := d.remember("", "user-a", now)
	nonceA := d.deviceFor(cookie, "user-a", now)
	if nonceA == "" {
		t.Fatal("a fresh token does not verify")
	}
	if d.deviceFor(cookie, "user-b", now) != "" {
		t.Error("a token for user-a counts as a device of user-b")
	}
	// A second account on the same browser joins the cookie; signing in
	// again keeps each device's nonce (its budget) and renews its date.
	cookie = d.remember(cookie, "user-b", now)
	later := now.Add(DeviceLifetime - time.Hour)
	cookie = d.remember(cookie, "user-a", later)
	if d.deviceFor(cookie, "user-a", later) != nonceA || d.deviceFor(cookie, "user-b", later) == "" {
		t.Errorf("after two accounts signed in, cookie %q lost one", cookie)
	}
	// user-b's token was not renewed: it lapses after DeviceLifetime.
	if d.deviceFor(cookie, "user-b", now.Add(DeviceLifetime+time.Hour)) != "" {
		t.Error("a token older than DeviceLifetime still verifies")
	}
	// At most maxDeviceTokens accounts are remembered, the latest first.
	for i := range 2 * maxDeviceTokens {
		cookie = d.remember(cookie, "user-"+string(rune('c'+i)), later)
	}
	if n := strings.Count(cookie, "~") + 1; n != maxDeviceTokens {
		t.Errorf("cookie holds %d tokens, want %d", n, maxDeviceTokens)
	}

	// Tampering: another user id under the same mac, or another key.
	payload, sum, _ := strings.Cut(d.remember("", "user-a", now), ".")
	forged := strings.Replace(payload, "dXNlci1h", "dXNlci1i", 1) + "." + sum
	if d.deviceFor(forged, "user-b", now) != "" {
		t.Error("a token with its user changed verifies")
	}
	other := newDeviceSigner([]byte("another-secret-key-0123456789abcd"))
	if other.deviceFor(d.remember("", "user-a", now), "user-a", now) != "" {
		t.Error("a token verifies under an unrelated key")
	}
	// Rotation: the previous key still verifies; the next sign-in re-signs.
	if d.deviceFor(cookie, "user-a", later) != "" {
		t.Error("the oldest account was not dropped from a full cookie")
	}
	cookie = d.remember("", "user-a", now)
	nonceA = d.deviceFor(cookie, "user-a", now)
	rotated := newDeviceSigner([]byte("the-next-secret-key-0123456789abc"), []byte("the-current-secret-key-0123456789"))
	if rotated.deviceFor(cookie, "user-a", now) != nonceA {
		t.Error("a token signed under the previous key does not verify after rotation")
	}
	resigned := rotated.remember(cookie, "user-a", now)
	if newDeviceSigner([]byte("the-next-secret-key-0123456789abc")).deviceFor(resigned, "user-a", now) != nonceA {
		t.Error("signing in after rotation did not re-sign the device under the new key")
	}
}
