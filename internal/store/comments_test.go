package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

func mustComment(t *testing.T, s *store.Store, who, recipeID, body string) *recipe.Comment {
	t.Helper()
	c, err := s.AddComment(context.Background(), viewer(who), recipeID, body)
	if err != nil {
		t.Fatalf("comment %q: %v", body, err)
	}
	return c
}

func bodies(items []*recipe.Comment) []string {
	out := make([]string, len(items))
	for i, c := range items {
		out[i] = c.Body
	}
	return out
}

// Who may add, edit and delete, and what each leaves behind.
func TestCommentsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob, carol := mkUser(t, s, "alice"), mkUser(t, s, "bob"), mkUser(t, s, "carol")
		pub := mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)

		c := mustComment(t, s, bob.ID, pub.ID, "  Lovely.\r\nWould bake again.\r\n\n")
		if c.Body != "Lovely.\nWould bake again." || c.RecipeID != pub.ID || c.Author.ID != bob.ID ||
			c.Author.Username != "bob" || c.Author.DisplayName != "bob" || c.EditedAt != nil || c.CreatedAt.IsZero() {
			t.Fatalf("added comment: %+v", c)
		}

		// Only the comment's author edits it; the recipe's author may not.
		if _, err := s.EditComment(ctx, viewer(alice.ID), pub.ID, c.ID, "Put words in bob's mouth"); !errors.Is(err, store.ErrCommentNotYours) {
			t.Fatalf("recipe author's edit: %v, want ErrCommentNotYours", err)
		}
		if _, err := s.EditComment(ctx, viewer(carol.ID), pub.ID, c.ID, "Mine now"); !errors.Is(err, store.ErrCommentNotYours) {
			t.Fatalf("stranger's edit: %v, want ErrCommentNotYours", err)
		}
		same, err := s.EditComment(ctx, viewer(bob.ID), pub.ID, c.ID, "Lovely.\r\nWould bake again.")
		if err != nil || same.EditedAt != nil {
			t.Fatalf("the same text again: %+v, %v; want no edit mark", same, err)
		}
		edited, err := s.EditComment(ctx, viewer(bob.ID), pub.ID, c.ID, "Lovely, with cream.")
		if err != nil || edited.Body != "Lovely, with cream." || edited.EditedAt == nil || !edited.CreatedAt.Equal(c.CreatedAt) {
			t.Fatalf("edit: %+v, %v", edited, err)
		}
		page, err := s.Comments(ctx, viewer(""), pub.ID, store.CommentQuery{})
		if err != nil || page.Count != 1 || len(page.Items) != 1 || page.Items[0].Body != "Lovely, with cream." ||
			page.Items[0].EditedAt == nil || page.Recipe.Title != "Plum cake" || page.Recipe.Author.ID != alice.ID {
			t.Fatalf("page after the edit: %+v, %v", page, err)
		}

		// A stranger may not delete; the comment's author and the
		// recipe's author may.
		other := mustComment(t, s, carol.ID, pub.ID, "Too sweet for me.")
		if err := s.DeleteComment(ctx, viewer(bob.ID), pub.ID, other.ID); !errors.Is(err, store.ErrCommentNotYours) {
			t.Fatalf("stranger's delete: %v", err)
		}
		if err := s.DeleteComment(ctx, viewer(alice.ID), pub.ID, other.ID); err != nil {
			t.Fatalf("recipe author's removal: %v", err)
		}
		if err := s.DeleteComment(ctx, viewer(bob.ID), pub.ID, c.ID); err != nil {
			t.Fatalf("own delete: %v", err)
		}
		if err := s.DeleteComment(ctx, viewer(bob.ID), pub.ID, c.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleting twice: %v, want ErrNotFound", err)
		}
		if n, err := s.CountComments(ctx, viewer(""), pub.ID); err != nil || n != 0 {
			t.Fatalf("count after deleting: %d, %v", n, err)
		}

		// An admin moderates as recipe.CanEdit allows.
		admin := mkUser(t, s, "admin")
		third := mustComment(t, s, carol.ID, pub.ID, "Spam spam spam")
		if err := s.DeleteComment(ctx, recipe.Viewer{UserID: admin.ID, Admin: true}, pub.ID, third.ID); err != nil {
			t.Fatalf("admin's removal: %v", err)
		}

		// The recipe carries its count in its one statement.
		mustComment(t, s, carol.ID, pub.ID, "Second go: perfect.")
		got, err := s.Recipe(ctx, pub.ID)
		if err != nil || got.CommentCount != 1 {
			t.Fatalf("recipe comment count %d, %v", got.CommentCount, err)
		}

		// Deleting the recipe, or an account, takes its comments with it.
		mustComment(t, s, bob.ID, pub.ID, "Bob again")
		if _, err := s.DB().Exec("DELETE FROM users WHERE id = '" + bob.ID + "'"); err != nil {
			t.Fatal(err)
		}
		if n := rowCount(t, s, "recipe_comments", pub.ID); n != 1 {
			t.Fatalf("%d comments after bob's account went, want carol's 1", n)
		}
		if err := s.DeleteRecipe(ctx, pub.ID); err != nil {
			t.Fatal(err)
		}
		if n := rowCount(t, s, "recipe_comments", pub.ID); n != 0 {
			t.Fatalf("recipe_comments keeps %d rows of a deleted recipe", n)
		}
	})
}

// The text is checked before anything is read or written: every bad
// body is a validation error on "body", on a missing recipe too.
func TestCommentBodyRulesContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice := mkUser(t, s, "alice")
		pub := mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)
		mine := mustComment(t, s, alice.ID, pub.ID, "First!")
		for name, body := range map[string]string{
			"empty":           "",
			"blank":           " \r\n\t ",
			"too long":        strings.Repeat("é", recipe.MaxCommentRunes+1),
			"NUL":             "a\x00b",
			"bell":            "ring\a",
			"escape sequence": "\x1b[31mred",
			"DEL":             "x\x7f",
			"C1 control":      "x\u0085y",
			"invalid UTF-8":   "caf\xe9",
		} {
			for _, id := range []string{pub.ID, "0190e4a2-7c1b-7000-8000-000000000000"} {
				_, err := s.AddComment(ctx, viewer(alice.ID), id, body)
				var ve *validate.Error
				if !errors.As(err, &ve) || ve.Fields[0].Field != "body" {
					t.Errorf("add %s: %v, want a validation error on body", name, err)
				}
				_, err = s.EditComment(ctx, viewer(alice.ID), id, mine.ID, body)
				if !errors.As(err, &ve) || ve.Fields[0].Field != "body" {
					t.Errorf("edit %s: %v, want a validation error on body", name, err)
				}
			}
		}
		// Exactly the limit, counted in characters, and tabs and lone
		// carriage returns, are fine.
		long := mustComment(t, s, alice.ID, pub.ID, strings.Repeat("é", recipe.MaxCommentRunes))
		if n := len([]rune(long.Body)); n != recipe.MaxCommentRunes {
			t.Fatalf("stored %d characters", n)
		}
		if c := mustComment(t, s, alice.ID, pub.ID, "a\tb\rc"); c.Body != "a\tb\nc" {
			t.Fatalf("stored %q", c.Body)
		}
		if n := rowCount(t, s, "recipe_comments", pub.ID); n != 3 {
			t.Fatalf("%d comments stored, want 3 (nothing from the refusals)", n)
		}
		page, err := s.Comments(ctx, viewer(alice.ID), pub.ID, store.CommentQuery{})
		if err != nil || page.Items[2].Body != "First!" || page.Items[2].EditedAt != nil {
			t.Fatalf("refused edits changed the comment: %+v, %v", page, err)
		}
	})
}

// A recipe the viewer may not read answers exactly as a missing one, on
// every operation; so does a comment id of another recipe, or none.
func TestCommentsNeedAReadableRecipeContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		pub := mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)
		other := mustRecipe(t, s, alice.ID, "Pear cake", recipe.Public)
		private := mustRecipe(t, s, alice.ID, "Secret stew", recipe.Private)
		unlisted := mustRecipe(t, s, alice.ID, "Quiet soup", recipe.Unlisted)
		onPrivate := mustComment(t, s, alice.ID, private.ID, "Note to self")
		onPub := mustComment(t, s, bob.ID, pub.ID, "Nice")
		missing := "0190e4a2-7c1b-7000-8000-000000000000"

		ops := map[string]func(v recipe.Viewer, id, commentID string) error{
			"list": func(v recipe.Viewer, id, _ string) error {
				_, err := s.Comments(ctx, v, id, store.CommentQuery{})
				return err
			},
			"count":  func(v recipe.Viewer, id, _ string) error { _, err := s.CountComments(ctx, v, id); return err },
			"add":    func(v recipe.Viewer, id, _ string) error { _, err := s.AddComment(ctx, v, id, "Hello"); return err },
			"edit":   func(v recipe.Viewer, id, c string) error { _, err := s.EditComment(ctx, v, id, c, "Hello"); return err },
			"delete": func(v recipe.Viewer, id, c string) error { return s.DeleteComment(ctx, v, id, c) },
		}
		for name, op := range ops {
			for _, c := range []struct {
				who, recipeID, commentID string
			}{
				{bob.ID, private.ID, onPrivate.ID},
				{bob.ID, missing, onPrivate.ID},
				{bob.ID, "not-an-id", onPrivate.ID},
				{"", private.ID, onPrivate.ID},
			} {
				if err := op(viewer(c.who), c.recipeID, c.commentID); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("%s on %s by %q: %v, want ErrNotFound", name, c.recipeID, c.who, err)
				}
			}
			// An admin gets no exception for private recipes.
			if err := op(recipe.Viewer{UserID: bob.ID, Admin: true}, private.ID, onPrivate.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s by an admin on a private recipe: %v", name, err)
			}
		}
		// A comment id under the wrong recipe, or no such comment.
		for _, c := range []struct{ recipeID, commentID string }{
			{other.ID, onPub.ID}, {pub.ID, missing}, {pub.ID, "not-an-id"}, {pub.ID, onPrivate.ID},
		} {
			if _, err := s.EditComment(ctx, viewer(bob.ID), c.recipeID, c.commentID, "Moved"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("edit %s under %s: %v, want ErrNotFound", c.commentID, c.recipeID, err)
			}
			if err := s.DeleteComment(ctx, viewer(bob.ID), c.recipeID, c.commentID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("delete %s under %s: %v, want ErrNotFound", c.commentID, c.recipeID, err)
			}
		}
		// Anyone with an unlisted recipe's link may read and comment.
		if _, err := s.AddComment(ctx, viewer(bob.ID), unlisted.ID, "Found it"); err != nil {
			t.Fatal(err)
		}
		if n, err := s.CountComments(ctx, viewer(""), unlisted.ID); err != nil || n != 1 {
			t.Fatalf("unlisted count: %d, %v", n, err)
		}
		// The author comments on their own private recipe.
		if page, err := s.Comments(ctx, viewer(alice.ID), private.ID, store.CommentQuery{}); err != nil || page.Count != 1 {
			t.Fatalf("author's private page: %+v, %v", page, err)
		}

		// A recipe made private takes its comments out of others' sight,
		// even their own; published again, they are back.
		in := input("Plum cake", recipe.Private)
		if _, err := s.ReplaceRecipe(ctx, pub.ID, in); err != nil {
			t.Fatal(err)
		}
		for name, op := range ops {
			if err := op(viewer(bob.ID), pub.ID, onPub.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s by the commenter after the recipe went private: %v", name, err)
			}
		}
		if page, err := s.Comments(ctx, viewer(alice.ID), pub.ID, store.CommentQuery{}); err != nil || page.Count != 1 {
			t.Fatalf("the author still sees the comments: %+v, %v", page, err)
		}
		in.Visibility = recipe.Public
		if _, err := s.ReplaceRecipe(ctx, pub.ID, in); err != nil {
			t.Fatal(err)
		}
		if page, err := s.Comments(ctx, viewer(""), pub.ID, store.CommentQuery{}); err != nil || page.Count != 1 || page.Items[0].ID != onPub.ID {
			t.Fatalf("after publishing again: %+v, %v", page, err)
		}
	})
}

// Pages walk every comment once, in either order, with equal times
// broken by id; a cursor is bound to its order.
func TestCommentPagesContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		pub := mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)
		other := mustRecipe(t, s, alice.ID, "Pear cake", recipe.Public)
		mustComment(t, s, bob.ID, other.ID, "Elsewhere")
		start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		var want []string
		for i := range 23 {
			// Every third pair shares a time, so the id must break ties.
			at := start.Add(time.Duration(i/2) * time.Minute)
			store.SetClock(s, func() time.Time { return at })
			who := alice.ID
			if i%2 == 1 {
				who = bob.ID
			}
			want = append(want, mustComment(t, s, who, pub.ID, fmt.Sprintf("comment %02d", i)).Body)
		}
		walk := func(order store.CommentOrder, limit int) []string {
			t.Helper()
			var got []string
			q := store.CommentQuery{Order: order, Limit: limit}
			for pages := 0; ; pages++ {
				page, err := s.Comments(ctx, viewer(""), pub.ID, q)
				if err != nil {
					t.Fatal(err)
				}
				if page.Count != 23 || len(page.Items) > limit {
					t.Fatalf("page of %d with count %d", len(page.Items), page.Count)
				}
				got = append(got, bodies(page.Items)...)
				if q.Cursor = page.NextCursor; q.Cursor == "" {
					if pages != (23-1)/limit {
						t.Fatalf("%d pages of %d", pages+1, limit)
					}
					return got
				}
			}
		}
		// Ids decide among equal times, and UUIDv7 ids grow in the order
		// they are made, so oldest first is the order of posting.
		for _, limit := range []int{1, 5, 23, 100} {
			if got := walk(store.CommentsOldest, limit); !slices.Equal(got, want) {
				t.Fatalf("oldest first by %d:\n%q\nwant\n%q", limit, got, want)
			}
			rev := slices.Clone(want)
			slices.Reverse(rev)
			if got := walk(store.CommentsNewest, limit); !slices.Equal(got, rev) {
				t.Fatalf("newest first by %d:\n%q\nwant\n%q", limit, got, rev)
			}
		}
		first, err := s.Comments(ctx, viewer(""), pub.ID, store.CommentQuery{Limit: 5})
		if err != nil || len(first.Items) != 5 || first.Items[0].Body != "comment 22" {
			t.Fatalf("default order is newest first: %v, %v", bodies(first.Items), err)
		}
		// The default page and the cap on a page's size.
		if page, _ := s.Comments(ctx, viewer(""), pub.ID, store.CommentQuery{}); len(page.Items) != store.DefaultCommentLimit {
			t.Fatalf("default page of %d", len(page.Items))
		}
		for _, bad := range []string{"nonsense", "eyJvIjoibmV3ZXN0In0", strings.Repeat("A", 300)} {
			if _, err := s.Comments(ctx, viewer(""), pub.ID, store.CommentQuery{Cursor: bad}); !errors.Is(err, store.ErrBadCursor) {
				t.Errorf("cursor %.20q: %v, want ErrBadCursor", bad, err)
			}
		}
		if _, err := s.Comments(ctx, viewer(""), pub.ID, store.CommentQuery{Order: store.CommentsOldest, Cursor: first.NextCursor}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("a newest-first cursor for oldest first: %v", err)
		}
		// A cursor of one recipe used on another lists from that point of
		// its own comments, nothing of the first.
		page, err := s.Comments(ctx, viewer(""), other.ID, store.CommentQuery{Cursor: first.NextCursor})
		if err != nil || len(page.Items) != 0 {
			t.Fatalf("another recipe's cursor: %v, %v", bodies(page.Items), err)
		}
		// No comments: an empty list, not nil.
		empty := mustRecipe(t, s, alice.ID, "Quiet", recipe.Public)
		if page, err := s.Comments(ctx, viewer(""), empty.ID, store.CommentQuery{}); err != nil || page.Items == nil || page.Count != 0 || page.NextCursor != "" {
			t.Fatalf("no comments: %+v, %v", page, err)
		}
	})
}

// At most MaxCommentsPerDay comments in any 24 hours, whatever the
// recipes; the refusal says when the next one is allowed, and an edit is
// not a post.
func TestCommentDailyCapContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mkUser(t, s, "alice"), mkUser(t, s, "bob")
		a := mustRecipe(t, s, alice.ID, "Plum cake", recipe.Public)
		b := mustRecipe(t, s, alice.ID, "Pear cake", recipe.Public)
		start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		now := start
		store.SetClock(s, func() time.Time { return now })
		var last *recipe.Comment
		for i := range store.MaxCommentsPerDay {
			now = start.Add(time.Duration(i) * time.Minute)
			id := a.ID
			if i%2 == 1 {
				id = b.ID
			}
			last = mustComment(t, s, bob.ID, id, fmt.Sprintf("comment %d", i))
		}
		now = start.Add(3 * time.Hour)
		_, err := s.AddComment(ctx, viewer(bob.ID), a.ID, "one too many")
		var le *store.CommentLimitError
		if !errors.As(err, &le) || !errors.Is(err, store.ErrCommentLimit) {
			t.Fatalf("comment over the cap: %v", err)
		}
		if le.RetryAfter != 21*time.Hour {
			t.Fatalf("retry after %s, want 21h (when the first of the day is 24 hours old)", le.RetryAfter)
		}
		// Editing is not posting; someone else is not capped.
		if _, err := s.EditComment(ctx, viewer(bob.ID), b.ID, last.ID, "edited under the cap"); err != nil {
			t.Fatalf("edit at the cap: %v", err)
		}
		mustComment(t, s, alice.ID, a.ID, "the author is not bob")
		if n := rowCount(t, s, "recipe_comments", a.ID); n != store.MaxCommentsPerDay/2+1 {
			t.Fatalf("%d comments on a, want %d", n, store.MaxCommentsPerDay/2+1)
		}
		// A day after the first, one more is allowed.
		now = start.Add(24*time.Hour + time.Second)
		mustComment(t, s, bob.ID, a.ID, "a new day")
		if _, err := s.AddComment(ctx, viewer(bob.ID), a.ID, "and no more"); !errors.As(err, &le) {
			t.Fatalf("second comment of the new minute: %v", err)
		}
	})
}
