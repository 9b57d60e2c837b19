package archive

import (
	"cmp"
	"errors"
	"slices"
	"strings"
)

// A full Mealie backup is a zip of database.json — every table of
// Mealie's database, {"table": [row, …], …}, with "alembic_version" —
// and data/, the files: data/recipes/<recipe id>/images/original.webp is
// a recipe's picture. Only the tables that make up recipes are read:
// recipes, recipes_ingredients (by recipe_id and position, with food_id
// and unit_id into ingredient_foods and ingredient_units),
// recipe_instructions (by position), notes, tags and categories with
// recipes_to_tags and recipes_to_categories, recipe_nutrition and
// recipe_settings. Each recipe becomes a mealieRecipe and is mapped as
// an exported one is (mealie.go). A backup holds every recipe of the
// Mealie instance, whoever's they were.
//
// Ids are UUIDs, written with or without hyphens depending on the
// database Mealie ran on; they are compared without, and the picture's
// folder is named with them.

type mealieDB struct {
	Recipes      *[]dbRecipe       `json:"recipes"`
	Ingredients  []dbIngredient    `json:"recipes_ingredients"`
	Instructions []dbInstruction   `json:"recipe_instructions"`
	Notes        []dbNote          `json:"notes"`
	Tags         []dbLabel         `json:"tags"`
	Categories   []dbLabel         `json:"categories"`
	RecipeTags   []dbLink          `json:"recipes_to_tags"`
	RecipeCats   []dbLink          `json:"recipes_to_categories"`
	Nutrition    []map[string]text `json:"recipe_nutrition"`
	Foods        []dbUnit          `json:"ingredient_foods"`
	Units        []dbUnit          `json:"ingredient_units"`
	Settings     []dbSettings      `json:"recipe_settings"`
}

type dbRecipe struct {
	ID          text   `json:"id"`
	Name        text   `json:"name"`
	Slug        text   `json:"slug"`
	Description text   `json:"description"`
	Yield       text   `json:"recipe_yield"`
	YieldQty    number `json:"recipe_yield_quantity"`
	Servings    number `json:"recipe_servings"`
	PrepTime    text   `json:"prep_time"`
	PerformTime text   `json:"perform_time"`
	CookTime    text   `json:"cook_time"`
	TotalTime   text   `json:"total_time"`
	OrgURL      text   `json:"org_url"`
}

type dbIngredient struct {
	RecipeID     text   `json:"recipe_id"`
	Position     number `json:"position"`
	Title        text   `json:"title"`
	Note         text   `json:"note"`
	OriginalText text   `json:"original_text"`
	Quantity     number `json:"quantity"`
	FoodID       text   `json:"food_id"`
	UnitID       text   `json:"unit_id"`
}

type dbInstruction struct {
	RecipeID text   `json:"recipe_id"`
	Position number `json:"position"`
	Title    text   `json:"title"`
	Text     text   `json:"text"`
}

type dbNote struct {
	RecipeID text `json:"recipe_id"`
	Title    text `json:"title"`
	Text     text `json:"text"`
}

type dbLabel struct {
	ID   text `json:"id"`
	Name text `json:"name"`
}

type dbLink struct {
	RecipeID   text `json:"recipe_id"`
	TagID      text `json:"tag_id"`
	CategoryID text `json:"category_id"`
}

// dbUnit is a row of ingredient_units or ingredient_foods. (It does not
// embed mealieUnit, whose UnmarshalJSON would then decode the row and
// leave ID empty.)
type dbUnit struct {
	ID                 text `json:"id"`
	Name               text `json:"name"`
	PluralName         text `json:"plural_name"`
	Abbreviation       text `json:"abbreviation"`
	PluralAbbreviation text `json:"plural_abbreviation"`
	UseAbbreviation    flag `json:"use_abbreviation"`
}

func (u dbUnit) unit() *mealieUnit {
	return &mealieUnit{Name: u.Name, PluralName: u.PluralName, Abbreviation: u.Abbreviation,
		PluralAbbreviation: u.PluralAbbreviation, UseAbbreviation: u.UseAbbreviation}
}

type dbSettings struct {
	RecipeID      text `json:"recipe_id"`
	DisableAmount flag `json:"disable_amount"`
}

type mealieBackup struct {
	src  *source
	db   *file
	root string // database.json's folder, which data/ is beside
}

// load reads database.json, with the tables listed in into.
func (b *mealieBackup) load(into any) error {
	data, err := b.src.read(b.db, limits.table)
	if isFatal(err) {
		return err
	}
	if errors.Is(err, ErrTooLarge) {
		return refuseAll(ErrTooLarge, "%s is larger than %s: export fewer recipes at a time", b.db.name, bytesText(limits.table))
	}
	if err == nil {
		err = decodeJSON(data, into)
	}
	if err != nil {
		return refuseAll(ErrDamaged, "%s cannot be read: the backup is damaged", b.db.name)
	}
	return nil
}

func (b *mealieBackup) count() (int, error) {
	var db struct {
		Recipes *[]struct{} `json:"recipes"`
	}
	if err := b.load(&db); err != nil {
		return 0, err
	}
	if db.Recipes == nil {
		return 0, notMealieBackup(b.db)
	}
	if int64(len(*db.Recipes)) > limits.recipes {
		return 0, tooManyRecipes(b.db.name)
	}
	return len(*db.Recipes), nil
}

func notMealieBackup(f *file) error {
	return refuseAll(ErrUnknownFormat, "%s is not a Mealie backup's: it has no recipes table", f.name)
}

func (b *mealieBackup) read(each func(Item) error) error {
	var db mealieDB
	if err := b.load(&db); err != nil {
		return err
	}
	if db.Recipes == nil {
		return notMealieBackup(b.db)
	}
	if int64(len(*db.Recipes)) > limits.recipes {
		return tooManyRecipes(b.db.name)
	}

	ingredients := map[string][]dbIngredient{}
	for _, i := range db.Ingredients {
		ingredients[uuidKey(i.RecipeID)] = append(ingredients[uuidKey(i.RecipeID)], i)
	}
	steps := map[string][]dbInstruction{}
	for _, s := range db.Instructions {
		steps[uuidKey(s.RecipeID)] = append(steps[uuidKey(s.RecipeID)], s)
	}
	notes := map[string][]mealieNote{}
	for _, n := range db.Notes {
		notes[uuidKey(n.RecipeID)] = append(notes[uuidKey(n.RecipeID)], mealieNote{n.Title, n.Text})
	}
	labels := func(rows []dbLabel, links []dbLink, id func(dbLink) text) map[string]names {
		name := map[string]string{}
		for _, l := range rows {
			name[uuidKey(l.ID)] = l.Name.String()
		}
		out := map[string]names{}
		for _, l := range links {
			if n := name[uuidKey(id(l))]; n != "" {
				out[uuidKey(l.RecipeID)] = append(out[uuidKey(l.RecipeID)], n)
			}
		}
		return out
	}
	tags := labels(db.Tags, db.RecipeTags, func(l dbLink) text { return l.TagID })
	cats := labels(db.Categories, db.RecipeCats, func(l dbLink) text { return l.CategoryID })
	nutrition := map[string]map[string]text{}
	for _, n := range db.Nutrition {
		id := uuidKey(n["recipe_id"])
		for _, k := range []string{"id", "recipe_id"} {
			delete(n, k)
		}
		nutrition[id] = n
	}
	units := map[string]*mealieUnit{}
	for _, u := range db.Units {
		units[uuidKey(u.ID)] = u.unit()
	}
	foods := map[string]*mealieUnit{}
	for _, f := range db.Foods {
		foods[uuidKey(f.ID)] = f.unit()
	}
	settings := map[string]flag{}
	for _, s := range db.Settings {
		settings[uuidKey(s.RecipeID)] = s.DisableAmount
	}

	for _, row := range *db.Recipes {
		id := uuidKey(row.ID)
		m := mealieRecipe{
			Name: row.Name, Slug: row.Slug, Description: row.Description,
			Yield: row.Yield, YieldQty: row.YieldQty, Servings: row.Servings,
			PrepTime: row.PrepTime, PerformTime: row.PerformTime, CookTime: row.CookTime, TotalTime: row.TotalTime,
			OrgURL: row.OrgURL, Tags: tags[id], Categories: cats[id], Nutrition: nutrition[id], Notes: notes[id],
		}
		m.Settings.DisableAmount = settings[id]
		is := ingredients[id]
		slices.SortStableFunc(is, func(a, b dbIngredient) int { return cmp.Compare(a.Position.v, b.Position.v) })
		for _, i := range is {
			m.Ingredients = append(m.Ingredients, mealieIngredient{
				Title: i.Title, Note: i.Note, OriginalText: i.OriginalText, Quantity: i.Quantity,
				Unit: units[uuidKey(i.UnitID)], Food: foods[uuidKey(i.FoodID)],
			})
		}
		ss := steps[id]
		slices.SortStableFunc(ss, func(a, b dbInstruction) int { return cmp.Compare(a.Position.v, b.Position.v) })
		for _, s := range ss {
			m.Instructions = append(m.Instructions, mealieStep{Title: s.Title, Text: s.Text})
		}

		label := firstText(row.Slug, row.Name, row.ID)
		it := Item{Name: b.db.name + ": " + capText(oneLine(label), 200), Recipe: m.draft()}
		checkDraft(&it)
		if img := mealieImage(b.src, b.root+"data/recipes/"+uuidFolder(row.ID.String())+"/"); img != nil && it.Err == nil {
			if err := newPhotoSet(&it, true).file(b.src, img, Photo{}); err != nil {
				return err
			}
		}
		if err := each(it); err != nil {
			return err
		}
	}
	return nil
}

// uuidKey is an id as compared: lower case, without hyphens or braces.
func uuidKey(t text) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '{', '}':
			return -1
		}
		return r
	}, strings.ToLower(t.String()))
}

// uuidFolder is a recipe's folder name: its id as a hyphenated UUID
// (Mealie names the folder so however its database keeps the id).
func uuidFolder(id string) string {
	k := uuidKey(text(id))
	if len(k) != 32 {
		return id
	}
	return k[:8] + "-" + k[8:12] + "-" + k[12:16] + "-" + k[16:20] + "-" + k[20:]
}
