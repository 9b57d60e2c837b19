package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/collection"
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// DemoSocial gives the demo cooks a little life together, so the social
// pages have something to show at first start: who follows whom, likes,
// saves, ratings and comments on each other's public recipes, and a
// public collection; Lucia and Arjun share a household and this week's
// dinners. Run it right after Demo, on a current schema (Demo
// alone also serves the backup tests' older schemas).
func DemoSocial(ctx context.Context, s *store.Store) error {
	users := map[string]string{}
	recipes := map[string]string{} // public demo recipes by title
	for _, du := range DemoUsers() {
		u, err := s.UserByUsername(ctx, du.Username)
		if err != nil {
			return fmt.Errorf("demo user %s: %w", du.Username, err)
		}
		users[du.Username] = u.ID
		page, err := s.ListRecipes(ctx, store.ListQuery{AuthorID: u.ID, Visibility: recipe.Public, Limit: store.MaxListLimit})
		if err != nil {
			return err
		}
		for _, r := range page.Items {
			recipes[r.Title] = r.ID
		}
	}
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
		{"lucia", "Chicken Tikka Masala", 5, "Worth every minute. I charred the chicken under the grill."},
		{"hannah", "Neapolitan-Style Margherita Pizza", 5, "The long cold rise makes all the difference."},
		{"arjun", "Tiramisu", 4, ""},
	}
	for _, m := range marks {
		id, ok := recipes[m.title]
		if !ok {
			return fmt.Errorf("demo social: no public demo recipe %q", m.title)
		}
		v := recipe.Viewer{UserID: users[m.who]}
		if _, err := s.SetLike(ctx, v, id, true); err != nil {
			return fmt.Errorf("demo like: %w", err)
		}
		if _, err := s.SetSave(ctx, v, id, true); err != nil {
			return fmt.Errorf("demo save: %w", err)
		}
		if _, err := s.Rate(ctx, v, id, m.stars); err != nil {
			return fmt.Errorf("demo rating: %w", err)
		}
		if m.comment != "" {
			if _, err := s.AddComment(ctx, v, id, m.comment); err != nil {
				return fmt.Errorf("demo comment: %w", err)
			}
		}
	}
	c, err := s.CreateCollection(ctx, users["hannah"], collection.Input{Name: "Italian Sunday",
		Description: "A long lunch, from pizza to tiramisu.", Visibility: recipe.Public})
	if err != nil {
		return fmt.Errorf("demo collection: %w", err)
	}
	for _, title := range []string{"Neapolitan-Style Margherita Pizza", "Spaghetti Carbonara", "Tiramisu"} {
		id, ok := recipes[title]
		if !ok {
			return fmt.Errorf("demo social: no public demo recipe %q", title)
		}
		if _, _, err := s.AddToCollection(ctx, recipe.Viewer{UserID: users["hannah"]}, c.ID, id); err != nil {
			return fmt.Errorf("demo collection recipe: %w", err)
		}
	}
	return demoHousehold(ctx, s, users, recipes)
}

// demoHousehold puts Lucia and Arjun in one household with this week's
// dinners planned, so the plan has something to show at first start.
func demoHousehold(ctx context.Context, s *store.Store, users, recipes map[string]string) error {
	now := time.Now()
	token := auth.NewSecret()
	if _, err := s.RenameHousehold(ctx, users["lucia"], "Lucia & Arjun", now); err != nil {
		return fmt.Errorf("demo household: %w", err)
	}
	if _, err := s.CreateHouseholdInvitation(ctx, users["lucia"], store.NewInvitation{TokenHash: auth.HashSecret(token)}, now); err != nil {
		return fmt.Errorf("demo invitation: %w", err)
	}
	if _, err := s.AcceptHouseholdInvitation(ctx, users["arjun"], auth.HashSecret(token), now); err != nil {
		return fmt.Errorf("demo join: %w", err)
	}
	monday := planner.WeekOf(now.UTC())
	four := 4
	plan := []struct {
		day        int
		who, title string
		recipe     bool
		servings   *int
	}{
		{0, "lucia", "Spaghetti Carbonara", true, &four},
		{1, "arjun", "Chicken Tikka Masala", true, nil},
		{2, "lucia", "Leftovers", false, nil},
		{4, "arjun", "Neapolitan-Style Margherita Pizza", true, nil},
		{5, "lucia", "Eat out", false, nil},
	}
	for _, p := range plan {
		in := planner.EntryInput{Day: monday.AddDate(0, 0, p.day).Format(planner.DayLayout), Slot: "dinner", Servings: p.servings}
		if p.recipe {
			id, ok := recipes[p.title]
			if !ok {
				return fmt.Errorf("demo plan: no public demo recipe %q", p.title)
			}
			in.RecipeID = id
		} else {
			in.Title = p.title
		}
		if _, err := s.AddPlanEntry(ctx, users[p.who], in, now); err != nil {
			return fmt.Errorf("demo plan: %w", err)
		}
	}
	// The week's shop, made from the plan, with a couple of lines typed
	// by hand and the first one already in the basket.
	list, err := s.CreateShoppingList(ctx, users["lucia"], "This week", now)
	if err != nil {
		return fmt.Errorf("demo list: %w", err)
	}
	res, err := s.AddPlanToList(ctx, users["lucia"], list.ID, monday.Format(planner.DayLayout), monday.AddDate(0, 0, 6).Format(planner.DayLayout), false, now)
	if err != nil {
		return fmt.Errorf("demo list: %w", err)
	}
	for _, text := range []string{"2 lemons", "kitchen paper"} {
		if _, err := s.AddShoppingItem(ctx, users["arjun"], list.ID, text, now); err != nil {
			return fmt.Errorf("demo list: %w", err)
		}
	}
	if len(res.List.Lines) > 0 {
		ticked := true
		if _, err := s.ChangeShoppingItem(ctx, users["arjun"], list.ID, res.List.Lines[0].ID, store.ItemChange{Checked: &ticked}, now); err != nil {
			return fmt.Errorf("demo list: %w", err)
		}
	}
	return nil
}
