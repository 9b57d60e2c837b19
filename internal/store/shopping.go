package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/validate"
)

// Shopping lists (migration 31): shopping_lists, shopping_items, their
// shopping_item_sources, and shopping_aisles, the aisle a household filed
// an ingredient under.
//
// Every change of a list first bumps its version (listChange), which
// locks its row on PostgreSQL until the change commits: two members
// changing one list run one after another, and each change is one line's
// (tick this, add that), merged into what is there, never a list written
// over whole. A reader that saw version n and sees it again has seen
// every change; the live view and the offline copy rest on that.

// Errors of the lists.
var (
	// ErrTooManyLists: the household has planner.MaxLists lists.
	ErrTooManyLists = errors.New("store: the household has as many lists as it may")
	// ErrListFull: the list has planner.MaxItems lines.
	ErrListFull = errors.New("store: the shopping list is full")
)

// ShoppingLists are userID's household's lists, newest first, each with
// its counts: one statement.
func (s *Store) ShoppingLists(ctx context.Context, userID string, now time.Time) ([]planner.ListSummary, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	var out []planner.ListSummary
	err := s.inTx(ctx, func(tx conn) error {
		m, err := s.ensureHousehold(ctx, tx, userID, now.UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		out, err = listsOf(ctx, tx, m.household, "")
		return err
	})
	return out, err
}

// listSummaryQuery reads lists with their counts; the caller adds the
// condition.
const listSummaryQuery = "SELECT l.id, l.name, l.version, l.created_at, l.updated_at," +
	" (SELECT count(*) FROM shopping_items i WHERE i.list_id = l.id)," +
	" (SELECT count(*) FROM shopping_items i WHERE i.list_id = l.id AND i.checked_at IS NOT NULL)" +
	" FROM shopping_lists l WHERE l.household_id = ?"

// listsOf reads household's lists, or only list id when id is not "".
func listsOf(ctx context.Context, q conn, household, id string) ([]planner.ListSummary, error) {
	query, args := listSummaryQuery, []any{household}
	if id != "" {
		query, args = query+" AND l.id = ?", append(args, id)
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY l.created_at DESC, l.id", args...)
	if err != nil {
		return nil, fmt.Errorf("read shopping lists: %w", err)
	}
	defer rows.Close()
	out := []planner.ListSummary{}
	for rows.Next() {
		var l planner.ListSummary
		if err := rows.Scan(&l.ID, &l.Name, &l.Version, &l.CreatedAt, &l.UpdatedAt, &l.Items, &l.Checked); err != nil {
			return nil, fmt.Errorf("read shopping lists: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// listName checks a list's name as planner.NormalizeListName does.
func listName(name string) (string, error) {
	var errs validate.Errors
	name = planner.NormalizeListName(&errs, name)
	if err := errs.Err(); err != nil {
		return "", err
	}
	if !storable(name) {
		return "", ErrNotFound
	}
	return name, nil
}

// CreateShoppingList makes a list named name for userID's household.
func (s *Store) CreateShoppingList(ctx context.Context, userID, name string, now time.Time) (*planner.ListSummary, error) {
	name, err := listName(name)
	if err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	var out planner.ListSummary
	err = s.planChange(ctx, userID, now, func(tx conn, household string, _ []string) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM shopping_lists WHERE household_id = ?", household).Scan(&n); err != nil {
			return fmt.Errorf("count shopping lists: %w", err)
		}
		if n >= planner.MaxLists {
			return ErrTooManyLists
		}
		id := newID()
		if _, err := tx.ExecContext(ctx, "INSERT INTO shopping_lists (id, household_id, name, version, created_by, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)",
			id, household, name, userID, now, now); err != nil {
			return fmt.Errorf("create shopping list: %w", err)
		}
		out = planner.ListSummary{ID: id, Name: name, Version: 1, CreatedAt: now, UpdatedAt: now}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// listChange runs fn in a transaction on list listID of userID's
// household, after bumping its version (which locks the row):
// ErrNotFound when there is no such list in their household.
func (s *Store) listChange(ctx context.Context, userID, listID string, now time.Time, fn func(tx conn, household string) error) error {
	if !validID(userID) || !validID(listID) {
		return ErrNotFound
	}
	return s.inTx(ctx, func(tx conn) error {
		res, err := tx.ExecContext(ctx, "UPDATE shopping_lists SET version = version + 1, updated_at = ? WHERE id = ?"+
			" AND household_id = (SELECT household_id FROM household_members WHERE user_id = ?)", now, listID, userID)
		if err != nil {
			return fmt.Errorf("change shopping list %s: %w", listID, err)
		}
		if err := mustAffect(res, "shopping list "+listID); err != nil {
			return err
		}
		var household string
		if err := tx.QueryRowContext(ctx, "SELECT household_id FROM shopping_lists WHERE id = ?", listID).Scan(&household); err != nil {
			return fmt.Errorf("read shopping list %s: %w", listID, err)
		}
		return fn(tx, household)
	})
}

// RenameShoppingList names list listID name.
func (s *Store) RenameShoppingList(ctx context.Context, userID, listID, name string, now time.Time) (*planner.ListSummary, error) {
	name, err := listName(name)
	if err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	var out planner.ListSummary
	err = s.listChange(ctx, userID, listID, now, func(tx conn, household string) error {
		if _, err := tx.ExecContext(ctx, "UPDATE shopping_lists SET name = ? WHERE id = ?", name, listID); err != nil {
			return fmt.Errorf("rename shopping list %s: %w", listID, err)
		}
		lists, err := listsOf(ctx, tx, household, listID)
		if err == nil && len(lists) == 1 {
			out = lists[0]
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteShoppingList removes list listID with its lines.
func (s *Store) DeleteShoppingList(ctx context.Context, userID, listID string, now time.Time) error {
	return s.listChange(ctx, userID, listID, now.UTC(), func(tx conn, _ string) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM shopping_lists WHERE id = ?", listID)
		return err
	})
}

// ShoppingListVersion is list listID's version, for a member of its
// household: what a live view polls. One indexed read.
func (s *Store) ShoppingListVersion(ctx context.Context, userID, listID string) (int64, error) {
	if !validID(userID) || !validID(listID) {
		return 0, ErrNotFound
	}
	var v int64
	err := s.read().QueryRowContext(ctx, "SELECT l.version FROM shopping_lists l JOIN household_members m ON m.household_id = l.household_id"+
		" WHERE l.id = ? AND m.user_id = ?", listID, userID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return v, err
}

// ShoppingList is list listID of userID's household with its lines and
// where they came from: three statements whatever its length.
func (s *Store) ShoppingList(ctx context.Context, userID, listID string) (*planner.List, error) {
	if !validID(userID) || !validID(listID) {
		return nil, ErrNotFound
	}
	m, err := membershipOf(ctx, s.read(), userID)
	if err != nil {
		return nil, err
	}
	return listIn(ctx, s.read(), m.household, userID, listID)
}

// listIn reads list listID of household as viewerID sees it.
func listIn(ctx context.Context, q conn, household, viewerID, listID string) (*planner.List, error) {
	lists, err := listsOf(ctx, q, household, listID)
	if err != nil {
		return nil, err
	}
	if len(lists) == 0 {
		return nil, ErrNotFound
	}
	out := &planner.List{ListSummary: lists[0], Lines: []planner.Item{}}
	rows, err := q.QueryContext(ctx, "SELECT i.id, i.name, i.measure, i.quantity, i.shown_in, i.aisle, i.checked_at, COALESCE(u.display_name, ''),"+
		" i.created_at, i.updated_at FROM shopping_items i LEFT JOIN users u ON u.id = i.checked_by WHERE i.list_id = ?", listID)
	if err != nil {
		return nil, fmt.Errorf("read shopping list %s: %w", listID, err)
	}
	defer rows.Close()
	at := map[string]int{}
	for rows.Next() {
		var it planner.Item
		var qty sql.NullFloat64
		var checked sql.NullTime
		if err := rows.Scan(&it.ID, &it.Name, &it.Measure, &qty, &it.ShownIn, &it.Aisle, &checked, &it.CheckedBy, &it.CreatedAt, &it.UpdatedAt); err != nil {
			return nil, fmt.Errorf("read shopping list %s: %w", listID, err)
		}
		if qty.Valid {
			it.Quantity = &qty.Float64
		}
		if checked.Valid {
			t := checked.Time
			it.Checked, it.CheckedAt = true, &t
		} else {
			it.CheckedBy = ""
		}
		it.Amount = planner.ShowAmount(it.Measure, it.ShownIn, it.Quantity)
		it.Name = planner.ShowName(it.Name, it.Measure, it.Quantity)
		it.Sources = []planner.Source{}
		at[it.ID] = len(out.Lines)
		out.Lines = append(out.Lines, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read shopping list %s: %w", listID, err)
	}
	rows.Close()
	// The sources of every line at once; the recipe's id only where the
	// viewer may open it.
	srows, err := q.QueryContext(ctx, "SELECT s.item_id, s.title, s.quantity,"+
		" CASE WHEN r.visibility <> 'private' OR r.author_id = ? THEN s.recipe_id ELSE NULL END"+
		" FROM shopping_item_sources s JOIN shopping_items i ON i.id = s.item_id LEFT JOIN recipes r ON r.id = s.recipe_id"+
		" WHERE i.list_id = ? ORDER BY s.created_at, s.id", viewerID, listID)
	if err != nil {
		return nil, fmt.Errorf("read sources of shopping list %s: %w", listID, err)
	}
	defer srows.Close()
	for srows.Next() {
		var itemID string
		var src planner.Source
		var qty sql.NullFloat64
		var recipeID sql.NullString
		if err := srows.Scan(&itemID, &src.Title, &qty, &recipeID); err != nil {
			return nil, fmt.Errorf("read sources of shopping list %s: %w", listID, err)
		}
		i, ok := at[itemID]
		if !ok {
			continue
		}
		it := &out.Lines[i]
		if qty.Valid {
			src.Amount = planner.ShowAmount(it.Measure, it.ShownIn, &qty.Float64)
		}
		src.RecipeID = recipeID.String
		it.Sources = append(it.Sources, src)
	}
	if err := srows.Err(); err != nil {
		return nil, err
	}
	sortLines(out.Lines)
	return out, nil
}

// sortLines orders a list for the shop: unticked lines first, each part
// by aisle in planner.Aisles order, then by name.
func sortLines(lines []planner.Item) {
	rank := map[string]int{}
	for i, a := range planner.Aisles {
		rank[a.Key] = i
	}
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(lines, func(a, b planner.Item) int {
		return cmp.Or(b2i(a.Checked)-b2i(b.Checked), rank[a.Aisle]-rank[b.Aisle],
			strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
}

// sourceKey names where a line came from: a recipe, or by hand ("").
type sourceKey struct{ recipeID, title string }

// pending is what one addition brings to one line of the list.
type pending struct {
	line    planner.Line
	sources map[sourceKey]*float64
	order   []sourceKey
}

// merger collects the lines of one addition, merged by ingredient and
// measure before they meet the list.
type merger struct {
	byKey map[[2]string]*pending
	order [][2]string
}

func (m *merger) add(l planner.Line, src sourceKey) {
	if m.byKey == nil {
		m.byKey = map[[2]string]*pending{}
	}
	k := [2]string{l.Key, l.Measure}
	p, ok := m.byKey[k]
	if !ok {
		p = &pending{line: l, sources: map[sourceKey]*float64{}}
		p.line.Quantity = nil
		m.byKey[k], m.order = p, append(m.order, k)
	}
	p.line.Quantity = planner.AddQuantity(p.line.Quantity, l.Quantity)
	p.line.ShownIn = planner.MergeShown(p.line.ShownIn, l.ShownIn)
	if _, seen := p.sources[src]; !seen {
		p.order = append(p.order, src)
	}
	p.sources[src] = planner.AddQuantity(p.sources[src], l.Quantity)
}

// apply merges the collected lines into list listID of household: each
// joins the unticked line of its ingredient and measure, or starts one
// filed under the household's aisle for it (else the guess). It returns
// how many lines it touched.
func (m *merger) apply(ctx context.Context, tx conn, household, listID string, now time.Time) (int, error) {
	if len(m.order) == 0 {
		return 0, nil
	}
	type open struct {
		id      string
		qty     *float64
		shownIn string
	}
	existing := map[[2]string]open{}
	var count int
	rows, err := tx.QueryContext(ctx, "SELECT id, item_key, measure, quantity, shown_in, checked_at IS NULL FROM shopping_items WHERE list_id = ?", listID)
	if err != nil {
		return 0, fmt.Errorf("read shopping list %s: %w", listID, err)
	}
	for rows.Next() {
		var o open
		var key, measure string
		var qty sql.NullFloat64
		var unticked bool
		if err := rows.Scan(&o.id, &key, &measure, &qty, &o.shownIn, &unticked); err != nil {
			rows.Close()
			return 0, err
		}
		if qty.Valid {
			o.qty = &qty.Float64
		}
		count++
		if unticked {
			existing[[2]string{key, measure}] = o
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	aisles, err := householdAisles(ctx, tx, household)
	if err != nil {
		return 0, err
	}
	sources, err := sourcesOf(ctx, tx, listID)
	if err != nil {
		return 0, err
	}
	for _, k := range m.order {
		p := m.byKey[k]
		o, ok := existing[k]
		if ok {
			qty, shown := planner.AddQuantity(o.qty, p.line.Quantity), planner.MergeShown(o.shownIn, p.line.ShownIn)
			if _, err := tx.ExecContext(ctx, "UPDATE shopping_items SET quantity = ?, shown_in = ?, updated_at = ? WHERE id = ?", qty, shown, now, o.id); err != nil {
				return 0, fmt.Errorf("merge into shopping list: %w", err)
			}
		} else {
			if count >= planner.MaxItems {
				return 0, ErrListFull
			}
			count++
			aisle, known := aisles[p.line.Key]
			if !known {
				aisle = planner.GuessAisle(p.line.Key, p.line.Measure)
			}
			o.id = newID()
			if _, err := tx.ExecContext(ctx, "INSERT INTO shopping_items (id, list_id, name, item_key, measure, quantity, shown_in, aisle, created_at, updated_at)"+
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", o.id, listID, p.line.Name, p.line.Key, p.line.Measure, p.line.Quantity, p.line.ShownIn, aisle, now, now); err != nil {
				return 0, fmt.Errorf("add to shopping list: %w", err)
			}
		}
		for _, src := range p.order {
			if err := sources.add(ctx, tx, o.id, src, p.sources[src], now); err != nil {
				return 0, err
			}
		}
	}
	return len(m.order), nil
}

// sourceRow is a stored source of a line: its row and amount.
type sourceRow struct {
	id  string
	qty *float64
}

// lineSources are one line's sources, in the order they were added.
type lineSources struct {
	rows  map[sourceKey]*sourceRow
	order []sourceKey
}

// listSources are the sources of a list's lines, by line: read once per
// change, so adding a week's recipes costs no read per source.
type listSources map[string]*lineSources

// sourcesOf reads the sources of list listID's lines in one statement.
func sourcesOf(ctx context.Context, tx conn, listID string) (listSources, error) {
	rows, err := tx.QueryContext(ctx, "SELECT s.id, s.item_id, s.recipe_id, s.title, s.quantity FROM shopping_item_sources s"+
		" JOIN shopping_items i ON i.id = s.item_id WHERE i.list_id = ? ORDER BY s.created_at, s.id", listID)
	if err != nil {
		return nil, fmt.Errorf("read sources of shopping list %s: %w", listID, err)
	}
	defer rows.Close()
	out := listSources{}
	for rows.Next() {
		var r sourceRow
		var itemID string
		var key sourceKey
		var recipeID sql.NullString
		var qty sql.NullFloat64
		if err := rows.Scan(&r.id, &itemID, &recipeID, &key.title, &qty); err != nil {
			return nil, err
		}
		key.recipeID, r.qty = recipeID.String, nullFloat(qty)
		out.line(itemID).put(key, &r)
	}
	return out, rows.Err()
}

func (ls listSources) line(itemID string) *lineSources {
	l, ok := ls[itemID]
	if !ok {
		l = &lineSources{rows: map[sourceKey]*sourceRow{}}
		ls[itemID] = l
	}
	return l
}

func (l *lineSources) put(key sourceKey, r *sourceRow) {
	if _, ok := l.rows[key]; !ok {
		l.order = append(l.order, key)
	}
	l.rows[key] = r
}

// add records that src needs q more of line itemID, on the row the line
// already has for src if any, so a line keeps one row per recipe however
// often it is added.
func (ls listSources) add(ctx context.Context, tx conn, itemID string, src sourceKey, q *float64, now time.Time) error {
	l := ls.line(itemID)
	if r, ok := l.rows[src]; ok {
		r.qty = planner.AddQuantity(r.qty, q)
		if _, err := tx.ExecContext(ctx, "UPDATE shopping_item_sources SET quantity = ? WHERE id = ?", r.qty, r.id); err != nil {
			return fmt.Errorf("add source of shopping line: %w", err)
		}
		return nil
	}
	var recipeID any
	if src.recipeID != "" {
		recipeID = src.recipeID
	}
	r := &sourceRow{id: newID(), qty: q}
	if _, err := tx.ExecContext(ctx, "INSERT INTO shopping_item_sources (id, item_id, recipe_id, title, quantity, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		r.id, itemID, recipeID, src.title, q, now); err != nil {
		return fmt.Errorf("add source of shopping line: %w", err)
	}
	l.put(src, r)
	return nil
}

// householdAisles are the aisles household filed ingredients under, by
// ingredient key.
func householdAisles(ctx context.Context, q conn, household string) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT item_key, aisle FROM shopping_aisles WHERE household_id = ?", household)
	if err != nil {
		return nil, fmt.Errorf("read aisles: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, a string
		if err := rows.Scan(&k, &a); err != nil {
			return nil, err
		}
		out[k] = a
	}
	return out, rows.Err()
}

// AddShoppingItem adds a line typed by hand ("500 g butter", "kitchen
// paper") to list listID, merged like any other.
func (s *Store) AddShoppingItem(ctx context.Context, userID, listID, text string, now time.Time) (*planner.AddResult, error) {
	var errs validate.Errors
	text = validate.Text(&errs, "text", text, 1, planner.MaxItemText, false)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !storable(text) {
		return nil, ErrNotFound
	}
	l, ok := planner.ParseLine(text)
	if !ok {
		return nil, validate.Errors{{Field: "text", Message: "must name something to buy"}}.Err()
	}
	var m merger
	m.add(l, sourceKey{})
	return s.addLines(ctx, userID, listID, &m, nil, 0, now)
}

// addLines applies m to list listID and reads the list back.
func (s *Store) addLines(ctx context.Context, userID, listID string, m *merger, staples []string, hidden int, now time.Time) (*planner.AddResult, error) {
	now = now.UTC().Truncate(time.Microsecond)
	out := &planner.AddResult{Staples: staples, Hidden: hidden}
	if out.Staples == nil {
		out.Staples = []string{}
	}
	err := s.listChange(ctx, userID, listID, now, func(tx conn, household string) error {
		n, err := m.apply(ctx, tx, household, listID, now)
		if err != nil {
			return err
		}
		out.Added = n
		out.List, err = listIn(ctx, tx, household, userID, listID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RecipeToShop is a recipe to add to a list at some servings (nil: as
// written).
type RecipeToShop struct {
	RecipeID string
	Servings *int
}

// AddRecipesToList adds the ingredients of recipes, each scaled to its
// servings, to list listID. Recipes userID may not read add nothing and
// are counted in Hidden; pantry staples are left out (and named) unless
// withStaples.
func (s *Store) AddRecipesToList(ctx context.Context, userID, listID string, recipes []RecipeToShop, withStaples bool, now time.Time) (*planner.AddResult, error) {
	if len(recipes) > planner.MaxAddRecipes {
		return nil, validate.Errors{{Field: "recipes", Message: fmt.Sprintf("may name at most %d recipes", planner.MaxAddRecipes)}}.Err()
	}
	var errs validate.Errors
	for i, r := range recipes {
		if strings.TrimSpace(r.RecipeID) == "" {
			errs.Add(fmt.Sprintf("recipes[%d].recipe_id", i), "is required")
		}
		planner.CheckServings(&errs, fmt.Sprintf("recipes[%d].servings", i), r.Servings)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	found, err := recipesToShop(ctx, s.read(), userID, recipes)
	if err != nil {
		return nil, err
	}
	var m merger
	var staples []string
	seenStaple := map[string]bool{}
	hidden := 0
	for _, want := range recipes {
		r, ok := found[want.RecipeID]
		if !ok {
			hidden++
			continue
		}
		factor := planner.ScaleFactor(r.servings, want.Servings)
		for _, ing := range r.ingredients {
			l, ok := planner.LineOf(ing, factor)
			if !ok {
				continue
			}
			if !withStaples && planner.IsStaple(l.Key) {
				if !seenStaple[l.Key] {
					seenStaple[l.Key] = true
					staples = append(staples, l.Name)
				}
				continue
			}
			m.add(l, sourceKey{recipeID: want.RecipeID, title: r.title})
		}
	}
	return s.addLines(ctx, userID, listID, &m, staples, hidden, now)
}

// AddPlanToList adds what userID's household planned from day from to
// day to (inclusive), each recipe at its planned servings, to list
// listID; free-text entries add nothing.
func (s *Store) AddPlanToList(ctx context.Context, userID, listID, from, to string, withStaples bool, now time.Time) (*planner.AddResult, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	if !validID(userID) {
		return nil, ErrNotFound
	}
	m, err := membershipOf(ctx, s.read(), userID)
	if err != nil {
		return nil, err
	}
	rows, err := s.read().QueryContext(ctx, "SELECT recipe_id, servings FROM meal_plan_entries WHERE household_id = ? AND day >= ? AND day <= ?"+
		" AND recipe_id IS NOT NULL ORDER BY day, position, created_at", m.household, from, to)
	if err != nil {
		return nil, fmt.Errorf("read meal plan: %w", err)
	}
	var recipes []RecipeToShop
	for rows.Next() {
		var r RecipeToShop
		var servings sql.NullInt64
		if err := rows.Scan(&r.RecipeID, &servings); err != nil {
			rows.Close()
			return nil, err
		}
		r.Servings = intPtr(servings)
		recipes = append(recipes, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(recipes) > planner.MaxAddRecipes {
		recipes = recipes[:planner.MaxAddRecipes]
	}
	return s.AddRecipesToList(ctx, userID, listID, recipes, withStaples, now)
}

// shopRecipe is a recipe's title, servings and ingredients.
type shopRecipe struct {
	title       string
	servings    *int
	ingredients []recipe.Ingredient
}

// recipesToShop reads the recipes of want that viewerID may read, with
// their ingredients: two statements for any number.
func recipesToShop(ctx context.Context, q conn, viewerID string, want []RecipeToShop) (map[string]*shopRecipe, error) {
	out := map[string]*shopRecipe{}
	var ids []any
	seen := map[string]bool{}
	for _, r := range want {
		if validID(r.RecipeID) && !seen[r.RecipeID] {
			seen[r.RecipeID] = true
			ids = append(ids, r.RecipeID)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	rows, err := q.QueryContext(ctx, "SELECT id, title, servings FROM recipes WHERE id IN "+in+" AND (visibility <> 'private' OR author_id = ?)",
		append(slices.Clone(ids), viewerID)...)
	if err != nil {
		return nil, fmt.Errorf("read recipes to shop for: %w", err)
	}
	for rows.Next() {
		var id string
		var r shopRecipe
		var servings sql.NullInt64
		if err := rows.Scan(&id, &r.title, &servings); err != nil {
			rows.Close()
			return nil, err
		}
		r.servings = intPtr(servings)
		out[id] = &r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, "SELECT recipe_id, quantity, quantity_max, unit, name FROM recipe_ingredients WHERE recipe_id IN "+in+
		" ORDER BY recipe_id, position", ids...)
	if err != nil {
		return nil, fmt.Errorf("read ingredients to shop for: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var ing recipe.Ingredient
		var qty, top sql.NullFloat64
		if err := rows.Scan(&id, &qty, &top, &ing.Unit, &ing.Name); err != nil {
			return nil, err
		}
		if qty.Valid {
			ing.Quantity = &qty.Float64
		}
		if top.Valid {
			ing.QuantityMax = &top.Float64
		}
		if r, ok := out[id]; ok {
			r.ingredients = append(r.ingredients, ing)
		}
	}
	return out, rows.Err()
}

// ItemChange is a change of one line; nil fields stay.
type ItemChange struct {
	Checked *bool
	// Aisle files the line, and from now on its ingredient, under an
	// aisle for the household.
	Aisle *string
}

// ChangeShoppingItem applies ch to line itemID of list listID. Ticking
// a ticked line (or unticking an unticked one) changes nothing, so a
// tick sent twice, or queued offline and sent late, does no harm. A
// line unticked while another unticked line of its ingredient has since
// been started merges into it.
func (s *Store) ChangeShoppingItem(ctx context.Context, userID, listID, itemID string, ch ItemChange, now time.Time) (*planner.List, error) {
	if !validID(itemID) {
		return nil, ErrNotFound
	}
	if ch.Aisle != nil && !planner.ValidAisle(*ch.Aisle) {
		return nil, validate.Errors{{Field: "aisle", Message: "must be one of the aisles: " + aisleKeys()}}.Err()
	}
	now = now.UTC().Truncate(time.Microsecond)
	var out *planner.List
	err := s.listChange(ctx, userID, listID, now, func(tx conn, household string) error {
		var line shoppingRow
		err := tx.QueryRowContext(ctx, "SELECT item_key, measure, quantity, shown_in, checked_at FROM shopping_items WHERE id = ? AND list_id = ?", itemID, listID).
			Scan(&line.key, &line.measure, &line.qty, &line.shownIn, &line.checked)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("read shopping line %s: %w", itemID, err)
		}
		if ch.Aisle != nil {
			if _, err := tx.ExecContext(ctx, "UPDATE shopping_items SET aisle = ?, updated_at = ? WHERE id = ?", *ch.Aisle, now, itemID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO shopping_aisles (household_id, item_key, aisle, updated_at) VALUES (?, ?, ?, ?)"+
				" ON CONFLICT (household_id, item_key) DO UPDATE SET aisle = excluded.aisle, updated_at = excluded.updated_at",
				household, line.key, *ch.Aisle, now); err != nil {
				return fmt.Errorf("remember aisle: %w", err)
			}
		}
		switch {
		case ch.Checked == nil || *ch.Checked == line.checked.Valid:
		case *ch.Checked:
			if _, err := tx.ExecContext(ctx, "UPDATE shopping_items SET checked_at = ?, checked_by = ?, updated_at = ? WHERE id = ?", now, userID, now, itemID); err != nil {
				return err
			}
		default:
			if err := untick(ctx, tx, listID, itemID, line, now); err != nil {
				return err
			}
		}
		out, err = listIn(ctx, tx, household, userID, listID)
		return err
	})
	return out, err
}

// shoppingRow is what a change reads of the line it changes.
type shoppingRow struct {
	key, measure, shownIn string
	qty                   sql.NullFloat64
	checked               sql.NullTime
}

// untick puts line itemID (as read, line) back on the list; when an
// unticked line of its ingredient and measure exists (added since it was
// ticked), the two become one: amounts and sources joined.
func untick(ctx context.Context, tx conn, listID, itemID string, line shoppingRow, now time.Time) error {
	var openID string
	var openQty sql.NullFloat64
	var openShown string
	err := tx.QueryRowContext(ctx, "SELECT id, quantity, shown_in FROM shopping_items WHERE list_id = ? AND item_key = ? AND measure = ? AND checked_at IS NULL",
		listID, line.key, line.measure).Scan(&openID, &openQty, &openShown)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.ExecContext(ctx, "UPDATE shopping_items SET checked_at = NULL, checked_by = NULL, updated_at = ? WHERE id = ?", now, itemID)
		return err
	}
	if err != nil {
		return err
	}
	total := planner.AddQuantity(nullFloat(openQty), nullFloat(line.qty))
	if _, err := tx.ExecContext(ctx, "UPDATE shopping_items SET quantity = ?, shown_in = ?, updated_at = ? WHERE id = ?",
		total, planner.MergeShown(openShown, line.shownIn), now, openID); err != nil {
		return err
	}
	sources, err := sourcesOf(ctx, tx, listID)
	if err != nil {
		return err
	}
	if moved, ok := sources[itemID]; ok {
		for _, key := range moved.order {
			if err := sources.add(ctx, tx, openID, key, moved.rows[key].qty, now); err != nil {
				return err
			}
		}
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM shopping_items WHERE id = ?", itemID)
	return err
}

func nullFloat(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	return &n.Float64
}

func aisleKeys() string {
	keys := make([]string, len(planner.Aisles))
	for i, a := range planner.Aisles {
		keys[i] = a.Key
	}
	return strings.Join(keys, ", ")
}

// DeleteShoppingItem removes line itemID from list listID.
func (s *Store) DeleteShoppingItem(ctx context.Context, userID, listID, itemID string, now time.Time) error {
	if !validID(itemID) {
		return ErrNotFound
	}
	return s.listChange(ctx, userID, listID, now.UTC(), func(tx conn, _ string) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM shopping_items WHERE id = ? AND list_id = ?", itemID, listID)
		if err != nil {
			return fmt.Errorf("delete shopping line %s: %w", itemID, err)
		}
		return mustAffect(res, "shopping line "+itemID)
	})
}

// ClearCheckedItems removes the ticked lines of list listID and says how
// many there were.
func (s *Store) ClearCheckedItems(ctx context.Context, userID, listID string, now time.Time) (int, error) {
	var n int64
	err := s.listChange(ctx, userID, listID, now.UTC(), func(tx conn, _ string) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM shopping_items WHERE list_id = ? AND checked_at IS NOT NULL", listID)
		if err != nil {
			return fmt.Errorf("clear ticked lines: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
