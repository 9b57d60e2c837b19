package media_test

import (
	"context"
	"crypto/x509"
	"errors"
	"testing"

	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Blobs over 16 MiB go to S3 as multipart uploads. They are tested over
// TLS because the test server keeps the chunk framing of plain-HTTP
// uploads inside multipart parts (see testutil.S3); over TLS the client
// sends parts as they are, as it does to AWS.
func TestS3MultipartUpload(t *testing.T) {
	t.Parallel()
	const partSize = 16 << 20
	// Not a multiple of the part size, so the last part is a short one.
	const big = 40<<20 + 12345
	cases := []struct {
		name      string
		size      int64
		announced int64
		// parts is how many parts the service must see: 0 for one PUT.
		parts int64
	}{
		{"known size", big, big, 3},
		// With no length the store asks for 64 MiB parts (left to
		// itself the client would buffer 528 MiB a part).
		{"unknown size", big, -1, 1},
		{"unknown size one byte past a single PUT", partSize + 1, -1, 1},
		{"unknown size past one part", 64<<20 + 1, -1, 2},
		{"unknown size that fits a single PUT", partSize, -1, 0},
	}
	srv := testutil.S3TLS(t)
	s, err := media.NewS3(srv.Config("files"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, c := range cases {
		key := "backups/multipart-" + string(rune('a'+i))
		seed := byte(10 + i)
		want, _ := digest(t, newStream(seed, c.size))
		before := srv.Parts()
		if err := s.Put(ctx, key, newStream(seed, c.size), c.announced, "application/octet-stream"); err != nil {
			t.Fatalf("%s: put %d bytes (announced %d): %v", c.name, c.size, c.announced, err)
		}
		if parts := srv.Parts() - before; parts != c.parts {
			t.Errorf("%s: sent in %d parts, want %d", c.name, parts, c.parts)
		}
		r, err := s.Get(ctx, key)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, n := digest(t, r)
		r.Close()
		if n != c.size || got != want {
			t.Errorf("%s: read back %d of %d bytes, digest match %v", c.name, n, c.size, got == want)
		}
		if o, err := s.Stat(ctx, key); err != nil || o.Size != c.size {
			t.Errorf("%s: stat: %+v, %v", c.name, o, err)
		}
	}
	if got := list(t, s, "backups/"); len(got) != len(cases) {
		t.Errorf("list after multipart uploads: %q", got)
	}
	// The bucket holds the blobs and nothing else.
	if got := srv.Keys(t); len(got) != len(cases) {
		t.Errorf("bucket holds %q", got)
	}
}

// The test hook does not weaken the default: without the server's
// certificate, a store made from the storage URL refuses to talk to it.
func TestS3VerifiesCertificates(t *testing.T) {
	t.Parallel()
	srv := testutil.S3TLS(t)
	s, err := media.Open(context.Background(), srv.URL, srv.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Check(context.Background())
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("check against an untrusted certificate: %v, want an unknown-authority error", err)
	}
	if got := srv.Keys(t); len(got) != 0 {
		t.Errorf("an untrusted connection stored %q", got)
	}
}
