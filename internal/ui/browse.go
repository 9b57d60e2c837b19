package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// browseView is the browse and search page.
type browseView struct {
	// Path is the page's own address: /recipes, or /saved for the
	// reader's saved recipes (Saved).
	Path       string
	Saved      bool
	Query      url.Values
	Q          string
	Sort       string
	Difficulty string
	Tag        string
	Category   string
	MaxMinutes string
	Time       string
	Cards      []any
	NextURL    string
	Errors     map[string]string
	// Ignored lists the words of Q too short to search for.
	Ignored []string
	// TimedOut is set when the search ran out of time.
	TimedOut bool
	Sorts    []option
	Levels   []option
	// Counted is set once the page has its count: Total recipes match,
	// or more than Total when More.
	Counted bool
	Total   int
	More    bool
	// Sampled is how many of them the facets counted.
	Sampled int
	// Searched is the search as it was run, typos corrected; ExactURL
	// searches the words as typed, set when a typo was corrected.
	Searched []searchedWord
	ExactURL string
	Facets   []facetGroup
	// Chips are the filters in force, each with a link that removes it.
	Chips []chip
}

// searchedWord is a word of the search as run; Fixed marks a correction.
type searchedWord struct {
	Word  string
	Fixed bool
}

type option struct{ Value, Label string }

// facetGroup is one facet: its choices with their counts, each a link
// that adds (or, when selected, removes) the filter.
type facetGroup struct {
	Label string
	Items []facetLink
}

type facetLink struct {
	Label    string
	Count    int
	URL      string
	Selected bool
}

type chip struct{ Label, URL string }

// facetsView is the facets aside, a fragment (fragments.go).
type facetsView struct {
	Groups []facetGroup
	// Partial says the counts were taken over only the first Sampled of
	// the matching recipes.
	Partial bool
	Sampled int
}

// FacetsView is the data of the page's facets aside.
func (v browseView) FacetsView() facetsView {
	return facetsView{Groups: v.Facets, Partial: v.More || v.Sampled < v.Total, Sampled: v.Sampled}
}

var (
	sortOptions  = []option{{"", "Best match / newest"}, {"newest", "Newest"}, {"title", "Title A–Z"}, {"quickest", "Quickest"}}
	levelOptions = []option{{"", "Any difficulty"}, {"easy", "Easy"}, {"medium", "Medium"}, {"hard", "Hard"}}
	// timeLabels name store.TimeBuckets.
	timeLabels = map[string]string{"upto30": "30 min or less", "30to60": "31–60 min", "over60": "Over 1 hour"}
)

func (u *UI) browse(w http.ResponseWriter, r *http.Request) { u.listRecipes(w, r, nil) }

// listRecipes is the browse page, or savedBy's saved recipes when it is
// not nil: the same search, filters, facets and pages over their library.
func (u *UI) listRecipes(w http.ResponseWriter, r *http.Request, savedBy *auth.User) {
	q := r.URL.Query()
	v := browseView{Path: "/recipes", Query: q, Q: q.Get("q"), Sort: q.Get("sort"), Difficulty: q.Get("difficulty"), Tag: q.Get("tag"),
		Category: q.Get("category"), MaxMinutes: q.Get("max_minutes"), Time: q.Get("time"),
		Sorts: sortOptions, Levels: levelOptions, Errors: map[string]string{}}
	lq := store.ListQuery{Query: strings.TrimSpace(v.Q), Tag: strings.ToLower(strings.TrimSpace(v.Tag)),
		Category: strings.ToLower(strings.TrimSpace(v.Category)), Limit: 24, Cursor: q.Get("cursor"),
		Exact: q.Get("exact") == "1"}
	switch v.Sort {
	case "", "newest", "title", "quickest":
		lq.Sort = store.Sort(v.Sort)
	default:
		v.Errors["sort"] = "Choose one of the listed orders."
	}
	switch v.Difficulty {
	case "", "easy", "medium", "hard":
		lq.Difficulty = recipe.Difficulty(v.Difficulty)
	default:
		v.Errors["difficulty"] = "Choose easy, medium or hard."
	}
	if _, ok := timeLabels[v.Time]; ok || v.Time == "" {
		lq.Time = v.Time
	} else {
		v.Errors["time"] = "Choose one of the listed times."
	}
	if s := strings.TrimSpace(v.MaxMinutes); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 2*recipe.MaxMinutes {
			v.Errors["max_minutes"] = "Enter a number of minutes."
		} else {
			lq.MaxTotalMinutes = &n
		}
	}
	search, qErrs := recipe.ParseSearch(lq.Query)
	if len(qErrs) > 0 {
		v.Errors["q"] = "Your search " + qErrs[0].Message + "."
	}
	v.Ignored = search.Ignored
	if me := auth.UserFrom(r.Context()); me != nil {
		lq.ViewerID = me.ID
	}
	title := "Browse recipes"
	if v.Q != "" {
		title = "Search: " + v.Q
	}
	if savedBy != nil {
		v.Path, v.Saved, lq.SavedBy = "/saved", true, savedBy.ID
		title = "Saved recipes"
		if v.Q != "" {
			title = "Saved recipes: " + v.Q
		}
	}
	if len(v.Errors) > 0 {
		u.render(w, r, http.StatusBadRequest, "browse", &page{Title: title, Data: v})
		return
	}
	res, err := u.store.BrowseRecipes(r.Context(), lq)
	if errors.Is(err, store.ErrBadCursor) {
		// A cursor that no longer fits (the sort changed, the link is
		// old): the first page instead.
		lq.Cursor = ""
		res, err = u.store.BrowseRecipes(r.Context(), lq)
		v.Errors["cursor"] = "That page link has expired; here is the first page."
	}
	if errors.Is(err, store.ErrSearchTimeout) {
		v.TimedOut = true
		w.Header().Set("Retry-After", strconv.Itoa(int(store.SearchRetryAfter.Seconds())))
		u.render(w, r, http.StatusServiceUnavailable, "browse", &page{Title: title, Data: v})
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v.explain(res, search.Terms)
	u.render(w, r, http.StatusOK, "browse", &page{Title: title, Data: v, Public: savedBy == nil})
}

// explain fills in the page's cards, count, corrections, facets and
// chips from res, the answer to the search for terms.
func (v *browseView) explain(res *store.Browse, terms []string) {
	v.Counted, v.Total, v.More, v.Sampled = true, res.Total, res.More, res.Sampled
	m := newMatcher(terms, res.Corrections)
	for _, it := range res.Items {
		if len(terms) == 0 {
			v.Cards = append(v.Cards, it)
		} else {
			v.Cards = append(v.Cards, newSearchCard(it, m, res.Ingredients[it.ID]))
		}
	}
	if res.NextCursor != "" {
		v.NextURL = v.link("cursor", res.NextCursor)
	}
	if len(res.Corrections) > 0 {
		fixed := map[string]string{}
		for _, c := range res.Corrections {
			fixed[c.Term] = c.Word
		}
		for _, t := range terms {
			if w, ok := fixed[t]; ok {
				v.Searched = append(v.Searched, searchedWord{w, true})
			} else {
				v.Searched = append(v.Searched, searchedWord{t, false})
			}
		}
		v.ExactURL = v.link("exact", "1")
	}

	levels := map[string]string{"easy": "Easy", "medium": "Medium", "hard": "Hard"}
	for _, g := range []struct {
		label, param string
		facets       []store.Facet
		name         func(string) string
	}{
		{"Tags", "tag", res.Facets.Tags, nil},
		{"Categories", "category", res.Facets.Categories, nil},
		{"Difficulty", "difficulty", res.Facets.Difficulty, func(s string) string { return levels[s] }},
		{"Total time", "time", res.Facets.Time, func(s string) string { return timeLabels[s] }},
	} {
		current := v.Query.Get(g.param)
		fg := facetGroup{Label: g.label}
		for _, f := range g.facets {
			l := facetLink{Label: f.Value, Count: f.Count, Selected: strings.EqualFold(strings.TrimSpace(current), f.Value)}
			if g.name != nil {
				l.Label = g.name(f.Value)
			}
			if l.Selected {
				l.URL = v.link(g.param, "")
			} else {
				l.URL = v.link(g.param, f.Value)
			}
			fg.Items = append(fg.Items, l)
		}
		if len(fg.Items) > 0 {
			v.Facets = append(v.Facets, fg)
		}
	}

	for _, c := range []struct{ param, label string }{
		{"tag", "Tag: " + v.Tag},
		{"category", "Category: " + v.Category},
		{"difficulty", "Difficulty: " + levels[v.Difficulty]},
		{"time", "Total time: " + timeLabels[v.Time]},
		{"max_minutes", "Ready within " + strings.TrimSpace(v.MaxMinutes) + " min"},
	} {
		if strings.TrimSpace(v.Query.Get(c.param)) != "" {
			v.Chips = append(v.Chips, chip{Label: c.label, URL: v.link(c.param, "")})
		}
	}
}

// link is this page's address with param set to value ("" removes it),
// on its first page unless param is the cursor.
func (v *browseView) link(param, value string) string {
	next := url.Values{}
	for k, vals := range v.Query {
		if k != "cursor" && k != param {
			next[k] = vals
		}
	}
	if value != "" {
		next.Set(param, value)
	}
	if len(next) == 0 {
		return v.Path
	}
	return v.Path + "?" + next.Encode()
}

// thousands writes n with thousands separators: 1,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
