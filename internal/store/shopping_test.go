package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// shopRecipe stores a recipe for servings with the given ingredient
// lines.
func shopRecipe(t *testing.T, s *store.Store, authorID, title string, servings int, vis recipe.Visibility, lines ...string) string {
	t.Helper()
	in := input(title, vis)
	in.Servings = ptr(servings)
	in.Ingredients = nil
	for _, l := range lines {
		in.Ingredients = append(in.Ingredients, recipe.ParseIngredient(l))
	}
	r, err := s.CreateRecipe(context.Background(), authorID, in)
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// household puts b into a's household.
func household(t *testing.T, s *store.Store, a, b string) {
	t.Helper()
	ctx, now := context.Background(), time.Now()
	token := auth.NewSecret()
	if _, err := s.CreateHouseholdInvitation(ctx, a, store.NewInvitation{TokenHash: auth.HashSecret(token)}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AcceptHouseholdInvitation(ctx, b, auth.HashSecret(token), now); err != nil {
		t.Fatal(err)
	}
}

// lineNamed is the unticked line of list named name in measure, or nil.
func lineNamed(l *planner.List, name, measure string) *planner.Item {
	for i := range l.Lines {
		if it := &l.Lines[i]; planner.ItemKey(it.Name) == planner.ItemKey(name) && it.Measure == measure && !it.Checked {
			return it
		}
	}
	return nil
}

func newList(t *testing.T, s *store.Store, userID, name string) string {
	t.Helper()
	l, err := s.CreateShoppingList(context.Background(), userID, name, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return l.ID
}

// TestShoppingListAddsUpContract: two recipes at different servings put
// their butter on one line with the converted sum and both recipes
// named; amounts that do not convert stay apart; staples stay off unless
// asked for.
func TestShoppingListAddsUpContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx, now := context.Background(), time.Now()
		a, b := mkUser(t, s, "ana"), mkUser(t, s, "ben")
		household(t, s, a.ID, b.ID)
		cake := shopRecipe(t, s, a.ID, "Butter cake", 4, recipe.Public, "200 g butter", "2 eggs", "1 cup milk", "salt to taste")
		biscuits := shopRecipe(t, s, b.ID, "Biscuits", 2, recipe.Private, "0.5 kg butter", "2 tbsp milk", "2 tbsp butter", "3 cloves garlic", "1 tbsp olive oil")
		list := newList(t, s, a.ID, "Saturday")
		// Ben adds both: his private biscuits and Ana's cake at double.
		res, err := s.AddRecipesToList(ctx, b.ID, list, []store.RecipeToShop{{RecipeID: cake, Servings: ptr(8)}, {RecipeID: biscuits}}, false, now)
		if err != nil {
			t.Fatal(err)
		}
		if res.Hidden != 0 || fmt.Sprint(res.Staples) != "[salt olive oil]" {
			t.Errorf("hidden %d, staples %q; want 0 and [salt olive oil]", res.Hidden, res.Staples)
		}
		butter := lineNamed(res.List, "butter", planner.Mass)
		if butter == nil || butter.Amount != "900 g" || len(butter.Sources) != 2 {
			t.Fatalf("butter by weight: %+v, want one line of 900 g from two recipes", butter)
		}
		if butter.Sources[0].Title != "Butter cake" || butter.Sources[0].Amount != "400 g" || butter.Sources[1].Title != "Biscuits" || butter.Sources[1].Amount != "500 g" {
			t.Errorf("butter's sources %+v", butter.Sources)
		}
		if milk := lineNamed(res.List, "milk", planner.Volume); milk == nil || milk.Amount != "2⅛ cups" {
			t.Errorf("milk: %+v, want 2⅛ cups", milk)
		}
		if spoon := lineNamed(res.List, "butter", planner.Volume); spoon == nil || spoon.Amount != "2 tbsp" || len(spoon.Sources) != 1 || spoon.Sources[0].Title != "Biscuits" {
			t.Errorf("butter by the spoon: %+v, want its own line of 2 tbsp for Biscuits", spoon)
		}
		if eggs := lineNamed(res.List, "egg", ""); eggs == nil || eggs.Amount != "4" || eggs.Aisle != "dairy" {
			t.Errorf("eggs: %+v, want 4 in dairy", eggs)
		}
		if lineNamed(res.List, "salt", "") != nil {
			t.Error("salt is on the list though staples were left out")
		}
		// Ana cannot read Ben's private biscuits: they add nothing for her,
		// and her list shows the sources without a link.
		res, err = s.AddRecipesToList(ctx, a.ID, list, []store.RecipeToShop{{RecipeID: biscuits}, {RecipeID: cake}}, true, now)
		if err != nil {
			t.Fatal(err)
		}
		if res.Hidden != 1 || len(res.Staples) != 0 {
			t.Errorf("hidden %d, staples %q; want 1 and none", res.Hidden, res.Staples)
		}
		butter = lineNamed(res.List, "butter", planner.Mass)
		if butter.Amount != "1.1 kg" || len(butter.Sources) != 2 || butter.Sources[1].RecipeID != "" || butter.Sources[0].RecipeID != cake || butter.Sources[0].Amount != "600 g" {
			t.Errorf("butter after the cake again: %+v", butter)
		}
		if lineNamed(res.List, "salt", "") == nil {
			t.Error("salt is missing though staples were asked for")
		}
	})
}

// TestShoppingListTicksContract: ticking is idempotent and bumps the
// version; a line unticked while a new one of its ingredient was started
// merges into it; the aisle a member picks is remembered for the
// household; clearing removes ticked lines only.
func TestShoppingListTicksContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx, now := context.Background(), time.Now()
		a, b := mkUser(t, s, "ana"), mkUser(t, s, "ben")
		household(t, s, a.ID, b.ID)
		list := newList(t, s, a.ID, "Week")
		res, err := s.AddShoppingItem(ctx, a.ID, list, "200 g butter", now)
		if err != nil {
			t.Fatal(err)
		}
		butter := lineNamed(res.List, "butter", planner.Mass)
		v0 := res.List.Version
		yes, no := true, false
		for range 2 {
			l, err := s.ChangeShoppingItem(ctx, b.ID, list, butter.ID, store.ItemChange{Checked: &yes}, now)
			if err != nil {
				t.Fatal(err)
			}
			if !l.Lines[0].Checked || l.Lines[0].CheckedBy != "ben" {
				t.Fatalf("after a tick: %+v", l.Lines[0])
			}
		}
		v, err := s.ShoppingListVersion(ctx, a.ID, list)
		if err != nil || v != v0+2 {
			t.Fatalf("version %d, %v; want %d", v, err, v0+2)
		}
		// Butter again while the first is ticked: a line of its own.
		if _, err := s.AddShoppingItem(ctx, a.ID, list, "0.5 kg butter", now); err != nil {
			t.Fatal(err)
		}
		l, err := s.ChangeShoppingItem(ctx, a.ID, list, butter.ID, store.ItemChange{Checked: &no}, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Lines) != 1 || l.Lines[0].Amount != "700 g" || l.Lines[0].Checked || len(l.Lines[0].Sources) != 1 {
			t.Fatalf("after unticking the first butter: %+v", l.Lines)
		}
		// Filed under "other" by Ana: the next butter goes there too.
		other := "other"
		if _, err := s.ChangeShoppingItem(ctx, a.ID, list, l.Lines[0].ID, store.ItemChange{Aisle: &other, Checked: &yes}, now); err != nil {
			t.Fatal(err)
		}
		n, err := s.ClearCheckedItems(ctx, b.ID, list, now)
		if err != nil || n != 1 {
			t.Fatalf("cleared %d, %v; want 1", n, err)
		}
		second := newList(t, s, b.ID, "Next week")
		res, err = s.AddShoppingItem(ctx, b.ID, second, "Butter", now)
		if err != nil {
			t.Fatal(err)
		}
		if res.List.Lines[0].Aisle != "other" {
			t.Errorf("butter filed under %q, want the household's choice, other", res.List.Lines[0].Aisle)
		}
		bad := "cellar"
		var ve *validate.Error
		if _, err := s.ChangeShoppingItem(ctx, a.ID, second, res.List.Lines[0].ID, store.ItemChange{Aisle: &bad}, now); !errors.As(err, &ve) {
			t.Errorf("an unknown aisle: %v, want a validation error", err)
		}
	})
}

// TestShoppingListConcurrentContract: two members adding and ticking at
// once lose nothing: every item added is on the list, the same one
// added by both is one line with the whole amount, and every tick holds.
func TestShoppingListConcurrentContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx, now := context.Background(), time.Now()
		a, b := mkUser(t, s, "ana"), mkUser(t, s, "ben")
		household(t, s, a.ID, b.ID)
		list := newList(t, s, a.ID, "Party")
		var wg sync.WaitGroup
		for i := range 20 {
			who := a.ID
			if i%2 == 1 {
				who = b.ID
			}
			wg.Go(func() {
				if _, err := s.AddShoppingItem(ctx, who, list, "1 lemon", now); err != nil {
					t.Error(err)
				}
				if _, err := s.AddShoppingItem(ctx, who, list, fmt.Sprintf("item %c", 'a'+i), now); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		l, err := s.ShoppingList(ctx, b.ID, list)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Lines) != 21 {
			t.Fatalf("%d lines, want 21", len(l.Lines))
		}
		if lemon := lineNamed(l, "lemon", ""); lemon == nil || lemon.Amount != "20" {
			t.Fatalf("lemons: %+v, want one line of 20", lemon)
		}
		yes := true
		for i, it := range l.Lines {
			who := a.ID
			if i%2 == 1 {
				who = b.ID
			}
			wg.Go(func() {
				if _, err := s.ChangeShoppingItem(ctx, who, list, it.ID, store.ItemChange{Checked: &yes}, now); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if l, err = s.ShoppingList(ctx, a.ID, list); err != nil {
			t.Fatal(err)
		}
		if l.Checked != 21 {
			t.Errorf("%d of 21 lines ticked", l.Checked)
		}
	})
}

// TestShoppingListBoundsContract: lists belong to their household
// alone; the caps hold; a list comes along when its only member joins
// another household.
func TestShoppingListBoundsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx, now := context.Background(), time.Now()
		a, b, c := mkUser(t, s, "ana"), mkUser(t, s, "ben"), mkUser(t, s, "cem")
		list := newList(t, s, a.ID, "Ana's")
		if _, err := s.AddShoppingItem(ctx, a.ID, list, "2 lemons", now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ShoppingList(ctx, c.ID, list); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a stranger reads the list: %v", err)
		}
		if _, err := s.AddShoppingItem(ctx, c.ID, list, "1 lemon", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a stranger adds to the list: %v", err)
		}
		if _, err := s.ShoppingListVersion(ctx, c.ID, list); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a stranger polls the list: %v", err)
		}
		var ve *validate.Error
		for _, text := range []string{"", "   ", string(make([]byte, planner.MaxItemText+1))} {
			if _, err := s.AddShoppingItem(ctx, a.ID, list, text, now); !errors.As(err, &ve) {
				t.Errorf("AddShoppingItem(%.10q): %v, want a validation error", text, err)
			}
		}
		if _, err := s.AddRecipesToList(ctx, a.ID, list, []store.RecipeToShop{{RecipeID: list, Servings: ptr(0)}}, false, now); !errors.As(err, &ve) {
			t.Errorf("0 servings: %v, want a validation error", err)
		}
		// Ana joins Ben's household, bringing her list.
		household(t, s, b.ID, a.ID)
		l, err := s.ShoppingList(ctx, b.ID, list)
		if err != nil || len(l.Lines) != 1 {
			t.Fatalf("Ben reads Ana's list after she joined: %v, %+v", err, l)
		}
		for i := 1; i < planner.MaxLists; i++ {
			newList(t, s, c.ID, fmt.Sprint("List ", i))
		}
		newList(t, s, c.ID, "The last")
		if _, err := s.CreateShoppingList(ctx, c.ID, "One too many", now); !errors.Is(err, store.ErrTooManyLists) {
			t.Errorf("list %d: %v, want ErrTooManyLists", planner.MaxLists+1, err)
		}
		if err := s.DeleteShoppingList(ctx, a.ID, list, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ShoppingList(ctx, b.ID, list); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a deleted list reads: %v", err)
		}
	})
}

// TestShoppingListFromPlanContract: a week's plan adds each planned
// recipe at its servings; text entries add nothing.
func TestShoppingListFromPlanContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx, now := context.Background(), time.Now()
		a := mkUser(t, s, "ana")
		soup := shopRecipe(t, s, a.ID, "Soup", 4, recipe.Public, "1 l stock", "2 onions")
		day := now.UTC().Format(planner.DayLayout)
		for _, e := range []planner.EntryInput{
			{Day: day, Slot: "dinner", RecipeID: soup, Servings: ptr(2)},
			{Day: day, Slot: "lunch", RecipeID: soup},
			{Day: day, Slot: "snack", Title: "Leftovers"},
		} {
			if _, err := s.AddPlanEntry(ctx, a.ID, e, now); err != nil {
				t.Fatal(err)
			}
		}
		list := newList(t, s, a.ID, "Week")
		res, err := s.AddPlanToList(ctx, a.ID, list, day, day, false, now)
		if err != nil {
			t.Fatal(err)
		}
		if stock := lineNamed(res.List, "stock", planner.Volume); stock == nil || stock.Amount != "1.5 l" || len(stock.Sources) != 1 {
			t.Errorf("stock: %+v, want 1.5 l from Soup", stock)
		}
		if onions := lineNamed(res.List, "onion", ""); onions == nil || onions.Amount != "3" {
			t.Errorf("onions: %+v, want 3", onions)
		}
	})
}
