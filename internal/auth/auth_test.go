package auth

import (
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/validate"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	if hashing == defaultParams {
		t.Error("a test binary hashes at full cost")
	}
	h, err := hashWith(defaultParams, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id in PHC format with the chosen parameters", h)
	}
	if err := CheckPassword(h, "correct horse battery staple"); err != nil {
		t.Errorf("right password refused: %v", err)
	}
	if err := CheckPassword(h, "correct horse battery stapl"); err != ErrMismatch {
		t.Errorf("wrong password: got %v, want ErrMismatch", err)
	}
	h2, _ := hashWith(defaultParams, "correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=x$c2FsdA$a2V5", "$argon2id$v=19$m=1,t=1,p=1$!!$a2V5"} {
		if err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("CheckPassword(%q) accepted a malformed hash", bad)
		}
	}
}

func TestSecretsAndHashes(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b || len(a) != 43 {
		t.Errorf("secrets %q %q: want distinct 43-character values", a, b)
	}
	tok := NewAPIToken()
	if !strings.HasPrefix(tok, TokenPrefix) {
		t.Errorf("token %q lacks prefix", tok)
	}
	h := HashSecret(a)
	if h == a || len(h) != 64 || h == HashSecret(b) {
		t.Error("HashSecret must be a 64-hex digest, different from its input and for different inputs")
	}
	// The known SHA-256 of "abc" pins the algorithm: stored hashes must
	// stay valid across releases.
	if got := HashSecret("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashSecret(abc) = %s", got)
	}
}

func fields(errs validate.Errors) map[string]string {
	m := map[string]string{}
	for _, e := range errs {
		m[e.Field] = e.Message
	}
	return m
}

func TestRegistrationRules(t *testing.T) {
	ok := Registration{Username: " Ana_Cook ", Email: " Ana@Example.COM ", Password: "a long passphrase"}
	if errs := ok.Normalize(); len(errs) != 0 {
		t.Fatalf("valid registration refused: %v", errs)
	}
	if ok.Username != "ana_cook" || ok.Email != "ana@example.com" || ok.DisplayName != "ana_cook" {
		t.Errorf("normalised to %+v", ok)
	}
	cases := []struct {
		name  string
		reg   Registration
		field string
	}{
		{"short password", Registration{"ana", "ana@example.com", "1234567", ""}, "password"},
		{"long password", Registration{"ana", "ana@example.com", strings.Repeat("x", 257), ""}, "password"},
		{"password is username", Registration{"anacook", "ana@example.com", "ANACOOK", ""}, "password"},
		{"password is email", Registration{"ana", "ana@example.com", "ana@example.com", ""}, "password"},
		{"short username", Registration{"ab", "ana@example.com", "a long passphrase", ""}, "username"},
		{"long username", Registration{strings.Repeat("a", 33), "ana@example.com", "a long passphrase", ""}, "username"},
		{"bad characters", Registration{"ana cook", "ana@example.com", "a long passphrase", ""}, "username"},
		{"leading dot", Registration{".ana", "ana@example.com", "a long passphrase", ""}, "username"},
		{"reserved", Registration{"Admin", "ana@example.com", "a long passphrase", ""}, "username"},
		{"no email", Registration{"ana", "", "a long passphrase", ""}, "email"},
		{"bad email", Registration{"ana", "ana-at-example", "a long passphrase", ""}, "email"},
		{"named email", Registration{"ana", "Ana <ana@example.com>", "a long passphrase", ""}, "email"},
		{"no dot in domain", Registration{"ana", "ana@localhost", "a long passphrase", ""}, "email"},
		{"long display name", Registration{"ana", "ana@example.com", "a long passphrase", strings.Repeat("n", 81)}, "display_name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := c.reg.Normalize()
			if _, ok := fields(errs)[c.field]; !ok || len(errs) != 1 {
				t.Errorf("errors %v; want exactly one, on %s", errs, c.field)
			}
		})
	}
	all := Registration{Username: "x", Email: "nope", Password: "short"}
	got := fields(all.Normalize())
	for _, f := range []string{"username", "email", "password"} {
		if _, ok := got[f]; !ok {
			t.Errorf("all-bad registration: %s not reported (got %v)", f, got)
		}
	}
}

func TestIsAdmin(t *testing.T) {
	var anon *User
	if anon.IsAdmin() || (&User{Role: RoleUser}).IsAdmin() || !(&User{Role: RoleAdmin}).IsAdmin() {
		t.Error("IsAdmin is wrong")
	}
}

// The login of an unknown account burns one password check against
// dummyHash; it equals a real check only while dummyHash has the
// parameters and key length HashPassword uses now.
func TestDummyHashCostsWhatARealCheckCosts(t *testing.T) {
	p, salt, key, err := decodeHash(dummyHash)
	if err != nil {
		t.Fatalf("dummyHash does not decode: %v", err)
	}
	want := defaultParams
	if p.memoryKiB != want.memoryKiB || p.time != want.time || p.threads != want.threads || uint32(len(key)) != want.keyLen || len(salt) != 16 {
		t.Errorf("dummyHash has m=%d,t=%d,p=%d, key %d bytes, salt %d; HashPassword uses m=%d,t=%d,p=%d, key %d, salt 16: make it again with HashPassword",
			p.memoryKiB, p.time, p.threads, len(key), len(salt), want.memoryKiB, want.time, want.threads, want.keyLen)
	}
	if err := CheckPassword(dummyHash, "reccollection-timing-equaliser"); err != nil {
		t.Errorf("dummyHash is not a hash of its password: %v", err)
	}
}
