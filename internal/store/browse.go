package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/recipe"
)

// CountCap is where counting stops: a search matching more recipes is
// reported as "more than CountCap". Counting every match of a broad
// search would read all of them on each page view; nobody needs to know
// whether "soup" matches 4 812 or 4 813 recipes. Facets count over the
// same bounded set of matches.
const CountCap = 1000

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
	// are more than Total, and then Facets count only Total of them.
	Total int
	More  bool
	// Facets count the matching recipes.
	Facets Facets
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
		page, err := s.listPage(ctx, q, lq, f)
		if err != nil {
			return err
		}
		b = &Browse{Page: page, Facets: Facets{Tags: []Facet{}, Categories: []Facet{}, Difficulty: []Facet{}, Time: []Facet{}}}
		if f.none {
			return nil
		}
		if err := b.count(ctx, q, f, s.search.countCap); err != nil {
			return err
		}
		if len(search.Terms) > 0 {
			b.Ingredients, err = ingredientNames(ctx, q, page.Items)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// count fills in Total, More and Facets from f's first limit+1 matches
// (the count) and first limit matches (the facets).
func (b *Browse) count(ctx context.Context, q conn, f *filter, limit int) error {
	from, args := f.sql("")
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 "+from+" LIMIT "+strconv.Itoa(limit+1)+") m",
		args...).Scan(&b.Total); err != nil {
		return fmt.Errorf("count recipes: %w", err)
	}
	if b.Total > limit {
		b.Total, b.More = limit, true
	}
	if b.Total == 0 {
		return nil
	}
	sample := "(SELECT r.id, r.difficulty, r.total_minutes " + from + " LIMIT " + strconv.Itoa(limit) + ") r"

	// Difficulty and time in one pass: a sum per value.
	var sums []string
	levels := []string{string(recipe.Easy), string(recipe.Medium), string(recipe.Hard)}
	for _, l := range levels {
		sums = append(sums, "COALESCE(sum(CASE WHEN r.difficulty = '"+l+"' THEN 1 ELSE 0 END), 0)")
	}
	for _, t := range TimeBuckets {
		sums = append(sums, "COALESCE(sum(CASE WHEN "+t.cond()+" THEN 1 ELSE 0 END), 0)")
	}
	n := make([]int, len(sums))
	dest := make([]any, len(sums))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := q.QueryRowContext(ctx, "SELECT "+strings.Join(sums, ", ")+" FROM "+sample, args...).Scan(dest...); err != nil {
		return fmt.Errorf("count recipes by difficulty and time: %w", err)
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
		table, link, column string
		out                 *[]Facet
	}{
		{"tags", "recipe_tags", "tag_id", &b.Facets.Tags},
		{"categories", "recipe_categories", "category_id", &b.Facets.Categories},
	} {
		rows, err := q.QueryContext(ctx, "SELECT t.name, count(*) FROM "+sample+
			" JOIN "+l.link+" x ON x.recipe_id = r.id JOIN "+l.table+" t ON t.id = x."+l.column+
			" GROUP BY t.name ORDER BY count(*) DESC, t.name LIMIT "+strconv.Itoa(maxFacetValues), args...)
		if err != nil {
			return fmt.Errorf("count recipes by %s: %w", l.table, err)
		}
		for rows.Next() {
			var fc Facet
			if err := rows.Scan(&fc.Value, &fc.Count); err != nil {
				rows.Close()
				return fmt.Errorf("count recipes by %s: %w", l.table, err)
			}
			*l.out = append(*l.out, fc)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("count recipes by %s: %w", l.table, err)
		}
	}
	return nil
}

// ingredientNames loads the ingredient names of items in one query.
func ingredientNames(ctx context.Context, q conn, items []*recipe.Summary) (map[string][]string, error) {
	out := make(map[string][]string, len(items))
	if len(items) == 0 {
		return out, nil
	}
	args := make([]any, len(items))
	for i, it := range items {
		args[i] = it.ID
	}
	in := placeholders(len(items))
	rows, err := q.QueryContext(ctx, "SELECT recipe_id, name FROM recipe_ingredients WHERE recipe_id IN ("+in+") ORDER BY recipe_id, position", args...)
	if err != nil {
		return nil, fmt.Errorf("load ingredient names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("load ingredient names: %w", err)
		}
		out[id] = append(out[id], name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load ingredient names: %w", err)
	}
	return out, nil
}
