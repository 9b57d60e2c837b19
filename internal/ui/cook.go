package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
)

// cookView is cook mode: every step is in the page, the one asked for
// (?step=) shown, so that the script can move between them in place while
// timers run, and the page still works as links without it.
type cookView struct {
	Recipe *recipe.Recipe
	scaling
	Step        int // 1-based
	Total       int
	Steps       []cookStep
	Ingredients []ingredientView
	// IngredientSections are the ingredients under their headings: one
	// section without a title when they are one list.
	IngredientSections []section[ingredientView]
}

// cookStep is one step with what cook mode shows beside its text.
type cookStep struct {
	N int
	// Section is the heading the step sits under ("For the sauce"), or "".
	Section string
	// Parts is the text, cut around the durations its timers read.
	Parts       []stepPart
	Ingredients []stepIngredient
	Timers      []timerView
	// Photo is the step's photo, or nil.
	Photo *photoView
}

type stepPart struct {
	Text     string
	Duration bool
}

// stepIngredient is an ingredient a step names, with its index in the
// full list (the key its tick is kept under).
type stepIngredient struct {
	Index int
	View  ingredientView
}

// timerView is a timer button: Length is what it sets ("8 min"); Range
// the range it was written as ("8–10 min"), of which it sets the lower
// end, or "".
type timerView struct {
	Seconds       int
	Label         string
	Length, Range string
}

// StepURL is the link to step n, keeping the page's other parameters
// (the scale and units): every step link is built here.
func (v cookView) StepURL(n int) string {
	return "/recipes/" + v.Recipe.ID + "/cook" + v.StepQuery(n)
}

// RecipeURL is the way back to the recipe, at the same scale and units.
func (v cookView) RecipeURL() string { return "/recipes/" + v.Recipe.ID + v.Query }

func (u *UI) cookMode(w http.ResponseWriter, r *http.Request) {
	rec := u.loadVisible(w, r)
	if rec == nil {
		return
	}
	v := cookView{Recipe: rec, scaling: scalingFor(r, rec, auth.UserFrom(r.Context())), Step: 1, Total: len(rec.Steps)}
	if s, err := strconv.Atoi(r.URL.Query().Get("step")); err == nil {
		v.Step = min(max(s, 1), max(v.Total, 1))
	}
	v.Ingredients = v.ingredients(rec)
	v.IngredientSections = sectionsOf(v.Ingredients, rec.IngredientGroups)
	if v.IngredientSections == nil && len(v.Ingredients) > 0 {
		v.IngredientSections = sectionsOf(v.Ingredients, []recipe.Group{{}})
	}
	for i, text := range v.steps(rec) {
		step := cookStepOf(i+1, text, rec.Ingredients, v.Ingredients)
		step.Section = sectionOf(rec.StepGroups, i)
		v.Steps = append(v.Steps, step)
	}
	v.stepPhotos(rec)
	u.render(w, r, http.StatusOK, "cook", &page{Title: "Cooking: " + rec.Title, Minimal: true,
		Description: "Cook " + rec.Title + " one step at a time, with the screen kept awake.", Data: v})
}

// stepPhotos gives each step its photo. The step shown first loads its
// photo at once; the others, hidden until the cook moves to them, load
// when they are shown (a lazy image out of the layout waits).
func (v *cookView) stepPhotos(rec *recipe.Recipe) {
	for i := range rec.Photos {
		p := &rec.Photos[i]
		if p.Step < 1 || p.Step > len(v.Steps) {
			continue
		}
		v.Steps[p.Step-1].Photo = newPhotoView("cook", p, fmt.Sprintf("%s: step %d", rec.Title, p.Step), p.Step == v.Step)
	}
}

// maxStepTimers bounds the timer buttons of one step.
const maxStepTimers = 6

// cookStepOf reads step n's text for its timers and ingredients; views
// are the ingredients as shown (scaled), in the recipe's order.
func cookStepOf(n int, text string, ings []recipe.Ingredient, views []ingredientView) cookStep {
	s := cookStep{N: n}
	at := 0
	timers := recipe.FindTimers(text)
	// A real step gives a few times; a page of buttons is not a recipe.
	timers = timers[:min(len(timers), maxStepTimers)]
	for _, t := range timers {
		s.Parts = append(s.Parts, stepPart{Text: text[at:t.Start]}, stepPart{Text: text[t.Start:t.End], Duration: true})
		at = t.End
		tv := timerView{Seconds: t.Seconds, Label: t.Label, Length: formatSeconds(t.Seconds)}
		if t.MaxSeconds > 0 {
			tv.Range = formatRange(t.Seconds, t.MaxSeconds)
		}
		s.Timers = append(s.Timers, tv)
	}
	s.Parts = append(s.Parts, stepPart{Text: text[at:]})
	for _, i := range recipe.StepIngredients(text, ings) {
		s.Ingredients = append(s.Ingredients, stepIngredient{Index: i, View: views[i]})
	}
	return s
}

// formatSeconds writes a timer's length: "45 sec", "10 min", "1 h 30 min",
// "2 min 30 sec".
func formatSeconds(secs int) string {
	h, m, s := secs/3600, secs%3600/60, secs%60
	var parts []string
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d h", h))
	}
	if m > 0 {
		parts = append(parts, fmt.Sprintf("%d min", m))
	}
	if s > 0 {
		parts = append(parts, fmt.Sprintf("%d sec", s))
	}
	return strings.Join(parts, " ")
}

// formatRange writes a range in one unit where both ends fit it
// ("8–10 min"), else both in full.
func formatRange(lo, hi int) string {
	for _, u := range []struct {
		secs int
		name string
	}{{3600, "h"}, {60, "min"}, {1, "sec"}} {
		if lo%u.secs == 0 && hi%u.secs == 0 {
			return fmt.Sprintf("%d–%d %s", lo/u.secs, hi/u.secs, u.name)
		}
	}
	return formatSeconds(lo) + " – " + formatSeconds(hi)
}
