package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// IdempotencyTTL is how long the answer to a keyed request is kept: a
// client may retry with the same Idempotency-Key for this long.
const IdempotencyTTL = 24 * time.Hour

// Errors Idempotent reports for a key that cannot be used now.
var (
	// ErrIdempotencyKeyReused: the key was used before for another request.
	ErrIdempotencyKeyReused = errors.New("idempotency key was used for a different request")
	// ErrIdempotencyKeyInFlight: a request with the key is still running.
	ErrIdempotencyKeyInFlight = errors.New("a request with this idempotency key is still in progress")
)

// IdempotencyRequest names one keyed request. Keys belong to a user; a
// request without one (registration, sign-in) has UserID "" and its keys
// live in an anonymous scope of their own (anonymous_idempotency_keys),
// where only the fingerprint ties a record to its client.
type IdempotencyRequest struct {
	UserID      string
	Key         string
	Fingerprint Fingerprint
}

// Fingerprint tells a true retry from another request that reuses a key.
type Fingerprint interface {
	// Matches reports whether recorded, what Record returned for an
	// earlier request under the key, was this request's.
	Matches(recorded string) bool
	// Record returns what to keep for this request. It is called only
	// once the request has succeeded, so a costly fingerprint (a salted
	// slow hash) is paid for only by the requests that are recorded.
	Record() (string, error)
}

// ExactFingerprint is a fingerprint compared for equality: a hash of the
// request's method, path and body.
type ExactFingerprint string

// Matches reports whether recorded is f.
func (f ExactFingerprint) Matches(recorded string) bool { return string(f) == recorded }

// Record returns f.
func (f ExactFingerprint) Record() (string, error) { return string(f), nil }

// IdempotentResponse is the answer kept for a key and replayed to retries.
// Body is stored as given: the caller seals it if it holds a secret.
type IdempotentResponse struct {
	Status      int
	ContentType string
	Location    string
	Body        []byte
}

// txKey marks a context that carries s's open transaction (an openTx),
// which inTx and joined join instead of using a connection of their own.
type txKey struct{ s *Store }

// openTx is the transaction Idempotent opened, and what is to be done
// once it has ended (after).
type openTx struct {
	c     conn
	after []func(ctx context.Context)
	// committed runs only once the transaction has committed.
	committed []func(ctx context.Context)
}

// joined returns the transaction ctx carries (inside Idempotent), else
// the primary: the statement form of inTx, for single-statement writes
// and for reads that must see what the transaction wrote.
func (s *Store) joined(ctx context.Context) conn {
	if t, ok := ctx.Value(txKey{s}).(*openTx); ok {
		return t.c
	}
	return s.read()
}

// afterTx defers fn until the transaction ctx carries has ended, committed
// or not, and reports whether it did; false means ctx carries none and
// the caller should go ahead now.
func (s *Store) afterTx(ctx context.Context, fn func(ctx context.Context)) bool {
	t, ok := ctx.Value(txKey{s}).(*openTx)
	if ok {
		t.after = append(t.after, fn)
	}
	return ok
}

// AfterCommit runs fn once the transaction ctx carries (inside Idempotent)
// has committed, and not at all if it rolls back; without one it runs fn
// at once. It is for work outside the database's transaction that must
// follow a write, such as queueing a job on another connection: run inside
// the transaction, that job could start before the row it works on is
// visible (or, on SQLite, wait for the transaction's own lock).
func (s *Store) AfterCommit(ctx context.Context, fn func(ctx context.Context)) {
	if t, ok := ctx.Value(txKey{s}).(*openTx); ok {
		t.committed = append(t.committed, fn)
		return
	}
	fn(ctx)
}

// Idempotent runs write at most once per scope (a user, or the anonymous
// scope) and key within IdempotencyTTL. write receives a context in which
// the store's writes join one transaction; the response it returns is
// recorded in that same transaction, so the write and its record commit
// together or not at all, and a crash or lost connection can never leave
// a created row without the record that makes a retry find it.
//
// A retry whose fingerprint matches gets the recorded response and
// replayed = true, and write does not run; the same key with another
// fingerprint is ErrIdempotencyKeyReused. On PostgreSQL a request arriving
// while another with its key is still running gets
// ErrIdempotencyKeyInFlight at once rather than waiting (a transaction
// advisory lock); SQLite runs one writing transaction at a time, so there
// the second simply waits and then replays.
//
// When write returns a nil response (the request failed: a validation
// error, say) or an error, the transaction rolls back and nothing is
// recorded, so the key stays free for a corrected request.
//
// Every store write that write makes must go through inTx or joined (as
// the recipe, user, session and token writes do): a write on another
// connection would wait for this transaction's lock on SQLite. The audit
// log is the exception by design (Audit): its entries are written once the
// transaction has ended, because a refused attempt must stay recorded
// when the transaction rolls back.
func (s *Store) Idempotent(ctx context.Context, req IdempotencyRequest,
	write func(ctx context.Context) (*IdempotentResponse, error)) (resp *IdempotentResponse, replayed bool, err error) {
	if _, nested := ctx.Value(txKey{s}).(*openTx); nested {
		return nil, false, errors.New("idempotent requests do not nest")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		if ctx.Err() == nil {
			err = &unavailableError{err: err}
		}
		return nil, false, fmt.Errorf("begin transaction: %w", err)
	}
	open := &openTx{c: conn{q: tx, d: s.d}}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
		for _, fn := range open.after {
			fn(ctx)
		}
	}()
	c := open.c
	if s.d.name() == "postgres" {
		var locked bool
		if err := c.QueryRowContext(ctx, "SELECT pg_try_advisory_xact_lock(?)", idempotencyLockID(req)).Scan(&locked); err != nil {
			return nil, false, fmt.Errorf("lock idempotency key: %w", err)
		}
		if !locked {
			return nil, false, ErrIdempotencyKeyInFlight
		}
	}
	table, where, args := "idempotency_keys", "user_id = ? AND key = ?", []any{req.UserID, req.Key}
	if req.UserID == "" {
		table, where, args = "anonymous_idempotency_keys", "key = ?", []any{req.Key}
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	// An expired record no longer binds the key: it is removed here, in the
	// same transaction, so the key can be recorded anew.
	if _, err := c.ExecContext(ctx, "DELETE FROM "+table+" WHERE "+where+" AND created_at <= ?",
		append(args, now.Add(-IdempotencyTTL))...); err != nil {
		return nil, false, fmt.Errorf("expire idempotency key: %w", err)
	}
	var prev IdempotentResponse
	var fingerprint string
	err = c.QueryRowContext(ctx, "SELECT fingerprint, status, content_type, location, body FROM "+table+" WHERE "+where, args...).
		Scan(&fingerprint, &prev.Status, &prev.ContentType, &prev.Location, &prev.Body)
	switch {
	case err == nil:
		if !req.Fingerprint.Matches(fingerprint) {
			return nil, false, ErrIdempotencyKeyReused
		}
		return &prev, true, nil
	case !errors.Is(err, sql.ErrNoRows):
		return nil, false, fmt.Errorf("look up idempotency key: %w", err)
	}

	resp, err = write(context.WithValue(ctx, txKey{s}, open))
	if err != nil || resp == nil {
		return resp, false, err
	}
	if resp.Body == nil {
		resp.Body = []byte{}
	}
	record, err := req.Fingerprint.Record()
	if err != nil {
		return nil, false, fmt.Errorf("fingerprint idempotent request: %w", err)
	}
	if req.UserID == "" {
		_, err = c.ExecContext(ctx, `INSERT INTO anonymous_idempotency_keys
			(key, fingerprint, status, content_type, location, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			req.Key, record, resp.Status, resp.ContentType, resp.Location, resp.Body, now)
	} else {
		_, err = c.ExecContext(ctx, `INSERT INTO idempotency_keys
			(user_id, key, fingerprint, status, content_type, location, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			req.UserID, req.Key, record, resp.Status, resp.ContentType, resp.Location, resp.Body, now)
	}
	if err != nil {
		return nil, false, fmt.Errorf("record idempotency key: %w", err)
	}
	committed = true
	if err := tx.Commit(); err != nil {
		return nil, false, fmt.Errorf("commit: %w", err)
	}
	for _, fn := range open.committed {
		fn(ctx)
	}
	return resp, false, nil
}

// idempotencyLockID maps a scope's key to a PostgreSQL advisory lock id
// (the anonymous scope's UserID "" is no user's id). A collision between
// two keys would only make one of them wait for a 409 retry, never mix
// their answers (the record is found by scope and key).
func idempotencyLockID(req IdempotencyRequest) int64 {
	h := sha256.Sum256([]byte("idempotency\x00" + req.UserID + "\x00" + req.Key))
	return int64(binary.BigEndian.Uint64(h[:8]))
}

// DeleteExpiredIdempotencyKeys removes records older than IdempotencyTTL
// and reports how many went. Expired records are already ignored, so this
// only bounds the table's size.
func (s *Store) DeleteExpiredIdempotencyKeys(ctx context.Context) (int64, error) {
	cutoff := s.now().UTC().Add(-IdempotencyTTL)
	var total int64
	for _, table := range []string{"idempotency_keys", "anonymous_idempotency_keys"} {
		res, err := s.read().ExecContext(ctx, "DELETE FROM "+table+" WHERE created_at <= ?", cutoff)
		if err != nil {
			return total, fmt.Errorf("delete expired idempotency keys: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("delete expired idempotency keys: %w", err)
		}
		total += n
	}
	return total, nil
}
