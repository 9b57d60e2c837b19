package ui_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/reccollection/reccollection/internal/flags"
)

// TestShareLinkFlag: the recipe-share-link flag decides, per user, whether
// the recipe page offers the "Copy link" box.
func TestShareLinkFlag(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann := s.register(t, "ann")
		bea := s.register(t, "bea")
		anon := s.browser()
		public := ann.createRecipe(t, simpleRecipe("Flatbread", "public"))
		private := ann.createRecipe(t, simpleRecipe("Secret stew", "private"))

		shareBox := func(b *browser, id string) string {
			t.Helper()
			d := b.get(t, "/recipes/"+id).want(t, http.StatusOK).doc(t)
			if n := d.first("#share-url"); n != nil {
				if d.first("button[data-copy]") == nil {
					t.Errorf("share box without its copy button")
				}
				return n.get("value")
			}
			return ""
		}
		set := func(o flags.Override) {
			t.Helper()
			o.Environment, o.Key = "development", flags.RecipeShareLink
			if err := s.Store.SetFlagOverride(context.Background(), &o); err != nil {
				t.Fatal(err)
			}
			// This process changed it; other replicas would see it within
			// the cache TTL.
			s.App.Flags().Invalidate()
		}
		canonical := "http://localhost:8080/recipes/" + public

		// Declared default: off.
		for name, b := range map[string]*browser{"ann": ann, "bea": bea, "anonymous": anon} {
			if got := shareBox(b, public); got != "" {
				t.Errorf("default: %s sees a share box", name)
			}
		}

		// On for bea alone.
		set(flags.Override{Enabled: true, RolloutPercent: 0, AllowUsers: []string{s.userID(t, "bea")}})
		if got := shareBox(bea, public); got != canonical {
			t.Errorf("allowed: bea's share box holds %q, want %q", got, canonical)
		}
		if shareBox(ann, public) != "" || shareBox(anon, public) != "" {
			t.Error("0% with bea allowed: someone else sees the share box")
		}

		// On for everyone but never on a private recipe.
		set(flags.Override{Enabled: true, RolloutPercent: 100})
		if shareBox(anon, public) != canonical || shareBox(ann, public) != canonical {
			t.Error("100%: the share box is missing")
		}
		if shareBox(ann, private) != "" {
			t.Error("the share box appears on a private recipe")
		}

		// The kill switch.
		set(flags.Override{Enabled: false, RolloutPercent: 100, AllowUsers: []string{s.userID(t, "bea")}})
		if shareBox(bea, public) != "" || shareBox(anon, public) != "" {
			t.Error("kill switch: the share box is still shown")
		}
	})
}
