package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
)

var secretKeyCmd = command{
	name:    "secret-key",
	summary: "Rotate RECC_SECRET_KEY: print a new random key; re-encrypt stored secrets under the current key.",
	usage:   "secret-key generate | secret-key reseal",
	run:     runSecretKey,
}

// Rotation, in order (docs/operations.md, "Secret rotation"): generate a
// key; deploy it as RECC_SECRET_KEY with the old one in
// RECC_SECRET_KEY_PREVIOUS; run reseal; deploy without the previous key.
func runSecretKey(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
		fs.Usage()
		return flag.ErrHelp
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: reccollection secret-key generate | reseal", errUsage)
	}
	switch args[0] {
	case "generate":
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return fmt.Errorf("read random bytes: %w", err)
		}
		fmt.Fprintln(env.stdout, hex.EncodeToString(key))
		return nil
	case "reseal":
		a, err := env.openApp(ctx)
		if err != nil {
			return err
		}
		defer a.Close()
		r, err := a.MFA().ResealAll(ctx)
		fmt.Fprintf(env.stdout, "TOTP secrets: %d resealed under the current key, %d already under it, %d changed meanwhile (left as they are), %d unreadable\n",
			r.Resealed, r.Current, r.Conflicts, len(r.Unopened))
		if err != nil {
			return err
		}
		fmt.Fprintln(env.stdout, "Every stored secret is under RECC_SECRET_KEY now; RECC_SECRET_KEY_PREVIOUS can be removed.")
		return nil
	default:
		return fmt.Errorf("%w: unknown secret-key command %q; want generate or reseal", errUsage, args[0])
	}
}
