package media

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

const (
	dirPerm  = 0o750
	filePerm = 0o640
	// tempPrefix names a Put in progress; keys never begin with a dot, so
	// it cannot collide with a blob and List skips it.
	tempPrefix = ".tmp-"
)

// File is a Store on the local disk: each key is a file under the root
// directory, its slashes directories.
//
// Every operation opens the root afresh through os.Root, which refuses any
// path (symbolic links included) that leads outside it. Opening it per call
// rather than holding it open means a root that was replaced or unmounted
// is noticed, by Check above all, instead of writes landing in a directory
// nobody can see any more.
type File struct {
	dir string
}

// NewFile returns the store rooted at dir, creating the directory (0750)
// if it is missing.
func NewFile(dir string) (*File, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("file storage %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, dirPerm); err != nil {
		return nil, fmt.Errorf("file storage: create %s: %w", abs, err)
	}
	return &File{dir: abs}, nil
}

// Describe is the root as a file URL.
func (f *File) Describe() string {
	p := filepath.ToSlash(f.dir)
	if !strings.HasPrefix(p, "/") { // Windows drive letter
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

func (f *File) open() (*os.Root, error) {
	r, err := os.OpenRoot(f.dir)
	if err != nil {
		return nil, fmt.Errorf("file storage: open %s: %w", f.dir, err)
	}
	return r, nil
}

// Put writes r to a temporary file next to the blob, flushes it to disk
// and renames it over the blob, so readers see the old blob or the new one
// and a crash leaves at most a stray temporary file, never a torn blob.
func (f *File) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return f.put(ctx, key, r, size)
}

func (f *File) put(ctx context.Context, key string, r io.Reader, size int64) (err error) {
	root, err := f.open()
	if err != nil {
		return err
	}
	defer root.Close()
	dir := path.Dir(key)
	if dir != "." {
		if err := root.MkdirAll(dir, dirPerm); err != nil {
			return fmt.Errorf("put %s: %w", key, err)
		}
	}
	tmp := path.Join(dir, tempPrefix+rand.Text())
	w, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, filePerm)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			_ = w.Close()
			_ = root.Remove(tmp)
		}
	}()
	src := io.Reader(ctxReader{ctx, r})
	if size >= 0 {
		// One byte more than announced is enough to refuse the blob; a
		// stream that goes on cannot fill the disk.
		src = io.LimitReader(src, size+1)
	}
	n, err := io.Copy(w, src)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if size >= 0 && n != size {
		return fmt.Errorf("put %s: read %d bytes, want %d", key, n, size)
	}
	if err = w.Sync(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err = w.Close(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err = root.Rename(tmp, key); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	// The rename is durable only once the directory is flushed too.
	if d, derr := root.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// ctxReader stops a long copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Get opens the blob's file.
func (f *File) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := ValidateKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	root, err := f.open()
	if err != nil {
		return nil, err
	}
	defer root.Close()
	file, err := root.Open(key)
	if err != nil {
		return nil, notFound(key, err)
	}
	if st, err := file.Stat(); err != nil || !st.Mode().IsRegular() {
		_ = file.Close()
		if err != nil {
			return nil, fmt.Errorf("get %s: %w", key, err)
		}
		return nil, fmt.Errorf("get %s: %w", key, ErrNotFound)
	}
	return file, nil
}

// Stat describes the blob's file.
func (f *File) Stat(ctx context.Context, key string) (Object, error) {
	if err := ValidateKey(key); err != nil {
		return Object{}, err
	}
	if err := ctx.Err(); err != nil {
		return Object{}, err
	}
	root, err := f.open()
	if err != nil {
		return Object{}, err
	}
	defer root.Close()
	st, err := root.Stat(key)
	if err != nil {
		return Object{}, notFound(key, err)
	}
	if !st.Mode().IsRegular() {
		return Object{}, fmt.Errorf("stat %s: %w", key, ErrNotFound)
	}
	return Object{Key: key, Size: st.Size(), Modified: st.ModTime()}, nil
}

// Delete removes the blob's file. Emptied directories stay: removing them
// would race with a Put creating a file in them.
func (f *File) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	root, err := f.open()
	if err != nil {
		return err
	}
	defer root.Close()
	st, err := root.Lstat(key)
	if err != nil {
		return notFound(key, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("delete %s: %w", key, ErrNotFound)
	}
	if err := root.Remove(key); err != nil {
		return notFound(key, err)
	}
	return nil
}

// notFound maps the file system's "no such file" (and "a path segment is
// a file", which means the same for a key) to ErrNotFound.
func notFound(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || isNotDir(err) {
		return fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", key, err)
}

func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }

// List walks the tree in key order. Each directory is read and sorted on
// its own, with a directory's name compared as name+"/", which is exactly
// the byte order of the full keys beneath it; so memory grows with the
// largest directory, not the store. Subtrees that cannot hold a key with
// prefix are skipped unread.
func (f *File) List(ctx context.Context, prefix string, fn func(Object) error) error {
	if err := validatePrefix(prefix); err != nil {
		return err
	}
	root, err := f.open()
	if err != nil {
		return err
	}
	defer root.Close()
	return f.walk(ctx, root, "", prefix, fn)
}

type listEntry struct {
	name string // with a trailing slash for directories
	fs.DirEntry
}

func (f *File) walk(ctx context.Context, root *os.Root, dir, prefix string, fn func(Object) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	name := dir
	if name == "" {
		name = "."
	}
	d, err := root.Open(name)
	if err != nil {
		return fmt.Errorf("list %s: %w", name, err)
	}
	des, err := d.ReadDir(-1)
	_ = d.Close()
	if err != nil {
		return fmt.Errorf("list %s: %w", name, err)
	}
	entries := make([]listEntry, 0, len(des))
	for _, de := range des {
		// Dot names are the store's own (temporary files, the probe).
		if strings.HasPrefix(de.Name(), ".") {
			continue
		}
		switch {
		case de.IsDir():
			entries = append(entries, listEntry{de.Name() + "/", de})
		case de.Type().IsRegular():
			entries = append(entries, listEntry{de.Name(), de})
		}
		// Anything else (symbolic links, devices) was not written by
		// Put and is not a blob.
	}
	slices.SortFunc(entries, func(a, b listEntry) int { return cmp.Compare(a.name, b.name) })
	for _, e := range entries {
		key := dir + e.name
		if e.IsDir() {
			if strings.HasPrefix(key, prefix) || strings.HasPrefix(prefix, key) {
				if err := f.walk(ctx, root, key, prefix, fn); err != nil {
					return err
				}
			}
			continue
		}
		if !strings.HasPrefix(key, prefix) || ValidateKey(key) != nil {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted while listing
		} else if err != nil {
			return fmt.Errorf("list %s: %w", key, err)
		}
		if err := fn(Object{Key: key, Size: info.Size(), Modified: info.ModTime()}); err != nil {
			return err
		}
	}
	return nil
}

// Check writes, reads back and deletes a probe under the reserved prefix.
func (f *File) Check(ctx context.Context) error {
	probe := reservedPrefix + "probe-" + rand.Text()
	want := []byte("reccollection storage check " + probe)
	if err := f.put(ctx, probe, bytes.NewReader(want), int64(len(want))); err != nil {
		return fmt.Errorf("storage check: %w", err)
	}
	root, err := f.open()
	if err != nil {
		return fmt.Errorf("storage check: %w", err)
	}
	defer root.Close()
	got, rerr := root.ReadFile(probe)
	derr := root.Remove(probe)
	switch {
	case rerr != nil:
		return fmt.Errorf("storage check: read back: %w", rerr)
	case !bytes.Equal(got, want):
		return errors.New("storage check: the probe read back differs from what was written")
	case derr != nil:
		return fmt.Errorf("storage check: delete probe: %w", derr)
	}
	return nil
}
