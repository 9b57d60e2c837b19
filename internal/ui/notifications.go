package ui

// Notifications on the pages: the unread count in the navigation (render
// asks for it on every signed-in page), the list at /notifications with
// "Mark all read", an entry opened through /notifications/{id} (marked
// read on the way), the preferences at /settings/notifications, and the
// unsubscribe page of the emails' links, which works signed out.

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/reccollection/reccollection/internal/notifications"
	"github.com/reccollection/reccollection/internal/store"
)

// SetNotifications gives the pages the notification service (for the
// unsubscribe links).
func (u *UI) SetNotifications(n *notifications.Service) { u.notes = n }

func init() {
	flashMessages["notifications-saved"] = "Notification settings saved."
	flashMessages["notifications-read"] = "All notifications marked read."
}

// unreadBadge is the navigation's count: "99+" past store.MaxUnreadCount.
func unreadBadge(n int) string {
	if n > store.MaxUnreadCount {
		return strconv.Itoa(store.MaxUnreadCount) + "+"
	}
	return strconv.Itoa(n)
}

// unreadFor fills p.Unread for a signed-in page: one indexed count. A
// failure leaves it empty rather than failing the page.
func (u *UI) unreadFor(r *http.Request, p *page) {
	if p.User == nil {
		return
	}
	n, err := u.store.UnreadNotifications(r.Context(), p.User.ID)
	if err != nil {
		u.log.WarnContext(r.Context(), "count unread notifications", "err", err)
		return
	}
	if n > 0 {
		p.Unread = unreadBadge(n)
	}
}

// notificationItem is one entry of the list: plain values only.
type notificationItem struct {
	ID       int64
	Sentence string
	When     time.Time
	Unread   bool
	Kind     string
}

type notificationsView struct {
	Items   []notificationItem
	NextURL string
	Unread  bool // the list shows unread ones only
}

// notificationsPage is GET /notifications: newest first, a page at a
// time (?after=cursor), ?unread=1 for the unread ones only.
func (u *UI) notificationsPage(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	q := r.URL.Query()
	unread := q.Get("unread") == "1"
	p, err := u.store.Notifications(r.Context(), me.ID, store.DefaultListLimit, q.Get("after"), unread)
	if errors.Is(err, store.ErrBadCursor) {
		u.render(w, r, http.StatusBadRequest, "bad_request", &page{Title: "That did not work"})
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	v := notificationsView{Unread: unread, Items: make([]notificationItem, 0, len(p.Items))}
	for _, n := range p.Items {
		v.Items = append(v.Items, notificationItem{ID: n.ID, Sentence: notifications.Describe(n), When: n.CreatedAt,
			Unread: !n.Read, Kind: string(n.Kind)})
	}
	if p.NextCursor != "" {
		next := url.Values{"after": {p.NextCursor}}
		if unread {
			next.Set("unread", "1")
		}
		v.NextURL = "/notifications?" + next.Encode()
	}
	u.render(w, r, http.StatusOK, "notifications", &page{Title: "Notifications", Data: v})
}

// openNotification is GET /notifications/{id}: marks it read and goes
// where it leads. A GET that writes, on purpose: the entry is a plain
// link (open in a new tab works), and all it can change is the reader's
// own unread mark, which a cross-site link could at worst clear. One
// that is not the reader's, or is hidden, is the same 404 as a missing
// one.
func (u *UI) openNotification(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		u.notFound(w, r)
		return
	}
	n, err := u.store.NotificationOf(r.Context(), me.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		u.notFound(w, r)
		return
	}
	if err == nil {
		_, err = u.store.MarkNotificationsRead(r.Context(), me.ID, []int64{id}, false)
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, notifications.Path(*n), http.StatusSeeOther)
}

// markNotificationsRead is POST /notifications/read: all=1 marks every
// one read, id=… (repeatable) those.
func (u *UI) markNotificationsRead(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	all := r.PostForm.Get("all") == "1"
	var ids []int64
	for _, s := range r.PostForm["id"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 || len(ids) >= store.MaxMarkRead {
			u.render(w, r, http.StatusBadRequest, "bad_request", &page{Title: "That did not work"})
			return
		}
		ids = append(ids, id)
	}
	if !all && len(ids) == 0 {
		u.render(w, r, http.StatusBadRequest, "bad_request", &page{Title: "That did not work"})
		return
	}
	if _, err := u.store.MarkNotificationsRead(r.Context(), me.ID, ids, all); err != nil {
		u.serverError(w, r, err)
		return
	}
	flash := ""
	if all {
		flash = "notifications-read"
	}
	u.redirect(w, r, "/notifications", flash)
}

// prefRow is one kind's row of the preferences table.
type prefRow struct {
	Kind     string
	Label    string
	Channels []prefChoice
}

type prefChoice struct {
	Value   string
	Label   string
	Checked bool
}

type prefsView struct {
	Rows  []prefRow
	Error string
	// EmailAvailable is false on a server that sends no email.
	EmailAvailable bool
}

func (u *UI) prefsView(prefs store.NotificationPrefs) prefsView {
	v := prefsView{EmailAvailable: u.notes.EmailAvailable()}
	for _, k := range store.NotificationKinds {
		row := prefRow{Kind: string(k), Label: notifications.KindLabel(k)}
		for _, c := range store.ChannelsFor(k) {
			row.Channels = append(row.Channels, prefChoice{Value: string(c), Label: notifications.ChannelLabel(c), Checked: prefs[k] == c})
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// notificationSettings is GET /settings/notifications.
func (u *UI) notificationSettings(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	prefs, err := u.store.NotificationPrefs(r.Context(), me.ID)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "notification_settings", &page{Title: "Notification settings", Data: u.prefsView(prefs)})
}

// saveNotificationSettings is POST /settings/notifications: one field per
// kind, named by the kind, whose value is the channel. A kind left out
// keeps its channel; an unknown kind or channel writes nothing and shows
// the form again as it was sent.
func (u *UI) saveNotificationSettings(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	current, err := u.store.NotificationPrefs(r.Context(), me.ID)
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	in := store.NotificationPrefs{}
	shown := store.NotificationPrefs{}
	for k, c := range current {
		shown[k] = c
	}
	for name, values := range r.PostForm {
		k := store.NotificationKind(name)
		if !store.ValidKind(k) {
			continue // other fields (a future one, a browser's extra) are not preferences
		}
		in[k] = store.NotificationChannel(values[0])
		shown[k] = in[k]
	}
	err = u.store.SetNotificationPrefs(r.Context(), me.ID, in)
	if errors.Is(err, store.ErrBadPreference) {
		v := u.prefsView(shown)
		v.Error = "One of the choices is not offered for its kind. Pick one of the listed options."
		u.render(w, r, http.StatusUnprocessableEntity, "notification_settings", &page{Title: "Notification settings", Data: v})
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	u.redirect(w, r, "/settings/notifications", "notifications-saved")
}

type unsubscribeView struct {
	Token string
	What  string // the emails it stops, in words
	Done  bool
}

func unsubscribeWhat(k store.NotificationKind) string {
	if k == notifications.DigestKind {
		return "the daily digest"
	}
	return "emails about " + lowerFirst(notifications.KindLabel(k))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// unsubscribeForm is GET /unsubscribe/{token}: a confirmation button,
// signed in or not (a mail program's link checker must not unsubscribe
// anybody by following the link). A token not made here is a 404.
func (u *UI) unsubscribeForm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if u.notes == nil {
		u.notFound(w, r)
		return
	}
	kind, err := u.notes.CheckUnsubscribe(token)
	if err != nil {
		u.notFound(w, r)
		return
	}
	u.render(w, r, http.StatusOK, "unsubscribe", &page{Title: "Unsubscribe", NoIndex: true,
		Data: unsubscribeView{Token: token, What: unsubscribeWhat(kind)}})
}

// unsubscribe is POST /unsubscribe/{token}: the page's button, and RFC
// 8058's one-click POST from a mail program (body
// List-Unsubscribe=One-Click), which carries no cookie and needs none.
func (u *UI) unsubscribe(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if u.notes == nil {
		u.notFound(w, r)
		return
	}
	kind, err := u.notes.Unsubscribe(r.Context(), token)
	if errors.Is(err, notifications.ErrBadToken) {
		u.notFound(w, r)
		return
	}
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "unsubscribe", &page{Title: "Unsubscribed", NoIndex: true,
		Data: unsubscribeView{What: unsubscribeWhat(kind), Done: true}})
}
