package backup

import (
	"strings"

	"github.com/reccollection/reccollection/internal/store"
)

// kind is the engine-neutral type of a column in the archive; the store's
// catalog decides it from each engine's declarations, and it decides the
// canonical encoding (value.go).
type kind = store.ColumnKind

const (
	kindText  = store.KindText
	kindInt   = store.KindInteger
	kindFloat = store.KindReal
	kindBool  = store.KindBoolean
	kindTime  = store.KindTimestamp
	kindBytes = store.KindBytes
	kindJSON  = store.KindJSON
)

// column is one column as the archive records it.
type column struct {
	Name string `json:"name"`
	Kind kind   `json:"kind"`
}

// columnsOf is how the archive records t's columns.
func columnsOf(t store.Table) []column {
	out := make([]column, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = column{Name: c.Name, Kind: c.Kind}
	}
	return out
}

// tableFromEntry is the table a manifest entry describes, in the archive's
// column order, with the reading and writing details of live, the same
// table in the database at hand.
func tableFromEntry(e TableEntry, live store.Table) store.Table {
	cols := make([]store.Column, len(e.Columns))
	for i, c := range e.Columns {
		cols[i] = store.Column{Name: c.Name, Kind: c.Kind}
	}
	return live.WithColumns(cols, e.Key)
}

// excludedTable reports whether a table stays out of backups; the cases
// below say why.
func excludedTable(name string) bool {
	switch {
	case name == "goose_db_version":
		// The schema version is in the manifest; restore migrates the
		// target to it, which writes this table itself.
		return true
	case name == "backup_runs":
		// The history of backups of this database, not application data:
		// a restored database has not been backed up yet, and the
		// BackupTooOld alert should say so until it is.
		return true
	case strings.HasPrefix(name, "river_"):
		// The job queue's state (pending, running and finished jobs,
		// leader election). Restoring it would re-run or lose jobs
		// against data from another moment; the queue starts empty and
		// periodic jobs schedule themselves again.
		return true
	}
	// Sessions, API tokens and the TLS certificate cache are kept on
	// purpose: users stay signed in across a restore or an engine move, and
	// replicas need not ask the CA for certificates again (its rate limits
	// could leave the site without HTTPS for days).
	return false
}
