package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's password storage recommendation (19 MiB,
// 2 passes, 1 lane), which keeps a login near 30 ms on a small server and
// bounds memory under a burst of logins. They are stored in each hash, so
// they can be raised later without invalidating existing passwords.
type hashParams struct {
	memoryKiB uint32
	time      uint32
	threads   uint8
	keyLen    uint32
}

var defaultParams = hashParams{memoryKiB: 19 * 1024, time: 2, threads: 1, keyLen: 32}

// hashing is what new hashes are made with: defaultParams, but in a test
// binary (testing.Testing: never a binary go build makes) the least
// argon2id allows. The tests make an account, and hash its password,
// hundreds of times, and under the race detector a hash at full cost
// takes over a second: minutes of CI that no test looks at. Checking
// reads the parameters from the hash itself, so nothing else differs;
// this file's tests check defaultParams directly.
var hashing = func() hashParams {
	if testing.Testing() {
		return hashParams{memoryKiB: 64, time: 1, threads: 1, keyLen: 32}
	}
	return defaultParams
}()

// ErrMismatch is returned when a password does not match its hash.
var ErrMismatch = errors.New("password does not match")

// HashPassword returns an encoded argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) { return hashWith(hashing, password) }

func hashWith(p hashParams, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read random salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.time, p.memoryKiB, p.threads, p.keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memoryKiB, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword compares password with an encoded hash in constant time.
func CheckPassword(encoded, password string) error {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return err
	}
	got := argon2.IDKey([]byte(password), salt, p.time, p.memoryKiB, p.threads, uint32(len(key)))
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return ErrMismatch
	}
	return nil
}

// dummyHash is compared against when a login names no known account, so
// that the answer takes as long as for a real one and does not reveal which
// usernames exist. It is a constant, made once by HashPassword with
// defaultParams (a test keeps the two in step): computing it at start-up
// cost every command of the binary an argon2 run, and left the server's
// idle heap 19 MiB larger until the memory was returned to the system.
// Neither its salt nor its password is a secret; only its cost matters.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$XvK1YBvmhKkfNFZvj4dRLw$gU1WD7xaDjBYaao4LiX9sn6DMIJPlExE1QIJBS20PI8"

// BurnPasswordCheck spends the time of one password check.
func BurnPasswordCheck(password string) { _ = CheckPassword(dummyHash, password) }

func decodeHash(encoded string) (hashParams, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return hashParams{}, nil, nil, errors.New("unsupported password hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return hashParams{}, nil, nil, errors.New("unsupported argon2 version")
	}
	var p hashParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memoryKiB, &p.time, &p.threads); err != nil {
		return hashParams{}, nil, nil, fmt.Errorf("parse argon2 parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return hashParams{}, nil, nil, fmt.Errorf("decode salt: %w", err)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return hashParams{}, nil, nil, fmt.Errorf("decode key: %w", err)
	}
	return p, salt, key, nil
}
