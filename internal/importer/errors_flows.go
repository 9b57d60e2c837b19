package importer

import "errors"

// Errors of the flows besides the fetcher's (errors.go).
var (
	// ErrTooManyBulks: the person already has MaxActiveBulks bulk
	// imports queued or running.
	ErrTooManyBulks = errors.New("importer: too many bulk imports under way")
	// ErrBulkDailyLimit: the URLs would take the person over the day's
	// bulk import allowance.
	ErrBulkDailyLimit = errors.New("importer: too many URLs imported in bulk today")
	// ErrBusy: the instance-wide budget of outbound fetches is spent for
	// the moment; trying again in a minute works.
	ErrBusy = errors.New("importer: too many imports in progress")
)
