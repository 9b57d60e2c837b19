package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// commentIDOf is the comment id a post redirected to (…#comment-<id>).
func commentIDOf(t *testing.T, r *resp) string {
	t.Helper()
	_, id, ok := strings.Cut(r.location(t), "#comment-")
	if !ok || id == "" {
		t.Fatalf("redirect %q names no comment", r.location(t))
	}
	return id
}

// The whole round: a visitor is asked to sign in, a reader posts, edits
// and deletes through plain forms, the recipe's author removes, and the
// text is shown escaped with its addresses linked.
func TestCommentsOnThePage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob, cat := s.register(t, "ann"), s.register(t, "bob"), s.register(t, "cat")
		anon := s.browser()
		id := ann.createRecipe(t, simpleRecipe("Rhubarb fool", "public"))
		page := "/recipes/" + id + "/comments"

		// The recipe page: the count, a link, and htmx's load of the list.
		d := assertDocument(t, anon.get(t, "/recipes/"+id).want(t, http.StatusOK))
		sec := d.one(t, "section#comments")
		if sec.get("hx-get") != page || sec.get("hx-select") != "#comments" {
			t.Errorf("the recipe page does not load the comments: hx-get %q hx-select %q", sec.get("hx-get"), sec.get("hx-select"))
		}
		if h := d.one(t, "#comments-heading").textContent(); h != "Comments (0)" {
			t.Errorf("heading %q", h)
		}
		if d.first(`#comments a[href="`+page+`#comments"]`) == nil {
			t.Error("no plain link to the comments")
		}
		// The visitor's comments page: no form, a way to sign in.
		d = assertDocument(t, anon.get(t, page).want(t, http.StatusOK))
		if d.first("form.comment-form") != nil || !strings.Contains(d.one(t, "#comments").textContent(), "Sign in to comment") {
			t.Error("a visitor is offered the form, or not asked to sign in")
		}
		if r := anon.post(t, page, url.Values{"body": {"hello"}}).want(t, http.StatusSeeOther); !strings.HasPrefix(r.location(t), "/login") {
			t.Fatalf("a visitor's post went to %q", r.location(t))
		}

		// Bob posts hostile text: escaped, the address linked, lines kept.
		hostile := "<script>alert(\"x\")</script> <img src=x onerror=alert(1)>\r\nRecipe: https://example.com/pie?a=1&b=2. Also javascript:alert(1)"
		r := bob.post(t, page, url.Values{"body": {hostile}}).want(t, http.StatusSeeOther)
		first := commentIDOf(t, r)
		if !strings.HasPrefix(r.location(t), page+"#comment-") {
			t.Fatalf("post redirects to %q", r.location(t))
		}
		shown := bob.follow(t, r)
		d = assertDocument(t, shown.want(t, http.StatusOK))
		if f := flash(t, shown); f != "Comment posted." {
			t.Errorf("flash %q", f)
		}
		body := d.one(t, "#comment-"+first+" .comment-body")
		if n := len(body.all("script")) + len(body.all("img")); n != 0 {
			t.Fatalf("user markup reached the page: %d elements", n)
		}
		links := body.all("a")
		if len(links) != 1 || links[0].get("href") != "https://example.com/pie?a=1&b=2" ||
			links[0].get("rel") != "nofollow ugc noopener noreferrer" {
			t.Fatalf("links in the comment: %d %q %q", len(links), body.first("a").get("href"), body.first("a").get("rel"))
		}
		if got := body.rawText(); got != strings.ReplaceAll(hostile, "\r\n", "\n") {
			t.Fatalf("the comment reads %q", got)
		}
		meta := d.one(t, "#comment-"+first+" .comment-meta")
		if meta.first("time[datetime]") == nil || !strings.Contains(meta.textContent(), displayName("bob")) || meta.first(".comment-edited") != nil {
			t.Errorf("meta %q", meta.textContent())
		}
		if d.one(t, "#comments-heading").textContent() != "Comments (1)" {
			t.Errorf("heading %q", d.one(t, "#comments-heading").textContent())
		}
		if d.first("#comment-"+first+` a[href="`+page+"/"+first+`/edit"]`) == nil {
			t.Error("no edit link for the comment's author")
		}
		// The recipe page counts it, for the visitor's kept page too.
		if h := assertDocument(t, anon.get(t, "/recipes/"+id)).one(t, "#comments-heading").textContent(); h != "Comments (1)" {
			t.Errorf("recipe page heading %q", h)
		}

		// Edit: a form of its own, then "edited" with its time.
		d = assertDocument(t, bob.get(t, page+"/"+first+"/edit").want(t, http.StatusOK))
		if got := d.one(t, "textarea#comment-body").rawText(); got != strings.ReplaceAll(hostile, "\r\n", "\n") {
			t.Errorf("edit form holds %q", got)
		}
		r = bob.post(t, page+"/"+first+"/edit", url.Values{"body": {"Better with cream.\nhttps://example.com/cream"}}).want(t, http.StatusSeeOther)
		d = assertDocument(t, bob.follow(t, r))
		edited := d.one(t, "#comment-"+first+" .comment-edited")
		if !strings.Contains(edited.textContent(), "edited") || edited.first("time[datetime]") == nil {
			t.Errorf("edited mark %q", edited.textContent())
		}
		if got := d.one(t, "#comment-"+first+" .comment-body").rawText(); got != "Better with cream.\nhttps://example.com/cream" {
			t.Errorf("edited text %q", got)
		}

		// The recipe's author may remove it but not edit it; a stranger
		// neither.
		d = assertDocument(t, ann.get(t, page))
		if d.first("#comment-"+first+` a[href="`+page+"/"+first+`/edit"]`) != nil {
			t.Error("the recipe's author is offered to edit someone's comment")
		}
		if s := d.one(t, "#comment-"+first+" .comment-delete summary").textContent(); !strings.HasPrefix(s, "Remove") {
			t.Errorf("the recipe's author's control reads %q", s)
		}
		if d = assertDocument(t, cat.get(t, page)); d.first("#comment-"+first+" .comment-actions") != nil {
			t.Error("a stranger is offered to change a comment")
		}
		for _, c := range []struct {
			who  *browser
			path string
		}{{ann, "/edit"}, {cat, "/edit"}, {cat, "/delete"}} {
			c.who.post(t, page+"/"+first+c.path, url.Values{"body": {"Not mine"}}).want(t, http.StatusForbidden)
		}
		ann.get(t, page+"/"+first+"/edit").want(t, http.StatusForbidden)

		// Bob deletes his own second comment; Ann removes his first.
		second := commentIDOf(t, bob.post(t, page, url.Values{"body": {"One more"}}).want(t, http.StatusSeeOther))
		r = bob.post(t, page+"/"+second+"/delete", nil).want(t, http.StatusSeeOther)
		if f := flash(t, bob.follow(t, r)); f != "Comment deleted." {
			t.Errorf("flash %q", f)
		}
		ann.post(t, page+"/"+first+"/delete", nil).want(t, http.StatusSeeOther)
		d = assertDocument(t, anon.get(t, page))
		if len(d.all(".comment")) != 0 || d.one(t, "#comments-heading").textContent() != "Comments (0)" {
			t.Fatalf("after deleting: %d comments", len(d.all(".comment")))
		}
	})
}

// A refused comment comes back with its text and the reason, and nothing
// is written; a bad edit too.
func TestCommentFormKeepsRefusedText(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob := s.register(t, "ann"), s.register(t, "bob")
		id := ann.createRecipe(t, simpleRecipe("Rhubarb fool", "public"))
		page := "/recipes/" + id + "/comments"
		long := strings.Repeat("é", 5001)
		for _, c := range []struct{ body, message string }{
			{"", "Write something first."},
			{"  \r\n ", "Write something first."},
			{long, "at most 5000 characters"},
			{"bell\a", "control characters"},
		} {
			d := assertDocument(t, bob.post(t, page, url.Values{"body": {c.body}}).want(t, http.StatusUnprocessableEntity))
			if got := d.one(t, "#comment-body-error").textContent(); !strings.Contains(got, c.message) {
				t.Errorf("error %q, want %q", got, c.message)
			}
			if got := d.one(t, "textarea#comment-body"); got.rawText() != strings.ReplaceAll(strings.ReplaceAll(c.body, "\r\n", "\n"), "\a", "") && strings.TrimSpace(c.body) != "" {
				t.Errorf("the form lost the text: %.40q", got.rawText())
			}
			if d.one(t, "textarea#comment-body").get("aria-invalid") != "true" {
				t.Error("the field is not marked invalid")
			}
		}
		mine := commentIDOf(t, bob.post(t, page, url.Values{"body": {"Fine"}}).want(t, http.StatusSeeOther))
		d := assertDocument(t, bob.post(t, page+"/"+mine+"/edit", url.Values{"body": {long}}).want(t, http.StatusUnprocessableEntity))
		if d.one(t, "textarea#comment-body").rawText() != long || !strings.Contains(d.one(t, "#comment-body-error").textContent(), "at most") {
			t.Error("the edit form lost the text or the reason")
		}
		d = assertDocument(t, bob.get(t, page))
		if n := len(d.all(".comment")); n != 1 || d.first(".comment-edited") != nil {
			t.Fatalf("refused posts and edits wrote: %d comments", n)
		}
		// Bad forms are 400 pages, a bad cursor too.
		bob.get(t, page+"?cursor=nonsense").want(t, http.StatusBadRequest)
	})
}

// A hidden recipe's comments are the same 404 page as a missing recipe's,
// on every route, and a comment id under another recipe is missing too.
func TestCommentsOfHiddenRecipesAreNotFound(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob := s.register(t, "ann"), s.register(t, "bob")
		anon := s.browser()
		secret := ann.createRecipe(t, simpleRecipe("Secret stew", "private"))
		open := ann.createRecipe(t, simpleRecipe("Open stew", "public"))
		note := commentIDOf(t, ann.post(t, "/recipes/"+secret+"/comments", url.Values{"body": {"Note to self"}}).want(t, http.StatusSeeOther))
		mine := commentIDOf(t, bob.post(t, "/recipes/"+open+"/comments", url.Values{"body": {"Nice"}}).want(t, http.StatusSeeOther))
		if d := assertDocument(t, ann.get(t, "/recipes/"+secret+"/comments").want(t, http.StatusOK)); len(d.all(".comment")) != 1 {
			t.Fatal("the author does not see their own private recipe's comment")
		}
		missing := "0190e4a2-7c1b-7000-8000-000000000000"
		for _, rid := range []string{secret, missing} {
			base := "/recipes/" + rid + "/comments"
			assertNotFoundPage(t, bob.get(t, base))
			assertNotFoundPage(t, anon.get(t, base))
			assertNotFoundPage(t, bob.post(t, base, url.Values{"body": {"hi"}}))
			assertNotFoundPage(t, bob.post(t, base, url.Values{"body": {""}}))
			assertNotFoundPage(t, bob.get(t, base+"/"+note+"/edit"))
			assertNotFoundPage(t, bob.post(t, base+"/"+note+"/edit", url.Values{"body": {"hi"}}))
			assertNotFoundPage(t, bob.post(t, base+"/"+note+"/edit", url.Values{"body": {""}}))
			assertNotFoundPage(t, bob.post(t, base+"/"+note+"/delete", nil))
		}
		// Bob's own comment, asked for under another recipe.
		assertNotFoundPage(t, bob.get(t, "/recipes/"+secret+"/comments/"+mine+"/edit"))
		assertNotFoundPage(t, bob.post(t, "/recipes/"+missing+"/comments/"+mine+"/delete", nil))
		// The recipe page of a hidden recipe says nothing either.
		assertNotFoundPage(t, bob.get(t, "/recipes/"+secret))
	})
}

// Newest first by default, the other order on request, and "More
// comments" walks the rest without a gap.
func TestCommentPagesOnThePage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob := s.register(t, "ann"), s.register(t, "bob")
		anon := s.browser()
		id := ann.createRecipe(t, simpleRecipe("Rhubarb fool", "public"))
		page := "/recipes/" + id + "/comments"
		const n = 23
		for i := range n {
			bob.post(t, page, url.Values{"body": {fmt.Sprintf("comment %02d", i)}}).want(t, http.StatusSeeOther)
		}
		walk := func(path string) []string {
			t.Helper()
			var got []string
			for range 5 {
				d := assertDocument(t, anon.get(t, path).want(t, http.StatusOK))
				got = append(got, d.texts(".comment-body")...)
				more := d.first("#more-comments a")
				if more == nil {
					return got
				}
				if more.get("hx-get") == "" || more.get("hx-select-oob") != "#more-comments" {
					t.Errorf("More comments is not loaded in place: %q", more.get("hx-get"))
				}
				path = strings.TrimSuffix(more.get("href"), "#comments")
			}
			t.Fatal("the pages do not end")
			return nil
		}
		newest, oldest := walk(page), walk(page+"?order=oldest")
		if len(newest) != n || newest[0] != "comment 22" || newest[n-1] != "comment 00" {
			t.Fatalf("newest first: %q", newest)
		}
		if len(oldest) != n || oldest[0] != "comment 00" || oldest[n-1] != "comment 22" {
			t.Fatalf("oldest first: %q", oldest)
		}
		d := assertDocument(t, anon.get(t, page+"?order=oldest"))
		cur := d.one(t, ".comment-order a[aria-current]")
		if cur.textContent() != "Oldest first" {
			t.Errorf("current order %q", cur.textContent())
		}
		if d.one(t, "#comments-heading").textContent() != fmt.Sprintf("Comments (%d)", n) {
			t.Errorf("heading %q", d.one(t, "#comments-heading").textContent())
		}
	})
}

// Over the daily allowance the form comes back with the text and why,
// answered 429 with Retry-After.
func TestCommentDailyCapOnThePage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bob := s.register(t, "ann"), s.register(t, "bob")
		id := ann.createRecipe(t, simpleRecipe("Rhubarb fool", "public"))
		v := recipe.Viewer{UserID: s.userID(t, "bob")}
		for i := range store.MaxCommentsPerDay {
			if _, err := s.Store.AddComment(context.Background(), v, id, fmt.Sprintf("comment %d", i)); err != nil {
				t.Fatal(err)
			}
		}
		r := bob.post(t, "/recipes/"+id+"/comments", url.Values{"body": {"Kept for later"}}).want(t, http.StatusTooManyRequests)
		if r.header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		d := assertDocument(t, r)
		if d.one(t, "textarea#comment-body").rawText() != "Kept for later" || !strings.Contains(d.one(t, "#comment-body-error").textContent(), "24 hours") {
			t.Error("the refused comment or its reason is missing")
		}
	})
}
