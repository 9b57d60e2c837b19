package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/jsonscan"
	"github.com/reccollection/reccollection/internal/recipe"
)

// NewRecipe is one recipe to insert in a batch.
type NewRecipe struct {
	AuthorID string
	Input    recipe.Input
	// CreatedAt backdates a recipe (seed data, imports); zero means now.
	CreatedAt time.Time
}

// CreateRecipe inserts a validated recipe and returns it as stored. The
// answer is read back inside the writing transaction, never after the
// commit: a connection lost between the two would otherwise report a
// saved recipe as failed, and a client retrying it would save it twice.
func (s *Store) CreateRecipe(ctx context.Context, authorID string, in recipe.Input) (*recipe.Recipe, error) {
	var r *recipe.Recipe
	err := s.inTx(ctx, func(tx conn) error {
		ids, err := s.insertRecipes(ctx, tx, []NewRecipe{{AuthorID: authorID, Input: in}})
		if err != nil {
			return err
		}
		r, err = s.loadRecipe(ctx, tx, ids[0])
		return err
	})
	if err != nil {
		return nil, err
	}
	// Followers hear of a public recipe from a job (notifications.go).
	s.announceRecipe(ctx, r.ID, string(r.Visibility))
	return r, nil
}

// CreateRecipes inserts many recipes in one transaction: all or none. Seed
// and import use it to write thousands of recipes quickly.
func (s *Store) CreateRecipes(ctx context.Context, batch []NewRecipe) ([]string, error) {
	var ids []string
	err := s.inTx(ctx, func(tx conn) (err error) {
		ids, err = s.insertRecipes(ctx, tx, batch)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// The statements insertRecipes writes a recipe's row with.
const (
	insertRecipeColumns = `INSERT INTO recipes
		(id, author_id, title, description, prep_minutes, cook_minutes, total_minutes, servings,
		 difficulty, visibility, source_url, created_at, updated_at, search_tags, search_ingredients`
	insertRecipeSQL         = insertRecipeColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	insertCreditedRecipeSQL = insertRecipeColumns + `, source_author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// insertRecipes writes batch on tx and returns the new ids in order.
func (s *Store) insertRecipes(ctx context.Context, tx conn, batch []NewRecipe) ([]string, error) {
	ids := make([]string, len(batch))
	labels := labelCache{}
	seen := map[string]bool{}
	now := s.now().UTC().Truncate(time.Microsecond)
	for i, nr := range batch {
		created := now
		if !nr.CreatedAt.IsZero() {
			created = nr.CreatedAt.UTC().Truncate(time.Microsecond)
		}
		id := newID()
		in := nr.Input
		columns, values := insertRecipeSQL, []any{id, nr.AuthorID, in.Title, in.Description, intArg(in.PrepMinutes), intArg(in.CookMinutes),
			intArg(in.TotalMinutes()), intArg(in.Servings), string(in.Difficulty), string(in.Visibility),
			in.SourceURL, created, created, searchTags(in), searchIngredients(in)}
		if in.SourceAuthor != "" {
			// Named only when set: a recipe without a credit still
			// writes to a database at a schema before the column
			// (migration 00032), as restore tests seed older schemas.
			columns, values = insertCreditedRecipeSQL, append(values, in.SourceAuthor)
		}
		_, err := tx.ExecContext(ctx, columns, values...)
		if err != nil {
			return nil, fmt.Errorf("insert recipe %q: %w", in.Title, err)
		}
		if err := writeRecipeParts(ctx, tx, id, in, labels); err != nil {
			return nil, err
		}
		if err := indexTerms(ctx, tx, vocabulary(in, seen)); err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

// ReplaceRecipe overwrites every field and part of recipe id with in.
func (s *Store) ReplaceRecipe(ctx context.Context, id string, in recipe.Input) (*recipe.Recipe, error) {
	var r *recipe.Recipe
	err := s.inTx(ctx, func(tx conn) error {
		res, err := tx.ExecContext(ctx, `UPDATE recipes SET
			title = ?, description = ?, prep_minutes = ?, cook_minutes = ?, total_minutes = ?, servings = ?,
			difficulty = ?, visibility = ?, source_url = ?, source_author = ?, updated_at = ?, search_tags = ?, search_ingredients = ?
			WHERE id = ?`,
			in.Title, in.Description, intArg(in.PrepMinutes), intArg(in.CookMinutes), intArg(in.TotalMinutes()),
			intArg(in.Servings), string(in.Difficulty), string(in.Visibility), in.SourceURL, in.SourceAuthor,
			s.now().UTC().Truncate(time.Microsecond), searchTags(in), searchIngredients(in), id)
		if err != nil {
			return fmt.Errorf("update recipe %s: %w", id, err)
		}
		if err := mustAffect(res, "recipe "+id); err != nil {
			return err
		}
		for _, table := range []string{"recipe_ingredients", "recipe_steps", "recipe_tags", "recipe_categories"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE recipe_id = ?", id); err != nil {
				return fmt.Errorf("clear %s of recipe %s: %w", table, id, err)
			}
		}
		if err := writeRecipeParts(ctx, tx, id, in, labelCache{}); err != nil {
			return err
		}
		if err := indexTerms(ctx, tx, vocabulary(in, map[string]bool{})); err != nil {
			return err
		}
		// Inside the transaction, for the reason CreateRecipe gives.
		r, err = s.loadRecipe(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// DeleteRecipe removes a recipe and, by cascade, its parts and photos;
// the photos' blobs are deleted once that has committed (OnBlobsFreed).
func (s *Store) DeleteRecipe(ctx context.Context, id string) error {
	if !validID(id) {
		return ErrNotFound
	}
	var keys []string
	err := s.inTx(ctx, func(tx conn) error {
		var err error
		if keys, err = recipePhotoKeys(ctx, tx, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM recipes WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("delete recipe %s: %w", id, err)
		}
		return mustAffect(res, "recipe "+id)
	})
	if err != nil {
		return err
	}
	s.freed(keys)
	return nil
}

// labelCache remembers tag and category ids within one transaction.
type labelCache map[string]int64

func writeRecipeParts(ctx context.Context, tx conn, id string, in recipe.Input, labels labelCache) error {
	// A list without sections leaves the column to its default, so the
	// same write works on a schema from before sections (the backup tests
	// seed an old schema through the store).
	ings := make([][]any, len(in.Ingredients))
	for i, ing := range in.Ingredients {
		ings[i] = []any{id, i + 1, floatArg(ing.Quantity), floatArg(ing.QuantityMax), ing.Unit, ing.Name, ing.Note, ing.Original}
	}
	columns := withSections("recipe_id, position, quantity, quantity_max, unit, name, note, original", ings, in.IngredientGroups)
	if err := insertRows(ctx, tx, "recipe_ingredients", columns, ings); err != nil {
		return fmt.Errorf("insert ingredients of recipe %s: %w", id, err)
	}
	steps := make([][]any, len(in.Steps))
	for i, step := range in.Steps {
		steps[i] = []any{id, i + 1, step}
	}
	columns = withSections("recipe_id, position, body", steps, in.StepGroups)
	if err := insertRows(ctx, tx, "recipe_steps", columns, steps); err != nil {
		return fmt.Errorf("insert steps of recipe %s: %w", id, err)
	}
	if err := linkLabels(ctx, tx, "tags", "recipe_tags", "tag_id", id, in.Tags, labels); err != nil {
		return err
	}
	return linkLabels(ctx, tx, "categories", "recipe_categories", "category_id", id, in.Categories, labels)
}

// withSections adds a section value to each of rows, the title of the group
// the row opens or ”, and returns columns with the section column; rows
// and columns are left as they are when there are no groups.
func withSections(columns string, rows [][]any, groups []recipe.Group) string {
	if len(groups) == 0 {
		return columns
	}
	sections := sectionTitles(groups, len(rows))
	for i := range rows {
		rows[i] = append(rows[i], sections[i])
	}
	return columns + ", section"
}

// sectionTitles returns, for each of n rows, the title of the group the
// row opens or "".
func sectionTitles(groups []recipe.Group, n int) []string {
	sections := make([]string, n)
	for _, g := range groups {
		if g.Start >= 0 && g.Start < n { // Normalize checks; this keeps an unchecked caller from panicking
			sections[g.Start] = g.Title
		}
	}
	return sections
}

// insertRows writes rows in one multi-row INSERT: one round trip per
// table however long the recipe. Recipe limits keep it far below both
// engines' parameter limits.
func insertRows(ctx context.Context, tx querier, table, columns string, rows [][]any, suffix ...string) error {
	if len(rows) == 0 {
		return nil
	}
	tuple := "(" + placeholders(len(rows[0])) + ")"
	var b strings.Builder
	args := make([]any, 0, len(rows)*len(rows[0]))
	b.WriteString("INSERT INTO " + table + " (" + columns + ") VALUES ")
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
		args = append(args, r...)
	}
	for _, sfx := range suffix {
		b.WriteString(" " + sfx)
	}
	_, err := tx.ExecContext(ctx, b.String(), args...)
	return err
}

// linkLabels creates any missing tag or category and links it to the recipe.
func linkLabels(ctx context.Context, tx conn, table, link, column, recipeID string, names []string, cache labelCache) error {
	for _, name := range names {
		key := table + "\x00" + name
		labelID, ok := cache[key]
		if !ok {
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+" (name) VALUES (?) ON CONFLICT (name) DO NOTHING", name); err != nil {
				return fmt.Errorf("create %s %q: %w", table, name, err)
			}
			if err := tx.QueryRowContext(ctx, "SELECT id FROM "+table+" WHERE name = ?", name).Scan(&labelID); err != nil {
				return fmt.Errorf("find %s %q: %w", table, name, err)
			}
			cache[key] = labelID
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+link+" (recipe_id, "+column+") VALUES (?, ?)", recipeID, labelID); err != nil {
			return fmt.Errorf("link %s %q to recipe %s: %w", table, name, recipeID, err)
		}
	}
	return nil
}

// vocabulary returns the words of in's title, tags, categories and
// ingredient names not yet in seen (which it updates), for the typo
// correction vocabulary; words shorter than four letters are never
// corrected to, so they are left out.
func vocabulary(in recipe.Input, seen map[string]bool) []string {
	return vocabularyOf(in.Title, searchTags(in), searchIngredients(in), seen)
}

// vocabularyOf is vocabulary from a recipe row's title, search_tags and
// search_ingredients.
func vocabularyOf(title, tags, ingredients string, seen map[string]bool) []string {
	var out []string
	for _, w := range words(title + " " + tags + " " + ingredients) {
		if len([]rune(w)) >= 4 && len(w) <= 64 && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func searchTags(in recipe.Input) string {
	return strings.Join(append(append([]string{}, in.Tags...), in.Categories...), " ")
}

func searchIngredients(in recipe.Input) string {
	names := make([]string, len(in.Ingredients))
	for i, ing := range in.Ingredients {
		names[i] = ing.Name
	}
	return strings.Join(names, " ")
}

const summaryColumns = `r.id, r.title, r.description, r.prep_minutes, r.cook_minutes, r.total_minutes, r.servings,
	r.difficulty, r.visibility, r.created_at, r.updated_at, u.id, u.username, u.display_name`

func scanSummary(row interface{ Scan(...any) error }, extra ...any) (*recipe.Summary, error) {
	var r recipe.Summary
	var prep, cook, total, servings sql.NullInt64
	dest := []any{&r.ID, &r.Title, &r.Description, &prep, &cook, &total, &servings,
		&r.Difficulty, &r.Visibility, &r.CreatedAt, &r.UpdatedAt, &r.Author.ID, &r.Author.Username, &r.Author.DisplayName}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	r.PrepMinutes, r.CookMinutes, r.TotalMinutes, r.Servings = intPtr(prep), intPtr(cook), intPtr(total), intPtr(servings)
	r.Tags, r.Categories = []string{}, []string{}
	return &r, nil
}

// Recipe loads one recipe in full, whatever its visibility: the caller
// decides who may see it (recipe.CanRead). A read replica may answer; one
// that does not have the recipe yet defers to the primary (replica.go).
func (s *Store) Recipe(ctx context.Context, id string) (*recipe.Recipe, error) {
	r, _, err := s.RecipeFor(ctx, id, "")
	return r, err
}

// RecipeFor is Recipe with what userID has done with it (liked, saved,
// rated), read in the same statement; no marks for "" (a visitor).
func (s *Store) RecipeFor(ctx context.Context, id, userID string) (*recipe.Recipe, recipe.Mine, error) {
	if !validID(id) {
		return nil, recipe.Mine{}, ErrNotFound
	}
	var r *recipe.Recipe
	var m recipe.Mine
	err := s.fromReplicaOrPrimary(ctx, func(q conn) (err error) {
		r, m, err = s.loadRecipeFor(ctx, q, id, userID, nil)
		return err
	})
	return r, m, err
}

func (s *Store) loadRecipe(ctx context.Context, q conn, id string) (*recipe.Recipe, error) {
	r, _, err := s.loadRecipeFor(ctx, q, id, "", nil)
	return r, err
}

// loadRecipeFor reads recipe id in one statement: the row with its author,
// and its ingredients, steps, tags, categories, photos and the author's
// avatar each aggregated into a JSON column (the dialect's jsonArray and
// jsonObject), ordered by position in the database, and for a userID
// their marks on it. Eight round trips became one; decoding the JSON
// costs less CPU than the seven statements it replaces
// (BenchmarkLoadRecipe). When choices is not nil (and userID is set) it
// also receives userID's collections for the recipe (collectionChoices),
// in the same statement.
func (s *Store) loadRecipeFor(ctx context.Context, q conn, id, userID string, choices *[]byte) (*recipe.Recipe, recipe.Mine, error) {
	var source, sourceAuthor string
	var card cardJSON
	var ingredients, steps, photos []byte
	var m recipe.Mine
	var stars sql.NullInt64
	query, args := readSQL[s.d.name()].recipe, []any{id}
	var comments int
	dest := append(card.dest(), &source, &sourceAuthor, &ingredients, &steps, &photos, &comments)
	if userID != "" {
		query, args = readSQL[s.d.name()].recipeMine, []any{userID, userID, userID, id}
		dest = append(dest, &m.Liked, &m.Saved, &stars)
		if choices != nil {
			query, args = readSQL[s.d.name()].recipeMineChoices, []any{userID, userID, userID, userID, id}
			dest = append(dest, choices)
		}
	}
	sum, err := scanSummary(q.QueryRowContext(ctx, query, args...), dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, m, ErrNotFound
	}
	if err != nil {
		return nil, m, fmt.Errorf("load recipe %s: %w", id, err)
	}
	m.MyRating = intPtr(stars)
	if err := s.fillCard(sum, &card); err != nil {
		return nil, m, fmt.Errorf("load recipe %s: %w", id, err)
	}
	r := &recipe.Recipe{Summary: *sum, SourceURL: source, SourceAuthor: sourceAuthor, Ingredients: []recipe.Ingredient{},
		IngredientGroups: []recipe.IngredientGroup{}, Steps: []string{}, StepGroups: []recipe.StepGroup{}, CommentCount: comments}

	var ings []ingredientJSON
	if err := json.Unmarshal(ingredients, &ings); err != nil {
		return nil, m, fmt.Errorf("load ingredients of recipe %s: %w", id, err)
	}
	for _, ing := range ings {
		if ing.Section != "" {
			r.IngredientGroups = append(r.IngredientGroups, recipe.IngredientGroup{Title: ing.Section, Start: len(r.Ingredients)})
		}
		r.Ingredients = append(r.Ingredients, recipe.Ingredient{Quantity: ing.Quantity, QuantityMax: ing.QuantityMax,
			Unit: ing.Unit, Name: ing.Name, Note: ing.Note, Original: ing.Original})
	}

	var sts []stepJSON
	if err := json.Unmarshal(steps, &sts); err != nil {
		return nil, m, fmt.Errorf("load steps of recipe %s: %w", id, err)
	}
	for _, st := range sts {
		if st.Section != "" {
			r.StepGroups = append(r.StepGroups, recipe.StepGroup{Title: st.Section, Start: len(r.Steps)})
		}
		r.Steps = append(r.Steps, st.Body)
	}

	if err := s.fillRecipePhotos(r, photos); err != nil {
		return nil, m, fmt.Errorf("load photos of recipe %s: %w", id, err)
	}
	return r, m, nil
}

// readSQL is the text of the statements that read recipes, per dialect
// name: built once, as it depends on nothing else.
var readSQL = map[string]readQueries{
	"postgres": newReadQueries(postgresDialect{}),
	"sqlite":   newReadQueries(sqliteDialect{}),
}

type readQueries struct {
	// recipe is loadRecipe's statement, card the summary's JSON columns
	// (cardColumns) on r and u, names a column of the ingredient names in
	// order; pageCard and pageNames are the same on a list's page of rows,
	// pg (listPage).
	recipe, card, names, pageCard, pageNames string
	// recipeMine is recipe with a reader's marks (mineOn), their id
	// three times before the recipe's.
	recipeMine string
	// recipeMineChoices is recipeMine with the reader's collections
	// (collectionChoices), their id four times before the recipe's.
	recipeMineChoices string
}

func newReadQueries(d dialect) readQueries {
	ingredient := d.jsonObject("q", "i.quantity", "m", "i.quantity_max", "u", "i.unit", "n", "i.name",
		"o", "i.note", "g", "i.original", "s", "i.section")
	step := d.jsonObject("b", "st.body", "s", "st.section")
	card := cardColumns(d, "r.id", "u.id")
	names := func(recipeID string) string {
		return "(SELECT " + d.jsonArray("i.name", "i.position") + " FROM recipe_ingredients i WHERE i.recipe_id = " + recipeID + ")"
	}
	columns := "SELECT " + summaryColumns + ", " + card + ", r.source_url, r.source_author" +
		", (SELECT " + d.jsonArray(ingredient, "i.position") + " FROM recipe_ingredients i WHERE i.recipe_id = r.id)" +
		", (SELECT " + d.jsonArray(step, "st.position") + " FROM recipe_steps st WHERE st.recipe_id = r.id)" +
		// Every photo of the recipe, main photo included: gallery, main,
		// step sort in that order, and fillRecipePhotos keeps the others.
		", (SELECT " + d.jsonArray(photoObject(d, "p"), "p.role, p.step, p.position") + " FROM photos p WHERE p.recipe_id = r.id)" +
		// Its comments, counted as its likes are (comments.go).
		", " + commentCountOf("r.id")
	const from = " FROM recipes r JOIN users u ON u.id = r.author_id WHERE r.id = ?"
	return readQueries{card: card, names: names("r.id"),
		pageCard: cardColumns(d, "pg.page_recipe", "pg.page_author"), pageNames: names("pg.page_recipe"),
		recipe: columns + from, recipeMine: columns + ", " + mineOn("r.id") + from,
		recipeMineChoices: columns + ", " + mineOn("r.id") + ", " + collectionChoices(d, "r.id") + from}
}

// ingredientJSON and stepJSON are a recipe's parts as loadRecipe's
// statement aggregates them; the keys are short because they are repeated for every
// row.
type ingredientJSON struct {
	Quantity    *float64 `json:"q"`
	QuantityMax *float64 `json:"m"`
	Unit        string   `json:"u"`
	Name        string   `json:"n"`
	Note        string   `json:"o"`
	Original    string   `json:"g"`
	Section     string   `json:"s"`
}

type stepJSON struct {
	Body    string `json:"b"`
	Section string `json:"s"`
}

// cardColumns are the JSON columns that come with a summary wherever one
// is read (a list's rows, a recipe): its tags and categories, each in name
// order, its main photo and its author's avatar: correlated subselects on
// the expressions recipeID and authorID; then its counts (countColumns).
func cardColumns(d dialect, recipeID, authorID string) string {
	label := func(table, link, column string) string {
		return "(SELECT " + d.jsonArray("t.name", "t.name") + " FROM " + link + " x JOIN " + table +
			" t ON t.id = x." + column + " WHERE x.recipe_id = " + recipeID + ")"
	}
	return label("tags", "recipe_tags", "tag_id") + ", " + label("categories", "recipe_categories", "category_id") +
		", (SELECT " + photoObject(d, "p") + " FROM photos p WHERE p.recipe_id = " + recipeID + " AND p.role = 'main')" +
		", (SELECT " + photoObject(d, "p") + " FROM photos p WHERE p.owner_id = " + authorID + " AND p.role = 'avatar')" +
		", " + countColumns(recipeID)
}

// cardJSON receives cardColumns.
type cardJSON struct {
	tags, categories, photo, avatar []byte
	counts                          countsRow
}

func (c *cardJSON) dest() []any {
	return append([]any{&c.tags, &c.categories, &c.photo, &c.avatar}, c.counts.dest()...)
}

// fillCard decodes c into r.
func (s *Store) fillCard(r *recipe.Summary, c *cardJSON) error {
	r.Counts = c.counts.counts()
	if err := jsonscan.Strings(c.tags, &r.Tags); err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	if err := jsonscan.Strings(c.categories, &r.Categories); err != nil {
		return fmt.Errorf("categories: %w", err)
	}
	var err error
	if r.Photo, err = s.decodePhoto(c.photo, r.Visibility == recipe.Private); err != nil {
		return err
	}
	r.Author.Avatar, err = s.decodePhoto(c.avatar, false)
	return err
}

func intArg(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

func floatArg(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}
