package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/notifications"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Notifications of the signed-in user: the list (newest first, a cursor
// per page, ?unread=1 for the unread ones), marking read (some ids, or
// all), and the preferences per kind. Marking read and saving the
// preferences are idempotent by nature (the same request again changes
// nothing more), so they need no Idempotency-Key.

// notificationView is one entry of the list.
type notificationView struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Text      string    `json:"text"`
	Path      string    `json:"path"`
	Read      bool      `json:"read"`
	CreatedAt time.Time `json:"created_at"`
	// Actor is the username of who did it ("" for nobody).
	Actor       string `json:"actor"`
	RecipeID    string `json:"recipe_id,omitempty"`
	RecipeTitle string `json:"recipe_title,omitempty"`
	CommentID   string `json:"comment_id,omitempty"`
}

type notificationsResponse struct {
	Items      []notificationView `json:"items"`
	NextCursor string             `json:"next_cursor"`
	// Unread counts the unread ones, up to store.MaxUnreadCount+1.
	Unread int `json:"unread"`
}

// notificationList is GET /api/v1/me/notifications.
func (a *API) notificationList(w http.ResponseWriter, r *http.Request) {
	me := requireUser(w, r)
	if me == nil {
		return
	}
	limit, cursor, ok := pageParams(w, r)
	if !ok {
		return
	}
	unread := false
	switch r.URL.Query().Get("unread") {
	case "", "0":
	case "1":
		unread = true
	default:
		p := httpx.NewProblem(http.StatusBadRequest, "Some query parameters are invalid; see errors.")
		p.Errors = validate.Errors{{Field: "unread", Message: "must be 0 or 1"}}
		httpx.WriteProblem(w, r, p)
		return
	}
	page, err := a.store.Notifications(r.Context(), me.ID, limit, cursor, unread)
	if errors.Is(err, store.ErrBadCursor) {
		badCursor(w, r)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	count, err := a.store.UnreadNotifications(r.Context(), me.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := notificationsResponse{Items: make([]notificationView, 0, len(page.Items)), NextCursor: page.NextCursor, Unread: count}
	for _, n := range page.Items {
		out.Items = append(out.Items, notificationView{ID: n.ID, Kind: string(n.Kind), Text: notifications.Describe(n),
			Path: notifications.Path(n), Read: n.Read, CreatedAt: n.CreatedAt, Actor: n.ActorUsername,
			RecipeID: n.RecipeID, RecipeTitle: n.RecipeTitle, CommentID: n.CommentID})
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, out)
}

type markReadRequest struct {
	IDs []int64 `json:"ids"`
	All bool    `json:"all"`
}

type markReadResponse struct {
	Marked int `json:"marked"`
	Unread int `json:"unread"`
}

// markNotificationsRead is POST /api/v1/me/notifications/read: {"all":
// true}, or {"ids": [...]} (1 to store.MaxMarkRead of them), not both.
// Ids that are not the caller's are ignored, as ones already read are.
func (a *API) markNotificationsRead(w http.ResponseWriter, r *http.Request) {
	me := requireUser(w, r)
	if me == nil {
		return
	}
	var req markReadRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	var errs validate.Errors
	switch {
	case req.All && len(req.IDs) > 0:
		errs.Add("ids", "must be left out when all is true")
	case !req.All && len(req.IDs) == 0:
		errs.Add("ids", "must list at least one id, or set all to true")
	case len(req.IDs) > store.MaxMarkRead:
		errs.Add("ids", "must list at most %d ids", store.MaxMarkRead)
	}
	for _, id := range req.IDs {
		if id <= 0 {
			errs.Add("ids", "must be positive whole numbers")
			break
		}
	}
	if err := errs.Err(); err != nil {
		a.fail(w, r, err)
		return
	}
	n, err := a.store.MarkNotificationsRead(r.Context(), me.ID, req.IDs, req.All)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	unread, err := a.store.UnreadNotifications(r.Context(), me.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, markReadResponse{Marked: n, Unread: unread})
}

// prefsBody is the preferences, a channel per kind; a kind left out of
// a PUT keeps its channel.
type prefsBody struct {
	Follow    *string `json:"follow,omitempty"`
	Like      *string `json:"like,omitempty"`
	Comment   *string `json:"comment,omitempty"`
	NewRecipe *string `json:"new_recipe,omitempty"`
	Shared    *string `json:"shared,omitempty"`
}

// fields are the body's channels by kind, nil where left out.
func (b *prefsBody) fields() map[store.NotificationKind]**string {
	return map[store.NotificationKind]**string{store.KindFollow: &b.Follow, store.KindLike: &b.Like,
		store.KindComment: &b.Comment, store.KindNewRecipe: &b.NewRecipe, store.KindShared: &b.Shared}
}

// notificationPrefs is GET /api/v1/me/notification-preferences.
func (a *API) notificationPrefs(w http.ResponseWriter, r *http.Request) {
	me := requireUser(w, r)
	if me == nil {
		return
	}
	prefs, err := a.store.NotificationPrefs(r.Context(), me.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writePrefs(w, r, prefs)
}

func writePrefs(w http.ResponseWriter, r *http.Request, prefs store.NotificationPrefs) {
	var out prefsBody
	for k, f := range out.fields() {
		c := string(prefs[k])
		*f = &c
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, out)
}

// setNotificationPrefs is PUT /api/v1/me/notification-preferences: the
// kinds given take the channels given, the others keep theirs. Any
// unknown kind, or a channel the kind does not offer, is a 422 naming it,
// and nothing is saved.
func (a *API) setNotificationPrefs(w http.ResponseWriter, r *http.Request) {
	me := requireUser(w, r)
	if me == nil {
		return
	}
	var req prefsBody
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	var errs validate.Errors
	in := store.NotificationPrefs{}
	for _, kind := range store.NotificationKinds {
		c := *req.fields()[kind]
		if c == nil {
			continue
		}
		if channel := store.NotificationChannel(*c); store.ValidChannel(kind, channel) {
			in[kind] = channel
		} else {
			errs.Add(string(kind), "must be one of %s", channelList(kind))
		}
	}
	if len(in) == 0 && len(errs) == 0 {
		errs.Add("body", "must set at least one kind")
	}
	if err := errs.Err(); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.store.SetNotificationPrefs(r.Context(), me.ID, in); err != nil {
		a.fail(w, r, err)
		return
	}
	prefs, err := a.store.NotificationPrefs(r.Context(), me.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writePrefs(w, r, prefs)
}

func channelList(k store.NotificationKind) string {
	s := ""
	for i, c := range store.ChannelsFor(k) {
		if i > 0 {
			s += ", "
		}
		s += strconv.Quote(string(c))
	}
	return s
}
