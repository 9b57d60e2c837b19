package recipe

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalizeStepGroups(t *testing.T) {
	steps := []string{"Whisk the eggs.", "Fold in the flour.", "Melt the chocolate.", "Pour over."}
	tests := []struct {
		name   string
		groups []StepGroup
		want   []StepGroup // nil when errors are expected
		errs   []string
	}{
		{"none", nil, []StepGroup{}, nil},
		{"trimmed and kept", []StepGroup{{" For the sponge ", 0}, {"For the ganache", 2}},
			[]StepGroup{{"For the sponge", 0}, {"For the ganache", 2}}, nil},
		{"a group may start after ungrouped steps", []StepGroup{{"Glaze", 3}}, []StepGroup{{"Glaze", 3}}, nil},
		{"empty title", []StepGroup{{"  ", 0}}, nil, []string{"step_groups[0].title"}},
		{"title too long", []StepGroup{{strings.Repeat("t", MaxGroupTitle+1), 0}}, nil, []string{"step_groups[0].title"}},
		{"start past the last step", []StepGroup{{"A", 4}}, nil, []string{"step_groups[0].start"}},
		{"negative start", []StepGroup{{"A", -1}}, nil, []string{"step_groups[0].start"}},
		{"out of order", []StepGroup{{"A", 2}, {"B", 1}}, nil, []string{"step_groups[1].start"}},
		{"two groups at one step", []StepGroup{{"A", 1}, {"B", 1}}, nil, []string{"step_groups[1].start"}},
		{"too many", make([]StepGroup, MaxSteps+1), nil, []string{"step_groups"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Title: "Cake", Steps: append([]string(nil), steps...), StepGroups: tt.groups}
			var fields []string
			for _, e := range in.Normalize() {
				fields = append(fields, e.Field)
			}
			if !reflect.DeepEqual(fields, tt.errs) {
				t.Fatalf("errors on %v: %v, want %v", tt.groups, fields, tt.errs)
			}
			if tt.want != nil && !reflect.DeepEqual(in.StepGroups, tt.want) {
				t.Errorf("groups %v, want %v", in.StepGroups, tt.want)
			}
		})
	}
	t.Run("no steps, no groups", func(t *testing.T) {
		in := Input{Title: "Toast", StepGroups: []StepGroup{{"A", 0}}}
		if errs := in.Normalize(); len(errs) != 1 || errs[0].Field != "step_groups[0].start" {
			t.Errorf("errors %v", errs)
		}
	})
}

func TestNormalizeIngredientGroups(t *testing.T) {
	lines := func() []Ingredient {
		return []Ingredient{IngredientLine("200 g flour"), IngredientLine("1 egg"), IngredientLine("100 ml cream"), IngredientLine("2 tbsp sugar")}
	}
	tests := []struct {
		name   string
		groups []IngredientGroup
		want   []IngredientGroup // nil when errors are expected
		errs   []string
	}{
		{"none", nil, []IngredientGroup{}, nil},
		{"trimmed and kept", []IngredientGroup{{" Dough ", 0}, {"For the filling:", 2}},
			[]IngredientGroup{{"Dough", 0}, {"For the filling:", 2}}, nil},
		{"empty title", []IngredientGroup{{"", 1}}, nil, []string{"ingredient_groups[0].title"}},
		{"title too long", []IngredientGroup{{strings.Repeat("t", MaxGroupTitle+1), 0}}, nil, []string{"ingredient_groups[0].title"}},
		{"start past the last ingredient", []IngredientGroup{{"A", 4}}, nil, []string{"ingredient_groups[0].start"}},
		{"out of order", []IngredientGroup{{"A", 3}, {"B", 1}}, nil, []string{"ingredient_groups[1].start"}},
		{"too many", make([]IngredientGroup, MaxIngredients+1), nil, []string{"ingredient_groups"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Title: "Tart", Ingredients: lines(), IngredientGroups: tt.groups}
			var fields []string
			for _, e := range in.Normalize() {
				fields = append(fields, e.Field)
			}
			if !reflect.DeepEqual(fields, tt.errs) {
				t.Fatalf("errors on %v: %v, want %v", tt.groups, fields, tt.errs)
			}
			if tt.want != nil && !reflect.DeepEqual(in.IngredientGroups, tt.want) {
				t.Errorf("groups %v, want %v", in.IngredientGroups, tt.want)
			}
		})
	}
	t.Run("sections of the steps are checked against the steps", func(t *testing.T) {
		in := Input{Title: "Tart", Ingredients: lines(), Steps: []string{"Mix."}, StepGroups: []StepGroup{{"A", 2}}}
		if errs := in.Normalize(); len(errs) != 1 || errs[0].Field != "step_groups[0].start" {
			t.Errorf("errors %v", errs)
		}
	})
}
