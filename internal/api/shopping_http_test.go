package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/planner"
)

type shoppingSourceJSON struct {
	RecipeID string `json:"recipe_id"`
	Title    string `json:"title"`
	Amount   string `json:"amount"`
}

type shoppingLineJSON struct {
	ID        string               `json:"id"`
	Name      string               `json:"name"`
	Amount    string               `json:"amount"`
	Measure   string               `json:"measure"`
	Quantity  *float64             `json:"quantity"`
	ShownIn   string               `json:"shown_in"`
	Aisle     string               `json:"aisle"`
	Checked   bool                 `json:"checked"`
	CheckedBy string               `json:"checked_by"`
	CheckedAt *time.Time           `json:"checked_at"`
	Sources   []shoppingSourceJSON `json:"sources"`
}

type shoppingListJSON struct {
	ID      string             `json:"id"`
	Name    string             `json:"name"`
	Version int64              `json:"version"`
	Items   int                `json:"items"`
	Checked int                `json:"checked"`
	Lines   []shoppingLineJSON `json:"lines"`
}

type shoppingAddJSON struct {
	Added   int              `json:"added"`
	Staples []string         `json:"staples_skipped"`
	Hidden  int              `json:"recipes_hidden"`
	List    shoppingListJSON `json:"list"`
}

type shoppingListsJSON struct {
	Items  []shoppingListJSON `json:"items"`
	Aisles []struct {
		Key   string `json:"key"`
		Label string `json:"label"`
	} `json:"aisles"`
}

const shoppingPath = "/api/v1/shopping-lists"

func (c *client) newShoppingList(t testing.TB, name string) shoppingListJSON {
	t.Helper()
	var l shoppingListJSON
	res := c.do(t, "POST", shoppingPath, map[string]any{"name": name}).want(t, http.StatusCreated)
	res.decode(t, &l)
	if loc := res.header.Get("Location"); loc != shoppingPath+"/"+l.ID {
		t.Errorf("created list at Location %q, want %s/%s", loc, shoppingPath, l.ID)
	}
	return l
}

// shoppingList reads a list uncompressed, so that its ETag is the plain
// one, and checks that the ETag is the list's version.
func (c *client) shoppingList(t testing.TB, id string) (shoppingListJSON, string) {
	t.Helper()
	var l shoppingListJSON
	res := c.do(t, "GET", shoppingPath+"/"+id, nil, header("Accept-Encoding", "identity")).want(t, http.StatusOK)
	res.decode(t, &l)
	etag := res.header.Get("ETag")
	if want := `"v` + strconv.FormatInt(l.Version, 10) + `"`; etag != want {
		t.Errorf("list at version %d has ETag %q, want %s", l.Version, etag, want)
	}
	return l, etag
}

func (c *client) shoppingLists(t testing.TB) shoppingListsJSON {
	t.Helper()
	var out shoppingListsJSON
	c.do(t, "GET", shoppingPath, nil).want(t, http.StatusOK).decode(t, &out)
	return out
}

func (c *client) addToList(t testing.TB, listID, what string, body map[string]any) shoppingAddJSON {
	t.Helper()
	var out shoppingAddJSON
	c.do(t, "POST", shoppingPath+"/"+listID+"/"+what, body).want(t, http.StatusOK).decode(t, &out)
	return out
}

func (c *client) changeLine(t testing.TB, listID, itemID string, body map[string]any) shoppingListJSON {
	t.Helper()
	var out shoppingListJSON
	c.do(t, "PATCH", shoppingPath+"/"+listID+"/items/"+itemID, body).want(t, http.StatusOK).decode(t, &out)
	return out
}

// line is the unticked line of l for the ingredient name (in either
// number: a counted line is named as its amount reads) in measure, or
// nil.
func (l shoppingListJSON) line(name, measure string) *shoppingLineJSON {
	for i := range l.Lines {
		if it := &l.Lines[i]; planner.ItemKey(it.Name) == planner.ItemKey(name) && it.Measure == measure && !it.Checked {
			return it
		}
	}
	return nil
}

// read is the list's lines as "name amount[ ✓]", in the order served.
func (l shoppingListJSON) read() string {
	var out []string
	for _, it := range l.Lines {
		s := it.Name
		if it.Amount != "" {
			s += " " + it.Amount
		}
		if it.Checked {
			s += " ✓"
		}
		out = append(out, s)
	}
	return strings.Join(out, " | ")
}

// TestShoppingListHTTP: an API client builds a list from two recipes at
// servings of its own choosing, whose butter by weight adds up on one
// line that names both; butter by the spoon stays apart; staples stay
// off unless asked for. A line typed by hand joins them, another member
// ticks it and sees it ticked, an aisle chosen for a line is remembered
// for the household, a line is removed and the ticked ones cleared.
func TestShoppingListHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		ana, ben := s.apiClient(t, "ana"), s.apiClient(t, "ben")
		ben.do(t, "POST", invitationPath(ana.inviteLink(t).Token)+"/accept", nil).want(t, http.StatusOK)

		cake := ana.createRecipe(t, recipeBody("Butter cake", "public", map[string]any{"servings": 2,
			"ingredients": []any{"100 g butter", "1 tbsp butter", "2 eggs", "salt to taste", "1 tbsp olive oil"}}))
		shortbread := ben.createRecipe(t, recipeBody("Shortbread", "public", map[string]any{"servings": 6,
			"ingredients": []any{"0.5 kg butter", "3 cloves garlic"}}))

		index := ana.shoppingLists(t)
		if len(index.Items) != 0 || len(index.Aisles) != len(planner.Aisles) || index.Aisles[0].Key != planner.Aisles[0].Key {
			t.Fatalf("before any list: %+v", index)
		}
		list := ana.newShoppingList(t, "  Saturday  ")
		if list.Name != "Saturday" || list.Version != 1 || list.Items != 0 {
			t.Fatalf("new list: %+v", list)
		}

		// The cake at twice what it is written for, the shortbread as
		// written but said so: 200 g and 0.5 kg of butter are one line.
		res := ana.addToList(t, list.ID, "recipes", map[string]any{"recipes": []any{
			map[string]any{"recipe_id": cake.ID, "servings": 4},
			map[string]any{"recipe_id": shortbread.ID, "servings": 6},
		}})
		if res.Added != 4 || res.Hidden != 0 || !slices.Equal(res.Staples, []string{"salt", "olive oil"}) {
			t.Errorf("added %d, hidden %d, staples %q; want 4, 0 and [salt olive oil]", res.Added, res.Hidden, res.Staples)
		}
		butter := res.List.line("butter", planner.Mass)
		if butter == nil || butter.Amount != "700 g" || butter.Quantity == nil || *butter.Quantity != 700 || butter.Aisle != "dairy" {
			t.Fatalf("butter by weight: %+v, want one line of 700 g in dairy; list: %s", butter, res.List.read())
		}
		want := []shoppingSourceJSON{{cake.ID, "Butter cake", "200 g"}, {shortbread.ID, "Shortbread", "500 g"}}
		if !slices.Equal(butter.Sources, want) {
			t.Errorf("butter's sources %+v, want %+v", butter.Sources, want)
		}
		if spoon := res.List.line("butter", planner.Volume); spoon == nil || spoon.Amount != "2 tbsp" || len(spoon.Sources) != 1 || spoon.Sources[0].RecipeID != cake.ID {
			t.Fatalf("butter by the spoon: %+v, want a line of its own, 2 tbsp from the cake", spoon)
		}
		if eggs := res.List.line("eggs", ""); eggs == nil || eggs.Amount != "4" {
			t.Fatalf("eggs: %+v, want 4", eggs)
		}
		if garlic := res.List.line("garlic", "clove"); garlic == nil || garlic.Amount != "3 cloves" {
			t.Fatalf("garlic: %+v, want 3 cloves", garlic)
		}
		if res.List.line("salt", "") != nil || res.List.Items != 4 || len(res.List.Lines) != 4 {
			t.Errorf("with staples left out: %s (items %d)", res.List.read(), res.List.Items)
		}

		// Asked for, the staples come too.
		res = ana.addToList(t, list.ID, "recipes", map[string]any{"recipes": []any{map[string]any{"recipe_id": cake.ID}}, "include_staples": true})
		if len(res.Staples) != 0 || res.List.line("salt", "") == nil || res.List.line("olive oil", planner.Volume) == nil {
			t.Errorf("staples asked for: skipped %q, list %s", res.Staples, res.List.read())
		}
		if b := res.List.line("butter", planner.Mass); b == nil || b.Amount != "800 g" || len(b.Sources) != 2 || b.Sources[0].Amount != "300 g" {
			t.Errorf("the cake again, as written: %+v, want 800 g with the cake's 300 g on its own source", b)
		}

		// A line typed by hand, in the aisle its name suggests.
		res = ana.addToList(t, list.ID, "items", map[string]any{"text": "2 lemons"})
		lemons := res.List.line("lemons", "")
		if res.Added != 1 || lemons == nil || lemons.Amount != "2" || lemons.Aisle != "produce" ||
			len(lemons.Sources) != 1 || lemons.Sources[0].RecipeID != "" || lemons.Sources[0].Title != "" {
			t.Fatalf("lemons by hand: %+v", lemons)
		}

		// Ben, of the same household, ticks the lemons; both see them
		// ticked, by him, after the unticked lines.
		l := ben.changeLine(t, list.ID, lemons.ID, map[string]any{"checked": true})
		last := l.Lines[len(l.Lines)-1]
		if last.ID != lemons.ID || !last.Checked || last.CheckedBy != "ben" || last.CheckedAt == nil || l.Checked != 1 {
			t.Fatalf("after ben's tick: %+v (checked %d)", last, l.Checked)
		}
		seen, _ := ana.shoppingList(t, list.ID)
		if got := seen.Lines[len(seen.Lines)-1]; got.ID != lemons.ID || !got.Checked || got.CheckedBy != "ben" {
			t.Fatalf("ana sees the lemons as %+v", got)
		}
		// A tick sent twice (say, queued offline) leaves it ticked.
		if again := ana.changeLine(t, list.ID, lemons.ID, map[string]any{"checked": true}); again.Checked != 1 {
			t.Errorf("ticked twice: %d ticked lines, want 1", again.Checked)
		}

		// Garlic filed under spices: the household's next garlic goes
		// there too, on another list.
		garlic := seen.line("garlic", "clove")
		if g := ana.changeLine(t, list.ID, garlic.ID, map[string]any{"aisle": "spices"}).line("garlic", "clove"); g == nil || g.Aisle != "spices" {
			t.Errorf("garlic after the move: %+v", g)
		}
		other := ben.newShoppingList(t, "Sunday")
		if g := ben.addToList(t, other.ID, "items", map[string]any{"text": "1 clove garlic"}).List.line("garlic", "clove"); g == nil || g.Aisle != "spices" {
			t.Errorf("ben's garlic: %+v, want it in spices, where ana filed it", g)
		}

		// Remove a line: 204, then it is gone.
		spoon := seen.line("butter", planner.Volume)
		ana.do(t, "DELETE", shoppingPath+"/"+list.ID+"/items/"+spoon.ID, nil).want(t, http.StatusNoContent)
		ana.do(t, "DELETE", shoppingPath+"/"+list.ID+"/items/"+spoon.ID, nil).wantProblem(t, http.StatusNotFound)
		if l, _ := ana.shoppingList(t, list.ID); l.line("butter", planner.Volume) != nil {
			t.Errorf("the removed line is still there: %s", l.read())
		}

		// Clear the ticked lines: the lemons and the eggs go, the rest stay.
		eggs := seen.line("eggs", "")
		ben.changeLine(t, list.ID, eggs.ID, map[string]any{"checked": true})
		var cleared struct {
			Removed int `json:"removed"`
		}
		ben.do(t, "POST", shoppingPath+"/"+list.ID+"/clear-checked", nil).want(t, http.StatusOK).decode(t, &cleared)
		if cleared.Removed != 2 {
			t.Errorf("cleared %d lines, want 2", cleared.Removed)
		}
		after, _ := ana.shoppingList(t, list.ID)
		if after.Checked != 0 || after.line("eggs", "") != nil || after.line("butter", planner.Mass) == nil || after.Items != len(after.Lines) {
			t.Errorf("after clearing: %s (checked %d, items %d)", after.read(), after.Checked, after.Items)
		}
		ben.do(t, "POST", shoppingPath+"/"+list.ID+"/clear-checked", nil).want(t, http.StatusOK).decode(t, &cleared)
		if cleared.Removed != 0 {
			t.Errorf("cleared %d lines the second time, want 0", cleared.Removed)
		}

		// The index counts; a rename answers the summary; newest first.
		if l := ana.shoppingLists(t); len(l.Items) != 2 || l.Items[0].ID != other.ID || l.Items[1].Items != after.Items {
			t.Errorf("index: %+v", l.Items)
		}
		var renamed shoppingListJSON
		ana.do(t, "PATCH", shoppingPath+"/"+list.ID, map[string]any{"name": "Big shop"}).want(t, http.StatusOK).decode(t, &renamed)
		if renamed.Name != "Big shop" || renamed.Version <= after.Version {
			t.Errorf("renamed: %+v", renamed)
		}
		ana.do(t, "DELETE", shoppingPath+"/"+other.ID, nil).want(t, http.StatusNoContent)
		ana.do(t, "GET", shoppingPath+"/"+other.ID, nil).wantProblem(t, http.StatusNotFound)

		s.anon().do(t, "GET", shoppingPath, nil).wantProblem(t, http.StatusUnauthorized)
		s.anon().do(t, "POST", shoppingPath+"/"+list.ID+"/items", map[string]any{"text": "x"}).wantProblem(t, http.StatusUnauthorized)
	})
}

// TestShoppingListPollingHTTP: GET answers with the list's version as
// its ETag; If-None-Match with it is 304 without a body until a member
// changes the list, then 200 with a new ETag. It holds for a weak tag
// and for the tag of the gzip encoding, the one a browser holds once the
// list is long enough to be compressed.
func TestShoppingListPollingHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		ana, ben := s.apiClient(t, "ana"), s.apiClient(t, "ben")
		ben.do(t, "POST", invitationPath(ana.inviteLink(t).Token)+"/accept", nil).want(t, http.StatusOK)
		list := ana.newShoppingList(t, "Week")
		for _, text := range []string{"500 g flour", "2 lemons", "1 l milk", "6 eggs", "kitchen paper", "250 g butter"} {
			ana.addToList(t, list.ID, "items", map[string]any{"text": text})
		}
		l, etag := ana.shoppingList(t, list.ID)
		path := shoppingPath + "/" + list.ID
		identity := header("Accept-Encoding", "identity")

		for _, inm := range []string{etag, "W/" + etag, `"v0", ` + etag} {
			res := ana.do(t, "GET", path, nil, identity, header("If-None-Match", inm)).want(t, http.StatusNotModified)
			if len(res.body) != 0 || res.header.Get("ETag") != etag {
				t.Errorf("If-None-Match %s: 304 with %d bytes and ETag %q, want none and %s", inm, len(res.body), res.header.Get("ETag"), etag)
			}
		}
		ana.do(t, "GET", path, nil, identity, header("If-None-Match", `"v0"`)).want(t, http.StatusOK)

		// Compressed, the answer carries the gzip encoding's tag; polling
		// with that tag must be 304 as well.
		gz := ana.do(t, "GET", path, nil, header("Accept-Encoding", "gzip")).want(t, http.StatusOK)
		gzTag := gz.header.Get("ETag")
		if gz.header.Get("Content-Encoding") != "gzip" || gzTag == etag {
			t.Fatalf("a list of %d lines was not compressed (Content-Encoding %q, ETag %q); the case below tests nothing",
				len(l.Lines), gz.header.Get("Content-Encoding"), gzTag)
		}
		ana.do(t, "GET", path, nil, header("Accept-Encoding", "gzip"), header("If-None-Match", gzTag)).want(t, http.StatusNotModified)

		// Ben ticks a line: Ana's poll with the old tag gets the list.
		ben.changeLine(t, list.ID, l.Lines[0].ID, map[string]any{"checked": true})
		var changed shoppingListJSON
		res := ana.do(t, "GET", path, nil, identity, header("If-None-Match", etag)).want(t, http.StatusOK)
		res.decode(t, &changed)
		newTag := res.header.Get("ETag")
		if newTag == "" || newTag == etag || changed.Version <= l.Version || changed.Checked != 1 {
			t.Fatalf("after ben's tick: ETag %q (was %s), version %d (was %d), %d ticked", newTag, etag, changed.Version, l.Version, changed.Checked)
		}
		ana.do(t, "GET", path, nil, identity, header("If-None-Match", newTag)).want(t, http.StatusNotModified)
		ana.do(t, "GET", path, nil, header("Accept-Encoding", "gzip"), header("If-None-Match", gzTag)).want(t, http.StatusOK)

		// A change answers with the tag of the list it returns, so the
		// client that made it need not fetch the list again to poll.
		var added shoppingListJSON
		r := ana.do(t, "PATCH", path+"/items/"+l.Lines[0].ID, map[string]any{"checked": false}, identity).want(t, http.StatusOK)
		r.decode(t, &added)
		ana.do(t, "GET", path, nil, identity, header("If-None-Match", r.header.Get("ETag"))).want(t, http.StatusNotModified)
		if r.header.Get("ETag") != `"v`+strconv.FormatInt(added.Version, 10)+`"` {
			t.Errorf("PATCH answered ETag %q for version %d", r.header.Get("ETag"), added.Version)
		}
	})
}

// TestShoppingListRefusalsHTTP: someone outside the household finds no
// list, to read, poll, add to, tick or clear; bad input is 422 (a body
// that is not JSON 400), naming the field, and changes nothing; never a
// 5xx (client.do fails the test on one).
func TestShoppingListRefusalsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		ana, eve := s.apiClient(t, "ana"), s.apiClient(t, "eve")
		cake := ana.createRecipe(t, recipeBody("Cake", "public", map[string]any{"servings": 4, "ingredients": []any{"200 g butter"}}))
		list := ana.newShoppingList(t, "Ana's")
		res := ana.addToList(t, list.ID, "items", map[string]any{"text": "2 lemons"})
		lemons := res.List.Lines[0]
		before, _ := ana.shoppingList(t, list.ID)

		path := shoppingPath + "/" + list.ID
		for _, c := range []struct {
			method, path string
			body         any
			opts         []reqOpt
		}{
			{"GET", path, nil, nil},
			{"GET", path, nil, []reqOpt{header("If-None-Match", `"v1"`)}},
			{"PATCH", path, map[string]any{"name": "Eve's now"}, nil},
			{"DELETE", path, nil, nil},
			{"POST", path + "/items", map[string]any{"text": "1 kg sugar"}, nil},
			{"POST", path + "/recipes", map[string]any{"recipes": []any{map[string]any{"recipe_id": cake.ID}}}, nil},
			{"POST", path + "/meal-plan", map[string]any{}, nil},
			{"PATCH", path + "/items/" + lemons.ID, map[string]any{"checked": true}, nil},
			{"DELETE", path + "/items/" + lemons.ID, nil, nil},
			{"POST", path + "/clear-checked", nil, nil},
			{"GET", shoppingPath + "/not-an-id", nil, nil},
		} {
			eve.do(t, c.method, c.path, c.body, c.opts...).wantProblem(t, http.StatusNotFound)
		}
		if l := eve.shoppingLists(t); len(l.Items) != 0 {
			t.Errorf("eve lists %+v", l.Items)
		}
		// A line of another list is not found on this one.
		eveList := eve.newShoppingList(t, "Eve's")
		eve.do(t, "PATCH", shoppingPath+"/"+eveList.ID+"/items/"+lemons.ID, map[string]any{"checked": true}).wantProblem(t, http.StatusNotFound)
		ana.do(t, "PATCH", path+"/items/not-an-id", map[string]any{"checked": true}).wantProblem(t, http.StatusNotFound)

		tooMany := make([]any, planner.MaxAddRecipes+1)
		for i := range tooMany {
			tooMany[i] = map[string]any{"recipe_id": cake.ID}
		}
		for _, c := range []struct {
			method, path string
			body         map[string]any
			field        string
		}{
			{"POST", shoppingPath, map[string]any{"name": ""}, "name"},
			{"POST", shoppingPath, map[string]any{"name": "   "}, "name"},
			{"POST", shoppingPath, map[string]any{}, "name"},
			{"POST", shoppingPath, map[string]any{"name": strings.Repeat("n", planner.MaxListName+1)}, "name"},
			{"POST", shoppingPath, map[string]any{"name": "a\x00b"}, "name"},
			{"PATCH", path, map[string]any{"name": ""}, "name"},
			{"PATCH", path + "/items/" + lemons.ID, map[string]any{"aisle": "cellar"}, "aisle"},
			{"PATCH", path + "/items/" + lemons.ID, map[string]any{"checked": true, "aisle": ""}, "aisle"},
			{"POST", path + "/recipes", map[string]any{"recipes": []any{map[string]any{"recipe_id": cake.ID, "servings": 0}}}, "recipes[0].servings"},
			{"POST", path + "/recipes", map[string]any{"recipes": []any{map[string]any{"recipe_id": cake.ID}, map[string]any{"recipe_id": cake.ID, "servings": planner.MaxServings + 1}}}, "recipes[1].servings"},
			{"POST", path + "/recipes", map[string]any{"recipes": tooMany}, "recipes"},
			{"POST", path + "/items", map[string]any{"text": strings.Repeat("t", planner.MaxItemText+1)}, "text"},
			{"POST", path + "/items", map[string]any{"text": ""}, "text"},
			{"POST", path + "/items", map[string]any{"text": "!!!"}, "text"},
			{"POST", path + "/meal-plan", map[string]any{"from": "soon", "to": "2026-01-07"}, "from"},
			{"POST", path + "/meal-plan", map[string]any{"from": "2026-01-07", "to": "2026-01-01"}, "to"},
			{"POST", path + "/meal-plan", map[string]any{"from": "2026-01-01", "to": "2026-03-01"}, "to"},
			{"POST", path + "/items", map[string]any{"text": "1 lemon", "colour": "red"}, "colour"},
			{"POST", path + "/recipes", map[string]any{"recipes": []any{map[string]any{"recipe_id": cake.ID, "colour": "red"}}}, "recipes[0].colour"},
		} {
			ana.do(t, c.method, c.path, c.body).wantProblem(t, http.StatusUnprocessableEntity, c.field)
		}
		// Bodies that are not JSON, or of the wrong types.
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", shoppingPath, raw(`{"name": `)},
			{"POST", path + "/items", raw(`not json`)},
			{"PATCH", path + "/items/" + lemons.ID, raw(`[true]`)},
			{"PATCH", path + "/items/" + lemons.ID, map[string]any{"checked": "yes"}},
			{"POST", path + "/recipes", map[string]any{"recipes": []any{map[string]any{"recipe_id": cake.ID, "servings": "four"}}}},
		} {
			ana.do(t, c.method, c.path, c.body).wantProblem(t, http.StatusBadRequest)
		}
		if after, _ := ana.shoppingList(t, list.ID); after.Version != before.Version || after.read() != before.read() {
			t.Errorf("refused requests changed the list: version %d → %d, %s → %s", before.Version, after.Version, before.read(), after.read())
		}
	})
}

// TestShoppingListLimitsHTTP: a household has at most planner.MaxLists
// lists and a list at most planner.MaxItems lines; past either, 409 with
// the message the pages show too, and nothing written.
func TestShoppingListLimitsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		ana, ben, eve := s.apiClient(t, "ana"), s.apiClient(t, "ben"), s.apiClient(t, "eve")
		ben.do(t, "POST", invitationPath(ana.inviteLink(t).Token)+"/accept", nil).want(t, http.StatusOK)

		var lists []shoppingListJSON
		for i := range planner.MaxLists {
			c := ana
			if i%2 == 1 {
				c = ben
			}
			lists = append(lists, c.newShoppingList(t, fmt.Sprintf("List %d", i+1)))
		}
		for _, c := range []*client{ana, ben} {
			p := c.do(t, "POST", shoppingPath, map[string]any{"name": "One more"}).wantProblem(t, http.StatusConflict)
			if p.Detail != planner.TooManyListsMessage {
				t.Errorf("list %d: %q, want %q", planner.MaxLists+1, p.Detail, planner.TooManyListsMessage)
			}
		}
		if n := len(ana.shoppingLists(t).Items); n != planner.MaxLists {
			t.Errorf("%d lists after the refusals, want %d", n, planner.MaxLists)
		}
		// Another household counts its own.
		eve.newShoppingList(t, "Eve's")
		// One deleted, one more fits.
		ben.do(t, "DELETE", shoppingPath+"/"+lists[0].ID, nil).want(t, http.StatusNoContent)
		ana.newShoppingList(t, "One more")

		// A full list: three recipes of planner.MaxItems/3 lines each fill
		// it in one request; one more line, by hand or from a recipe, is
		// refused.
		full := lists[1]
		per := planner.MaxItems / 3
		// Names of two consonants: no plural to fold two of them into one
		// line, no digit to read as an amount.
		const letters = "bcdfghjklmnpqrtvwxz"
		thing := func(n int) string {
			return "thing " + string(letters[n/len(letters)]) + string(letters[n%len(letters)])
		}
		var recipes []any
		for r := range 3 {
			lines := make([]any, per)
			for i := range lines {
				lines[i] = "1 " + thing(r*per+i)
			}
			rec := ana.createRecipe(t, recipeBody(fmt.Sprintf("Big %d", r), "public", map[string]any{"ingredients": lines}))
			recipes = append(recipes, map[string]any{"recipe_id": rec.ID})
		}
		res := ana.addToList(t, full.ID, "recipes", map[string]any{"recipes": recipes})
		if res.Added != planner.MaxItems || res.List.Items != planner.MaxItems {
			t.Fatalf("added %d, list has %d lines; want %d", res.Added, res.List.Items, planner.MaxItems)
		}
		extra := ana.createRecipe(t, recipeBody("Extra", "public", map[string]any{"ingredients": []any{"1 " + thing(0), "1 lime"}}))
		for _, c := range []struct {
			what string
			body map[string]any
		}{
			{"items", map[string]any{"text": "kitchen paper"}},
			{"recipes", map[string]any{"recipes": []any{map[string]any{"recipe_id": extra.ID}}}},
		} {
			p := ben.do(t, "POST", shoppingPath+"/"+full.ID+"/"+c.what, c.body).wantProblem(t, http.StatusConflict)
			if p.Detail != planner.ListFullMessage {
				t.Errorf("adding %s to a full list: %q, want %q", c.what, p.Detail, planner.ListFullMessage)
			}
		}
		// Merging into a line it has still fits; the refused recipe above
		// added nothing, not even its line that merges.
		l, _ := ana.shoppingList(t, full.ID)
		first := l.line(thing(0), "")
		if l.Items != planner.MaxItems || first == nil || first.Amount != "1" {
			t.Fatalf("after the refusals: %d lines, %s %+v", l.Items, thing(0), first)
		}
		if got := ana.addToList(t, full.ID, "items", map[string]any{"text": "2 " + thing(0)}).List.line(thing(0), ""); got == nil || got.Amount != "3" {
			t.Errorf("merged into a full list: %+v, want 3", got)
		}
	})
}

// TestShoppingListFromMealPlanHTTP: the week's plan goes onto a list,
// each recipe at its planned servings; free text and recipes the caller
// may not read add nothing (the latter counted); other weeks come when
// asked for by from and to.
func TestShoppingListFromMealPlanHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		ana, ben := s.apiClient(t, "ana"), s.apiClient(t, "ben")
		ben.do(t, "POST", invitationPath(ana.inviteLink(t).Token)+"/accept", nil).want(t, http.StatusOK)
		lasagne := ana.createRecipe(t, recipeBody("Lasagne", "public", map[string]any{"servings": 4,
			"ingredients": []any{"500 g beef mince", "1 onion", "1 pinch salt"}}))
		curry := ben.createRecipe(t, recipeBody("Ben's secret curry", "private", map[string]any{"ingredients": []any{"400 ml coconut milk"}}))
		soup := ana.createRecipe(t, recipeBody("Leek soup", "public", map[string]any{"ingredients": []any{"3 leeks"}}))

		monday := planner.WeekOf(time.Now().UTC())
		day := func(i int) string { return monday.AddDate(0, 0, i).Format(planner.DayLayout) }
		ana.addEntry(t, map[string]any{"day": day(0), "slot": "dinner", "recipe_id": lasagne.ID, "servings": 8})
		ben.addEntry(t, map[string]any{"day": day(2), "slot": "dinner", "recipe_id": curry.ID})
		ben.addEntry(t, map[string]any{"day": day(3), "slot": "lunch", "title": "Sandwiches"})
		ana.addEntry(t, map[string]any{"day": day(9), "slot": "dinner", "recipe_id": soup.ID})

		list := ana.newShoppingList(t, "This week")
		res := ana.addToList(t, list.ID, "meal-plan", map[string]any{})
		if res.Hidden != 1 || !slices.Equal(res.Staples, []string{"salt"}) || res.Added != 2 {
			t.Errorf("added %d, hidden %d, staples %q; want 2, 1 (ben's private curry) and [salt]", res.Added, res.Hidden, res.Staples)
		}
		if got := res.List.read(); got != "onions 2 | beef mince 1 kg" {
			t.Errorf("this week's list: %s, want onions 2 | beef mince 1 kg", got)
		}
		if m := res.List.line("beef mince", planner.Mass); m == nil || len(m.Sources) != 1 || m.Sources[0].RecipeID != lasagne.ID {
			t.Errorf("mince's sources: %+v", m)
		}
		// Ben may read his curry: his week brings its coconut milk.
		if b := ben.addToList(t, list.ID, "meal-plan", map[string]any{"from": day(0), "to": day(6)}); b.Hidden != 0 ||
			b.List.line("coconut milk", planner.Volume) == nil || b.List.line("onion", "") == nil || b.List.line("onion", "").Amount != "4" {
			t.Errorf("ben's week: hidden %d, %s", b.Hidden, b.List.read())
		}
		// Next week, asked for by its days.
		res = ana.addToList(t, list.ID, "meal-plan", map[string]any{"from": day(7), "to": day(13)})
		if leeks := res.List.line("leeks", ""); res.Added != 1 || leeks == nil || leeks.Amount != "3" || len(leeks.Sources) != 1 || leeks.Sources[0].Title != "Leek soup" {
			t.Errorf("next week: added %d, %s", res.Added, res.List.read())
		}
		// A stretch with nothing planned adds nothing and is no error.
		if res = ana.addToList(t, list.ID, "meal-plan", map[string]any{"from": day(14), "to": day(20)}); res.Added != 0 {
			t.Errorf("an empty stretch added %d", res.Added)
		}
	})
}
