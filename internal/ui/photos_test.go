package ui_test

// The recipe form and the settings page with photos, as a browser without
// JavaScript sends them: one multipart post. The photo service, storage
// and image pipeline are the application's own.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/testutil"
	"github.com/reccollection/reccollection/internal/ui"
)

// photoSite is a site that also knows where its media store keeps files.
type photoSite struct {
	*site
	mediaDir string
}

func newPhotoSite(t *testing.T, engine string) *photoSite {
	t.Helper()
	var dir string
	srv := testutil.StartServerWith(t, engine, func(cfg *config.Config) {
		u, err := url.Parse(cfg.StorageURL)
		if err != nil {
			t.Fatalf("storage URL %q: %v", cfg.StorageURL, err)
		}
		dir = filepath.FromSlash(u.Path)
	})
	return &photoSite{site: wrapSite(t, srv, engine), mediaDir: dir}
}

// blobs lists the files the media store holds (its own dot-files aside).
func (s *photoSite) blobs(t testing.TB) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(s.mediaDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != s.mediaDir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk the media store: %v", err)
	}
	return out
}

// testJPEG is a w×h JPEG photo (a gradient, so it compresses like one).
func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload is one file of a multipart post.
type upload struct {
	field, name string
	data        []byte
}

// multipartBody encodes values and files as a browser does: text fields
// first, then the files; an empty file part for a file field left empty.
func multipartBody(t testing.TB, values url.Values, files ...upload) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

// postMultipart sends a multipart form post; like every request of the
// suite, a 5xx answer fails the test.
func (b *browser) postMultipart(t testing.TB, path string, values url.Values, files ...upload) *resp {
	t.Helper()
	body, ct := multipartBody(t, values, files...)
	return b.postBody(t, path, body, int64(body.Len()), ct)
}

// postBody posts body of size bytes (-1: unknown, sent chunked).
func (b *browser) postBody(t testing.TB, path string, body io.Reader, size int64, contentType string) *resp {
	t.Helper()
	return b.postBodyAllowing(t, 0, path, body, size, contentType)
}

// postBodyAllowing is postBody for a test that expects one 5xx status:
// allowed (0 for none).
func (b *browser) postBodyAllowing(t testing.TB, allowed int, path string, body io.Reader, size int64, contentType string) *resp {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	res, err := b.hc.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("POST %s: read body: %v", path, err)
	}
	r := &resp{method: http.MethodPost, path: path, status: res.StatusCode, header: res.Header, body: data}
	if r.status >= 500 && r.status != allowed {
		t.Fatalf("POST %s: server error %d:\n%s", path, r.status, truncate(string(data), 3000))
	}
	return r
}

// storedRecipe reads a recipe from the store.
func (s *photoSite) storedRecipe(t testing.TB, id string) *recipe.Recipe {
	t.Helper()
	rec, err := s.Store.Recipe(context.Background(), id)
	if err != nil {
		t.Fatalf("load recipe %s: %v", id, err)
	}
	return rec
}

// createdID is the recipe a create redirected to.
func createdID(t testing.TB, r *resp) string {
	t.Helper()
	m := recipePath.FindStringSubmatch(r.want(t, http.StatusSeeOther).location(t))
	if m == nil {
		t.Fatalf("redirected to %q, want a recipe page", r.location(t))
	}
	return m[1]
}

// The form offers the photo fields to its author, and one post saves a
// recipe with its main photo and gallery photos; an empty description
// stands for the title.
func TestRecipeFormPhotos(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := newPhotoSite(t, engine)
			ann := s.register(t, "ann")
			d := assertDocument(t, ann.get(t, "/recipes/new").want(t, http.StatusOK))
			form := d.one(t, "form#recipe-form")
			if form.get("enctype") != "multipart/form-data" {
				t.Errorf("the recipe form is sent as %q", form.get("enctype"))
			}
			photo := d.one(t, `input#photo[type="file"]`)
			if photo.get("name") != "photo" || !strings.Contains(photo.get("accept"), "image/jpeg") || photo.has("capture") {
				// capture would force the camera: without it, phones offer
				// the camera and the photo library both.
				t.Errorf("photo input: name %q accept %q capture %v", photo.get("name"), photo.get("accept"), photo.has("capture"))
			}
			if g := d.one(t, `input#gallery[type="file"]`); !g.has("multiple") {
				t.Error("the gallery input takes one file only")
			}
			d.one(t, "input#photo_alt")

			f := simpleRecipe("Sourdough focaccia", "public")
			id := createdID(t, ann.postMultipart(t, "/recipes/new", f.values(),
				upload{"photo", "focaccia.jpg", testJPEG(t, 800, 600)},
				upload{"gallery", "crumb.jpg", testJPEG(t, 640, 480)},
				upload{"gallery", "slice.jpg", testJPEG(t, 480, 640)}))
			rec := s.storedRecipe(t, id)
			if rec.Title != f.Title || len(rec.Ingredients) != 3 {
				t.Errorf("stored recipe %q with %d ingredients", rec.Title, len(rec.Ingredients))
			}
			if rec.Photo == nil || rec.Photo.Width != 800 || rec.Photo.Height != 600 {
				t.Fatalf("main photo %+v, want 800×600", rec.Photo)
			}
			if rec.Photo.Alt != "" && rec.Photo.Alt != f.Title {
				t.Errorf("main photo alt %q: left empty, it stands for the title", rec.Photo.Alt)
			}
			if len(rec.Photos) != 2 {
				t.Fatalf("%d gallery photos, want 2", len(rec.Photos))
			}
			if len(s.blobs(t)) == 0 {
				t.Error("nothing in the media store after saving photos")
			}
			page := ann.follow(t, ann.get(t, "/recipes/"+id)).want(t, http.StatusOK)
			if fl := flash(t, page); fl != "" && fl != "Recipe saved." {
				t.Errorf("flash %q", fl)
			}

			// The edit form shows them, each with its description and a
			// way to remove it.
			d = assertDocument(t, ann.get(t, "/recipes/"+id+"/edit").want(t, http.StatusOK))
			d.one(t, "input#photo_remove[type=checkbox]")
			if alt := d.one(t, "input#photo_alt"); alt.get("placeholder") != f.Title {
				t.Errorf("the description's placeholder is %q, want the title", alt.get("placeholder"))
			}
			g0, g1 := rec.Photos[0].ID, rec.Photos[1].ID
			d.one(t, "input#photo_alt_"+g0)
			d.one(t, "input#photo_remove_"+g1+"[type=checkbox]")

			// Describe one gallery photo, remove the other and the main
			// photo, in one save; the recipe's text changes with them.
			v := f.values()
			v.Set("title", "Rosemary focaccia")
			v.Set("photo_alt", "")
			v.Set("photo_remove", "1")
			v.Set("photo_alt_"+g0, "The open crumb of the focaccia")
			v.Set("photo_alt_"+g1, "")
			v.Set("photo_remove_"+g1, "1")
			ann.postMultipart(t, "/recipes/"+id+"/edit", v).want(t, http.StatusSeeOther)
			rec = s.storedRecipe(t, id)
			if rec.Title != "Rosemary focaccia" || rec.Photo != nil {
				t.Errorf("after the edit: title %q, main photo %+v", rec.Title, rec.Photo)
			}
			if len(rec.Photos) != 1 || rec.Photos[0].ID != g0 || rec.Photos[0].Alt != "The open crumb of the focaccia" {
				t.Errorf("gallery after the edit: %+v", rec.Photos)
			}

			// A new main photo with a description of its own.
			v = f.values()
			v.Set("photo_alt", "Focaccia fresh from the oven")
			ann.postMultipart(t, "/recipes/"+id+"/edit", v, upload{"photo", "new.jpg", testJPEG(t, 400, 300)}).want(t, http.StatusSeeOther)
			if rec = s.storedRecipe(t, id); rec.Photo == nil || rec.Photo.Alt != "Focaccia fresh from the oven" || rec.Photo.Width != 400 {
				t.Errorf("main photo after replacing it: %+v", rec.Photo)
			}

			// A photo for step 2, chosen under "Show the new photos with".
			edit := "/recipes/" + id + "/edit"
			d = assertDocument(t, ann.get(t, edit).want(t, http.StatusOK))
			if got := d.texts("select#gallery_step option"); len(got) != 4 || got[0] != "The gallery" || !strings.HasPrefix(got[2], "Step 2") {
				t.Errorf("the new photos' step choices: %q", got)
			}
			v = f.values()
			v.Set("gallery_step", "2")
			ann.postMultipart(t, edit, v, upload{"gallery", "beaten.jpg", testJPEG(t, 320, 240)}).want(t, http.StatusSeeOther)
			rec = s.storedRecipe(t, id)
			var stepPhotos int
			for _, p := range rec.Photos {
				if p.Step == 2 {
					stepPhotos++
				}
			}
			if stepPhotos != 1 || len(rec.Photos) != 2 {
				t.Errorf("photos after adding one for step 2: %+v", rec.Photos)
			}
			d = assertDocument(t, ann.get(t, edit).want(t, http.StatusOK))
			if got := d.texts(".photo-item .hint"); !slices.Contains(got, "Shown with step 2.") {
				t.Errorf("the edit form does not say which photo is step 2's: %q", got)
			}
			// Two files for one step are refused, and a step that does
			// not exist.
			r := ann.postMultipart(t, edit, v, upload{"gallery", "a.jpg", testJPEG(t, 64, 48)}, upload{"gallery", "b.jpg", testJPEG(t, 64, 48)}).
				want(t, http.StatusUnprocessableEntity)
			if msg := assertDocument(t, r).one(t, "#gallery-error").textContent(); !strings.Contains(msg, "single file") {
				t.Errorf("two files for one step: %q", msg)
			}
			v.Set("gallery_step", "9")
			r = ann.postMultipart(t, edit, v, upload{"gallery", "c.jpg", testJPEG(t, 64, 48)}).want(t, http.StatusUnprocessableEntity)
			if msg := assertDocument(t, r).one(t, "#gallery-error").textContent(); !strings.Contains(msg, "step does not exist") {
				t.Errorf("a photo for step 9 of 3: %q", msg)
			}
			if rec = s.storedRecipe(t, id); len(rec.Photos) != 2 {
				t.Errorf("%d photos after two refused step photos, want 2", len(rec.Photos))
			}

			// Someone else's post for ann's recipe changes nothing.
			bob := s.register(t, "bob")
			bob.postMultipart(t, "/recipes/"+id+"/edit", v, upload{"photo", "bob.jpg", testJPEG(t, 300, 200)}).
				want(t, http.StatusForbidden)
			if rec = s.storedRecipe(t, id); rec.Photo == nil || rec.Photo.Width != 400 {
				t.Errorf("bob's post changed the photo: %+v", rec.Photo)
			}
		})
	}
}

// A file the service refuses does not cost the recipe: it is saved, and
// the form comes back with what was typed, says the recipe is saved, and
// gives the refusal by the photo field. Nothing of the file is stored.
func TestRecipeFormRefusedPhoto(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := newPhotoSite(t, engine)
			ann := s.register(t, "ann")
			f := simpleRecipe("Pickled walnuts", "private")
			f.Description = "Green walnuts, brined for a week, then pickled."
			html := []byte("<!doctype html><html><body><script>alert(1)</script></body></html>")
			r := ann.postMultipart(t, "/recipes/new", f.values(), upload{"photo", "photo.jpg", html})
			if r.status != http.StatusUnsupportedMediaType && r.status != http.StatusUnprocessableEntity {
				t.Fatalf("a web page named photo.jpg: status %d, want 415 or 422", r.status)
			}
			d := assertDocument(t, r)
			msg := d.one(t, "#photo-error").textContent()
			if !strings.Contains(strings.ToLower(msg), "not a jpeg, png, webp or gif") {
				t.Errorf("the message by the photo field is %q", msg)
			}
			if got := d.one(t, "input#photo").get("aria-describedby"); !strings.Contains(got, "photo-error") {
				t.Errorf("the photo field is not described by its error: %q", got)
			}
			if note := d.one(t, ".photo-saved-note").textContent(); !strings.Contains(note, "recipe is saved") {
				t.Errorf("the form does not say the recipe is saved: %q", note)
			}
			if d.one(t, "#error-summary a[href=\"#photo\"]") == nil {
				t.Error("the error summary does not lead to the photo field")
			}
			// What was typed is all there, and the form now edits the
			// saved recipe, so sending it again does not make a second.
			if got := d.one(t, "input#title").get("value"); got != f.Title {
				t.Errorf("title shown again as %q", got)
			}
			if got := d.one(t, "textarea#description").textContent(); got != f.Description {
				t.Errorf("description shown again as %q", got)
			}
			if got := d.all(`input[name="ingredient"]`); len(got) < 3 || got[0].get("value") != f.Ingredients[0] {
				t.Errorf("ingredients not shown again")
			}
			action := d.one(t, "form#recipe-form").get("action")
			m := firstGroup(`^/recipes/([^/]+)/edit$`, action)
			if m == "" {
				t.Fatalf("the form shown again posts to %q, want the saved recipe's edit", action)
			}
			rec := s.storedRecipe(t, m)
			if rec.Title != f.Title || rec.Description != f.Description || rec.Photo != nil || len(rec.Photos) != 0 {
				t.Errorf("stored: %q, %q, photo %+v, gallery %d", rec.Title, rec.Description, rec.Photo, len(rec.Photos))
			}
			if b := s.blobs(t); len(b) != 0 {
				t.Errorf("the refused file left blobs: %q", b)
			}

			// Among gallery photos, the refused one is named and the good
			// one is kept.
			r = ann.postMultipart(t, action, f.values(),
				upload{"gallery", "good.jpg", testJPEG(t, 320, 240)}, upload{"gallery", "notes.jpg", []byte("just some text")})
			d = assertDocument(t, r)
			if msg := d.one(t, "#gallery-error").textContent(); !strings.Contains(msg, "notes.jpg") {
				t.Errorf("the gallery's message does not name the refused file: %q", msg)
			}
			if rec = s.storedRecipe(t, m); len(rec.Photos) != 1 {
				t.Errorf("%d gallery photos after one good and one refused, want 1", len(rec.Photos))
			}
			d.one(t, "input#photo_alt_"+rec.Photos[0].ID)
		})
	}
}

// firstGroup returns the first group of pattern in s, or "".
func firstGroup(pattern, s string) string {
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if len(m) < 2 {
		return ""
	}
	return m[1]
}

// A form with errors saves nothing, its photos neither, and says so by
// the photo field; the text comes back as typed.
func TestRecipeFormInvalidWithPhoto(t *testing.T) {
	t.Parallel()
	s := newPhotoSite(t, "sqlite")
	ann := s.register(t, "ann")
	f := simpleRecipe("", "public")
	r := ann.postMultipart(t, "/recipes/new", f.values(), upload{"photo", "dish.jpg", testJPEG(t, 320, 240)}).
		want(t, http.StatusUnprocessableEntity)
	d := assertDocument(t, r)
	d.one(t, "#title-error")
	if note := d.one(t, ".photo-unsent").textContent(); !strings.Contains(note, "choose them again") {
		t.Errorf("the photo field's note: %q", note)
	}
	if d.one(t, "form#recipe-form").get("action") != "/recipes/new" {
		t.Error("the form shown again does not create")
	}
	if b := s.blobs(t); len(b) != 0 {
		t.Errorf("a form with errors stored %q", b)
	}
	if got := recipeIDs(t, ann.get(t, "/u/ann").want(t, http.StatusOK)); len(got) != 0 {
		t.Errorf("a form with errors saved recipes %q", got)
	}

	// A description over the limit is refused by its own field, and the
	// photo it came with is not kept without it.
	v := simpleRecipe("Long-winded loaf", "public").values()
	v.Set("photo_alt", strings.Repeat("a crusty loaf ", 30))
	r = ann.postMultipart(t, "/recipes/new", v, upload{"photo", "loaf.jpg", testJPEG(t, 320, 240)}).
		want(t, http.StatusUnprocessableEntity)
	d = assertDocument(t, r)
	if msg := d.one(t, "#photo_alt-error").textContent(); !strings.Contains(msg, "at most 300 characters") || strings.Contains(msg, "loaf.jpg") {
		t.Errorf("the description's message: %q", msg)
	}
	if got := d.one(t, "input#photo_alt").get("value"); got != v.Get("photo_alt") {
		t.Errorf("the description shown again: %q", got)
	}
	if b := s.blobs(t); len(b) != 0 {
		t.Errorf("a photo refused for its description left blobs %q", b)
	}
}

// Over the limits: a photo over 20 MB is refused by its field with the
// recipe saved; a post over the whole limit gets the 413 page, whether its
// size is announced or not; never a 500.
func TestRecipeFormUploadLimits(t *testing.T) {
	t.Parallel()
	s := newPhotoSite(t, "sqlite")
	ann := s.register(t, "ann")
	f := simpleRecipe("Big loaf", "public")

	big := append(testJPEG(t, 64, 64), make([]byte, ui.MaxPhotoBytes)...)
	r := ann.postMultipart(t, "/recipes/new", f.values(), upload{"photo", "huge.jpg", big})
	if r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a %d-byte photo: status %d, want 413", len(big), r.status)
	}
	d := assertDocument(t, r)
	if msg := d.one(t, "#photo-error").textContent(); !strings.Contains(msg, "20") {
		t.Errorf("the message for a photo over 20 MB: %q", msg)
	}
	d.one(t, ".photo-saved-note")
	if b := s.blobs(t); len(b) != 0 {
		t.Errorf("the photo over the limit left blobs: %q", b)
	}

	for _, announced := range []bool{true, false} {
		t.Run(fmt.Sprintf("announced=%v", announced), func(t *testing.T) {
			body, ct := multipartBody(t, f.values(), upload{"gallery", "a.jpg", make([]byte, ui.MaxUploadBody)})
			size := int64(body.Len())
			if !announced {
				size = -1
			}
			r := ann.postBody(t, "/recipes/new", body, size, ct).want(t, http.StatusRequestEntityTooLarge)
			d := assertDocument(t, r)
			if text := d.one(t, "main").textContent(); !strings.Contains(text, "larger than we accept (100 MB") {
				t.Errorf("413 page: %q", text)
			}
		})
	}
	if got := recipeIDs(t, ann.get(t, "/u/ann").want(t, http.StatusOK)); len(got) != 1 {
		t.Errorf("%d recipes after one save and two posts over the limit, want 1", len(got))
	}

	// Files beyond the gallery's 20 at once are left out, and it says so.
	var files []upload
	for i := range 23 {
		files = append(files, upload{"gallery", fmt.Sprintf("p%d.jpg", i), []byte("x")})
	}
	r = ann.postMultipart(t, "/recipes/new", f.values(), files...)
	if msg := assertDocument(t, r).one(t, "#gallery-error").textContent(); !strings.Contains(msg, "left out") {
		t.Errorf("the gallery's message for 23 files: %q", msg)
	}
}

// The avatar: chosen on the settings page, refused with a message by the
// field, removed again.
func TestAvatarSetting(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := newPhotoSite(t, engine)
			ann := s.register(t, "ann")
			d := assertDocument(t, ann.get(t, "/settings").want(t, http.StatusOK))
			form := d.one(t, `form[action="/settings/avatar"]`)
			if form.get("enctype") != "multipart/form-data" {
				t.Errorf("the avatar form is sent as %q", form.get("enctype"))
			}
			if got := d.one(t, ".avatar-initial").textContent(); got != "A" {
				t.Errorf("without a photo the settings show %q, want the initial", got)
			}
			if d.first(`form[action="/settings/avatar/remove"]`) != nil {
				t.Error("Remove photo offered without a photo")
			}

			r := ann.postMultipart(t, "/settings/avatar", nil, upload{"avatar", "me.txt", []byte("hello")})
			if r.status < 400 || r.status >= 500 {
				t.Fatalf("a text file as avatar: status %d", r.status)
			}
			if msg := assertDocument(t, r).one(t, "#avatar_file-error").textContent(); !strings.Contains(msg, "not a JPEG") {
				t.Errorf("the avatar's message: %q", msg)
			}
			if b := s.blobs(t); len(b) != 0 {
				t.Errorf("a refused avatar left blobs: %q", b)
			}
			ann.postMultipart(t, "/settings/avatar", nil).want(t, http.StatusUnprocessableEntity)

			r = ann.postMultipart(t, "/settings/avatar", nil, upload{"avatar", "me.jpg", testJPEG(t, 300, 300)}).want(t, http.StatusSeeOther)
			if r.location(t) != "/settings" {
				t.Errorf("saving the avatar led to %q", r.location(t))
			}
			page := ann.follow(t, r)
			if fl := flash(t, page); !strings.HasPrefix(fl, "Photo saved") {
				t.Errorf("flash %q", fl)
			}
			d = assertDocument(t, page)
			d.one(t, `form[action="/settings/avatar/remove"]`)
			if d.first(".avatar-initial") != nil {
				t.Error("the initial still shows with a photo")
			}
			ann.post(t, "/settings/avatar/remove", nil).want(t, http.StatusSeeOther)
			d = assertDocument(t, ann.get(t, "/settings").want(t, http.StatusOK))
			d.one(t, ".avatar-initial")
		})
	}
}

// With the blob store failing, a photo cannot be kept, but the recipe
// is: the form comes back (503, Retry-After) saying so by the photo.
func TestRecipeFormPhotoWhileStorageIsDown(t *testing.T) {
	t.Parallel()
	s := newPhotoSite(t, "sqlite")
	ann := s.register(t, "ann")
	// The store's root replaced by a file: every write fails.
	if err := os.RemoveAll(s.mediaDir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.mediaDir, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := simpleRecipe("Storm-day stew", "public")
	body, ct := multipartBody(t, f.values(), upload{"photo", "stew.jpg", testJPEG(t, 320, 240)})
	r := ann.postBodyAllowing(t, http.StatusServiceUnavailable, "/recipes/new", body, int64(body.Len()), ct).
		want(t, http.StatusServiceUnavailable)
	if r.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	d := assertDocument(t, r)
	if msg := d.one(t, "#photo-error").textContent(); !strings.Contains(msg, "briefly unavailable") {
		t.Errorf("the photo field's message: %q", msg)
	}
	id := firstGroup(`^/recipes/([^/]+)/edit$`, d.one(t, "form#recipe-form").get("action"))
	if rec := s.storedRecipe(t, id); rec.Title != f.Title || rec.Photo != nil {
		t.Errorf("stored %q with photo %+v", rec.Title, rec.Photo)
	}

	body, ct = multipartBody(t, nil, upload{"avatar", "me.jpg", testJPEG(t, 200, 200)})
	r = ann.postBodyAllowing(t, http.StatusServiceUnavailable, "/settings/avatar", body, int64(body.Len()), ct).
		want(t, http.StatusServiceUnavailable)
	if msg := assertDocument(t, r).one(t, "#avatar_file-error").textContent(); !strings.Contains(msg, "briefly unavailable") {
		t.Errorf("the avatar's message: %q", msg)
	}
}

// Photos sent with the form count against the upload rate limit one by
// one, as API uploads do (100 an hour per person): the 101st is refused
// by its field, and the recipe is saved all the same.
func TestRecipeFormPhotosRateLimited(t *testing.T) {
	t.Parallel()
	srv := testutil.StartServerWith(t, "sqlite", func(c *config.Config) { c.RateLimits = true })
	s := &photoSite{site: wrapSite(t, srv, "sqlite")}
	ann := s.register(t, "ann")
	photo := testJPEG(t, 48, 32)
	var files []upload
	for i := range 20 {
		files = append(files, upload{"gallery", fmt.Sprintf("p%d.jpg", i), photo})
	}
	for i := range 5 {
		createdID(t, ann.postMultipart(t, "/recipes/new", simpleRecipe(fmt.Sprintf("Batch %d", i), "public").values(), files...))
	}
	r := ann.postMultipart(t, "/recipes/new", simpleRecipe("One too many", "public").values(), upload{"photo", "last.jpg", photo}).
		want(t, http.StatusTooManyRequests)
	d := assertDocument(t, r)
	if msg := d.one(t, "#photo-error").textContent(); !strings.Contains(msg, "many photos lately") {
		t.Errorf("the 101st photo's message: %q", msg)
	}
	id := firstGroup(`^/recipes/([^/]+)/edit$`, d.one(t, "form#recipe-form").get("action"))
	if rec := s.storedRecipe(t, id); rec.Title != "One too many" || rec.Photo != nil {
		t.Errorf("stored %q with photo %+v", rec.Title, rec.Photo)
	}
}
