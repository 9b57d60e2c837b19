package citest

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Dependencies point inwards: the persistence layer and the domain
// packages whose types it stores never reach the HTTP plumbing or the
// configuration, so a change to a handler or to a setting cannot ripple
// into the store's build (docs/architecture.md, "Packages").
func TestInnerPackagesStayFreeOfHTTP(t *testing.T) {
	const mod = "github.com/reccollection/reccollection/internal/"
	rules := map[string][]string{
		"store":      {"httpx", "auth/authhttp", "api", "ui", "app"},
		"auth":       {"httpx", "config", "store"},
		"recipe":     {"httpx", "config", "store"},
		"collection": {"httpx", "config", "store"},
	}
	for pkg, banned := range rules {
		for _, dep := range goListDeps(t, "./internal/"+pkg) {
			for _, b := range banned {
				if dep == mod+b {
					t.Errorf("internal/%s depends on internal/%s", pkg, b)
				}
			}
		}
	}
}

func goListDeps(t *testing.T, pkg string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "list", "-deps", pkg)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}
