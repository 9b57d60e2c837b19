package browsertest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/reccollection/reccollection/internal/testutil"
)

// account is a user the tests sign up through the form.
type account struct {
	username, email, displayName, password string
}

func newAccount(name string, vp viewport) account {
	u := strings.ToLower(name) + "-" + vp.name
	return account{
		username:    u,
		email:       u + "@example.com",
		displayName: name + " (" + vp.name + ")",
		password:    "correct horse battery " + vp.name,
	}
}

// recipeInput is what the tests type into the recipe form.
type recipeInput struct {
	title, description     string
	prep, cook, servings   string
	difficulty, visibility string
	sourceURL, tags        string
	ingredients, steps     []string
}

// TestMainFlow is a person's whole visit, at a phone and a desktop
// viewport, each against its own server: sign up, log out and in, write a
// recipe with the form, edit, find, scale and cook it, keep a second one
// private, and check as another user what they can and cannot see. Every
// distinct page is checked with axe-core and photographed.
func TestMainFlow(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			b := newTab(t, startServer(t), vp)
			mainFlow(b)
		})
	}
}

func mainFlow(b *tab) {
	ana, ben := newAccount("Ana", b.vp), newAccount("Ben", b.vp)

	// A visitor's landing page links to sign-up and log-in.
	b.open("/", 200)
	b.waitVisible(link("Sign up"))
	b.waitVisible(link("Log in"))
	b.shot("landing")
	b.checkPage("landing")

	// Sign up through the form.
	b.follow(link("Sign up"), 200)
	if p := b.path(); p != "/register" {
		b.fatalf(`"Sign up" led to %s, want /register`, p)
	}
	b.shot("register")
	b.checkPage("register")
	register(b, ana)
	b.shot("registered")

	// Log out, then log in through the form.
	logout(b)
	b.follow(link("Log in"), 200)
	if p := b.path(); !strings.HasPrefix(p, "/login") {
		b.fatalf(`"Log in" led to %s, want /login`, p)
	}
	b.shot("login")
	b.checkPage("login")
	login(b, ana)

	// Home for a signed-in user: "My recipes" and an "Everyone" tab.
	b.open("/", 200)
	b.waitJS(`"My recipes" on the home page`, `document.body.innerText.toLowerCase().includes('my recipes')`)
	b.waitVisible(css(`a[href="/?tab=everyone"]`))
	b.shot("home-empty")
	b.checkPage("home")

	// Write a recipe with the form, adding rows with the buttons as needed.
	pancakes := recipeInput{
		title:       "Buttermilk Pancakes",
		description: "Tall, soft pancakes for a slow weekend breakfast.",
		prep:        "10", cook: "20", servings: "2",
		difficulty: "easy", visibility: "public",
		sourceURL:   "https://example.com/pancakes",
		tags:        "breakfast, sweet",
		ingredients: []string{"1 1/2 cups flour", "2 eggs", "300 ml buttermilk"},
		steps: []string{
			"Whisk the flour, eggs and buttermilk into a thick batter.",
			"Cook ladlefuls in a hot buttered pan until golden on both sides.",
		},
	}
	b.open("/recipes/new", 200)
	b.waitVisible(css("#recipe-form"))
	b.checkPage("recipe new form")
	fillRecipeForm(b, pancakes, true)
	b.shot("recipe-form-filled")
	b.follow(button("Save recipe"), 200)
	id, ok := recipeIDFrom(b.path())
	if !ok {
		b.fatalf("after saving a new recipe the browser is at %s, want /recipes/{id}", b.path())
	}
	checkFlash(b, "Recipe saved")
	checkRecipePage(b, id, pancakes)
	b.shot("recipe")
	b.checkPage("recipe page")

	// Edit it: the form is filled in; change the title.
	b.follow(link("Edit"), 200)
	if p := b.path(); p != "/recipes/"+id+"/edit" {
		b.fatalf(`"Edit" led to %s, want /recipes/%s/edit`, p, id)
	}
	if v := b.text(css(`#recipe-form [name="title"]`)); v != pancakes.title {
		b.errorf("edit form: title is %q, want %q", v, pancakes.title)
	}
	got := evalJS[[]string](b, `[...document.querySelectorAll('#recipe-form [name="ingredient"]')].map(e => e.value).filter(v => v.trim() !== '')`)
	if len(got) != len(pancakes.ingredients) {
		b.errorf("edit form: ingredient rows filled in %q, want %d rows like %q", got, len(pancakes.ingredients), pancakes.ingredients)
	}
	b.shot("edit")
	b.checkPage("edit form")
	pancakes.title = "Fluffy Buttermilk Pancakes"
	b.fill(css(`#recipe-form [name="title"]`), pancakes.title)
	b.follow(button("Save recipe"), 200)
	if p := b.path(); p != "/recipes/"+id {
		b.errorf("after saving the edit the browser is at %s, want /recipes/%s", p, id)
	}
	checkFlash(b, "Recipe saved")
	if h := b.text(css("h1#recipe-title")); h != pancakes.title {
		b.errorf("after the edit the title is %q, want %q", h, pancakes.title)
	}
	b.shot("recipe-edited")

	// The "Everyone" tab of home lists it.
	b.open("/?tab=everyone", 200)
	b.waitVisible(css(`a[href="/recipes/` + id + `"]`))
	b.shot("home-everyone")

	// Find it: type into the search box and submit.
	b.open("/recipes", 200)
	b.waitVisible(css(`input[name="q"]`))
	if n := evalJS[int](b, `[...document.querySelectorAll('label')].filter(l => l.innerText.trim() === 'Search recipes' && l.control && l.control.name === 'q').length + (document.querySelector('input[name="q"]').getAttribute('aria-label') === 'Search recipes' ? 1 : 0)`); n == 0 {
		b.errorf(`browse: the q input is not labelled "Search recipes"`)
	}
	search(b, "buttermilk pancakes")
	if !slices.Contains(resultLinks(b), "/recipes/"+id) {
		b.errorf("search for %q: #results links %q, want /recipes/%s", "buttermilk pancakes", resultLinks(b), id)
	}
	b.shot("search-results")
	b.checkPage("browse/search")

	// Scale it: double the servings; the quantities follow at once.
	b.follow(css(`#results a.recipe-card-link[href="/recipes/`+id+`"]`), 200)
	scaleServings(b, "4", []string{"3", "4", "600"})
	b.shot("recipe-scaled")

	// Cook mode: one step at a time, by button and by keyboard.
	b.open("/recipes/"+id, 200)
	b.follow(link("Cook mode"), 200)
	if p := b.path(); !strings.HasPrefix(p, "/recipes/"+id+"/cook") {
		b.fatalf(`"Cook mode" led to %s, want /recipes/%s/cook`, p, id)
	}
	cookMode(b, pancakes.steps)

	// The delete confirmation (not confirmed here).
	b.open("/recipes/"+id, 200)
	b.follow(link("Delete"), 200)
	if p := b.path(); p != "/recipes/"+id+"/delete" {
		b.fatalf(`"Delete" led to %s, want /recipes/%s/delete`, p, id)
	}
	b.waitVisible(button("Delete recipe"))
	b.shot("delete-confirm")
	b.checkPage("delete confirmation")

	// Profile, settings, about.
	b.open("/u/"+ana.username, 200)
	b.waitVisible(css(`a[href="/recipes/` + id + `"]`))
	b.shot("profile")
	b.checkPage("profile")
	b.open("/settings", 200)
	b.waitVisible(button("Create token"))
	if n := b.count(`form input[name="password"], form input[type="password"]`); n == 0 {
		b.errorf("settings: no password form")
	}
	b.shot("settings")
	b.checkPage("settings")
	b.open("/about", 200)
	b.waitVisible(css("h1"))
	b.shot("about")
	b.checkPage("about")

	// An unknown page: a friendly 404 with a link home.
	b.open("/no/such/page", 404)
	checkNotFound(b)
	b.shot("not-found")
	b.checkPage("404")

	// A second recipe, private.
	secret := recipeInput{
		title:       "Grandmother's Secret Plum Dumplings",
		servings:    "4",
		visibility:  "private",
		ingredients: []string{"12 plums", "500 g potato dough"},
		steps:       []string{"Wrap each plum in dough and simmer for ten minutes."},
	}
	b.open("/recipes/new", 200)
	fillRecipeForm(b, secret, true)
	b.follow(button("Save recipe"), 200)
	secretID, ok := recipeIDFrom(b.path())
	if !ok {
		b.fatalf("after saving the private recipe the browser is at %s, want /recipes/{id}", b.path())
	}
	checkFlash(b, "Recipe saved")
	if h := b.text(css("h1#recipe-title")); h != secret.title {
		b.errorf("private recipe: title %q, want %q", h, secret.title)
	}
	b.shot("private-recipe")
	logout(b)

	// Ben signs up and sees Ana's public recipe, but not the private one.
	b.follow(link("Sign up"), 200)
	register(b, ben)
	b.open("/recipes/"+id, 200)
	if h := b.text(css("h1#recipe-title")); h != pancakes.title {
		b.errorf("Ben sees Ana's public recipe titled %q, want %q", h, pancakes.title)
	}
	b.shot("other-user-public-recipe")
	b.open("/recipes/"+secretID, 404)
	checkNotFound(b)
	if strings.Contains(b.bodyText(), secret.title) {
		b.errorf("the 404 page for Ana's private recipe shows its title to Ben")
	}
	b.shot("other-user-private-recipe")
	b.open("/recipes", 200)
	search(b, secret.title)
	if links := resultLinks(b); slices.Contains(links, "/recipes/"+secretID) {
		b.errorf("Ben's search for %q lists Ana's private recipe: %q", secret.title, links)
	}
	if strings.Contains(evalJS[string](b, `document.querySelector('#results').innerText`), secret.title) {
		b.errorf("Ben's search results show the private recipe's title")
	}
	b.shot("other-user-search")
	b.open("/u/"+ana.username, 200)
	b.waitVisible(css(`a[href="/recipes/` + id + `"]`))
	if b.count(`a[href="/recipes/`+secretID+`"]`) > 0 {
		b.errorf("Ana's profile shows Ben a link to her private recipe")
	}
	logout(b)

	// Ana deletes the private recipe; it is gone for her too.
	b.follow(link("Log in"), 200)
	login(b, ana)
	b.open("/recipes/"+secretID+"/delete", 200)
	b.follow(button("Delete recipe"), 200)
	checkFlash(b, "Recipe deleted")
	if p := b.path(); p != "/" && !strings.HasPrefix(p, "/?") {
		b.errorf("after deleting, the browser is at %s, want home", p)
	}
	b.shot("deleted")
	b.open("/recipes/"+secretID, 404)
	logout(b)

	// A visitor's landing page lists the newest public recipes.
	b.open("/", 200)
	b.waitVisible(css(`a[href="/recipes/` + id + `"]`))
	b.shot("landing-with-recipes")
}

// register fills in and submits the sign-up form on the current page, and
// checks the new user is signed in.
func register(b *tab, a account) {
	b.t.Helper()
	b.fill(css(`input[name="username"]`), a.username)
	b.fill(css(`input[name="email"]`), a.email)
	b.fill(css(`input[name="display_name"]`), a.displayName)
	b.fill(css(`input[name="password"]`), a.password)
	b.follow(button("Create account"), 200)
	b.waitVisible(button("Log out"))
}

// login fills in and submits the log-in form on the current page, and
// checks the user is signed in.
func login(b *tab, a account) {
	b.t.Helper()
	b.fill(css(`input[name="login"]`), a.username)
	b.fill(css(`input[name="password"]`), a.password)
	b.follow(byText(`form button[type=submit], form input[type=submit], form button:not([type])`, "Log in"), 200)
	b.waitVisible(button("Log out"))
}

// logout presses "Log out" in the header and checks the visitor's links
// are back.
func logout(b *tab) {
	b.t.Helper()
	b.follow(button("Log out"), 200)
	b.waitVisible(link("Log in"))
	if b.count(`form[action="/logout"] button`) > 0 {
		b.errorf(`still a "Log out" button after logging out`)
	}
}

// fillRecipeForm fills the recipe form on the current page. withJS says
// whether to add ingredient and step rows with the "Add ingredient" and
// "Add step" buttons when there are too few.
func fillRecipeForm(b *tab, r recipeInput, withJS bool) {
	b.t.Helper()
	b.waitVisible(css("#recipe-form"))
	b.fill(css(`#recipe-form [name="title"]`), r.title)
	if r.description != "" {
		b.fill(css(`#recipe-form [name="description"]`), r.description)
	}
	for name, v := range map[string]string{"prep_minutes": r.prep, "cook_minutes": r.cook, "servings": r.servings, "source_url": r.sourceURL, "tags": r.tags} {
		if v != "" {
			b.fill(css(`#recipe-form [name="`+name+`"]`), v)
		}
	}
	if r.difficulty != "" {
		b.choose(css(`#recipe-form select[name="difficulty"]`), r.difficulty)
	}
	b.choose(css(`#recipe-form select[name="visibility"]`), r.visibility)
	fillRows(b, "ingredient", "add-ingredient", r.ingredients, withJS)
	fillRows(b, "step", "add-step", r.steps, withJS)
}

// fillRows types lines into the repeated inputs named name. With
// JavaScript it first adds rows with the button addID: as many as are
// missing, and at least one (the server ignores empty rows).
func fillRows(b *tab, name, addID string, lines []string, withJS bool) {
	b.t.Helper()
	q := `#recipe-form [name="` + name + `"]`
	if withJS {
		// The button shows once the form's script has run and dropped
		// the blank rows it does not need; count the rows after that.
		b.waitVisible(css("#" + addID))
	}
	for have, added := b.count(q), false; have < len(lines) || withJS && !added; have, added = b.count(q), true {
		if !withJS {
			b.fatalf("the form has %d %s rows without JavaScript, want at least %d", have, name, len(lines))
		}
		b.click(css("#" + addID))
		b.waitJS(fmt.Sprintf("a new %s row after pressing #%s", name, addID),
			fmt.Sprintf(`document.querySelectorAll(%s).length > %d`, js(q), have))
	}
	for i, line := range lines {
		b.fill(nth(q, i), line)
	}
	for i := len(lines); i < b.count(q); i++ {
		if v := evalJS[string](b, fmt.Sprintf(`document.querySelectorAll(%s)[%d].value`, js(q), i)); v != "" {
			b.fill(nth(q, i), "")
		}
	}
}

// checkFlash checks the status message after a redirect.
func checkFlash(b *tab, want string) {
	b.t.Helper()
	b.waitVisible(css("#flash"))
	if got := b.text(css("#flash")); !strings.Contains(got, want) {
		b.errorf("#flash says %q, want %q", got, want)
	}
	if role, _ := b.attr("#flash", "role"); role != "status" {
		b.errorf(`#flash has role=%q, want "status"`, role)
	}
}

// checkRecipePage checks the recipe page shows what was typed.
func checkRecipePage(b *tab, id string, r recipeInput) {
	b.t.Helper()
	if h := b.text(css("h1#recipe-title")); h != r.title {
		b.errorf("recipe page: h1#recipe-title is %q, want %q", h, r.title)
	}
	items := b.texts("ul#ingredients li.ingredient")
	if len(items) != len(r.ingredients) {
		b.errorf("recipe page: ingredients %q, want %d", items, len(r.ingredients))
	}
	for _, word := range []string{"flour", "eggs", "buttermilk"} {
		if !slices.ContainsFunc(items, func(s string) bool { return strings.Contains(s, word) }) {
			b.errorf("recipe page: no ingredient with %q in %q", word, items)
		}
	}
	if qty := b.texts("ul#ingredients li.ingredient span.qty"); !slices.Equal(qty, []string{"1½", "2", "300"}) {
		b.errorf(`recipe page: span.qty %q, want ["1½" "2" "300"]`, qty)
	}
	steps := b.texts("ol#steps > li")
	if len(steps) != len(r.steps) {
		b.errorf("recipe page: steps %q, want %d", steps, len(r.steps))
	}
	for i := range min(len(steps), len(r.steps)) {
		if !strings.Contains(steps[i], r.steps[i]) {
			b.errorf("recipe page: step %d is %q, want %q", i+1, steps[i], r.steps[i])
		}
	}
	for text, href := range map[string]string{"Edit": "/recipes/" + id + "/edit", "Delete": "/recipes/" + id + "/delete", "Cook mode": "/recipes/" + id + "/cook"} {
		got := evalJS[string](b, fmt.Sprintf(`(%s)?.getAttribute('href') ?? ''`, link(text).expr))
		if got != href {
			b.errorf("recipe page: link %q goes to %q, want %q", text, got, href)
		}
	}
	if evalJS[bool](b, `(`+button("Print").expr+`) === null`) {
		b.errorf(`recipe page: no visible "Print" button`)
	}
	if og, _ := b.attr(`meta[property="og:title"]`, "content"); !strings.Contains(og, r.title) {
		b.errorf("recipe page: og:title %q, want it to contain %q", og, r.title)
	}
	raw := evalJS[string](b, `document.querySelector('script[type="application/ld+json"]')?.textContent ?? ''`)
	var ld map[string]any
	if err := json.Unmarshal([]byte(raw), &ld); err != nil {
		b.errorf("recipe page: JSON-LD %q: %v", shorten(raw), err)
	} else {
		typ := fmt.Sprint(ld["@type"])
		if typ != "Recipe" && !strings.Contains(typ, "Recipe") {
			b.errorf("recipe page: JSON-LD @type %q, want Recipe", typ)
		}
		if ld["name"] != r.title {
			b.errorf("recipe page: JSON-LD name %v, want %q", ld["name"], r.title)
		}
		if ing, _ := ld["recipeIngredient"].([]any); len(ing) != len(r.ingredients) {
			b.errorf("recipe page: JSON-LD recipeIngredient %v, want %d", ld["recipeIngredient"], len(r.ingredients))
		}
	}
	if c := evalJS[int](b, `document.querySelectorAll('#servings').length`); c != 1 {
		b.errorf("recipe page: %d #servings controls, want 1", c)
	} else if typ, _ := b.attr("#servings", "type"); typ != "number" {
		b.errorf(`recipe page: #servings has type %q, want "number"`, typ)
	} else if f := evalJS[string](b, `(f => f ? (f.method || 'get').toLowerCase() : 'none')(document.querySelector('#servings').form)`); f != "get" {
		b.errorf("recipe page: #servings is in a form with method %q, want a GET form", f)
	}
}

// search types q into the search box and submits it with Enter (see
// updateResults).
func search(b *tab, q string) {
	b.t.Helper()
	updateResults(b, "search results for "+q, func() {
		b.fill(css(`input[name="q"]`), q)
	}, func() {
		b.press(kb.Enter)
	})
	b.waitJS("the search box to keep "+q, fmt.Sprintf(`document.querySelector('input[name="q"]')?.value === %s`, js(q)))
}

// updateResults runs edit (typing into the search form) and submit, and
// waits for #results to be new, by a page load or by an in-page update
// (htmx), and for the page to settle: no request in flight and no update
// for 450 ms, as a search-as-you-type request may land after the submit's.
func updateResults(b *tab, what string, edit, submit func()) {
	b.t.Helper()
	b.mark()
	evalJS[bool](b, `(() => {
		const r = document.querySelector('#results');
		if (r) r.dataset.reccOld = '1';
		window.__reccSwapped = 0;
		document.addEventListener('htmx:afterSettle', () => { window.__reccSwapped = Date.now() });
		return true;
	})()`)
	edit()
	evalJS[bool](b, `(window.__reccSubmitted = Date.now(), true)`)
	submit()
	b.waitJS(what, `(`+unmarkedJS+` || !document.querySelector('#results')?.dataset.reccOld) && document.querySelector('#results') && document.readyState === 'complete'`)
	b.waitJS(what+" to settle", `!document.querySelector('.htmx-request') && Date.now() - Math.max(window.__reccSwapped || 0, window.__reccSubmitted || 0) > 450`)
}

// resultLinks are the paths of the recipe links in #results.
func resultLinks(b *tab) []string {
	b.t.Helper()
	return evalJS[[]string](b, `[...document.querySelectorAll('#results a.recipe-card-link')].map(a => a.getAttribute('href'))`)
}

// scaleServings sets #servings on the recipe page and waits for the
// quantities, in place (JavaScript), to become want.
func scaleServings(b *tab, servings string, want []string) {
	b.t.Helper()
	b.waitVisible(css("#servings"))
	before := b.texts("ul#ingredients span.qty")
	b.mark()
	b.do("select the servings", nil, chromedp.Focus(css("#servings").path()))
	evalJS[bool](b, `(document.querySelector('#servings').select(), true)`)
	b.do("type the servings", nil, chromedp.SendKeys(css("#servings").path(), servings))
	cond := fmt.Sprintf(`JSON.stringify([...document.querySelectorAll('ul#ingredients span.qty')].map(e => e.innerText.trim())) === %s`, js(mustJSON(want)))
	if err := b.poll(cond, testutil.Scaled(1500*time.Millisecond)); err != nil {
		// Not on input: perhaps on change, which leaving the field fires.
		b.press(kb.Tab)
		if err := b.poll(cond, actionTimeout); err != nil {
			b.fatalf("after setting #servings to %s, span.qty went from %q to %q, want %q", servings, before, b.texts("ul#ingredients span.qty"), want)
		}
		b.t.Logf("[%s] span.qty rescaled only when #servings lost focus (change), not while typing (input)", b.vp.name)
	}
	if !evalJS[bool](b, `window.__reccMark === true`) {
		b.errorf("setting #servings reloaded the page; with JavaScript it should rescale in place")
	}
}

// cookMode checks cook mode shows one step at a time and moves with the
// "Next step"/"Previous step" controls and the arrow keys.
func cookMode(b *tab, steps []string) {
	b.t.Helper()
	n := len(steps)
	atStep := func(i int) string {
		// (lower-cased: CSS may show the counter in capitals)
		// The page may have loaded anew: wait for its scripts too.
		return fmt.Sprintf(`document.readyState === 'complete' && document.body.innerText.toLowerCase().includes(%s) && %s.includes(%s)`,
			js(fmt.Sprintf("step %d of %d", i, n)), shownStepJS, js(steps[i-1]))
	}
	b.waitVisible(css(".cook-step"))
	b.waitJS("Step 1 of 2", atStep(1))
	if strings.Contains(b.text(css(".cook-step")), steps[1]) {
		b.errorf("cook mode shows step 2 together with step 1")
	}
	b.shot("cook-step-1")
	b.checkPage("cook mode")
	b.click(buttonOrLink("Next step"))
	b.waitJS("Step 2 of 2 after \"Next step\"", atStep(2))
	b.shot("cook-step-2")
	b.press(kb.ArrowLeft)
	b.waitJS("Step 1 of 2 after ArrowLeft", atStep(1))
	b.press(kb.ArrowRight)
	b.waitJS("Step 2 of 2 after ArrowRight", atStep(2))
	b.click(buttonOrLink("Previous step"))
	b.waitJS("Step 1 of 2 after \"Previous step\"", atStep(1))
}

// checkNotFound checks the current page is the friendly 404 page.
func checkNotFound(b *tab) {
	b.t.Helper()
	h := b.text(css("h1"))
	if !strings.Contains(strings.ToLower(h), "not found") {
		b.errorf("404 page: h1 %q, want \"Not found\"", h)
	}
	if b.count(`main a[href="/"], a[href="/"]`) == 0 {
		b.errorf("404 page: no link home")
	}
	if ct := evalJS[string](b, `document.contentType`); ct != "text/html" {
		b.errorf("404 page: content type %q, want text/html", ct)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
