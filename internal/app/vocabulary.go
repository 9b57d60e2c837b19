package app

import (
	"context"
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
		if err == nil && (rep.Removed > 0 || rep.Added > 0) {
			a.log.Info("search vocabulary pruned", "words", rep.Words, "removed", rep.Removed, "added", rep.Added)
		}
		return err
	})
}
