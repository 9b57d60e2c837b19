package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// BulkLoader writes recipes at scale (synthetic seeding for benchmarks):
// the same rows CreateRecipes writes — search text, vocabulary, tags and
// categories — but on PostgreSQL through COPY, a handful of round trips per
// batch instead of several per recipe. It remembers the labels and search
// terms it has written, so each batch sends only new ones. Not safe for
// concurrent use; one batch is one transaction.
type BulkLoader struct {
	s      *Store
	labels labelCache
	terms  map[string]bool
}

// NewBulkLoader returns a loader writing to s.
func (s *Store) NewBulkLoader() *BulkLoader {
	return &BulkLoader{s: s, labels: labelCache{}, terms: map[string]bool{}}
}

// Load writes batch in one transaction. Inputs must be normalised, as for
// CreateRecipes.
func (b *BulkLoader) Load(ctx context.Context, batch []NewRecipe) error {
	if b.s.pool == nil {
		// SQLite has no COPY; its inserts are local calls, and one large
		// transaction is what makes them fast.
		return b.s.inTx(ctx, func(tx conn) error {
			_, err := b.s.insertRecipes(ctx, tx, batch)
			return err
		})
	}
	tx, err := b.s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin bulk load: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := b.copyRecipes(ctx, tx, batch); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit bulk load: %w", err)
	}
	return nil
}

// bulkRows are the rows of one batch, table by table.
type bulkRows struct {
	recipes, ingredients, steps, tags, categories [][]any
}

func (b *BulkLoader) copyRecipes(ctx context.Context, tx pgx.Tx, batch []NewRecipe) error {
	var terms, tagNames, catNames []string
	for _, nr := range batch {
		terms = append(terms, vocabulary(nr.Input, b.terms)...)
		tagNames = b.newLabels(tagNames, "tags", nr.Input.Tags)
		catNames = b.newLabels(catNames, "categories", nr.Input.Categories)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO search_terms (term) SELECT unnest($1::text[]) ON CONFLICT (term) DO NOTHING`, terms); err != nil {
		return fmt.Errorf("index search terms: %w", err)
	}
	if err := b.ensureLabels(ctx, tx, "tags", tagNames); err != nil {
		return err
	}
	if err := b.ensureLabels(ctx, tx, "categories", catNames); err != nil {
		return err
	}
	rows, err := b.rows(batch)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		table   string
		columns []string
		rows    [][]any
	}{
		{"recipes", []string{"id", "author_id", "title", "description", "prep_minutes", "cook_minutes", "total_minutes",
			"servings", "difficulty", "visibility", "source_url", "source_author", "created_at", "updated_at", "search_tags", "search_ingredients"}, rows.recipes},
		{"recipe_ingredients", []string{"recipe_id", "position", "quantity", "quantity_max", "unit", "name", "note", "original", "section"}, rows.ingredients},
		{"recipe_steps", []string{"recipe_id", "position", "body", "section"}, rows.steps},
		{"recipe_tags", []string{"recipe_id", "tag_id"}, rows.tags},
		{"recipe_categories", []string{"recipe_id", "category_id"}, rows.categories},
	} {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.columns, pgx.CopyFromRows(c.rows)); err != nil {
			return fmt.Errorf("copy %s: %w", c.table, err)
		}
	}
	return nil
}

// newLabels appends to out the names not yet known to the loader.
func (b *BulkLoader) newLabels(out []string, table string, names []string) []string {
	for _, n := range names {
		key := table + "\x00" + n
		if _, ok := b.labels[key]; !ok {
			b.labels[key] = 0 // id filled in by ensureLabels
			out = append(out, n)
		}
	}
	return out
}

// ensureLabels creates the named tags or categories and learns their ids.
func (b *BulkLoader) ensureLabels(ctx context.Context, tx pgx.Tx, table string, names []string) error {
	if len(names) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, "INSERT INTO "+table+" (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING", names); err != nil {
		return fmt.Errorf("create %s: %w", table, err)
	}
	rows, err := tx.Query(ctx, "SELECT id, name FROM "+table+" WHERE name = ANY($1)", names)
	if err != nil {
		return fmt.Errorf("find %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		b.labels[table+"\x00"+name] = id
	}
	return rows.Err()
}

func (b *BulkLoader) rows(batch []NewRecipe) (bulkRows, error) {
	var out bulkRows
	now := b.s.now().UTC()
	for _, nr := range batch {
		author, err := uuid.Parse(nr.AuthorID)
		if err != nil {
			return out, fmt.Errorf("author id %q: %w", nr.AuthorID, err)
		}
		id := pgtype.UUID{Bytes: uuid.Must(uuid.NewV7()), Valid: true}
		created := now
		if !nr.CreatedAt.IsZero() {
			created = nr.CreatedAt.UTC()
		}
		in := nr.Input
		out.recipes = append(out.recipes, []any{id, pgtype.UUID{Bytes: author, Valid: true}, in.Title, in.Description,
			intArg(in.PrepMinutes), intArg(in.CookMinutes), intArg(in.TotalMinutes()), intArg(in.Servings),
			string(in.Difficulty), string(in.Visibility), in.SourceURL, in.SourceAuthor, created, created, searchTags(in), searchIngredients(in)})
		sections := sectionTitles(in.IngredientGroups, len(in.Ingredients))
		for i, ing := range in.Ingredients {
			out.ingredients = append(out.ingredients, []any{id, int32(i + 1), floatArg(ing.Quantity), floatArg(ing.QuantityMax),
				ing.Unit, ing.Name, ing.Note, ing.Original, sections[i]})
		}
		sections = sectionTitles(in.StepGroups, len(in.Steps))
		for i, step := range in.Steps {
			out.steps = append(out.steps, []any{id, int32(i + 1), step, sections[i]})
		}
		for _, t := range in.Tags {
			out.tags = append(out.tags, []any{id, b.labels["tags\x00"+t]})
		}
		for _, c := range in.Categories {
			out.categories = append(out.categories, []any{id, b.labels["categories\x00"+c]})
		}
	}
	return out, nil
}
