package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// Sealer encrypts small secrets kept in the database (TOTP secrets) with a
// key derived from RECC_SECRET_KEY, so a copy of the database alone does
// not yield working second factors. AES-256-GCM authenticates as well as
// encrypts: a tampered value fails to open.
//
// A sealer may also hold previous keys (RECC_SECRET_KEY_PREVIOUS): values
// sealed under them still open, so the key can be rotated without locking
// anyone out, and Reseal moves a value to the current key.
type Sealer struct {
	current  cipher.AEAD
	previous []cipher.AEAD
}

// NewSealer derives the encryption key for purpose from the secret key
// (and from each previous key); different purposes get unrelated keys.
func NewSealer(secretKey []byte, purpose string, previousKeys ...[]byte) (*Sealer, error) {
	cur, err := newAEAD(secretKey, purpose)
	if err != nil {
		return nil, err
	}
	s := &Sealer{current: cur}
	for i, k := range previousKeys {
		a, err := newAEAD(k, purpose)
		if err != nil {
			return nil, fmt.Errorf("previous key %d: %w", i+1, err)
		}
		s.previous = append(s.previous, a)
	}
	return s, nil
}

func newAEAD(secretKey []byte, purpose string) (cipher.AEAD, error) {
	if len(secretKey) < 16 {
		return nil, errors.New("secret key too short to derive an encryption key")
	}
	k := sha256.Sum256(append([]byte("reccollection seal v1\x00"+purpose+"\x00"), secretKey...))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, fmt.Errorf("create cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("create GCM: %w", err)
	}
	return aead, nil
}

// Seal encrypts plaintext into printable text, always under the current key.
func (s *Sealer) Seal(plaintext string) string {
	nonce := make([]byte, s.current.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawStdEncoding.EncodeToString(s.current.Seal(nonce, nonce, []byte(plaintext), nil))
}

// ErrUnseal means a sealed value was altered or sealed with another key.
var ErrUnseal = errors.New("sealed value cannot be opened")

// Open decrypts what Seal produced, under the current or a previous key.
func (s *Sealer) Open(sealed string) (string, error) {
	out, _, err := s.open(sealed)
	return out, err
}

// Reseal returns sealed re-encrypted under the current key, and whether it
// had to change (false when it was sealed under the current key already).
func (s *Sealer) Reseal(sealed string) (resealed string, changed bool, err error) {
	out, stale, err := s.open(sealed)
	if err != nil || !stale {
		return sealed, false, err
	}
	return s.Seal(out), true, nil
}

// open reports whether only a previous key opened the value.
func (s *Sealer) open(sealed string) (plaintext string, stale bool, err error) {
	b, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(b) < s.current.NonceSize() {
		return "", false, ErrUnseal
	}
	n := s.current.NonceSize()
	for i, a := range append([]cipher.AEAD{s.current}, s.previous...) {
		if out, err := a.Open(nil, b[:n], b[n:], nil); err == nil {
			return string(out), i > 0, nil
		}
	}
	return "", false, ErrUnseal
}
