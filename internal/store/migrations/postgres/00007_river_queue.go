//go:build ignore

// Migration 7 creates the job queue's tables (river's schema). It is
// written in Go, in internal/store/river.go; this file only holds the
// number and names the migration in `reccollection migrate status`.
package ignored
