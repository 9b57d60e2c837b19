package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// searchPlan is how one engine narrows and ranks a list query for a search
// text: a fragment joined after "FROM recipes r", a condition for WHERE and
// an ORDER BY expression, each with its own arguments in order.
type searchPlan struct {
	join      string
	joinArgs  []any
	where     string
	whereArgs []any
	rank      string
	rankArgs  []any
}

// search is the full-text part of the dialect seam.
type search interface {
	// plan returns ok=false when the text holds nothing searchable.
	plan(ctx context.Context, q querier, text string) (p searchPlan, ok bool, err error)
}

// maxSearchTerms bounds the work one query can ask of the index.
const maxSearchTerms = 12

// searchTerms splits text into lower-case words of letters and digits.
func searchTerms(text string) []string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(fields) > maxSearchTerms {
		fields = fields[:maxSearchTerms]
	}
	return fields
}

// PostgreSQL: a weighted tsvector (title A, tags B, ingredients C,
// description D) with a GIN index ranks matches. A term that matches no
// public recipe exactly is matched instead by pg_trgm word similarity over
// the title, tag and ingredient words, which forgives a typo; terms that do
// match skip the (costlier) trigram test. Stop words are dropped.
func (postgresDialect) plan(ctx context.Context, q querier, text string) (searchPlan, bool, error) {
	terms := searchTerms(text)
	var exact []string
	var fuzzy []string
	var fuzzyArgs []any
	for _, t := range terms {
		var nodes int
		var hit bool
		err := q.QueryRowContext(ctx, `SELECT numnode(plainto_tsquery('english', ?)),
			EXISTS (SELECT 1 FROM recipes WHERE visibility = 'public' AND search_vector @@ plainto_tsquery('english', ?))`,
			t, t).Scan(&nodes, &hit)
		if err != nil {
			return searchPlan{}, false, fmt.Errorf("probe search term: %w", err)
		}
		switch {
		case nodes == 0: // a stop word
		case hit:
			exact = append(exact, t)
		default:
			fuzzy = append(fuzzy, "? <% r.search_words")
			fuzzyArgs = append(fuzzyArgs, t)
		}
	}
	if len(exact) == 0 && len(fuzzy) == 0 {
		return searchPlan{}, false, nil
	}
	p := searchPlan{where: "1 = 1", rank: "0"}
	if len(exact) > 0 {
		p.join = "CROSS JOIN plainto_tsquery('english', ?) AS query"
		p.joinArgs = []any{strings.Join(exact, " ")}
		p.where = "r.search_vector @@ query"
		p.rank = "ts_rank_cd(r.search_vector, query, 32)"
	}
	if len(fuzzy) > 0 {
		p.where += " AND " + strings.Join(fuzzy, " AND ")
		p.whereArgs = fuzzyArgs
		sims := make([]string, len(fuzzyArgs))
		for i := range sims {
			sims[i] = "word_similarity(?, r.search_words)"
		}
		p.rank += " + " + strings.Join(sims, " + ")
		p.rankArgs = fuzzyArgs
	}
	p.rank += " DESC"
	return p, true, nil
}

// SQLite: FTS5 with the porter stemmer ranks matches by bm25 with the same
// column weights. FTS5 has no fuzzy matching, so a term that matches no
// public recipe is widened with the closest word of the index's own
// vocabulary.
func (sqliteDialect) plan(ctx context.Context, q querier, text string) (searchPlan, bool, error) {
	terms := searchTerms(text)
	if len(terms) == 0 {
		return searchPlan{}, false, nil
	}
	clauses := make([]string, 0, len(terms))
	for _, t := range terms {
		alts := []string{t}
		var hit int
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM recipes_fts f JOIN recipes r ON r.rid = f.rowid
			WHERE recipes_fts MATCH ? AND r.visibility = 'public' LIMIT 1)`, ftsPhrase(t)).Scan(&hit)
		if err != nil {
			return searchPlan{}, false, fmt.Errorf("probe search term: %w", err)
		}
		if hit == 0 {
			fix, err := closestVocabularyTerm(ctx, q, t)
			if err != nil {
				return searchPlan{}, false, err
			}
			if fix != "" {
				alts = append(alts, fix)
			}
		}
		parts := make([]string, len(alts))
		for i, a := range alts {
			parts[i] = ftsPhrase(a)
		}
		clauses = append(clauses, "("+strings.Join(parts, " OR ")+")")
	}
	match := strings.Join(clauses, " AND ")
	return searchPlan{
		join:     "JOIN (SELECT rowid AS rid, bm25(recipes_fts, 10.0, 5.0, 3.0, 1.0) AS score FROM recipes_fts WHERE recipes_fts MATCH ?) s ON s.rid = r.rid",
		joinArgs: []any{match},
		where:    "1 = 1",
		// bm25 is smaller for better matches.
		rank: "s.score ASC",
	}, true, nil
}

// ftsPhrase quotes a term for an FTS5 query and lets it match as a prefix,
// so "tomat" finds tomatoes while the user is still typing.
func ftsPhrase(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"*`
}

// closestVocabularyTerm finds the indexed word nearest to term by edit
// distance: at most one edit for short words, two for long ones, none for
// words under four letters (too many near neighbours to guess well).
func closestVocabularyTerm(ctx context.Context, q querier, term string) (string, error) {
	n := len([]rune(term))
	if n < 4 {
		return "", nil
	}
	maxDist := 1
	if n >= 7 {
		maxDist = 2
	}
	rows, err := q.QueryContext(ctx,
		"SELECT term, doc FROM recipes_fts_vocab WHERE length(term) BETWEEN ? AND ?", n-maxDist-1, n+maxDist)
	if err != nil {
		return "", fmt.Errorf("read search vocabulary: %w", err)
	}
	defer rows.Close()
	best, bestDist, bestDocs := "", maxDist+1, 0
	for rows.Next() {
		var cand string
		var docs int
		if err := rows.Scan(&cand, &docs); err != nil {
			return "", fmt.Errorf("read search vocabulary: %w", err)
		}
		d := editDistance(term, cand, maxDist)
		if d < bestDist || (d == bestDist && docs > bestDocs) {
			best, bestDist, bestDocs = cand, d, docs
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("read search vocabulary: %w", err)
	}
	if bestDist > maxDist {
		return "", nil
	}
	return best, nil
}

// editDistance is the Levenshtein distance between a and b, giving up
// (returning limit+1) once it must exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
