package auth

import "time"

// Session lifetime: a month of inactivity signs a browser out. Last-seen
// is written at most once per SessionRefresh, so ordinary browsing does
// not write to the database on every request. The expiry (in the database
// and the cookie's Max-Age alike) moves forward with such a write once it
// would gain at least SessionCookieRefresh: the cookie is then sent again,
// so a browser in use never reaches the Max-Age it was given at sign-in,
// and it is re-sent at most daily.
const (
	SessionLifetime      = 30 * 24 * time.Hour
	SessionRefresh       = time.Hour
	SessionCookieRefresh = 24 * time.Hour
)
