package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/images"
	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Helpers of the photo tests (photos_test.go): an API client of plain
// requests, the photo part of recipe answers, and a library of photos of
// every kind.

// phVariant and phPhoto are the JSON of recipe.PhotoVariant and
// recipe.Photo.
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

// photoDeadline bounds the waits for the queue's work: a deadline for
// jobs that usually take a second, not a measure of speed. Under the race
// detector on a busy machine, encoding one photo's WebP variants has
// taken most of a minute.
const photoDeadline = 5 * time.Minute

// phSettled polls the recipe until none of its photos is processing and
// returns it.
func phSettled(t *testing.T, base, token, id string) phRecipe {
	t.Helper()
	end := time.Now().Add(photoDeadline)
	for {
		r := phRecipeOf(t, base, token, id)
		if !slices.ContainsFunc(r.all(), func(p phPhoto) bool { return p.Status == "processing" }) {
			return r
		}
		if time.Now().After(end) {
			t.Fatalf("recipe %s still has photos processing after %v: %+v", id, photoDeadline, r.all())
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
// returns them.
func waitPhotoJobs(t *testing.T, srv *testutil.Serving, engine string, done func([]photoJob) bool) []photoJob {
	t.Helper()
	end := time.Now().Add(photoDeadline)
	for {
		jobs := photoJobs(t, srv, engine)
		if done(jobs) {
			return jobs
		}
		if time.Now().After(end) {
			t.Fatalf("photo jobs after %v: %+v", photoDeadline, jobs)
		}
		time.Sleep(50 * time.Millisecond)
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
