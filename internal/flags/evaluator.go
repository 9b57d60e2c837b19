package flags

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Reason says why an evaluation gave its answer. The values are
// OpenFeature's reason names, so a provider for that API (or the logs
// read beside another flag service's) needs no translation table.
type Reason string

const (
	// ReasonDefault: no override applies; the flag's declared default.
	ReasonDefault Reason = "DEFAULT"
	// ReasonStatic: the override gives everyone the same answer (the
	// kill switch, 0 % or 100 %).
	ReasonStatic Reason = "STATIC"
	// ReasonTargetingMatch: the user is on the override's allow or deny list.
	ReasonTargetingMatch Reason = "TARGETING_MATCH"
	// ReasonSplit: a partial rollout; the user's bucket decided.
	ReasonSplit Reason = "SPLIT"
	// ReasonError: the flag is unknown or the overrides could not be
	// loaded; the value is the flag's default (false for an unknown flag).
	ReasonError Reason = "ERROR"
)

// Result is one evaluation.
type Result struct {
	Value  bool
	Reason Reason
	// Err is set with ReasonError.
	Err error
}

// ErrUnknownFlag is the error for a key the registry does not declare.
var ErrUnknownFlag = errors.New("unknown feature flag")

// Source loads every override of one environment in one query; the store
// implements it.
type Source interface {
	FlagOverrides(ctx context.Context, environment string) ([]Override, error)
}

// DefaultTTL is how long a process answers from one snapshot of the
// overrides: short enough that a change reaches every replica within
// seconds, long enough that a busy server reads the table a few times a
// minute rather than on every request.
const DefaultTTL = 5 * time.Second

// Options tune an Evaluator; the zero value is the production setting.
type Options struct {
	// TTL of the snapshot; 0 means DefaultTTL.
	TTL time.Duration
	// Now is the clock (tests inject one); nil means time.Now.
	Now func() time.Time
	// Flags replaces the registry (tests declare their own flags).
	Flags []Flag
	// Logger reports failed refreshes; nil discards.
	Logger *slog.Logger
}

// Evaluator answers flag questions for one environment. It is safe for
// concurrent use.
type Evaluator struct {
	src   Source
	env   string
	ttl   time.Duration
	now   func() time.Time
	flags map[string]Flag
	log   *slog.Logger

	mu      sync.Mutex
	snap    map[string]*entry // nil until the first load succeeds
	expires time.Time
	// loading lets one caller refresh while the others keep answering
	// from the stale snapshot.
	loading sync.Mutex
}

// entry is an override with its lists as sets.
type entry struct {
	Override
	allow, deny map[string]struct{}
}

// New returns an evaluator for environment env reading overrides from src.
func New(src Source, env string, opt Options) *Evaluator {
	e := &Evaluator{src: src, env: env, ttl: opt.TTL, now: opt.Now, log: opt.Logger, flags: map[string]Flag{}}
	if e.ttl <= 0 {
		e.ttl = DefaultTTL
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	defs := opt.Flags
	if defs == nil {
		defs = registry
	}
	for _, f := range defs {
		e.flags[f.Key] = f
	}
	return e
}

// Environment is the environment whose overrides apply.
func (e *Evaluator) Environment() string { return e.env }

// Flag returns the declaration of key, if the evaluator knows it.
func (e *Evaluator) Flag(key string) (Flag, bool) {
	f, ok := e.flags[key]
	return f, ok
}

// Enabled is Evaluate for callers that only need the answer. userID is ""
// for an anonymous visitor.
func (e *Evaluator) Enabled(ctx context.Context, key, userID string) bool {
	return e.Evaluate(ctx, key, userID).Value
}

// Evaluate answers whether flag key is on for the user (userID "" for an
// anonymous visitor). The rule, in order:
//
//  1. No override in this environment: the flag's default (DEFAULT).
//  2. The override is disabled (the kill switch): off for everyone, the
//     allow list included (STATIC).
//  3. The user is on the deny list: off; else on the allow list: on
//     (TARGETING_MATCH).
//  4. Rollout 100 %: on; 0 %: off, for signed-in and anonymous alike
//     (STATIC).
//  5. Anonymous visitors have no stable id to place, so during a partial
//     rollout they get the flag's default (DEFAULT).
//  6. Otherwise on exactly when Bucket(key, userID) < percent × 100
//     (SPLIT).
//
// When the overrides cannot be loaded and there is no earlier snapshot,
// the answer is the flag's default with ERROR; an unknown key is off with
// ERROR and ErrUnknownFlag.
func (e *Evaluator) Evaluate(ctx context.Context, key, userID string) Result {
	f, ok := e.flags[key]
	if !ok {
		return Result{Reason: ReasonError, Err: fmt.Errorf("%w %q", ErrUnknownFlag, key)}
	}
	snap, err := e.snapshot(ctx)
	if err != nil {
		return Result{Value: f.Default, Reason: ReasonError, Err: err}
	}
	return decide(f, snap[key], userID)
}

func decide(f Flag, o *entry, userID string) Result {
	switch {
	case o == nil:
		return Result{Value: f.Default, Reason: ReasonDefault}
	case !o.Enabled:
		return Result{Value: false, Reason: ReasonStatic}
	}
	if userID != "" {
		if _, ok := o.deny[userID]; ok {
			return Result{Value: false, Reason: ReasonTargetingMatch}
		}
		if _, ok := o.allow[userID]; ok {
			return Result{Value: true, Reason: ReasonTargetingMatch}
		}
	}
	switch {
	case o.RolloutPercent >= 100:
		return Result{Value: true, Reason: ReasonStatic}
	case o.RolloutPercent <= 0:
		return Result{Value: false, Reason: ReasonStatic}
	case userID == "":
		return Result{Value: f.Default, Reason: ReasonDefault}
	}
	return Result{Value: inRollout(f.Key, userID, o.RolloutPercent), Reason: ReasonSplit}
}

// Invalidate drops the snapshot, so the next evaluation reloads: for a
// change made in this process (the admin console). Other replicas see it
// when their TTL runs out.
func (e *Evaluator) Invalidate() {
	e.mu.Lock()
	e.expires = time.Time{}
	e.mu.Unlock()
}

// snapshot returns the overrides by key, reloading them when the TTL has
// passed. One query loads the whole environment. While one caller
// reloads, the others answer from the stale snapshot rather than queue;
// if the reload fails, the stale snapshot serves for another TTL.
func (e *Evaluator) snapshot(ctx context.Context) (map[string]*entry, error) {
	e.mu.Lock()
	snap, fresh := e.snap, e.now().Before(e.expires)
	e.mu.Unlock()
	if snap != nil && fresh {
		return snap, nil
	}
	if snap != nil {
		if !e.loading.TryLock() {
			return snap, nil
		}
	} else {
		e.loading.Lock()
	}
	defer e.loading.Unlock()

	e.mu.Lock()
	snap, fresh = e.snap, e.now().Before(e.expires)
	e.mu.Unlock()
	if snap != nil && fresh {
		return snap, nil // another caller reloaded while this one waited
	}
	list, err := e.src.FlagOverrides(ctx, e.env)
	if err != nil {
		err = fmt.Errorf("load feature flag overrides for %s: %w", e.env, err)
		if snap == nil {
			return nil, err
		}
		if ctx.Err() != nil {
			return snap, nil // this caller gave up; the next one retries
		}
		e.log.Warn("feature flags: keeping the previous overrides", "err", err)
		e.mu.Lock()
		e.expires = e.now().Add(e.ttl)
		e.mu.Unlock()
		return snap, nil
	}
	next := make(map[string]*entry, len(list))
	for _, o := range list {
		next[o.Key] = &entry{Override: o, allow: set(o.AllowUsers), deny: set(o.DenyUsers)}
	}
	e.mu.Lock()
	e.snap, e.expires = next, e.now().Add(e.ttl)
	e.mu.Unlock()
	return next, nil
}

func set(ids []string) map[string]struct{} {
	m := make(map[string]struct{}, len(ids))
	for _, id := range ids {
		m[id] = struct{}{}
	}
	return m
}
