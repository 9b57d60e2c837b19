package app

import (
	"context"
	"runtime/debug"
	"time"
)

// vocabularyPruneInterval: the typo vocabulary drifts from the public
// recipes only by deletions and recipes made private, and a stale word
// is never shown (store/vocabulary.go), so once a day keeps it lean.
const vocabularyPruneInterval = 24 * time.Hour

// setUpVocabularyPrune schedules store.PruneSearchTerms.
func (a *App) setUpVocabularyPrune() {
	a.jobs.Periodic("search_terms_prune", vocabularyPruneInterval, func(ctx context.Context) error {
		rep, err := a.store.PruneSearchTerms(ctx)
		// The run holds every public word at once and reads every public
		// recipe; at the server's GC target (GOGC=400, gc.go) the heap it
		// grew would stay with the process for minutes, and the first run
		// comes right after start-up. Give it back now: a collection once
		// a day.
		debug.FreeOSMemory()
		if err == nil && (rep.Removed > 0 || rep.Added > 0) {
			a.log.Info("search vocabulary pruned", "words", rep.Words, "removed", rep.Removed, "added", rep.Added)
		}
		return err
	})
}
