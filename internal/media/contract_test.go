package media_test

// One suite, every store: the file store on a temporary directory and the
// S3 store against an in-process S3 service over real HTTP, and over
// HTTPS, the way the client talks to AWS. Whatever a caller may rely on is
// asserted here, so the stores cannot drift apart.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/testutil"
)

// subject is one store under test with a view of what it really holds.
type subject struct {
	store media.Store
	// stored lists every blob physically present (temporary files and
	// probes included), bypassing the store's own filtering.
	stored func(t *testing.T) []string
	// requests counts calls that reached the service; nil for stores
	// without one.
	requests func() int64
}

var stores = []struct {
	name string
	open func(t *testing.T) subject
}{
	{"file", openFileSubject},
	{"s3", openS3Subject},
	{"s3-tls", openS3TLSSubject},
}

func openFileSubject(t *testing.T) subject {
	parent := t.TempDir()
	dir := filepath.Join(parent, "files")
	s, err := media.Open(context.Background(), "file://"+filepath.ToSlash(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	return subject{store: s, stored: func(t *testing.T) []string {
		// Everything under the parent, so a write beside the root is
		// caught as well as one inside it.
		var files []string
		err := filepath.WalkDir(parent, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				rel, _ := filepath.Rel(parent, p)
				files = append(files, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}}
}

func openS3Subject(t *testing.T) subject {
	srv := testutil.S3(t)
	s, err := media.Open(context.Background(), srv.URL, srv.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return subject{store: s, stored: func(t *testing.T) []string { return srv.Keys(t) }, requests: srv.Requests}
}

func openS3TLSSubject(t *testing.T) subject {
	srv := testutil.S3TLS(t)
	s, err := media.NewS3(srv.Config("files"))
	if err != nil {
		t.Fatal(err)
	}
	return subject{store: s, stored: func(t *testing.T) []string { return srv.Keys(t) }, requests: srv.Requests}
}

// forEachStore runs fn on a fresh instance of every store.
func forEachStore(t *testing.T, fn func(t *testing.T, s subject)) {
	t.Helper()
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			fn(t, st.open(t))
		})
	}
}

func put(t *testing.T, s media.Store, key, body string) {
	t.Helper()
	if err := s.Put(context.Background(), key, strings.NewReader(body), int64(len(body)), "text/plain"); err != nil {
		t.Fatalf("put %q: %v", key, err)
	}
}

func get(t *testing.T, s media.Store, key string) string {
	t.Helper()
	r, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("get %q: %v", key, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return string(b)
}

func list(t *testing.T, s media.Store, prefix string) []string {
	t.Helper()
	keys := []string{}
	err := s.List(context.Background(), prefix, func(o media.Object) error {
		keys = append(keys, o.Key)
		return nil
	})
	if err != nil {
		t.Fatalf("list %q: %v", prefix, err)
	}
	return keys
}

func TestPutGetStat(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		for _, key := range []string{"a", "recipes/0190f2/photo.webp", "crème brûlée/Photo 1+2 %20&=?.jpg"} {
			body := "content of " + key
			put(t, s.store, key, body)
			if got := get(t, s.store, key); got != body {
				t.Errorf("get %q = %q, want %q", key, got, body)
			}
			o, err := s.store.Stat(ctx, key)
			if err != nil {
				t.Fatalf("stat %q: %v", key, err)
			}
			if o.Key != key || o.Size != int64(len(body)) || o.Modified.IsZero() {
				t.Errorf("stat %q = %+v", key, o)
			}
		}
		// Keys that need escaping in URLs come back from List unchanged.
		if got := list(t, s.store, "crème"); !slices.Equal(got, []string{"crème brûlée/Photo 1+2 %20&=?.jpg"}) {
			t.Errorf("list of an escaped key: %q", got)
		}
		// An empty blob is a blob, and an unknown size is allowed.
		if err := s.store.Put(ctx, "empty", strings.NewReader(""), -1, ""); err != nil {
			t.Fatal(err)
		}
		if o, err := s.store.Stat(ctx, "empty"); err != nil || o.Size != 0 {
			t.Errorf("empty blob: %+v, %v", o, err)
		}
	})
}

func TestOverwrite(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s subject) {
		put(t, s.store, "a/b", "the first, longer version")
		put(t, s.store, "a/b", "second")
		if got := get(t, s.store, "a/b"); got != "second" {
			t.Errorf("after overwrite: %q", got)
		}
		if o, err := s.store.Stat(context.Background(), "a/b"); err != nil || o.Size != 6 {
			t.Errorf("stat after overwrite: %+v, %v", o, err)
		}
		if got := list(t, s.store, ""); !slices.Equal(got, []string{"a/b"}) {
			t.Errorf("list after overwrite: %q", got)
		}
	})
}

func TestListOrderAndPrefix(t *testing.T) {
	t.Parallel()
	// Chosen so that a directory walk in name order gets it wrong: "-"
	// and "0" sort around "/", upper case before lower, UTF-8 after ASCII.
	keys := []string{"a/c/d", "b", "a0", "a-c", "Z", "a/b", "ä/x", "a/c-e", "ab/x"}
	want := slices.Clone(keys)
	slices.Sort(want)
	forEachStore(t, func(t *testing.T, s subject) {
		for _, k := range keys {
			put(t, s.store, k, k)
		}
		for prefix, want := range map[string][]string{
			"":     want,
			"a":    {"a-c", "a/b", "a/c-e", "a/c/d", "a0", "ab/x"},
			"a/":   {"a/b", "a/c-e", "a/c/d"},
			"a/c":  {"a/c-e", "a/c/d"},
			"a/c/": {"a/c/d"},
			"ä":    {"ä/x"},
			"zzz":  {},
			"b/":   {},
		} {
			if got := list(t, s.store, prefix); !slices.Equal(got, want) {
				t.Errorf("list %q = %q, want %q", prefix, got, want)
			}
		}
		var sizes []int64
		err := s.store.List(context.Background(), "a/c/", func(o media.Object) error {
			sizes = append(sizes, o.Size)
			if o.Modified.IsZero() {
				t.Errorf("%s: no modification time", o.Key)
			}
			return nil
		})
		if err != nil || !slices.Equal(sizes, []int64{5}) {
			t.Errorf("list sizes %v, %v", sizes, err)
		}
	})
}

func TestListStopsAtCallbackError(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s subject) {
		for _, k := range []string{"k1", "k2", "k3"} {
			put(t, s.store, k, k)
		}
		stop := errors.New("enough")
		calls := 0
		err := s.store.List(context.Background(), "", func(media.Object) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("list returned %v after %d calls; want the callback's error after 1", err, calls)
		}
	})
}

func TestMissingKeys(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		put(t, s.store, "dir/present", "x")
		for _, key := range []string{"absent", "dir/absent", "dir/present/below", "nodir/absent"} {
			if _, err := s.store.Get(ctx, key); !errors.Is(err, media.ErrNotFound) {
				t.Errorf("get %q: %v, want ErrNotFound", key, err)
			}
			if _, err := s.store.Stat(ctx, key); !errors.Is(err, media.ErrNotFound) {
				t.Errorf("stat %q: %v, want ErrNotFound", key, err)
			}
			if err := s.store.Delete(ctx, key); !errors.Is(err, media.ErrNotFound) {
				t.Errorf("delete %q: %v, want ErrNotFound", key, err)
			}
		}
		if err := s.store.Delete(ctx, "dir/present"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.store.Get(ctx, "dir/present"); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("get after delete: %v", err)
		}
		if err := s.store.Delete(ctx, "dir/present"); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
		if got := list(t, s.store, ""); len(got) != 0 {
			t.Errorf("list after delete: %q", got)
		}
	})
}

// hostileKeys each break a rule of media.ValidateKey.
var hostileKeys = []string{
	"", ".", "..", "../escape", "a/../../escape", "a/./b", "/etc/passwd", "a//b", "a/", "/",
	`..\escape`, `a\b`, "a\x00b", "a\nb", "a\rb", "a\x7fb", "\xff\xfe",
	".health/probe", "a/.hidden", ".tmp-x",
	strings.Repeat("k", media.MaxKeyLen+1),
	strings.Repeat("s", 256) + "/x",
}

func TestHostileKeysRefusedBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		var before int64
		if s.requests != nil {
			before = s.requests()
		}
		for _, key := range hostileKeys {
			body := &countingReader{r: strings.NewReader("payload")}
			if err := s.store.Put(ctx, key, body, 7, ""); !errors.Is(err, media.ErrInvalidKey) {
				t.Errorf("put %q: %v, want ErrInvalidKey", key, err)
			}
			if body.n != 0 {
				t.Errorf("put %q read %d bytes of the body before refusing", key, body.n)
			}
			if _, err := s.store.Get(ctx, key); !errors.Is(err, media.ErrInvalidKey) {
				t.Errorf("get %q: %v, want ErrInvalidKey", key, err)
			}
			if _, err := s.store.Stat(ctx, key); !errors.Is(err, media.ErrInvalidKey) {
				t.Errorf("stat %q: %v, want ErrInvalidKey", key, err)
			}
			if err := s.store.Delete(ctx, key); !errors.Is(err, media.ErrInvalidKey) {
				t.Errorf("delete %q: %v, want ErrInvalidKey", key, err)
			}
		}
		for _, prefix := range []string{"/", "../", "a//", "a/../", ".health/", "a\x00"} {
			err := s.store.List(ctx, prefix, func(media.Object) error { return nil })
			if !errors.Is(err, media.ErrInvalidKey) {
				t.Errorf("list %q: %v, want ErrInvalidKey", prefix, err)
			}
		}
		if s.requests != nil && s.requests() != before {
			t.Errorf("%d requests reached the service for refused keys", s.requests()-before)
		}
		if got := s.stored(t); len(got) != 0 {
			t.Errorf("refused keys left %q behind", got)
		}
		// The longest keys allowed are accepted.
		long := strings.Repeat("a", 255) + "/" + strings.Repeat("b", 254) + "/c"
		if len(long) != media.MaxKeyLen {
			t.Fatalf("test key is %d bytes", len(long))
		}
		put(t, s.store, long, "long")
		if got := get(t, s.store, long); got != "long" {
			t.Errorf("long key: %q", got)
		}
	})
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestCheckLeavesNothing(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s subject) {
		put(t, s.store, "kept", "x")
		for range 3 {
			if err := s.store.Check(context.Background()); err != nil {
				t.Fatalf("check: %v", err)
			}
		}
		if got := list(t, s.store, ""); !slices.Equal(got, []string{"kept"}) {
			t.Errorf("list after check: %q", got)
		}
		if got := s.stored(t); len(got) != 1 || !strings.HasSuffix(got[0], "kept") {
			t.Errorf("check left %q behind", got)
		}
	})
}

// failingReader gives n bytes, then an error, as a client that hangs up
// mid-upload does.
type failingReader struct{ n int }

var errHungUp = errors.New("client went away")

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errHungUp
	}
	n := min(len(p), f.n)
	clear(p[:n])
	f.n -= n
	return n, nil
}

func TestFailedPutKeepsOldBlob(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		put(t, s.store, "photo", "old")
		if err := s.store.Put(ctx, "photo", &failingReader{n: 1 << 20}, 2<<20, ""); err == nil {
			t.Error("put from a failing reader succeeded")
		}
		if err := s.store.Put(ctx, "photo", &failingReader{n: 100}, -1, ""); err == nil {
			t.Error("put of unknown size from a failing reader succeeded")
		}
		if err := s.store.Put(ctx, "photo", strings.NewReader("short"), 10, ""); err == nil {
			t.Error("put of fewer bytes than announced succeeded")
		}
		if err := s.store.Put(ctx, "new", &failingReader{n: 100}, 1000, ""); err == nil {
			t.Error("put of a new key from a failing reader succeeded")
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.store.Put(cancelled, "photo", strings.NewReader("cancelled"), 9, ""); err == nil {
			t.Error("put with a cancelled context succeeded")
		}
		if got := get(t, s.store, "photo"); got != "old" {
			t.Errorf("failed puts changed the blob to %q", got)
		}
		if _, err := s.store.Stat(ctx, "new"); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("a failed put created a blob: %v", err)
		}
		if got := s.stored(t); len(got) != 1 {
			t.Errorf("failed puts left %q behind", got)
		}
	})
}

func TestConcurrentPutsOneWins(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s subject) {
		bodies := []string{strings.Repeat("A", 64<<10), strings.Repeat("B", 64<<10), strings.Repeat("C", 64<<10)}
		var wg sync.WaitGroup
		for _, b := range bodies {
			wg.Go(func() { put(t, s.store, "same", b) })
		}
		wg.Wait()
		if got := get(t, s.store, "same"); !slices.Contains(bodies, got) {
			t.Errorf("concurrent puts interleaved: %.20q… (%d bytes)", got, len(got))
		}
	})
}

// stream is a deterministic pseudo-random reader of n bytes that is not a
// Seeker or ReaderAt, so a store has to stream it.
type stream struct {
	rng *rand.ChaCha8
	n   int64
}

func newStream(seed byte, n int64) *stream {
	return &stream{rng: rand.NewChaCha8([32]byte{seed}), n: n}
}

func (s *stream) Read(p []byte) (int, error) {
	if s.n == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > s.n {
		p = p[:s.n]
	}
	n, _ := s.rng.Read(p)
	s.n -= int64(n)
	return n, nil
}

func digest(t *testing.T, r io.Reader) ([32]byte, int64) {
	t.Helper()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil)), n
}

func TestLargeBlobStreams(t *testing.T) {
	t.Parallel()
	const size = 8 << 20
	forEachStore(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		for i, announced := range []int64{size, -1} {
			key := "backups/large-" + string(rune('a'+i))
			want, _ := digest(t, newStream(byte(i), size))
			if err := s.store.Put(ctx, key, newStream(byte(i), size), announced, "application/octet-stream"); err != nil {
				t.Fatalf("put %d bytes (announced %d): %v", size, announced, err)
			}
			r, err := s.store.Get(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			got, n := digest(t, r)
			r.Close()
			if n != size || got != want {
				t.Errorf("%s: read back %d bytes, digest match %v", key, n, got == want)
			}
			if o, err := s.store.Stat(ctx, key); err != nil || o.Size != size {
				t.Errorf("stat %s: %+v, %v", key, o, err)
			}
		}
	})
}

func TestDescribeNamesTheStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f, err := media.Open(context.Background(), "file://"+filepath.ToSlash(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Describe(); got != "file://"+filepath.ToSlash(dir) {
		t.Errorf("file store describes itself as %q", got)
	}
	srv := testutil.S3(t)
	s, err := media.Open(context.Background(), srv.URL, srv.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	d := s.Describe()
	if !strings.HasPrefix(d, "s3://recc-test/files?endpoint=") || !strings.Contains(d, "127.0.0.1") {
		t.Errorf("s3 store describes itself as %q", d)
	}
	for _, kv := range srv.Env {
		_, secret, _ := strings.Cut(kv, "=")
		if strings.Contains(d, secret) {
			t.Errorf("description %q contains a credential", d)
		}
	}
}

// The tests above also hold for bodies bigger than one read; this guards
// the test helper itself, so a broken stream cannot make them vacuous.
func TestStreamIsDeterministic(t *testing.T) {
	a, n := digest(t, newStream(1, 1<<20))
	b, _ := digest(t, newStream(1, 1<<20))
	c, _ := digest(t, newStream(2, 1<<20))
	if n != 1<<20 || a != b || a == c {
		t.Fatal("stream is not a deterministic, seed-dependent reader")
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, newStream(1, 10)); err != nil || buf.Len() != 10 {
		t.Fatal("stream length")
	}
}
