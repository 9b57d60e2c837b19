package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// selectRows is the query that lists a table's rows in canonical order:
// by its key, bytewise for text on PostgreSQL (COLLATE "C") as SQLite's
// BINARY does, so both engines produce the same sequence.
func selectRows(t table, engine string) string {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quoteIdent(c.Name)
		if engine == enginePostgres && c.pgUUID {
			cols[i] += "::text"
		}
	}
	keys := make([]string, len(t.Key))
	for i, k := range t.Key {
		keys[i] = quoteIdent(k)
		if c := t.column(k); engine == enginePostgres && c != nil && c.pgText {
			keys[i] += ` COLLATE "C"`
		}
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM " + quoteIdent(t.Name) + " ORDER BY " + strings.Join(keys, ", ")
}

// dumpTable writes every row of t as canonical NDJSON to w and returns the
// row count and the SHA-256 of what it wrote.
func dumpTable(ctx context.Context, q queryer, engine string, t table, w io.Writer) (int64, string, error) {
	rows, err := q.QueryContext(ctx, selectRows(t, engine))
	if err != nil {
		return 0, "", fmt.Errorf("read table %s: %w", t.Name, err)
	}
	defer rows.Close()
	h := sha256.New()
	out := io.MultiWriter(w, h)
	vals := make([]any, len(t.Columns))
	ptrs := make([]any, len(t.Columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	var line bytes.Buffer
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, "", fmt.Errorf("read table %s: %w", t.Name, err)
		}
		line.Reset()
		if err := encodeRow(&line, t.Columns, vals); err != nil {
			return 0, "", fmt.Errorf("table %s, row %d: %w", t.Name, n+1, err)
		}
		line.WriteByte('\n')
		if line.Len() > maxRowBytes {
			return 0, "", fmt.Errorf("table %s, row %d is larger than %d bytes", t.Name, n+1, maxRowBytes)
		}
		if _, err := out.Write(line.Bytes()); err != nil {
			return 0, "", err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, "", fmt.Errorf("read table %s: %w", t.Name, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// tableFromEntry is the table a manifest entry describes, with the
// engine-specific details (uuid casts, collation) of the database that
// will be read.
func tableFromEntry(e TableEntry, live table) table {
	t := table{Name: e.Name, Key: e.Key}
	for _, c := range e.Columns {
		if lc := live.column(c.Name); lc != nil {
			c.pgUUID, c.pgText = lc.pgUUID, lc.pgText
		}
		t.Columns = append(t.Columns, c)
	}
	return t
}
