package backup_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reccollection/reccollection/internal/media"
)

// memStore is a media.Store in memory, for tests that need a file or
// backup store without touching a disk.
type memStore struct {
	mu    sync.Mutex
	name  string
	blobs map[string][]byte
}

func newMemStore(name string) *memStore { return &memStore{name: name, blobs: map[string][]byte{}} }

func (m *memStore) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.blobs[key] = b
	return nil
}

func (m *memStore) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.blobs[key]
	if !ok {
		return nil, media.ErrNotFound
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memStore) Stat(ctx context.Context, key string) (media.Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.blobs[key]
	if !ok {
		return media.Object{}, media.ErrNotFound
	}
	return media.Object{Key: key, Size: int64(len(b))}, nil
}

func (m *memStore) Delete(ctx context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.blobs[key]; !ok {
		return media.ErrNotFound
	}
	delete(m.blobs, key)
	return nil
}

func (m *memStore) List(ctx context.Context, prefix string, fn func(media.Object) error) error {
	m.mu.Lock()
	var objs []media.Object
	for k, b := range m.blobs {
		if strings.HasPrefix(k, prefix) {
			objs = append(objs, media.Object{Key: k, Size: int64(len(b)), Modified: time.Unix(0, 0)})
		}
	}
	m.mu.Unlock()
	slices.SortFunc(objs, func(a, b media.Object) int { return strings.Compare(a.Key, b.Key) })
	for _, o := range objs {
		if err := fn(o); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) Check(ctx context.Context) error { return nil }
func (m *memStore) Describe() string                { return "mem://" + m.name }

func (m *memStore) keys() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ks []string
	for k := range m.blobs {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func (m *memStore) get(key string) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.blobs[key]
}
