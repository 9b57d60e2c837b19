package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Notifications: rows of notifications (migration 26), one per thing
// that happened to a person, written by the event's own transaction with
// one INSERT … SELECT that reads the recipient's preference for the kind
// (notification_prefs, default ChannelApp) and writes nothing when it is
// ChannelOff, nothing for oneself, and nothing when the row's dedupe key
// is already there: one notification per actor, kind and target a day,
// so liking, unliking and liking again notifies once. A followed cook's
// new recipe is not written here but by FanOutNewRecipe, in batches, from
// a job (the request that creates the recipe only announces it:
// Hooks.RecipePublished).
//
// Privacy is applied when reading, not when writing: a recipe can turn
// private after its notifications were written, so every read
// (notificationVisible) drops a notification whose recipe the recipient
// may not read now, by the rule of recipe.CanRead, and one whose actor's
// account is disabled.

// NotificationKind is what happened.
type NotificationKind string

const (
	KindFollow    NotificationKind = "follow"
	KindLike      NotificationKind = "like"
	KindComment   NotificationKind = "comment"
	KindNewRecipe NotificationKind = "new_recipe"
	KindShared    NotificationKind = "shared"
)

// NotificationKinds are every kind, in the order settings show them.
var NotificationKinds = []NotificationKind{KindFollow, KindLike, KindComment, KindNewRecipe, KindShared}

// ValidKind reports whether k is one of NotificationKinds.
func ValidKind(k NotificationKind) bool {
	for _, x := range NotificationKinds {
		if x == k {
			return true
		}
	}
	return false
}

// NotificationChannel is how a person hears of a kind: in the app only,
// in the app and by an email each, in the app and in a daily digest
// email, or not at all.
type NotificationChannel string

const (
	ChannelApp    NotificationChannel = "app"
	ChannelEmail  NotificationChannel = "email"
	ChannelDigest NotificationChannel = "digest"
	ChannelOff    NotificationChannel = "off"
)

// DefaultChannel is every kind's channel until its person chooses:
// in the app only. Email is asked for, never assumed.
const DefaultChannel = ChannelApp

// ChannelsFor are the channels kind k may be set to. A recipe shared
// with someone reaches them by the share's own email already, so its
// notification is in the app or off.
func ChannelsFor(k NotificationKind) []NotificationChannel {
	if k == KindShared {
		return []NotificationChannel{ChannelApp, ChannelOff}
	}
	return []NotificationChannel{ChannelApp, ChannelEmail, ChannelDigest, ChannelOff}
}

// ValidChannel reports whether kind k may be set to c.
func ValidChannel(k NotificationKind, c NotificationChannel) bool {
	for _, x := range ChannelsFor(k) {
		if x == c {
			return true
		}
	}
	return false
}

// Hooks are what the store announces after a commit, for the job queue
// to take on; each may be nil. They run after the transaction, never
// inside it, so a job never looks for a row that is not committed yet.
type Hooks struct {
	// NotificationEmails are notifications written for people who chose
	// an email each (ChannelEmail).
	NotificationEmails func(ctx context.Context, ids []int64)
	// RecipePublished is a public recipe created, whose author's
	// followers are to be told (FanOutNewRecipe).
	RecipePublished func(ctx context.Context, recipeID string)
}

// SetHooks sets what the store announces; call before serving.
func (s *Store) SetHooks(h Hooks) { s.hooks = h }

// notice is one notification to write.
type notice struct {
	kind      NotificationKind
	recipient string // an expression: ? for an id, or a subquery
	args      []any  // the recipient expression's arguments
	actorID   string
	recipeID  string
	commentID string
	// emailed is set for a kind whose event was an email already.
	emailed bool
}

// dedupeKey is one per actor, kind and target a day: the day is UTC's.
func dedupeKey(kind NotificationKind, actorID, target string, now time.Time) string {
	return string(kind) + ":" + actorID + ":" + target + ":" + now.UTC().Format("2006-01-02")
}

// typed is a placeholder that PostgreSQL reads as typ where a SELECT list
// would otherwise leave it text; SQLite takes the value as it is (a CAST
// there would apply numeric affinity to a uuid or a time).
func (s *Store) typed(typ string) string {
	if s.d.name() == "postgres" {
		return "CAST(? AS " + typ + ")"
	}
	return "?"
}

func nullableID(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// notifyIn writes n on tx as the preferences of its recipient say, and
// adds its id to *emails when the recipient wants an email for it.
func (s *Store) notifyIn(ctx context.Context, tx conn, n notice, emails *[]int64) error {
	now := s.now().UTC().Truncate(time.Microsecond)
	target := n.recipeID
	var emailedAt any
	if n.emailed {
		emailedAt = now
	}
	query := "INSERT INTO notifications (user_id, kind, actor_id, recipe_id, comment_id, dedupe_key, delivery, created_at, emailed_at)" +
		" SELECT u.id, ?, " + s.typed("uuid") + ", " + s.typed("uuid") + ", " + s.typed("uuid") + ", ?, COALESCE(p.channel, '" + string(DefaultChannel) + "')" +
		", " + s.typed("timestamptz") + ", " + s.typed("timestamptz") +
		" FROM users u LEFT JOIN notification_prefs p ON p.user_id = u.id AND p.kind = ?" +
		" WHERE u.id = " + n.recipient + " AND u.id <> ? AND u.disabled_at IS NULL AND COALESCE(p.channel, '" + string(DefaultChannel) + "') <> 'off'" +
		" ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id, delivery"
	args := []any{string(n.kind), nullableID(n.actorID), nullableID(n.recipeID), nullableID(n.commentID),
		dedupeKey(n.kind, n.actorID, target, now), now, emailedAt, string(n.kind)}
	args = append(append(args, n.args...), n.actorID)
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("record %s notification: %w", n.kind, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var delivery string
		if err := rows.Scan(&id, &delivery); err != nil {
			return fmt.Errorf("record %s notification: %w", n.kind, err)
		}
		if delivery == string(ChannelEmail) && !n.emailed {
			*emails = append(*emails, id)
		}
	}
	return rows.Err()
}

// announceEmails hands ids to the hook after the commit: inside
// Idempotent, after that transaction's (AfterCommit), or the job could
// look for rows not yet visible.
func (s *Store) announceEmails(ctx context.Context, ids []int64) {
	if len(ids) > 0 && s.hooks.NotificationEmails != nil {
		s.AfterCommit(ctx, func(ctx context.Context) { s.hooks.NotificationEmails(ctx, ids) })
	}
}

// recipeAuthor is the recipient expression of a recipe's author.
const recipeAuthor = "(SELECT author_id FROM recipes WHERE id = ?)"

// NotifyShared tells the account whose address is to, if there is one,
// that senderID shared recipe recipeID with them: the share's email has
// reached them already, so the notification is never emailed again. An
// address of no account, or of the sender, writes nothing.
func (s *Store) NotifyShared(ctx context.Context, senderID, recipeID, to string) error {
	if !validID(senderID) || !validID(recipeID) || !storable(to) {
		return nil
	}
	var emails []int64
	return s.inTx(ctx, func(tx conn) error {
		err := s.notifyIn(ctx, tx, notice{kind: KindShared, recipient: "(SELECT id FROM users WHERE email = ?)",
			args: []any{strings.ToLower(strings.TrimSpace(to))}, actorID: senderID, recipeID: recipeID, emailed: true}, &emails)
		if s.d.isForeignKeyViolation(err) {
			return nil // the recipe or the sender went meanwhile
		}
		return err
	})
}

// FanOutBatch is how many followers one statement of FanOutNewRecipe
// writes for: a short transaction each, however many followers there are.
const FanOutBatch = 500

// FanOutNewRecipe writes a new_recipe notification for each follower of
// recipe id's author, batch followers (FanOutBatch when 0) at a time in
// follower id order, one transaction a batch, and hands each batch's
// email ids to emails (which may be nil) after its commit. A recipe that
// is gone, or not public, notifies nobody. Running it again adds nothing
// (one new_recipe notification per recipe and person), so a retried job
// finishes what a failed one began. It answers the number of batches.
func (s *Store) FanOutNewRecipe(ctx context.Context, id string, batch int, emails func(ctx context.Context, ids []int64) error) (int, error) {
	if !validID(id) {
		return 0, nil
	}
	if batch <= 0 {
		batch = FanOutBatch
	}
	var authorID, visibility string
	err := s.read().QueryRowContext(ctx, "SELECT author_id, visibility FROM recipes WHERE id = ?", id).Scan(&authorID, &visibility)
	if isNoRows(err) || (err == nil && visibility != "public") {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("look up recipe %s: %w", id, err)
	}
	insert := "INSERT INTO notifications (user_id, kind, actor_id, recipe_id, dedupe_key, delivery, created_at)" +
		" SELECT f.follower_id, '" + string(KindNewRecipe) + "', f.followee_id, " + s.typed("uuid") + ", ?" +
		", COALESCE(p.channel, '" + string(DefaultChannel) + "'), " + s.typed("timestamptz") +
		" FROM follows f JOIN users u ON u.id = f.follower_id AND u.disabled_at IS NULL" +
		" LEFT JOIN notification_prefs p ON p.user_id = f.follower_id AND p.kind = '" + string(KindNewRecipe) + "'" +
		" WHERE f.followee_id = ? AND COALESCE(p.channel, '" + string(DefaultChannel) + "') <> 'off'"
	key := string(KindNewRecipe) + ":" + id
	after, batches := "", 0
	for {
		// The batch's last follower: the batch-th after the previous
		// batch, or none when fewer remain.
		bound := "SELECT follower_id FROM follows WHERE followee_id = ?"
		bargs := []any{authorID}
		if after != "" {
			bound += " AND follower_id > ?"
			bargs = append(bargs, after)
		}
		var last string
		err := s.read().QueryRowContext(ctx, bound+" ORDER BY follower_id LIMIT 1 OFFSET ?", append(bargs, batch-1)...).Scan(&last)
		if err != nil && !isNoRows(err) {
			return batches, fmt.Errorf("fan out recipe %s: %w", id, err)
		}
		query, args := insert, []any{id, key, s.now().UTC().Truncate(time.Microsecond), authorID}
		if after != "" {
			query += " AND f.follower_id > ?"
			args = append(args, after)
		}
		if last != "" {
			query += " AND f.follower_id <= ?"
			args = append(args, last)
		}
		query += " ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id, delivery"
		var ids []int64
		err = s.inTx(ctx, func(tx conn) error {
			ids = ids[:0]
			rows, err := tx.QueryContext(ctx, query, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var nid int64
				var delivery string
				if err := rows.Scan(&nid, &delivery); err != nil {
					return err
				}
				if delivery == string(ChannelEmail) {
					ids = append(ids, nid)
				}
			}
			return rows.Err()
		})
		if s.d.isForeignKeyViolation(err) {
			return batches, nil // the recipe was deleted meanwhile
		}
		if err != nil {
			return batches, fmt.Errorf("fan out recipe %s: %w", id, err)
		}
		batches++
		if emails != nil && len(ids) > 0 {
			if err := emails(ctx, ids); err != nil {
				return batches, err
			}
		}
		if last == "" {
			return batches, nil
		}
		after = last
	}
}

// announceRecipe hands a new public recipe to the hook after its commit.
func (s *Store) announceRecipe(ctx context.Context, id, visibility string) {
	if visibility == "public" && s.hooks.RecipePublished != nil {
		s.AfterCommit(ctx, func(ctx context.Context) { s.hooks.RecipePublished(ctx, id) })
	}
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
