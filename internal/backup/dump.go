package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/reccollection/reccollection/internal/store"
)

// rowScanner lists a table's rows in canonical order (Store.ScanRows,
// Snapshot.ScanRows).
type rowScanner func(ctx context.Context, t store.Table, fn func(vals []any) error) error

// dumpTable writes every row of t as canonical NDJSON to w and returns the
// row count and the SHA-256 of what it wrote.
func dumpTable(ctx context.Context, scan rowScanner, t store.Table, w io.Writer) (int64, string, error) {
	h := sha256.New()
	out := io.MultiWriter(w, h)
	cols := columnsOf(t)
	var n int64
	var line bytes.Buffer
	err := scan(ctx, t, func(vals []any) error {
		line.Reset()
		if err := encodeRow(&line, cols, vals); err != nil {
			return fmt.Errorf("table %s, row %d: %w", t.Name, n+1, err)
		}
		line.WriteByte('\n')
		if line.Len() > maxRowBytes {
			return fmt.Errorf("table %s, row %d is larger than %d bytes", t.Name, n+1, maxRowBytes)
		}
		if _, err := out.Write(line.Bytes()); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
