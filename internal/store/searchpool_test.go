package store_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Searches have a pool of their own, carved out of the process's
// connections: the total stays what the URL or the default says, which
// the deployment's max_connections is sized from.
func TestSearchPoolSharesTheConnections(t *testing.T) {
	for _, tc := range []struct {
		maxConns     string
		main, search int32
	}{
		{"", 15, 5},
		{"8", 6, 2},
		{"2", 1, 1},
	} {
		u, err := url.Parse(testutil.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		if tc.maxConns != "" {
			q := u.Query()
			q.Set("pool_max_conns", tc.maxConns)
			u.RawQuery = q.Encode()
		}
		s, err := store.Open(context.Background(), store.Options{DatabaseURL: u.String()})
		if err != nil {
			t.Fatal(err)
		}
		main, search := store.PoolSizes(s)
		s.Close()
		if main != tc.main || search != tc.search {
			t.Errorf("pool_max_conns %q: pools of %d and %d connections, want %d and %d", tc.maxConns, main, search, tc.main, tc.search)
		}
	}
}
