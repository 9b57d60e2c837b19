package flags

import "slices"

// Keys of the flags the code asks about.
const (
	// RecipeShareLink shows a "Copy link" box with the recipe's canonical
	// URL on the recipe page.
	RecipeShareLink = "recipe-share-link"
)

// registry is every flag the code knows. Add a flag here with its key
// constant above; remove both (and the code it gates) once the feature is
// settled. An override stored for a key that is no longer here is
// ignored.
var registry = []Flag{
	{
		Key:         RecipeShareLink,
		Description: "Show a \"Copy link\" box with the recipe's canonical URL on recipe pages.",
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
