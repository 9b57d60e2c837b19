package seed

import (
	"context"
	"fmt"

	"github.com/reccollection/reccollection/internal/collection"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// demoSocial gives the demo cooks a little life together, so the social
// pages have something to show at first start: who follows whom, likes,
// saves, ratings and comments on each other's public recipes, and a
// public collection. users maps usernames to ids, recipes titles to
// their ids and authors.
func demoSocial(ctx context.Context, s *store.Store, users map[string]string, recipes map[string]demoRef) error {
	follows := [][2]string{{"lucia", "arjun"}, {"arjun", "lucia"}, {"hannah", "lucia"}, {"hannah", "arjun"}}
	for _, f := range follows {
		if _, err := s.SetFollow(ctx, users[f[0]], f[1], true); err != nil {
			return fmt.Errorf("demo follow %s → %s: %w", f[0], f[1], err)
		}
	}
	type mark struct {
		who, title string
		stars      int
		comment    string
	}
	marks := []mark{
		{"arjun", "Spaghetti Carbonara", 5, "Made this on Sunday: no cream, and nobody missed it."},
		{"hannah", "Spaghetti Carbonara", 4, ""},
		{"lucia", "Coq au Vin", 5, "Worth every minute. I used a Burgundy."},
		{"hannah", "Rosemary Focaccia", 5, "The overnight rise makes all the difference."},
		{"arjun", "Tiramisu", 4, ""},
	}
	for _, m := range marks {
		r, ok := recipes[m.title]
		if !ok || r.author == users[m.who] {
			continue
		}
		v := recipe.Viewer{UserID: users[m.who]}
		if _, err := s.SetLike(ctx, v, r.id, true); err != nil {
			return fmt.Errorf("demo like: %w", err)
		}
		if _, err := s.SetSave(ctx, v, r.id, true); err != nil {
			return fmt.Errorf("demo save: %w", err)
		}
		if _, err := s.Rate(ctx, v, r.id, m.stars); err != nil {
			return fmt.Errorf("demo rating: %w", err)
		}
		if m.comment != "" {
			if _, err := s.AddComment(ctx, v, r.id, m.comment); err != nil {
				return fmt.Errorf("demo comment: %w", err)
			}
		}
	}
	c, err := s.CreateCollection(ctx, users["hannah"], collection.Input{Name: "Italian Sunday",
		Description: "A long lunch, from focaccia to tiramisu.", Visibility: recipe.Public})
	if err != nil {
		return fmt.Errorf("demo collection: %w", err)
	}
	for _, title := range []string{"Rosemary Focaccia", "Spaghetti Carbonara", "Tiramisu"} {
		if r, ok := recipes[title]; ok {
			if _, _, err := s.AddToCollection(ctx, recipe.Viewer{UserID: users["hannah"]}, c.ID, r.id); err != nil {
				return fmt.Errorf("demo collection recipe: %w", err)
			}
		}
	}
	return nil
}

// demoRef is a demo recipe's id and author.
type demoRef struct{ id, author string }
