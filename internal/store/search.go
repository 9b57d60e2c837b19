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
	// key is what a candidate is read with besides columns ("r.*" for
	// the whole recipe); when it is less, carried is set: columns as the
	// ranked candidates (alias c) pass them on to the page's recipes,
	// joined to them (filter.rankedSQL).
	key, carried string
	// window is where for the search window (alias w, whose columns are
	// key's): its matches are looked for there first, among the newest
	// public recipes (filter.windowed; PostgreSQL).
	window string
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
	probes, err := postgresDialect{}.probeTerms(ctx, q, terms, exact)
	if err != nil {
		return searchPlan{}, false, err
	}
	fixes := nearestOfProbes(terms, probes)
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
		key:           "r.id, r.created_at, r.search_vector",
		columns:       ", sq.query AS search_query",
		newest:        "r.created_at DESC, r.id DESC",
		rank:          "ts_rank_cd(r.search_vector, r.search_query, 1) DESC",
		splitByViewer: true,
		window:        "w.search_vector @@ sq.query",
		carried:       ", c.search_query",
		corrections:   corrections(terms, fixes),
	}, true, nil
}

// termProbe is what one statement learns about a search term before the
// search: whether the engine drops it as a stop word, whether any public
// recipe matches it and, on PostgreSQL, for a term that is neither, the
// public words it may be a misspelling of.
type termProbe struct {
	stopWord, public bool
	near             []string
}

// PostgreSQL probes every term of a search in one statement, a call of
// search_probe (migration 27), a row per term in order: stop word, public
// match and, for each of the first maxCorrections terms that are neither
// (unless exact), its most similar known words (a pg_trgm lookup in
// search_terms) that a public recipe has. A public match is looked for
// among the newest public recipes first (an index walk of a hundred rows
// finds any common word), then through search_term_public (migration 19),
// which asks the GIN index: a plain EXISTS let the planner take a misspelt
// word for a common one and read every recipe to learn that none matches.
// search_terms holds every word ever written, private ones too: a
// correction is shown to anyone ("Showing results for"), so only a word a
// public recipe is seen to have may be one, and a word whose recipes were
// deleted or made private never is, however long it stays in
// search_terms. One round trip whether the search has a misspelling or
// not (the probe, the lookup and the check of its words were three), and
// planned once per connection.
func (postgresDialect) probeTerms(ctx context.Context, q querier, terms []string, exact bool) ([]termProbe, error) {
	out := make([]termProbe, 0, len(terms))
	rows, err := q.QueryContext(ctx, "SELECT stop, public, near FROM search_probe(?::text[], ?, ?)",
		terms, exact, maxCorrections)
	if err != nil {
		return nil, fmt.Errorf("probe search terms: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p termProbe
		var near string // words hold no spaces (recipe.SearchWords)
		if err := rows.Scan(&p.stopWord, &p.public, &near); err != nil {
			return nil, fmt.Errorf("probe search terms: %w", err)
		}
		p.near = strings.Fields(near)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("probe search terms: %w", err)
	}
	if len(out) != len(terms) {
		return nil, fmt.Errorf("probe search terms: %d rows for %d terms", len(out), len(terms))
	}
	return out, nil
}

// nearestOfProbes picks, for each term the probe found near words for,
// the nearest of them within typoBudget (the most similar of the nearest).
func nearestOfProbes(terms []string, probes []termProbe) map[string]string {
	fixes := map[string]string{}
	for i, t := range terms {
		if near := nearest(t, probes[i].near, 1); len(near) > 0 {
			fixes[t] = near[0]
		}
	}
	return fixes
}

// SQLite's probe: its tokenizer has no stop words, and its correction
// (correct) looks its candidates up on its own.
func (sqliteDialect) probe(term string) (string, []any) {
	return "0, EXISTS (SELECT 1 FROM recipes_fts f JOIN recipes r ON r.rid = f.rowid WHERE recipes_fts MATCH ? AND r.visibility = 'public')", []any{ftsPhrase(term)}
}

// probeTerms probes every term in one statement: one round trip whatever
// the number of words, where a statement per term cost one each.
func (d sqliteDialect) probeTerms(ctx context.Context, q querier, terms []string) ([]termProbe, error) {
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
// are checked for a public recipe on SQLite, nearest first.
const maxFixCandidates = 5

// correct is SQLite's correction: for each term that matches no public
// recipe (at most maxCorrections of them; none when exact), the nearest
// known word that a public recipe has, for the reason PostgreSQL's
// probeTerms gives; all
// the candidates of all the terms are checked in one statement.
func (d sqliteDialect) correct(ctx context.Context, q querier, terms []string, probes []termProbe, exact bool) (map[string]string, error) {
	fixes := map[string]string{}
	if exact {
		return fixes, nil
	}
	var missed, words []string
	near := map[string][]string{}
	for i, t := range terms {
		if probes[i].stopWord || probes[i].public || len(missed) == maxCorrections {
			continue
		}
		missed = append(missed, t)
		cands, err := d.knownWords(ctx, q, t)
		if err != nil {
			return nil, err
		}
		near[t] = nearest(t, cands, maxFixCandidates)
		for _, c := range near[t] {
			if !slices.Contains(words, c) {
				words = append(words, c)
			}
		}
	}
	checked, err := d.probeTerms(ctx, q, words)
	if err != nil {
		return nil, err
	}
	public := map[string]bool{}
	for i, w := range words {
		public[w] = checked[i].public
	}
	for _, t := range missed {
		for _, c := range near[t] {
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

// knownWords reads SQLite's candidates for a misspelt term: with no
// trigram index, the words of about the same length (the vocabulary holds
// only words of titles, tags and ingredient names, so this stays small).
// PostgreSQL asks its trigram index in the probe (search_probe).
func (sqliteDialect) knownWords(ctx context.Context, q querier, term string) ([]string, error) {
	maxDist := typoBudget(term)
	if maxDist == 0 {
		return nil, nil
	}
	n := len([]rune(term))
	rows, err := q.QueryContext(ctx, "SELECT term FROM search_terms WHERE length(term) BETWEEN ? AND ? ORDER BY term LIMIT ?",
		n-maxDist, n+maxDist, maxCandidates)
	if err != nil {
		return nil, fmt.Errorf("read search vocabulary: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var cand string
		if err := rows.Scan(&cand); err != nil {
			return nil, fmt.Errorf("read search vocabulary: %w", err)
		}
		out = append(out, cand)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read search vocabulary: %w", err)
	}
	return out, nil
}

// nearest returns the words of cands within typoBudget of term, nearest
// first (ties in the order of cands), at most max.
func nearest(term string, cands []string, max int) []string {
	maxDist := typoBudget(term)
	if maxDist == 0 {
		return nil
	}
	type near struct {
		word string
		dist int
	}
	var found []near
	for _, cand := range cands {
		if d := editDistance(term, cand, maxDist); d <= maxDist && d > 0 {
			found = append(found, near{cand, d})
		}
	}
	slices.SortStableFunc(found, func(a, b near) int { return a.dist - b.dist })
	out := make([]string, 0, min(len(found), max))
	for _, n := range found[:min(len(found), max)] {
		out = append(out, n.word)
	}
	return out
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
	d := sqliteDialect{}
	probes, err := d.probeTerms(ctx, q, terms)
	if err != nil {
		return searchPlan{}, false, err
	}
	fixes, err := d.correct(ctx, q, terms, probes, exact)
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
		key:       "r.*",
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
