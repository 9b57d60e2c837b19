package store

import (
	"context"
	"database/sql"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// The typo vocabulary (search_terms) gains the words of every recipe
// written, private ones too, and never loses one on its own: a word of a
// deleted recipe, or of a recipe made private, stays. Corrections only
// ever use words of public recipes (the probe checks each candidate), so
// such a word is never shown to anyone; but it is a row every trigram
// lookup may read and pass over, and the table would only grow. So a
// periodic task (the app's search_terms_prune) makes the vocabulary the
// words of the public recipes again.

// VocabularyReport says what PruneSearchTerms did.
type VocabularyReport struct {
	Words   int // the vocabulary's words afterwards: those of public recipes
	Removed int // words no public recipe has any more
	Added   int // words of public recipes that were missing
}

// PruneSearchTerms makes search_terms the words of the public recipes:
// it removes the others and adds any that are missing. It reads the
// recipes and rewrites the table in one transaction, on PostgreSQL at
// REPEATABLE READ, so a word a writer adds meanwhile is not in its
// snapshot and is left alone rather than removed; on SQLite the
// transaction holds the write lock, and writers wait for it.
func (s *Store) PruneSearchTerms(ctx context.Context) (VocabularyReport, error) {
	var rep VocabularyReport
	opts := &sql.TxOptions{}
	if s.d.name() == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return rep, fmt.Errorf("prune search terms: %w", err)
	}
	defer tx.Rollback()
	c := conn{q: tx, d: s.d}

	keep := map[string]bool{}
	rows, err := c.QueryContext(ctx, "SELECT title, search_tags, search_ingredients FROM recipes WHERE visibility = 'public'")
	if err != nil {
		return rep, fmt.Errorf("prune search terms: %w", err)
	}
	// Every public recipe's text passes through here: read into reused
	// buffers and split in place, so that only a new word allocates
	// rather than every row and word (the caller also hands the heap
	// back afterwards; app/vocabulary.go).
	var title, tags, ingredients sql.RawBytes
	var word []byte
	for rows.Next() {
		if err := rows.Scan(&title, &tags, &ingredients); err != nil {
			rows.Close()
			return rep, fmt.Errorf("prune search terms: %w", err)
		}
		for _, text := range []sql.RawBytes{title, tags, ingredients} {
			word = addVocabulary(text, keep, word)
		}
	}
	if err := rows.Close(); err != nil {
		return rep, fmt.Errorf("prune search terms: %w", err)
	}
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("prune search terms: %w", err)
	}

	// The words to keep go to a temporary table (dropped before the
	// commit), so the database compares the two lists.
	if _, err := c.ExecContext(ctx, "CREATE TEMP TABLE vocabulary_keep (term TEXT PRIMARY KEY)"); err != nil {
		return rep, fmt.Errorf("prune search terms: %w", err)
	}
	const batch = 500
	var pending [][]any
	flush := func() error {
		err := insertRows(ctx, c, "vocabulary_keep", "term", pending)
		pending = pending[:0]
		return err
	}
	for w := range keep {
		if pending = append(pending, []any{w}); len(pending) == batch {
			if err := flush(); err != nil {
				return rep, fmt.Errorf("prune search terms: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return rep, fmt.Errorf("prune search terms: %w", err)
	}
	res, err := c.ExecContext(ctx, "DELETE FROM search_terms WHERE term NOT IN (SELECT term FROM vocabulary_keep)")
	if err != nil {
		return rep, fmt.Errorf("prune search terms: %w", err)
	}
	removed, _ := res.RowsAffected()
	// WHERE true: SQLite needs it to tell ON CONFLICT from a join.
	res, err = c.ExecContext(ctx, "INSERT INTO search_terms (term) SELECT term FROM vocabulary_keep WHERE true ON CONFLICT (term) DO NOTHING")
	if err != nil {
		return rep, fmt.Errorf("prune search terms: %w", err)
	}
	added, _ := res.RowsAffected()
	if _, err := c.ExecContext(ctx, "DROP TABLE vocabulary_keep"); err != nil {
		return rep, fmt.Errorf("prune search terms: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("prune search terms: %w", err)
	}
	return VocabularyReport{Words: len(keep), Removed: int(removed), Added: int(added)}, nil
}

// addVocabulary adds to keep the words of text that vocabularyOf would
// give (the same lower-casing, splitting and lengths), allocating only for
// a word keep does not hold yet; word is a buffer it returns for reuse.
func addVocabulary(text []byte, keep map[string]bool, word []byte) []byte {
	word = word[:0]
	add := func() {
		if len(word) <= 64 && utf8.RuneCount(word) >= 4 && !keep[string(word)] {
			keep[string(word)] = true
		}
		word = word[:0]
	}
	for len(text) > 0 {
		r, size := utf8.DecodeRune(text)
		text = text[size:]
		if r = unicode.ToLower(r); unicode.IsLetter(r) || unicode.IsDigit(r) {
			word = utf8.AppendRune(word, r)
		} else if len(word) > 0 {
			add()
		}
	}
	if len(word) > 0 {
		add()
	}
	return word
}
