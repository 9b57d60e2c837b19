package account

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
)

// Device cookies (OWASP's "Slow Down Online Guessing Attacks with Device
// Cookies"): a browser that has signed in to an account gets a signed
// token naming that account. Later sign-ins presenting it are throttled on
// that device's own budget, so strangers guessing the password, who share
// the account's budget for unknown devices, cannot lock its owner out.
//
// The token is "payload.mac", both unpadded base64url; the payload is
// "v1|<user id>|<nonce>|<issued, Unix seconds>" and the mac HMAC-SHA256 of
// it under a key derived from RECC_SECRET_KEY. The nonce tells two
// browsers of one account apart (each gets its own budget). Nothing is
// stored on the server: a forged or foreign token simply does not verify.
const (
	// DeviceCookie is the cookie's name.
	DeviceCookie = "recc_device"
	// DeviceLifetime is how long a device stays known without signing in
	// again; each sign-in renews it.
	DeviceLifetime = 365 * 24 * time.Hour
	// maxDeviceTokens bounds the cookie: one browser may remember this
	// many accounts (people share a kitchen tablet), the most recent first.
	maxDeviceTokens = 5
	// maxDeviceCookie ignores absurd cookies before parsing them.
	maxDeviceCookie = 2048
)

// deviceSigner signs and checks device tokens. previous keys still verify
// (RECC_SECRET_KEY_PREVIOUS), so rotating the secret key does not forget
// every device; the next sign-in re-signs under the current key.
type deviceSigner struct {
	current  []byte
	previous [][]byte
}

func newDeviceSigner(secretKey []byte, previousKeys ...[]byte) *deviceSigner {
	d := &deviceSigner{current: deviceMACKey(secretKey)}
	for _, k := range previousKeys {
		d.previous = append(d.previous, deviceMACKey(k))
	}
	return d
}

// deviceMACKey separates this use of the secret key from every other one.
func deviceMACKey(secretKey []byte) []byte {
	m := hmac.New(sha256.New, secretKey)
	m.Write([]byte("reccollection device cookie v1"))
	return m.Sum(nil)
}

func mac(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// issue returns a new token for userID.
func (d *deviceSigner) issue(userID string, now time.Time) string {
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	return d.sign(userID, base64.RawURLEncoding.EncodeToString(nonce), now)
}

func (d *deviceSigner) sign(userID, nonce string, now time.Time) string {
	payload := "v1|" + userID + "|" + nonce + "|" + strconv.FormatInt(now.Unix(), 10)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." +
		base64.RawURLEncoding.EncodeToString(mac(d.current, payload))
}

// deviceToken is a verified token.
type deviceToken struct {
	userID, nonce string
}

// open verifies one token; ok is false for anything forged, malformed or
// older than DeviceLifetime.
func (d *deviceSigner) open(token string, now time.Time) (t deviceToken, ok bool) {
	p64, m64, found := strings.Cut(token, ".")
	if !found {
		return t, false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p64)
	sum, err2 := base64.RawURLEncoding.DecodeString(m64)
	if err1 != nil || err2 != nil {
		return t, false
	}
	valid := hmac.Equal(sum, mac(d.current, string(payload)))
	for _, k := range d.previous {
		valid = valid || hmac.Equal(sum, mac(k, string(payload)))
	}
	if !valid {
		return t, false
	}
	parts := strings.Split(string(payload), "|")
	if len(parts) != 4 || parts[0] != "v1" || parts[1] == "" || parts[2] == "" {
		return t, false
	}
	issued, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil || now.Sub(time.Unix(issued, 0)) > DeviceLifetime {
		return t, false
	}
	return deviceToken{userID: parts[1], nonce: parts[2]}, true
}

// splitDeviceCookie is the tokens of a cookie value, at most
// maxDeviceTokens of them.
func splitDeviceCookie(value string) []string {
	if value == "" || len(value) > maxDeviceCookie {
		return nil
	}
	tokens := strings.Split(value, "~")
	if len(tokens) > maxDeviceTokens {
		tokens = tokens[:maxDeviceTokens]
	}
	return tokens
}

// deviceFor is the nonce of the valid token for userID in the cookie
// value, or "" when this browser is not a known device of that account.
func (d *deviceSigner) deviceFor(cookie, userID string, now time.Time) string {
	for _, tok := range splitDeviceCookie(cookie) {
		if t, ok := d.open(tok, now); ok && t.userID == userID {
			return t.nonce
		}
	}
	return ""
}

// remember returns the cookie value after userID signed in: its token
// first (the same device keeps its nonce, re-signed so it lives another
// DeviceLifetime), then the other accounts' valid tokens.
func (d *deviceSigner) remember(cookie, userID string, now time.Time) string {
	var mine string
	others := make([]string, 0, maxDeviceTokens)
	for _, tok := range splitDeviceCookie(cookie) {
		t, ok := d.open(tok, now)
		switch {
		case !ok:
		case t.userID == userID:
			if mine == "" {
				mine = d.sign(userID, t.nonce, now)
			}
		case len(others) < maxDeviceTokens-1:
			others = append(others, tok)
		}
	}
	if mine == "" {
		mine = d.issue(userID, now)
	}
	return strings.Join(append([]string{mine}, others...), "~")
}

// RememberDevice marks the browser of r as a known device of u after a
// successful sign-in (or registration): it sets the device cookie. The
// cookie is HttpOnly (no script needs it), SameSite=Lax and Secure outside
// development.
func (s *Service) RememberDevice(w http.ResponseWriter, r *http.Request, u *auth.User, secure bool) {
	var current string
	if c, err := r.Cookie(DeviceCookie); err == nil {
		current = c.Value
	}
	http.SetCookie(w, &http.Cookie{
		Name:     DeviceCookie,
		Value:    s.devices.remember(current, u.ID, time.Now()),
		Path:     "/",
		MaxAge:   int(DeviceLifetime / time.Second),
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	})
}
