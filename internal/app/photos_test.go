package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/images"
	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Photos on real components: the job queue run by Serve, the in-process
// S3, storage migration and backups. The rules themselves (refusals,
// access, lifecycle) are tested in internal/api/photos_http_test.go.

type phVariant struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Format string `json:"format"`
}

type phPhoto struct {
	ID       string      `json:"id"`
	URL      string      `json:"url"`
	Width    int         `json:"width"`
	Height   int         `json:"height"`
	Colour   string      `json:"colour"`
	Status   string      `json:"status"`
	Variants []phVariant `json:"variants"`
	Step     int         `json:"step"`
}

// phRecipe is the photo part of GET /api/v1/recipes/{id}.
type phRecipe struct {
	ID     string    `json:"id"`
	Photo  *phPhoto  `json:"photo"`
	Photos []phPhoto `json:"photos"`
	Author struct {
		Avatar *phPhoto `json:"avatar"`
	} `json:"author"`
}

// all is every photo the answer shows: main, gallery and steps, avatar.
func (r phRecipe) all() []phPhoto {
	var out []phPhoto
	if r.Photo != nil {
		out = append(out, *r.Photo)
	}
	out = append(out, r.Photos...)
	if r.Author.Avatar != nil {
		out = append(out, *r.Author.Avatar)
	}
	return out
}

// urls is every variant URL of the answer's photos.
func (r phRecipe) urls() []string {
	var out []string
	for _, p := range r.all() {
		for _, v := range p.Variants {
			out = append(out, v.URL)
		}
	}
	return out
}

// phAnswer is one HTTP answer, read whole.
type phAnswer struct {
	status int
	header http.Header
	body   []byte
}

// phDo sends a request with an optional bearer token, body and header
// pairs. A 5xx answer fails the test: no photo operation may end in one.
func phDo(t *testing.T, method, url, token string, body []byte, headers ...string) phAnswer {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, url, err)
	}
	if resp.StatusCode >= 500 {
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	return phAnswer{resp.StatusCode, resp.Header, b}
}

// phWant fails the test unless a answered status.
func phWant(t *testing.T, a phAnswer, status int, what string) phAnswer {
	t.Helper()
	if a.status != status {
		t.Fatalf("%s: %d %.300s, want %d", what, a.status, a.body, status)
	}
	return a
}

// phJSON sends a JSON body.
func phJSON(t *testing.T, method, url, token string, v any) phAnswer {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return phDo(t, method, url, token, b, "Content-Type", "application/json")
}

// phRegister makes an account and returns its bearer token.
func phRegister(t *testing.T, base, name string) string {
	t.Helper()
	return registerAPI(t, http.DefaultClient, base, name, name+"@example.test")
}

// phCreateRecipe creates a recipe with steps steps and returns its id.
func phCreateRecipe(t *testing.T, base, token, title, visibility string, steps int) string {
	t.Helper()
	var s []string
	for i := range steps {
		s = append(s, fmt.Sprintf("Step %d.", i+1))
	}
	a := phWant(t, phJSON(t, "POST", base+"/api/v1/recipes", token, map[string]any{
		"title": title, "visibility": visibility, "ingredients": []string{"1 cup water"}, "steps": s,
	}), http.StatusCreated, "create "+title)
	var r struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(a.body, &r); err != nil || r.ID == "" {
		t.Fatalf("created recipe %s: %v", a.body, err)
	}
	return r.ID
}

// phUpload sends data as a multipart upload, as a browser's form does,
// and returns the photo the answer describes.
func phUpload(t *testing.T, method, url, token string, data []byte, fields map[string]string, status int) phPhoto {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", "photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	a := phWant(t, phDo(t, method, url, token, b.Bytes(), "Content-Type", mw.FormDataContentType()), status, method+" "+url)
	var p phPhoto
	if err := json.Unmarshal(a.body, &p); err != nil {
		t.Fatalf("upload answer %s: %v", a.body, err)
	}
	return p
}

// phRecipeOf is GET /api/v1/recipes/{id} as token sees it.
func phRecipeOf(t *testing.T, base, token, id string) phRecipe {
	t.Helper()
	a := phWant(t, phDo(t, "GET", base+"/api/v1/recipes/"+id, token, nil), http.StatusOK, "recipe "+id)
	var r phRecipe
	if err := json.Unmarshal(a.body, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// phSettled polls the recipe until none of its photos is processing and
// returns it. The minute is a deadline for a job the queue works at
// once, not a measure of speed.
func phSettled(t *testing.T, base, token, id string) phRecipe {
	t.Helper()
	end := time.Now().Add(time.Minute)
	for {
		r := phRecipeOf(t, base, token, id)
		if !slices.ContainsFunc(r.all(), func(p phPhoto) bool { return p.Status == "processing" }) {
			return r
		}
		if time.Now().After(end) {
			t.Fatalf("recipe %s still has photos processing after a minute: %+v", id, r.all())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// phReady is phSettled that also wants every photo ready.
func phReady(t *testing.T, base, token, id string) phRecipe {
	t.Helper()
	r := phSettled(t, base, token, id)
	for _, p := range r.all() {
		if p.Status != "ready" || len(p.Variants) == 0 {
			t.Fatalf("recipe %s: photo %+v is not ready", id, p)
		}
	}
	return r
}

// phFetch gets every URL as token and returns the bodies, which must
// be images of the size and format their variant names.
func phFetch(t *testing.T, base, token string, recipes ...phRecipe) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, r := range recipes {
		for _, p := range r.all() {
			for _, v := range p.Variants {
				a := phWant(t, phDo(t, "GET", base+v.URL, token, nil), http.StatusOK, "GET "+v.URL)
				_, info, err := images.Inspect(bytes.NewReader(a.body), images.MaxBytes)
				if err != nil || string(info.Format) != v.Format || info.Width != v.Width || info.Height != v.Height {
					t.Fatalf("%s is %+v (%v), want a %dx%d %s", v.URL, info, err, v.Width, v.Height, v.Format)
				}
				out[v.URL] = a.body
			}
		}
	}
	return out
}

// phSame fetches every URL of want again and wants the same bytes.
func phSame(t *testing.T, base, token string, want map[string][]byte) {
	t.Helper()
	for u, b := range want {
		a := phDo(t, "GET", base+u, token, nil)
		if a.status != http.StatusOK || !bytes.Equal(a.body, b) {
			t.Errorf("GET %s: %d, %d bytes; want 200 and the %d bytes served before", u, a.status, len(a.body), len(b))
		}
	}
}

// phBlobs lists the keys of a store under prefix.
func phBlobs(t *testing.T, s media.Store, prefix string) []string {
	t.Helper()
	var keys []string
	if err := s.List(context.Background(), prefix, func(o media.Object) error {
		keys = append(keys, o.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return keys
}

// phKeys are the storage keys behind /media/ URLs, sorted.
func phKeys(urls []string) []string {
	var keys []string
	for _, u := range urls {
		keys = append(keys, strings.TrimPrefix(u, "/media/"))
	}
	slices.Sort(keys)
	return keys
}

// phServeAgain serves the installation of cfg (its database and data
// directory) again through Serve, with storage changed to storageURL
// when that is not "".
func phServeAgain(t *testing.T, engine string, cfg *config.Config, storageURL string) *testutil.Serving {
	t.Helper()
	return testutil.StartServing(t, engine, func(c *config.Config) {
		c.DataDir, c.DatabaseURL, c.StorageURL = cfg.DataDir, cfg.DatabaseURL, cfg.StorageURL
		if storageURL != "" {
			c.StorageURL = storageURL
		}
	})
}

// TestPhotoVariantsOnTheRealQueue: an upload through the API is answered
// at once as processing; the queue that Serve runs renders the variants
// and the recipe shows the photo ready, every variant served, the upload
// itself gone from storage and its job completed on the first attempt.
func TestPhotoVariantsOnTheRealQueue(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServing(t, engine, nil)
			cook := phRegister(t, srv.URL, "cook")
			id := phCreateRecipe(t, srv.URL, cook, "Soup", "public", 1)
			data := imagetest.WithExif(imagetest.Encoded(t, "jpeg", 1200, 900), 1, binary.LittleEndian)
			p := phUpload(t, "PUT", srv.URL+"/api/v1/recipes/"+id+"/photo", cook, data, map[string]string{"alt": "Soup"}, http.StatusOK)
			if p.Status != "processing" || p.Width != 1200 || p.Height != 900 || len(p.Variants) != 0 {
				t.Fatalf("accepted photo = %+v", p)
			}

			r := phReady(t, srv.URL, cook, id)
			got := r.Photo
			if got == nil || got.ID != p.ID || len(got.Colour) != 7 {
				t.Fatalf("photo after the job = %+v", got)
			}
			var webp, jpeg []int
			for _, v := range got.Variants {
				switch v.Format {
				case "webp":
					webp = append(webp, v.Width)
				case "jpeg":
					jpeg = append(jpeg, v.Width)
				}
			}
			if want := []int{1200, 1024, 640, 320}; !slices.Equal(webp, want) || !slices.Equal(jpeg, want) {
				t.Errorf("variant widths: webp %v, jpeg %v; want %v each", webp, jpeg, want)
			}
			bodies := phFetch(t, srv.URL, "", r)
			for u, b := range bodies {
				if bytes.Contains(b, []byte(imagetest.GPSSecret)) {
					t.Errorf("%s carries the upload's GPS position", u)
				}
			}
			if keys, want := phBlobs(t, srv.App.Media(), "photos/"), phKeys(r.urls()); !slices.Equal(keys, want) {
				t.Errorf("stored %q, want the variants only %q", keys, want)
			}
			// River records the completion a moment after the work.
			jobs := waitPhotoJobs(t, srv, engine, func(jobs []photoJob) bool {
				return len(jobs) == 1 && jobs[0].state == "completed"
			})
			if jobs[0].photoID != p.ID || jobs[0].attempt != 1 || jobs[0].errors {
				t.Errorf("photo job = %+v, want one completed on its first attempt", jobs[0])
			}
		})
	}
}

// photoJob is a row of river's job table for the variants job.
type photoJob struct {
	photoID string
	state   string
	attempt int
	errors  bool // some attempt failed
}

// photoJobs reads the variants jobs. River's SQLite driver keeps JSON in
// SQLite's binary form, which json() turns back into text.
func photoJobs(t *testing.T, srv *testutil.Serving, engine string) []photoJob {
	t.Helper()
	query := "SELECT args::text, state, attempt, errors::text FROM river_job WHERE kind = 'photo_variants' ORDER BY id"
	if engine == "sqlite" {
		query = "SELECT json(args), state, attempt, json(errors) FROM river_job WHERE kind = 'photo_variants' ORDER BY id"
	}
	rows, err := srv.App.Store().DB().QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []photoJob
	for rows.Next() {
		var (
			args, errs []byte
			j          photoJob
			a          struct {
				PhotoID string `json:"photo_id"`
			}
		)
		if err := rows.Scan(&args, &j.state, &j.attempt, &errs); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(args, &a); err != nil {
			t.Fatalf("job args %s: %v", args, err)
		}
		j.photoID = a.PhotoID
		j.errors = len(errs) > 0 && !slices.Contains([]string{"null", "[]", "{}"}, string(errs))
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// waitPhotoJobs polls the variants jobs until done holds for them and
// returns them; a minute is a deadline, not a measure of speed.
func waitPhotoJobs(t *testing.T, srv *testutil.Serving, engine string, done func([]photoJob) bool) []photoJob {
	t.Helper()
	end := time.Now().Add(time.Minute)
	for {
		jobs := photoJobs(t, srv, engine)
		if done(jobs) {
			return jobs
		}
		if time.Now().After(end) {
			t.Fatalf("photo jobs after a minute: %+v", jobs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestPhotoJobWithoutItsUpload: the variants job of a photo whose upload
// is gone marks it failed at once (no attempt could help); one whose
// upload cannot be read fails the attempt, which the console counts as a
// job to retry, and the queue's retry renders the photo once the upload
// reads again. The uploads are made while no queue runs (an app without
// Serve), so the blobs can be broken before the jobs start.
func TestPhotoJobWithoutItsUpload(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			cfg := testutil.Config(t, engine)
			a, err := app.New(ctx, cfg, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(a.Handler())
			cook := phRegister(t, ts.URL, "cook")
			phRegister(t, ts.URL, "boss")
			u, err := a.Store().UserByLogin(ctx, "boss")
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Store().SetRole(ctx, u.ID, auth.RoleAdmin); err != nil {
				t.Fatal(err)
			}
			goneID := phCreateRecipe(t, ts.URL, cook, "Gone", "public", 1)
			stuckID := phCreateRecipe(t, ts.URL, cook, "Stuck", "public", 1)
			img := imagetest.Encoded(t, "png", 500, 300)
			gone := phUpload(t, "PUT", ts.URL+"/api/v1/recipes/"+goneID+"/photo", cook, img, nil, http.StatusOK)
			stuck := phUpload(t, "PUT", ts.URL+"/api/v1/recipes/"+stuckID+"/photo", cook, img, nil, http.StatusOK)
			ts.Close()
			a.Close()

			files := filepath.Join(cfg.DataDir, "files")
			upload := func(id string) string { return filepath.Join(files, "photos", id, "upload") }
			if err := os.Remove(upload(gone.ID)); err != nil {
				t.Fatal(err)
			}
			// A link to itself: opening it fails with "too many levels
			// of symbolic links", a storage error rather than "not found".
			if err := os.Remove(upload(stuck.ID)); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("upload", upload(stuck.ID)); err != nil {
				t.Fatal(err)
			}

			srv := phServeAgain(t, engine, cfg, "")
			boss := loginAs(t, http.DefaultClient, srv.URL, "boss", moverPassword, http.StatusOK)
			if p := phSettled(t, srv.URL, cook, goneID).Photo; p == nil || p.Status != "failed" || len(p.Variants) != 0 {
				t.Fatalf("photo without its upload = %+v, want failed", p)
			}
			if keys := phBlobs(t, srv.App.Media(), "photos/"+gone.ID+"/"); len(keys) != 0 {
				t.Errorf("a failed photo left %q", keys)
			}

			// The unreadable upload fails attempt after attempt, each
			// waiting longer for the next, as the console shows.
			end := time.Now().Add(time.Minute)
			for {
				var st struct {
					Queue struct {
						Retrying int64 `json:"retrying"`
					} `json:"queue"`
				}
				ans := phWant(t, phDo(t, "GET", srv.URL+"/api/v1/admin/status", boss, nil), http.StatusOK, "admin status")
				if err := json.Unmarshal(ans.body, &st); err != nil {
					t.Fatal(err)
				}
				if st.Queue.Retrying == 1 {
					break
				}
				if time.Now().After(end) {
					t.Fatalf("the console never counted the failing job as retrying: %s", ans.body)
				}
				time.Sleep(50 * time.Millisecond)
			}
			if p := phRecipeOf(t, srv.URL, cook, stuckID).Photo; p == nil || p.Status != "processing" {
				t.Fatalf("photo whose job is retrying = %+v, want processing", p)
			}
			if err := os.Remove(upload(stuck.ID)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(upload(stuck.ID), img, 0o640); err != nil {
				t.Fatal(err)
			}
			r := phReady(t, srv.URL, cook, stuckID)
			phFetch(t, srv.URL, "", r)
			if keys, want := phBlobs(t, srv.App.Media(), "photos/"+stuck.ID+"/"), phKeys(r.urls()); !slices.Equal(keys, want) {
				t.Errorf("stored %q, want the variants only %q", keys, want)
			}

			jobs := waitPhotoJobs(t, srv, engine, func(jobs []photoJob) bool {
				return len(jobs) == 2 && jobs[0].state == "completed" && jobs[1].state == "completed"
			})
			if j := jobs[0]; j.photoID != gone.ID || j.attempt != 1 || j.errors {
				t.Errorf("job of the photo without its upload = %+v, want done on the first attempt", j)
			}
			if j := jobs[1]; j.photoID != stuck.ID || j.attempt < 2 || !j.errors {
				t.Errorf("job of the unreadable upload = %+v, want failed attempts recorded before it completed", j)
			}
		})
	}
}

// TestPhotosOnS3: with RECC_STORAGE_URL on S3 the queue renders into the
// bucket, and /media/ serves each variant from it with the rules of the
// file store: right type and cache scope, ranges (206 with the right
// bytes, read by ranged GETs), 304 for the content-hash ETag, 404 for
// anyone but the author on a private recipe. Deleting the recipes empties
// the bucket of their photos.
func TestPhotosOnS3(t *testing.T) {
	// Not parallel: the app reads the S3 credentials from the environment.
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s3 := testutil.S3(t)
			s3.Setenv(t)
			srv := testutil.StartServing(t, engine, func(c *config.Config) { c.StorageURL = s3.URL })
			bucket, err := media.Open(ctx, s3.URL, s3.Getenv)
			if err != nil {
				t.Fatal(err)
			}
			cook, other := phRegister(t, srv.URL, "cook"), phRegister(t, srv.URL, "other")
			pubID := phCreateRecipe(t, srv.URL, cook, "Soup", "public", 1)
			privID := phCreateRecipe(t, srv.URL, cook, "Secret", "private", 1)
			img := imagetest.Encoded(t, "jpeg", 900, 600)
			phUpload(t, "PUT", srv.URL+"/api/v1/recipes/"+pubID+"/photo", cook, img, nil, http.StatusOK)
			phUpload(t, "PUT", srv.URL+"/api/v1/recipes/"+privID+"/photo", cook, img, nil, http.StatusOK)
			pub, priv := phReady(t, srv.URL, cook, pubID), phReady(t, srv.URL, cook, privID)

			var want []string
			for _, k := range phKeys(append(pub.urls(), priv.urls()...)) {
				want = append(want, "files/"+k)
			}
			if got := photoObjects(t, s3); !slices.Equal(got, want) {
				t.Fatalf("bucket holds %q, want the variants only %q", got, want)
			}

			check := func(r phRecipe, viewer, scope string) {
				t.Helper()
				for _, v := range r.Photo.Variants {
					full := phWant(t, phDo(t, "GET", srv.URL+v.URL, viewer, nil), http.StatusOK, "GET "+v.URL)
					rc, err := bucket.Get(ctx, strings.TrimPrefix(v.URL, "/media/"))
					if err != nil {
						t.Fatal(err)
					}
					stored, err := io.ReadAll(rc)
					rc.Close()
					if err != nil || !bytes.Equal(full.body, stored) {
						t.Fatalf("%s: %d bytes served, %d stored (%v)", v.URL, len(full.body), len(stored), err)
					}
					size := len(stored)
					for h, want := range map[string]string{
						"Content-Type":   "image/" + v.Format,
						"Cache-Control":  scope + ", max-age=31536000, immutable",
						"Content-Length": fmt.Sprint(size),
						"Accept-Ranges":  "bytes",
					} {
						if got := full.header.Get(h); got != want {
							t.Errorf("%s: %s %q, want %q", v.URL, h, got, want)
						}
					}
					etag := full.header.Get("ETag")
					if hash, _, _ := strings.Cut(v.URL[strings.LastIndex(v.URL, "/")+1:], "-"); etag != `"`+hash+`"` {
						t.Errorf("%s: ETag %s, want the content hash %q", v.URL, etag, hash)
					}
					for rng, part := range map[string][2]int{"bytes=10-109": {10, 110}, "bytes=-16": {size - 16, size}, fmt.Sprintf("bytes=%d-", size-5): {size - 5, size}} {
						a := phWant(t, phDo(t, "GET", srv.URL+v.URL, viewer, nil, "Range", rng), http.StatusPartialContent, v.URL+" "+rng)
						if cr := fmt.Sprintf("bytes %d-%d/%d", part[0], part[1]-1, size); a.header.Get("Content-Range") != cr {
							t.Errorf("%s %s: Content-Range %q, want %q", v.URL, rng, a.header.Get("Content-Range"), cr)
						}
						if !bytes.Equal(a.body, stored[part[0]:part[1]]) {
							t.Errorf("%s %s: the part's bytes differ from the blob's", v.URL, rng)
						}
					}
					a := phWant(t, phDo(t, "GET", srv.URL+v.URL, viewer, nil, "If-None-Match", etag), http.StatusNotModified, v.URL+" If-None-Match")
					if len(a.body) != 0 || a.header.Get("ETag") != etag {
						t.Errorf("%s: 304 with %d bytes and ETag %q", v.URL, len(a.body), a.header.Get("ETag"))
					}
					phWant(t, phDo(t, "GET", srv.URL+v.URL, viewer, nil, "If-None-Match", `"other"`), http.StatusOK, v.URL+" stale If-None-Match")
				}
			}
			check(pub, "", "public")
			check(priv, cook, "private")
			for _, v := range priv.Photo.Variants {
				for who, token := range map[string]string{"another user": other, "anonymous": ""} {
					if a := phDo(t, "GET", srv.URL+v.URL, token, nil, "Range", "bytes=0-9"); a.status != http.StatusNotFound {
						t.Errorf("%s gets %s of a private recipe: %d", who, v.URL, a.status)
					}
				}
			}

			for _, id := range []string{pubID, privID} {
				phWant(t, phDo(t, "DELETE", srv.URL+"/api/v1/recipes/"+id, cook, nil), http.StatusNoContent, "delete "+id)
			}
			if got := photoObjects(t, s3); len(got) != 0 {
				t.Errorf("deleting the recipes left %q in the bucket", got)
			}
			for _, u := range append(pub.urls(), priv.urls()...) {
				phWant(t, phDo(t, "GET", srv.URL+u, cook, nil), http.StatusNotFound, "GET "+u+" after the delete")
			}
		})
	}
}

// photoObjects lists the bucket's photo objects, straight from the S3
// service's backend.
func photoObjects(t *testing.T, s3 *testutil.S3Server) []string {
	t.Helper()
	var out []string
	for _, k := range s3.Keys(t) {
		if strings.HasPrefix(k, "files/photos/") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// phLibrary is one cook's recipes with photos of every kind, processed:
// main photos, a gallery, a step's photo and an avatar, on a public, an
// unlisted and a private recipe.
type phLibrary struct {
	cook    string // bearer token
	recipes map[string]phRecipe
	// bodies are the bytes each variant URL served, as the cook.
	bodies map[string][]byte
}

func phMakeLibrary(t *testing.T, base string) phLibrary {
	t.Helper()
	lib := phLibrary{cook: phRegister(t, base, "cook"), recipes: map[string]phRecipe{}}
	phWant(t, phDo(t, "PUT", base+"/api/v1/me/avatar", lib.cook, imagetest.Encoded(t, "webp", 400, 400), "Content-Type", "image/webp"),
		http.StatusOK, "avatar")
	stew := phCreateRecipe(t, base, lib.cook, "Stew", "public", 2)
	phUpload(t, "PUT", base+"/api/v1/recipes/"+stew+"/photo", lib.cook, imagetest.Encoded(t, "jpeg", 800, 600), nil, http.StatusOK)
	phUpload(t, "POST", base+"/api/v1/recipes/"+stew+"/photos", lib.cook, imagetest.Encoded(t, "png", 400, 300), map[string]string{"alt": "one"}, http.StatusCreated)
	phUpload(t, "POST", base+"/api/v1/recipes/"+stew+"/photos", lib.cook, imagetest.Encoded(t, "gif", 300, 300), map[string]string{"alt": "two"}, http.StatusCreated)
	phUpload(t, "POST", base+"/api/v1/recipes/"+stew+"/photos", lib.cook, imagetest.Encoded(t, "png", 500, 250), map[string]string{"step": "2"}, http.StatusCreated)
	pie := phCreateRecipe(t, base, lib.cook, "Pie", "unlisted", 1)
	phUpload(t, "PUT", base+"/api/v1/recipes/"+pie+"/photo", lib.cook, imagetest.Encoded(t, "webp", 640, 480), nil, http.StatusOK)
	secret := phCreateRecipe(t, base, lib.cook, "Secret", "private", 1)
	phUpload(t, "PUT", base+"/api/v1/recipes/"+secret+"/photo", lib.cook, imagetest.Encoded(t, "jpeg", 700, 500), nil, http.StatusOK)
	phUpload(t, "POST", base+"/api/v1/recipes/"+secret+"/photos", lib.cook, imagetest.Encoded(t, "png", 350, 350), nil, http.StatusCreated)

	var all []phRecipe
	for _, id := range []string{stew, pie, secret} {
		r := phReady(t, base, lib.cook, id)
		lib.recipes[id] = r
		all = append(all, r)
	}
	if s := lib.recipes[stew]; len(s.Photos) != 3 || s.Photos[2].Step != 2 || s.Author.Avatar == nil {
		t.Fatalf("the stew's photos: %+v", s)
	}
	lib.bodies = phFetch(t, base, lib.cook, all...)
	return lib
}

// keys are the storage keys of every variant in the library.
func (lib phLibrary) keys() []string {
	var urls []string
	for u := range lib.bodies {
		urls = append(urls, u)
	}
	return phKeys(urls)
}

// same checks that base shows every recipe of the library as before
// and serves every variant with the same bytes.
func (lib phLibrary) same(t *testing.T, base string) {
	t.Helper()
	for id, want := range lib.recipes {
		if got := phRecipeOf(t, base, lib.cook, id); !reflect.DeepEqual(got, want) {
			t.Errorf("recipe %s shows\n%+v\nwant\n%+v", id, got, want)
		}
	}
	phSame(t, base, lib.cook, lib.bodies)
}

// cancelAfter cancels a migration's context once n blobs were written.
type cancelAfter struct {
	media.Store
	n      int64
	puts   atomic.Int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Put(ctx context.Context, key string, r io.Reader, size int64, ct string) error {
	err := c.Store.Put(ctx, key, r, size, ct)
	if c.puts.Add(1) == c.n {
		c.cancel()
	}
	return err
}

// sha256Of is the hash of a blob.
func sha256Of(t *testing.T, s media.Store, key string) [sha256.Size]byte {
	t.Helper()
	rc, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		t.Fatal(err)
	}
	return [sha256.Size]byte(h.Sum(nil))
}

// TestStorageMigrateWithPhotos is `storage migrate` from the file store to
// S3 under a library of photos: a run interrupted midway leaves part of
// the library copied, the next run copies only the rest, every blob
// reads back with its source's SHA-256, and the same database served
// from S3 (the file store removed) shows every photo with the same URLs
// and bytes.
func TestStorageMigrateWithPhotos(t *testing.T) {
	// Not parallel: the app reads the S3 credentials from the environment.
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s3 := testutil.S3(t)
			s3.Setenv(t)
			var cfg *config.Config
			srv := testutil.StartServing(t, engine, func(c *config.Config) { cfg = c })
			lib := phMakeLibrary(t, srv.URL)
			if err := srv.Stop(); err != nil {
				t.Fatal(err)
			}

			from, err := media.Open(ctx, cfg.StorageURL, os.Getenv)
			if err != nil {
				t.Fatal(err)
			}
			to, err := media.Open(ctx, s3.URL, s3.Getenv)
			if err != nil {
				t.Fatal(err)
			}
			keys := phBlobs(t, from, "")
			if !slices.Equal(keys, lib.keys()) {
				t.Fatalf("the file store holds %q, want the library's variants %q", keys, lib.keys())
			}

			cctx, cancel := context.WithCancel(ctx)
			rep, err := media.Migrate(cctx, from, &cancelAfter{Store: to, n: 5, cancel: cancel}, media.MigrateOptions{Workers: 1})
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted run: %+v, %v; want context.Canceled", rep, err)
			}
			copied := phBlobs(t, to, "")
			if len(copied) == 0 || len(copied) >= len(keys) {
				t.Fatalf("after the interruption S3 holds %d of %d blobs", len(copied), len(keys))
			}
			rep, err = media.Migrate(ctx, from, to, media.MigrateOptions{})
			if err != nil || rep.Skipped != len(copied) || rep.Copied != len(keys)-len(copied) || len(rep.Failures) != 0 {
				t.Fatalf("resumed run: %+v, %v; want %d skipped and %d copied", rep, err, len(copied), len(keys)-len(copied))
			}
			if got := phBlobs(t, to, ""); !slices.Equal(got, keys) {
				t.Fatalf("S3 holds %q, want %q", got, keys)
			}
			for _, k := range keys {
				if sha256Of(t, from, k) != sha256Of(t, to, k) {
					t.Errorf("%s differs on S3", k)
				}
			}

			if err := os.RemoveAll(filepath.Join(cfg.DataDir, "files")); err != nil {
				t.Fatal(err)
			}
			moved := phServeAgain(t, engine, cfg, s3.URL)
			lib.same(t, moved.URL)
		})
	}
}

// TestBackupRestoresPhotos: a backup holds the photos' blobs with their
// rows. A recipe deleted after the backup takes its blobs with it;
// restoring the backup brings back the recipe and its photos, with the
// same URLs and bytes.
func TestBackupRestoresPhotos(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var cfg *config.Config
			srv := testutil.StartServing(t, engine, func(c *config.Config) { cfg = c })
			lib := phMakeLibrary(t, srv.URL)
			backups, err := media.NewFile(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			info, err := backup.New(srv.App.Store(), srv.App.Media(), backups, backup.Options{}).Create(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if info.Files != len(lib.keys()) {
				t.Errorf("the backup holds %d files, want the library's %d variants", info.Files, len(lib.keys()))
			}

			var stew phRecipe
			for _, r := range lib.recipes {
				if len(r.Photos) == 3 {
					stew = r
				}
			}
			phWant(t, phDo(t, "DELETE", srv.URL+"/api/v1/recipes/"+stew.ID, lib.cook, nil), http.StatusNoContent, "delete the stew")
			for _, p := range stew.all() {
				if p.ID == stew.Author.Avatar.ID {
					continue
				}
				if keys := phBlobs(t, srv.App.Media(), "photos/"+p.ID+"/"); len(keys) != 0 {
					t.Errorf("the deleted recipe's photo %s left %q", p.ID, keys)
				}
				for _, v := range p.Variants {
					phWant(t, phDo(t, "GET", srv.URL+v.URL, lib.cook, nil), http.StatusNotFound, "GET "+v.URL+" after the delete")
				}
			}
			if err := srv.Stop(); err != nil {
				t.Fatal(err)
			}

			// `backup restore --force`, with the server stopped.
			st, err := app.OpenStore(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			files, err := media.Open(ctx, cfg.StorageURL, os.Getenv)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := backup.New(st, files, backups, backup.Options{}).Restore(ctx, info.Name, backup.RestoreOptions{Force: true})
			st.Close()
			if err != nil || rep.Files != info.Files || rep.FilesRemoved != 0 {
				t.Fatalf("restore: %+v, %v", rep, err)
			}
			lib.same(t, phServeAgain(t, engine, cfg, "").URL)
		})
	}
}

// TestPhotoURLsOnACDN: with RECC_MEDIA_BASE_URL the photos of public and
// unlisted recipes and avatars point at the CDN, whose origin is this
// server's /media/ path (answered with a public, immutable cache scope);
// a private recipe's photos, in its own answer and in lists, always
// point at this server. Turning a recipe private moves its URLs back
// here at once, and the origin stops serving the CDN path to others.
func TestPhotoURLsOnACDN(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			const cdn = "https://cdn.example.test"
			srv := testutil.StartServing(t, engine, func(c *config.Config) { c.MediaBaseURL = cdn })
			cook := phRegister(t, srv.URL, "cook")
			phWant(t, phDo(t, "PUT", srv.URL+"/api/v1/me/avatar", cook, imagetest.Encoded(t, "png", 200, 200), "Content-Type", "image/png"),
				http.StatusOK, "avatar")
			ids := map[string]string{}
			for _, vis := range []string{"public", "unlisted", "private"} {
				id := phCreateRecipe(t, srv.URL, cook, "Soup "+vis, vis, 1)
				phUpload(t, "PUT", srv.URL+"/api/v1/recipes/"+id+"/photo", cook, imagetest.Encoded(t, "jpeg", 400, 300), nil, http.StatusOK)
				phUpload(t, "POST", srv.URL+"/api/v1/recipes/"+id+"/photos", cook, imagetest.Encoded(t, "png", 300, 300), nil, http.StatusCreated)
				ids[vis] = id
			}
			// wantURLs checks where every URL of a photo points.
			wantURLs := func(what string, p phPhoto, base string) {
				t.Helper()
				urls := []string{p.URL}
				for _, v := range p.Variants {
					urls = append(urls, v.URL)
				}
				for _, u := range urls {
					if !strings.HasPrefix(u, base+"/media/photos/"+p.ID+"/") {
						t.Errorf("%s: URL %q, want it under %s/media/", what, u, base)
					}
				}
			}
			for vis, id := range ids {
				r := phReady(t, srv.URL, cook, id)
				base := cdn
				if vis == "private" {
					base = ""
				}
				wantURLs(vis+" main photo", *r.Photo, base)
				wantURLs(vis+" gallery photo", r.Photos[0], base)
				wantURLs("avatar beside a "+vis+" recipe", *r.Author.Avatar, cdn)
				for _, p := range r.all() {
					scope, viewer := "public", ""
					if vis == "private" && p.ID != r.Author.Avatar.ID {
						scope, viewer = "private", cook
					}
					for _, v := range p.Variants {
						origin := strings.TrimPrefix(v.URL, cdn)
						a := phWant(t, phDo(t, "GET", srv.URL+origin, viewer, nil), http.StatusOK, "origin "+origin)
						if cc := a.header.Get("Cache-Control"); cc != scope+", max-age=31536000, immutable" {
							t.Errorf("origin %s: Cache-Control %q, want %s", origin, cc, scope)
						}
					}
				}
			}
			var list struct {
				Items []phRecipe `json:"items"`
			}
			if err := json.Unmarshal(phWant(t, phDo(t, "GET", srv.URL+"/api/v1/recipes?author=cook", cook, nil), http.StatusOK, "list").body, &list); err != nil {
				t.Fatal(err)
			}
			if len(list.Items) != 3 {
				t.Fatalf("the cook's list has %d recipes, want 3", len(list.Items))
			}
			for _, it := range list.Items {
				base := cdn
				if it.ID == ids["private"] {
					base = ""
				}
				wantURLs("card of "+it.ID, *it.Photo, base)
			}
			if csp := phDo(t, "GET", srv.URL+"/", "", nil).header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' "+cdn+" ") {
				t.Errorf("CSP %q does not allow images from the CDN", csp)
			}

			public := phRecipeOf(t, srv.URL, cook, ids["public"])
			phWant(t, phJSON(t, "PATCH", srv.URL+"/api/v1/recipes/"+ids["public"], cook, map[string]any{"visibility": "private"}), http.StatusOK, "make private")
			now := phRecipeOf(t, srv.URL, cook, ids["public"])
			wantURLs("main photo made private", *now.Photo, "")
			wantURLs("gallery photo made private", now.Photos[0], "")
			for _, p := range append([]phPhoto{*public.Photo}, public.Photos...) {
				for _, v := range p.Variants {
					a := phDo(t, "GET", srv.URL+strings.TrimPrefix(v.URL, cdn), "", nil)
					if a.status != http.StatusNotFound {
						t.Errorf("the origin of %s answers %d once the recipe is private, want 404", v.URL, a.status)
					}
				}
			}
		})
	}
}
