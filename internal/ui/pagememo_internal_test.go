package ui

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
)

// A page for nobody in particular is kept once drawn and sent again as
// it was: the same bytes, tag and gzip encoding, revalidated with either
// tag. A page for a signed-in person, one with a message, or an error is
// never kept.
func TestPageMemo(t *testing.T) {
	p := &page{Title: "Browse", Public: true, Data: browseView{Q: "soup"}}
	key := memoKey("browse", http.StatusOK, p)
	if key == "" {
		t.Fatal("a public page for a visitor is not kept")
	}
	for name, other := range map[string]struct {
		status int
		p      *page
	}{
		"signed in": {http.StatusOK, &page{Public: true, User: &auth.User{ID: "u1"}}},
		"message":   {http.StatusOK, &page{Public: true, Flash: "Saved."}},
		"private":   {http.StatusOK, &page{}},
		"error":     {http.StatusBadRequest, &page{Public: true}},
	} {
		if k := memoKey("browse", other.status, other.p); k != "" {
			t.Errorf("%s: kept", name)
		}
	}
	if memoKey("browse", http.StatusOK, &page{Title: "Browse", Public: true, Data: browseView{Q: "stew"}}) == key {
		t.Error("two pages with different data share a key")
	}

	var m pageMemo
	body := []byte(strings.Repeat("<p>Lentil soup</p>", 200))
	m.keep(key, `"abc"`, body)
	body[0] = 'X' // the memo holds its own copy
	d := m.get(key)
	if d == nil {
		t.Fatal("the kept page is not found")
	}
	send := func(header ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/recipes", nil)
		for i := 0; i < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		d.send(w, r)
		return w
	}
	want := strings.Repeat("<p>Lentil soup</p>", 200)
	if w := send(); w.Code != 200 || w.Body.String() != want || w.Header().Get("ETag") != `"abc"` || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("plain: %d %q %q", w.Code, w.Header().Get("ETag"), w.Header().Get("Content-Encoding"))
	}
	w := send("Accept-Encoding", "gzip")
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("ETag") != `"abc-gzip"` {
		t.Fatalf("gzip: %d %q %q", w.Code, w.Header().Get("ETag"), w.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); string(got) != want {
		t.Errorf("the gzip encoding holds %d other bytes", len(got))
	}
	for _, inm := range []string{`"abc"`, `"abc-gzip"`, `W/"abc"`} {
		if w := send("If-None-Match", inm, "Accept-Encoding", "gzip"); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Errorf("If-None-Match %s: %d with %d bytes", inm, w.Code, w.Body.Len())
		}
	}
	if w := send("If-None-Match", `"other"`); w.Code != 200 {
		t.Errorf("a stale tag: %d", w.Code)
	}

	// Bounded: two generations, by count and by bytes, the pages still
	// asked for kept.
	for i := range 3 * pageMemoEntries {
		m.keep(key+strings.Repeat("x", i%50)+string(rune(i)), `"t"`, []byte("page"))
		if m.get(key) == nil {
			t.Fatalf("the page asked for all along was dropped after %d others", i)
		}
	}
	if n := len(m.cur) + len(m.old); n > 2*pageMemoEntries {
		t.Errorf("%d pages kept, want at most %d", n, 2*pageMemoEntries)
	}
	big := make([]byte, pageMemoMaxBody)
	for i := range 3 * pageMemoBytes / pageMemoMaxBody {
		big[0] = byte(i)
		m.keep(string(rune(i))+"big", `"b"`, big)
	}
	total := 0
	for _, g := range []map[string]*drawnPage{m.cur, m.old} {
		for k, d := range g {
			total += d.size(k)
		}
	}
	if total > 2*pageMemoBytes {
		t.Errorf("%d bytes kept, want at most %d", total, 2*pageMemoBytes)
	}
	m.keep("huge", `"h"`, make([]byte, pageMemoMaxBody+1))
	if m.get("huge") != nil {
		t.Error("a page over pageMemoMaxBody was kept")
	}
}

// A kept page is found by its data's JSON, so everything a public page is
// drawn from must reach that JSON: no unexported field, nothing tagged
// json:"-", in the data of the pages that can be kept, except what is
// listed here with what carries it into the key instead.
func TestPageMemoDataIsPlain(t *testing.T) {
	derived := map[string]string{
		"ui.recipeView.stepPhotos": "drawn from Recipe.Photos",
		"recipe.PhotoVariant.Key":  "the storage key; pages show the variant's URL",
		"ui.listCard.Summary":      "Of carries the same recipe",
	}
	seen, hiddenSeen := map[reflect.Type]bool{}, map[string]bool{}
	var walk func(t reflect.Type, path string)
	walk = func(rt reflect.Type, path string) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice || rt.Kind() == reflect.Array || rt.Kind() == reflect.Map {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt] || rt.Implements(reflect.TypeFor[json.Marshaler]()) ||
			reflect.PointerTo(rt).Implements(reflect.TypeFor[json.Marshaler]()) {
			return
		}
		seen[rt] = true
		for i := range rt.NumField() {
			f := rt.Field(i)
			name := rt.String() + "." + f.Name
			hidden := f.Tag.Get("json") == "-"
			if (!f.IsExported() && !f.Anonymous) || hidden {
				hiddenSeen[name] = true
				if _, ok := derived[name]; !ok {
					t.Errorf("%s (%s): a kept page's data the memo key cannot see", name, path)
				}
				continue
			}
			walk(f.Type, path+"."+f.Name)
		}
	}
	for _, v := range []any{page{}, browseView{}, homeView{}, profileView{}, recipeView{}, cookView{},
		facetsView{}, listCard{}, &recipe.Summary{}, searchCard{}, oneAuthorCard{}, collectionPageView{}, peopleView{}, commentsView{}} {
		walk(reflect.TypeOf(v), reflect.TypeOf(v).String())
	}
	for name := range derived {
		if !hiddenSeen[name] {
			t.Errorf("%s is listed but is no longer hidden data of a kept page", name)
		}
	}
}
