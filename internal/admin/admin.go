// Package admin holds the operations of the admin console that the JSON
// API and the web pages share: changing accounts, setting feature flags
// and the system status, each writing the same audit entries.
package admin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/store"
)

// Audit log actions of the admin console.
const (
	AuditUserDisable   = "user.disable"
	AuditUserEnable    = "user.enable"
	AuditUserRole      = "user.role"
	AuditSessionsReset = "user.sessions_reset"
	AuditUserRevoke    = "user.revoke"
	AuditFlagSet       = "flag.set"
)

// Refusals of changes an admin may not make to their own account, and
// what to tell the admin.
var (
	ErrSelfDisable = errors.New("an admin cannot disable their own account")
	ErrSelfDemote  = errors.New("an admin cannot remove their own admin role")
)

// Messages for ErrSelfDisable and ErrSelfDemote, for people.
const (
	SelfDisableMessage = "You cannot disable your own account."
	SelfDemoteMessage  = "You cannot remove your own admin role; ask another admin."
)

// FlagCache is what the console needs of the flag evaluator
// (flags.Evaluator): the environment it evaluates for, and a way to drop
// cached answers after a change.
type FlagCache interface {
	Environment() string
	Invalidate()
}

// Service carries out admin actions.
type Service struct {
	store  *store.Store
	flags  FlagCache // may be nil
	env    string
	log    *slog.Logger
	status *StatusSources // may be nil
}

// New returns the service. env is the flag environment used when cache
// is nil.
func New(s *store.Store, cache FlagCache, env string, log *slog.Logger) *Service {
	if cache != nil {
		env = cache.Environment()
	}
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: s, flags: cache, env: env, log: log}
}

// WithStatusSources gives the system status the parts of the system it
// reports on besides the database.
func (s *Service) WithStatusSources(src *StatusSources) *Service {
	s.status = src
	return s
}

// Environment is the environment whose flag overrides the console shows
// and sets.
func (s *Service) Environment() string { return s.env }

// Audit appends an admin action; a failure to write is logged, not
// returned: the change it describes has already happened. A nil actor is
// the operator at the command line (`reccollection user …`).
func (s *Service) Audit(ctx context.Context, actor *auth.User, action, target, ip, details string) {
	e := store.AuditEntry{Action: action, Target: target, IP: ip, Details: details}
	if actor != nil {
		e.ActorID = actor.ID
	} else {
		e.Details += " (command line)"
	}
	if err := s.store.Audit(ctx, e); err != nil {
		s.log.WarnContext(ctx, "append audit log", "action", action, "err", err)
	}
}

// SetDisabled disables or re-enables target's account. Disabling revokes
// every session and API token for good, so re-enabling lets nothing old
// back in: the user signs in afresh with their password. An admin cannot
// disable themself (ErrSelfDisable). actor is nil at the command line.
func (s *Service) SetDisabled(ctx context.Context, actor, target *auth.User, disabled bool, ip string) (store.Revoked, error) {
	if disabled && actor != nil && target.ID == actor.ID {
		return store.Revoked{}, ErrSelfDisable
	}
	rev, err := s.store.SetUserDisabled(ctx, target.ID, disabled)
	if err != nil {
		return rev, err
	}
	action, details := AuditUserEnable, target.Username
	if disabled {
		action, details = AuditUserDisable, revokedDetails(target, rev)
	}
	s.Audit(ctx, actor, action, "user:"+target.ID, ip, details)
	return rev, nil
}

// Revoke ends every session and API token (sign-in and personal) of
// target for good: whoever holds one must sign in again. Admins may revoke
// their own, which signs them out. actor is nil at the command line.
func (s *Service) Revoke(ctx context.Context, actor, target *auth.User, ip string) (store.Revoked, error) {
	return s.revoke(ctx, actor, target, ip, AuditUserRevoke)
}

// ResetSessions is the older name of Revoke, kept for its route; it
// records its own audit action.
func (s *Service) ResetSessions(ctx context.Context, actor, target *auth.User, ip string) (store.Revoked, error) {
	return s.revoke(ctx, actor, target, ip, AuditSessionsReset)
}

func (s *Service) revoke(ctx context.Context, actor, target *auth.User, ip, action string) (store.Revoked, error) {
	rev, err := s.store.RevokeCredentials(ctx, target.ID)
	if err != nil {
		return rev, err
	}
	s.Audit(ctx, actor, action, "user:"+target.ID, ip, revokedDetails(target, rev))
	return rev, nil
}

// revokedDetails is the audit entry's note of what a revocation ended.
func revokedDetails(target *auth.User, rev store.Revoked) string {
	return fmt.Sprintf("%s: %d sessions, %d tokens revoked", target.Username, rev.Sessions, rev.Tokens)
}

// SetRole gives target role; an admin cannot demote themself
// (ErrSelfDemote).
func (s *Service) SetRole(ctx context.Context, actor, target *auth.User, role auth.Role, ip string) error {
	if target.ID == actor.ID && role != auth.RoleAdmin {
		return ErrSelfDemote
	}
	if err := s.store.SetRole(ctx, target.ID, role); err != nil {
		return err
	}
	s.Audit(ctx, actor, AuditUserRole, "user:"+target.ID, ip, fmt.Sprintf("%s: %s -> %s", target.Username, target.Role, role))
	return nil
}

// FlagState is a declared flag with this environment's override, if any.
type FlagState struct {
	flags.Flag
	Environment string
	Override    *flags.Override
}

// Flags lists every declared flag with its override.
func (s *Service) Flags(ctx context.Context) ([]FlagState, error) {
	overrides, err := s.store.FlagOverrides(ctx, s.env)
	if err != nil {
		return nil, err
	}
	byKey := map[string]flags.Override{}
	for _, o := range overrides {
		byKey[o.Key] = o
	}
	out := []FlagState{}
	for _, f := range flags.All() {
		st := FlagState{Flag: f, Environment: s.env}
		if o, ok := byKey[f.Key]; ok {
			st.Override = &o
		}
		out = append(out, st)
	}
	return out, nil
}

// FlagChange is a new override for a flag; the lists hold user ids.
type FlagChange struct {
	Enabled        bool
	RolloutPercent int
	Allow, Deny    []string
}

// SetFlag stores the override, drops cached evaluations and audits the
// change. An override that may not be stored is an error wrapping
// flags.ErrInvalid.
func (s *Service) SetFlag(ctx context.Context, actor *auth.User, f flags.Flag, c FlagChange, ip string) (flags.Override, error) {
	o := flags.Override{Environment: s.env, Key: f.Key, Enabled: c.Enabled, RolloutPercent: c.RolloutPercent,
		AllowUsers: c.Allow, DenyUsers: c.Deny, UpdatedBy: actor.Username}
	if err := s.store.SetFlagOverride(ctx, &o); err != nil {
		return o, err
	}
	if s.flags != nil {
		s.flags.Invalidate()
	}
	s.Audit(ctx, actor, AuditFlagSet, "flag:"+f.Key, ip, s.env+": "+o.Summary())
	return o, nil
}

// Status is what is running: build, database and schema, file storage,
// and the job queue.
type Status struct {
	Version       string `json:"version"`
	Commit        string `json:"commit"`
	Engine        string `json:"engine"`
	SchemaVersion int64  `json:"schema_version"`
	SchemaTarget  int64  `json:"schema_target"`
	Database      string `json:"database"` // "ok", "unreachable" or "error"
	// Storage is "ok" when a probe could be written, read back and
	// deleted just now, "error" when not, and "none" when the service
	// was given no store.
	Storage string `json:"storage"`
	// StorageDescription names the store (media.Store.Describe), never
	// with credentials.
	StorageDescription string `json:"storage_description"`
	// Queue is nil when no job queue is configured.
	Queue *QueueStatus `json:"queue"`
}

// QueueStatus is the job queue at a glance.
type QueueStatus struct {
	// Health is "ok", or "error" when the queue could not be counted
	// (the counts are then zero).
	Health string `json:"health"`
	// Available jobs wait for a free worker.
	Available int64 `json:"available"`
	// Running jobs are being worked now, on any replica.
	Running int64 `json:"running"`
	// Retrying jobs failed at least once and wait for another attempt.
	Retrying int64 `json:"retrying"`
	// FailedLastDay jobs gave up in the last 24 hours.
	FailedLastDay int64 `json:"failed_last_day"`
}

// QueueReporter counts the job queue's jobs for the status; the queue
// implements it, and Health is set from the error.
type QueueReporter interface {
	QueueStatus(ctx context.Context) (QueueStatus, error)
}

// StatusSources are the parts of the system the status reports on besides
// the database; either may be nil. The application fills them in while it
// starts and only reads them afterwards.
type StatusSources struct {
	Storage media.Store
	Queue   QueueReporter
}

// statusTimeout bounds the whole status: a page that waits on a hung
// dependency would hide the other answers.
const statusTimeout = 2 * time.Second

// SystemStatus checks the database, the storage and the queue at once,
// each within the same two seconds, so one slow dependency cannot use up
// the others' time.
func (s *Service) SystemStatus(ctx context.Context) Status {
	ctx, cancel := context.WithTimeout(ctx, statusTimeout)
	defer cancel()
	bi := buildinfo.Get()
	v := Status{Version: bi.Version, Commit: bi.Commit, Engine: s.store.Engine(), Database: "ok", Storage: "none"}
	var src StatusSources
	if s.status != nil {
		src = *s.status
	}
	var wg sync.WaitGroup
	if src.Storage != nil {
		v.StorageDescription = src.Storage.Describe()
		wg.Go(func() {
			v.Storage = "ok"
			if err := src.Storage.Check(ctx); err != nil {
				v.Storage = "error"
				s.log.WarnContext(ctx, "storage check failed", "storage", v.StorageDescription, "err", err)
			}
		})
	}
	if src.Queue != nil {
		wg.Go(func() {
			q, err := src.Queue.QueueStatus(ctx)
			if err != nil {
				q = QueueStatus{Health: "error"}
				s.log.WarnContext(ctx, "job queue status failed", "err", err)
			} else {
				q.Health = "ok"
			}
			v.Queue = &q
		})
	}
	if err := s.store.Ping(ctx); err != nil {
		v.Database = "unreachable"
	} else if v.SchemaVersion, v.SchemaTarget, err = s.store.SchemaVersion(ctx); err != nil {
		v.Database = "error"
	}
	wg.Wait()
	return v
}

// AuditPage is how many audit entries a page shows.
const AuditPage = 50

// AuditLog returns the page of entries older than before (0: newest) and
// the before value of the next page, 0 if this is the last.
func (s *Service) AuditLog(ctx context.Context, before int64) ([]store.AuditEntry, int64, error) {
	entries, err := s.store.AuditLog(ctx, AuditPage, before)
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(entries) == AuditPage {
		next = entries[len(entries)-1].ID
	}
	return entries, next, nil
}
