package testutil

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3Server is an in-process S3 service (gofakes3 with its in-memory
// backend) behind a real HTTP listener, with one bucket.
//
// It hands out its credentials rather than setting them, because the
// code under test reads them in different ways: media.Open takes a
// getenv (Getenv), an app in this process reads the environment (Setenv),
// and a child process gets Env appended to its environment.
type S3Server struct {
	// URL is a RECC_STORAGE_URL for the prefix "files" of the bucket:
	// s3://bucket/files?endpoint=http://127.0.0.1:port&region=us-east-1.
	URL string
	// Env is "AWS_ACCESS_KEY_ID=…" and "AWS_SECRET_ACCESS_KEY=…".
	Env      []string
	Endpoint string
	Bucket   string

	backend  *s3mem.Backend
	http     *httptest.Server
	keyID    string
	requests atomic.Int64
}

// S3 starts the service for the length of the test. Requests must be
// signed with its access key (gofakes3 itself does not check), so a store
// that lost its credentials fails here as it would against real S3.
func S3(t testing.TB) *S3Server {
	t.Helper()
	s := &S3Server{Bucket: "recc-test", backend: s3mem.New(), keyID: "TEST" + rand.Text()}
	secret := rand.Text() + rand.Text()
	if err := s.backend.CreateBucket(s.Bucket); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	fake := gofakes3.New(s.backend).Server()
	s.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if !strings.Contains(r.Header.Get("Authorization"), "Credential="+s.keyID+"/") {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>unknown access key</Message></Error>`))
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(s.http.Close)
	s.Endpoint = s.http.URL
	s.URL = "s3://" + s.Bucket + "/files?" + url.Values{"endpoint": {s.Endpoint}, "region": {"us-east-1"}}.Encode()
	s.Env = []string{"AWS_ACCESS_KEY_ID=" + s.keyID, "AWS_SECRET_ACCESS_KEY=" + secret}
	return s
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
