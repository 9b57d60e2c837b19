package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/acme/autocert"

	"github.com/reccollection/reccollection/internal/store"
)

// TestTLSCache checks autocert's Cache contract on both engines.
func TestTLSCache(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var c autocert.Cache = s.TLSCache()

		if _, err := c.Get(ctx, "recipes.example.com"); !errors.Is(err, autocert.ErrCacheMiss) {
			t.Fatalf("Get of a missing key: %v, want ErrCacheMiss", err)
		}
		// Binary-safe: every byte value, NULs and invalid UTF-8 included.
		bin := make([]byte, 0, 512)
		for i := 0; i < 512; i++ {
			bin = append(bin, byte(i*7))
		}
		pem := []byte("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n")
		for key, data := range map[string][]byte{
			"recipes.example.com":      pem,
			"recipes.example.com+rsa":  bin,
			"acme_account+key":         []byte{0, 0, 0xff, 0xfe, 0},
			"tok-123+http-01":          []byte("tok-123.thumbprint"),
			"empty":                    {},
			strings.Repeat("k", 512):   []byte("long key"),
			"www.recipes.example.com.": []byte("trailing dot"),
		} {
			if err := c.Put(ctx, key, data); err != nil {
				t.Fatalf("Put %q: %v", key, err)
			}
			got, err := c.Get(ctx, key)
			if err != nil || !bytes.Equal(got, data) || got == nil {
				t.Errorf("Get %q = %x, %v; want %x", key, got, err, data)
			}
		}
		// Put replaces; other keys are untouched.
		if err := c.Put(ctx, "recipes.example.com", []byte("renewed")); err != nil {
			t.Fatal(err)
		}
		if got, _ := c.Get(ctx, "recipes.example.com"); string(got) != "renewed" {
			t.Errorf("after replace: %q", got)
		}
		if got, _ := c.Get(ctx, "recipes.example.com+rsa"); !bytes.Equal(got, bin) {
			t.Error("replacing one key changed another")
		}
		// Keys are exact: no case folding, no prefix matches.
		for _, k := range []string{"RECIPES.EXAMPLE.COM", "recipes.example", "recipes.example.com%", ""} {
			if _, err := c.Get(ctx, k); !errors.Is(err, autocert.ErrCacheMiss) {
				t.Errorf("Get %q: %v, want ErrCacheMiss", k, err)
			}
		}
		// Delete, twice: the second is not an error.
		for i := 0; i < 2; i++ {
			if err := c.Delete(ctx, "recipes.example.com"); err != nil {
				t.Fatalf("Delete #%d: %v", i+1, err)
			}
		}
		if _, err := c.Get(ctx, "recipes.example.com"); !errors.Is(err, autocert.ErrCacheMiss) {
			t.Errorf("Get after Delete: %v, want ErrCacheMiss", err)
		}
		if err := c.Delete(ctx, "never-stored"); err != nil {
			t.Errorf("Delete of a missing key: %v", err)
		}
		// Invalid keys never reach the database.
		for _, k := range []string{"", "a\x00b", strings.Repeat("k", 513)} {
			if err := c.Put(ctx, k, []byte("x")); err == nil {
				t.Errorf("Put %q accepted", k)
			}
		}

		// A second handle on the same database (another replica) sees it.
		if got, err := s.TLSCache().Get(ctx, "acme_account+key"); err != nil || !bytes.Equal(got, []byte{0, 0, 0xff, 0xfe, 0}) {
			t.Errorf("second handle: %x, %v", got, err)
		}
	})
}
