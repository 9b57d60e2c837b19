package api_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

type listed struct {
	author, title string
	body          map[string]any
}

// listingData is created in this order, so newest-first is its reverse.
var listingData = []listed{
	{"ann", "Apple Pie", map[string]any{"difficulty": "easy", "prep_minutes": 20, "cook_minutes": 40,
		"tags": []string{"baking", "sweet"}, "categories": []string{"dessert"},
		"ingredients": []any{"6 apples", "200 g flour"}, "description": "Classic pie."}},
	{"ben", "Beef Stew", map[string]any{"difficulty": "hard", "prep_minutes": 30, "cook_minutes": 120,
		"tags": []string{"comfort"}, "categories": []string{"dinner"},
		"ingredients": []any{"1 kg beef", "2 carrots"}, "description": "Slow and rich."}},
	{"ann", "Chicken Soup", map[string]any{"difficulty": "medium", "prep_minutes": 15, "cook_minutes": 30,
		"tags": []string{"comfort"}, "categories": []string{"dinner", "lunch"},
		"ingredients": []any{"1 whole chicken", "3 carrots"}, "description": "For cold days."}},
	{"ben", "Daal", map[string]any{"difficulty": "easy", "prep_minutes": 10, "cook_minutes": 20,
		"tags": []string{"vegan"}, "categories": []string{"dinner"},
		"ingredients": []any{"250 g red lentils", "1 tsp turmeric"}, "description": "Spiced lentils."}},
	{"ann", "Egg Fried Rice", map[string]any{"difficulty": "easy",
		"tags": []string{"quick"}, "categories": []string{"lunch"},
		"ingredients": []any{"2 eggs", "300 g rice"}, "description": "Uses leftover rice."}},
	{"ben", "Saffron Risotto", map[string]any{"difficulty": "medium", "prep_minutes": 10, "cook_minutes": 30,
		"tags": []string{"italian"}, "categories": []string{"dinner"},
		"ingredients": []any{"300 g arborio rice", "1 l stock"}, "description": "Creamy."}},
	{"ann", "Paella", map[string]any{"difficulty": "hard", "prep_minutes": 20, "cook_minutes": 40,
		"tags": []string{"spanish"}, "categories": []string{"dinner"},
		"ingredients": []any{"400 g bomba rice", "500 g prawns"}, "description": "Coloured golden with saffron."}},
	{"ben", "Mango Lassi", map[string]any{"difficulty": "easy", "prep_minutes": 5, "cook_minutes": 0,
		"tags": []string{"drink", "sweet"}, "categories": []string{"drinks"},
		"ingredients": []any{"1 mango", "250 ml yogurt"}, "description": "Cold and sweet."}},
}

func TestListingHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		users := map[string]*client{"ann": s.apiClient(t, "ann"), "ben": s.apiClient(t, "ben")}
		byTitle := map[string]recipeJSON{}
		for _, d := range listingData {
			r := users[d.author].createRecipe(t, recipeBody(d.title, "public", d.body))
			byTitle[d.title] = r
		}
		// Hidden recipes that would match many of the filters below.
		users["ann"].createRecipe(t, recipeBody("Hidden Chicken Rice", "private", listingData[2].body))
		users["ben"].createRecipe(t, recipeBody("Unlisted Saffron Rice", "unlisted", listingData[5].body))

		anon := s.anon()
		newest := make([]string, 0, len(listingData))
		for i := len(listingData) - 1; i >= 0; i-- {
			newest = append(newest, listingData[i].title)
		}
		// Apple Pie and Paella both take 60 minutes: the id breaks the tie.
		tie := []string{"Apple Pie", "Paella"}
		if byTitle["Paella"].ID < byTitle["Apple Pie"].ID {
			tie = []string{"Paella", "Apple Pie"}
		}
		quickest := slices.Concat([]string{"Mango Lassi", "Daal", "Saffron Risotto", "Chicken Soup"}, tie, []string{"Beef Stew", "Egg Fried Rice"})

		t.Run("filters and sorts", func(t *testing.T) {
			for _, tc := range []struct {
				query string
				want  []string
			}{
				{"", newest},
				{"sort=newest", newest},
				{"sort=title", []string{"Apple Pie", "Beef Stew", "Chicken Soup", "Daal", "Egg Fried Rice", "Mango Lassi", "Paella", "Saffron Risotto"}},
				{"sort=quickest", quickest},
				{"author=ann", []string{"Paella", "Egg Fried Rice", "Chicken Soup", "Apple Pie"}},
				{"author=BEN&sort=title", []string{"Beef Stew", "Daal", "Mango Lassi", "Saffron Risotto"}},
				{"author=nobody", []string{}},
				{"tag=comfort", []string{"Chicken Soup", "Beef Stew"}},
				{"tag=Sweet&sort=title", []string{"Apple Pie", "Mango Lassi"}},
				{"category=dinner&sort=title", []string{"Beef Stew", "Chicken Soup", "Daal", "Paella", "Saffron Risotto"}},
				{"category=lunch", []string{"Egg Fried Rice", "Chicken Soup"}},
				{"difficulty=easy&sort=title", []string{"Apple Pie", "Daal", "Egg Fried Rice", "Mango Lassi"}},
				{"difficulty=hard", []string{"Paella", "Beef Stew"}},
				{"max_minutes=40&sort=quickest", []string{"Mango Lassi", "Daal", "Saffron Risotto"}},
				{"max_minutes=0", []string{}},
				{"category=dinner&difficulty=hard&max_minutes=100", []string{"Paella"}},
				{"author=ann&category=dinner&sort=quickest", []string{"Chicken Soup", "Paella"}},
			} {
				if got := titles(anon.list(t, tc.query+"&limit=100").Items); !slices.Equal(got, tc.want) {
					t.Errorf("?%s: got %q, want %q", tc.query, got, tc.want)
				}
			}
		})

		t.Run("cursor pagination with limit=2 visits every item once, in order", func(t *testing.T) {
			for _, q := range []string{"sort=newest", "sort=title", "sort=quickest", "q=rice", "q=rice&sort=title", "category=dinner&sort=quickest", "tag=sweet"} {
				whole := anon.list(t, q+"&limit=100")
				if whole.NextCursor != "" || len(whole.Items) == 0 {
					t.Fatalf("?%s with limit=100: %d items, next_cursor %q", q, len(whole.Items), whole.NextCursor)
				}
				var walked []string
				cursor, pages := "", 0
				for {
					page := anon.list(t, q+"&limit=2"+cursorParam(cursor))
					pages++
					walked = append(walked, ids(page.Items)...)
					if page.NextCursor == "" {
						if len(page.Items) > 2 {
							t.Errorf("?%s: last page has %d items", q, len(page.Items))
						}
						break
					}
					if len(page.Items) != 2 {
						t.Errorf("?%s: a middle page has %d items, want 2", q, len(page.Items))
					}
					if pages > 20 {
						t.Fatalf("?%s: pagination does not end", q)
					}
					cursor = page.NextCursor
				}
				if !slices.Equal(walked, ids(whole.Items)) {
					t.Errorf("?%s: pages gave %v, one page gives %v", q, walked, ids(whole.Items))
				}
				if want := (len(whole.Items) + 1) / 2; pages != want {
					t.Errorf("?%s: %d pages for %d items", q, pages, len(whole.Items))
				}
			}
			if n := len(anon.listAll(t, "sort=title&limit=2")); n != len(listingData) {
				t.Errorf("walking every page finds %d recipes, want %d", n, len(listingData))
			}
		})

		t.Run("search", func(t *testing.T) {
			for _, tc := range []struct {
				name, q string
				want    []string
			}{
				{"by title", "risotto", []string{"Saffron Risotto"}},
				{"by description", "leftover", []string{"Egg Fried Rice"}},
				{"by ingredient", "turmeric", []string{"Daal"}},
				{"by tag", "italian", []string{"Saffron Risotto"}},
				{"title above description", "saffron", []string{"Saffron Risotto", "Paella"}},
			} {
				if got := titles(anon.list(t, "q="+url.QueryEscape(tc.q)).Items); !slices.Equal(got, tc.want) {
					t.Errorf("%s: q=%s found %q, want %q", tc.name, tc.q, got, tc.want)
				}
			}
			got := titles(anon.list(t, "q=chiken").Items)
			if len(got) == 0 || got[0] != "Chicken Soup" {
				t.Errorf("the typo q=chiken found %q, want Chicken Soup first", got)
			}
			got = titles(anon.list(t, "q=rice&limit=100").Items)
			for _, want := range []string{"Egg Fried Rice", "Saffron Risotto", "Paella"} {
				if !slices.Contains(got, want) {
					t.Errorf("q=rice found %q, missing %q", got, want)
				}
			}
			if got := anon.list(t, "q=zzyzxqwv").Items; len(got) != 0 {
				t.Errorf("a word in no recipe found %q", titles(got))
			}
			// The longest allowed search text is accepted.
			anon.list(t, "q="+url.QueryEscape(strings.Repeat("tomato ", 28)+"rice"))
		})

		// A cursor is opaque but not signed: one built by hand must be
		// refused like any other bad cursor, not handed to the database.
		t.Run("a forged cursor is 400", func(t *testing.T) {
			for _, c := range []string{
				`{"s":"newest","i":"not-a-uuid","t":"2020-01-01T00:00:00Z"}`,
				`{"s":"title","k":"a","i":"not-a-uuid"}`,
				`{"s":"quickest","m":5,"i":"not-a-uuid"}`,
			} {
				sort := strings.Split(c, `"`)[3]
				t.Run(sort, func(t *testing.T) {
					anon.do(t, "GET", "/api/v1/recipes?sort="+sort+"&cursor="+base64.RawURLEncoding.EncodeToString([]byte(c)), nil).
						wantProblem(t, http.StatusBadRequest, "cursor")
				})
			}
		})

		t.Run("bad query parameters are 400 naming them", func(t *testing.T) {
			other := anon.list(t, "sort=title&limit=2").NextCursor
			if other == "" {
				t.Fatal("no cursor to reuse")
			}
			for _, tc := range []struct {
				name, query, field string
			}{
				{"limit 0", "limit=0", "limit"},
				{"limit 101", "limit=101", "limit"},
				{"limit not a number", "limit=abc", "limit"},
				{"limit negative", "limit=-5", "limit"},
				{"unknown sort", "sort=bogus", "sort"},
				{"unknown difficulty", "difficulty=bogus", "difficulty"},
				{"unknown visibility", "visibility=bogus", "visibility"},
				{"negative max_minutes", "max_minutes=-1", "max_minutes"},
				{"max_minutes not a number", "max_minutes=soon", "max_minutes"},
				{"q of 201 characters", "q=" + strings.Repeat("a", 201), "q"},
				{"q not UTF-8", "q=%FF%FE", "q"},
				{"garbage cursor", "cursor=garbage!!", "cursor"},
				{"cursor not JSON", "cursor=" + base64.RawURLEncoding.EncodeToString([]byte("not json")), "cursor"},
				{"cursor of another sort", "sort=newest&cursor=" + other, "cursor"},
				{"cursor of another sort, default sort", "cursor=" + other, "cursor"},
				{"relevance without q", "sort=relevance", "sort"},
				{"tag of 41 characters", "tag=" + strings.Repeat("t", 41), "tag"},
				{"repeated tag", "tag=comfort&tag=vegan", "tag"},
				{"repeated limit", "limit=1&limit=2", "limit"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					anon.do(t, "GET", "/api/v1/recipes?"+tc.query, nil).wantProblem(t, http.StatusBadRequest, tc.field)
				})
			}
			// Every bad parameter is named at once.
			anon.do(t, "GET", "/api/v1/recipes?limit=0&sort=bogus&difficulty=bogus&max_minutes=-1", nil).
				wantProblem(t, http.StatusBadRequest, "limit", "sort", "difficulty", "max_minutes")
		})
	})
}

func cursorParam(c string) string {
	if c == "" {
		return ""
	}
	return "&cursor=" + url.QueryEscape(c)
}
