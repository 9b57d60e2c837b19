package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// rankEdgeTTL is how long a read window edge is used before it is read
// again.
const rankEdgeTTL = 30 * time.Second

// rankEdge remembers the lower edge of the rank window (filter.windowed):
// the creation time of the size-th newest public recipe. Reading it walks
// that many index entries, a quarter of a search's database time at
// 100 000 recipes, for a value that moves by one recipe per recipe
// written. An edge up to rankEdgeTTL old is as good for the window's
// purpose, which is to bound the work of a common word: recipes written
// since are newer than it and so inside the window (which then holds a
// few more than size), and the older part of the walk still finds every
// match below it. Each server process keeps its own.
type rankEdge struct {
	mu     sync.Mutex
	size   int
	edge   time.Time // zero: fewer public recipes than size
	readAt time.Time
}

// get returns the edge for a window of size recipes, reading it through q
// when the one held is older than rankEdgeTTL or for another size; zero
// when the collection is smaller than the window.
func (e *rankEdge) get(ctx context.Context, q querier, size int, now time.Time) (time.Time, error) {
	e.mu.Lock()
	if e.size == size && !e.readAt.IsZero() && now.Sub(e.readAt) < rankEdgeTTL {
		edge := e.edge
		e.mu.Unlock()
		return edge, nil
	}
	e.mu.Unlock()
	var edge time.Time
	err := q.QueryRowContext(ctx, "SELECT created_at FROM recipes WHERE visibility = 'public'"+
		" ORDER BY created_at DESC, id DESC OFFSET ? LIMIT 1", size-1).Scan(&edge)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("read the rank window's edge: %w", err)
	}
	e.mu.Lock()
	e.size, e.edge, e.readAt = size, edge, now
	e.mu.Unlock()
	return edge, nil
}
