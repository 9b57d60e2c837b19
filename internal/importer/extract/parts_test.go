package extract

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want *int
	}{
		{"PT1H30M", ptrInt(90)},
		{"P0DT1H", ptrInt(60)},
		{"PT90M", ptrInt(90)},
		{"PT0.5H", ptrInt(30)},
		{"pt45m", ptrInt(45)},
		{"P1DT2H", ptrInt(1560)},
		{"PT30S", ptrInt(1)}, // rounded
		{"PT20S", ptrInt(0)},
		{"PTH25M", ptrInt(25)}, // an hour letter without a number
		{"PTHM", nil},
		{"PT-5M", nil},
		{"P", nil},
		{"45", ptrInt(45)},
		{"1 hour 30 minutes", ptrInt(90)},
		{"1 hr 20 mins", ptrInt(80)},
		{"", nil},
		{"soon", nil},
		{"P9999Y", nil}, // beyond a year
		{strings.Repeat("1", 200), nil},
	}
	for _, tt := range tests {
		got := parseMinutes(tt.in)
		if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
			t.Errorf("parseMinutes(%q) = %v, want %v", tt.in, show(got), show(tt.want))
		}
	}
}

func show(p *int) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

func TestClean(t *testing.T) {
	tests := map[string]string{
		"  two\n\t words  ":              "two words",
		"Mac &amp;amp; Cheese":           "Mac & Cheese",
		"Chef&amp;#39;s":                 "Chef's",
		"▢ 1 cup flour":                  "1 cup flour",
		"☐ salt\u200b\u200d":             "salt",
		"<b>bold</b> text":               "bold text",
		"< 1 hour, 3 < 4":                "< 1 hour, 3 < 4",
		"a<!-- note -->b":                "a b",
		"&lt;script&gt;x&lt;/script&gt;": "x",
		"tab\u00a0nbsp":                  "tab nbsp",
		"the <span>mustard</span>, then": "the mustard, then",
		"add salt (<em>to taste</em>).":  "add salt (to taste).",
		"<b>Note:</b>Mix":                "Note: Mix",
		"one<p>two</p>":                  "one two",
	}
	for in, want := range tests {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanLinesDropsAdsAndEmpties(t *testing.T) {
	got := cleanLines([]string{"1 egg", "", "  ", "ADVERTISEMENT", "- Advertisement -", "Sponsored", "2 eggs"})
	if want := []string{"1 egg", "2 eggs"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cleanLines = %q, want %q", got, want)
	}
}

func TestTidyIngredient(t *testing.T) {
	tests := map[string]string{
		"1 onion ((chopped))":                  "1 onion (chopped)",
		"2 carrots (, diced (small))":          "2 carrots, diced (small)",
		"1 apple , cored":                      "1 apple, cored",
		"- 300 g flour":                        "300 g flour",
		"• 2 eggs":                             "2 eggs",
		"1. 2 eggs":                            "2 eggs",
		"1.5 tsp salt":                         "1.5 tsp salt",
		"1 (14 oz) can tomatoes":               "1 (14 oz) can tomatoes",
		"salt (to taste)":                      "salt (to taste)",
		"2 cups stock (see note (below)), hot": "2 cups stock (see note (below)), hot",
	}
	for in, want := range tests {
		if got := tidyIngredient(in); got != want {
			t.Errorf("tidyIngredient(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLeadingNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"8 servings", 8, true},
		{"Serves 4-6", 6, true},
		{"3 to 4 servings", 4, true},
		{"1.5 loaves", 1, true},
		{"12", 12, true},
		{"a few", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, ok := leadingNumber(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("leadingNumber(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRepairJSON(t *testing.T) {
	tests := []struct{ in, name string }{
		{`{"@type":"Recipe","name":"A",}`, "A"},
		{"{\"@type\":\"Recipe\",\"name\":\"B\nC\"}", "B\nC"},
		{`<!-- {"@type":"Recipe","name":"D"} -->`, "D"},
		{`//<![CDATA[
{"@type":"Recipe","name":"E"}
//]]>`, "E"},
		{`{"@type":"Recipe","name":"F"};`, "F"},
		{`{"@type":"Recipe","name":"G"} {"second": true}`, "G"},
		{`{"@type":"Recipe","recipeIngredient":["x","y",],"name":"H"}`, "H"},
	}
	for _, tt := range tests {
		v, ok := decodeJSONLD(tt.in)
		if !ok {
			t.Errorf("decodeJSONLD(%q) failed", tt.in)
			continue
		}
		if got := v.(node)["name"]; got != tt.name {
			t.Errorf("decodeJSONLD(%q) name = %q, want %q", tt.in, got, tt.name)
		}
	}
	// Valid JSON is never changed by the repair.
	valid := `{"a":"x, ]","b":[1,2],"c":"\"quoted\", }"}`
	if got := string(repairJSON([]byte(valid))); got != valid {
		t.Errorf("repairJSON changed valid JSON: %s", got)
	}
	if _, ok := decodeJSONLD(`{"never": "closed"`); ok {
		t.Error("an unclosed object decoded")
	}
}

func TestHasType(t *testing.T) {
	yes := []any{"Recipe", "recipe", "http://schema.org/Recipe", "https://schema.org/Recipe", "schema:Recipe", []any{"NewsArticle", "Recipe"}}
	for _, v := range yes {
		if !hasType(v, "recipe") {
			t.Errorf("hasType(%v) = false", v)
		}
	}
	no := []any{"RecipeCollection", nil, 3.0, []any{"Article"}, map[string]any{"@id": "Recipe"}}
	for _, v := range no {
		if hasType(v, "recipe") {
			t.Errorf("hasType(%v) = true", v)
		}
	}
}

func TestInstructionShapes(t *testing.T) {
	tests := []struct {
		name   string
		v      any
		steps  []string
		groups []StepGroup
	}{
		{"string with newlines", "Mix.\nBake.\n\n", []string{"Mix.", "Bake."}, nil},
		{"html string", "<ol><li>Mix.</li><li>Bake.</li></ol>", []string{"Mix.", "Bake."}, nil},
		{"escaped html", "&lt;p&gt;Mix.&lt;/p&gt;&lt;p&gt;Bake.&lt;/p&gt;", []string{"Mix.", "Bake."}, nil},
		{"list of strings", []any{"Mix the flour\nand the sugar.", "Bake."}, []string{"Mix the flour and the sugar.", "Bake."}, nil},
		{"steps with text or name", []any{
			node{"@type": "HowToStep", "text": "Mix."},
			node{"@type": "HowToStep", "name": "Bake."},
			node{"@type": "HowToStep", "itemListElement": []any{node{"@type": "HowToDirection", "text": "Cool."}}},
		}, []string{"Mix.", "Bake.", "Cool."}, nil},
		{"sections", []any{
			node{"@type": "HowToSection", "name": "Dough", "itemListElement": []any{"Knead.", node{"@type": "HowToStep", "text": "Rest."}}},
			node{"@type": "HowToSection", "name": "Topping", "itemListElement": node{"@type": "HowToStep", "text": "Spread."}},
		}, []string{"Knead.", "Rest.", "Spread."}, []StepGroup{{"Dough", 0}, {"Topping", 2}}},
		{"item list", node{"@type": "ItemList", "itemListElement": []any{node{"@type": "ListItem", "text": "One."}, "Two."}}, []string{"One.", "Two."}, nil},
		{"nested arrays", []any{[]any{"One."}, []any{[]any{"Two."}}}, []string{"One.", "Two."}, nil},
		{"step numbers run together", "1. Mix the flour.2. Bake it. 3. Eat.", []string{"Mix the flour.", "Bake it.", "Eat."}, nil},
		{"glued paragraphs", "Heat the oven.Grease the tin.Bake the cake.", []string{"Heat the oven.", "Grease the tin.", "Bake the cake."}, nil},
		{"one glue is not enough", "Use the U.S. cup.Then bake.", []string{"Use the U.S. cup.Then bake."}, nil},
		{"step labels are no headings", []any{node{"@type": "HowToStep", "name": "Step 1", "text": "Mix."}}, []string{"Mix."}, nil},
		{"json in a string", `[{"@type":"HowToStep","text":"Mix."},{"@type":"HowToStep","text":"Bake."}]`, []string{"Mix.", "Bake."}, nil},
		{"numbers alone", []any{3.0, true, nil}, nil, nil},
		{"notes end the steps", "Mix.\nBake.\nNotes:\nKeeps a week.", []string{"Mix.", "Bake."}, nil},
		{"a notes section ends the steps", []any{
			node{"@type": "HowToSection", "name": "Cake", "itemListElement": []any{"Bake."}},
			node{"@type": "HowToSection", "name": "Tips", "itemListElement": []any{"Use a tin."}},
		}, []string{"Bake."}, []StepGroup{{"Cake", 0}}},
		{"a closing heading before any step ends nothing", []any{
			node{"@type": "HowToSection", "name": "Equipment", "itemListElement": []any{"Get a pan."}},
			node{"@type": "HowToSection", "name": "Method", "itemListElement": []any{"Fry."}},
		}, []string{"Get a pan.", "Fry."}, []StepGroup{{"Equipment", 0}, {"Method", 1}}},
		{"no letters is no step", []any{"[{", "—", "Mix."}, []string{"Mix."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sr := &schemaReader{}
			c := &stepCollector{}
			sr.instructions(tt.v, 0, c)
			if !reflect.DeepEqual(c.steps, tt.steps) || !reflect.DeepEqual(c.groups, tt.groups) {
				t.Errorf("got %q %v, want %q %v", c.steps, c.groups, tt.steps, tt.groups)
			}
		})
	}
}

func TestImageChoice(t *testing.T) {
	base, _ := url.Parse("https://site.example/recipes/cake")
	sr := &schemaReader{base: base}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"string", "/img/a.jpg", "https://site.example/img/a.jpg"},
		{"first without sizes", []any{"a.jpg", "b.jpg"}, "https://site.example/recipes/a.jpg"},
		{"largest declared", []any{
			node{"url": "small.jpg", "width": 100.0, "height": 100.0},
			node{"contentUrl": "large.jpg", "width": "1200", "height": "800px"},
			"plain.jpg",
		}, "https://site.example/recipes/large.jpg"},
		{"largest named when every address names its size", []any{"/660x660/a.jpg", "/1280x720/a.jpg", "/1024x1024/a.jpg"}, "https://site.example/1024x1024/a.jpg"},
		{"first when an address names no size", []any{"/a.jpg", "/a-500x500.jpg", "/a-480x270.jpg"}, "https://site.example/a.jpg"},
		{"protocol relative", node{"url": "//cdn.example/x.jpg"}, "https://cdn.example/x.jpg"},
		{"not a web address", []any{"data:image/png;base64,AAAA", "javascript:alert(1)", "ok.jpg"}, "https://site.example/recipes/ok.jpg"},
		{"nothing", nil, ""},
	}
	for _, tt := range tests {
		if got := sr.image(tt.v); got != tt.want {
			t.Errorf("%s: image = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestYieldShapes(t *testing.T) {
	sr := &schemaReader{}
	tests := []struct {
		v        any
		text     string
		servings *int
	}{
		{"4 servings", "4 servings", ptrInt(4)},
		{6.0, "6", ptrInt(6)},
		{[]any{"4", "4 people"}, "4 people", ptrInt(4)},
		{[]any{"a loaf", "2 loaves"}, "2 loaves", ptrInt(2)},
		{"one big pot", "one big pot", nil},
		{nil, "", nil},
	}
	for _, tt := range tests {
		text, n := sr.yield(tt.v)
		if text != tt.text || show(n) != show(tt.servings) {
			t.Errorf("yield(%v) = %q, %s; want %q, %s", tt.v, text, show(n), tt.text, show(tt.servings))
		}
	}
}
