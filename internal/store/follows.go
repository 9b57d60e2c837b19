package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
)

// Follows: one row per follower and person followed in follows
// (migration 22), the primary key (follower_id, followee_id) making a
// second follow the same row. As with likes, the counts are counted from
// the rows (followers through follows_followee_newest_idx, following
// through follows_follower_newest_idx) in the statement that needs them,
// never kept in a column a cascade could leave wrong.

// ErrSelfFollow refuses following (or unfollowing) oneself.
var ErrSelfFollow = errors.New("you cannot follow yourself")

// ProfileStats are what a profile counts: the person's recipes a reader
// may list (the rule of ListRecipes), their followers and the people they
// follow, and whether the reader follows them.
type ProfileStats struct {
	Recipes   int
	Followers int
	Following int
	// Followed is whether the reader follows this person; false for a
	// visitor and on one's own profile.
	Followed bool
}

// SetFollow makes followerID follow (on) or stop following the person
// named username, and returns that person's ProfileStats as they are
// after the change, read in the same transaction. Following twice is
// following once; so is unfollowing. A missing person, or a disabled one
// to follow, answers ErrNotFound; oneself ErrSelfFollow, before anything
// is written. Everything happens in one transaction, so whatever else a
// new follow should do can join it.
func (s *Store) SetFollow(ctx context.Context, followerID, username string, on bool) (*ProfileStats, error) {
	if !validID(followerID) || !storable(username) {
		return nil, ErrNotFound
	}
	var st *ProfileStats
	var emails []int64
	err := s.inTx(ctx, func(tx conn) error {
		var followeeID string
		var disabled bool
		err := tx.QueryRowContext(ctx, "SELECT id, disabled_at IS NOT NULL FROM users WHERE username = ?",
			strings.ToLower(username)).Scan(&followeeID, &disabled)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && on && disabled) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("look up user %q: %w", username, err)
		}
		if followeeID == followerID {
			return ErrSelfFollow
		}
		if on {
			_, err = tx.ExecContext(ctx, "INSERT INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)"+
				" ON CONFLICT (follower_id, followee_id) DO NOTHING", followerID, followeeID, s.now().UTC().Truncate(time.Microsecond))
		} else {
			_, err = tx.ExecContext(ctx, "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?", followerID, followeeID)
		}
		if s.d.isForeignKeyViolation(err) {
			return ErrNotFound // an account deleted meanwhile (PostgreSQL)
		}
		if err != nil {
			return fmt.Errorf("follow %s: %w", followeeID, err)
		}
		if on {
			// The person followed hears of it (notifications.go).
			if err := s.notifyIn(ctx, tx, notice{kind: KindFollow, recipient: "?", args: []any{followeeID},
				actorID: followerID}, &emails); err != nil {
				return err
			}
		}
		st, err = profileStatsIn(ctx, tx, followeeID, followerID)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.announceEmails(ctx, emails)
	return st, nil
}

// ProfileStats counts userID's recipes that viewerID ("" for a visitor)
// may list, their followers and the people they follow, in one statement.
func (s *Store) ProfileStats(ctx context.Context, userID, viewerID string) (*ProfileStats, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	var st *ProfileStats
	err := s.fromReplica(ctx, func(q conn) (err error) {
		st, err = profileStatsIn(ctx, q, userID, viewerID)
		return err
	})
	return st, err
}

func profileStatsIn(ctx context.Context, q conn, userID, viewerID string) (*ProfileStats, error) {
	// The recipes counted are CountVisibleRecipes's: all of one's own,
	// only the public ones of anybody else.
	recipes := "(SELECT count(*) FROM recipes r WHERE r.author_id = ? AND r.visibility = 'public')"
	if viewerID != "" && viewerID == userID {
		recipes = "(SELECT count(*) FROM recipes r WHERE r.author_id = ?)"
	}
	query := "SELECT " + recipes +
		", (SELECT count(*) FROM follows WHERE followee_id = ?)" +
		", (SELECT count(*) FROM follows WHERE follower_id = ?)"
	args := []any{userID, userID, userID}
	if validID(viewerID) {
		query += ", EXISTS (SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?)"
		args = append(args, viewerID, userID)
	} else {
		query += ", 1 = 0" // a visitor follows nobody
	}
	var st ProfileStats
	err := q.QueryRowContext(ctx, query, args...).Scan(&st.Recipes, &st.Followers, &st.Following, &st.Followed)
	if err != nil {
		return nil, fmt.Errorf("count profile of %s: %w", userID, err)
	}
	return &st, nil
}

// FollowedPerson is one entry of a followers or following list: the
// person, with their avatar, and since when the follow stands.
type FollowedPerson struct {
	recipe.Author
	Since time.Time `json:"since"`
}

// FollowPage is one page of a followers or following list, newest follow
// first; NextCursor is empty on the last page.
type FollowPage struct {
	Items      []FollowedPerson
	NextCursor string
}

// The two directions of a follow list, as cursor sorts: a cursor of one
// is refused by the other.
const (
	sortFollowers Sort = "followers"
	sortFollowing Sort = "following"
)

// Followers lists who follows userID, newest follow first, limit to a
// page (DefaultListLimit when out of 1 to MaxListLimit) after cursor ("" for
// the first page); a cursor not issued for this list is ErrBadCursor.
func (s *Store) Followers(ctx context.Context, userID string, limit int, cursor string) (*FollowPage, error) {
	return s.followList(ctx, sortFollowers, userID, limit, cursor)
}

// Following lists whom userID follows, as Followers does.
func (s *Store) Following(ctx context.Context, userID string, limit int, cursor string) (*FollowPage, error) {
	return s.followList(ctx, sortFollowing, userID, limit, cursor)
}

// followList reads one page of a follow list in one statement: the page
// of rows along the direction's newest-first index, joined to the people
// listed, and their avatars as a JSON column computed for the page's rows
// only.
func (s *Store) followList(ctx context.Context, dir Sort, userID string, limit int, cur string) (*FollowPage, error) {
	if limit <= 0 || limit > MaxListLimit {
		limit = DefaultListLimit
	}
	c, err := decodeCursor(cur, dir)
	if err != nil {
		return nil, err
	}
	if c != nil && c.Time.IsZero() {
		return nil, ErrBadCursor
	}
	if !validID(userID) {
		return &FollowPage{Items: []FollowedPerson{}}, nil
	}
	self, other := "followee_id", "follower_id"
	if dir == sortFollowing {
		self, other = "follower_id", "followee_id"
	}
	where, args := "f."+self+" = ?", []any{userID}
	if c != nil {
		where += " AND (f.created_at < ? OR (f.created_at = ? AND f." + other + " < ?))"
		args = append(args, c.Time, c.Time, c.ID)
	}
	args = append(args, limit+1)
	query := "SELECT pg.person, pg.username, pg.display_name, pg.since" +
		", (SELECT " + photoObject(s.d, "p") + " FROM photos p WHERE p.owner_id = pg.person AND p.role = 'avatar')" +
		" FROM (SELECT f." + other + " AS person, u.username, u.display_name, f.created_at AS since" +
		" FROM follows f JOIN users u ON u.id = f." + other +
		" WHERE " + where + " ORDER BY f.created_at DESC, f." + other + " DESC LIMIT ?) pg" +
		" ORDER BY pg.since DESC, pg.person DESC"
	page := &FollowPage{Items: []FollowedPerson{}}
	err = s.fromReplica(ctx, func(q conn) error {
		page.Items = page.Items[:0]
		rs, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var p FollowedPerson
			var avatar []byte
			if err := rs.Scan(&p.ID, &p.Username, &p.DisplayName, &p.Since, &avatar); err != nil {
				return err
			}
			if p.Avatar, err = s.decodePhoto(avatar, false); err != nil {
				return err
			}
			p.Since = p.Since.UTC()
			page.Items = append(page.Items, p)
		}
		return rs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list %s of %s: %w", dir, userID, err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.NextCursor = encodeCursor(cursor{Sort: dir, ID: last.ID, Time: last.Since})
	}
	return page, nil
}

// Feed is one page of viewerID's home feed: the newest public recipes of
// the people they follow, newest first, as cards like every list's. Never
// an unlisted or private recipe, even to a follower: following someone
// is not being given their links. limit and cursor are as ListRecipes's.
func (s *Store) Feed(ctx context.Context, viewerID string, limit int, cursor string) (*Page, error) {
	if !validID(viewerID) {
		return nil, ErrNotFound
	}
	return s.ListRecipes(ctx, ListQuery{ViewerID: viewerID, FollowedBy: viewerID, Sort: SortNewest, Limit: limit, Cursor: cursor})
}

// feedFilter narrows f to the public recipes of the people followerID
// follows. The authors come from the follower's rows (IN, not EXISTS), so
// the planner can start from the few people they follow and walk each
// one's public recipes newest first (recipes_author_public_newest_idx)
// rather than every public recipe.
func (f *filter) feedFilter(followerID string) {
	f.where = append(f.where, "r.author_id IN (SELECT fo.followee_id FROM follows fo WHERE fo.follower_id = ?)", "r.visibility = 'public'")
	f.args = append(f.args, followerID)
}
