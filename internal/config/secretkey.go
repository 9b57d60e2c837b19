package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const (
	minSecretKeyLen    = 32
	generatedKeyBytes  = 32
	keyGenerateCommand = "`openssl rand -hex 32`"
)

// placeholderWords are the pieces people glue together when a template asks
// for a key ("change-me", "my-secret-key", "secretsecret…"). Every word
// contains a letter outside a–f, so no hex key can be made of them alone.
var placeholderWords = []string{
	"change", "changeme", "me", "my", "your", "this", "please", "replace",
	"secret", "key", "password", "pass", "default", "example", "placeholder",
	"test", "insecure", "dev", "development", "todo", "xxx", "foo", "bar",
}

// isPlaceholderKey reports keys that are obviously not random. It is a
// guard against copied templates, not a strength meter.
func isPlaceholderKey(key []byte) bool {
	if len(key) == 0 {
		return true
	}
	if strings.Count(string(key), string(key[:1])) == len(key) {
		return true
	}
	s := strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '.', ' ', ':', '/':
			return -1
		}
		return r
	}, strings.ToLower(string(key)))
	if s == "" {
		return true
	}
	// Word break: can s be split entirely into placeholder words?
	ok := make([]bool, len(s)+1)
	ok[0] = true
	for i := 1; i <= len(s); i++ {
		for _, w := range placeholderWords {
			if len(w) <= i && ok[i-len(w)] && s[i-len(w):i] == w {
				ok[i] = true
				break
			}
		}
	}
	return ok[len(s)]
}

// readSecretKeyFile returns the key stored in dir by an earlier start, or
// (nil, nil) when there is none yet. It has no side effects so that Load can
// call it before knowing whether the configuration is valid.
func readSecretKeyFile(dir string) ([]byte, error) {
	path := filepath.Join(dir, secretKeyFileName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %s", path, pathErrorReason(err))
	}
	key := strings.TrimSpace(string(b))
	raw, err := hex.DecodeString(key)
	if err != nil || len(raw) < generatedKeyBytes {
		// Regenerating would silently invalidate every session and token
		// signed with the old key, so ask the operator instead.
		return nil, fmt.Errorf("%s is not a valid key (want %d hex-encoded bytes); delete it to generate a new one", path, generatedKeyBytes)
	}
	return []byte(key), nil
}

// createSecretKeyFile generates a key and stores it in dir. The key is the
// hex text itself, not the decoded bytes, so that copying the file's content
// into RECC_SECRET_KEY later yields the same key.
func createSecretKeyFile(dir string) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create data directory %s: %s", dir, pathErrorReason(err))
	}
	raw := make([]byte, generatedKeyBytes)
	_, _ = rand.Read(raw) // never fails since Go 1.24
	key := hex.EncodeToString(raw)
	path := filepath.Join(dir, secretKeyFileName)

	// Write to a temporary file and hard-link it into place: the link fails
	// if another process (e.g. `migrate` started next to `serve`) won the
	// race, and nobody ever reads a half-written key.
	err := writeViaLink(dir, path, key+"\n")
	if errors.Is(err, fs.ErrExist) {
		existing, rerr := readSecretKeyFile(dir)
		if rerr != nil {
			return nil, rerr
		}
		if existing != nil {
			return existing, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %s", path, pathErrorReason(err))
	}
	return []byte(key), nil
}

func writeViaLink(dir, path, content string) error {
	tmp, err := os.CreateTemp(dir, "."+secretKeyFileName+"-*") // mode 0600
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	err = os.Link(tmp.Name(), path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	// Some file systems have no hard links; O_EXCL keeps the no-overwrite
	// guarantee at the cost of a tiny window where the file is incomplete.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(content); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// pathErrorReason drops the path from an *fs.PathError because callers put
// the path in their own message.
func pathErrorReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
