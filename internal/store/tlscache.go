package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/acme/autocert"
)

// TLSCache is autocert.Cache on the database (table tls_cache), so that
// every replica shares one ACME account, the certificates, and the
// http-01 challenge tokens. Values are opaque bytes (PEM for certificates
// and keys); autocert validates what it reads back.
type TLSCache struct{ s *Store }

var _ autocert.Cache = TLSCache{}

// TLSCache returns the store's certificate cache.
func (s *Store) TLSCache() TLSCache { return TLSCache{s: s} }

const maxTLSCacheKey = 512

func validTLSCacheKey(key string) bool {
	return key != "" && len(key) <= maxTLSCacheKey && storable(key)
}

// Get returns the data stored under key, or autocert.ErrCacheMiss.
func (c TLSCache) Get(ctx context.Context, key string) ([]byte, error) {
	if !validTLSCacheKey(key) {
		return nil, autocert.ErrCacheMiss
	}
	var data []byte
	err := c.s.read().QueryRowContext(ctx, "SELECT data FROM tls_cache WHERE key = ?", key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, autocert.ErrCacheMiss
	}
	if err != nil {
		return nil, fmt.Errorf("tls cache get %q: %w", key, err)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// Put stores data under key, replacing any earlier value.
func (c TLSCache) Put(ctx context.Context, key string, data []byte) error {
	if !validTLSCacheKey(key) {
		return fmt.Errorf("tls cache put: invalid key %q", key)
	}
	if data == nil {
		data = []byte{}
	}
	now := c.s.now().UTC().Truncate(time.Microsecond)
	_, err := c.s.read().ExecContext(ctx,
		"INSERT INTO tls_cache (key, data, updated_at) VALUES (?, ?, ?) "+
			"ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
		key, data, now)
	if err != nil {
		return fmt.Errorf("tls cache put %q: %w", key, err)
	}
	return nil
}

// Delete removes key; a missing key is not an error (autocert's contract).
func (c TLSCache) Delete(ctx context.Context, key string) error {
	if !validTLSCacheKey(key) {
		return nil
	}
	if _, err := c.s.read().ExecContext(ctx, "DELETE FROM tls_cache WHERE key = ?", key); err != nil {
		return fmt.Errorf("tls cache delete %q: %w", key, err)
	}
	return nil
}
