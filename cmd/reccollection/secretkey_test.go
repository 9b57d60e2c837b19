package main_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
)

// An operator rotates RECC_SECRET_KEY: a new key from `secret-key
// generate`, the old one as previous, `secret-key reseal`, and the stored
// TOTP secret opens under the new key alone.
func TestSecretKeyRotation(t *testing.T) {
	dir := t.TempDir()
	const oldKey = "an old development secret key long enough"
	r := runCLI(t, baseEnv(dir), "", "secret-key", "generate")
	newKey := strings.TrimSpace(r.stdout)
	if r.code != 0 || !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(newKey) {
		t.Fatalf("generate: exit %d, printed %q", r.code, r.stdout)
	}
	if again := strings.TrimSpace(runCLI(t, baseEnv(dir), "", "secret-key", "generate").stdout); again == newKey {
		t.Error("generate printed the same key twice")
	}

	ctx := context.Background()
	s, u := createAdmin(t, baseEnv(dir, "RECC_SECRET_KEY="+oldKey), dir, "boss")
	oldSealer, _ := auth.NewSealer([]byte(oldKey), "totp")
	if err := s.StartTOTP(ctx, u.ID, oldSealer.Seal("JBSWY3DPEHPK3PXP")); err != nil {
		t.Fatal(err)
	}

	// Without the old key the secret cannot be read: reseal says so and
	// changes nothing.
	r = runCLI(t, baseEnv(dir, "RECC_SECRET_KEY="+newKey), "", "secret-key", "reseal")
	if r.code != 1 || !strings.Contains(r.stderr, "RECC_SECRET_KEY_PREVIOUS") || !strings.Contains(r.stdout, "1 unreadable") {
		t.Errorf("reseal without the previous key: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	rotating := baseEnv(dir, "RECC_SECRET_KEY="+newKey, "RECC_SECRET_KEY_PREVIOUS="+oldKey)
	r = runCLI(t, rotating, "", "secret-key", "reseal")
	if r.code != 0 || !strings.Contains(r.stdout, "1 resealed") {
		t.Fatalf("reseal: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	newSealer, _ := auth.NewSealer([]byte(newKey), "totp")
	stored, err := s.UserTOTP(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if secret, err := newSealer.Open(stored.SecretSealed); err != nil || secret != "JBSWY3DPEHPK3PXP" {
		t.Errorf("after reseal the new key alone opens %q, %v", secret, err)
	}
	if r := runCLI(t, rotating, "", "secret-key", "reseal"); r.code != 0 || !strings.Contains(r.stdout, "0 resealed under the current key, 1 already") {
		t.Errorf("a second reseal: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, rotating, "", "secret-key", "rotate"); r.code != 2 {
		t.Errorf("unknown subcommand: exit %d, want 2", r.code)
	}
}
