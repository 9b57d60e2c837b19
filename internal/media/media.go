// Package media stores blobs (recipe images, backups) on the local disk or
// in S3-compatible object storage behind one small interface, so the rest
// of the application never knows which. RECC_STORAGE_URL picks the store
// for user files and RECC_BACKUP_URL the one for backups; both take
// file:///absolute/path or s3://bucket/prefix?endpoint=…&region=….
package media

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrNotFound is returned by Get, Stat and Delete for a missing key.
var ErrNotFound = errors.New("media: not found")

// ErrInvalidKey is wrapped by every method given a key (or List a prefix)
// that breaks the rules of ValidateKey; nothing is read or written then.
var ErrInvalidKey = errors.New("media: invalid key")

// Object describes one stored blob.
type Object struct {
	Key      string // slash-separated, relative to the store's root or prefix
	Size     int64
	Modified time.Time
}

// Store is a flat namespace of blobs addressed by slash-separated keys.
// Implementations are safe for concurrent use. Keys are validated by every
// method before anything is read or written (ValidateKey: no empty
// segments, no "." or "..", no leading slash, at most 512 bytes), so a
// hostile key can never leave the store's root.
//
// The file store keeps keys as paths, so one key cannot be both a blob and
// the directory of others ("a" and "a/b"); S3 allows it. Callers that want
// to run on both never do that.
type Store interface {
	// Put writes the whole of r under key, replacing any blob there. A
	// reader is never observed half-written: the blob appears whole or not
	// at all. size is the length when known, or -1; a reader that ends
	// sooner is an error and nothing is stored (what happens to bytes
	// past a known size differs: the file store refuses the blob, S3
	// stores the first size bytes).
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Get opens the blob for reading; the caller closes it.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Stat describes one blob.
	Stat(ctx context.Context, key string) (Object, error)
	// Delete removes the blob; deleting a missing key is ErrNotFound.
	Delete(ctx context.Context, key string) error
	// List calls fn for every blob whose key starts with prefix, in key
	// order; an error from fn stops the walk and is returned.
	List(ctx context.Context, prefix string, fn func(Object) error) error
	// Check proves the store is usable now (writes, reads back and removes
	// a small probe) for health reports.
	Check(ctx context.Context) error
	// Describe names the store for logs and status pages, credentials never
	// included (for example "file:///var/lib/reccollection/files" or
	// "s3://bucket/prefix").
	Describe() string
}
