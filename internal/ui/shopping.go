package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Shopping lists: the household's lists (/shopping), one list
// (/shopping/{id}) grouped by aisle with a tick per line, and the page
// that adds a recipe or a week's plan to a list (/shopping/add). Every
// action is a plain form that works without scripts; shopping.js ticks
// without reloading, follows the others' ticks live (GET
// /shopping/{id}/events, server-sent events) and keeps ticks made without
// signal until the phone is back online.

// shoppingIndexView is the lists page's data.
type shoppingIndexView struct {
	Household string
	Lists     []planner.ListSummary
	Error     string
	Name      string // the create form as sent
}

// aisleGroup is one aisle's lines on a list.
type aisleGroup struct {
	Key, Label string
	Lines      []shoppingLine
}

// shoppingLine is one line as the template draws it: the line, its
// list, the aisles to move it to, and its sources that have a title
// (one typed by hand names no recipe).
type shoppingLine struct {
	ListID  string
	Item    planner.Item
	Sources []planner.Source
	Choices []planner.Aisle
}

// shoppingView is a list page's data.
type shoppingView struct {
	List    *planner.List
	Aisles  []aisleGroup // the unticked lines, in shop order
	Checked []shoppingLine
	Error   string
	Text    string // the add form as sent
	// Week is this week's Monday, for "add the week's plan".
	Week string
	// Offline are the pages a phone keeps for the shop: the week's plan
	// and the recipes on the list the caller may open.
	Offline []string
}

// shoppingIndex is GET /shopping.
func (u *UI) shoppingIndex(w http.ResponseWriter, r *http.Request) {
	me := u.plannerUser(w, r)
	if me == nil {
		return
	}
	u.showShoppingIndex(w, r, me, http.StatusOK, nil)
}

func (u *UI) showShoppingIndex(w http.ResponseWriter, r *http.Request, me *auth.User, status int, fill func(*shoppingIndexView)) {
	lists, err := u.store.ShoppingLists(r.Context(), me.ID, u.invitations.Now())
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	h, err := u.store.Household(r.Context(), me.ID, u.invitations.Now())
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v := &shoppingIndexView{Household: h.Name, Lists: lists}
	if fill != nil {
		fill(v)
	}
	u.render(w, r, status, "shopping_lists", &page{Title: "Shopping lists", Data: v})
}

// shoppingMessage is what a member is told when the store refused a
// list change: the message and its status; ok false for errors that are
// no one's input (those are the error page's).
func shoppingMessage(err error) (status int, msg string, ok bool) {
	var ve *validate.Error
	switch {
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, fieldsMessage(ve) + ".", true
	case errors.Is(err, store.ErrTooManyLists):
		return http.StatusConflict, planner.TooManyListsMessage, true
	case errors.Is(err, store.ErrListFull):
		return http.StatusConflict, planner.ListFullMessage, true
	}
	return 0, "", false
}

// createShoppingList is POST /shopping.
func (u *UI) createShoppingList(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	name := r.PostForm.Get("name")
	l, err := u.store.CreateShoppingList(r.Context(), me.ID, name, u.invitations.Now())
	if err != nil {
		status, msg, ok := shoppingMessage(err)
		if !ok {
			u.serverError(w, r, err)
			return
		}
		u.showShoppingIndex(w, r, me, status, func(v *shoppingIndexView) { v.Error, v.Name = msg, name })
		return
	}
	u.redirect(w, r, "/shopping/"+l.ID, "list-created")
}

// shoppingPage is GET /shopping/{id}.
func (u *UI) shoppingPage(w http.ResponseWriter, r *http.Request) {
	me := u.plannerUser(w, r)
	if me == nil {
		return
	}
	u.showShopping(w, r, me, r.PathValue("id"), http.StatusOK, nil)
}

func (u *UI) showShopping(w http.ResponseWriter, r *http.Request, me *auth.User, id string, status int, fill func(*shoppingView)) {
	l, err := u.store.ShoppingList(r.Context(), me.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(w, r)
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	now := u.invitations.Now().UTC()
	v := &shoppingView{List: l, Week: planner.WeekOf(now).Format(planner.DayLayout), Offline: []string{"/plan"}}
	at := map[string]int{}
	seen := map[string]bool{}
	for _, it := range l.Lines {
		for _, s := range it.Sources {
			if s.RecipeID != "" && !seen[s.RecipeID] {
				seen[s.RecipeID] = true
				v.Offline = append(v.Offline, "/recipes/"+s.RecipeID)
			}
		}
		line := shoppingLine{ListID: l.ID, Item: it, Choices: planner.Aisles}
		for _, s := range it.Sources {
			if s.Title != "" {
				line.Sources = append(line.Sources, s)
			}
		}
		if it.Checked {
			v.Checked = append(v.Checked, line)
			continue
		}
		i, ok := at[it.Aisle]
		if !ok {
			i = len(v.Aisles)
			at[it.Aisle] = i
			v.Aisles = append(v.Aisles, aisleGroup{Key: it.Aisle, Label: planner.AisleLabel(it.Aisle)})
		}
		v.Aisles[i].Lines = append(v.Aisles[i].Lines, line)
	}
	if fill != nil {
		fill(v)
	}
	u.render(w, r, status, "shopping", &page{Title: l.Name + " · Shopping", Data: v})
}

// changeShoppingList is POST /shopping/{id}: add a line as typed
// (action=add), rename, clear the ticked lines, or delete the list.
func (u *UI) changeShoppingList(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	id, now, f := r.PathValue("id"), u.invitations.Now(), r.PostForm
	back := "/shopping/" + id
	var err error
	flash := ""
	switch f.Get("action") {
	case "add":
		_, err = u.store.AddShoppingItem(r.Context(), me.ID, id, f.Get("text"), now)
		back += "#add"
	case "rename":
		_, err = u.store.RenameShoppingList(r.Context(), me.ID, id, f.Get("name"), now)
		flash = "list-renamed"
	case "clear":
		_, err = u.store.ClearCheckedItems(r.Context(), me.ID, id, now)
		flash = "list-cleared"
	case "delete":
		err, back, flash = u.store.DeleteShoppingList(r.Context(), me.ID, id, now), "/shopping", "list-deleted"
	default:
		err = validate.Errors{{Field: "action", Message: "is not one this form has"}}.Err()
	}
	if err != nil {
		u.shoppingFailed(w, r, me, id, err, func(v *shoppingView) { v.Text = f.Get("text") })
		return
	}
	u.redirect(w, r, back, flash)
}

// shoppingFailed answers a refused list form: the list again with the
// message, 404 for a list that is not the caller's household's, or the
// error page.
func (u *UI) shoppingFailed(w http.ResponseWriter, r *http.Request, me *auth.User, id string, err error, fill func(*shoppingView)) {
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(w, r)
		return
	}
	status, msg, ok := shoppingMessage(err)
	if !ok {
		u.serverError(w, r, err)
		return
	}
	u.showShopping(w, r, me, id, status, func(v *shoppingView) {
		if fill != nil {
			fill(v)
		}
		v.Error = msg
	})
}

// changeShoppingLine is POST /shopping/{id}/lines/{lineID}: tick,
// untick, remove, or file under the aisle sent (action=aisle).
func (u *UI) changeShoppingLine(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	id, line, now, f := r.PathValue("id"), r.PathValue("lineID"), u.invitations.Now(), r.PostForm
	var err error
	switch action := f.Get("action"); action {
	case "tick", "untick":
		checked := action == "tick"
		_, err = u.store.ChangeShoppingItem(r.Context(), me.ID, id, line, store.ItemChange{Checked: &checked}, now)
	case "aisle":
		aisle := f.Get("aisle")
		_, err = u.store.ChangeShoppingItem(r.Context(), me.ID, id, line, store.ItemChange{Aisle: &aisle}, now)
	case "remove":
		err = u.store.DeleteShoppingItem(r.Context(), me.ID, id, line, now)
	default:
		err = validate.Errors{{Field: "action", Message: "is not one this form has"}}.Err()
	}
	if err != nil {
		u.shoppingFailed(w, r, me, id, err, nil)
		return
	}
	u.redirect(w, r, "/shopping/"+id, "")
}

// shoppingAddView is the data of the page that adds a recipe or a week
// to a list.
type shoppingAddView struct {
	// RecipeID and RecipeTitle name the recipe to add; Week (a Monday)
	// the plan's week instead.
	RecipeID, RecipeTitle string
	Week, WeekTitle       string
	Servings              string
	Lists                 []planner.ListSummary
	ListID                string
	Staples               bool
	Error                 string
}

// shoppingAddPage is GET /shopping/add?recipe=ID[&servings=N] or
// ?week=YYYY-MM-DD: which list, at what servings, with the staples or
// not.
func (u *UI) shoppingAddPage(w http.ResponseWriter, r *http.Request) {
	me := u.plannerUser(w, r)
	if me == nil {
		return
	}
	q := r.URL.Query()
	u.showShoppingAdd(w, r, me, http.StatusOK, shoppingAddView{RecipeID: q.Get("recipe"), Week: q.Get("week"), Servings: q.Get("servings")})
}

func (u *UI) showShoppingAdd(w http.ResponseWriter, r *http.Request, me *auth.User, status int, v shoppingAddView) {
	if v.RecipeID != "" {
		title, err := u.store.ReadableTitle(r.Context(), v.RecipeID, me.ID)
		if err != nil {
			u.notFound(w, r)
			return
		}
		v.RecipeTitle, v.Week = title, ""
	} else {
		v.Week = u.weekStart(v.Week).Format(planner.DayLayout)
		monday, _ := planner.ParseDay(v.Week)
		v.WeekTitle = "the week of " + monday.Format("2 January")
	}
	lists, err := u.store.ShoppingLists(r.Context(), me.ID, u.invitations.Now())
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v.Lists = lists
	title := "Add to a shopping list"
	u.render(w, r, status, "shopping_add", &page{Title: title, Data: &v})
}

// addToShopping is POST /shopping/add: a recipe at servings, or a week of
// the plan, to the list chosen (list_id "new" starts one).
func (u *UI) addToShopping(w http.ResponseWriter, r *http.Request) {
	me := u.plannerForm(w, r)
	if me == nil {
		return
	}
	f, now := r.PostForm, u.invitations.Now()
	v := shoppingAddView{RecipeID: f.Get("recipe_id"), Week: f.Get("week"), Servings: f.Get("servings"),
		ListID: f.Get("list_id"), Staples: f.Get("staples") == "1"}
	failed := func(err error) {
		status, msg, ok := shoppingMessage(err)
		if errors.Is(err, store.ErrNotFound) {
			status, msg, ok = http.StatusUnprocessableEntity, "The list you chose is gone; choose another.", true
		}
		if !ok {
			u.serverError(w, r, err)
			return
		}
		v.Error = msg
		u.showShoppingAdd(w, r, me, status, v)
	}
	// The servings are read before a new list is made, so a refused
	// form leaves no empty list behind.
	var servings *int
	if s := strings.TrimSpace(v.Servings); s != "" && v.RecipeID != "" {
		n, err := strconv.Atoi(s)
		var errs validate.Errors
		if err != nil {
			errs.Add("servings", "must be a whole number")
		}
		planner.CheckServings(&errs, "servings", &n)
		if err := errs.Err(); err != nil {
			failed(err)
			return
		}
		servings = &n
	}
	made := ""
	if v.ListID == "new" || v.ListID == "" {
		l, err := u.store.CreateShoppingList(r.Context(), me.ID, "Shopping "+now.UTC().Format("2 Jan"), now)
		if err != nil {
			failed(err)
			return
		}
		v.ListID, made = l.ID, l.ID
	}
	var res *planner.AddResult
	var err error
	if v.RecipeID != "" {
		res, err = u.store.AddRecipesToList(r.Context(), me.ID, v.ListID, []store.RecipeToShop{{RecipeID: v.RecipeID, Servings: servings}}, v.Staples, now)
	} else {
		monday := u.weekStart(v.Week)
		res, err = u.store.AddPlanToList(r.Context(), me.ID, v.ListID, monday.Format(planner.DayLayout),
			monday.AddDate(0, 0, 6).Format(planner.DayLayout), v.Staples, now)
	}
	if err != nil {
		if made != "" {
			// Nothing went onto the list made for it: no empty list stays.
			_ = u.store.DeleteShoppingList(r.Context(), me.ID, made, now)
			v.ListID = "new"
		}
		failed(err)
		return
	}
	flash := "list-added"
	switch {
	case res.Hidden > 0:
		flash = "list-added-hidden"
	case len(res.Staples) > 0:
		flash = "list-added-staples"
	}
	u.redirect(w, r, "/shopping/"+v.ListID, flash)
}

// liveInterval is how often a live list looks for changes: ticks reach
// the other phones within about this long (the promise is 2 s).
const liveInterval = time.Second

// liveLifetime ends a live connection after a while; the browser
// reconnects at once, possibly to another instance, so none holds a
// phone for ever.
const liveLifetime = 5 * time.Minute

// Bounds of the live connections one instance keeps open: each holds a
// goroutine and reads the database once a second. A person has a few
// phones and tabs; past the bounds the answer is 503 and the page polls
// the API instead, which costs nothing while the list is unchanged.
const (
	maxLive        = 500
	maxLivePerUser = 8
)

// liveConns counts the open live connections, in all and by user.
type liveConns struct {
	mu     sync.Mutex
	total  int
	byUser map[string]int
}

// take counts one more connection for userID, false when a bound is
// reached; release gives it back.
func (l *liveConns) take(userID string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.total >= maxLive || l.byUser[userID] >= maxLivePerUser {
		return false
	}
	if l.byUser == nil {
		l.byUser = map[string]int{}
	}
	l.total++
	l.byUser[userID]++
	return true
}

func (l *liveConns) release(userID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.byUser[userID]--; l.byUser[userID] <= 0 {
		delete(l.byUser, userID)
	}
}

// shoppingEvents is GET /shopping/{id}/events: server-sent events for a
// live list. It says the list's version at once and again whenever it
// changes ("version" events), and "gone" when the list is no longer the
// caller's; a comment every 20 s keeps proxies from closing it. Each
// instance polls the version (one indexed read a second per open list),
// so it works behind a load balancer without a message bus. A database
// that fails for a moment costs a tick, not the connection.
func (u *UI) shoppingEvents(w http.ResponseWriter, r *http.Request) {
	me := u.plannerUser(w, r)
	if me == nil {
		return
	}
	id := r.PathValue("id")
	ctx := r.Context()
	v, err := u.store.ShoppingListVersion(ctx, me.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(w, r)
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	if !u.live.take(me.ID) {
		w.Header().Set("Retry-After", "60")
		http.Error(w, "Too many live lists are open; this page checks for changes instead.", http.StatusServiceUnavailable)
		return
	}
	defer u.live.release(me.ID)
	rc := http.NewResponseController(w)
	// The server's write timeout is for pages; this answer lasts as long
	// as liveLifetime.
	_ = rc.SetWriteDeadline(time.Now().Add(liveLifetime + 10*time.Second))
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass events on as they come
	w.WriteHeader(http.StatusOK)
	send := func(format string, args ...any) bool {
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 1000\nevent: version\ndata: %d\n\n", v) {
		return
	}
	tick := time.NewTicker(liveInterval)
	defer tick.Stop()
	end := time.NewTimer(liveLifetime)
	defer end.Stop()
	quiet := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-u.stopping():
			return
		case <-end.C:
			return
		case <-tick.C:
		}
		now, err := u.store.ShoppingListVersion(ctx, me.ID, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			send("event: gone\ndata: %s\n\n", id)
			return
		case err != nil:
			continue
		case now != v:
			v, quiet = now, 0
			if !send("event: version\ndata: %d\n\n", v) {
				return
			}
		default:
			if quiet++; quiet*int(liveInterval) >= int(20*time.Second) {
				quiet = 0
				if !send(": still here\n\n") {
					return
				}
			}
		}
	}
}

// stopping is closed when the server begins to shut down, so live
// connections end and the phones reconnect to an instance that stays.
func (u *UI) stopping() <-chan struct{} {
	if u.shutdown == nil {
		return nil
	}
	return u.shutdown.Done()
}

// EndLiveOnShutdown ends the live connections when ctx is done: the
// server's graceful shutdown waits for open answers, and a live list
// would otherwise hold it for liveLifetime.
func (u *UI) EndLiveOnShutdown(ctx context.Context) { u.shutdown = ctx }
