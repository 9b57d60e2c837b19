package testutil

import (
	"crypto/rand"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/reccollection/reccollection/internal/media"
)

// S3Server is an in-process S3 service (gofakes3 with its in-memory
// backend) behind a real HTTP or HTTPS listener, with one bucket.
//
// It hands out its credentials rather than setting them, because the
// code under test reads them in different ways: media.Open takes a
// getenv (Getenv), an app in this process reads the environment (Setenv),
// and a child process gets Env appended to its environment.
type S3Server struct {
	// URL is a RECC_STORAGE_URL for the prefix "files" of the bucket:
	// s3://bucket/files?endpoint=http://127.0.0.1:port&region=us-east-1
	// (https:// for S3TLS).
	URL string
	// Env is "AWS_ACCESS_KEY_ID=…" and "AWS_SECRET_ACCESS_KEY=…".
	Env      []string
	Endpoint string
	Bucket   string
	// Transport trusts the server's own certificate (S3TLS); nil over
	// plain HTTP. The system's authorities do not know that certificate,
	// so over HTTPS only a store made from Config can connect.
	Transport http.RoundTripper

	backend  *s3mem.Backend
	http     *httptest.Server
	keyID    string
	secret   string
	requests atomic.Int64
	parts    atomic.Int64
}

// S3 starts the service over plain HTTP for the length of the test.
// Requests must be signed with its access key (gofakes3 itself does not
// check), so a store that lost its credentials fails here as it would
// against real S3.
//
// Over plain HTTP the client signs bodies in aws-chunked framing, which
// gofakes3 removes from single PUTs but stores inside multipart parts, so
// blobs of more than one part (over 16 MiB) come back corrupted here; use
// S3TLS for those.
func S3(t testing.TB) *S3Server {
	t.Helper()
	return startS3(t, false)
}

// S3TLS is S3 over HTTPS with a certificate of its own. Over TLS the
// client sends bodies unsigned and unframed, as it does to AWS, so
// multipart uploads are stored intact. Stores reach it through Config.
func S3TLS(t testing.TB) *S3Server {
	t.Helper()
	return startS3(t, true)
}

func startS3(t testing.TB, secure bool) *S3Server {
	t.Helper()
	s := &S3Server{Bucket: "recc-test", backend: s3mem.New(), keyID: "TEST" + rand.Text(), secret: rand.Text() + rand.Text()}
	if err := s.backend.CreateBucket(s.Bucket); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	fake := gofakes3.New(s.backend).Server()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if !strings.Contains(r.Header.Get("Authorization"), "Credential="+s.keyID+"/") {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>unknown access key</Message></Error>`))
			return
		}
		if r.Method == http.MethodPut && r.URL.Query().Has("uploadId") {
			s.parts.Add(1)
		}
		fake.ServeHTTP(w, r)
	})
	if secure {
		s.http = httptest.NewUnstartedServer(handler)
		// Some tests make a client refuse the certificate on purpose;
		// the server's log of those handshakes would only be noise.
		s.http.Config.ErrorLog = log.New(io.Discard, "", 0)
		s.http.StartTLS()
		s.Transport = s.http.Client().Transport
	} else {
		s.http = httptest.NewServer(handler)
	}
	t.Cleanup(s.http.Close)
	s.Endpoint = s.http.URL
	s.URL = "s3://" + s.Bucket + "/files?" + url.Values{"endpoint": {s.Endpoint}, "region": {"us-east-1"}}.Encode()
	s.Env = []string{"AWS_ACCESS_KEY_ID=" + s.keyID, "AWS_SECRET_ACCESS_KEY=" + s.secret}
	return s
}

// Config is the configuration of a store on prefix of the bucket, with
// the server's credentials and Transport: what media.Open makes of URL,
// plus the trust an HTTPS server needs.
func (s *S3Server) Config(prefix string) media.S3Config {
	return media.S3Config{
		Bucket:          s.Bucket,
		Prefix:          prefix,
		Endpoint:        s.Endpoint,
		Region:          "us-east-1",
		AccessKeyID:     s.keyID,
		SecretAccessKey: s.secret,
		Transport:       s.Transport,
	}
}

// Getenv looks the credentials up as os.Getenv would.
func (s *S3Server) Getenv(name string) string {
	for _, kv := range s.Env {
		if k, v, _ := strings.Cut(kv, "="); k == name {
			return v
		}
	}
	return ""
}

// Setenv puts the credentials into this process's environment for the
// test (so the test cannot be parallel).
func (s *S3Server) Setenv(t *testing.T) {
	t.Helper()
	for _, kv := range s.Env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

// Requests counts the requests received so far.
func (s *S3Server) Requests() int64 { return s.requests.Load() }

// Parts counts the parts of multipart uploads received so far, so a test
// can tell whether a blob went in one PUT or as a multipart upload.
func (s *S3Server) Parts() int64 { return s.parts.Load() }

// Close stops the service, as an outage would.
func (s *S3Server) Close() { s.http.Close() }

// Keys lists every object in the bucket, prefix included, straight from
// the backend: what is really stored, whatever a store's List shows.
func (s *S3Server) Keys(t testing.TB) []string {
	t.Helper()
	list, err := s.backend.ListBucket(s.Bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatalf("list bucket: %v", err)
	}
	keys := make([]string, 0, len(list.Contents))
	for _, c := range list.Contents {
		keys = append(keys, c.Key)
	}
	return keys
}
