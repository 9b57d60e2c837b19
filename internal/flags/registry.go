package flags

import "slices"

// Keys of the flags the code asks about.
const (
	// RecipeShareLink is share links (internal/sharing): the recipe
	// page's Share panel for the recipe's author (create, list and revoke
	// links, private recipes too, and send one by email), the share-link
	// API routes, and the "Copy link" box with a public or unlisted
	// recipe's canonical URL. Evaluated for the signed-in user on the
	// panel and the routes, and for the recipe's author when a link is
	// opened, so turning it off for an author closes their links.
	RecipeShareLink = "recipe-share-link"
	// MealPlanner is planning meals together (internal/planner):
	// households with their invitations, and what a household plans and
	// shops with, on the pages and under /api/v1/households. Evaluated
	// for the signed-in user; off, the pages and routes are not found and
	// the navigation leaves them out, while what was planned stays.
	MealPlanner = "meal-planner"
)

// registry is every flag the code knows. Add a flag here with its key
// constant above; remove both (and the code it gates) once the feature is
// settled. An override stored for a key that is no longer here is
// ignored.
var registry = []Flag{
	{
		Key:         MealPlanner,
		Description: "Meal planning: households (invite by link or email, accept, leave, remove, owners), the household's meal plan and shopping lists, on the pages and under /api/v1/households. Off for someone, the pages and routes answer not found and the navigation leaves them out; nothing planned is deleted.",
		Default:     true,
		Owner:       "web",
	},
	{
		Key:         RecipeShareLink,
		Description: "Share links: the author's Share panel on recipe pages (links that open a recipe read-only, private ones too, listed, revocable and sent by email), the /api/v1/recipes/{id}/share-links routes, and the \"Copy link\" box with a recipe's canonical URL. Off for an author, their links stop opening.",
		Default:     false,
		Owner:       "web",
	},
}

// All returns every declared flag, sorted by key.
func All() []Flag {
	out := slices.Clone(registry)
	slices.SortFunc(out, func(a, b Flag) int {
		if a.Key < b.Key {
			return -1
		}
		if a.Key > b.Key {
			return 1
		}
		return 0
	})
	return out
}

// Lookup finds a declared flag by key.
func Lookup(key string) (Flag, bool) {
	for _, f := range registry {
		if f.Key == key {
			return f, true
		}
	}
	return Flag{}, false
}
