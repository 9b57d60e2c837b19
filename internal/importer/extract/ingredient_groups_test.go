package extract

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// ldRecipePage is a page whose JSON-LD recipe lists lines, with body as the
// page's visible content.
func ldRecipePage(t *testing.T, lines []string, body string) string {
	t.Helper()
	ld, err := json.Marshal(map[string]any{
		"@context": "https://schema.org", "@type": "Recipe", "name": "Test tart",
		"recipeIngredient": lines, "recipeInstructions": []string{"Make it."},
	})
	if err != nil {
		t.Fatal(err)
	}
	return `<html><head><script type="application/ld+json">` + string(ld) + `</script></head><body>` + body + `</body></html>`
}

func TestStructuredIngredientHeadings(t *testing.T) {
	cases := []struct {
		name   string
		lines  []string
		body   string
		want   []string
		groups []Group
	}{
		{
			name:   "a trailing colon, capitals and 'For the' read as headings",
			lines:  []string{"For the crust:", "200 g flour", "FILLING", "3 pears", "Pour la crème", "20 cl crème"},
			want:   []string{"200 g flour", "3 pears", "20 cl crème"},
			groups: []Group{{"For the crust:", 0}, {"FILLING", 1}, {"Pour la crème", 2}},
		},
		{
			name:  "lines without amounts are still ingredients",
			lines: []string{"2 eggs", "Salt and pepper to taste", "Fresh cilantro", "sel", "Airfryer", "1 lime"},
			want:  []string{"2 eggs", "Salt and pepper to taste", "Fresh cilantro", "sel", "Airfryer", "1 lime"},
		},
		{
			name:   "a heading the page shows above the next line",
			lines:  []string{"100 g butter", "Glaze", "150 g icing sugar"},
			body:   `<ul><li>100 g butter</li></ul><h4>Glaze</h4><ul><li>150 g icing sugar</li></ul>`,
			want:   []string{"100 g butter", "150 g icing sugar"},
			groups: []Group{{"Glaze", 1}},
		},
		{
			name:   "a plugin's group name, or a list item all in bold",
			lines:  []string{"Dough", "300 g flour", "Topping", "2 apples"},
			body:   `<div class="x-recipe-group-name">Dough</div><p>300 g flour</p><ul><li><strong>Topping</strong></li><li>2 apples</li></ul>`,
			want:   []string{"300 g flour", "2 apples"},
			groups: []Group{{"Dough", 0}, {"Topping", 1}},
		},
		{
			name:  "the same words set as a heading elsewhere, or bold in a sentence, or in lower case",
			lines: []string{"Fresh herbs", "1 lemon", "Chopped chives", "2 eggs", "toasted almonds", "1 pear"},
			body: `<aside><h3>Fresh herbs</h3><p>Our guide to growing them.</p></aside>` +
				`<p>Add <b>Chopped chives</b> at the end.</p><ul><li><b>toasted almonds</b></li><li>1 pear</li></ul>`,
			want: []string{"Fresh herbs", "1 lemon", "Chopped chives", "2 eggs", "toasted almonds", "1 pear"},
		},
		{
			name:   "a heading heads a line: not the last, not one before another heading",
			lines:  []string{"For the cake:", "FOR THE SPONGE", "3 eggs", "To serve:"},
			want:   []string{"For the cake:", "3 eggs", "To serve:"},
			groups: []Group{{"FOR THE SPONGE", 1}},
		},
		{
			name:  "capitals say nothing in a list written in capitals",
			lines: []string{"2 CUPS FLOUR", "1 TSP SALT", "BLACK PEPPER", "3 EGGS"},
			want:  []string{"2 CUPS FLOUR", "1 TSP SALT", "BLACK PEPPER", "3 EGGS"},
		},
		{
			name:   "marks typed before a heading are not its title",
			lines:  []string{"## SAUCE", "1 can tomatoes"},
			want:   []string{"1 can tomatoes"},
			groups: []Group{{"SAUCE", 0}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := FromHTML([]byte(ldRecipePage(t, c.lines, c.body)), "https://example.test/tart")
			if !reflect.DeepEqual(r.Ingredients, c.want) || !reflect.DeepEqual(r.IngredientGroups, c.groups) {
				t.Errorf("ingredients %q groups %v, want %q %v", r.Ingredients, r.IngredientGroups, c.want, c.groups)
			}
		})
	}
}

func TestFollowingText(t *testing.T) {
	// "Finish" heads a list only where the page shows it as a heading
	// (a dish part's name such as "Glaze" would head it anyway).
	lines := []string{"Finish", "2 tbsp lemon juice", "1 egg"}
	page := `<div><h4>Finish</h4></div><ul><li>2 tablespoons lemon juice</li></ul>`
	if r := FromHTML([]byte(ldRecipePage(t, lines, page)), ""); len(r.IngredientGroups) != 1 {
		t.Errorf("the next line after the heading's own block: groups %v", r.IngredientGroups)
	}
	page = `<h4>Finish</h4><p>` + strings.Repeat("Our story. ", 40) + `</p><ul><li>2 tbsp lemon juice</li></ul>`
	if r := FromHTML([]byte(ldRecipePage(t, lines, page)), ""); len(r.IngredientGroups) != 0 {
		t.Errorf("the next line far after the heading: groups %v", r.IngredientGroups)
	}
}

// TestShownHeadingsAreBounded: a page that repeats a heading thousands of
// times, each followed by thousands of empty elements, costs bounded work
// and still reads the first one.
func TestShownHeadingsAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<h4>Glaze</h4><p>2 tbsp lemon juice</p>`)
	for range 1000 {
		b.WriteString(`<div><h4>Glaze</h4>` + strings.Repeat(`<span></span>`, 100) + `</div>`)
	}
	r := FromHTML([]byte(ldRecipePage(t, []string{"Glaze", "2 tbsp lemon juice"}, b.String())), "")
	if len(r.IngredientGroups) != 1 {
		t.Errorf("groups %v", r.IngredientGroups)
	}
	if shown := shownHeadings(mustDoc(t, b.String()), []string{"Glaze", "1 egg"}); len(shown["glaze"]) != maxShownHeadings {
		t.Errorf("%d places kept, want %d", len(shown["glaze"]), maxShownHeadings)
	}
}

func mustDoc(t *testing.T, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
