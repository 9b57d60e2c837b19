package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/reccollection/reccollection/internal/auth"
)

// AnswerSealPurpose names the key, derived from RECC_SECRET_KEY, under which
// the answers kept for Idempotency-Key retries are sealed; no other sealed
// value shares it.
const AnswerSealPurpose = "idempotent answers"

// WithAnswerSealer sets the sealer of the answers kept for retries (one
// made with AnswerSealPurpose from the secret key, and the previous keys so
// that answers sealed before a rotation still replay). Without it each
// process seals under a random key of its own, which is enough for tests
// of one server but not for replicas sharing a database.
func (a *API) WithAnswerSealer(s *auth.Sealer) *API {
	a.answers = s
	return a
}

func randomAnswerSealer() *auth.Sealer {
	s, err := auth.NewSealer([]byte(auth.NewSecret()), AnswerSealPurpose)
	if err != nil {
		panic(err) // a fresh secret is always long enough
	}
	return s
}

// Every answer kept for a retry is sealed (AES-GCM, auth.Sealer): the
// token routes' answers carry a secret shown once (an API token, a session
// cookie), and sealing them all costs microseconds and leaves no route to
// forget. A database copy alone therefore yields no answer.
//
// The recorded fingerprint of a sealed answer starts with sealedPrefix (or
// is an argon2id hash, in the anonymous scope); the previous release,
// which compares fingerprints for equality and replays bodies as they are,
// can never match one, so a retry that reaches it during a rollout or after
// a rollback is refused rather than answered with ciphertext. Records that
// release wrote (a bare SHA-256, a clear body) still replay here.
const (
	sealedPrefix     = "sealed:"
	sealedBodyPrefix = "sealed:v1:"
)

// sealedAnswer is what is sealed: the body and the cookies the answer set
// (registration and sign-in start a session).
type sealedAnswer struct {
	Body      []byte   `json:"body"`
	SetCookie []string `json:"set_cookie,omitempty"`
}

func (a *API) sealAnswer(body []byte, h http.Header) ([]byte, error) {
	plain, err := json.Marshal(sealedAnswer{Body: body, SetCookie: h.Values("Set-Cookie")})
	if err != nil {
		return nil, fmt.Errorf("seal answer: %w", err)
	}
	return []byte(sealedBodyPrefix + a.answers.Seal(string(plain))), nil
}

// openAnswer returns a recorded answer's body and cookies; a body without
// the sealed prefix was recorded in clear by an earlier release.
func (a *API) openAnswer(stored []byte) (sealedAnswer, error) {
	if !bytes.HasPrefix(stored, []byte(sealedBodyPrefix)) {
		return sealedAnswer{Body: stored}, nil
	}
	plain, err := a.answers.Open(string(stored[len(sealedBodyPrefix):]))
	if err != nil {
		return sealedAnswer{}, fmt.Errorf("open recorded answer: %w", err)
	}
	var out sealedAnswer
	if err := json.Unmarshal([]byte(plain), &out); err != nil {
		return sealedAnswer{}, fmt.Errorf("open recorded answer: %w", err)
	}
	return out, nil
}

// userFingerprint is a signed-in user's request: the SHA-256 of its method,
// path and body, compared for equality. Nothing in it is secret.
type userFingerprint string

func (f userFingerprint) Matches(recorded string) bool {
	return recorded == sealedPrefix+string(f) || recorded == string(f)
}

func (f userFingerprint) Record() (string, error) { return sealedPrefix + string(f), nil }

// anonymousFingerprint is a registration's or sign-in's request, whose body
// holds a password: what is recorded is an argon2id hash of its SHA-256
// with a random salt, like a password hash, so the table is no easier to
// guess passwords from than the users table. It is computed only for a
// request that succeeded, and checked only when a record with the key
// exists.
type anonymousFingerprint string

func (f anonymousFingerprint) Matches(recorded string) bool {
	return auth.CheckPassword(recorded, string(f)) == nil
}

func (f anonymousFingerprint) Record() (string, error) { return auth.HashPassword(string(f)) }
