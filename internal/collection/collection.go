// Package collection holds the rules of recipe collections: a person's
// named, ordered lists of recipes, their own or others'. The store keeps
// them; the API and the pages apply these rules through it, so both front
// ends validate alike and answer a hidden collection alike.
package collection

import (
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/validate"
)

// Limits. A collection is a hand-made list, so its size is bounded: every
// reorder rewrites its positions in one statement (store), and a page
// shows it whole in a few screens of cards.
const (
	MaxName        = 100
	MaxDescription = 2000
	// MaxPerUser is how many collections one person may have.
	MaxPerUser = 200
	// MaxRecipes is how many recipes one collection may hold, counting
	// those its owner can no longer see (a recipe made private by its
	// author stays in place, hidden, and comes back if published again).
	MaxRecipes = 500
)

// The visibilities of a collection. They share the recipe's names and
// their meaning: private is for the owner only, unlisted for anyone with
// its URL, public is also listed on the owner's profile.
const (
	Public   = recipe.Public
	Unlisted = recipe.Unlisted
	Private  = recipe.Private
)

// DefaultVisibility is what a collection created without one gets: as
// for recipes, nothing is published by accident.
const DefaultVisibility = Private

// Collection is a collection as one viewer sees it: RecipeCount and Cover
// count and show only the recipes that viewer may read.
type Collection struct {
	ID          string            `json:"id"`
	Owner       recipe.Author     `json:"owner"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Visibility  recipe.Visibility `json:"visibility"`
	RecipeCount int               `json:"recipe_count"`
	// Cover is the main photo of the first recipe, in the collection's
	// order, that the viewer may read and that has one; nil otherwise.
	Cover     *recipe.Photo `json:"cover"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// Item is a recipe in a collection as a viewer sees it. Position counts
// from 1 among the recipes that viewer may read, so a hidden recipe
// leaves no gap to notice.
type Item struct {
	Position int            `json:"position"`
	AddedAt  time.Time      `json:"added_at"`
	Recipe   recipe.Summary `json:"recipe"`
}

// Choice is one of the reader's collections offered for a recipe: its
// name and whether the recipe is already in it.
type Choice struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Contains bool   `json:"contains"`
}

// Input is a collection's editable fields, complete: a partial change is
// merged into the stored values before it is validated.
type Input struct {
	Name        string
	Description string
	Visibility  recipe.Visibility
}

// Normalize trims the fields, fills the default visibility and reports
// every invalid field at once, with the API's field names.
func (in *Input) Normalize() validate.Errors {
	var errs validate.Errors
	if in.Visibility == "" {
		in.Visibility = DefaultVisibility
	}
	in.Name = validate.Text(&errs, "name", in.Name, 1, MaxName, false)
	in.Description = validate.Text(&errs, "description", in.Description, 0, MaxDescription, true)
	validate.OneOf(&errs, "visibility", in.Visibility, Public, Unlisted, Private)
	return errs
}

// CanView reports whether viewerID ("" for a visitor) may see a
// collection of ownerID with visibility vis: anyone may see a public or
// unlisted one (its id is unguessable), only its owner a private one.
func CanView(ownerID string, vis recipe.Visibility, viewerID string) bool {
	if vis == Public || vis == Unlisted {
		return true
	}
	return viewerID != "" && viewerID == ownerID
}
