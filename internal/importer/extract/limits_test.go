package extract

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// jsonLDPage wraps a JSON-LD block in a page.
func jsonLDPage(block string) []byte {
	return []byte(`<html><head><script type="application/ld+json">` + block + `</script></head><body></body></html>`)
}

func TestListsAreBounded(t *testing.T) {
	var ing, steps []string
	for i := range 5000 {
		ing = append(ing, fmt.Sprintf("%q", fmt.Sprintf("%d g flour", i)))
		steps = append(steps, fmt.Sprintf(`{"@type":"HowToStep","text":"Step %d."}`, i))
	}
	page := jsonLDPage(`{"@type":"Recipe","name":"Many","recipeIngredient":[` + strings.Join(ing, ",") +
		`],"recipeInstructions":[` + strings.Join(steps, ",") + `]}`)
	r := FromHTML(page, "https://x.example/")
	if len(r.Ingredients) != maxItems || len(r.Steps) != maxItems {
		t.Fatalf("kept %d ingredients and %d steps, want %d each", len(r.Ingredients), len(r.Steps), maxItems)
	}
	if r.Ingredients[0] != "0 g flour" || r.Steps[maxItems-1] != fmt.Sprintf("Step %d.", maxItems-1) {
		t.Errorf("not the first ones kept: %q, %q", r.Ingredients[0], r.Steps[maxItems-1])
	}
}

func TestStringsAreCapped(t *testing.T) {
	long := strings.Repeat("ab ", 100000)
	page := jsonLDPage(`{"@type":"Recipe","name":"` + long + `","description":"` + long +
		`","recipeIngredient":["` + long + `"],"recipeInstructions":"` + long + `","recipeYield":"` + long + `"}`)
	r := FromHTML(page, "")
	if len(r.Title) > maxShort || len(r.Description) > maxLong || len(r.Ingredients[0]) > maxLong ||
		len(r.Steps[0]) > maxLong || len(r.Yield) > maxShort {
		t.Errorf("lengths: title %d, description %d, ingredient %d, step %d, yield %d",
			len(r.Title), len(r.Description), len(r.Ingredients[0]), len(r.Steps[0]), len(r.Yield))
	}
}

func TestDeepNestingIsRefused(t *testing.T) {
	deep := strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	page := jsonLDPage(`{"@type":"Recipe","name":"Deep","recipeInstructions":` + deep + `}`)
	r := FromHTML(page, "")
	// The block is too deep to read; nothing of it is taken.
	if r.Via == "json-ld" || len(r.Steps) != 0 {
		t.Errorf("a block nested %d deep was read: %+v", 200000, r)
	}
	// Nesting within the limit still reads.
	ok := strings.Repeat("[", 10) + `"Mix."` + strings.Repeat("]", 10)
	r = FromHTML(jsonLDPage(`{"@type":"Recipe","name":"Nested","recipeInstructions":`+ok+`}`), "")
	if len(r.Steps) != 1 || r.Steps[0] != "Mix." {
		t.Errorf("steps = %q", r.Steps)
	}
}

func TestManyBlocksAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("<html><head>")
	for i := range 500 {
		fmt.Fprintf(&b, `<script type="application/ld+json">{"@type":"Thing","name":"t%d"}</script>`, i)
	}
	b.WriteString(`<script type="application/ld+json">{"@type":"Recipe","name":"Late","recipeIngredient":["x"]}</script></head></html>`)
	r := FromHTML([]byte(b.String()), "")
	// Only the first maxJSONLDBlocks blocks are read: the late recipe is
	// not among them.
	if r.Via == "json-ld" {
		t.Errorf("read past %d blocks: %+v", maxJSONLDBlocks, r)
	}
}

func TestMarkupPropertiesAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<div itemscope itemtype="https://schema.org/Recipe"><h1 itemprop="name">Big</h1>`)
	for i := range 3000 {
		fmt.Fprintf(&b, `<span itemprop="recipeIngredient">%d g sugar</span>`, i)
	}
	b.WriteString(`</div>`)
	r := FromHTML([]byte(b.String()), "")
	if r.Title != "Big" || len(r.Ingredients) != maxItems {
		t.Errorf("title %q, %d ingredients", r.Title, len(r.Ingredients))
	}
}

func TestHostilePagesNeverFail(t *testing.T) {
	pages := []string{
		"",
		"\x00\xff\xfe",
		"<script type='application/ld+json'>",
		`<script type="application/ld+json">null</script>`,
		`<script type="application/ld+json">[1,"a",null,{"@type":["Recipe"],"name":{"@id":"#x"}}]</script>`,
		`<script type="application/ld+json">{"@type":"Recipe","name":["A","B"],"recipeIngredient":{"text":"1 egg"},"recipeYield":{"value":2},"image":{"@id":"#img"},"author":[{"@id":"#a"}],"nutrition":[1,2],"totalTime":["PT5M"]}</script>`,
		`<div itemscope itemtype="Recipe"><div itemprop="recipeInstructions" itemscope itemtype="HowToStep"><span itemprop="text">Go.</span></div></div>`,
		`<div typeof="schema:Recipe"><span property="schema:name">R</span><span property="recipeIngredient">1 egg</span></div>`,
		`<base href="javascript:alert(1)"><link rel="canonical" href="javascript:alert(1)"><meta property="og:image" content="data:x">`,
		strings.Repeat("<div>", 100000),
	}
	for i, p := range pages {
		r := FromHTML([]byte(p), "not a url")
		if r == nil {
			t.Fatalf("page %d: nil", i)
		}
		if strings.HasPrefix(r.SourceURL, "javascript:") || strings.HasPrefix(r.ImageURL, "data:") {
			t.Errorf("page %d: unsafe URL kept: %q %q", i, r.SourceURL, r.ImageURL)
		}
	}
}

func TestReferencesAreFollowed(t *testing.T) {
	page := jsonLDPage(`{"@graph":[
		{"@type":"Recipe","name":"R","author":{"@id":"#ann"},"image":{"@id":"#img"},"recipeIngredient":["1 egg"]},
		{"@type":"Person","@id":"#ann","name":"Ann"},
		{"@type":"ImageObject","@id":"#img","url":"https://i.example/r.jpg"}]}`)
	r := FromHTML(page, "https://x.example/")
	if r.Author != "Ann" || r.ImageURL != "https://i.example/r.jpg" {
		t.Errorf("author %q, image %q", r.Author, r.ImageURL)
	}
}

func TestFirstRealRecipeWins(t *testing.T) {
	page := jsonLDPage(`[{"@type":"Recipe","name":"Empty teaser"},
		{"@type":"ItemList","itemListElement":[{"@type":"ListItem","item":{"@type":"Recipe","name":"Real","recipeIngredient":["2 eggs"]}}]}]`)
	r := FromHTML(page, "")
	if r.Title != "Real" {
		t.Errorf("title %q, want the recipe with ingredients", r.Title)
	}
}

func TestNoRecipe(t *testing.T) {
	r := FromHTML([]byte(`<html><head><title>About us</title></head><body><p>Hello</p></body></html>`), "https://x.example/about")
	if r.Found() {
		t.Errorf("found a recipe on a page without one: %+v", r)
	}
	if r.SourceURL != "https://x.example/about" {
		t.Errorf("SourceURL = %q", r.SourceURL)
	}
}

func TestMicrodataLines(t *testing.T) {
	repeated := `<div itemscope itemtype="https://schema.org/Recipe"><h1 itemprop="name">R</h1><ul>
<li itemprop="recipeIngredient"><div>40 g</div><div>bacon</div></li>
<li itemprop="recipeIngredient"><div>1</div><div>egg</div></li></ul></div>`
	if got := FromHTML([]byte(repeated), "").Ingredients; strings.Join(got, "|") != "40 g bacon|1 egg" {
		t.Errorf("repeated property: %q", got)
	}
	single := `<div itemscope itemtype="https://schema.org/Recipe"><h1 itemprop="name">R</h1>
<div itemprop="recipeIngredient"><p>1 egg</p><p>2 cups milk</p></div></div>`
	if got := FromHTML([]byte(single), "").Ingredients; strings.Join(got, "|") != "1 egg|2 cups milk" {
		t.Errorf("one property holding the list: %q", got)
	}
}

func TestMicrodataStepParagraphs(t *testing.T) {
	page := `<div itemscope itemtype="https://schema.org/Recipe"><h1 itemprop="name">R</h1>
<p itemprop="recipeIngredient">1 egg</p><ol itemprop="recipeInstructions" itemscope itemtype="https://schema.org/ItemList">
<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><h4 itemprop="name">Make the batter</h4>
<span itemprop="description"><p>Beat the egg.</p><p>Stir in the flour<br>a spoon at a time.</p></span></li></ol>
<p itemprop="recipeInstructions">Fry<br>in butter.</p></div>`
	r := FromHTML([]byte(page), "")
	if got := strings.Join(r.Steps, "|"); got != "Beat the egg.|Stir in the flour a spoon at a time.|Fry in butter." {
		t.Errorf("steps: %q", r.Steps)
	}
	if len(r.StepGroups) != 1 || r.StepGroups[0] != (StepGroup{"Make the batter", 0}) {
		t.Errorf("groups: %v", r.StepGroups)
	}
}

func TestJSONInAttributeUnescaped(t *testing.T) {
	page := `<div itemscope itemtype="https://schema.org/Recipe"><h1 itemprop="name">R</h1>
<meta itemprop="recipeIngredient" content="1 egg">
<meta itemprop="recipeInstructions" content="[{"@type":"HowToStep","text":"Whisk the egg & salt."},{"@type":"HowToStep","text":"Fry it, \"sunny side\" up."}]"></div>`
	r := FromHTML([]byte(page), "")
	if got := strings.Join(r.Steps, "|"); got != `Whisk the egg & salt.|Fry it, "sunny side" up.` {
		t.Errorf("steps: %q", r.Steps)
	}
	broken := []byte(`<p title="{"a": no JSON">x</p><p data-x="[{"b":1}] tail">y</p>`)
	if got := escapeJSONAttributes(append([]byte(nil), broken...)); !bytes.Equal(got, broken) {
		t.Errorf("a value that is not JSON closed by its quote was rewritten: %s", got)
	}
}

func TestBareJSONLDDocument(t *testing.T) {
	r := FromHTML([]byte(` {"@context":"https://schema.org","@type":"Recipe","name":"Plain","recipeIngredient":["1 egg"]}`), "https://x.example/r.jsonld")
	if r.Title != "Plain" || r.Via != "json-ld" || len(r.Ingredients) != 1 {
		t.Errorf("%+v", r)
	}
}
