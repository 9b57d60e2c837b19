package media_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/testutil"
)

func envOf(kv ...string) func(string) string {
	return func(name string) string {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == name {
				return kv[i+1]
			}
		}
		return ""
	}
}

func TestOpenRefusesBadURLs(t *testing.T) {
	t.Parallel()
	keys := envOf("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "secret")
	for _, c := range []struct {
		url    string
		getenv func(string) string
		want   string // in the message
	}{
		{"", keys, "no scheme"},
		{"/var/lib/files", keys, "no scheme"},
		{"ftp://host/x", keys, `scheme "ftp"`},
		{"file://relative/path", keys, "absolute path"},
		{"file:relative", keys, "absolute path"},
		{"file:///srv/files?x=1", keys, "no user, query"},
		{"s3://", keys, "needs a bucket"},
		{"s3://ab/p", keys, "bucket"},
		{"s3://Bad_Bucket/p", keys, "bucket"},
		{"s3://bucket/p?endpoint=ftp://host", keys, "http:// or https://"},
		{"s3://bucket/p?endpoint=http://host/path", keys, "scheme://host[:port] only"},
		{"s3://bucket/p?endpoint=" + url.QueryEscape("http://user:secret@host"), keys, "scheme://host[:port] only"},
		{"s3://bucket/p?endpoint=http://host&endpoint=http://other", keys, "more than once"},
		{"s3://bucket/p?regoin=eu-west-1", keys, `unknown parameter "regoin"`},
		{"s3://bucket/../etc", keys, "prefix"},
		{"s3://bucket/p#frag", keys, "fragment"},
		{"s3://id:secret@bucket/p", keys, "must not contain credentials"},
		{"s3://bucket/p?endpoint=http://127.0.0.1:9", nil, "needs AWS_ACCESS_KEY_ID"},
		{"s3://bucket/p?endpoint=http://127.0.0.1:9", envOf("AWS_ACCESS_KEY_ID", "id"), "set both"},
		{"s3://bucket/p", envOf("AWS_ACCESS_KEY_ID", "id", "AWS_ACCESS_KEY_ID_FILE", "/x", "AWS_SECRET_ACCESS_KEY", "s"), "use only one"},
		{"s3://bucket/p", envOf("AWS_ACCESS_KEY_ID_FILE", "/nonexistent/key", "AWS_SECRET_ACCESS_KEY", "s"), "AWS_ACCESS_KEY_ID_FILE"},
	} {
		_, err := media.Open(context.Background(), c.url, c.getenv)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("open %q: %v, want an error mentioning %q", c.url, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), ":secret@") || strings.Contains(err.Error(), "%3Asecret%40")) {
			t.Errorf("open %q: the error %q repeats a credential", c.url, err)
		}
	}
}

func TestOpenFileCreatesRoot(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "new", "files")
	s, err := media.Open(context.Background(), "file://"+filepath.ToSlash(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() || st.Mode().Perm()&^0o750 != 0 {
		t.Fatalf("root: %v, %v", st, err)
	}
	if err := s.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestS3CredentialsFromFiles(t *testing.T) {
	t.Parallel()
	srv := testutil.S3(t)
	dir := t.TempDir()
	var env []string
	for _, kv := range srv.Env {
		name, value, _ := strings.Cut(kv, "=")
		p := filepath.Join(dir, name)
		// Mounted secrets usually end in a newline, which is not part
		// of the key.
		if err := os.WriteFile(p, []byte(value+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		env = append(env, name+"_FILE", p)
	}
	s, err := media.Open(context.Background(), srv.URL, envOf(env...))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(context.Background()); err != nil {
		t.Fatalf("check with credentials from files: %v", err)
	}
}

func TestS3Failures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testutil.S3(t)

	wrong, err := media.Open(ctx, srv.URL, envOf("AWS_ACCESS_KEY_ID", "WRONG", "AWS_SECRET_ACCESS_KEY", "x"))
	if err != nil {
		t.Fatal(err)
	}
	if err := wrong.Check(ctx); err == nil || !strings.Contains(err.Error(), "unknown access key") {
		t.Errorf("check with the wrong key: %v", err)
	}

	noBucket, err := media.Open(ctx, strings.Replace(srv.URL, "s3://recc-test/", "s3://no-such-bucket/", 1), srv.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if err := noBucket.Check(ctx); err == nil {
		t.Error("check of a missing bucket succeeded")
	}
	if _, err := noBucket.Get(ctx, "x"); err == nil || errors.Is(err, media.ErrNotFound) {
		t.Errorf("get from a missing bucket: %v; want an error that is not ErrNotFound", err)
	}

	s, err := media.Open(ctx, srv.URL, srv.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if err := s.Check(ctx); err == nil {
		t.Error("check succeeded with the service down")
	}
	if _, err := s.Get(ctx, "x"); err == nil || errors.Is(err, media.ErrNotFound) {
		t.Errorf("get with the service down: %v; want an error that is not ErrNotFound", err)
	}
}

// Stores on different prefixes of one bucket do not see each other, and
// the prefix is really where the objects go.
func TestS3PrefixIsolation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testutil.S3(t)
	a, err := media.Open(ctx, srv.URL, srv.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	b, err := media.Open(ctx, strings.Replace(srv.URL, "/files?", "/backups/nightly?", 1), srv.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	put(t, a, "x/1", "a")
	put(t, b, "x/1", "b")
	if got := get(t, a, "x/1"); got != "a" {
		t.Errorf("a reads %q", got)
	}
	if got := list(t, b, ""); len(got) != 1 || got[0] != "x/1" {
		t.Errorf("b lists %q", got)
	}
	keys := srv.Keys(t)
	if len(keys) != 2 || keys[0] != "backups/nightly/x/1" || keys[1] != "files/x/1" {
		t.Errorf("bucket holds %q", keys)
	}
}

func TestFilePermissions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := media.NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, "a/b/c", "x")
	for p, want := range map[string]os.FileMode{"a": 0o750, "a/b": 0o750, "a/b/c": 0o640} {
		st, err := os.Stat(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		// The umask may take permissions away, never add them.
		if got := st.Mode().Perm(); got&^want != 0 || got&0o700 != want&0o700 {
			t.Errorf("%s has mode %v, want %v", p, got, want)
		}
	}
}

// A symbolic link planted in the root cannot lead a key outside it.
func TestFileRefusesLinksOutOfRoot(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	outside := filepath.Join(parent, "outside")
	if err := os.Mkdir(outside, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(parent, "root")
	s, err := media.NewFile(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	ctx := context.Background()
	if r, err := s.Get(ctx, "link/secret"); err == nil {
		r.Close()
		t.Error("read a file outside the root through a link")
	}
	if err := s.Put(ctx, "link/planted", strings.NewReader("x"), 1, ""); err == nil {
		t.Error("wrote outside the root through a link")
	}
	if err := s.Delete(ctx, "link/secret"); err == nil {
		t.Error("deleted outside the root through a link")
	}
	if _, err := os.Stat(filepath.Join(outside, "planted")); err == nil {
		t.Error("a file appeared outside the root")
	}
	if _, err := os.Stat(filepath.Join(outside, "secret")); err != nil {
		t.Errorf("the file outside the root is gone: %v", err)
	}
	if got := list(t, s, ""); len(got) != 0 {
		t.Errorf("list follows the link: %q", got)
	}
}

// Leftovers of a crash mid-Put and files no key can name are not blobs.
func TestFileListSkipsForeignFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := media.NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, "d/kept", "x")
	for _, name := range []string{"d/.tmp-CRASHED", ".health/probe-old", "d/bad\nname"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	if got := list(t, s, ""); len(got) != 1 || got[0] != "d/kept" {
		t.Errorf("list = %q", got)
	}
}

// A root that disappeared or was replaced is reported by Check, not
// papered over by writing somewhere else.
func TestFileCheckFailsWhenRootIsGone(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "files")
	s, err := media.NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx); err == nil {
		t.Error("check passed with the root replaced by a file")
	}
	if err := s.Put(ctx, "x", strings.NewReader("x"), 1, ""); err == nil {
		t.Error("put succeeded with the root replaced by a file")
	}
	if _, err := media.NewFile(dir); err == nil {
		t.Error("opened a store whose root is a file")
	}
}
