package backup

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// FormatVersion is the archive layout this build writes and reads.
const (
	formatName    = "reccollection-backup"
	FormatVersion = 1
)

// Manifest is the archive's first entry, manifest.json. It describes
// everything after it, in order: one tables/<name>.ndjson per table, then
// one files/<key> per stored user file.
type Manifest struct {
	Format        string    `json:"format"`
	FormatVersion int       `json:"format_version"`
	AppVersion    string    `json:"app_version"`
	AppCommit     string    `json:"app_commit"`
	Engine        string    `json:"engine"`
	SchemaVersion int64     `json:"schema_version"`
	CreatedAt     time.Time `json:"created_at"`
	// Tables are in foreign-key order: restore inserts them in this order.
	Tables []TableEntry `json:"tables"`
	// Files come last so that `backup list` can stop reading early.
	Files []FileEntry `json:"files"`
}

// TableEntry is one table: its columns, the key its rows are ordered by,
// the row count and the SHA-256 of its canonical rows file.
type TableEntry struct {
	Name    string   `json:"name"`
	Columns []column `json:"columns"`
	Key     []string `json:"key"`
	Rows    int64    `json:"rows"`
	SHA256  string   `json:"sha256"`
}

// FileEntry is one stored user file.
type FileEntry struct {
	Key    string `json:"key"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

func (t TableEntry) path() string { return "tables/" + t.Name + ".ndjson" }
func (f FileEntry) path() string  { return "files/" + f.Key }

const manifestPath = "manifest.json"

var identRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// decodeManifest parses and checks a manifest before anything else of
// the archive is believed.
func decodeManifest(b []byte, newestSchema int64) (*Manifest, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var m Manifest
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest.json is not a valid manifest: %w", err)
	}
	if d.More() {
		return nil, fmt.Errorf("manifest.json has trailing data")
	}
	if m.Format != formatName {
		return nil, fmt.Errorf("not a RecCollection backup (format %q)", truncate(m.Format, 40))
	}
	if m.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("backup format version %d; this build reads version %d", m.FormatVersion, FormatVersion)
	}
	if m.Engine != engineSQLite && m.Engine != enginePostgres {
		return nil, fmt.Errorf("manifest: unknown engine %q", truncate(m.Engine, 40))
	}
	if m.SchemaVersion < 1 {
		return nil, fmt.Errorf("manifest: schema version %d is invalid", m.SchemaVersion)
	}
	if newestSchema > 0 && m.SchemaVersion > newestSchema {
		return nil, fmt.Errorf("the backup has schema version %d, newer than this build's %d; restore it with a newer release", m.SchemaVersion, newestSchema)
	}
	if len(m.Tables) > maxTables {
		return nil, fmt.Errorf("manifest: %d tables, more than %d", len(m.Tables), maxTables)
	}
	seen := map[string]bool{}
	for _, t := range m.Tables {
		if !identRE.MatchString(t.Name) || excludedTable(t.Name) {
			return nil, fmt.Errorf("manifest: invalid table name %q", truncate(t.Name, 70))
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("manifest: table %s listed twice", t.Name)
		}
		seen[t.Name] = true
		if len(t.Columns) == 0 || len(t.Columns) > maxColumns {
			return nil, fmt.Errorf("manifest: table %s has %d columns", t.Name, len(t.Columns))
		}
		cols := map[string]bool{}
		for _, c := range t.Columns {
			if !identRE.MatchString(c.Name) || cols[c.Name] {
				return nil, fmt.Errorf("manifest: table %s has an invalid or repeated column %q", t.Name, truncate(c.Name, 70))
			}
			if !c.Kind.Valid() {
				return nil, fmt.Errorf("manifest: column %s.%s has unknown kind %q", t.Name, c.Name, truncate(string(c.Kind), 20))
			}
			cols[c.Name] = true
		}
		if len(t.Key) == 0 {
			return nil, fmt.Errorf("manifest: table %s has no key", t.Name)
		}
		for _, k := range t.Key {
			if !cols[k] {
				return nil, fmt.Errorf("manifest: table %s is keyed by unknown column %q", t.Name, truncate(k, 70))
			}
		}
		if t.Rows < 0 || !validSHA256(t.SHA256) {
			return nil, fmt.Errorf("manifest: table %s has an invalid row count or checksum", t.Name)
		}
	}
	if len(m.Files) > maxFiles {
		return nil, fmt.Errorf("manifest: %d files, more than %d", len(m.Files), maxFiles)
	}
	keys := map[string]bool{}
	for _, f := range m.Files {
		if !validKey(f.Key) {
			return nil, fmt.Errorf("manifest: file key %q is not allowed", truncate(f.Key, 70))
		}
		if keys[f.Key] {
			return nil, fmt.Errorf("manifest: file %s listed twice", f.Key)
		}
		keys[f.Key] = true
		if f.Size < 0 || f.Size > maxFileBytes || !validSHA256(f.SHA256) {
			return nil, fmt.Errorf("manifest: file %s has an invalid size or checksum", f.Key)
		}
	}
	return &m, nil
}

func validSHA256(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32 && hex.EncodeToString(b) == s
}

// validKey applies the blob stores' key rules (slash-separated segments of
// 1 to 255 bytes, none starting with a dot, no control characters or
// backslashes, 512 bytes at most) before an archive's key is used as a
// tar entry name or a store key: a key like "../x" is refused here, not
// only by the store.
func validKey(key string) bool {
	if key == "" || len(key) > 512 || !utf8.ValidString(key) || strings.ContainsAny(key, "\\\x00") {
		return false
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || len(seg) > 255 || seg[0] == '.' {
			return false
		}
	}
	return true
}
