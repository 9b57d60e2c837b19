package ui_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/images/imagetest"
)

// setShareFlag stores an override of recipe-share-link and makes this
// process see it at once.
func (s *site) setShareFlag(t *testing.T, o flags.Override) {
	t.Helper()
	o.Environment, o.Key = "development", flags.RecipeShareLink
	if err := s.Store.SetFlagOverride(context.Background(), &o); err != nil {
		t.Fatal(err)
	}
	s.App.Flags().Invalidate()
}

// privateWithPhoto is a private recipe of ann's with a processed main
// photo.
func privateWithPhoto(t *testing.T, s *site, ann *browser) string {
	t.Helper()
	ctx := context.Background()
	id := ann.createRecipe(t, simpleRecipe("Grandma's secret stew", "private"))
	svc := s.App.Photos()
	if _, err := svc.SetMain(ctx, s.userID(t, "ann"), id, bytes.NewReader(imagetest.Encoded(t, "jpeg", 800, 600)), "Stew in a pot"); err != nil {
		t.Fatal(err)
	}
	ids, err := s.Store.StalledPhotos(ctx, time.Now().Add(time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range ids {
		if err := svc.Process(ctx, pid); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// createdLink makes a link through the panel's form and returns the
// share page's path, read from the page the form answers with.
func createdLink(t *testing.T, b *browser, id, label string) string {
	t.Helper()
	d := b.post(t, "/recipes/"+id+"/share-links", url.Values{"label": {label}, "expires": {"7d"}}).want(t, http.StatusOK).doc(t)
	in := d.one(t, "#share-new-url")
	if d.first("button[data-copy=share-new-url]") == nil {
		t.Error("the new link has no copy button")
	}
	want := "Your new link — copy it now: it is not shown again"
	if label != "" {
		want = "Your new link (" + label + ") — copy it now: it is not shown again"
	}
	if got := d.one(t, "label[for=share-new-url]").textContent(); got != want {
		t.Errorf("the new link's label %q, want %q", got, want)
	}
	if d.first(".share-created[role=status]") == nil {
		t.Error("the new link is not announced (role=status)")
	}
	u, err := url.Parse(in.get("value"))
	if err != nil || !strings.HasPrefix(u.Path, "/s/") || len(u.Path) != len("/s/")+43 {
		t.Fatalf("new link %q", in.get("value"))
	}
	return u.Path
}

// TestSharePage: a link to a private recipe shows it, read-only and with
// its photos, to a visitor without an account and to another user; the
// recipe stays hidden without the link; revoking makes the page and the
// photos 404 at once, like a link that never existed.
func TestSharePage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bea, anon := s.register(t, "ann"), s.register(t, "bea"), s.browser()
		s.setShareFlag(t, flags.Override{Enabled: true, RolloutPercent: 100})
		id := privateWithPhoto(t, s, ann)

		d := ann.get(t, "/recipes/"+id).want(t, http.StatusOK).doc(t)
		if d.first("#share") == nil || d.first("#share-label") == nil || d.first("#share-to") == nil {
			t.Fatal("the author's page has no Share panel")
		}
		share := createdLink(t, ann, id, "for Bea")

		assertNotFoundPage(t, anon.get(t, "/recipes/"+id))
		for name, b := range map[string]*browser{"anonymous": anon, "bea": bea} {
			r := b.get(t, share).want(t, http.StatusOK)
			for h, want := range map[string]string{"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"} {
				if got := r.header.Get(h); got != want {
					t.Errorf("%s: %s %q, want %q", name, h, got, want)
				}
			}
			d := r.doc(t)
			if h := d.one(t, "h1").textContent(); h != "Grandma's secret stew" {
				t.Errorf("%s: title %q", name, h)
			}
			if m := d.first("meta[name=robots]"); m == nil || m.get("content") != "noindex" {
				t.Errorf("%s: no robots noindex meta", name)
			}
			for _, sel := range []string{"#social", "#share", "form.units-form", "link[rel=canonical]"} {
				if d.first(sel) != nil {
					t.Errorf("%s: the share page has %s", name, sel)
				}
			}
			for _, a := range d.all("a") {
				if h := a.get("href"); strings.HasSuffix(h, "/edit") || strings.HasSuffix(h, "/delete") || strings.Contains(h, "/cook") {
					t.Errorf("%s: the share page links to %s", name, h)
				}
			}
			if f := d.first("form.servings-form"); f == nil || f.get("action") != share {
				t.Errorf("%s: the servings form does not stay on the share page", name)
			}
			img := d.one(t, ".recipe-hero img")
			src := img.get("src")
			if !strings.HasSuffix(src, "?share="+strings.TrimPrefix(share, "/s/")) {
				t.Fatalf("%s: hero photo %q does not carry the link", name, src)
			}
			photo := b.get(t, src).want(t, http.StatusOK)
			if ct := photo.header.Get("Content-Type"); !strings.HasPrefix(ct, "image/") || !strings.Contains(photo.header.Get("Cache-Control"), "private") {
				t.Errorf("%s: photo answered %q, Cache-Control %q", name, ct, photo.header.Get("Cache-Control"))
			}
			bare, _, _ := strings.Cut(src, "?")
			b.get(t, bare).want(t, http.StatusNotFound)
			b.get(t, bare+"?share="+strings.Repeat("A", 43)).want(t, http.StatusNotFound)
		}
		// A link opens its own recipe's photos, not another private one's.
		other := privateWithPhoto(t, s, ann)
		otherSrc := ann.get(t, "/recipes/"+other).want(t, http.StatusOK).doc(t).one(t, ".recipe-hero img").get("src")
		anon.get(t, otherSrc+"?share="+strings.TrimPrefix(share, "/s/")).want(t, http.StatusNotFound)

		// The author sees the link listed, with its visits.
		d = ann.get(t, "/recipes/"+id).want(t, http.StatusOK).doc(t)
		items := d.all(".share-link-item")
		if len(items) != 1 || !strings.Contains(items[0].textContent(), "for Bea") || !strings.Contains(items[0].textContent(), "opened 2 times") {
			t.Fatalf("listed links: %d %v", len(items), d.texts(".share-link-item"))
		}
		revoke := items[0].one(t, "form").get("action")
		if d.first("#share-new-url") != nil {
			t.Error("the new link's URL is shown again")
		}

		// Nobody else revokes it; its author does, and it is gone at once.
		assertNotFoundPage(t, bea.post(t, revoke, nil))
		src := bea.get(t, share).want(t, http.StatusOK).doc(t).one(t, ".recipe-hero img").get("src")
		r := ann.post(t, revoke, nil).want(t, http.StatusSeeOther)
		if f := flash(t, ann.follow(t, r)); !strings.Contains(f, "revoked") {
			t.Errorf("flash after revoking: %q", f)
		}
		revoked := anon.get(t, share)
		assertNotFoundPage(t, revoked)
		unknown := anon.get(t, "/s/"+strings.Repeat("B", 43))
		assertNotFoundPage(t, unknown)
		if revoked.header.Get("Cache-Control") != unknown.header.Get("Cache-Control") {
			t.Errorf("a revoked link and an unknown one differ: %q, %q", revoked.header.Get("Cache-Control"), unknown.header.Get("Cache-Control"))
		}
		anon.get(t, src).want(t, http.StatusNotFound)
	})
}

// TestSharePanelForms: the panel is the author's alone and follows the
// flag; a refused form comes back filled in with its messages; a
// reader who is not the author gets 403.
func TestSharePanelForms(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann, bea := s.register(t, "ann"), s.register(t, "bea")
		pub := ann.createRecipe(t, simpleRecipe("Open pie", "public"))

		// Flag off (its default): no panel, and its routes do not exist.
		if ann.get(t, "/recipes/"+pub).want(t, http.StatusOK).doc(t).first("#share") != nil {
			t.Error("the panel shows with the flag off")
		}
		assertNotFoundPage(t, ann.post(t, "/recipes/"+pub+"/share-links", url.Values{"expires": {"7d"}}))
		assertNotFoundPage(t, ann.post(t, "/recipes/"+pub+"/share-links/email", url.Values{"to": {"x@example.test"}}))

		s.setShareFlag(t, flags.Override{Enabled: true, RolloutPercent: 100})
		if bea.get(t, "/recipes/"+pub).want(t, http.StatusOK).doc(t).first("#share") != nil {
			t.Error("a reader who is not the author sees the panel")
		}
		bea.post(t, "/recipes/"+pub+"/share-links", url.Values{"expires": {"7d"}}).want(t, http.StatusForbidden)
		bea.post(t, "/recipes/"+pub+"/share-links/email", url.Values{"to": {"x@example.test"}}).want(t, http.StatusForbidden)

		// Refused forms keep what was typed.
		long := strings.Repeat("l", 81)
		d := ann.post(t, "/recipes/"+pub+"/share-links", url.Values{"label": {long}, "expires": {"forever"}}).want(t, http.StatusUnprocessableEntity).doc(t)
		if inputValue(t, d, "share-label") != long || d.first("#share-label-error") == nil || d.first("#share-expires-error") == nil {
			t.Error("a refused link form lost its input or its messages")
		}
		msg := "Try it <b>tonight</b>"
		d = ann.post(t, "/recipes/"+pub+"/share-links/email", url.Values{"to": {"bea@example.test\r\nBcc: eve@example.test"}, "message": {msg}, "expires": {"30d"}}).
			want(t, http.StatusUnprocessableEntity).doc(t)
		if d.first("#share-to-error") == nil || d.one(t, "#share-message").textContent() != msg {
			t.Error("a refused email form lost its input or its message")
		}
		if n := len(d.all(".share-link-item")); n != 0 {
			t.Errorf("refused forms made %d links", n)
		}
		r := ann.post(t, "/recipes/"+pub+"/share-links/email", url.Values{"to": {"bea@example.test"}, "message": {msg}, "expires": {"30d"}}).want(t, http.StatusSeeOther)
		if f := flash(t, ann.follow(t, r)); !strings.Contains(f, "on its way") {
			t.Errorf("flash after sending: %q", f)
		}
	})
}
