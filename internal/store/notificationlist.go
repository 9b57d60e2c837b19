package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Reading notifications: a person's list newest first, the unread count
// of the navigation, marking read, and the preferences. Every read joins
// the recipe and the actor and applies notificationVisible.

// Notification is one entry of a person's list, as pages and the API
// show it: plain values only.
type Notification struct {
	ID        int64            `json:"id"`
	Kind      NotificationKind `json:"kind"`
	CreatedAt time.Time        `json:"created_at"`
	Read      bool             `json:"read"`
	// Actor is who did it; empty when nobody did.
	ActorUsername    string `json:"actor_username"`
	ActorDisplayName string `json:"actor_display_name"`
	// RecipeID and RecipeTitle are the recipe it is about, if any.
	RecipeID    string `json:"recipe_id,omitempty"`
	RecipeTitle string `json:"recipe_title,omitempty"`
	CommentID   string `json:"comment_id,omitempty"`
}

// NotificationPage is a page of a person's notifications, newest first;
// NextCursor is empty on the last page.
type NotificationPage struct {
	Items      []Notification
	NextCursor string
}

// MaxUnreadCount is where the unread count stops counting: the
// navigation says "99+" past it, and counting further would cost a range
// scan as long as the pile.
const MaxUnreadCount = 99

// MaxMarkRead is how many ids one request may mark read.
const MaxMarkRead = 100

// notificationVisible is the read-time rule, on n joined with its recipe
// r and its actor a: no recipe, or one the recipient may read now
// (recipe.CanRead: public, unlisted, or their own), and no actor, or one
// whose account is not disabled.
const notificationVisible = "(n.recipe_id IS NULL OR r.visibility IN ('public', 'unlisted') OR r.author_id = n.user_id)" +
	" AND (n.actor_id IS NULL OR a.disabled_at IS NULL)"

const notificationFrom = " FROM notifications n LEFT JOIN recipes r ON r.id = n.recipe_id LEFT JOIN users a ON a.id = n.actor_id"

// notificationCursor is the position after a page's last entry.
type notificationCursor struct {
	Time time.Time `json:"t"`
	ID   int64     `json:"i"`
}

func decodeNotificationCursor(s string) (*notificationCursor, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > 128 {
		return nil, ErrBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadCursor
	}
	var c notificationCursor
	if err := json.Unmarshal(b, &c); err != nil || c.Time.IsZero() || c.ID <= 0 {
		return nil, ErrBadCursor
	}
	return &c, nil
}

func (c notificationCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Notifications lists userID's notifications newest first, limit to a
// page (DefaultListLimit when out of 1 to MaxListLimit) after cursor, only
// the unread ones when unread is set, in one statement whatever the
// page's size. A cursor not issued here is ErrBadCursor.
func (s *Store) Notifications(ctx context.Context, userID string, limit int, cursor string, unread bool) (*NotificationPage, error) {
	if limit < 1 || limit > MaxListLimit {
		limit = DefaultListLimit
	}
	c, err := decodeNotificationCursor(cursor)
	if err != nil {
		return nil, err
	}
	if !validID(userID) {
		return &NotificationPage{}, nil
	}
	query := "SELECT n.id, n.kind, n.created_at, n.read_at IS NOT NULL, COALESCE(a.username, ''), COALESCE(a.display_name, '')" +
		", COALESCE(r.id, ''), COALESCE(r.title, ''), COALESCE(n.comment_id, '')" + notificationFrom +
		" WHERE n.user_id = ? AND " + notificationVisible
	args := []any{userID}
	if unread {
		query += " AND n.read_at IS NULL"
	}
	if c != nil {
		query += " AND (n.created_at < ? OR (n.created_at = ? AND n.id < ?))"
		args = append(args, c.Time, c.Time, c.ID)
	}
	query += " ORDER BY n.created_at DESC, n.id DESC LIMIT ?"
	args = append(args, limit+1)
	rows, err := s.read().QueryContext(ctx, s.textIDs(query), args...)
	if err != nil {
		return nil, fmt.Errorf("list notifications of %s: %w", userID, err)
	}
	defer rows.Close()
	page := &NotificationPage{Items: []Notification{}}
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.Kind, &n.CreatedAt, &n.Read, &n.ActorUsername, &n.ActorDisplayName,
			&n.RecipeID, &n.RecipeTitle, &n.CommentID); err != nil {
			return nil, fmt.Errorf("list notifications of %s: %w", userID, err)
		}
		n.CreatedAt = n.CreatedAt.UTC()
		page.Items = append(page.Items, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list notifications of %s: %w", userID, err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.NextCursor = notificationCursor{Time: last.CreatedAt, ID: last.ID}.encode()
	}
	return page, nil
}

// NotificationOf reads notification id of userID: ErrNotFound when it is
// another person's, missing, or hidden by notificationVisible.
func (s *Store) NotificationOf(ctx context.Context, userID string, id int64) (*Notification, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	query := "SELECT n.id, n.kind, n.created_at, n.read_at IS NOT NULL, COALESCE(a.username, ''), COALESCE(a.display_name, '')" +
		", COALESCE(r.id, ''), COALESCE(r.title, ''), COALESCE(n.comment_id, '')" + notificationFrom +
		" WHERE n.id = ? AND n.user_id = ? AND " + notificationVisible
	var n Notification
	err := s.read().QueryRowContext(ctx, s.textIDs(query), id, userID).Scan(&n.ID, &n.Kind, &n.CreatedAt, &n.Read,
		&n.ActorUsername, &n.ActorDisplayName, &n.RecipeID, &n.RecipeTitle, &n.CommentID)
	if isNoRows(err) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read notification %d: %w", id, err)
	}
	return &n, nil
}

// textIDs makes PostgreSQL read the recipe's and comment's uuid as text
// where a query coalesces them with ”.
func (s *Store) textIDs(query string) string {
	if s.d.name() != "postgres" {
		return query
	}
	return strings.NewReplacer("COALESCE(r.id, '')", "COALESCE(r.id::text, '')",
		"COALESCE(n.comment_id, '')", "COALESCE(n.comment_id::text, '')").Replace(query)
}

// UnreadNotifications counts userID's unread notifications that
// notificationVisible lets them see, up to MaxUnreadCount+1: one
// statement, a range of the partial unread index.
func (s *Store) UnreadNotifications(ctx context.Context, userID string) (int, error) {
	if !validID(userID) {
		return 0, nil
	}
	var n int
	err := s.read().QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1"+notificationFrom+
		" WHERE n.user_id = ? AND n.read_at IS NULL AND "+notificationVisible+" LIMIT ?) unread",
		userID, MaxUnreadCount+1).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count unread notifications of %s: %w", userID, err)
	}
	return n, nil
}

// MarkNotificationsRead marks ids of userID's notifications read (only
// theirs; at most MaxMarkRead ids are taken), or every one of them when
// all is set, and answers how many changed.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID string, ids []int64, all bool) (int, error) {
	if !validID(userID) || (!all && len(ids) == 0) {
		return 0, nil
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	query := "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL"
	args := []any{now, userID}
	if !all {
		if len(ids) > MaxMarkRead {
			ids = ids[:MaxMarkRead]
		}
		query += " AND id IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	res, err := s.read().ExecContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("mark notifications of %s read: %w", userID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// NotificationPrefs are a person's channel for every kind, defaults
// filled in.
type NotificationPrefs map[NotificationKind]NotificationChannel

// NotificationPrefs reads userID's channels, DefaultChannel for a kind
// they never chose.
func (s *Store) NotificationPrefs(ctx context.Context, userID string) (NotificationPrefs, error) {
	prefs := NotificationPrefs{}
	for _, k := range NotificationKinds {
		prefs[k] = DefaultChannel
	}
	if !validID(userID) {
		return prefs, nil
	}
	rows, err := s.read().QueryContext(ctx, "SELECT kind, channel FROM notification_prefs WHERE user_id = ?", userID)
	if err != nil {
		return nil, fmt.Errorf("read notification preferences of %s: %w", userID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k NotificationKind
		var c NotificationChannel
		if err := rows.Scan(&k, &c); err != nil {
			return nil, err
		}
		prefs[k] = c
	}
	return prefs, rows.Err()
}

// SetNotificationPrefs saves the channels of prefs for userID (kinds not
// in prefs keep theirs) in one transaction, after checking every pair
// (ValidKind, ValidChannel): an invalid one writes nothing and answers
// ErrBadPreference. Notifications still waiting for an email of a kind
// that no longer wants that email are settled, so none is sent late.
func (s *Store) SetNotificationPrefs(ctx context.Context, userID string, prefs NotificationPrefs) error {
	for k, c := range prefs {
		if !ValidKind(k) || !ValidChannel(k, c) {
			return fmt.Errorf("%w: %s %s", ErrBadPreference, k, c)
		}
	}
	if !validID(userID) {
		return ErrNotFound
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	return s.inTx(ctx, func(tx conn) error {
		for _, k := range NotificationKinds {
			c, ok := prefs[k]
			if !ok {
				continue
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO notification_prefs (user_id, kind, channel) VALUES (?, ?, ?)"+
				" ON CONFLICT (user_id, kind) DO UPDATE SET channel = excluded.channel", userID, string(k), string(c))
			if s.d.isForeignKeyViolation(err) {
				return ErrNotFound
			}
			if err != nil {
				return fmt.Errorf("save notification preference of %s: %w", userID, err)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE notifications SET emailed_at = ? WHERE user_id = ? AND kind = ?"+
				" AND emailed_at IS NULL AND delivery <> 'app' AND delivery <> ?", now, userID, string(k), string(c)); err != nil {
				return fmt.Errorf("settle pending notification emails of %s: %w", userID, err)
			}
		}
		return nil
	})
}

// ErrBadPreference is a kind or channel that does not exist, or a channel
// the kind does not offer.
var ErrBadPreference = fmt.Errorf("no such notification preference")

// pruneWindow is how many notification ids one pruning statement covers.
const pruneWindow = 1000

// PruneNotifications deletes the read notifications created before
// readBefore and every one, read or not, created before anyBefore, and
// says how many went. Ids grow with time, so it walks the primary key
// from the oldest a window at a time, and stops at the first window
// without a row older than readBefore: each statement is an index range
// scan, and a table of recent notifications costs one. Unsent emails do not hold a row
// back: by then the digest or the email job has long run.
func (s *Store) PruneNotifications(ctx context.Context, readBefore, anyBefore time.Time) (int64, error) {
	readBefore, anyBefore = readBefore.UTC(), anyBefore.UTC()
	var after, deleted int64
	for {
		var last sql.NullInt64
		var old int64
		err := s.read().QueryRowContext(ctx, "SELECT max(id), COALESCE(sum(CASE WHEN created_at < ? THEN 1 ELSE 0 END), 0) FROM"+
			" (SELECT id, created_at FROM notifications WHERE id > ? ORDER BY id LIMIT ?) w",
			readBefore, after, pruneWindow).Scan(&last, &old)
		if err != nil {
			return deleted, fmt.Errorf("prune notifications: %w", err)
		}
		if !last.Valid || old == 0 {
			return deleted, nil
		}
		res, err := s.read().ExecContext(ctx, "DELETE FROM notifications WHERE id > ? AND id <= ?"+
			" AND ((read_at IS NOT NULL AND created_at < ?) OR created_at < ?)",
			after, last.Int64, readBefore, anyBefore)
		if err != nil {
			return deleted, fmt.Errorf("prune notifications: %w", err)
		}
		n, _ := res.RowsAffected()
		deleted += n
		after = last.Int64
	}
}
