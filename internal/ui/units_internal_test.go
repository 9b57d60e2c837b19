package ui

import (
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
)

func TestLocaleUnits(t *testing.T) {
	for header, want := range map[string]recipe.UnitSystem{
		"en-US,en;q=0.9":           recipe.USCustomary,
		"en-us":                    recipe.USCustomary,
		"es-US":                    recipe.USCustomary,
		"en-LR":                    recipe.USCustomary,
		"my-MM":                    recipe.USCustomary,
		"en-GB,en;q=0.9":           recipe.Metric,
		"de-DE":                    recipe.Metric,
		"en_AU":                    recipe.Metric,
		"zh-Hant-TW":               recipe.Metric,
		"zh-Hant-US":               recipe.USCustomary,
		"fr":                       recipe.Metric,
		"de;q=0.5, en-US;q=0.8":    recipe.USCustomary,
		"en-US;q=0.1, en-GB;q=0.9": recipe.Metric,
		"en-US;q=junk, de-CH":      recipe.Metric,
		"en":                       recipe.AsWritten,
		"en, de":                   recipe.AsWritten,
		"":                         recipe.AsWritten,
		"*":                        recipe.AsWritten,
		"en-US;q=0":                recipe.AsWritten,
		",,;;==":                   recipe.AsWritten,
		"-US":                      recipe.AsWritten,
		"-":                        recipe.AsWritten,
		"_":                        recipe.AsWritten,
		"english-US":               recipe.AsWritten,
		"en-US;q=2":                recipe.AsWritten,
	} {
		if got := localeUnits(header); got != want {
			t.Errorf("localeUnits(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestKeepQuery(t *testing.T) {
	for _, c := range []struct {
		s     scaling
		extra []string
		want  string
	}{
		{scaling{Servings: 4, BaseServings: 4}, nil, ""},
		{scaling{Servings: 2, BaseServings: 4}, nil, "?servings=2"},
		{scaling{Servings: 4, BaseServings: 4, UnitsAsked: recipe.Metric}, nil, "?units=metric"},
		{scaling{Servings: 6, BaseServings: 4, UnitsAsked: recipe.USCustomary}, []string{"step", "3"}, "?step=3&servings=6&units=us"},
		{scaling{Servings: 4, BaseServings: 4}, []string{"step", "2"}, "?step=2"},
	} {
		if got := c.s.keep(c.extra...); got != c.want {
			t.Errorf("%+v keep(%q) = %q, want %q", c.s, c.extra, got, c.want)
		}
	}
}
