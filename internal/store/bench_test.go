package store_test

import (
	"context"
	"syscall"
	"testing"
	"time"

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

// BenchmarkLoadRecipe measures reading one recipe in full, and a page of
// 24, on each engine. Besides the time per read it reports the CPU this
// process spent per read (cpu-ns/op): on PostgreSQL that is the app's own
// share, the cost of the round trips and of decoding the JSON, which is
// what reading a recipe in one statement trades between.
func BenchmarkLoadRecipe(b *testing.B) {
	for _, engine := range testutil.Engines {
		b.Run(engine, func(b *testing.B) {
			s := testutil.OpenStore(b, engine)
			ctx := context.Background()
			if err := seed.Synthetic(ctx, s, 5, 200, 1, nil); err != nil {
				b.Fatal(err)
			}
			page, err := s.ListRecipes(ctx, store.ListQuery{Limit: 24})
			if err != nil || len(page.Items) == 0 {
				b.Fatalf("list: %v", err)
			}
			b.Run("recipe", func(b *testing.B) {
				start := processCPU(b)
				i := 0
				for b.Loop() {
					if _, err := s.Recipe(ctx, page.Items[i%len(page.Items)].ID); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(float64(processCPU(b)-start)/float64(i), "cpu-ns/op")
			})
			b.Run("page", func(b *testing.B) {
				start := processCPU(b)
				i := 0
				for b.Loop() {
					if _, err := s.ListRecipes(ctx, store.ListQuery{Limit: 24}); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(float64(processCPU(b)-start)/float64(i), "cpu-ns/op")
			})
		})
	}
}

// processCPU is the user and system CPU time this process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
