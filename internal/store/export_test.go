package store

import "time"

// SetReplicaClock replaces the clock that times replica cool-downs, so a
// test can step past one instead of sleeping through it.
func SetReplicaClock(s *Store, now func() time.Time) { s.replicas.now = now }

// SetSearchBudget changes a store's search time budget and the statement
// run inside each search's bounds before it (to make searches slow on
// demand; "" for none).
func SetSearchBudget(s *Store, timeout time.Duration, prelude string) {
	s.search = newSearchBudget(timeout)
	s.search.prelude = prelude
}

// SetCountCap changes where a store's browse stops counting, so a test
// can pass the cap with a few recipes.
func SetCountCap(s *Store, n int) { s.search.countCap = n }

// SetRankedCap changes how many of a search's newest matches are ranked,
// so that a test can pass the bound with a few recipes.
func SetRankedCap(s *Store, n int) { s.search.ranked = n }

// SetClock replaces the store's clock, so a test can age what it wrote.
func SetClock(s *Store, now func() time.Time) { s.now = now }

// PoolSizes are the most connections a PostgreSQL store opens to its
// primary: for everything but searches, and for searches.
func PoolSizes(s *Store) (main, search int32) {
	return s.pool.Config().MaxConns, s.searches.pool.Config().MaxConns
}

// IsForeignKeyViolation is the store's dialect's reading of err.
func IsForeignKeyViolation(s *Store, err error) bool { return s.d.isForeignKeyViolation(err) }
