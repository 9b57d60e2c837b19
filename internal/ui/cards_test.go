package ui_test

import (
	"strings"
	"testing"
)

// TestCardsNameTheAuthorOnlyWhereItTellsSomething: lists by one author the
// page already names (My recipes, a profile) leave "by <author>" off the
// cards, without a stray separator; mixed lists keep it.
func TestCardsNameTheAuthorOnlyWhereItTellsSomething(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	ann := s.register(t, "ann")
	ann.createRecipe(t, simpleRecipe("Lemon drizzle cake", "public"))
	anon := s.browser()

	for _, c := range []struct {
		who    *browser
		path   string
		withBy bool
	}{
		{ann, "/", false},
		{ann, "/u/ann", false},
		{anon, "/u/ann", false},
		{ann, "/?tab=everyone", true},
		{anon, "/recipes", true},
		{anon, "/", true},
	} {
		d := assertDocument(t, c.who.get(t, c.path).want(t, 200))
		metas := d.texts(".recipe-card-meta")
		if len(metas) == 0 {
			t.Fatalf("%s: no recipe cards", c.path)
		}
		for _, m := range metas {
			if hasBy := strings.HasPrefix(m, "by Ann"); hasBy != c.withBy {
				t.Errorf("%s: card meta %q, want by-line %v", c.path, m, c.withBy)
			}
			if strings.HasPrefix(m, "·") {
				t.Errorf("%s: card meta %q starts with a separator", c.path, m)
			}
		}
	}
}
