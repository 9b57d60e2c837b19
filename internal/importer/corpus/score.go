package corpus

import (
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/importer/extract"
)

// Fields are the scored fields, in report order.
var Fields = []string{"title", "ingredients", "instructions", "yields", "total_time", "image"}

// Extractor is what is scored: FromHTML or anything shaped like it.
type Extractor func(page []byte, baseURL string) *extract.Recipe

// Mismatch is one scored field a page got wrong.
type Mismatch struct {
	Field string
	Want  string
	Got   string
}

// Score compares an extraction with a page's expected values under the
// corpus's rules and returns the fields scored and those that were wrong:
//   - title: equal after trimming and collapsing white space;
//   - ingredients, instructions: the lists equal, in order, each line
//     HTML-unescaped, trimmed and white space collapsed;
//   - yields: the leading number equal ("8 servings" and servings 8);
//   - total_time: equal in minutes;
//   - image: equal URL.
func Score(want *Expected, got *extract.Recipe) (scored []string, wrong []Mismatch) {
	check := func(field string, ok bool, w, g string) {
		scored = append(scored, field)
		if !ok {
			wrong = append(wrong, Mismatch{Field: field, Want: w, Got: g})
		}
	}
	if want.Title != nil {
		w, g := collapse(*want.Title), collapse(got.Title)
		check("title", w == g, w, g)
	}
	if want.hasIngredients {
		w, g := normLines(want.Ingredients), normLines(got.Ingredients)
		dw, dg := firstDifference(w, g)
		check("ingredients", equalLines(w, g), dw, dg)
	}
	if want.hasInstructions {
		w, g := normLines(want.Instructions), normLines(stepsWithHeadings(got))
		dw, dg := firstDifference(w, g)
		check("instructions", equalLines(w, g), dw, dg)
	}
	if want.Yields != nil {
		wn, wok := leadingNumber(string(*want.Yields))
		gn, gok := 0, false
		if got.Servings != nil {
			gn, gok = *got.Servings, true
		} else {
			gn, gok = leadingNumber(got.Yield)
		}
		check("yields", wok == gok && wn == gn, string(*want.Yields), got.Yield+servingsText(got.Servings))
	}
	if want.TotalTime != nil {
		w, ok := minutesOf(string(*want.TotalTime))
		g := -1
		if got.TotalMinutes != nil {
			g = *got.TotalMinutes
		}
		check("total_time", ok && w == g, string(*want.TotalTime), strconv.Itoa(g))
	}
	if want.Image != nil {
		w, g := strings.TrimSpace(*want.Image), strings.TrimSpace(got.ImageURL)
		check("image", w == g || sameURL(w, g), w, g)
	}
	return scored, wrong
}

func servingsText(n *int) string {
	if n == nil {
		return ""
	}
	return " (servings " + strconv.Itoa(*n) + ")"
}

// sameURL compares two URLs as the same address even where one escapes a
// character the other writes plainly.
func sameURL(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && a != "" && ua.String() == ub.String()
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func normLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = collapse(html.UnescapeString(l))
	}
	return out
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// leadingNumber is the first whole number in s.
// minutesOf reads an expected time: a number of minutes, written bare
// ("27") or with its unit ("27 minutes").
func minutesOf(s string) (int, bool) {
	num, unit, _ := strings.Cut(strings.TrimSpace(s), " ")
	n, err := strconv.Atoi(num)
	switch strings.TrimSpace(unit) {
	case "", "min", "mins", "minute", "minutes":
		return n, err == nil
	}
	return 0, false
}

func leadingNumber(s string) (int, bool) {
	start := strings.IndexAny(s, "0123456789")
	if start < 0 {
		return 0, false
	}
	end := start
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(s[start:end])
	return n, err == nil
}

// firstDifference describes where two lists part: each list's length and
// its line at the first index where they differ.
func firstDifference(want, got []string) (string, string) {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	at := func(l []string) string {
		line := "(none)"
		if i < len(l) {
			line = strconv.Quote(l[i])
		}
		return fmt.Sprintf("%d lines; line %d: %s", len(l), i+1, line)
	}
	return at(want), at(got)
}

// stepsWithHeadings is the steps as one list with each step group's title
// on a line of its own before the group's first step, the way the corpus
// writes sectioned instructions.
func stepsWithHeadings(r *extract.Recipe) []string {
	if len(r.StepGroups) == 0 {
		return r.Steps
	}
	out := make([]string, 0, len(r.Steps)+len(r.StepGroups))
	g := 0
	for i, s := range r.Steps {
		for g < len(r.StepGroups) && r.StepGroups[g].Start <= i {
			out = append(out, r.StepGroups[g].Title)
			g++
		}
		out = append(out, s)
	}
	for ; g < len(r.StepGroups); g++ {
		out = append(out, r.StepGroups[g].Title)
	}
	return out
}
