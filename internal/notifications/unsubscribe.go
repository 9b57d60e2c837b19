package notifications

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/reccollection/reccollection/internal/store"
)

// Unsubscribe links: /unsubscribe/{token}, where the token is the
// recipient's id and a kind ("digest" for the daily digest) signed with a
// key derived from RECC_SECRET_KEY, so the link works without signing in
// and cannot be made for anybody else. It does not expire: an old email's
// link should still stop the emails. RECC_SECRET_KEY_PREVIOUS still
// verifies, so rotating the key does not break the links already sent.

// UnsubscribePath is where unsubscribe links point.
const UnsubscribePath = "/unsubscribe/"

// DigestKind is the token's kind of a digest email: unsubscribing from it
// stops every kind's digest.
const DigestKind store.NotificationKind = "digest"

type signer struct {
	current  []byte
	previous [][]byte
}

// unsubscribeKey separates this use of the secret key from every other.
func unsubscribeKey(secretKey []byte) []byte {
	m := hmac.New(sha256.New, secretKey)
	m.Write([]byte("reccollection unsubscribe link v1"))
	return m.Sum(nil)
}

func newSigner(secretKey []byte, previousKeys ...[]byte) *signer {
	s := &signer{current: unsubscribeKey(secretKey)}
	for _, k := range previousKeys {
		s.previous = append(s.previous, unsubscribeKey(k))
	}
	return s
}

func sum(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return m.Sum(nil)[:20]
}

var b64 = base64.RawURLEncoding

// token signs userID and kind: payload.mac, both base64url.
func (s *signer) token(userID string, kind store.NotificationKind) string {
	payload := userID + "/" + string(kind)
	return b64.EncodeToString([]byte(payload)) + "." + b64.EncodeToString(sum(s.current, payload))
}

// open checks token and answers what it names.
func (s *signer) open(token string) (userID string, kind store.NotificationKind, ok bool) {
	if len(token) > 200 {
		return "", "", false
	}
	p, m, found := strings.Cut(token, ".")
	if !found {
		return "", "", false
	}
	payload, err1 := b64.DecodeString(p)
	mac, err2 := b64.DecodeString(m)
	if err1 != nil || err2 != nil {
		return "", "", false
	}
	valid := hmac.Equal(mac, sum(s.current, string(payload)))
	for _, k := range s.previous {
		valid = valid || hmac.Equal(mac, sum(k, string(payload)))
	}
	if !valid {
		return "", "", false
	}
	id, k, found := strings.Cut(string(payload), "/")
	kind = store.NotificationKind(k)
	if !found || id == "" || (kind != DigestKind && !store.ValidKind(kind)) {
		return "", "", false
	}
	return id, kind, true
}
