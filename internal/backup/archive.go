package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
)

// archiveReader walks an archive in the one order a valid archive has:
// manifest.json, then every table the manifest lists, then every file,
// then the end. Any other entry — another name, a link or directory, a
// path like ../x, an entry larger than its limit — stops the walk with an
// error naming it. Entry names are compared with names built from the
// validated manifest, so a hostile name can never reach the file system.
type archiveReader struct {
	gz *gzip.Reader
	tr *tar.Reader
	m  *Manifest
}

func openArchive(f *os.File, newestSchema int64) (*archiveReader, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	gz, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("not a gzip archive: %w", err)
	}
	a := &archiveReader{gz: gz, tr: tar.NewReader(gz)}
	r, _, err := a.next(manifestPath, maxManifestBytes)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read manifest.json: %w", err)
	}
	if a.m, err = decodeManifest(b, newestSchema); err != nil {
		return nil, err
	}
	return a, nil
}

// next opens the next entry, which must be want and at most limit bytes.
func (a *archiveReader) next(want string, limit int64) (io.Reader, int64, error) {
	h, err := a.tr.Next()
	if errors.Is(err, io.EOF) {
		return nil, 0, fmt.Errorf("archive is truncated: %s is missing", want)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("archive is corrupt before %s: %w", want, err)
	}
	if h.Name != want {
		return nil, 0, fmt.Errorf("unexpected entry %q in the archive where %s should be", truncate(h.Name, 120), want)
	}
	if h.Typeflag != tar.TypeReg {
		return nil, 0, fmt.Errorf("entry %s is not a regular file", want)
	}
	if h.Size < 0 || h.Size > limit {
		return nil, 0, fmt.Errorf("entry %s is %d bytes, over the limit of %d", want, h.Size, limit)
	}
	return io.LimitReader(a.tr, h.Size), h.Size, nil
}

// end checks that nothing follows the last file.
func (a *archiveReader) end() error {
	h, err := a.tr.Next()
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("archive is corrupt after the last file: %w", err)
	}
	return fmt.Errorf("unexpected entry %q after the last file", truncate(h.Name, 120))
}

// visitor is what a walk does with an archive's contents. Any field may be
// nil.
type visitor struct {
	// row receives each row line (without its newline) of table e.
	row func(e TableEntry, n int64, line []byte) error
	// file receives each file's content; the walk checks size and
	// checksum either way.
	file func(e FileEntry, r io.Reader) error
}

// walk reads the whole archive, checking every table's row count and
// checksum and every file's size and checksum against the manifest.
// Mismatches are returned as problems (the walk goes on, so all are
// named); anything that makes the archive unreadable is an error.
func (a *archiveReader) walk(v visitor) (problems []string, err error) {
	buf := make([]byte, 64<<10)
	for _, e := range a.m.Tables {
		r, _, err := a.next(e.path(), maxTableBytes)
		if err != nil {
			return problems, err
		}
		h := sha256.New()
		sc := bufio.NewScanner(io.TeeReader(r, h))
		sc.Buffer(buf, maxRowBytes)
		var n int64
		for sc.Scan() {
			n++
			if v.row != nil {
				if err := v.row(e, n, sc.Bytes()); err != nil {
					return problems, fmt.Errorf("table %s, row %d: %w", e.Name, n, err)
				}
			}
		}
		if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
			return problems, fmt.Errorf("table %s, row %d is longer than the limit of %d bytes", e.Name, n+1, maxRowBytes)
		} else if err != nil {
			return problems, fmt.Errorf("table %s, after row %d: %w", e.Name, n, err)
		}
		if n != e.Rows {
			problems = append(problems, fmt.Sprintf("table %s: %d rows in the archive, the manifest says %d", e.Name, n, e.Rows))
		}
		if sum := hex.EncodeToString(h.Sum(nil)); sum != e.SHA256 {
			problems = append(problems, fmt.Sprintf("table %s: content checksum %s does not match the manifest's %s", e.Name, sum[:12], e.SHA256[:12]))
		}
	}
	for _, e := range a.m.Files {
		r, size, err := a.next(e.path(), maxFileBytes)
		if err != nil {
			return problems, err
		}
		if size != e.Size {
			problems = append(problems, fmt.Sprintf("file %s: %d bytes in the archive, the manifest says %d", e.Key, size, e.Size))
		}
		h := sha256.New()
		tee := io.TeeReader(r, h)
		if v.file != nil {
			err = v.file(e, tee)
		}
		if err == nil {
			_, err = io.Copy(io.Discard, tee) // whatever the visitor left
		}
		if err != nil {
			return problems, fmt.Errorf("file %s: %w", e.Key, err)
		}
		if sum := hex.EncodeToString(h.Sum(nil)); sum != e.SHA256 {
			problems = append(problems, fmt.Sprintf("file %s: checksum %s does not match the manifest's %s", e.Key, sum[:12], e.SHA256[:12]))
		}
	}
	return problems, a.end()
}

// check reads the archive once without writing anything: every entry in
// place, every row decodable, every count and checksum right.
func check(f *os.File, newestSchema int64) (*Manifest, []string, error) {
	a, err := openArchive(f, newestSchema)
	if err != nil {
		return nil, nil, err
	}
	problems, err := a.walk(visitor{row: func(e TableEntry, _ int64, line []byte) error {
		_, err := decodeRow(line, e.Columns)
		return err
	}})
	return a.m, problems, err
}
