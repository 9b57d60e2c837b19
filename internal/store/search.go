package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/reccollection/reccollection/internal/recipe"
)

// searchPlan is how one engine narrows and ranks a list query for a search
// text: a fragment joined after "FROM recipes r" and a condition for WHERE,
// each with its own arguments in order; and, for a ranked search, the
// columns the bounded candidate set adds, its walk order and the ranking
// over it (rankedFilter in list.go).
type searchPlan struct {
	join      string
	joinArgs  []any
	where     string
	whereArgs []any
	// columns are added to the candidates' "SELECT r.*": what rank needs
	// of the match (the query on PostgreSQL, bm25's score on SQLite, which
	// only the statement holding the MATCH can compute).
	columns string
	// newest orders the candidates so that the newest matches come first
	// and an engine can stop after the bound without reading the others.
	newest string
	// rank orders the candidates (alias r) by relevance.
	rank string
	// splitByViewer asks for the signed-in viewer's candidates as two
	// walks, public recipes and the viewer's own others, each along an
	// index in newest order, instead of one walk with an OR that no index
	// serves (PostgreSQL; SQLite's walk is the full-text index itself).
	splitByViewer bool
	// window looks for a common word's matches among the newest public
	// recipes first (filter.windowed; PostgreSQL).
	window bool
	// corrections are the misspelt terms the plan widened, each with the
	// word it added, a word of a public recipe (correct).
	corrections []Correction
}

// Correction is a search word that matched nothing public and was widened
// with the closest known word.
type Correction struct {
	Term string `json:"term"`
	Word string `json:"word"`
}

// search is the full-text part of the dialect seam.
type search interface {
	// plan returns ok=false when none of terms is searchable; exact
	// leaves misspelt terms as typed.
	plan(ctx context.Context, q querier, terms []string, exact bool) (p searchPlan, ok bool, err error)
	// probe is the test of one term that probeTerms gathers.
	probe(term string) (columns string, args []any)
	// candidates is the query for known words that term may be a
	// misspelling of.
	candidates(term string, maxDist int) (query string, args []any)
	// isCancelled reports a statement the engine stopped for time.
	isCancelled(err error) bool
}

// maxCorrections bounds the typo lookups of one search: each reads a slice
// of the vocabulary, and a text of many misspelt words is more likely
// noise than a cook's typing.
const maxCorrections = 3

// maxCandidates bounds the vocabulary words read for one typo lookup on
// SQLite, whose lookup cannot use an index; a vocabulary that large has
// grown past anything recipes write.
const maxCandidates = 20000

// words splits text into the words the correction vocabulary keeps: the
// same split as a search's (recipe.SearchWords).
func words(text string) []string { return recipe.SearchWords(text) }

// PostgreSQL: a weighted tsvector (title A, tags B, ingredients C,
// description D) with a GIN index finds matches, and ts_rank_cd normalised
// by document length (flag 1) ranks them so that, like SQLite's bm25, a
// short recipe whose few words match ranks above a long one that mentions
// them in passing. A term that matches no public recipe is widened with
// its closest word from search_terms, found with a pg_trgm index and
// confirmed by edit distance. Stop words are dropped.
func (postgresDialect) plan(ctx context.Context, q querier, terms []string, exact bool) (searchPlan, bool, error) {
	probes, err := probeTerms(ctx, q, postgresDialect{}, terms)
	if err != nil {
		return searchPlan{}, false, err
	}
	fixes, err := correct(ctx, q, postgresDialect{}, terms, probes, exact)
	if err != nil {
		return searchPlan{}, false, err
	}
	var parts []string
	var args []any
	for i, t := range terms {
		if probes[i].stopWord {
			continue
		}
		part := "plainto_tsquery('english', ?)"
		args = append(args, t)
		if fix, ok := fixes[t]; ok {
			part = "(" + part + " || plainto_tsquery('english', ?))"
			args = append(args, fix)
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return searchPlan{}, false, nil
	}
	return searchPlan{
		join:          "CROSS JOIN (SELECT " + strings.Join(parts, " && ") + " AS query) AS sq",
		joinArgs:      args,
		where:         "r.search_vector @@ sq.query",
		columns:       ", sq.query AS search_query",
		newest:        "r.created_at DESC, r.id DESC",
		rank:          "ts_rank_cd(r.search_vector, r.search_query, 1) DESC",
		splitByViewer: true,
		window:        true,
		corrections:   corrections(terms, fixes),
	}, true, nil
}

// termProbe is what one statement learns about a search term before the
// search: whether the engine drops it as a stop word, and whether any
// public recipe matches it.
type termProbe struct {
	stopWord, public bool
}

// probe is the engine's test of one term: two columns (stop word, public
// match) of a one-row SELECT, so that every term of a search is probed in
// one statement. SQLite's tokenizer has no stop words.
//
// On PostgreSQL a term is looked for among the newest public recipes
// first (an index walk of a hundred rows finds any common word), then
// through search_term_public (migration 19), which asks the GIN index:
// a plain EXISTS let the planner take a misspelt word for a common one
// and read every recipe to learn that none matches.
func (postgresDialect) probe(term string) (string, []any) {
	return `numnode(plainto_tsquery('english', ?)) = 0,
		EXISTS (SELECT 1 FROM (SELECT search_vector FROM recipes WHERE visibility = 'public'
			ORDER BY created_at DESC, id DESC LIMIT 100) newest WHERE search_vector @@ plainto_tsquery('english', ?))
		OR search_term_public(plainto_tsquery('english', ?))`, []any{term, term, term}
}

func (sqliteDialect) probe(term string) (string, []any) {
	return "0, EXISTS (SELECT 1 FROM recipes_fts f JOIN recipes r ON r.rid = f.rowid WHERE recipes_fts MATCH ? AND r.visibility = 'public')", []any{ftsPhrase(term)}
}

// probeTerms probes every term in one statement: one round trip whatever
// the number of words, where a statement per term cost one each.
func probeTerms(ctx context.Context, q querier, d search, terms []string) ([]termProbe, error) {
	out := make([]termProbe, len(terms))
	if len(terms) == 0 {
		return out, nil
	}
	cols := make([]string, len(terms))
	var args []any
	dest := make([]any, 0, 2*len(terms))
	for i, t := range terms {
		c, a := d.probe(t)
		cols[i] = c
		args = append(args, a...)
		dest = append(dest, &out[i].stopWord, &out[i].public)
	}
	if err := q.QueryRowContext(ctx, "SELECT "+strings.Join(cols, ", "), args...).Scan(dest...); err != nil {
		return nil, fmt.Errorf("probe search terms: %w", err)
	}
	return out, nil
}

// maxFixCandidates is how many of a misspelt term's nearest known words
// are checked for a public recipe, nearest first.
const maxFixCandidates = 5

// correct picks, for each term that matches no public recipe (at most
// maxCorrections of them; none when exact), the nearest known word that a
// public recipe has. search_terms holds every word ever written, private
// ones too: a correction is shown to anyone ("Showing results for"), so a
// word is chosen only once a public recipe is seen to have it, all the
// candidates of all the terms checked in one statement. A word whose
// recipes were deleted or made private is never chosen, however long it
// stays in search_terms.
func correct(ctx context.Context, q querier, d search, terms []string, probes []termProbe, exact bool) (map[string]string, error) {
	fixes := map[string]string{}
	if exact {
		return fixes, nil
	}
	var missed, words []string
	nearest := map[string][]string{}
	for i, t := range terms {
		if probes[i].stopWord || probes[i].public || len(missed) == maxCorrections {
			continue
		}
		missed = append(missed, t)
		cands, err := nearestTerms(ctx, q, d, t)
		if err != nil {
			return nil, err
		}
		nearest[t] = cands
		for _, c := range cands {
			if !slices.Contains(words, c) {
				words = append(words, c)
			}
		}
	}
	checked, err := probeTerms(ctx, q, d, words)
	if err != nil {
		return nil, err
	}
	public := map[string]bool{}
	for i, w := range words {
		public[w] = checked[i].public
	}
	for _, t := range missed {
		for _, c := range nearest[t] {
			if public[c] {
				fixes[t] = c
				break
			}
		}
	}
	return fixes, nil
}

// corrections lists fixes in the order of terms.
func corrections(terms []string, fixes map[string]string) []Correction {
	var out []Correction
	for _, t := range terms {
		if fix, ok := fixes[t]; ok {
			out = append(out, Correction{Term: t, Word: fix})
		}
	}
	return out
}

// Misspelt-term candidates, each engine in its own way: PostgreSQL asks
// its trigram index for the most similar words; SQLite, with no such
// index, reads the words of about the same length (the vocabulary holds
// only words of titles, tags and ingredient names, so this stays small).
func (postgresDialect) candidates(term string, maxDist int) (string, []any) {
	return "SELECT term FROM search_terms WHERE term % ? ORDER BY similarity(term, ?) DESC, term LIMIT 10", []any{term, term}
}

func (sqliteDialect) candidates(term string, maxDist int) (string, []any) {
	n := len([]rune(term))
	return "SELECT term FROM search_terms WHERE length(term) BETWEEN ? AND ? ORDER BY term LIMIT ?", []any{n - maxDist, n + maxDist, maxCandidates}
}

// nearestTerms returns the known words within typoBudget of term, nearest
// first (ties in the order the engine read them), at most
// maxFixCandidates.
func nearestTerms(ctx context.Context, q querier, d search, term string) ([]string, error) {
	maxDist := typoBudget(term)
	if maxDist == 0 {
		return nil, nil
	}
	query, args := d.candidates(term, maxDist)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read search vocabulary: %w", err)
	}
	defer rows.Close()
	type near struct {
		word string
		dist int
	}
	var found []near
	for rows.Next() {
		var cand string
		if err := rows.Scan(&cand); err != nil {
			return nil, fmt.Errorf("read search vocabulary: %w", err)
		}
		if d := editDistance(term, cand, maxDist); d <= maxDist && d > 0 {
			found = append(found, near{cand, d})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read search vocabulary: %w", err)
	}
	slices.SortStableFunc(found, func(a, b near) int { return a.dist - b.dist })
	out := make([]string, 0, min(len(found), maxFixCandidates))
	for _, n := range found[:min(len(found), maxFixCandidates)] {
		out = append(out, n.word)
	}
	return out, nil
}

// typoBudget is how many edits a term may be corrected by: none under four
// letters (too many near neighbours to guess well), one up to six, two
// from seven.
func typoBudget(term string) int {
	switch n := len([]rune(term)); {
	case n < 4:
		return 0
	case n < 7:
		return 1
	default:
		return 2
	}
}

// indexTerms adds the words of a recipe's title, tags and ingredient names
// to the correction vocabulary.
func indexTerms(ctx context.Context, tx querier, words []string) error {
	rows := make([][]any, len(words))
	for i, w := range words {
		rows[i] = []any{w}
	}
	if err := insertRows(ctx, tx, "search_terms", "term", rows, "ON CONFLICT (term) DO NOTHING"); err != nil {
		return fmt.Errorf("index search terms: %w", err)
	}
	return nil
}

// SQLite: FTS5 with the porter stemmer ranks matches by bm25 with the same
// column weights. FTS5 has no fuzzy matching, so a term that matches no
// public recipe is widened with the closest word of search_terms.
func (sqliteDialect) plan(ctx context.Context, q querier, terms []string, exact bool) (searchPlan, bool, error) {
	if len(terms) == 0 {
		return searchPlan{}, false, nil
	}
	probes, err := probeTerms(ctx, q, sqliteDialect{}, terms)
	if err != nil {
		return searchPlan{}, false, err
	}
	fixes, err := correct(ctx, q, sqliteDialect{}, terms, probes, exact)
	if err != nil {
		return searchPlan{}, false, err
	}
	clauses := make([]string, 0, len(terms))
	for _, t := range terms {
		alts := []string{ftsPhrase(t)}
		if fix, ok := fixes[t]; ok {
			alts = append(alts, ftsPhrase(fix))
		}
		clauses = append(clauses, "("+strings.Join(alts, " OR ")+")")
	}
	return searchPlan{
		join:      "JOIN recipes_fts ON recipes_fts.rowid = r.rid",
		where:     "recipes_fts MATCH ?",
		whereArgs: []any{strings.Join(clauses, " AND ")},
		columns:   ", bm25(recipes_fts, 10.0, 5.0, 3.0, 1.0) AS search_score",
		// FTS5 reads its matches in rowid order, newest (highest rid)
		// first when asked, and stops at the bound.
		newest: "recipes_fts.rowid DESC",
		// bm25 is smaller for better matches.
		rank:        "r.search_score ASC",
		corrections: corrections(terms, fixes),
	}, true, nil
}

// ftsPhrase quotes a term for an FTS5 query and lets it match as a prefix,
// so "tomat" finds tomatoes while the user is still typing. Words under
// three letters match whole: a two-letter prefix would merge the entries of
// every indexed word that starts with it.
func ftsPhrase(term string) string {
	quoted := `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
	if len([]rune(term)) < minPrefix {
		return quoted
	}
	return quoted + "*"
}

// minPrefix is the shortest term matched as a prefix.
const minPrefix = 3

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
