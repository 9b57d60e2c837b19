package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
)

// Sort orders a recipe list.
type Sort string

const (
	SortNewest    Sort = "newest"
	SortTitle     Sort = "title"
	SortQuickest  Sort = "quickest"
	SortRelevance Sort = "relevance" // only with a search text; the default then
)

// ErrBadCursor means a pagination cursor was not one this store issued for
// the same sort.
var ErrBadCursor = errors.New("invalid cursor")

// ListQuery selects a page of recipes. Visibility is applied from ViewerID:
// public recipes for everyone, plus the viewer's own of any visibility.
type ListQuery struct {
	ViewerID        string
	AuthorID        string
	Tag             string
	Category        string
	Difficulty      recipe.Difficulty
	Visibility      recipe.Visibility
	MaxTotalMinutes *int
	// Time is a total-time bucket's key (TimeBuckets).
	Time  string
	Query string
	// Exact searches the words as typed, without typo correction.
	Exact  bool
	Sort   Sort
	Limit  int
	Cursor string
	// SavedBy lists that person's saved recipes (their library) instead
	// of everyone's: those they may still read (recipe.CanRead), unlisted
	// ones included, whatever ViewerID says. Only ever their own id.
	SavedBy string
	// FollowedBy lists the public recipes of the people that person
	// follows (their feed, follows.go) instead of everyone's.
	FollowedBy string
}

// Page is one page of a list; NextCursor is empty on the last page.
type Page struct {
	Items      []*recipe.Summary
	NextCursor string
	// Corrections are the search words that matched nothing public and
	// were widened with the closest known word (none with Exact).
	Corrections []Correction
}

// cursor is the position after the last item of a page. Keyset cursors
// carry the sort key of that item; relevance pages, whose rank is not a
// stable column, carry an offset.
type cursor struct {
	Sort   Sort      `json:"s"`
	ID     string    `json:"i,omitempty"`
	Time   time.Time `json:"t,omitzero"`
	Title  string    `json:"k,omitempty"`
	Min    *int      `json:"m,omitempty"`
	Offset int       `json:"o,omitempty"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, sort Sort) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > 1024 {
		return nil, ErrBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadCursor
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != sort || c.Offset < 0 {
		return nil, ErrBadCursor
	}
	// Cursors are opaque but not secret: a hand-made one must not reach
	// the query with a key the engines would read differently.
	if sort != SortRelevance {
		if !validID(c.ID) || !storable(c.Title) || len(c.Title) > 4*1024 {
			return nil, ErrBadCursor
		}
		if sort == SortNewest && c.Time.IsZero() {
			return nil, ErrBadCursor
		}
	}
	return &c, nil
}

// MaxListLimit is the largest page a caller may ask for.
const MaxListLimit = 100

// DefaultListLimit is the page a caller gets without asking for a size.
const DefaultListLimit = 20

// maxRelevanceOffset bounds how deep a ranked search can be paged: ranking
// every match again for page 500 is work nobody needs.
const maxRelevanceOffset = 1000

// ListRecipes returns one page of the recipes the viewer may see in lists.
// Lists and searches tolerate replication lag, so they may be answered by a
// read replica (replica.go). A search text is held to recipe.ParseSearch's
// limits (a text over them is refused with a *validate.Error) and a search
// to the store's time budget (ErrSearchTimeout).
func (s *Store) ListRecipes(ctx context.Context, lq ListQuery) (*Page, error) {
	search, errs := recipe.ParseSearch(lq.Query)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", errInvalidQuery, errs.Err())
	}
	var page *Page
	if len(search.Terms) == 0 {
		err := s.fromReplica(ctx, func(q conn) (err error) {
			page, err = s.listRecipes(ctx, q, lq, nil)
			return err
		})
		return page, err
	}
	err := s.withinSearchBudget(ctx, func(ctx context.Context, q conn) (err error) {
		page, err = s.listRecipes(ctx, q, lq, search.Terms)
		return err
	})
	return page, err
}

// filter is the narrowing a list query applies before its order and
// page: the list, its count and its facets all read the same one, so they
// cannot disagree on which recipes match (nor on who may see them).
type filter struct {
	// from follows "FROM recipes r": the search plan's join, if any.
	from     string
	fromArgs []any
	where    []string
	args     []any
	// rank orders by relevance, "" without a searchable text; the ranked
	// rows are those of candidates (bound), its arguments candidateArgs.
	rank          string
	candidates    string
	candidateArgs []any
	// carried is set when the candidates carry only what ranking needs
	// (the plan's key): the columns they pass on to the page's recipes,
	// joined to them once ranked.
	carried     string
	corrections []Correction
	// none is set when a label names nothing: no recipe can match.
	none bool
	// searched is set for a search (the plan's words are in where).
	searched bool
	// viewer is the signed-in viewer, "" for a visitor; where ends with
	// the visibility condition, and for a viewer args with their id.
	viewer string
}

// sql returns "FROM recipes r ... WHERE ..." and its arguments; extra is
// joined after the search plan (the users table for a list).
func (f *filter) sql(extra string) (string, []any) {
	args := append(append([]any{}, f.fromArgs...), f.args...)
	return "FROM recipes r" + f.from + extra + " WHERE " + strings.Join(f.where, " AND "), args
}

// viewerWalks is f's matches for a signed-in viewer (and extra, a
// cursor's conditions), the first n in order, as two walks: the public
// recipes, and the viewer's own that are not public, each along its own
// index in that order (recipes_public_newest_idx, recipes_author_newest_idx
// and the like), UNION ALL'd; the caller orders the union again and takes
// n. f's own visibility condition, "public OR the viewer's", cannot use
// either index: PostgreSQL ORed two bitmaps and sorted every recipe the
// viewer may see, 1.5 s a browse page at 1 000 000 recipes.
func (f *filter) viewerWalks(columns string, extra []string, extraArgs []any, order string, n int) (string, []any) {
	// where ends with the visibility condition and args with the
	// viewer (newFilter); each walk puts its own instead.
	conds := append(append([]string{}, f.where[:len(f.where)-1]...), extra...)
	base := append(append(append([]any{}, f.fromArgs...), f.args[:len(f.args)-1]...), extraArgs...)
	walk := func(visibility string) string {
		return "SELECT * FROM (SELECT " + columns + " FROM recipes r" + f.from + " WHERE " +
			strings.Join(append(conds, visibility), " AND ") + " ORDER BY " + order + " LIMIT " + strconv.Itoa(n) + ")"
	}
	query := walk("r.visibility = 'public'") + " p UNION ALL " + walk("r.author_id = ? AND r.visibility <> 'public'") + " o"
	args := append(append(append([]any{}, base...), base...), f.viewer)
	return query, args
}

// rankedSQL is sql for a page in relevance order: the same recipes, but
// only the bounded candidates (bound), and of them only the page (limit
// rows after offset in order), ranked before anything is joined to them.
// The caller's query orders the page again (a subquery's order is not
// promised to last) and takes it whole. Ranked first, the card's columns
// are computed for the page alone: PostgreSQL postpones a column past the
// sort only when it estimates it costly, and it does not for a count over
// a small table (the likes of a young site), which it then computed for
// every candidate (200 where the page is 21). Candidates that carry only
// what ranking needs (carried; PostgreSQL's id, time and search vector)
// are joined to their recipes once ranked, so the wide rows are read for
// the page alone.
func (f *filter) rankedSQL(extra, order string, limit, offset int) (string, []any) {
	ranked := "SELECT * FROM (" + f.candidates + ") r ORDER BY " + order + " LIMIT ? OFFSET ?"
	args := append(append([]any{}, f.candidateArgs...), limit, offset)
	if f.carried != "" {
		ranked = "SELECT r.*" + f.carried + " FROM (" + ranked + ") c JOIN recipes r ON r.id = c.id"
	}
	return "FROM (" + ranked + ") r" + extra + " WHERE 1 = 1", args
}

// newFilter builds lq's filter; terms are the search's words.
func (s *Store) newFilter(ctx context.Context, q conn, lq ListQuery, terms []string) (*filter, error) {
	f := &filter{}
	var plan searchPlan
	planned := false
	if len(terms) > 0 {
		var err error
		plan, planned, err = s.d.plan(ctx, q, terms, lq.Exact)
		if err != nil {
			return nil, err
		}
		if planned {
			f.from = " " + plan.join
			f.fromArgs = plan.joinArgs
			f.where = append(f.where, plan.where)
			f.args = append(f.args, plan.whereArgs...)
			f.corrections = plan.corrections
		}
	}
	add := func(cond string, args ...any) {
		f.where = append(f.where, cond)
		f.args = append(f.args, args...)
	}
	if lq.AuthorID != "" {
		add("r.author_id = ?", lq.AuthorID)
	}
	if lq.Visibility != "" {
		add("r.visibility = ?", string(lq.Visibility))
	}
	if lq.Difficulty != "" {
		add("r.difficulty = ?", string(lq.Difficulty))
	}
	if lq.MaxTotalMinutes != nil {
		add("r.total_minutes <= ?", *lq.MaxTotalMinutes)
	}
	if lq.Time != "" {
		b, ok := timeBucket(lq.Time)
		if !ok {
			return nil, fmt.Errorf("%w: unknown time %q", errInvalidQuery, lq.Time)
		}
		add(b.cond())
	}
	// Labels are resolved to ids first: an unknown tag answers an empty
	// page at once instead of a walk of the whole sort index, and the
	// planner sees a constant id.
	for _, l := range []struct{ name, table, link, column string }{
		{lq.Tag, "tags", "recipe_tags", "tag_id"},
		{lq.Category, "categories", "recipe_categories", "category_id"},
	} {
		if l.name == "" {
			continue
		}
		if !storable(l.name) {
			f.none = true
			return f, nil
		}
		var id int64
		err := q.QueryRowContext(ctx, "SELECT id FROM "+l.table+" WHERE name = ?", l.name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			f.none = true
			return f, nil
		}
		if err != nil {
			return nil, fmt.Errorf("look up %s %q: %w", l.table, l.name, err)
		}
		add("EXISTS (SELECT 1 FROM "+l.link+" x WHERE x.recipe_id = r.id AND x."+l.column+" = ?)", id)
	}
	if lq.FollowedBy != "" {
		f.feedFilter(lq.FollowedBy)
		if planned {
			f.boundAll(plan, s.search.ranked)
		}
		f.searched = planned
		return f, nil
	}
	if lq.SavedBy != "" {
		// Driven from the saver's rows (IN, not EXISTS), so the planner
		// can start from their few saves rather than walk every recipe.
		add("r.id IN (SELECT sv.recipe_id FROM recipe_saves sv WHERE sv.user_id = ?)", lq.SavedBy)
		vis, visArgs := readableBy("r", lq.SavedBy)
		add(vis, visArgs...)
		if planned {
			f.boundAll(plan, s.search.ranked)
		}
		f.searched = planned
		return f, nil
	}
	if planned {
		f.bound(plan, lq.ViewerID, s.search.ranked)
	}
	f.searched, f.viewer = planned, lq.ViewerID
	if lq.ViewerID == "" {
		add("r.visibility = 'public'")
	} else {
		add("(r.visibility = 'public' OR r.author_id = ?)", lq.ViewerID)
	}
	return f, nil
}

// bound sets f's ranked candidates: the newest n matches the viewer may
// see, each engine walking an index in newest order and stopping at n (or,
// for a rare word, reading its few matches from the full-text index);
// only they are ranked. A common word matches tens of thousands of
// recipes, and ranking every one of them for a page of twenty was most of
// a search's cost and grew with the data. The trade-off: a strong match
// older than the newest n is not in the relevance order (the newest sort,
// or one more word, finds it); a search with fewer matches than n ranks
// them all. Paging is an offset into the same ranked candidates, so it
// stays consistent while no recipe is written, and ends after n. The count
// and facets (browse.go) read f's unbounded form, so they still tell how
// many recipes match. f holds no visibility condition yet: each walk adds
// its own; the public one reads the search window on PostgreSQL
// (windowed).
func (f *filter) bound(p searchPlan, viewer string, n int) {
	conds := strings.Join(f.where, " AND ")
	walk := func(visibility string) string {
		return "SELECT " + p.key + p.columns + " FROM recipes r" + f.from + " WHERE " + visibility + " AND " + conds +
			" ORDER BY " + p.newest + " LIMIT " + strconv.Itoa(n)
	}
	args := append([]any{}, f.fromArgs...)
	public := walk("r.visibility = 'public'")
	publicArgs := f.args
	if p.window != "" {
		public, publicArgs = f.windowed(p, n)
	}
	switch {
	case viewer == "":
		f.candidates = public
		args = append(args, publicArgs...)
	case p.splitByViewer:
		f.candidates = "SELECT * FROM ((" + public + ") UNION ALL (" +
			walk("r.author_id = ? AND r.visibility <> 'public'") + ")) r ORDER BY " + p.newest + " LIMIT " + strconv.Itoa(n)
		args = append(args, publicArgs...)
		args = append(args, f.fromArgs...)
		args = append(args, viewer)
		args = append(args, f.args...)
	default:
		f.candidates = walk("(r.visibility = 'public' OR r.author_id = ?)")
		args = append(append(args, viewer), f.args...)
	}
	f.candidateArgs = args
	f.rank, f.carried = p.rank, p.carried
}

// boundAll is bound for a filter that already holds its visibility
// condition (a saved list): one walk of its newest n matches.
func (f *filter) boundAll(p searchPlan, n int) {
	f.candidates = "SELECT " + p.key + p.columns + " FROM recipes r" + f.from + " WHERE " + strings.Join(f.where, " AND ") +
		" ORDER BY " + p.newest + " LIMIT " + strconv.Itoa(n)
	f.candidateArgs = append(append([]any{}, f.fromArgs...), f.args...)
	f.rank, f.carried = p.rank, p.carried
}

// rankWindow is how many of the newest public recipes the search window
// holds (migration 28, TrimSearchWindow), in multiples of the ranked
// bound: at fifty, a word in one recipe in fifty still fills the bound
// there.
const rankWindow = 50

// windowed is the public walk of bound on PostgreSQL, in two parts. First
// the matches in the search window (migration 28): the newest public
// recipes' search vectors, with their own GIN index, whose posting lists
// hold only the window's matches, so a common word costs the same at any
// size, and whose narrow rows are what ranking needs (the recipes' wide
// rows are read for the page alone, rankedSQL). The recipe is joined there
// only for f's other conditions (a tag, a time). When the window holds a
// page or more of matches, its newest n are the ranked set: the same as
// the newest n of all matches whenever it holds n. A rarer word, with
// less than a page there, is topped up with the newest matches below the
// window's edge, which the recipes' GIN index finds cheaply because they
// are few. The edge is read in the same statement (one snapshot), so the
// parts neither overlap nor leave a gap whenever the window was last
// trimmed.
func (f *filter) windowed(p searchPlan, n int) (string, []any) {
	edge := "(SELECT edge FROM search_window_edge)"
	from := "search_window w"
	if len(f.where) > 1 {
		from += " JOIN recipes r ON r.id = w.id"
	}
	// f.where opens with the plan's condition (newFilter).
	recentConds := strings.Join(append([]string{p.window}, f.where[1:]...), " AND ")
	recent := "(SELECT w.*" + p.columns + " FROM " + from + f.from + " WHERE " + recentConds +
		" AND w.created_at >= " + edge + " ORDER BY w.created_at DESC, w.id DESC LIMIT " + strconv.Itoa(n) + ")"
	// A page of them in the window is enough to rank.
	older := "(SELECT " + p.key + p.columns + " FROM recipes r" + f.from + " WHERE r.visibility = 'public' AND " +
		strings.Join(f.where, " AND ") + " AND r.created_at < " + edge + " ORDER BY " + p.newest +
		" LIMIT (SELECT CASE WHEN count(*) < " + strconv.Itoa(DefaultListLimit) + " THEN " +
		strconv.Itoa(n) + " - count(*) ELSE 0 END FROM recent))"
	sql := "WITH recent AS " + recent + " SELECT * FROM recent UNION ALL " + older
	args := append(append(append([]any{}, f.args...), f.fromArgs...), f.args...)
	return sql, args
}

// listRecipes runs one list query; terms are the search's words, none for
// a plain list.
func (s *Store) listRecipes(ctx context.Context, q conn, lq ListQuery, terms []string) (*Page, error) {
	f, err := s.newFilter(ctx, q, lq, terms)
	if err != nil {
		return nil, err
	}
	return s.listPage(ctx, q, lq, f, nil)
}

// listPage reads the page of f that lq asks for, in one statement: the
// rows with their labels, main photos and authors' avatars as JSON
// columns (cardColumns). When names is not nil it also receives the
// ingredient names of the page's recipes, in order, by recipe id.
func (s *Store) listPage(ctx context.Context, q conn, lq ListQuery, f *filter, names map[string][]string) (*Page, error) {
	if lq.Limit <= 0 || lq.Limit > MaxListLimit {
		lq.Limit = DefaultListLimit
	}
	if lq.Sort == "" {
		lq.Sort = SortNewest
		if strings.TrimSpace(lq.Query) != "" {
			lq.Sort = SortRelevance
		}
	}
	cur, err := decodeCursor(lq.Cursor, lq.Sort)
	if err != nil {
		return nil, err
	}
	if f.none {
		return &Page{Items: []*recipe.Summary{}}, nil
	}
	rank := f.rank
	if lq.Sort == SortRelevance && rank == "" {
		// Nothing searchable in the text: fall back to newest first, with
		// the same offset cursor so paging still works.
		rank = "r.created_at DESC"
	}
	var where []string
	var whereArgs []any
	var order string
	offset := 0
	switch lq.Sort {
	case SortNewest:
		order = "r.created_at DESC, r.id DESC"
		if cur != nil {
			where = append(where, "(r.created_at < ? OR (r.created_at = ? AND r.id < ?))")
			whereArgs = append(whereArgs, cur.Time, cur.Time, cur.ID)
		}
	case SortTitle:
		order = "lower(r.title) ASC, r.id ASC"
		if cur != nil {
			where = append(where, "(lower(r.title) > ? OR (lower(r.title) = ? AND r.id > ?))")
			whereArgs = append(whereArgs, cur.Title, cur.Title, cur.ID)
		}
	case SortQuickest:
		// Recipes without times come last: "quickest" should not open
		// with recipes whose time nobody knows.
		order = "r.total_minutes ASC NULLS LAST, r.id ASC"
		if cur != nil {
			if cur.Min != nil {
				where = append(where, "(r.total_minutes > ? OR (r.total_minutes = ? AND r.id > ?) OR r.total_minutes IS NULL)")
				whereArgs = append(whereArgs, *cur.Min, *cur.Min, cur.ID)
			} else {
				where = append(where, "(r.total_minutes IS NULL AND r.id > ?)")
				whereArgs = append(whereArgs, cur.ID)
			}
		}
	case SortRelevance:
		order = rank + ", r.id ASC"
		if cur != nil {
			offset = cur.Offset
		}
		if offset > maxRelevanceOffset {
			return nil, ErrBadCursor
		}
	default:
		return nil, fmt.Errorf("%w: unknown sort %q", errInvalidQuery, lq.Sort)
	}

	// lower(title) comes from the database so that the cursor holds exactly
	// the key the engine sorts by (SQLite's lower() folds ASCII only).
	from, args := f.sql(" JOIN users u ON u.id = r.author_id")
	pageOffset := offset
	switch {
	case lq.Sort == SortRelevance && f.candidates != "":
		from, args = f.rankedSQL(" JOIN users u ON u.id = r.author_id", order, lq.Limit+1, offset)
		pageOffset = 0
	case f.viewer != "" && !f.searched && offset == 0:
		// A signed-in reader's list: the page's worth of each walk, in
		// the page's order (cursor conditions inside them).
		walks, wargs := f.viewerWalks("r.*", where, whereArgs, order, lq.Limit+1)
		from, args = "FROM ("+walks+") r JOIN users u ON u.id = r.author_id WHERE 1 = 1", wargs
		where, whereArgs = nil, nil
	}
	rows := summaryColumns + ", lower(r.title)"
	tail := " " + from + strings.Join(append([]string{""}, where...), " AND ") +
		" ORDER BY " + order +
		" LIMIT ? OFFSET ?"
	rq := readSQL[s.d.name()]
	var query string
	if s.d.columnsAfterLimit() {
		query = "SELECT pg.*, " + rq.pageCard
		if names != nil {
			query += ", " + rq.pageNames
		}
		query += " FROM (SELECT " + rows + ", r.id AS page_recipe, u.id AS page_author" + tail + ") pg"
	} else {
		query = "SELECT " + rows + ", " + rq.card
		if names != nil {
			query += ", " + rq.names
		}
		query += tail
	}
	args = append(args, whereArgs...)
	args = append(args, lq.Limit+1, pageOffset)

	rs, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list recipes: %w", err)
	}
	defer rs.Close()
	page := &Page{Items: []*recipe.Summary{}, Corrections: f.corrections}
	var titleKeys []string
	for rs.Next() {
		var key, pageRecipe, pageAuthor string
		var card cardJSON
		var ingredients []byte
		dest := []any{&key}
		if s.d.columnsAfterLimit() {
			dest = append(dest, &pageRecipe, &pageAuthor)
		}
		dest = append(dest, card.dest()...)
		if names != nil {
			dest = append(dest, &ingredients)
		}
		r, err := scanSummary(rs, dest...)
		if err != nil {
			return nil, fmt.Errorf("list recipes: %w", err)
		}
		if err := s.fillCard(r, &card); err != nil {
			return nil, fmt.Errorf("list recipes: %w", err)
		}
		if names != nil && len(page.Items) < lq.Limit {
			var list []string
			if err := json.Unmarshal(ingredients, &list); err != nil {
				return nil, fmt.Errorf("list ingredient names: %w", err)
			}
			names[r.ID] = list
		}
		page.Items = append(page.Items, r)
		titleKeys = append(titleKeys, key)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("list recipes: %w", err)
	}
	if len(page.Items) > lq.Limit {
		page.Items = page.Items[:lq.Limit]
		last := page.Items[len(page.Items)-1]
		next := cursor{Sort: lq.Sort, ID: last.ID}
		switch lq.Sort {
		case SortNewest:
			next.Time = last.CreatedAt
		case SortTitle:
			next.Title = titleKeys[len(page.Items)-1]
		case SortQuickest:
			next.Min = last.TotalMinutes
		case SortRelevance:
			next = cursor{Sort: lq.Sort, Offset: offset + lq.Limit}
		}
		page.NextCursor = encodeCursor(next)
	}
	return page, nil
}

// CountVisibleRecipes counts an author's recipes that the viewer may see in
// lists: the same rule as ListRecipes, so no count reveals a hidden recipe.
func (s *Store) CountVisibleRecipes(ctx context.Context, authorID, viewerID string) (int, error) {
	query := "SELECT count(*) FROM recipes r WHERE r.author_id = ? AND r.visibility = 'public'"
	args := []any{authorID}
	if viewerID != "" && viewerID == authorID {
		query = "SELECT count(*) FROM recipes r WHERE r.author_id = ?"
	}
	var n int
	err := s.fromReplica(ctx, func(q conn) error {
		return q.QueryRowContext(ctx, query, args...).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count recipes: %w", err)
	}
	return n, nil
}
