package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// The contract suite: every test here runs on both engines, which is what
// lets the API promise identical behaviour on SQLite and PostgreSQL.
func forEachEngine(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, testutil.OpenStore(t, engine))
		})
	}
}

func ptr[T any](v T) *T { return &v }

func mkUserB(b *testing.B, s *store.Store) string {
	u := &auth.User{Username: "bench", Email: "bench@example.test", PasswordHash: "x"}
	if err := s.CreateUser(context.Background(), u); err != nil {
		b.Fatal(err)
	}
	return u.ID
}

func mkUser(t *testing.T, s *store.Store, name string) *auth.User {
	t.Helper()
	u := &auth.User{Username: name, Email: name + "@example.test", DisplayName: name, PasswordHash: "x"}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

func input(title string, vis recipe.Visibility, tags ...string) recipe.Input {
	return recipe.Input{
		Title:       title,
		Description: "A dish called " + title,
		PrepMinutes: ptr(10),
		CookMinutes: ptr(20),
		Servings:    ptr(4),
		Difficulty:  recipe.Easy,
		Visibility:  vis,
		Ingredients: []recipe.Ingredient{
			{Quantity: ptr(1.5), Unit: "cup", Name: "flour", Note: "sifted", Original: "1 1/2 cups flour, sifted"},
			{Quantity: ptr(2.0), QuantityMax: ptr(3.0), Unit: "clove", Name: "garlic", Original: "2-3 cloves garlic"},
			{Name: "salt", Note: "to taste", Original: "salt to taste"},
		},
		Steps:      []string{"Mix everything.", "Bake until golden."},
		Tags:       tags,
		Categories: []string{"dinner"},
	}
}

func TestSQLiteFileIsPrivate(t *testing.T) {
	path := testutil.SQLitePath(t)
	s, err := store.Open(context.Background(), store.Options{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("database file mode %o, want 600", mode)
	}
}

func TestUsersContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "alice")
		got, err := s.UserByLogin(ctx, "ALICE@example.test")
		if err != nil || got.ID != u.ID {
			t.Fatalf("UserByLogin by email = %v, %v; want alice", got, err)
		}
		got, err = s.UserByLogin(ctx, " Alice ")
		if err != nil || got.ID != u.ID || got.Role != auth.RoleUser {
			t.Fatalf("UserByLogin by username = %+v, %v", got, err)
		}
		if !got.CreatedAt.Equal(u.CreatedAt) {
			t.Errorf("created_at round trip: got %v want %v", got.CreatedAt, u.CreatedAt)
		}
		dup := &auth.User{Username: "alice", Email: "other@example.test", PasswordHash: "x"}
		var ce *store.ConflictError
		if err := s.CreateUser(ctx, dup); !errors.As(err, &ce) || ce.Field != "username" {
			t.Errorf("duplicate username: got %v, want conflict on username", err)
		}
		dup = &auth.User{Username: "alice2", Email: "alice@example.test", PasswordHash: "x"}
		if err := s.CreateUser(ctx, dup); !errors.As(err, &ce) || ce.Field != "email" {
			t.Errorf("duplicate email: got %v, want conflict on email", err)
		}
		if _, err := s.UserByID(ctx, "not-a-uuid"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("UserByID(bad) = %v, want ErrNotFound", err)
		}
	})
}

func TestSessionsAndTokensContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "bob")
		now := time.Now().UTC()
		live := auth.Session{ID: auth.HashSecret("live"), UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		dead := auth.Session{ID: auth.HashSecret("dead"), UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(-time.Second)}
		for _, ss := range []auth.Session{live, dead} {
			if err := s.CreateSession(ctx, ss); err != nil {
				t.Fatal(err)
			}
		}
		if _, got, err := s.UserBySession(ctx, live.ID); err != nil || got.ID != u.ID {
			t.Fatalf("live session: %v %v", got, err)
		}
		if _, _, err := s.UserBySession(ctx, dead.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired session: got %v, want ErrNotFound", err)
		}
		if n, err := s.DeleteExpiredSessions(ctx); err != nil || n != 1 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
		}

		tok := &auth.APIToken{UserID: u.ID, Name: "cli", Hash: auth.HashSecret("tok")}
		if err := s.CreateAPIToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		gotTok, owner, err := s.UserByAPIToken(ctx, tok.Hash)
		if err != nil || owner.ID != u.ID || gotTok.ID != tok.ID {
			t.Fatalf("UserByAPIToken: %v %v %v", gotTok, owner, err)
		}
		list, err := s.APITokens(ctx, u.ID)
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
			t.Fatalf("APITokens = %+v, %v; want one used token", list, err)
		}
		other := mkUser(t, s, "mallory")
		if err := s.DeleteAPIToken(ctx, other.ID, tok.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoking another user's token: got %v, want ErrNotFound", err)
		}
		if err := s.DeleteAPIToken(ctx, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.UserByAPIToken(ctx, tok.Hash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoked token still works: %v", err)
		}

		// Pruning keeps tokens made on purpose and drops the oldest login
		// tokens beyond the number to keep.
		later := time.Now().Add(time.Hour)
		for i, src := range []string{auth.TokenFromUser, auth.TokenFromLogin, auth.TokenFromLogin, auth.TokenFromUser} {
			tk := &auth.APIToken{UserID: u.ID, Name: fmt.Sprint(src, i), Source: src, Hash: auth.HashSecret(fmt.Sprint("p", i)), ExpiresAt: &later}
			if err := s.CreateAPIToken(ctx, tk); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PruneAPITokens(ctx, u.ID, 1); err != nil {
			t.Fatal(err)
		}
		names := func() []string {
			list, err := s.APITokens(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, tk := range list {
				out = append(out, tk.Name)
			}
			return out
		}
		if got := names(); !slices.Equal(got, []string{"user0", "login2", "user3"}) {
			t.Errorf("after pruning to 1 login token: %q, want only the oldest login token gone", got)
		}
	})
}

func TestRecipeRoundTripContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "carol")
		in := input("Garlic Bread", recipe.Public, "bread", "quick")
		r, err := s.CreateRecipe(ctx, u.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Title != "Garlic Bread" || r.Author.Username != "carol" || *r.TotalMinutes != 30 {
			t.Errorf("created recipe = %+v", r.Summary)
		}
		if len(r.Ingredients) != 3 || *r.Ingredients[0].Quantity != 1.5 || *r.Ingredients[1].QuantityMax != 3 ||
			r.Ingredients[2].Quantity != nil || r.Ingredients[0].Note != "sifted" {
			t.Errorf("ingredients = %+v", r.Ingredients)
		}
		if !slices.Equal(r.Steps, in.Steps) || !slices.Equal(r.Tags, []string{"bread", "quick"}) ||
			!slices.Equal(r.Categories, []string{"dinner"}) {
			t.Errorf("steps/tags/categories = %v %v %v", r.Steps, r.Tags, r.Categories)
		}

		in2 := in
		in2.Title = "Cheesy Garlic Bread"
		in2.Ingredients = in.Ingredients[:1]
		in2.Steps = []string{"Toast."}
		in2.Tags = []string{"cheese"}
		in2.PrepMinutes = nil
		r2, err := s.ReplaceRecipe(ctx, r.ID, in2)
		if err != nil {
			t.Fatal(err)
		}
		if r2.Title != in2.Title || len(r2.Ingredients) != 1 || len(r2.Steps) != 1 ||
			!slices.Equal(r2.Tags, []string{"cheese"}) || r2.PrepMinutes != nil || *r2.TotalMinutes != 20 {
			t.Errorf("replaced recipe = %+v", r2)
		}
		if !r2.CreatedAt.Equal(r.CreatedAt) || !r2.UpdatedAt.After(r.UpdatedAt) && !r2.UpdatedAt.Equal(r.UpdatedAt) {
			t.Errorf("timestamps: created %v→%v updated %v→%v", r.CreatedAt, r2.CreatedAt, r.UpdatedAt, r2.UpdatedAt)
		}
		if err := s.DeleteRecipe(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Recipe(ctx, r.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted recipe: got %v, want ErrNotFound", err)
		}
		if err := s.DeleteRecipe(ctx, r.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second delete: got %v, want ErrNotFound", err)
		}
		if _, err := s.ReplaceRecipe(ctx, r.ID, in2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("replace deleted: got %v, want ErrNotFound", err)
		}
	})
}

func titles(p *store.Page) []string {
	out := make([]string, len(p.Items))
	for i, r := range p.Items {
		out[i] = r.Title
	}
	return out
}

func TestListVisibilityAndFiltersContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		mk := func(author *auth.User, title string, vis recipe.Visibility, minutes int, d recipe.Difficulty, age int, tags ...string) {
			in := input(title, vis, tags...)
			in.PrepMinutes, in.CookMinutes, in.Difficulty = ptr(minutes), nil, d
			if _, err := s.CreateRecipes(ctx, []store.NewRecipe{{AuthorID: author.ID, Input: in, CreatedAt: base.Add(-time.Duration(age) * time.Hour)}}); err != nil {
				t.Fatal(err)
			}
		}
		mk(alice, "Apple Pie", recipe.Public, 90, recipe.Medium, 1, "dessert")
		mk(alice, "Secret Sauce", recipe.Private, 5, recipe.Easy, 2, "sauce")
		mk(alice, "Hidden Gem Stew", recipe.Unlisted, 120, recipe.Hard, 3, "stew")
		mk(bob, "Banana Bread", recipe.Public, 60, recipe.Easy, 4, "dessert", "bread")
		mk(bob, "Chicken Curry", recipe.Public, 45, recipe.Medium, 5, "spicy")

		list := func(lq store.ListQuery) []string {
			t.Helper()
			p, err := s.ListRecipes(ctx, lq)
			if err != nil {
				t.Fatalf("list %+v: %v", lq, err)
			}
			return titles(p)
		}
		want := func(got []string, w ...string) {
			t.Helper()
			if !slices.Equal(got, w) {
				t.Errorf("got %q, want %q", got, w)
			}
		}
		want(list(store.ListQuery{}), "Apple Pie", "Banana Bread", "Chicken Curry")
		want(list(store.ListQuery{ViewerID: bob.ID}), "Apple Pie", "Banana Bread", "Chicken Curry")
		want(list(store.ListQuery{ViewerID: alice.ID}), "Apple Pie", "Secret Sauce", "Hidden Gem Stew", "Banana Bread", "Chicken Curry")
		want(list(store.ListQuery{ViewerID: bob.ID, AuthorID: alice.ID}), "Apple Pie")
		want(list(store.ListQuery{ViewerID: alice.ID, AuthorID: alice.ID, Visibility: recipe.Private}), "Secret Sauce")
		want(list(store.ListQuery{Tag: "dessert"}), "Apple Pie", "Banana Bread")
		want(list(store.ListQuery{Tag: "sauce", ViewerID: bob.ID}))
		want(list(store.ListQuery{Category: "dinner", Difficulty: recipe.Medium}), "Apple Pie", "Chicken Curry")
		want(list(store.ListQuery{MaxTotalMinutes: ptr(60)}), "Banana Bread", "Chicken Curry")
		want(list(store.ListQuery{Sort: store.SortTitle}), "Apple Pie", "Banana Bread", "Chicken Curry")
		want(list(store.ListQuery{Sort: store.SortQuickest, ViewerID: alice.ID}), "Secret Sauce", "Chicken Curry", "Banana Bread", "Apple Pie", "Hidden Gem Stew")

		for who, viewer := range map[string]string{"anonymous": "", "bob": bob.ID} {
			n, err := s.CountVisibleRecipes(ctx, alice.ID, viewer)
			if err != nil || n != 1 {
				t.Errorf("%s counts %d of alice's recipes (%v), want 1", who, n, err)
			}
		}
		if n, _ := s.CountVisibleRecipes(ctx, alice.ID, alice.ID); n != 3 {
			t.Errorf("alice counts %d of her own recipes, want 3", n)
		}
	})
}

func TestPaginationContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "dave")
		batch := []store.NewRecipe{}
		same := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		for i := range 23 {
			in := input(fmt.Sprintf("Dish %02d", 22-i), recipe.Public)
			in.PrepMinutes, in.CookMinutes = nil, nil
			if i%3 != 0 {
				in.PrepMinutes = ptr(i % 5)
			}
			// Several recipes share a timestamp, so the id tie-break matters.
			batch = append(batch, store.NewRecipe{AuthorID: u.ID, Input: in, CreatedAt: same.Add(time.Duration(i/4) * time.Minute)})
		}
		if _, err := s.CreateRecipes(ctx, batch); err != nil {
			t.Fatal(err)
		}
		for _, sort := range []store.Sort{store.SortNewest, store.SortTitle, store.SortQuickest} {
			all, err := s.ListRecipes(ctx, store.ListQuery{Sort: sort, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var paged []string
			cur := ""
			for pages := 0; ; pages++ {
				if pages > 10 {
					t.Fatalf("%s: pagination does not end", sort)
				}
				p, err := s.ListRecipes(ctx, store.ListQuery{Sort: sort, Limit: 5, Cursor: cur})
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, titles(p)...)
				if p.NextCursor == "" {
					break
				}
				cur = p.NextCursor
			}
			if len(paged) != 23 || !slices.Equal(paged, titles(all)) {
				t.Errorf("%s: paged %q\nwant %q", sort, paged, titles(all))
			}
		}
		first, _ := s.ListRecipes(ctx, store.ListQuery{Sort: store.SortNewest, Limit: 5})
		if _, err := s.ListRecipes(ctx, store.ListQuery{Sort: store.SortTitle, Cursor: first.NextCursor}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor reused with another sort: %v, want ErrBadCursor", err)
		}
		if _, err := s.ListRecipes(ctx, store.ListQuery{Cursor: "!!not base64"}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("garbage cursor: %v, want ErrBadCursor", err)
		}
	})
}

func TestSearchContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		add := func(u *auth.User, title, desc string, vis recipe.Visibility, ingredient string, tags ...string) {
			in := input(title, vis, tags...)
			in.Description = desc
			in.Ingredients = append(in.Ingredients, recipe.Ingredient{Name: ingredient, Original: ingredient})
			if _, err := s.CreateRecipe(ctx, u.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		add(alice, "Thai Green Curry", "Fragrant and creamy.", recipe.Public, "coconut milk", "spicy")
		add(alice, "Roast Chicken", "Sunday classic with crisp skin.", recipe.Public, "whole chicken", "roast")
		add(bob, "Lemon Tart", "Sharp, sweet, with a curry leaf garnish.", recipe.Public, "lemons", "dessert")
		add(bob, "Private Chicken Soup", "Grandma's own.", recipe.Private, "chicken thighs", "soup")
		add(bob, "Unlisted Chicken Pie", "Not for everyone.", recipe.Unlisted, "chicken breast", "pie")

		search := func(viewer, q string) []string {
			t.Helper()
			p, err := s.ListRecipes(ctx, store.ListQuery{ViewerID: viewer, Query: q})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			return titles(p)
		}
		// Title beats description: the curry recipe ranks above the tart
		// that only mentions curry.
		if got := search("", "curry"); !slices.Equal(got, []string{"Thai Green Curry", "Lemon Tart"}) {
			t.Errorf("curry: %q", got)
		}
		if got := search("", "coconut"); !slices.Equal(got, []string{"Thai Green Curry"}) {
			t.Errorf("ingredient name: %q", got)
		}
		if got := search("", "dessert"); !slices.Equal(got, []string{"Lemon Tart"}) {
			t.Errorf("tag: %q", got)
		}
		if got := search("", "lemon"); !slices.Equal(got, []string{"Lemon Tart"}) {
			t.Errorf("stemmed plural: %q", got)
		}
		if got := search("", "chiken"); !slices.Equal(got, []string{"Roast Chicken"}) {
			t.Errorf("typo, anonymous: %q (private and unlisted must not appear)", got)
		}
		got := search(bob.ID, "chicken")
		slices.Sort(got)
		if !slices.Equal(got, []string{"Private Chicken Soup", "Roast Chicken", "Unlisted Chicken Pie"}) {
			t.Errorf("author sees own: %q", got)
		}
		if got := search(alice.ID, "grandma"); len(got) != 0 {
			t.Errorf("private description leaked to another user: %q", got)
		}
		if got := search("", "zzzzqqq"); len(got) != 0 {
			t.Errorf("nonsense matched: %q", got)
		}
		if got := search("", `"'*()-:^`); len(got) != 3 {
			t.Errorf("punctuation-only query should list all public: %q", got)
		}
	})
}

func TestConcurrentWritesContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "erin")
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// All share the same new tag, so tag creation races too.
				_, err := s.CreateRecipe(ctx, u.ID, input(fmt.Sprintf("Race %d", i), recipe.Public, "shared-tag", fmt.Sprintf("own-%d", i)))
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent create: %v", err)
			}
		}
		p, err := s.ListRecipes(ctx, store.ListQuery{Tag: "shared-tag", Limit: 100})
		if err != nil || len(p.Items) != 16 {
			t.Errorf("want 16 recipes with the shared tag, got %d (%v)", len(p.Items), err)
		}
	})
}
