package auth

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTOTPEnrolmentAndQRCode(t *testing.T) {
	e, err := NewTOTP("RecCollection", "ana")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Secret) < 16 || !strings.HasPrefix(e.URL, "otpauth://totp/RecCollection:ana?") || !strings.Contains(e.URL, "secret="+e.Secret) {
		t.Errorf("enrolment %+v", e)
	}
	img, err := TOTPQRCode(e.URL, 200)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := png.Decode(bytes.NewReader(img))
	if err != nil || decoded.Bounds().Dx() != 200 {
		t.Errorf("QR code is not a 200 px PNG: %v", err)
	}
	other, _ := NewTOTP("RecCollection", "ana")
	if other.Secret == e.Secret {
		t.Error("two enrolments share a secret")
	}
}

func TestCheckTOTP(t *testing.T) {
	e, _ := NewTOTP("RecCollection", "ana")
	now := time.Date(2026, 11, 25, 12, 0, 10, 0, time.UTC)
	step := now.Unix() / 30

	got, ok := CheckTOTP(e.Secret, codeAt(t, e.Secret, now), now, 0)
	if !ok || got != step {
		t.Fatalf("current code: step %d ok %v, want %d true", got, ok, step)
	}
	// One step of skew either way is forgiven, two are not.
	if _, ok := CheckTOTP(e.Secret, codeAt(t, e.Secret, now.Add(-30*time.Second)), now, 0); !ok {
		t.Error("previous step's code refused")
	}
	if _, ok := CheckTOTP(e.Secret, codeAt(t, e.Secret, now.Add(30*time.Second)), now, 0); !ok {
		t.Error("next step's code refused")
	}
	if _, ok := CheckTOTP(e.Secret, codeAt(t, e.Secret, now.Add(-90*time.Second)), now, 0); ok {
		t.Error("a code three steps old was accepted")
	}
	// Replay: a code whose step was already used is refused.
	if _, ok := CheckTOTP(e.Secret, codeAt(t, e.Secret, now), now, step); ok {
		t.Error("a used code was accepted again")
	}
	// Spaces are forgiven; junk is not.
	c := codeAt(t, e.Secret, now)
	if _, ok := CheckTOTP(e.Secret, c[:3]+" "+c[3:], now, 0); !ok {
		t.Error("code typed with a space refused")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef", "12345x"} {
		if _, ok := CheckTOTP(e.Secret, bad, now, 0); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	other, _ := NewTOTP("RecCollection", "ben")
	if _, ok := CheckTOTP(other.Secret, c, now, 0); ok {
		t.Error("one user's code works for another's secret")
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, hashes := NewRecoveryCodes(RecoveryCodeCount)
	if len(codes) != RecoveryCodeCount || len(hashes) != RecoveryCodeCount {
		t.Fatalf("got %d codes, %d hashes", len(codes), len(hashes))
	}
	seen := map[string]bool{}
	for i, c := range codes {
		if len(c) != 11 || c[5] != '-' || strings.ContainsAny(c, "01ILO") {
			t.Errorf("code %q is not of the form XXXXX-XXXXX from the unambiguous alphabet", c)
		}
		if seen[c] {
			t.Errorf("duplicate code %q", c)
		}
		seen[c] = true
		if hashes[i] != HashRecoveryCode(c) || HashRecoveryCode(strings.ToLower(strings.ReplaceAll(c, "-", " "))) != hashes[i] {
			t.Errorf("code %q does not hash to its stored form when typed loosely", c)
		}
	}
}

func TestSealer(t *testing.T) {
	s, err := NewSealer([]byte("0123456789abcdef0123456789abcdef"), "totp")
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal("JBSWY3DPEHPK3PXP")
	if strings.Contains(sealed, "JBSWY3DPEHPK3PXP") || sealed == s.Seal("JBSWY3DPEHPK3PXP") {
		t.Error("sealing must hide the value and use a fresh nonce each time")
	}
	if got, err := s.Open(sealed); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := NewSealer([]byte("another secret key of enough length!!"), "totp")
	purpose, _ := NewSealer([]byte("0123456789abcdef0123456789abcdef"), "other")
	tampered := []byte(sealed)
	tampered[len(tampered)-2] ^= 1
	for name, open := range map[string]func() (string, error){
		"other key":     func() (string, error) { return other.Open(sealed) },
		"other purpose": func() (string, error) { return purpose.Open(sealed) },
		"tampered":      func() (string, error) { return s.Open(string(tampered)) },
		"garbage":       func() (string, error) { return s.Open("!!") },
	} {
		if _, err := open(); err != ErrUnseal {
			t.Errorf("%s: got %v, want ErrUnseal", name, err)
		}
	}
	if _, err := NewSealer([]byte("short"), "totp"); err == nil {
		t.Error("a short key was accepted")
	}
}

// Rotating the key: values sealed under the old key still open once it is
// listed as previous, Reseal moves them to the new key, and after the old
// key is dropped only resealed values open.
func TestSealerKeyRotation(t *testing.T) {
	oldKey := []byte("the old secret key, 32 bytes long")
	newKey := []byte("the new secret key, 32 bytes long")
	old, _ := NewSealer(oldKey, "totp")
	sealed := old.Seal("JBSWY3DPEHPK3PXP")

	rotated, err := NewSealer(newKey, "totp", oldKey)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rotated.Open(sealed); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("a value sealed under the previous key: Open = %q, %v", got, err)
	}
	resealed, changed, err := rotated.Reseal(sealed)
	if err != nil || !changed || resealed == sealed {
		t.Fatalf("Reseal of a stale value = changed %v, %v", changed, err)
	}
	if again, changed, err := rotated.Reseal(resealed); err != nil || changed || again != resealed {
		t.Errorf("Reseal of a current value changed it (%v, %v)", changed, err)
	}

	newOnly, _ := NewSealer(newKey, "totp")
	if got, err := newOnly.Open(resealed); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Errorf("the resealed value under the new key alone: %q, %v", got, err)
	}
	if _, err := newOnly.Open(sealed); err != ErrUnseal {
		t.Errorf("the old value opened without its key: %v", err)
	}
	if _, _, err := newOnly.Reseal("!!"); err != ErrUnseal {
		t.Errorf("Reseal of garbage: %v", err)
	}
	if _, err := NewSealer(newKey, "totp", []byte("short")); err == nil {
		t.Error("a short previous key was accepted")
	}
}
