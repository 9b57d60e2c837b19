package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/jsonscan"
	"github.com/reccollection/reccollection/internal/recipe"
)

// CountCap is where counting stops: a search matching more recipes is
// reported as "more than CountCap". Counting every match of a broad
// search would read all of them on each page view; nobody needs to know
// whether "soup" matches 4 812 or 4 813 recipes. Facets count over the
// same bounded set of matches.
const CountCap = 1000

// SearchSample is how many of a search's matches its facets count at
// most: as many as it ranks (RankedMatches). Without a search the facets
// count up to CountCap of the newest recipes, read along an index with
// their labels; a search's count must first find its matches through the
// full-text index, and its facets counting a thousand of them, with two
// label probes each, cost an HTML search page 2.5 times a browse page. The
// page says how many the facets counted.
const SearchSample = RankedMatches

// maxFacetValues is how many tags or categories a facet lists: the most
// common ones among the matches.
const maxFacetValues = 10

// Facet is one choice of a facet and how many matching recipes have it.
type Facet struct {
	Value string
	Count int
}

// Facets are the counts of the matching recipes by tag, category,
// difficulty and total-time bucket (TimeBuckets), most common first for
// labels and in their natural order for the others; a value no match has
// is left out.
type Facets struct {
	Tags, Categories, Difficulty, Time []Facet
}

// Browse is a page of a list with what explains it: how many recipes
// match and how they divide.
type Browse struct {
	*Page
	// Total is how many recipes match, at most CountCap; More says there
	// are more than Total.
	Total int
	More  bool
	// Facets count the first Sampled matching recipes: all of them up to
	// CountCap, or SearchSample for a search.
	Facets  Facets
	Sampled int
	// Ingredients are the ingredient names of the page's recipes by id,
	// in order, for showing where a search matched; only for a search.
	Ingredients map[string][]string
}

// TimeBucket is a range of total times offered as a facet.
type TimeBucket struct {
	Key string
	// Min and Max bound the total minutes, inclusive; 0 means unbounded.
	Min, Max int
}

// TimeBuckets are the total-time facet's choices, quickest first.
var TimeBuckets = []TimeBucket{{Key: "upto30", Max: 30}, {Key: "30to60", Min: 31, Max: 60}, {Key: "over60", Min: 61}}

func timeBucket(key string) (TimeBucket, bool) {
	for _, b := range TimeBuckets {
		if b.Key == key {
			return b, true
		}
	}
	return TimeBucket{}, false
}

// cond is the bucket's condition on r.total_minutes; the bounds are the
// program's own constants, not input.
func (b TimeBucket) cond() string {
	var c []string
	if b.Min > 0 {
		c = append(c, "r.total_minutes >= "+strconv.Itoa(b.Min))
	}
	if b.Max > 0 {
		c = append(c, "r.total_minutes <= "+strconv.Itoa(b.Max))
	}
	return "(" + strings.Join(c, " AND ") + ")"
}

// BrowseRecipes is ListRecipes with the count, the facets and, for a
// search, the page's ingredient names. The search plan is made once and
// every query reuses its filter; all of them run within one search time
// budget, and each reads at most CountCap+1 matches, so the cost of a
// page stays bounded however many recipes match: four more queries than
// the list, whatever the page's length.
func (s *Store) BrowseRecipes(ctx context.Context, lq ListQuery) (*Browse, error) {
	search, errs := recipe.ParseSearch(lq.Query)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", errInvalidQuery, errs.Err())
	}
	var b *Browse
	err := s.withinSearchBudget(ctx, func(ctx context.Context, q conn) error {
		f, err := s.newFilter(ctx, q, lq, search.Terms)
		if err != nil {
			return err
		}
		var names map[string][]string
		if len(search.Terms) > 0 {
			names = map[string][]string{}
		}
		page, err := s.listPage(ctx, q, lq, f, names)
		if err != nil {
			return err
		}
		b = &Browse{Page: page, Facets: Facets{Tags: []Facet{}, Categories: []Facet{}, Difficulty: []Facet{}, Time: []Facet{}}}
		if f.none {
			return nil
		}
		b.Ingredients = names
		return b.count(ctx, q, s.d, f, s.search.countCap)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// sample is the query for the first n matches of f that count reads
// (id, difficulty, total_minutes). Without a search they are the newest n,
// walked along the newest-first indexes (viewerWalks for a viewer), so
// the counts "over the first 1,000" are over the same thousand on every
// visit instead of whichever rows a scan met first: the same page twice
// reads the same counts. A search's matches come from its full-text index
// in no useful order, and ordering every match of a common word to take
// the newest thousand would cost a sort of thousands of rows, so a search
// counts over the first found.
func (f *filter) sample(n int) (string, []any) {
	const cols = "r.id, r.difficulty, r.total_minutes, r.created_at"
	const newest = "r.created_at DESC, r.id DESC"
	from, args := f.sql("")
	switch {
	case f.searched:
		return "SELECT " + cols + " " + from + " LIMIT " + strconv.Itoa(n), args
	case f.viewer == "":
		return "SELECT " + cols + " " + from + " ORDER BY " + newest + " LIMIT " + strconv.Itoa(n), args
	}
	walks, args := f.viewerWalks(cols, nil, nil, newest, n)
	return "SELECT * FROM (" + walks + ") r ORDER BY " + newest + " LIMIT " + strconv.Itoa(n), args
}

// count fills in Total, More, Facets and Sampled in one statement. The
// first limit+1 matches are read once into a materialised set (m): its
// size is the count, and its first limit rows (SearchSample for a search)
// are the sample (s) the facets count
// — difficulty and time as sums in one pass, tags and categories as their
// ten most common names, each aggregated into a JSON column. One read of
// the matches instead of four, and one round trip instead of four.
func (b *Browse) count(ctx context.Context, q conn, d dialect, f *filter, limit int) error {
	var sums []string
	levels := []string{string(recipe.Easy), string(recipe.Medium), string(recipe.Hard)}
	for _, l := range levels {
		sums = append(sums, "COALESCE(sum(CASE WHEN r.difficulty = '"+l+"' THEN 1 ELSE 0 END), 0)")
	}
	for _, t := range TimeBuckets {
		sums = append(sums, "COALESCE(sum(CASE WHEN "+t.cond()+" THEN 1 ELSE 0 END), 0)")
	}
	// Grouped by label id, named after: ids and names are one to one, and
	// only the few groups, not every link row, are joined to the names.
	top := func(table, link, column string) string {
		return "(SELECT " + d.jsonArray(d.jsonObject("v", "f.name", "n", "f.n"), "f.n DESC, f.name") +
			" FROM (SELECT t.name, c.n FROM (SELECT x." + column + " AS label, count(*) AS n FROM s " +
			d.eachRowOf(link, "x", "x.recipe_id = s.id") + " GROUP BY x." + column + ") c JOIN " + table +
			" t ON t.id = c.label ORDER BY c.n DESC, t.name LIMIT " + strconv.Itoa(maxFacetValues) + ") f)"
	}
	sampled := limit
	if f.searched {
		sampled = min(limit, SearchSample)
	}
	sample, args := f.sample(limit + 1)
	query := "WITH m AS MATERIALIZED (" + sample + "), s AS (SELECT * FROM m LIMIT " + strconv.Itoa(sampled) + ")" +
		" SELECT (SELECT count(*) FROM m), " + strings.Join(sums, ", ") +
		", " + top("tags", "recipe_tags", "tag_id") + ", " + top("categories", "recipe_categories", "category_id") +
		" FROM s r"
	n := make([]int, len(sums))
	var tags, categories []byte
	dest := []any{&b.Total}
	for i := range n {
		dest = append(dest, &n[i])
	}
	dest = append(dest, &tags, &categories)
	if err := q.QueryRowContext(ctx, query, args...).Scan(dest...); err != nil {
		return fmt.Errorf("count recipes: %w", err)
	}
	b.Sampled = min(b.Total, sampled)
	if b.Total > limit {
		b.Total, b.More = limit, true
	}
	for i, l := range levels {
		if n[i] > 0 {
			b.Facets.Difficulty = append(b.Facets.Difficulty, Facet{l, n[i]})
		}
	}
	for i, t := range TimeBuckets {
		if c := n[len(levels)+i]; c > 0 {
			b.Facets.Time = append(b.Facets.Time, Facet{t.Key, c})
		}
	}
	for _, l := range []struct {
		data []byte
		out  *[]Facet
	}{{tags, &b.Facets.Tags}, {categories, &b.Facets.Categories}} {
		var fs []jsonscan.Facet
		if err := jsonscan.Facets(l.data, &fs); err != nil {
			return fmt.Errorf("count recipes by label: %w", err)
		}
		for _, fc := range fs {
			*l.out = append(*l.out, Facet(fc))
		}
	}
	return nil
}
