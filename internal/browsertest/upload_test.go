package browsertest

// Uploading photos as people do: through the recipe form's file inputs,
// with the script (preview, progress, the form sent in the background)
// and without it (one plain multipart post), at a phone's and a desktop's
// size; a 12-megapixel camera photo with its location in EXIF comes out as
// WebP variants that keep nothing of its metadata.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

// photoServer runs the app as `serve` does, job queue included, so that
// uploads are processed into variants; mediaDir is where its file store
// keeps blobs.
type photoServer struct {
	*testutil.Serving
	mediaDir string
}

func startPhotoServer(t *testing.T) *photoServer {
	t.Helper()
	var dir string
	srv := testutil.StartServing(t, "sqlite", func(cfg *config.Config) {
		u, err := url.Parse(cfg.StorageURL)
		if err != nil {
			t.Fatalf("storage URL %q: %v", cfg.StorageURL, err)
		}
		dir = filepath.FromSlash(u.Path)
	})
	return &photoServer{Serving: srv, mediaDir: dir}
}

// blobs reads every blob the media store holds, by path.
func (s *photoServer) blobs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(s.mediaDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != s.mediaDir {
			return filepath.SkipDir // the store's own probes and temporary files
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		b, err := os.ReadFile(p)
		out[p] = b
		return err
	})
	if err != nil {
		t.Fatalf("walk the media store: %v", err)
	}
	return out
}

// ---- Test photos

// photoJPEG is a w×h JPEG: soft gradients with a few bands, so it
// compresses like a photo and scaling has something to keep.
func photoJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			img.Y[img.YOffset(x, y)] = uint8(40 + (x*150/w+y*60/h)%200)
		}
	}
	for y := range (h + 1) / 2 {
		for x := range (w + 1) / 2 {
			i := img.COffset(x*2, y*2)
			img.Cb[i] = uint8(90 + x*60/w)
			img.Cr[i] = uint8(150 - y*40/h)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The GPS position written into the test photo, as EXIF rationals: 51°
// 30' 26.46" N, 0° 7' 39.93" W. Their bytes are searched for in every
// stored blob.
var gpsLatitude = [][2]uint32{{51, 1}, {30, 1}, {2646, 100}}
var gpsLongitude = [][2]uint32{{0, 1}, {7, 1}, {3993, 100}}

// gpsEntry is the start of the IFD0 entry that points at the GPS IFD
// (tag 0x8825, type LONG, count 1), big-endian as written here: no image
// data contains these eight bytes by chance.
var gpsEntry = []byte{0x88, 0x25, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01}

// exifWithGPS is an APP1 segment's payload: "Exif\0\0" and a big-endian
// TIFF whose IFD0 has only the GPS IFD pointer, and a GPS IFD with
// version, latitude and longitude.
func exifWithGPS() []byte {
	be := binary.BigEndian
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	_ = binary.Write(&tiff, be, uint32(8)) // IFD0 at 8
	// IFD0: one entry, then the next-IFD offset.
	const ifd0Size = 2 + 12 + 4
	gpsIFD := uint32(8 + ifd0Size)
	_ = binary.Write(&tiff, be, uint16(1))
	tiff.Write(gpsEntry)
	_ = binary.Write(&tiff, be, gpsIFD)
	_ = binary.Write(&tiff, be, uint32(0))
	// GPS IFD: five entries; the rationals follow it.
	const n = 5
	data := gpsIFD + 2 + n*12 + 4
	entry := func(tag, typ uint16, count uint32, value []byte) {
		_ = binary.Write(&tiff, be, tag)
		_ = binary.Write(&tiff, be, typ)
		_ = binary.Write(&tiff, be, count)
		v := make([]byte, 4)
		copy(v, value)
		tiff.Write(v)
	}
	offset := func(o uint32) []byte { return be.AppendUint32(nil, o) }
	_ = binary.Write(&tiff, be, uint16(n))
	entry(0x0000, 1, 4, []byte{2, 2, 0, 0}) // GPSVersionID
	entry(0x0001, 2, 2, []byte("N\x00"))    // GPSLatitudeRef
	entry(0x0002, 5, 3, offset(data))       // GPSLatitude
	entry(0x0003, 2, 2, []byte("W\x00"))    // GPSLongitudeRef
	entry(0x0004, 5, 3, offset(data+24))    // GPSLongitude
	_ = binary.Write(&tiff, be, uint32(0))
	tiff.Write(rationals(gpsLatitude))
	tiff.Write(rationals(gpsLongitude))
	return append([]byte("Exif\x00\x00"), tiff.Bytes()...)
}

func rationals(rs [][2]uint32) []byte {
	var b []byte
	for _, r := range rs {
		b = binary.BigEndian.AppendUint32(b, r[0])
		b = binary.BigEndian.AppendUint32(b, r[1])
	}
	return b
}

// withEXIF splices an APP1 segment right after a JPEG's SOI marker, where
// cameras write it.
func withEXIF(t *testing.T, jpg, payload []byte) []byte {
	t.Helper()
	if len(jpg) < 2 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		t.Fatal("not a JPEG")
	}
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	seg = append(seg, payload...)
	return slices.Concat(jpg[:2], seg, jpg[2:])
}

// metadataIn names the metadata found in b: the GPS IFD entry, the GPS
// position's bytes, an EXIF header or an XMP packet.
func metadataIn(b []byte) []string {
	var found []string
	for name, sig := range map[string][]byte{
		"the GPS IFD pointer": gpsEntry,
		"the GPS latitude":    rationals(gpsLatitude),
		"the GPS longitude":   rationals(gpsLongitude),
		"an Exif header":      []byte("Exif\x00\x00"),
		"an XMP packet":       []byte("http://ns.adobe.com/xap/1.0/"),
	} {
		if bytes.Contains(b, sig) {
			found = append(found, name)
		}
	}
	slices.Sort(found)
	return found
}

// writeFile writes a test file for the file input into the test's
// directory and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// sparseFile is a file of size zero bytes that takes no disk space.
func sparseFile(t *testing.T, name string, size int64) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err == nil {
		err = f.Truncate(size)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// chooseFiles sets the files of a file input, as choosing them in the
// system's dialog does (the page gets its change event).
func (b *tab) chooseFiles(selector string, paths ...string) {
	b.t.Helper()
	s := nth(selector, 0)
	b.do("choose files for "+selector, &s, chromedp.SetUploadFiles(s.path(), paths))
}

// ---- The API's view of a recipe's photos

type apiPhoto struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Alt      string `json:"alt"`
	Status   string `json:"status"`
	Variants []struct {
		URL    string `json:"url"`
		Width  int    `json:"width"`
		Height int    `json:"height"`
		Format string `json:"format"`
	} `json:"variants"`
}

type apiRecipe struct {
	Title  string     `json:"title"`
	Photo  *apiPhoto  `json:"photo"`
	Photos []apiPhoto `json:"photos"`
}

// recipeJSON reads a public recipe from the API, as anyone can.
func recipeJSON(t *testing.T, base, id string) apiRecipe {
	t.Helper()
	var r apiRecipe
	getJSON(t, base+"/api/v1/recipes/"+id, &r)
	return r
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s: %d %s", u, res.StatusCode, body)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

func fetch(t *testing.T, u string) []byte {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d, %v", u, res.StatusCode, err)
	}
	return b
}

// waitReady waits until the recipe's main photo is processed, and returns
// the recipe.
func waitReady(b *tab, base, id string) apiRecipe {
	b.t.Helper()
	var r apiRecipe
	b.waitFor("the photo's variants", func() bool {
		r = recipeJSON(b.t, base, id)
		return r.Photo != nil && r.Photo.Status != "processing"
	})
	if r.Photo.Status != "ready" {
		b.fatalf("the photo's status is %q, want ready", r.Photo.Status)
	}
	return r
}

// ---- Tests

var photoRecipe = recipeInput{
	title:       "Charred Leek Galette",
	servings:    "4",
	visibility:  "public",
	ingredients: []string{"2 leeks, sliced", "1 sheet puff pastry"},
	steps:       []string{"Char the leeks in a hot pan.", "Spread on the pastry and bake until golden."},
}

// TestPhotoUpload chooses a photo with the form's file input, sees it
// previewed at once, saves with a progress bar and lands on the recipe,
// whose photo the API then shows; at a phone's and a desktop's size.
func TestPhotoUpload(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			srv := startPhotoServer(t)
			b := newTab(t, srv.URL, vp)
			photo := writeFile(t, "galette.jpg", photoJPEG(t, 1200, 900))
			b.open("/register", 200)
			register(b, newAccount("Pia", vp))

			b.open("/recipes/new", 200)
			fillRecipeForm(b, photoRecipe, true)
			b.chooseFiles("#photo", photo)
			b.waitJS("a preview of the chosen photo",
				`[...document.querySelectorAll('#photo-fieldset .photo-preview img')].some(i => i.src.startsWith('blob:') && i.complete && i.naturalWidth === 1200)`)
			if got := b.text(css("#photo-fieldset .photo-preview-name")); !strings.HasPrefix(got, "galette.jpg · ") {
				b.errorf("the preview is captioned %q", got)
			}
			b.waitVisible(button("Remove the chosen photo"))
			b.checkPage("recipe form with a chosen photo")
			b.shot("form-with-preview")

			// The progress bar shows while the form is sent; it is
			// recorded in sessionStorage, which outlives the page.
			evalJS[bool](b, `(() => {
				const box = document.querySelector('[data-upload-progress]');
				const status = box.querySelector('.upload-status');
				new MutationObserver(() => {
					if (!box.hidden) sessionStorage.setItem('upload-status', (sessionStorage.getItem('upload-status') || '') + '|' + status.textContent);
				}).observe(box, {attributes: true, subtree: true, childList: true, characterData: true});
				return true;
			})()`)
			b.click(button("Save recipe"))
			b.waitJS("the recipe page after the upload", `/^\/recipes\/[^/]+$/.test(location.pathname) && !!document.querySelector('#recipe-title')`)
			id, ok := recipeIDFrom(b.path())
			if !ok {
				b.fatalf("after saving, the browser is at %s", b.path())
			}
			checkFlash(b, "Recipe saved")
			seen := evalJS[string](b, `sessionStorage.getItem('upload-status') || ''`)
			if !strings.Contains(seen, "Uploading… ") || !strings.Contains(seen, "Uploaded. Saving…") {
				b.errorf("the progress shown while sending: %q", seen)
			}
			r := waitReady(b, srv.URL, id)
			if r.Photo.Width != 1200 || r.Photo.Height != 900 || r.Photo.Alt != "" {
				b.errorf("the API's photo: %d×%d alt %q", r.Photo.Width, r.Photo.Height, r.Photo.Alt)
			}
			b.shot("recipe-with-photo")

			// Editing: the photo is there, with Remove photo.
			b.open("/recipes/"+id+"/edit", 200)
			b.waitVisible(css("#photo-fieldset .photo-current img"))
			b.shot("edit-form-with-photo")
			b.click(button("Remove photo"))
			b.waitVisible(button("Keep photo"))
			b.checkPage("recipe form with the photo marked for removal")
			b.follow(button("Save recipe"), 200)
			if r := recipeJSON(t, srv.URL, id); r.Photo != nil {
				b.errorf("the photo is still there after Remove photo: %+v", r.Photo)
			}

			// The avatar, with the same preview and upload.
			b.open("/settings", 200)
			b.chooseFiles("#avatar_file", writeFile(t, "me.png", photoJPEG(t, 500, 500)))
			b.waitJS("a preview of the avatar", `[...document.querySelectorAll('#avatar .photo-preview img')].some(i => i.src.startsWith('blob:'))`)
			b.checkPage("settings with a chosen avatar")
			b.click(button("Save photo"))
			b.waitJS("settings after saving the avatar", `location.pathname === '/settings' && !!document.getElementById('flash')`)
			checkFlash(b, "Photo saved")
			b.waitVisible(button("Remove photo"))
		})
	}
}

// TestPhotoUploadRefused: a file the browser already knows is no photo is
// turned away at once; one it cannot tell (a web page named photo.jpg)
// goes to the server, which refuses it, and the form comes back in place
// with the message by the field and the recipe saved.
func TestPhotoUploadRefused(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			srv := startPhotoServer(t)
			b := newTab(t, srv.URL, vp)
			b.open("/register", 200)
			register(b, newAccount("Rex", vp))
			b.open("/recipes/new", 200)
			fillRecipeForm(b, photoRecipe, true)

			// A form with a mistake saves nothing; the chosen photo stays
			// chosen in the form shown again.
			b.fill(css("#title"), "")
			b.chooseFiles("#photo", writeFile(t, "first.jpg", photoJPEG(t, 320, 240)))
			b.mu.Lock()
			b.answered = append(b.answered, "XHR /recipes/new: 422") // the form's mistake
			b.mu.Unlock()
			b.click(button("Save recipe"))
			b.waitJS("the form shown again", `!!document.getElementById('title-error')`)
			if n := evalJS[int](b, `document.getElementById('photo').files.length`); n != 1 {
				b.errorf("%d files chosen in the form shown again, want the one chosen before", n)
			}
			if got := b.text(css(".photo-unsent")); !strings.Contains(got, "still chosen") {
				b.errorf("the photo field's note: %q", got)
			}
			b.waitVisible(css("#photo-fieldset .photo-preview img"))
			if p := b.path(); p != "/recipes/new" {
				b.errorf("nothing was saved, yet the address is %s", p)
			}
			b.fill(css("#title"), photoRecipe.title)
			// Not saved yet: the refusals below are about another file.
			b.click(button("Remove the chosen photo"))

			b.chooseFiles("#photo", writeFile(t, "notes.txt", []byte("leeks, pastry")))
			b.waitVisible(css("#photo-check"))
			if got := b.text(css("#photo-check")); got != "notes.txt is not a JPEG, PNG, WebP or GIF image." {
				b.errorf("the check of a text file says %q", got)
			}
			if n := evalJS[int](b, `document.getElementById('photo').files.length`); n != 0 {
				b.errorf("the refused file stays chosen (%d files)", n)
			}
			if d, _ := b.attr("#photo", "aria-describedby"); !strings.Contains(d, "photo-check") {
				b.errorf("the file input is not described by the check's message: %q", d)
			}

			// Too large for one photo, and too much for one save: said at
			// once, nothing sent. (Sparse files: only their size matters.)
			b.chooseFiles("#photo", sparseFile(t, "big.jpg", 21<<20))
			b.waitJS("the size check", `document.getElementById('photo-check').textContent !== ''`)
			if got := b.text(css("#photo-check")); got != "big.jpg is 21 MB; a photo can be at most 20 MB." {
				b.errorf("the check of a 21 MB photo says %q", got)
			}
			var many []string
			for i := range 6 {
				many = append(many, sparseFile(t, fmt.Sprintf("g%d.jpg", i), 19<<20))
			}
			b.chooseFiles("#gallery", many...)
			b.click(button("Save recipe"))
			b.waitJS("the total's check", `/come to 114 MB; at most 99 MB/.test(document.getElementById('upload-status').textContent)`)
			if p := b.path(); p != "/recipes/new" {
				b.errorf("the form was sent: at %s", p)
			}
			b.click(button("Remove the chosen photos"))

			b.chooseFiles("#photo", writeFile(t, "photo.jpg", []byte("<!doctype html><p>not a photo</p>")))
			b.waitVisible(css("#photo-fieldset .photo-preview"))
			b.mu.Lock()
			b.answered = append(b.answered, "XHR /recipes/new: 415") // the refusal this provokes
			b.mu.Unlock()
			b.click(button("Save recipe"))
			// (Not waitVisible: on a phone it would open the menu, and
			// move focus, while the answer is awaited.)
			b.waitJS("the refusal by the photo field", `!!document.getElementById('photo-error')`)
			if got := evalJS[string](b, `document.activeElement ? document.activeElement.id || document.activeElement.outerHTML.slice(0, 80) : ""`); got != "error-summary" {
				b.errorf("focus is on %q after the refusal, want the error summary", got)
			}
			if got := b.text(css("#photo-error")); !strings.Contains(got, "not a JPEG, PNG, WebP or GIF") {
				b.errorf("the server's message by the photo field: %q", got)
			}
			if got := b.text(css(".photo-saved-note")); !strings.Contains(got, "Your recipe is saved") {
				b.errorf("the form does not say the recipe is saved: %q", got)
			}
			if got := evalJS[string](b, `document.getElementById('title').value`); got != photoRecipe.title {
				b.errorf("the title shown again: %q", got)
			}
			// The form now edits the saved recipe, and a reload opens it.
			if p := b.path(); !strings.HasSuffix(p, "/edit") {
				b.errorf("after the refusal the address is %s, want the recipe's edit form", p)
			}
			b.checkPage("recipe form with a refused photo")
			b.shot("form-with-error")

			// Choosing a real photo now saves it to the same recipe.
			b.chooseFiles("#photo", writeFile(t, "galette.jpg", photoJPEG(t, 640, 480)))
			b.click(button("Save recipe"))
			b.waitJS("the recipe page", `/^\/recipes\/[^/]+$/.test(location.pathname) && !!document.querySelector('#recipe-title')`)
			id, _ := recipeIDFrom(b.path())
			if r := waitReady(b, srv.URL, id); r.Title != photoRecipe.title {
				b.errorf("the recipe is %q", r.Title)
			}
			var list struct {
				Items []json.RawMessage `json:"items"`
			}
			getJSON(t, srv.URL+"/api/v1/recipes", &list)
			if len(list.Items) != 1 {
				b.errorf("%d recipes after a refused photo and a retry, want 1", len(list.Items))
			}
		})
	}
}

// TestPhotoUploadStripsMetadata is the upload of a 12-megapixel camera
// photo whose EXIF holds where it was taken: through the form, with the
// script and without, it becomes WebP (and JPEG) variants 320, 640, 1024
// and 1600 wide, and no stored blob nor delivered variant keeps the EXIF,
// the GPS position or XMP.
func TestPhotoUploadStripsMetadata(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	jpg := withEXIF(t, photoJPEG(t, 4000, 3000), exifWithGPS())
	if got := metadataIn(jpg); len(got) != 4 { // all but XMP
		t.Fatalf("the test photo lacks its metadata: it has %q", got)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(jpg)); err != nil || cfg.Width*cfg.Height != 12_000_000 {
		t.Fatalf("the test photo: %v, %dx%d", err, cfg.Width, cfg.Height)
	}
	for _, tc := range []struct {
		name string
		vp   viewport
		js   bool
	}{{"script-desktop", desktop, true}, {"no-script-phone", phone, false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := startPhotoServer(t)
			path := writeFile(t, "IMG_4012.jpg", jpg)
			b := newTab(t, srv.URL, tc.vp)
			b.open("/register", 200)
			register(b, newAccount("Gus", tc.vp))
			b.setJavaScript(tc.js)
			b.open("/recipes/new", 200)
			fillRecipeForm(b, photoRecipe, tc.js)
			b.fill(css("#photo_alt"), "A galette on a baking sheet")
			b.chooseFiles("#photo", path)
			if tc.js {
				b.waitVisible(css("#photo-fieldset .photo-preview img"))
				b.click(button("Save recipe"))
				b.waitJS("the recipe page", `/^\/recipes\/[^/]+$/.test(location.pathname) && !!document.querySelector('#recipe-title')`)
			} else {
				b.follow(button("Save recipe"), 200)
			}
			id, ok := recipeIDFrom(b.path())
			if !ok {
				b.fatalf("after saving, the browser is at %s", b.path())
			}
			checkFlash(b, "Recipe saved")
			r := waitReady(b, srv.URL, id)
			if r.Photo.Width != 4000 || r.Photo.Height != 3000 || r.Photo.Alt != "A galette on a baking sheet" {
				b.errorf("the API's photo: %d×%d, alt %q", r.Photo.Width, r.Photo.Height, r.Photo.Alt)
			}
			var webp []int
			for _, v := range r.Photo.Variants {
				if v.Format == "webp" {
					webp = append(webp, v.Width)
				}
				body := fetch(t, srv.URL+v.URL)
				if got := metadataIn(body); len(got) > 0 {
					b.errorf("the %s variant %d wide, as delivered, holds %q", v.Format, v.Width, got)
				}
				if v.Format == "webp" && (len(body) < 12 || string(body[:4]) != "RIFF" || string(body[8:12]) != "WEBP") {
					b.errorf("the webp variant %d wide is not WebP: % x", v.Width, body[:min(12, len(body))])
				}
			}
			slices.Sort(webp)
			if !slices.Equal(webp, []int{320, 640, 1024, 1600}) {
				b.errorf("WebP variants %v wide, want 320, 640, 1024 and 1600", webp)
			}

			// The upload as sent is deleted once its variants exist; then
			// nothing stored holds the metadata.
			var blobs map[string][]byte
			b.waitFor("the upload's deletion", func() bool {
				blobs = srv.blobs(t)
				for p := range blobs {
					if filepath.Base(p) == "upload" {
						return false
					}
				}
				return true
			})
			if len(blobs) < 8 {
				b.errorf("%d blobs stored, want the 8 variants", len(blobs))
			}
			for p, data := range blobs {
				if got := metadataIn(data); len(got) > 0 {
					b.errorf("the stored blob %s holds %q", strings.TrimPrefix(p, srv.mediaDir), got)
				}
			}
			if tc.js {
				b.open("/recipes/"+id, 200) // now with its variants
				b.shot("recipe-with-camera-photo")
			}
		})
	}
}

// TestPhotoUploadWithoutJavaScript: the same form as a plain multipart
// post, gallery photos and the avatar included.
func TestPhotoUploadWithoutJavaScript(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			srv := startPhotoServer(t)
			b := newTab(t, srv.URL, vp)
			b.setJavaScript(false)
			b.open("/register", 200)
			register(b, newAccount("Nia", vp))
			b.open("/recipes/new", 200)
			b.checkPage("recipe form with photo fields, without JavaScript")
			fillRecipeForm(b, photoRecipe, false)
			b.chooseFiles("#photo", writeFile(t, "galette.jpg", photoJPEG(t, 800, 600)))
			b.chooseFiles("#gallery", writeFile(t, "slice.jpg", photoJPEG(t, 600, 800)), writeFile(t, "notes.jpg", []byte("not a photo")))
			b.follow(button("Save recipe"), 415)
			if got := b.text(css("#gallery-error")); !strings.Contains(got, "notes.jpg") {
				b.errorf("the gallery's message: %q", got)
			}
			b.waitVisible(css(".photo-saved-note"))
			b.checkPage("recipe form with a refused gallery photo, without JavaScript")
			b.shot("form-with-error")
			// The good photos are kept; saving the form again as it is
			// adds nothing twice.
			if n := b.count(".photo-list .photo-item"); n != 1 {
				b.errorf("%d gallery photos listed, want the one accepted", n)
			}
			b.follow(button("Save recipe"), 200)
			id, ok := recipeIDFrom(b.path())
			if !ok {
				b.fatalf("after saving again, the browser is at %s", b.path())
			}
			checkFlash(b, "Recipe saved")
			r := waitReady(b, srv.URL, id)
			if len(r.Photos) != 1 {
				b.errorf("%d gallery photos, want 1", len(r.Photos))
			}

			// Removing the photo with the checkbox.
			b.open("/recipes/"+id+"/edit", 200)
			b.click(css("#photo_remove"))
			b.follow(button("Save recipe"), 200)
			if r := recipeJSON(t, srv.URL, id); r.Photo != nil || len(r.Photos) != 1 {
				b.errorf("after removing the main photo: %+v, %d gallery photos", r.Photo, len(r.Photos))
			}

			// The avatar on the settings page.
			b.open("/settings", 200)
			b.chooseFiles("#avatar_file", writeFile(t, "me.jpg", photoJPEG(t, 400, 400)))
			b.follow(button("Save photo"), 200)
			checkFlash(b, "Photo saved")
			b.waitVisible(button("Remove photo"))
			b.checkPage("settings with an avatar, without JavaScript")
			b.shot("settings-with-avatar")
		})
	}
}
