package recipe

import (
	"slices"
	"strings"
	"testing"
)

func TestStepIngredients(t *testing.T) {
	names := func(ns ...string) []Ingredient {
		out := make([]Ingredient, len(ns))
		for i, n := range ns {
			out[i] = Ingredient{Name: n}
		}
		return out
	}
	for _, c := range []struct {
		step  string
		names []string
		want  []int
	}{
		{"Beat the eggs with the sugar.", []string{"egg", "sugar", "flour"}, []int{0, 1}},
		{"Add one egg.", []string{"eggs"}, []int{0}},
		{"BEAT THE EGGS", []string{"Eggs"}, []int{0}},
		{"Add the tomatoes.", []string{"canned tomatoes"}, []int{0}},
		{"Add the tomato.", []string{"canned tomatoes"}, []int{0}},
		{"Melt the butter.", []string{"unsalted butter"}, []int{0}},
		{"Bring the water to the boil.", []string{"olive oil", "water"}, []int{1}},
		{"Boil the pasta, then toss in oil.", []string{"olive oil", "pasta"}, []int{0, 1}},
		{"Crush the garlic.", []string{"cloves of garlic"}, []int{0}},
		{"Season with salt.", []string{"salt and pepper"}, []int{0}},
		{"Season with pepper.", []string{"salt & freshly ground black pepper"}, []int{0}},
		{"Add the stock.", []string{"stock or water"}, []int{0}},
		{"Pour in the tomatoes.", []string{"tomatoes in juice"}, []int{0}},
		{"Add the baking powder.", []string{"baking powder", "garlic powder"}, []int{0}},
		{"Sift the powder.", []string{"baking powder", "garlic powder"}, []int{0, 1}},
		{"Add the berries.", []string{"blueberry"}, nil},
		{"Add the cherries.", []string{"cherry"}, []int{0}},
		{"Add the bay leaves.", []string{"bay leaf"}, []int{0}},
		{"Eggplant, sliced.", []string{"eggs"}, nil},
		{"Add the oil.", []string{"x"}, nil},
		{"Add it all.", []string{""}, nil},
		{"Add the crème fraîche.", []string{"crème fraîche"}, []int{0}},
		{"", []string{"salt"}, nil},
	} {
		got := StepIngredients(c.step, names(c.names...))
		if !slices.Equal(got, c.want) {
			t.Errorf("StepIngredients(%q, %q) = %v, want %v", c.step, c.names, got, c.want)
		}
	}
}

// TestStepIngredientsLong checks the largest recipe's steps are matched
// in time to serve a page: a step of the longest size against every
// ingredient it may have.
func TestStepIngredientsLong(t *testing.T) {
	ings := make([]Ingredient, MaxIngredients)
	for i := range ings {
		ings[i] = Ingredient{Name: "finely chopped fresh herb of the garden"}
	}
	ings[len(ings)-1].Name = "salt"
	step := strings.Repeat("stir the garden herbs ", MaxStep/22) + "salt"
	if got := StepIngredients(step, ings); len(got) != MaxIngredients {
		t.Errorf("matched %d ingredients, want %d", len(got), MaxIngredients)
	}
}
