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
	// ErrPostUnreadable: a social post's caption cannot be read without
	// signing in (a login or consent page, a refusal, no caption shown);
	// pasting the caption is the way round it.
	ErrPostUnreadable = errors.New("importer: the post cannot be read without signing in")
	// ErrNoRecipeInPost: the post's caption was read but holds no
	// ingredients or steps.
	ErrNoRecipeInPost = errors.New("importer: the post's caption holds no recipe")
)
