package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
)

// ServeOptions tunes ServeBlob.
type ServeOptions struct {
	// ContentType is sent as it is; "" takes the type of the key's
	// extension, else application/octet-stream. The body is never sniffed:
	// an upload must not become HTML because of what it holds.
	ContentType string
	// Private marks the answer for the browser's cache only (a user's
	// own file), not shared caches.
	Private bool
	// ETag is the strong entity tag without quotes, for example the
	// content hash a key was named after; "" derives one from the key,
	// size and modification time.
	ETag string
}

// ServeBlob answers a GET or HEAD for one blob. Keys are content-hashed
// and never rewritten, so the answer is cacheable for a year and
// immutable; a strong ETag answers If-None-Match with 304, and Range and
// If-Range are handled by http.ServeContent. A missing or invalid key is
// 404; any other storage failure is 503, never 500.
//
// http.ServeContent needs an io.ReadSeeker. The file store's blob is an
// *os.File; for S3 a lazy reader opens a ranged GET at the offset asked
// for, so neither store ever buffers a blob whole.
func ServeBlob(w http.ResponseWriter, r *http.Request, s Store, key string, opts ServeOptions) {
	obj, err := s.Stat(r.Context(), key)
	switch {
	case errors.Is(err, ErrNotFound) || errors.Is(err, ErrInvalidKey):
		http.Error(w, "not found", http.StatusNotFound)
		return
	case err != nil:
		http.Error(w, "storage unavailable", http.StatusServiceUnavailable)
		return
	}
	h := w.Header()
	ct := opts.ContentType
	if ct == "" {
		ct = mime.TypeByExtension(path.Ext(key))
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	scope := "public"
	if opts.Private {
		scope = "private"
	}
	h.Set("Cache-Control", scope+", max-age=31536000, immutable")
	tag := opts.ETag
	if tag == "" {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%d", key, obj.Size, obj.Modified.UnixNano()))
		tag = hex.EncodeToString(sum[:16])
	}
	h.Set("ETag", strconv.Quote(tag))
	body := &blobReader{ctx: r.Context(), store: s, key: key, size: obj.Size}
	defer body.Close()
	http.ServeContent(w, r, "", obj.Modified, body)
}

// blobReader is an io.ReadSeeker over a blob that opens it only when read,
// at the offset last sought.
type blobReader struct {
	ctx   context.Context
	store Store
	key   string
	size  int64
	off   int64         // where the next Read starts
	body  io.ReadCloser // open at off, or nil
}

func (b *blobReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += b.off
	case io.SeekEnd:
		offset += b.size
	default:
		return 0, errors.New("media: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("media: negative position")
	}
	if offset != b.off {
		b.Close()
		b.off = offset
	}
	return offset, nil
}

func (b *blobReader) Read(p []byte) (int, error) {
	if b.body == nil {
		if b.off >= b.size {
			return 0, io.EOF
		}
		body, err := b.open()
		if err != nil {
			return 0, err
		}
		b.body = body
	}
	n, err := b.body.Read(p)
	b.off += int64(n)
	return n, err
}

// open starts reading at b.off: a ranged GET on S3, a seek on a file,
// else (a Store of another kind) by skipping bytes.
func (b *blobReader) open() (io.ReadCloser, error) {
	if s3, ok := b.store.(*S3); ok {
		return s3.getFrom(b.ctx, b.key, b.off)
	}
	body, err := b.store.Get(b.ctx, b.key)
	if err != nil || b.off == 0 {
		return body, err
	}
	if sk, ok := body.(io.Seeker); ok {
		_, err = sk.Seek(b.off, io.SeekStart)
	} else {
		_, err = io.CopyN(io.Discard, body, b.off)
	}
	if err != nil {
		_ = body.Close()
		return nil, err
	}
	return body, nil
}

func (b *blobReader) Close() error {
	if b.body == nil {
		return nil
	}
	err := b.body.Close()
	b.body = nil
	return err
}
