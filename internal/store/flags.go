package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/reccollection/reccollection/internal/flags"
)

const flagColumns = "environment, key, enabled, rollout_percent, allow_users, deny_users, updated_at, updated_by"

func scanFlagOverride(row interface{ Scan(...any) error }) (flags.Override, error) {
	var o flags.Override
	var allow, deny string
	if err := row.Scan(&o.Environment, &o.Key, &o.Enabled, &o.RolloutPercent, &allow, &deny, &o.UpdatedAt, &o.UpdatedBy); err != nil {
		return o, err
	}
	if err := json.Unmarshal([]byte(allow), &o.AllowUsers); err != nil {
		return o, fmt.Errorf("flag %s allow list: %w", o.Key, err)
	}
	if err := json.Unmarshal([]byte(deny), &o.DenyUsers); err != nil {
		return o, fmt.Errorf("flag %s deny list: %w", o.Key, err)
	}
	return o, nil
}

// FlagOverrides returns every flag override of one environment, in one
// query: the whole input of a flag evaluator's snapshot.
func (s *Store) FlagOverrides(ctx context.Context, environment string) ([]flags.Override, error) {
	rows, err := s.read().QueryContext(ctx,
		"SELECT "+flagColumns+" FROM feature_flags WHERE environment = ? ORDER BY key", environment)
	if err != nil {
		return nil, fmt.Errorf("load flag overrides: %w", err)
	}
	defer rows.Close()
	var out []flags.Override
	for rows.Next() {
		o, err := scanFlagOverride(rows)
		if err != nil {
			return nil, fmt.Errorf("load flag overrides: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load flag overrides: %w", err)
	}
	return out, nil
}

// FlagOverride returns one environment's override of key, or ErrNotFound.
func (s *Store) FlagOverride(ctx context.Context, environment, key string) (flags.Override, error) {
	if !storable(environment) || !storable(key) {
		return flags.Override{}, ErrNotFound
	}
	o, err := scanFlagOverride(s.read().QueryRowContext(ctx,
		"SELECT "+flagColumns+" FROM feature_flags WHERE environment = ? AND key = ?", environment, key))
	if errors.Is(err, sql.ErrNoRows) {
		return flags.Override{}, ErrNotFound
	}
	if err != nil {
		return flags.Override{}, fmt.Errorf("load flag override %s: %w", key, err)
	}
	return o, nil
}

// SetFlagOverride creates or replaces the override of o.Key in
// o.Environment, stamping UpdatedAt. The lists are stored as given.
func (s *Store) SetFlagOverride(ctx context.Context, o *flags.Override) error {
	if err := o.Validate(); err != nil {
		return err
	}
	allow, err := jsonList(o.AllowUsers)
	if err != nil {
		return err
	}
	deny, err := jsonList(o.DenyUsers)
	if err != nil {
		return err
	}
	o.UpdatedAt = s.now().UTC().Truncate(time.Microsecond)
	// INSERT … ON CONFLICT … DO UPDATE is the same statement on both
	// engines; "excluded" is the row that was refused.
	_, err = s.read().ExecContext(ctx,
		"INSERT INTO feature_flags ("+flagColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "+
			"ON CONFLICT (environment, key) DO UPDATE SET enabled = excluded.enabled, "+
			"rollout_percent = excluded.rollout_percent, allow_users = excluded.allow_users, "+
			"deny_users = excluded.deny_users, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
		o.Environment, o.Key, o.Enabled, o.RolloutPercent, allow, deny, o.UpdatedAt, o.UpdatedBy)
	if err != nil {
		return fmt.Errorf("set flag override %s in %s: %w", o.Key, o.Environment, err)
	}
	return nil
}

// DeleteFlagOverride removes an override, so the flag's default applies
// again; ErrNotFound when there was none.
func (s *Store) DeleteFlagOverride(ctx context.Context, environment, key string) error {
	res, err := s.read().ExecContext(ctx, "DELETE FROM feature_flags WHERE environment = ? AND key = ?", environment, key)
	if err != nil {
		return fmt.Errorf("delete flag override %s in %s: %w", key, environment, err)
	}
	return mustAffect(res, "flag override "+key)
}

// jsonList encodes ids as a JSON array, never null.
func jsonList(ids []string) (string, error) {
	if ids == nil {
		ids = []string{}
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return "", fmt.Errorf("encode user list: %w", err)
	}
	return string(b), nil
}
