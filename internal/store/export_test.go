package store

import "time"

// SetReplicaClock replaces the clock that times replica cool-downs, so a
// test can step past one instead of sleeping through it.
func SetReplicaClock(s *Store, now func() time.Time) { s.replicas.now = now }

// SetClock replaces the store's clock, so a test can age what it wrote.
func SetClock(s *Store, now func() time.Time) { s.now = now }
