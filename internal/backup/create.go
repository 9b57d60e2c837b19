package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/media"
)

// Create makes a backup, records the run in backup_runs (failed runs too),
// and on success deletes backups older than the retention.
func (s *Service) Create(ctx context.Context) (Info, error) {
	started := s.opt.Now().UTC().Truncate(time.Microsecond)
	name, started, err := s.freeName(ctx, started)
	var info Info
	if err == nil {
		info, err = s.create(ctx, name, started)
	}
	if rerr := s.recordRun(ctx, name, started, info.Size, err); rerr != nil {
		s.opt.Logger.Error("could not record the backup run", "backup", name, "error", rerr)
		if err == nil {
			// The backup exists, but no replica will report it: the alert
			// would fire although the data is safe. Say so loudly.
			err = fmt.Errorf("backup %s was made but could not be recorded: %w", name, rerr)
		}
	}
	if err != nil {
		s.opt.Logger.Error("backup failed", "backup", name, "error", err)
		return info, err
	}
	s.opt.Logger.Info("backup made", "backup", name, "bytes", info.Size, "rows", info.Rows, "files", info.Files)
	if _, err := s.Prune(ctx); err != nil {
		return info, fmt.Errorf("backup %s made, but removing old backups failed: %w", name, err)
	}
	return info, nil
}

func (s *Service) create(ctx context.Context, name string, started time.Time) (Info, error) {
	info := Info{Name: name, CreatedAt: started, Engine: storeEngine(s.db)}
	dir, err := os.MkdirTemp(s.opt.TempDir, "reccollection-backup-")
	if err != nil {
		return info, fmt.Errorf("create temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)

	m := &Manifest{Format: formatName, FormatVersion: FormatVersion, AppVersion: s.opt.AppVersion,
		AppCommit: s.opt.AppCommit, Engine: info.Engine, CreatedAt: started, Tables: []TableEntry{}, Files: []FileEntry{}}
	body, err := os.Create(filepath.Join(dir, "body.tar"))
	if err != nil {
		return info, fmt.Errorf("create temporary file: %w", err)
	}
	defer body.Close()
	bw := bufio.NewWriterSize(body, 1<<20)
	tw := tar.NewWriter(bw)
	if err := s.writeTables(ctx, dir, m, tw); err != nil {
		return info, err
	}
	if err := s.writeFiles(ctx, m, tw); err != nil {
		return info, err
	}
	// Flush, not Close: the end-of-archive blocks are written after the
	// manifest has been put in front (writeArchive).
	if err := tw.Flush(); err != nil {
		return info, err
	}
	if err := bw.Flush(); err != nil {
		return info, fmt.Errorf("write temporary file: %w", err)
	}
	size, err := s.writeArchive(ctx, name, m, body)
	if err != nil {
		return info, err
	}
	info.Size, info.SchemaVersion, info.Tables, info.Files = size, m.SchemaVersion, len(m.Tables), len(m.Files)
	for _, t := range m.Tables {
		info.Rows += t.Rows
	}
	s.progress("wrote %s to %s (%d bytes)", name, s.backups.Describe(), size)
	return info, nil
}

// freeName returns the name for a backup started at t, moved on by a
// microsecond while a backup of that name exists: a clock that stands
// still (or two runs in the same microsecond) must not overwrite a backup.
func (s *Service) freeName(ctx context.Context, t time.Time) (string, time.Time, error) {
	for range 1000 {
		name := Name(t)
		_, err := s.backups.Stat(ctx, name)
		if errors.Is(err, media.ErrNotFound) {
			return name, t, nil
		}
		if err != nil {
			return name, t, fmt.Errorf("check %s: %w", s.backups.Describe(), err)
		}
		t = t.Add(time.Microsecond)
	}
	return Name(t), t, fmt.Errorf("backups named up to %s already exist", Name(t))
}

func (s *Service) writeTables(ctx context.Context, dir string, m *Manifest, tw *tar.Writer) error {
	snap, err := s.db.Snapshot(ctx, dir)
	if err != nil {
		return err
	}
	defer snap.Close()
	if m.SchemaVersion, err = snap.SchemaVersion(ctx); err != nil {
		return err
	}
	tables, err := snap.Tables(ctx, excludedTable)
	if err != nil {
		return err
	}
	for _, t := range tables {
		tmp, err := os.Create(filepath.Join(dir, "table.ndjson"))
		if err != nil {
			return fmt.Errorf("create temporary file: %w", err)
		}
		w := bufio.NewWriterSize(tmp, 1<<20)
		rows, sum, err := dumpTable(ctx, snap.ScanRows, t, w)
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			tmp.Close()
			return err
		}
		e := TableEntry{Name: t.Name, Columns: columnsOf(t), Key: t.Key, Rows: rows, SHA256: sum}
		err = addEntry(tw, e.path(), tmp, m.CreatedAt)
		tmp.Close()
		if err != nil {
			return fmt.Errorf("archive table %s: %w", t.Name, err)
		}
		m.Tables = append(m.Tables, e)
		s.progress("table %s: %d rows", t.Name, rows)
	}
	return nil
}

// addEntry appends the whole of f as one regular file.
func addEntry(tw *tar.Writer, name string, f *os.File, mod time.Time) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() > maxTableBytes {
		return fmt.Errorf("%s is larger than %d bytes", name, int64(maxTableBytes))
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Size: st.Size(), Mode: 0o600, ModTime: mod}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

func (s *Service) writeFiles(ctx context.Context, m *Manifest, tw *tar.Writer) error {
	if s.files == nil {
		return nil
	}
	var objs []media.Object
	err := s.files.List(ctx, "", func(o media.Object) error {
		if s.opt.SkipFilePrefix != "" && strings.HasPrefix(o.Key, s.opt.SkipFilePrefix) {
			return nil
		}
		objs = append(objs, o)
		return nil
	})
	if err != nil {
		return fmt.Errorf("list files in %s: %w", s.files.Describe(), err)
	}
	var total int64
	for i, o := range objs {
		if !validKey(o.Key) {
			return fmt.Errorf("file %q: key cannot be archived", o.Key)
		}
		e, err := s.copyFile(ctx, tw, o, m.CreatedAt)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, e)
		total += e.Size
		if (i+1)%500 == 0 || i+1 == len(objs) {
			s.progress("files: %d of %d (%d bytes)", i+1, len(objs), total)
		}
	}
	return nil
}

func (s *Service) copyFile(ctx context.Context, tw *tar.Writer, o media.Object, mod time.Time) (FileEntry, error) {
	e := FileEntry{Key: o.Key, Size: o.Size}
	if o.Size > maxFileBytes {
		return e, fmt.Errorf("file %s is larger than %d bytes", o.Key, int64(maxFileBytes))
	}
	r, err := s.files.Get(ctx, o.Key)
	if err != nil {
		return e, fmt.Errorf("read file %s: %w", o.Key, err)
	}
	defer r.Close()
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: e.path(), Size: o.Size, Mode: 0o600, ModTime: mod}); err != nil {
		return e, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, h), io.LimitReader(r, o.Size+1))
	if err != nil || n != o.Size {
		// The file changed between listing and reading; the next run
		// will find it settled.
		return e, fmt.Errorf("file %s changed while it was being backed up (listed %d bytes, read %d): %v", o.Key, o.Size, n, err)
	}
	e.SHA256 = hex.EncodeToString(h.Sum(nil))
	return e, nil
}

// writeArchive streams gzip(manifest entry + body + end of archive) into
// the backup store. The store shows the archive whole or not at all, so a
// failure here leaves nothing behind.
func (s *Service) writeArchive(ctx context.Context, name string, m *Manifest, body *os.File) (int64, error) {
	mj, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return 0, err
	}
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	pr, pw := io.Pipe()
	counted := &countingWriter{w: pw}
	done := make(chan struct{})
	go func() {
		defer close(done)
		gz := gzip.NewWriter(counted)
		tw := tar.NewWriter(gz)
		err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: manifestPath, Size: int64(len(mj)), Mode: 0o600, ModTime: m.CreatedAt})
		if err == nil {
			_, err = tw.Write(mj)
		}
		if err == nil {
			err = tw.Flush()
		}
		if err == nil {
			_, err = io.Copy(gz, body)
		}
		if err == nil {
			err = tw.Close() // the two zero blocks that end a tar
		}
		if err == nil {
			err = gz.Close()
		}
		pw.CloseWithError(err)
	}()
	err = s.backups.Put(ctx, name, pr, -1, "application/gzip")
	// Unblocks the writer if the store stopped reading early, and waits
	// for it, so the body file is not closed under it.
	pr.CloseWithError(errors.New("upload ended"))
	<-done
	if err != nil {
		return 0, fmt.Errorf("store %s in %s: %w", name, s.backups.Describe(), err)
	}
	return counted.n, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
