package importer

import "time"

// SetArchivesClock replaces the archive imports' clock (tests).
func SetArchivesClock(a *Archives, now func() time.Time) { a.now = now }
