package browsertest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/reccollection/reccollection/internal/testutil"
)

// shownStepJS is the text of the cook mode step on show.
const shownStepJS = `([...document.querySelectorAll('.cook-step')].find(e => !e.hidden)?.textContent ?? '')`

// cookRecipe has five steps; step 3 times a simmer short enough to wait
// for, and most steps name some of the ingredients.
var cookRecipe = map[string]any{
	"title": "Shakshuka", "servings": 2, "visibility": "public",
	"ingredients": []string{"2 tbsp olive oil", "1 onion", "400 g canned tomatoes", "1 tsp salt", "4 eggs"},
	"steps": []string{
		"Warm the oil in a wide pan.",
		"Soften the onion in the pan.",
		"Add the tomatoes. Simmer for 2 seconds.",
		"Season with the salt.",
		"Crack in the eggs, cover and cook for 5 minutes.",
	},
}

// cookSpies stand in for the device: navigator.vibrate records its
// patterns, and every oscillator started (the timer's beep) is counted.
// They are set before the page's own scripts run.
const cookSpies = `
window.__vibrations = [];
Object.defineProperty(Navigator.prototype, 'vibrate', {configurable: true, value: function (p) { window.__vibrations.push(JSON.stringify(p)); return true; }});
window.__beeps = 0;
const __start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...a) { window.__beeps++; return __start.apply(this, a); };
`

// TestCookMode cooks a recipe as a person would at a phone and at a
// desktop: steps change in place (buttons, arrow keys, swipes on the
// phone) while a timer started on step 3 runs on and ends with a sound,
// a vibration and an alert naming its step; each step shows the
// ingredients it uses; ticks survive a reload.
func TestCookMode(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServer(t, "sqlite")
			id := seedCookRecipe(t, srv)
			b := newTab(t, srv.URL, vp)
			touch := vp.mobile
			if touch {
				b.call("enable touch", func(ctx context.Context) error {
					_, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 1})
					return err
				})
			}
			b.call("install the spies", func(ctx context.Context) error {
				_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cookSpies})
				return err
			})
			steps := cookRecipe["steps"].([]string)
			path := "/recipes/" + id + "/cook"
			b.open(path, 200)
			atStep := func(n int) {
				b.t.Helper()
				b.waitJS(fmt.Sprintf("step %d of 5", n), fmt.Sprintf(`document.body.innerText.toLowerCase().includes(%s) && %s.includes(%s) && (new URLSearchParams(location.search).get('step') ?? '1') === '%d'`,
					js(fmt.Sprintf("step %d of 5", n)), shownStepJS, js(steps[n-1]), n))
				if n := evalJS[int](b, `[...document.querySelectorAll('.cook-step')].filter(e => e.checkVisibility()).length`); n != 1 {
					b.errorf("%d steps shown at once, want 1", n)
				}
			}
			atStep(1)

			// No site header or footer; a way back to the recipe.
			if n := b.count("header.site-header, footer.site-footer"); n != 0 {
				b.errorf("cook mode shows the site's header or footer (%d)", n)
			}
			if href, _ := b.attr("a.cook-back", "href"); href != "/recipes/"+id {
				b.errorf("the way back links to %q, want /recipes/%s", href, id)
			}
			// The hint says what moves between steps here.
			hint := b.text(css("[data-cook-hint]"))
			if touch != strings.Contains(hint, "Swipe") || (!touch && !strings.Contains(hint, "← and →")) {
				b.errorf("the hint reads %q on a %s (touch %v)", hint, vp.name, touch)
			}
			b.shot("step-1")
			b.checkPage("cook mode")

			// Steps change in place: the mark on this document survives.
			b.mark()
			b.click(link("Next step"))
			atStep(2)
			if focused := evalJS[string](b, `document.activeElement?.textContent.trim() ?? ''`); focused != "Next step" {
				b.errorf("after \"Next step\", focus is on %q, want the button still", focused)
			}
			b.press(kb.ArrowRight)
			atStep(3)
			if got := b.texts(".cook-step:not([hidden]) .cook-uses li"); !slices.Equal(got, []string{"400 g canned tomatoes"}) {
				b.errorf("step 3 uses %q, want the tomatoes", got)
			}

			// A timer started on step 3 runs on while we move to step 5.
			b.click(button("Start 2 sec timer"))
			// (On a slow machine it may have ended already.)
			b.waitJS("the timer in the tray, or its end", `document.querySelector('.timer') || document.querySelector('[role=alert]')`)
			if name := evalJS[string](b, `document.querySelector('.timer-name')?.innerText ?? 'Step 3: simmer'`); name != "Step 3: simmer" {
				b.errorf("the timer is named %q, want \"Step 3: simmer\"", name)
			}
			b.shot("timer-running")
			b.press(kb.ArrowRight)
			atStep(4)
			b.click(link("Next step"))
			atStep(5)
			// A second timer runs beside the first and outlives its end.
			b.click(button("Start 5 min timer"))
			b.waitJS("the timer's alert", `!!document.querySelector('[role=alert]')`)
			if names := b.texts(".timer-name"); !slices.Equal(names, []string{"Step 5: cook"}) {
				b.errorf("timers running after step 3's ended: %q, want step 5's", names)
			}
			alert := evalJS[string](b, `document.querySelector('[role=alert] p').innerText + '|' + `+shownStepJS)
			if msg, shown, _ := strings.Cut(alert, "|"); msg != "Step 3 timer done: simmer" || !strings.Contains(shown, steps[4]) {
				b.errorf("alert %q with step %q shown, want \"Step 3 timer done: simmer\" on step 5", msg, shown)
			}
			if v := evalJS[[]string](b, `window.__vibrations`); len(v) == 0 {
				b.errorf("the timer's end did not vibrate")
			}
			if n := evalJS[int](b, `window.__beeps`); n == 0 {
				b.errorf("the timer's end made no sound")
			}
			if !evalJS[bool](b, `window.__reccMark === true`) {
				b.errorf("moving between steps loaded a new page")
			}
			if got := b.texts(".cook-step:not([hidden]) .cook-uses li"); !slices.Equal(got, []string{"4 eggs"}) {
				b.errorf("step 5 uses %q, want the eggs", got)
			}
			b.shot("timer-done")
			b.checkPage("cook mode, a timer done")
			b.click(button("Dismiss"))
			if b.count("[role=alert]") != 0 {
				b.errorf("the alert stayed after Dismiss")
			}
			b.click(button("Pause step 5 cook timer"))
			b.waitJS("step 5's timer paused", `document.querySelector('.timer')?.classList.contains('is-paused')`)
			if l := b.text(css(".timer button")); l != "Resume" {
				b.errorf("a paused timer's button reads %q, want Resume", l)
			}
			b.click(button("Cancel step 5 cook timer"))
			b.waitJS("the tray gone with its last timer", `document.querySelector('[data-timer-tray]').hidden && !document.querySelector('.timer')`)

			// Ticks: the eggs of step 5 are the eggs of the full list, and
			// both stay ticked over a reload, as does the step.
			b.click(css(`.cook-step:not([hidden]) label[for="s5-ing-4"]`))
			b.click(css(`label[for="step-done-5"]`))
			ticked := `document.getElementById('s5-ing-4').checked && document.getElementById('ing-4').checked && document.getElementById('step-done-5').checked && !document.getElementById('ing-0').checked`
			b.waitJS("the eggs and step 5 ticked", ticked)
			b.open(path+"?step=5", 200)
			atStep(5)
			b.waitJS("the ticks kept over a reload", ticked)
			// By keyboard: Space ticks the focused box.
			b.focus("#step-done-5")
			b.press(" ")
			b.waitJS("step 5 unticked with Space", `!document.getElementById('step-done-5').checked`)
			// Everything unticked at once, and so after a reload.
			b.click(button("Untick everything"))
			b.waitJS("every box unticked", `[...document.querySelectorAll('[data-tick]')].every(b => !b.checked)`)
			b.open(path+"?step=5", 200)
			atStep(5)
			if evalJS[bool](b, `[...document.querySelectorAll('[data-tick]')].some(b => b.checked)`) {
				b.errorf("a box is ticked after \"Untick everything\" and a reload")
			}

			// Back by the arrow key and the button.
			b.press(kb.ArrowLeft)
			atStep(4)
			b.click(link("Previous step"))
			atStep(3)
			if touch {
				b.mark()
				b.swipe(-200)
				atStep(4)
				b.swipe(200)
				atStep(3)
				if !evalJS[bool](b, `window.__reccMark === true`) {
					b.errorf("swiping loaded a new page")
				}
			}
			b.shot("step-3")
		})
	}
}

// TestCookModeNoJavaScript steps through cook mode as links, with the
// scale carried along, and ticks boxes that simply do not persist.
func TestCookModeNoJavaScript(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := testutil.StartServer(t, "sqlite")
	id := seedCookRecipe(t, srv)
	b := newTab(t, srv.URL, phone)
	b.setJavaScript(false)
	b.open("/recipes/"+id+"/cook?servings=4", 200)
	steps := cookRecipe["steps"].([]string)
	for n := 1; n <= 5; n++ {
		if shown := evalJS[string](b, shownStepJS); !strings.Contains(shown, steps[n-1]) {
			b.errorf("step %d shows %q", n, shown)
		}
		if n == 3 {
			if got := b.texts(".cook-step:not([hidden]) .cook-uses li"); !slices.Equal(got, []string{"800 g canned tomatoes"}) {
				b.errorf("step 3 at 4 servings uses %q, want the scaled tomatoes", got)
			}
			if evalJS[bool](b, `!!document.querySelector('.timer-start')?.checkVisibility()`) {
				b.errorf("a timer button shows without the script that runs it")
			}
			b.shot("step-3")
			b.checkPage("cook mode without JavaScript")
		}
		if n < 5 {
			b.follow(link("Next step"), 200)
			if p := b.path(); !strings.Contains(p, fmt.Sprintf("step=%d", n+1)) || !strings.Contains(p, "servings=4") {
				b.errorf("\"Next step\" led to %s", p)
			}
		}
	}
	b.follow(link("Previous step"), 200)
	if !strings.Contains(evalJS[string](b, shownStepJS), steps[3]) {
		b.errorf("\"Previous step\" from step 5 shows %q", evalJS[string](b, shownStepJS))
	}
	b.follow(link("Next step"), 200)
	b.follow(link("Done"), 200)
	if p := b.path(); p != "/recipes/"+id+"?servings=4" {
		b.errorf("Done led to %s, want the recipe at 4 servings", p)
	}
}

// call runs one DevTools command for the test's set-up.
func (b *tab) call(what string, fn func(ctx context.Context) error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if err := fn(ctx); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// focus moves the keyboard focus to the element with the CSS selector.
func (b *tab) focus(selector string) {
	b.t.Helper()
	if !evalJS[bool](b, fmt.Sprintf(`(e => { e?.focus(); return !!e && document.activeElement === e })(document.querySelector(%s))`, js(selector))) {
		b.fatalf("could not focus %s", selector)
	}
}

// swipe drags one finger sideways by dx CSS pixels across the middle of
// the screen, in steps, as a real swipe sends its touch events.
func (b *tab) swipe(dx float64) {
	b.t.Helper()
	x0, y := float64(b.vp.width)/2-dx/2, float64(b.vp.height)/2
	b.call("swipe", func(ctx context.Context) error {
		send := func(typ input.DispatchTouchEventType, x float64) error {
			p := input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{}}
			if typ != input.DispatchTouchEventTypeTouchEnd {
				p.TouchPoints = []*input.TouchPoint{{X: x, Y: y}}
			}
			_, err := chromedp.Call(ctx, input.DispatchTouchEvent, p)
			return err
		}
		if err := send(input.DispatchTouchEventTypeTouchStart, x0); err != nil {
			return err
		}
		for i := 1; i <= 5; i++ {
			if err := send(input.DispatchTouchEventTypeTouchMove, x0+dx*float64(i)/5); err != nil {
				return err
			}
		}
		return send(input.DispatchTouchEventTypeTouchEnd, 0)
	})
}

// seedCookRecipe creates cookRecipe through the API and returns its id.
func seedCookRecipe(t *testing.T, srv *testutil.Server) string {
	t.Helper()
	post := apiPoster(t, srv)
	post("/api/v1/auth/register", map[string]string{
		"username": "cook", "email": "cook@example.com", "password": "a long passphrase", "display_name": "Cam Cook",
	})
	r := post("/api/v1/recipes", cookRecipe)
	id, _ := r["id"].(string)
	if id == "" {
		t.Fatalf("created recipe has no id: %v", r)
	}
	return id
}
