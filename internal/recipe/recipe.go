// Package recipe owns the recipe domain: its types, the validation rules
// every write must pass, visibility, and ingredient-line parsing. It knows
// nothing about HTTP or SQL; the store and the API depend on it, not the
// other way round.
package recipe

import (
	"time"
)

// Difficulty of a recipe. The empty string means "not stated".
type Difficulty string

const (
	Easy   Difficulty = "easy"
	Medium Difficulty = "medium"
	Hard   Difficulty = "hard"
)

// Visibility decides who can see a recipe.
//   - public: listed, searchable, readable by anyone;
//   - unlisted: readable by anyone holding its URL, never listed or searched
//     except by its author;
//   - private: its author only. Everyone else gets "not found".
type Visibility string

const (
	Public   Visibility = "public"
	Unlisted Visibility = "unlisted"
	Private  Visibility = "private"
)

// Ingredient is one ordered line of a recipe's ingredient list.
// Quantity and QuantityMax are nil when the line has no amount ("salt to
// taste"); QuantityMax is set only for ranges ("2-3 cloves").
type Ingredient struct {
	Quantity    *float64 `json:"quantity"`
	QuantityMax *float64 `json:"quantity_max"`
	Unit        string   `json:"unit"`
	Name        string   `json:"name"`
	Note        string   `json:"note"`
	Original    string   `json:"original"`
}

// Author is the public face of a recipe's owner, embedded in API answers.
type Author struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	// Avatar is the author's picture, or nil.
	Avatar *Photo `json:"avatar"`
}

// Summary is a recipe as lists show it: everything but the source,
// ingredients and steps.
type Summary struct {
	ID           string     `json:"id"`
	Author       Author     `json:"author"`
	Title        string     `json:"title"`
	Description  string     `json:"description"`
	PrepMinutes  *int       `json:"prep_minutes"`
	CookMinutes  *int       `json:"cook_minutes"`
	TotalMinutes *int       `json:"total_minutes"`
	Servings     *int       `json:"servings"`
	Difficulty   Difficulty `json:"difficulty"`
	Visibility   Visibility `json:"visibility"`
	Tags         []string   `json:"tags"`
	Categories   []string   `json:"categories"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	// Photo is the main photo, or nil.
	Photo *Photo `json:"photo"`
	// Counts are its likes, saves and rating.
	Counts
}

// Recipe is a stored recipe in full.
type Recipe struct {
	Summary
	SourceURL string `json:"source_url"`
	// SourceAuthor is the creator credited for a recipe from someone
	// else's page or post, as the source names them; "" for one's own.
	SourceAuthor string       `json:"source_author"`
	Ingredients  []Ingredient `json:"ingredients"`
	Steps        []string     `json:"steps"`
	// IngredientGroups name sections of the ingredients ("For the
	// dough"), in order; empty when the ingredients are one list.
	IngredientGroups []IngredientGroup `json:"ingredient_groups"`
	// StepGroups name sections of the steps ("For the sauce"), in order;
	// empty when the steps are one list.
	StepGroups []StepGroup `json:"step_groups"`
	// Photos are the gallery (Step 0, in order) and the steps' photos.
	Photos []Photo `json:"photos"`
	// CommentCount is how many comments it has (store/comments.go).
	CommentCount int `json:"comment_count"`
}

// Input is a complete, validated description of a recipe to create or to
// replace an existing one with. Partial updates are merged into an Input
// before they are validated, so there is exactly one set of rules.
type Input struct {
	Title            string
	Description      string
	PrepMinutes      *int
	CookMinutes      *int
	Servings         *int
	Difficulty       Difficulty
	Visibility       Visibility
	SourceURL        string
	SourceAuthor     string
	Ingredients      []Ingredient
	IngredientGroups []IngredientGroup
	Steps            []string
	StepGroups       []StepGroup
	Tags             []string
	Categories       []string
}

// Group is a named section of one of a recipe's ordered lists: it starts
// at the item of index Start and runs to the next group's start or the
// list's end. The list stays one flat list, so everything that reads items
// (scaling, search, schema.org output) ignores sections.
type Group struct {
	Title string `json:"title"`
	Start int    `json:"start"`
}

// StepGroup is a section of the steps ("For the sauce").
type StepGroup = Group

// IngredientGroup is a section of the ingredients ("For the dough").
type IngredientGroup = Group

// TotalMinutes is prep plus cook, or nil when neither is known.
func (in Input) TotalMinutes() *int {
	if in.PrepMinutes == nil && in.CookMinutes == nil {
		return nil
	}
	t := 0
	if in.PrepMinutes != nil {
		t += *in.PrepMinutes
	}
	if in.CookMinutes != nil {
		t += *in.CookMinutes
	}
	return &t
}

// InputOf turns a stored recipe back into an Input, the starting point of a
// partial update.
func InputOf(r Recipe) Input {
	return Input{
		Title:            r.Title,
		Description:      r.Description,
		PrepMinutes:      r.PrepMinutes,
		CookMinutes:      r.CookMinutes,
		Servings:         r.Servings,
		Difficulty:       r.Difficulty,
		Visibility:       r.Visibility,
		SourceURL:        r.SourceURL,
		SourceAuthor:     r.SourceAuthor,
		Ingredients:      r.Ingredients,
		IngredientGroups: r.IngredientGroups,
		Steps:            r.Steps,
		StepGroups:       r.StepGroups,
		Tags:             r.Tags,
		Categories:       r.Categories,
	}
}
