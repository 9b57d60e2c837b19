package api_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/testutil"
)

type variantJSON struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Format string `json:"format"`
}

type photoJSON struct {
	ID       string        `json:"id"`
	URL      string        `json:"url"`
	Width    int           `json:"width"`
	Height   int           `json:"height"`
	Alt      string        `json:"alt"`
	Colour   string        `json:"colour"`
	Status   string        `json:"status"`
	Variants []variantJSON `json:"variants"`
	Step     int           `json:"step"`
}

// recipePhotosJSON is the photo part of a recipe answer.
type recipePhotosJSON struct {
	Photo  *photoJSON  `json:"photo"`
	Photos []photoJSON `json:"photos"`
	Author struct {
		Avatar *photoJSON `json:"avatar"`
	} `json:"author"`
}

// multipartFile is a multipart/form-data body with data in the field
// "file" (named name) and the given text fields.
func multipartFile(t testing.TB, name string, data []byte, fields map[string]string) (raw, reqOpt) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return raw(b.Bytes()), header("Content-Type", mw.FormDataContentType())
}

// upload sends data as a multipart upload to path with method.
func (c *client) upload(t testing.TB, method, path string, data []byte, fields map[string]string) *response {
	t.Helper()
	body, ct := multipartFile(t, "photo.jpg", data, fields)
	return c.do(t, method, path, body, ct)
}

// processPhotos runs the variants job of every photo waiting for it, as
// the queue's workers would (the test server does not work the queue).
func (s *server) processPhotos(t testing.TB) {
	t.Helper()
	ids, err := s.Store.StalledPhotos(context.Background(), time.Now().Add(time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if err := s.App.Photos().Process(context.Background(), id); err != nil {
			t.Fatalf("process photo %s: %v", id, err)
		}
	}
}

// blobs lists every stored photo blob's key.
func (s *server) blobs(t testing.TB) []string {
	t.Helper()
	var keys []string
	err := s.App.Media().List(context.Background(), "photos/", func(o media.Object) error {
		keys = append(keys, o.Key)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func (c *client) recipePhotos(t testing.TB, id string) recipePhotosJSON {
	t.Helper()
	var r recipePhotosJSON
	c.do(t, "GET", "/api/v1/recipes/"+id, nil).want(t, http.StatusOK).decode(t, &r)
	return r
}

// gpsJPEG is a w×h JPEG carrying an Exif block with a GPS position.
func gpsJPEG(t testing.TB, w, h int) []byte {
	return imagetest.WithExif(imagetest.Encoded(t, "jpeg", w, h), 1, binary.LittleEndian)
}

// A phone photo with a GPS position becomes WebP and JPEG variants at the
// widths the pipeline makes, none of which (nor anything else stored)
// carries the position; its placeholder colour and size are known.
func TestPhotoUploadMakesCleanVariants(t *testing.T) {
	forEachEngine(t, checkCleanVariants)
}

func checkCleanVariants(t *testing.T, s *server) {
	cook := s.apiClient(t, "cook")
	rec := cook.createRecipe(t, recipeBody("Soup", "public"))
	data := gpsJPEG(t, 2000, 1500)
	if !bytes.Contains(data, []byte(imagetest.GPSSecret)) {
		t.Fatal("the fixture carries no GPS block")
	}
	var p photoJSON
	cook.upload(t, "PUT", "/api/v1/recipes/"+rec.ID+"/photo", data, map[string]string{"alt": "A bowl of soup"}).
		want(t, http.StatusOK).decode(t, &p)
	if p.Status != "processing" || p.Width != 2000 || p.Height != 1500 || p.Alt != "A bowl of soup" || len(p.Variants) != 0 {
		t.Fatalf("accepted photo = %+v", p)
	}
	if got := cook.recipePhotos(t, rec.ID).Photo; got == nil || got.Status != "processing" {
		t.Fatalf("recipe photo before processing = %+v", got)
	}
	s.processPhotos(t)

	got := cook.recipePhotos(t, rec.ID).Photo
	if got == nil || got.Status != "ready" || !strings.HasPrefix(got.Colour, "#") || len(got.Colour) != 7 {
		t.Fatalf("recipe photo after processing = %+v", got)
	}
	var widths []int
	formats := map[string]int{}
	for _, v := range got.Variants {
		if v.Format == "webp" {
			widths = append(widths, v.Width)
		}
		formats[v.Format]++
		if v.Height != v.Width*3/4 {
			t.Errorf("variant %dx%d lost the aspect ratio", v.Width, v.Height)
		}
	}
	if !slices.Equal(widths, []int{1600, 1024, 640, 320}) || formats["jpeg"] != 4 {
		t.Errorf("variants: webp widths %v, formats %v", widths, formats)
	}
	if !strings.HasSuffix(got.URL, "-1600.jpg") {
		t.Errorf("url %q is not the widest JPEG", got.URL)
	}
	anon := s.anon()
	for _, v := range got.Variants {
		res := anon.do(t, "GET", v.URL, nil).want(t, http.StatusOK)
		if want := "image/" + v.Format; res.header.Get("Content-Type") != want {
			t.Errorf("%s: Content-Type %q, want %q", v.URL, res.header.Get("Content-Type"), want)
		}
		if cc := res.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", v.URL, cc)
		}
		for _, leak := range []string{imagetest.GPSSecret, "Exif\x00", "http://ns.adobe.com/xap"} {
			if bytes.Contains(res.body, []byte(leak)) {
				t.Errorf("%s carries %q", v.URL, leak)
			}
		}
	}
	keys := s.blobs(t)
	if len(keys) != 8 {
		t.Errorf("stored %d blobs, want the 8 variants only (the upload is gone): %v", len(keys), keys)
	}
	for _, k := range keys {
		rc, err := s.App.Media().Get(context.Background(), k)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(b, []byte(imagetest.GPSSecret)) {
			t.Errorf("stored blob %s carries the GPS position", k)
		}
	}
	// Lists carry the photo too, for cards.
	var l struct {
		Items []recipePhotosJSON `json:"items"`
	}
	anon.do(t, "GET", "/api/v1/recipes", nil).want(t, http.StatusOK).decode(t, &l)
	if len(l.Items) != 1 || l.Items[0].Photo == nil || l.Items[0].Photo.Status != "ready" {
		t.Errorf("list items = %+v", l.Items)
	}
}

// Hostile and broken uploads are refused with a clear 4xx before anything
// is stored: the type comes from the content, never from the name or the
// declared type; size and pixel count are checked before decoding.
func TestPhotoUploadRefusals(t *testing.T) {
	forEachEngine(t, checkRefusals)
}

func checkRefusals(t *testing.T, s *server) {
	cook := s.apiClient(t, "cook")
	rec := cook.createRecipe(t, recipeBody("Soup", "public"))
	path := "/api/v1/recipes/" + rec.ID + "/photo"
	html := []byte("<!doctype html><html><script>alert(1)</script></html>")
	bomb := imagetest.CraftedPNG(t, 30000, 30000)
	huge := append(imagetest.Encoded(t, "jpeg", 64, 64), make([]byte, 25<<20)...)
	for _, c := range []struct {
		name   string
		res    func() *response
		status int
		detail string
	}{
		{"HTML named photo.jpg", func() *response { return cook.upload(t, "PUT", path, html, nil) }, 415, "not a JPEG, PNG, WebP or GIF"},
		{"HTML as a raw image/jpeg body", func() *response {
			return cook.do(t, "PUT", path, raw(html), header("Content-Type", "image/jpeg"))
		}, 415, "not a JPEG"},
		{"30000×30000 PNG", func() *response { return cook.upload(t, "PUT", path, bomb, nil) }, 422, "50 megapixels"},
		{"25 MiB file", func() *response { return cook.upload(t, "PUT", path, huge, nil) }, 413, "20 MiB"},
		{"25 MiB raw body", func() *response {
			return cook.do(t, "PUT", path, raw(huge), header("Content-Type", "application/octet-stream"))
		}, 413, "20 MiB"},
		{"HEIC", func() *response {
			heic := append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 64)...)
			return cook.upload(t, "PUT", path, heic, nil)
		}, 415, "HEIC"},
		{"empty file", func() *response { return cook.upload(t, "PUT", path, nil, nil) }, 422, "empty"},
		{"no file field", func() *response {
			body, ct := multipartFile(t, "x", nil, nil)
			return cook.do(t, "PUT", path, raw(strings.Replace(string(body), `name="file"`, `name="other"`, 1)), ct)
		}, 422, "file"},
		{"alt text too long", func() *response {
			return cook.upload(t, "PUT", path, imagetest.Encoded(t, "png", 40, 30), map[string]string{"alt": strings.Repeat("a", 301)})
		}, 422, "alt text"},
		{"step that does not exist", func() *response {
			return cook.upload(t, "POST", "/api/v1/recipes/"+rec.ID+"/photos", imagetest.Encoded(t, "png", 40, 30), map[string]string{"step": "9"})
		}, 422, "step"},
		{"step that is not a number", func() *response {
			return cook.upload(t, "POST", "/api/v1/recipes/"+rec.ID+"/photos", imagetest.Encoded(t, "png", 40, 30), map[string]string{"step": "two"})
		}, 422, "step"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := c.res().wantProblem(t, c.status)
			if !strings.Contains(p.Detail+p.Title+strings.Join(p.fields(), " ")+p.messages(), c.detail) {
				t.Errorf("problem %+v does not mention %q", p, c.detail)
			}
		})
	}
	if keys := s.blobs(t); len(keys) != 0 {
		t.Errorf("refused uploads left blobs: %v", keys)
	}
	if got := cook.recipePhotos(t, rec.ID); got.Photo != nil || len(got.Photos) != 0 {
		t.Errorf("refused uploads left photos: %+v", got)
	}
	if used, _, err := s.App.Photos().Usage(context.Background(), cook.user.ID); err != nil || used != 0 {
		t.Errorf("usage after refusals = %d, %v", used, err)
	}
}

// Only a recipe's author changes its photos; others get what the recipe
// rules give (404 hidden, 403 visible), anonymous callers 401.
func TestPhotoUploadNeedsTheAuthor(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook, other := s.apiClient(t, "cook"), s.apiClient(t, "other")
		pub := cook.createRecipe(t, recipeBody("Soup", "public"))
		priv := cook.createRecipe(t, recipeBody("Secret", "private"))
		img := imagetest.Encoded(t, "png", 40, 30)
		other.upload(t, "PUT", "/api/v1/recipes/"+pub.ID+"/photo", img, nil).want(t, http.StatusForbidden)
		other.upload(t, "PUT", "/api/v1/recipes/"+priv.ID+"/photo", img, nil).want(t, http.StatusNotFound)
		s.anon().upload(t, "PUT", "/api/v1/recipes/"+pub.ID+"/photo", img, nil).want(t, http.StatusUnauthorized)
		other.do(t, "DELETE", "/api/v1/recipes/"+pub.ID+"/photo", nil).want(t, http.StatusForbidden)
		if keys := s.blobs(t); len(keys) != 0 {
			t.Errorf("refused uploads left blobs: %v", keys)
		}
	})
}

// A private recipe's photos are served to its author only: every variant
// URL is 404 for anyone else, and the answer is marked private. The
// upload's own key is never served, not even to the author.
func TestPrivatePhotosAreNotReachable(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook, other := s.apiClient(t, "cook"), s.apiClient(t, "other")
		rec := cook.createRecipe(t, recipeBody("Secret", "private"))
		cook.upload(t, "PUT", "/api/v1/recipes/"+rec.ID+"/photo", imagetest.Encoded(t, "jpeg", 700, 500), nil).want(t, http.StatusOK)
		uploads := s.blobs(t)
		s.processPhotos(t)
		p := cook.recipePhotos(t, rec.ID).Photo
		if p == nil || len(p.Variants) != 6 { // 700, 640 and 320, each twice
			t.Fatalf("photo = %+v", p)
		}
		for _, v := range p.Variants {
			res := cook.do(t, "GET", v.URL, nil).want(t, http.StatusOK)
			if cc := res.header.Get("Cache-Control"); !strings.HasPrefix(cc, "private,") {
				t.Errorf("author's copy of %s has Cache-Control %q", v.URL, cc)
			}
			other.do(t, "GET", v.URL, nil).want(t, http.StatusNotFound)
			s.anon().do(t, "GET", v.URL, nil).want(t, http.StatusNotFound)
		}
		for _, k := range uploads {
			cook.do(t, "GET", "/media/"+k, nil).want(t, http.StatusNotFound)
		}
		for _, path := range []string{"/media/photos/x/..%2f..%2fsecret", "/media/photos/not-a-uuid/x.jpg", "/media/other/x.jpg", "/media/"} {
			cook.do(t, "GET", path, nil).want(t, http.StatusNotFound)
		}
		// Made public, the same URLs serve anyone; private again, they stop.
		cook.do(t, "PATCH", "/api/v1/recipes/"+rec.ID, map[string]any{"visibility": "public"}).want(t, http.StatusOK)
		s.anon().do(t, "GET", p.Variants[0].URL, nil).want(t, http.StatusOK)
		cook.do(t, "PATCH", "/api/v1/recipes/"+rec.ID, map[string]any{"visibility": "private"}).want(t, http.StatusOK)
		other.do(t, "GET", p.Variants[0].URL, nil).want(t, http.StatusNotFound)
	})
}

// Replacing or deleting a photo, or deleting its recipe, removes its
// blobs; a gallery keeps its order and limit; a step photo replaces the
// step's previous one.
func TestPhotoLifecycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook := s.apiClient(t, "cook")
		rec := cook.createRecipe(t, recipeBody("Stew", "public", map[string]any{"steps": []string{"Brown.", "Simmer."}}))
		small := func(w int) []byte { return imagetest.Encoded(t, "png", w, 30) }
		base := "/api/v1/recipes/" + rec.ID
		cook.upload(t, "PUT", base+"/photo", small(40), nil).want(t, http.StatusOK)
		s.processPhotos(t)
		first := s.blobs(t)
		cook.upload(t, "PUT", base+"/photo", small(50), nil).want(t, http.StatusOK)
		s.processPhotos(t)
		second := s.blobs(t)
		for _, k := range first {
			if slices.Contains(second, k) {
				t.Errorf("replaced photo's blob %s is still stored", k)
			}
		}
		if len(second) != 2 {
			t.Errorf("after replacing: %v", second)
		}

		var g1, g2, st photoJSON
		cook.upload(t, "POST", base+"/photos", small(60), map[string]string{"alt": "one"}).want(t, http.StatusCreated).decode(t, &g1)
		cook.upload(t, "POST", base+"/photos", small(70), map[string]string{"alt": "two"}).want(t, http.StatusCreated).decode(t, &g2)
		cook.upload(t, "POST", base+"/photos", small(80), map[string]string{"step": "2"}).want(t, http.StatusCreated).decode(t, &st)
		cook.upload(t, "POST", base+"/photos", small(90), map[string]string{"step": "2"}).want(t, http.StatusCreated)
		s.processPhotos(t)
		got := cook.recipePhotos(t, rec.ID)
		var order []string
		var steps []int
		for _, p := range got.Photos {
			order = append(order, p.Alt)
			steps = append(steps, p.Step)
		}
		if !slices.Equal(order, []string{"one", "two", ""}) || !slices.Equal(steps, []int{0, 0, 2}) || got.Photos[2].Width != 90 {
			t.Errorf("gallery alts %v steps %v (%+v)", order, steps, got.Photos)
		}
		cook.do(t, "PATCH", base+"/photos/"+g2.ID, map[string]any{"alt": "second"}).want(t, http.StatusNoContent)
		cook.do(t, "DELETE", base+"/photos/"+g1.ID, nil).want(t, http.StatusNoContent)
		cook.do(t, "DELETE", base+"/photos/"+g1.ID, nil).want(t, http.StatusNotFound)
		got = cook.recipePhotos(t, rec.ID)
		if len(got.Photos) != 2 || got.Photos[0].Alt != "second" {
			t.Errorf("after edits: %+v", got.Photos)
		}
		cook.do(t, "DELETE", base+"/photo", nil).want(t, http.StatusNoContent)
		cook.do(t, "DELETE", base+"/photo", nil).want(t, http.StatusNotFound)
		if got := cook.recipePhotos(t, rec.ID); got.Photo != nil {
			t.Errorf("main photo after delete: %+v", got.Photo)
		}
		if n := len(s.blobs(t)); n != 4 { // the second gallery photo and the step photo, two variants each
			t.Errorf("%d blobs after deletes, want 4", n)
		}
		cook.do(t, "DELETE", base, nil).want(t, http.StatusNoContent)
		if keys := s.blobs(t); len(keys) != 0 {
			t.Errorf("deleting the recipe left blobs: %v", keys)
		}
		if used, _, _ := s.App.Photos().Usage(context.Background(), cook.user.ID); used != 0 {
			t.Errorf("usage after deleting everything = %d", used)
		}
	})
}

// A gallery holds at most 20 photos.
func TestGalleryLimit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook := s.apiClient(t, "cook")
		rec := cook.createRecipe(t, recipeBody("Cake", "public"))
		img := imagetest.Encoded(t, "gif", 20, 20)
		for i := range 20 {
			if res := cook.upload(t, "POST", "/api/v1/recipes/"+rec.ID+"/photos", img, nil); res.status != http.StatusCreated {
				t.Fatalf("photo %d: %s", i+1, res)
			}
		}
		p := cook.upload(t, "POST", "/api/v1/recipes/"+rec.ID+"/photos", img, nil).wantProblem(t, http.StatusConflict)
		if !strings.Contains(p.Detail, "20") {
			t.Errorf("problem %+v", p)
		}
		if n := len(s.blobs(t)); n != 20 {
			t.Errorf("%d uploads stored, want 20", n)
		}
	})
}

// Past the per-user quota an upload is refused with 413 and nothing is
// kept; deleting photos makes room again.
func TestPhotoQuota(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			img := imagetest.Encoded(t, "jpeg", 300, 200)
			s := &server{Server: testutil.StartServerWith(t, engine, func(c *config.Config) {
				c.MediaQuota = int64(len(img)) + int64(len(img))/2
			}), engine: engine}
			cook := s.apiClient(t, "cook")
			rec := cook.createRecipe(t, recipeBody("Bread", "public"))
			cook.upload(t, "POST", "/api/v1/recipes/"+rec.ID+"/photos", img, nil).want(t, http.StatusCreated)
			p := cook.upload(t, "POST", "/api/v1/recipes/"+rec.ID+"/photos", img, nil).wantProblem(t, http.StatusRequestEntityTooLarge)
			if !strings.Contains(p.Detail, "storage allowance") {
				t.Errorf("problem %+v", p)
			}
			if n := len(s.blobs(t)); n != 1 {
				t.Errorf("%d blobs, want the first upload only", n)
			}
			// Another user has their own allowance.
			other := s.apiClient(t, "other")
			orec := other.createRecipe(t, recipeBody("Rolls", "public"))
			other.upload(t, "PUT", "/api/v1/recipes/"+orec.ID+"/photo", img, nil).want(t, http.StatusOK)
		})
	}
}

// An avatar shows beside its owner's recipes, in lists and on the page.
func TestAvatar(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook := s.apiClient(t, "cook")
		rec := cook.createRecipe(t, recipeBody("Soup", "public"))
		// A raw body works as well as a multipart one.
		cook.do(t, "PUT", "/api/v1/me/avatar", raw(imagetest.Encoded(t, "webp", 400, 400)), header("Content-Type", "image/webp")).
			want(t, http.StatusOK)
		s.processPhotos(t)
		got := s.anon().recipePhotos(t, rec.ID).Author.Avatar
		if got == nil || got.Status != "ready" || got.Width != 400 {
			t.Fatalf("avatar = %+v", got)
		}
		s.anon().do(t, "GET", got.Variants[0].URL, nil).want(t, http.StatusOK)
		cook.do(t, "DELETE", "/api/v1/me/avatar", nil).want(t, http.StatusNoContent)
		if got := s.anon().recipePhotos(t, rec.ID).Author.Avatar; got != nil {
			t.Errorf("avatar after delete = %+v", got)
		}
		s.anon().do(t, "PUT", "/api/v1/me/avatar", raw(imagetest.Encoded(t, "png", 4, 4)), header("Content-Type", "image/png")).
			want(t, http.StatusUnauthorized)
		if keys := s.blobs(t); len(keys) != 0 {
			t.Errorf("blobs left: %v", keys)
		}
	})
}

// The sweep deletes blobs no photo names once they are a day old, and
// keeps every blob a photo needs.
func TestPhotoSweep(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook := s.apiClient(t, "cook")
		rec := cook.createRecipe(t, recipeBody("Soup", "public"))
		cook.upload(t, "PUT", "/api/v1/recipes/"+rec.ID+"/photo", imagetest.Encoded(t, "png", 40, 30), nil).want(t, http.StatusOK)
		s.processPhotos(t)
		kept := s.blobs(t)
		ctx := context.Background()
		orphans := []string{"photos/0190d1c2-0000-7000-8000-000000000001/abc-320.webp", kept[0][:len("photos/")+36] + "/stale-640.jpg"}
		for _, k := range orphans {
			if err := s.App.Media().Put(ctx, k, strings.NewReader("x"), 1, "image/webp"); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := s.App.Photos().Sweep(ctx, time.Now())
		if err != nil || rep.Deleted != 0 {
			t.Fatalf("a sweep deleted fresh blobs: %+v, %v", rep, err)
		}
		rep, err = s.App.Photos().Sweep(ctx, time.Now().Add(25*time.Hour))
		if err != nil || rep.Deleted != 2 {
			t.Fatalf("sweep a day later: %+v, %v", rep, err)
		}
		if got := s.blobs(t); !slices.Equal(got, kept) {
			t.Errorf("after the sweep %v, want %v", got, kept)
		}
		s.anon().do(t, "GET", cook.recipePhotos(t, rec.ID).Photo.URL, nil).want(t, http.StatusOK)
	})
}

// messages joins the problem's field messages.
func (p problem) messages() string {
	var b strings.Builder
	for _, e := range p.Errors {
		b.WriteString(e.Message + " ")
	}
	return b.String()
}

// With the blob store gone an upload answers 503 and records nothing;
// once it is back, uploads work again.
func TestPhotoUploadWhileStorageIsDown(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			s := &server{Server: testutil.StartServerWith(t, engine, func(c *config.Config) {
				c.StorageURL = "file://" + dir
			}), engine: engine}
			cook := s.apiClient(t, "cook")
			rec := cook.createRecipe(t, recipeBody("Soup", "public"))
			img := imagetest.Encoded(t, "png", 40, 30)
			// The store's root replaced by a file: every write fails.
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dir, []byte("not a directory"), 0o600); err != nil {
				t.Fatal(err)
			}
			body, ct := multipartFile(t, "photo.png", img, nil)
			req, err := http.NewRequest("PUT", s.URL+"/api/v1/recipes/"+rec.ID+"/photo", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			ct(req)
			req.Header.Set("Authorization", "Bearer "+cook.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			detail, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
				!strings.Contains(string(detail), "Photo storage is briefly unavailable") {
				t.Fatalf("upload with storage down: %d %s", resp.StatusCode, detail)
			}
			if got := cook.recipePhotos(t, rec.ID); got.Photo != nil {
				t.Errorf("a photo was recorded: %+v", got.Photo)
			}
			if err := os.Remove(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			cook.upload(t, "PUT", "/api/v1/recipes/"+rec.ID+"/photo", img, nil).want(t, http.StatusOK)
		})
	}
}

// Ten uploads at once are all accepted (the request path only reads and
// checks headers; decoding waits for the pool in the job) and each is
// processed into its own variants.
func TestParallelUploads(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook := s.apiClient(t, "cook")
		img := imagetest.Encoded(t, "jpeg", 700, 500)
		ids := make([]string, 10)
		for i := range ids {
			ids[i] = cook.createRecipe(t, recipeBody(fmt.Sprintf("Dish %d", i), "public")).ID
		}
		var wg sync.WaitGroup
		for _, id := range ids {
			wg.Go(func() {
				if res := cook.upload(t, "PUT", "/api/v1/recipes/"+id+"/photo", img, nil); res.status != http.StatusOK {
					t.Errorf("parallel upload: %s", res)
				}
			})
		}
		wg.Wait()
		s.processPhotos(t)
		for _, id := range ids {
			if p := cook.recipePhotos(t, id).Photo; p == nil || p.Status != "ready" || len(p.Variants) != 6 {
				t.Errorf("recipe %s: photo %+v", id, p)
			}
		}
	})
}

// The rules hold on object storage too: the same checks against a server
// whose files are in the in-process S3 (credentials from the environment,
// so not parallel).
func TestPhotoRulesOnS3(t *testing.T) {
	for name, check := range map[string]func(*testing.T, *server){"clean variants": checkCleanVariants, "refusals": checkRefusals} {
		t.Run(name, func(t *testing.T) {
			s3 := testutil.S3(t)
			s3.Setenv(t)
			srv := testutil.StartServerWith(t, "sqlite", func(c *config.Config) { c.StorageURL = s3.URL })
			if got := srv.App.Media().Describe(); !strings.HasPrefix(got, "s3://") {
				t.Fatalf("the server stores files in %s", got)
			}
			check(t, &server{Server: srv, engine: "sqlite"})
		})
	}
}
