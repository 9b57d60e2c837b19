package testutil

import (
	"sync"
	"time"
)

// Clock is a fake clock that stands still until a test moves it, for the
// rate limits and sign-in throttles (config.Config.LimiterClock): with it
// a budget refills exactly when the test says, however slowly the machine
// runs the test.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at the current time.
func NewClock() *Clock { return &Clock{t: time.Now()} }

// Now is the clock's time; pass the method value as a clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
