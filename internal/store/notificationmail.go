package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Emails of notifications: what the email job and the daily digest read,
// and the mark that they were sent (emailed_at), so a retried job or the
// next digest never sends one twice.

// NotificationMail is a notification with what its email needs.
type NotificationMail struct {
	Notification
	UserID      string
	Email       string
	Username    string
	DisplayName string
}

// mailColumns read a NotificationMail from n, its recipient u, recipe r
// and actor a (notificationFrom joined with users u).
const mailColumns = "SELECT n.id, n.kind, n.created_at, n.read_at IS NOT NULL, COALESCE(a.username, ''), COALESCE(a.display_name, '')" +
	", COALESCE(r.id, ''), COALESCE(r.title, ''), COALESCE(n.comment_id, ''), u.id, u.email, u.username, u.display_name"

func (s *Store) mailQuery(where string) string {
	q := mailColumns + notificationFrom + " JOIN users u ON u.id = n.user_id" +
		" LEFT JOIN notification_prefs p ON p.user_id = n.user_id AND p.kind = n.kind" +
		" WHERE " + where + " AND n.emailed_at IS NULL AND u.disabled_at IS NULL AND " + notificationVisible
	return s.textIDs(q)
}

func scanMail(row interface{ Scan(...any) error }) (*NotificationMail, error) {
	var m NotificationMail
	err := row.Scan(&m.ID, &m.Kind, &m.CreatedAt, &m.Read, &m.ActorUsername, &m.ActorDisplayName,
		&m.RecipeID, &m.RecipeTitle, &m.CommentID, &m.UserID, &m.Email, &m.Username, &m.DisplayName)
	return &m, err
}

// NotificationForEmail reads notification id for its email: ErrNotFound
// when it is gone, was emailed already, is hidden now
// (notificationVisible), or its recipient no longer wants an email each
// for its kind.
func (s *Store) NotificationForEmail(ctx context.Context, id int64) (*NotificationMail, error) {
	m, err := scanMail(s.read().QueryRowContext(ctx, s.mailQuery("n.id = ? AND n.delivery = 'email'"+
		" AND COALESCE(p.channel, '"+string(DefaultChannel)+"') = 'email'"), id))
	if isNoRows(err) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read notification %d: %w", id, err)
	}
	return m, nil
}

// MarkNotificationsEmailed records that ids were emailed.
func (s *Store) MarkNotificationsEmailed(ctx context.Context, ids []int64) error {
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), MaxMarkRead)]
		ids = ids[len(chunk):]
		args := []any{s.now().UTC().Truncate(time.Microsecond)}
		for _, id := range chunk {
			args = append(args, id)
		}
		_, err := s.read().ExecContext(ctx, "UPDATE notifications SET emailed_at = ? WHERE emailed_at IS NULL AND id IN (?"+
			strings.Repeat(", ?", len(chunk)-1)+")", args...)
		if err != nil {
			return fmt.Errorf("mark notifications emailed: %w", err)
		}
	}
	return nil
}

// MaxDigestItems is how many notifications one digest lists; the rest
// are counted ("and 12 more") and wait in the app.
const MaxDigestItems = 50

// DigestRecipients are the people owed a digest: a notification of a
// kind they get as a digest, not emailed yet, written before before; at
// most limit of them, after the id after ("" first), in id order.
func (s *Store) DigestRecipients(ctx context.Context, before time.Time, after string, limit int) ([]string, error) {
	query := "SELECT DISTINCT n.user_id FROM notifications n WHERE n.delivery = 'digest' AND n.emailed_at IS NULL AND n.created_at < ?"
	args := []any{before.UTC()}
	if after != "" {
		query += " AND n.user_id > ?"
		args = append(args, after)
	}
	rows, err := s.read().QueryContext(ctx, query+" ORDER BY n.user_id LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list digest recipients: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Digest is one person's digest: the newest MaxDigestItems of what is
// owed, how many more there are, and every id owed (to mark emailed once
// sent, the hidden ones too, so they are not looked at again).
type Digest struct {
	Items []*NotificationMail
	More  int
	IDs   []int64
}

// DigestFor gathers userID's digest of notifications written before
// before, newest first, of the kinds they still get as a digest.
func (s *Store) DigestFor(ctx context.Context, userID string, before time.Time) (*Digest, error) {
	d := &Digest{}
	rows, err := s.read().QueryContext(ctx, "SELECT id FROM notifications WHERE user_id = ? AND delivery = 'digest'"+
		" AND emailed_at IS NULL AND created_at < ?", userID, before.UTC())
	if err != nil {
		return nil, fmt.Errorf("read digest of %s: %w", userID, err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		d.IDs = append(d.IDs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.read().QueryContext(ctx, s.mailQuery("n.user_id = ? AND n.delivery = 'digest' AND n.created_at < ?"+
		" AND COALESCE(p.channel, '"+string(DefaultChannel)+"') = 'digest'")+" ORDER BY n.created_at DESC, n.id DESC", userID, before.UTC())
	if err != nil {
		return nil, fmt.Errorf("read digest of %s: %w", userID, err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, fmt.Errorf("read digest of %s: %w", userID, err)
		}
		if len(d.Items) < MaxDigestItems {
			d.Items = append(d.Items, m)
		} else {
			d.More++
		}
	}
	return d, rows.Err()
}

// TurnOffNotificationEmail stops the emails (each, or the digest) of kind
// for userID, keeping the notifications in the app: what an unsubscribe
// link does. A kind already without email is left as it is.
func (s *Store) TurnOffNotificationEmail(ctx context.Context, userID string, kind NotificationKind) error {
	prefs, err := s.NotificationPrefs(ctx, userID)
	if err != nil {
		return err
	}
	if c := prefs[kind]; c != ChannelEmail && c != ChannelDigest {
		return nil
	}
	return s.SetNotificationPrefs(ctx, userID, NotificationPrefs{kind: ChannelApp})
}
