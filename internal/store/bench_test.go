package store_test

import (
	"context"
	"testing"

	"github.com/reccollection/reccollection/internal/seed"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// benchRecipes is large enough for the planner to prefer indexes and for
// search ranking to matter, and small enough to seed in seconds.
const benchRecipes = 5000

// BenchmarkListRecipes measures the list and search queries on a seeded
// database of each engine. Run with `make bench`.
func BenchmarkListRecipes(b *testing.B) {
	for _, engine := range testutil.Engines {
		b.Run(engine, func(b *testing.B) {
			s := testutil.OpenStore(b, engine)
			ctx := context.Background()
			if err := seed.Synthetic(ctx, s, 50, benchRecipes, 1, nil); err != nil {
				b.Fatal(err)
			}
			cases := []struct {
				name string
				q    store.ListQuery
			}{
				{"newest", store.ListQuery{}},
				{"title", store.ListQuery{Sort: store.SortTitle}},
				{"quickest", store.ListQuery{Sort: store.SortQuickest}},
				{"tag", store.ListQuery{Tag: "vegetarian"}},
				{"max_minutes", store.ListQuery{MaxTotalMinutes: ptr(30), Difficulty: "easy"}},
				{"search", store.ListQuery{Query: "chicken curry"}},
				{"search_typo", store.ListQuery{Query: "chiken"}},
				// The most a search may ask within recipe.ParseSearch's
				// limits: ten words, all misspelt (three get corrected).
				{"search_worst_allowed", store.ListQuery{Query: "chiken curri tomatos garlik onoins lemonn buttr thymee rosemarry saffronn"}},
				// Ten two-letter words, matched whole rather than as
				// prefixes.
				{"search_short_words", store.ListQuery{Query: "ch cu to ga on le bu th ro sa"}},
				// Once the costliest query: 26 one-letter prefix scans.
				// One-letter words are now ignored, so it is a plain list.
				{"search_26_letters", store.ListQuery{Query: "a b c d e f g h i j k l m n o p q r s t u v w x y z"}},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						if _, err := s.ListRecipes(ctx, c.q); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkCreateRecipes measures batch inserts, the seeding path.
func BenchmarkCreateRecipes(b *testing.B) {
	for _, engine := range testutil.Engines {
		b.Run(engine, func(b *testing.B) {
			s := testutil.OpenStore(b, engine)
			ctx := context.Background()
			u := mkUserB(b, s)
			batch := make([]store.NewRecipe, 100)
			for i := range batch {
				batch[i] = store.NewRecipe{AuthorID: u, Input: input("Bench", "public", "tag-a", "tag-b")}
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := s.CreateRecipes(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "recipes/s")
		})
	}
}
