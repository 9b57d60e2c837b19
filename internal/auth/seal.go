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
type Sealer struct{ aead cipher.AEAD }

// NewSealer derives the encryption key for purpose from the secret key;
// different purposes get unrelated keys.
func NewSealer(secretKey []byte, purpose string) (*Sealer, error) {
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
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plaintext into printable text.
func (s *Sealer) Seal(plaintext string) string {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawStdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(plaintext), nil))
}

// ErrUnseal means a sealed value was altered or sealed with another key.
var ErrUnseal = errors.New("sealed value cannot be opened")

// Open decrypts what Seal produced.
func (s *Sealer) Open(sealed string) (string, error) {
	b, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", ErrUnseal
	}
	n := s.aead.NonceSize()
	out, err := s.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return "", ErrUnseal
	}
	return string(out), nil
}
