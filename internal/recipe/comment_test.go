package recipe_test

import (
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
)

func TestNormalizeComment(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"  Lovely.  ", "Lovely.", true},
		{"one\r\ntwo\rthree\n", "one\ntwo\nthree", true},
		{"tab\there", "tab\there", true},
		{strings.Repeat("ñ", recipe.MaxCommentRunes), strings.Repeat("ñ", recipe.MaxCommentRunes), true},
		{strings.Repeat("ñ", recipe.MaxCommentRunes+1), "", false},
		{"", "", false},
		{"\r\n \t", "", false},
		{"nul\x00", "", false},
		{"esc\x1b[0m", "", false},
		{"bad \xff utf-8", "", false},
	} {
		got, errs := recipe.NormalizeComment(c.in)
		if ok := len(errs) == 0; ok != c.ok || (ok && got != c.want) {
			t.Errorf("NormalizeComment(%.30q) = %.30q, %v; want %.30q, ok %v", c.in, got, errs, c.want, c.ok)
		}
		for _, e := range errs {
			if e.Field != "body" {
				t.Errorf("%.30q: error on %q", c.in, e.Field)
			}
		}
	}
}

func TestCommentPermissions(t *testing.T) {
	on := &recipe.Summary{Author: recipe.Author{ID: "author"}, Visibility: recipe.Public}
	c := &recipe.Comment{Author: recipe.Author{ID: "writer"}}
	for _, v := range []struct {
		who             recipe.Viewer
		canEdit, canDel bool
	}{
		{recipe.Viewer{UserID: "writer"}, true, true},
		{recipe.Viewer{UserID: "author"}, false, true},
		{recipe.Viewer{UserID: "admin", Admin: true}, false, true},
		{recipe.Viewer{UserID: "stranger"}, false, false},
		{recipe.Viewer{}, false, false},
	} {
		if got := recipe.CanEditComment(c, v.who); got != v.canEdit {
			t.Errorf("%+v may edit: %v", v.who, got)
		}
		if got := recipe.CanDeleteComment(c, on, v.who); got != v.canDel {
			t.Errorf("%+v may delete: %v", v.who, got)
		}
	}
	// An admin gets nothing on a private recipe, which they cannot read.
	private := &recipe.Summary{Author: recipe.Author{ID: "author"}, Visibility: recipe.Private}
	if recipe.CanDeleteComment(c, private, recipe.Viewer{UserID: "admin", Admin: true}) {
		t.Error("an admin may delete a comment on a private recipe")
	}
}
