package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP follows RFC 6238 with the parameters every authenticator app
// supports: SHA-1, six digits, 30-second steps. One step of clock skew is
// accepted either way.
const (
	totpPeriod = 30
	totpSkew   = 1
	// RecoveryCodeCount is how many one-time recovery codes a user gets.
	RecoveryCodeCount = 10
)

// TOTPEnrolment is a new secret waiting for its first code.
type TOTPEnrolment struct {
	Secret string // base32, shown for manual entry
	URL    string // otpauth:// URL, encoded in the QR code
}

// NewTOTP makes a secret for account (the username) under issuer.
func NewTOTP(issuer, account string) (TOTPEnrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return TOTPEnrolment{}, fmt.Errorf("generate TOTP secret: %w", err)
	}
	return TOTPEnrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// TOTPQRCode renders an otpauth URL as a PNG QR code of size×size pixels.
func TOTPQRCode(url string, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(url)
	if err != nil {
		return nil, fmt.Errorf("parse otpauth URL: %w", err)
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, fmt.Errorf("draw QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode QR code: %w", err)
	}
	return buf.Bytes(), nil
}

// CheckTOTP reports whether code is valid for secret at now, and which
// time step it belongs to. A code whose step is not after lastStep is
// refused: each code works once, so one seen over a shoulder or in a log
// cannot be replayed.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	for d := -totpSkew; d <= totpSkew; d++ {
		s := current + int64(d)
		if s <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totp.ValidateOpts{
			Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtleEqual(want, code) {
			return s, true
		}
	}
	return 0, false
}

func subtleEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// recoveryAlphabet has no look-alike characters (no 0/O, 1/I/L).
const recoveryAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// NewRecoveryCodes returns n one-time codes as shown to the user
// ("ABCDE-FGHJK") and their hashes as stored. Ten characters of a
// 31-letter alphabet carry 49 bits of randomness, so a plain SHA-256 is
// enough to store them.
func NewRecoveryCodes(n int) (codes, hashes []string) {
	for range n {
		var c [10]byte
		for i := 0; i < len(c); {
			var b [1]byte
			_, _ = rand.Read(b[:])
			// Rejection sampling keeps every letter equally likely.
			if int(b[0]) < 256/len(recoveryAlphabet)*len(recoveryAlphabet) {
				c[i] = recoveryAlphabet[int(b[0])%len(recoveryAlphabet)]
				i++
			}
		}
		code := string(c[:5]) + "-" + string(c[5:])
		codes = append(codes, code)
		hashes = append(hashes, HashRecoveryCode(code))
	}
	return codes, hashes
}

// HashRecoveryCode normalises a typed code (case, spaces, dash) and hashes it.
func HashRecoveryCode(code string) string {
	c := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte("recc-recovery:" + c))
	return hex.EncodeToString(sum[:])
}
