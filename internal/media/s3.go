package media

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// S3Config is an S3 store's location and credentials.
type S3Config struct {
	Bucket string
	// Prefix is joined in front of every key ("" or segments without
	// leading or trailing slash), so several stores can share a bucket.
	Prefix string
	// Endpoint is an http:// or https:// URL of an S3-compatible service
	// (MinIO, Ceph, R2…), addressed path-style; "" is AWS itself, over
	// TLS, with bucket names in the host.
	Endpoint string
	// Region defaults to us-east-1 with an Endpoint; on AWS, "" lets the
	// client look the bucket's region up.
	Region string
	// AccessKeyID and SecretAccessKey are static credentials. Both empty,
	// on AWS only, means the role of the machine or pod (instance profile,
	// EKS web identity).
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	// Transport, when set, carries the client's requests in place of its
	// default transport, which trusts the system's certificate
	// authorities. Storage URLs cannot set it: it exists so tests can
	// reach an HTTPS endpoint with a certificate of their own.
	Transport http.RoundTripper
}

// S3 is a Store in an S3 bucket under an optional prefix.
type S3 struct {
	client   *minio.Client
	bucket   string
	prefix   string // "" or ending in "/"
	describe string
}

// maxRetries bounds the client's own retries of a failing request (its
// default is 10 with back-off), so an outage turns into an error within
// the status page's time budget instead of a hang.
const maxRetries = 3

// NewS3 returns the store. It does not contact the service: Check does.
func NewS3(c S3Config) (*S3, error) {
	if err := s3utils.CheckValidBucketNameStrict(c.Bucket); err != nil {
		return nil, fmt.Errorf("s3 storage: bucket %q: %w", c.Bucket, err)
	}
	prefix := strings.Trim(c.Prefix, "/")
	if prefix != "" {
		if err := ValidateKey(prefix); err != nil {
			return nil, fmt.Errorf("s3 storage: prefix: %w", err)
		}
		prefix += "/"
	}
	if (c.AccessKeyID == "") != (c.SecretAccessKey == "") {
		return nil, errors.New("s3 storage: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (on AWS, to use the machine's role)")
	}
	opt := &minio.Options{Region: c.Region, MaxRetries: maxRetries, Transport: c.Transport}
	host := "s3.amazonaws.com"
	describe := "s3://" + c.Bucket + "/" + strings.TrimSuffix(prefix, "/")
	if c.Endpoint != "" {
		// The messages show the endpoint redacted: a password pasted into
		// it must not reach the logs.
		u, err := url.Parse(c.Endpoint)
		if err != nil {
			return nil, errors.New("s3 storage: endpoint must be an absolute http:// or https:// URL")
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("s3 storage: endpoint %q must be an absolute http:// or https:// URL", u.Redacted())
		}
		if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("s3 storage: endpoint %q must be scheme://host[:port] only", u.Redacted())
		}
		host = u.Host
		opt.Secure = u.Scheme == "https"
		// Self-hosted services rarely have a DNS name per bucket.
		opt.BucketLookup = minio.BucketLookupPath
		if opt.Region == "" {
			opt.Region = "us-east-1"
		}
		describe += "?endpoint=" + url.QueryEscape(u.Scheme+"://"+u.Host)
	} else {
		opt.Secure = true
	}
	switch {
	case c.AccessKeyID != "":
		opt.Creds = credentials.NewStaticV4(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	case c.Endpoint == "":
		opt.Creds = credentials.NewIAM("")
	default:
		return nil, fmt.Errorf("s3 storage: %s needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", describe)
	}
	client, err := minio.New(host, opt)
	if err != nil {
		return nil, fmt.Errorf("s3 storage: %w", err)
	}
	return &S3{client: client, bucket: c.Bucket, prefix: prefix, describe: describe}, nil
}

// Describe is the bucket, prefix and endpoint, never the credentials.
func (s *S3) Describe() string { return s.describe }

// isNoSuchKey recognises a missing object. A HEAD answer has no error
// body, so the client reports any 404 to one as NoSuchKey: Stat and
// Delete cannot tell a missing bucket from a missing key, while Get and
// Check, which send GET and PUT, can.
func isNoSuchKey(err error) bool {
	return minio.ToErrorResponse(err).Code == "NoSuchKey"
}

func (s *S3) fail(op, key string, err error) error {
	if isNoSuchKey(err) {
		return fmt.Errorf("%s %s: %w", op, key, ErrNotFound)
	}
	return fmt.Errorf("%s %s in %s: %w", op, key, s.describe, err)
}

// singlePutMax is the largest blob of unknown size sent in one PUT.
const singlePutMax = 16 << 20

// unknownSizePartSize is the part size of multipart uploads of unknown
// size, which the client buffers one part at a time. Left to itself it
// sizes parts for a 5 TiB object (528 MiB buffers: more than a backup
// pod's whole memory limit); 64 MiB parts keep memory modest and, at S3's
// 10 000 parts, allow 625 GiB, beyond any archive this application makes.
const unknownSizePartSize = 64 << 20

// Put uploads r. A known size streams without buffering. An unknown size
// is read up to 16 MiB first: most blobs (images) end there and go in one
// PUT with their length; longer ones continue as a multipart upload whose
// 64 MiB parts the client buffers one at a time, so memory stays bounded
// however large the blob. S3 shows the object only once the upload is complete.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if err := checkContentType(contentType); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return s.put(ctx, s.prefix+key, key, r, size, contentType)
}

func (s *S3) put(ctx context.Context, name, key string, r io.Reader, size int64, contentType string) error {
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	if size < 0 {
		head, err := io.ReadAll(io.LimitReader(r, singlePutMax+1))
		if err != nil {
			return fmt.Errorf("put %s: %w", key, err)
		}
		if len(head) <= singlePutMax {
			r, size = bytes.NewReader(head), int64(len(head))
		} else {
			r, size = io.MultiReader(bytes.NewReader(head), r), -1
		}
	}
	// Over plain HTTP the client signs the body in chunks, and for an
	// empty body it then sends no Content-Length, which S3 refuses; an
	// empty body has nothing to protect, so it goes unsigned.
	opts := minio.PutObjectOptions{ContentType: contentType, DisableContentSha256: size == 0}
	if size < 0 {
		opts.PartSize = unknownSizePartSize
	}
	_, err := s.client.PutObject(ctx, s.bucket, name, r, size, opts)
	if err != nil {
		return fmt.Errorf("put %s in %s: %w", key, s.describe, err)
	}
	return nil
}

// checkContentType keeps header-breaking values out of requests.
func checkContentType(ct string) error {
	if len(ct) > 255 {
		return errors.New("content type longer than 255 bytes")
	}
	for i := range len(ct) {
		if ct[i] < 0x20 || ct[i] >= 0x7f {
			return errors.New("content type with a control or non-ASCII character")
		}
	}
	return nil
}

// Get opens the object with one GET, sent here rather than at the first
// Read (as the client's lazy Object would), so a missing key is
// ErrNotFound from Get as with the file store, and a missing bucket is
// told apart by the error body, which a HEAD request lacks.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := ValidateKey(key); err != nil {
		return nil, err
	}
	body, err := s.get(ctx, s.prefix+key)
	if err != nil {
		return nil, s.fail("get", key, err)
	}
	return body, nil
}

func (s *S3) get(ctx context.Context, name string) (io.ReadCloser, error) {
	body, _, _, err := minio.Core{Client: s.client}.GetObject(ctx, s.bucket, name, minio.GetObjectOptions{})
	return body, err
}

// Stat asks for the object's metadata (HEAD).
func (s *S3) Stat(ctx context.Context, key string) (Object, error) {
	if err := ValidateKey(key); err != nil {
		return Object{}, err
	}
	info, err := s.client.StatObject(ctx, s.bucket, s.prefix+key, minio.StatObjectOptions{})
	if err != nil {
		return Object{}, s.fail("stat", key, err)
	}
	return Object{Key: key, Size: info.Size, Modified: info.LastModified}, nil
}

// Delete removes the object. S3 answers success for a missing key, so the
// object is looked up first to report ErrNotFound like the file store; a
// concurrent delete between the two requests is not reported.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if _, err := s.client.StatObject(ctx, s.bucket, s.prefix+key, minio.StatObjectOptions{}); err != nil {
		return s.fail("delete", key, err)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{}); err != nil {
		return s.fail("delete", key, err)
	}
	return nil
}

// List pages through the bucket under prefix; S3 returns keys in UTF-8
// byte order, which is key order. Keys that are not valid keys (the
// probe, objects written by other tools) are skipped.
func (s *S3) List(ctx context.Context, prefix string, fn func(Object) error) error {
	if err := validatePrefix(prefix); err != nil {
		return err
	}
	// Cancelling stops the client's listing goroutine when fn ends early.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for info := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
		if info.Err != nil {
			return fmt.Errorf("list %q in %s: %w", prefix, s.describe, info.Err)
		}
		key, ok := strings.CutPrefix(info.Key, s.prefix)
		if !ok || ValidateKey(key) != nil {
			continue
		}
		if err := fn(Object{Key: key, Size: info.Size, Modified: info.LastModified}); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Check writes, reads back and deletes a probe under the reserved prefix,
// proving the endpoint, the credentials and the bucket policy at once.
func (s *S3) Check(ctx context.Context) error {
	probe := reservedPrefix + "probe-" + rand.Text()
	name := s.prefix + probe
	want := []byte("reccollection storage check " + probe)
	if err := s.put(ctx, name, probe, bytes.NewReader(want), int64(len(want)), "text/plain"); err != nil {
		return fmt.Errorf("storage check: %w", err)
	}
	got, rerr := s.readAll(ctx, name)
	derr := s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{})
	switch {
	case rerr != nil:
		return fmt.Errorf("storage check: read back from %s: %w", s.describe, rerr)
	case !bytes.Equal(got, want):
		return fmt.Errorf("storage check: the probe read back from %s differs from what was written", s.describe)
	case derr != nil:
		return fmt.Errorf("storage check: delete probe from %s: %w", s.describe, derr)
	}
	return nil
}

func (s *S3) readAll(ctx context.Context, name string) ([]byte, error) {
	body, err := s.get(ctx, name)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	return io.ReadAll(io.LimitReader(body, 1<<10))
}

// s3FromURL reads s3://bucket/prefix?endpoint=…&region=… and the
// credentials from getenv (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// optionally AWS_SESSION_TOKEN; each also as NAME_FILE).
func s3FromURL(u *url.URL, getenv func(string) string) (*S3, error) {
	if u.User != nil {
		return nil, errors.New("s3 storage URL must not contain credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead")
	}
	if u.Host == "" {
		return nil, errors.New("s3 storage URL needs a bucket: s3://bucket/prefix")
	}
	if u.Fragment != "" {
		return nil, errors.New("s3 storage URL takes no fragment")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("s3 storage URL: query: %w", err)
	}
	for name, vs := range q {
		if name != "endpoint" && name != "region" {
			return nil, fmt.Errorf("s3 storage URL: unknown parameter %q; want endpoint and region only", name)
		}
		if len(vs) > 1 {
			return nil, fmt.Errorf("s3 storage URL: %s given more than once", name)
		}
	}
	c := S3Config{Bucket: u.Host, Prefix: u.Path, Endpoint: q.Get("endpoint"), Region: q.Get("region")}
	for _, v := range []struct {
		name string
		dst  *string
	}{{"AWS_ACCESS_KEY_ID", &c.AccessKeyID}, {"AWS_SECRET_ACCESS_KEY", &c.SecretAccessKey}, {"AWS_SESSION_TOKEN", &c.SessionToken}} {
		if *v.dst, err = secretEnv(getenv, v.name); err != nil {
			return nil, err
		}
	}
	return NewS3(c)
}

// secretEnv is name's value, or the content of the file NAME_FILE names
// (a mounted secret), the convention of the rest of the configuration.
func secretEnv(getenv func(string) string, name string) (string, error) {
	v, path := getenv(name), strings.TrimSpace(getenv(name+"_FILE"))
	if path == "" {
		return v, nil
	}
	if v != "" {
		return "", fmt.Errorf("both %s and %s_FILE are set; use only one", name, name)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", name, err)
	}
	v = strings.TrimRight(string(b), "\r\n")
	if v == "" {
		return "", fmt.Errorf("%s_FILE: file %s is empty", name, path)
	}
	return v, nil
}

// getFrom opens the object from offset to its end (a ranged GET), so a
// Range request reads only what it answers.
func (s *S3) getFrom(ctx context.Context, key string, offset int64) (io.ReadCloser, error) {
	opts := minio.GetObjectOptions{}
	if offset > 0 {
		if err := opts.SetRange(offset, 0); err != nil {
			return nil, err
		}
	}
	body, _, _, err := minio.Core{Client: s.client}.GetObject(ctx, s.bucket, s.prefix+key, opts)
	if err != nil {
		return nil, s.fail("get", key, err)
	}
	return body, nil
}
