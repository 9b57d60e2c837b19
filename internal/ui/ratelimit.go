package ui

import (
	"net/http"
	"strconv"
	"time"
)

// TooManyRequests is the page for a request over a rate limit; the
// caller has set Retry-After and the RateLimit headers.
func (u *UI) TooManyRequests(w http.ResponseWriter, r *http.Request, retryAfter time.Duration) {
	secs := max(int((retryAfter+time.Second-1)/time.Second), 1)
	wait := strconv.Itoa(secs) + " seconds"
	switch {
	case secs == 1:
		wait = "a second"
	case secs >= 120:
		wait = strconv.Itoa((secs+59)/60) + " minutes"
	}
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, http.StatusTooManyRequests, "toomany", &page{Title: "Too many requests", Data: wait})
}
