package store

// SetCollectionCaps lowers a store's caps on collections per person and
// recipes per collection, so a test can reach them with a few rows.
func SetCollectionCaps(s *Store, perUser, recipes int) {
	s.collectionCaps = collectionCaps{perUser: perUser, recipes: recipes}
}
