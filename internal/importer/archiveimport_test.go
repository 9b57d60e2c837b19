package importer_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/dataexport"
	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/importer/archive"
	"github.com/reccollection/reccollection/internal/importer/archive/archivetest"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Archive imports on real databases, a real blob store and the real photo
// pipeline (run in the caller: no queue), the import's jobs worked by
// calling RunArchive as the queue would; internal/app's tests run them on
// the job queue behind the API.

// instance is one RecCollection's services: its own database and blob
// store.
type instance struct {
	store    *store.Store
	files    media.Store
	photos   *photos.Service
	exports  *dataexport.Service
	archives *importer.Archives

	mu          sync.Mutex
	jobs        []importer.ArchiveJob
	photoJobs   []importer.PhotoJob
	exportQueue []string
}

func newInstance(t *testing.T, engine string, configure func(*importer.ArchiveOptions)) *instance {
	t.Helper()
	in := &instance{store: testutil.OpenStore(t, engine)}
	var err error
	if in.files, err = media.NewFile(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	in.photos = photos.New(in.store, in.files, photos.Options{Quota: -1})
	in.exports = dataexport.New(in.store, in.files, dataexport.Options{Enqueue: func(_ context.Context, id string) error {
		in.mu.Lock()
		defer in.mu.Unlock()
		in.exportQueue = append(in.exportQueue, id)
		return nil
	}})
	opts := importer.ArchiveOptions{
		Enqueue: func(_ context.Context, j importer.ArchiveJob) error {
			in.mu.Lock()
			defer in.mu.Unlock()
			in.jobs = append(in.jobs, j)
			return nil
		},
		EnqueuePhoto: func(_ context.Context, j importer.PhotoJob) error {
			in.mu.Lock()
			defer in.mu.Unlock()
			in.photoJobs = append(in.photoJobs, j)
			return nil
		},
	}
	if configure != nil {
		configure(&opts)
	}
	in.archives = importer.NewArchives(in.store, in.files, in.photos, opts)
	return in
}

func (in *instance) user(t *testing.T, name string) string {
	t.Helper()
	u := &auth.User{Username: name, Email: name + "@example.test", DisplayName: name, PasswordHash: "x"}
	if err := in.store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// runJobs works the queued archive jobs until none is left.
func (in *instance) runJobs(t *testing.T) {
	t.Helper()
	for {
		in.mu.Lock()
		jobs := in.jobs
		in.jobs = nil
		in.mu.Unlock()
		if len(jobs) == 0 {
			return
		}
		for _, j := range jobs {
			if err := in.archives.RunArchive(context.Background(), j); err != nil {
				t.Fatalf("archive job %+v: %v", j, err)
			}
		}
	}
}

// export builds userID's data export and returns the zip.
func (in *instance) export(t *testing.T, userID string) []byte {
	t.Helper()
	ctx := context.Background()
	e, err := in.exports.Request(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	if err := in.exports.Build(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	rc, _, err := in.exports.Open(ctx, userID, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// importArchive starts an import of data as userID and works it.
func (in *instance) importArchive(t *testing.T, userID, name string, data []byte) *importer.ArchiveImport {
	t.Helper()
	ctx := context.Background()
	imp, err := in.archives.Start(ctx, userID, name, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("start the import of %s: %v", name, err)
	}
	if imp.Status != "queued" || imp.Total == 0 {
		t.Fatalf("started %+v", imp)
	}
	in.runJobs(t)
	got, err := in.archives.Get(ctx, userID, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func ptr[T any](v T) *T { return &v }

// ownRecipes are user A's recipes: every field the recipe form has.
func ownRecipes() []recipe.Input {
	lines := func(ls ...string) []recipe.Ingredient {
		out := make([]recipe.Ingredient, len(ls))
		for i, l := range ls {
			out[i] = recipe.IngredientLine(l)
		}
		return out
	}
	return []recipe.Input{
		{
			Title: "Lemon Drizzle Cake", Description: "A sharp, sticky loaf.\n\nKeeps for three days.",
			PrepMinutes: ptr(20), CookMinutes: ptr(45), Servings: ptr(8), Difficulty: recipe.Medium, Visibility: recipe.Public,
			SourceURL: "https://example.com/cakes/lemon-drizzle", SourceAuthor: "Ana Cooks (@anacooks)",
			Ingredients:      lines("225 g butter, softened", "225 g caster sugar", "4 eggs", "2 lemons, juiced", "85 g icing sugar"),
			IngredientGroups: []recipe.IngredientGroup{{Title: "For the cake", Start: 0}, {Title: "For the drizzle", Start: 3}},
			Steps:            []string{"Beat the butter and sugar.", "Add the eggs one by one.", "Bake for 45 minutes at 180 °C.", "Pour the drizzle over the warm cake."},
			StepGroups:       []recipe.StepGroup{{Title: "Make the batter", Start: 0}, {Title: "Finish", Start: 3}},
			Tags:             []string{"baking", "cake", "lemon"},
			Categories:       []string{"dessert", "british"},
		},
		{
			Title: "Quick Tomato Soup", Visibility: recipe.Unlisted,
			Ingredients: lines("1 tin tomatoes", "salt to taste"), Steps: []string{"Heat and blend."},
		},
		{
			Title: "Country Bread", Description: "Slow.", PrepMinutes: ptr(30), CookMinutes: ptr(40), Servings: ptr(1),
			Difficulty: recipe.Hard, Visibility: recipe.Private, Tags: []string{"bread"},
			Ingredients: lines("500 g flour", "350 ml water", "10 g salt"), Steps: []string{"Mix.", "Rise overnight.", "Bake."},
		},
	}
}

// exported is an export's recipes by title, and the checksum of each of
// their photo files in the recipe's order (main, gallery, steps).
type exported struct {
	recipes map[string]recipe.Recipe
	photos  map[string][]string
}

func readExport(t *testing.T, data []byte) exported {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		f, err := zr.Open(name)
		if err != nil {
			t.Fatalf("export: %v", err)
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var list []recipe.Recipe
	if err := json.Unmarshal(read("recipes.json"), &list); err != nil {
		t.Fatal(err)
	}
	var files []struct {
		ID   string `json:"id"`
		File string `json:"file"`
	}
	if err := json.Unmarshal(read("photos.json"), &files); err != nil {
		t.Fatal(err)
	}
	fileOf := map[string]string{}
	for _, f := range files {
		fileOf[f.ID] = f.File
	}
	out := exported{recipes: map[string]recipe.Recipe{}, photos: map[string][]string{}}
	for _, r := range list {
		out.recipes[r.Title] = r
		var ids []string
		if r.Photo != nil {
			ids = append(ids, r.Photo.ID)
		}
		for _, p := range r.Photos {
			ids = append(ids, p.ID)
		}
		for _, id := range ids {
			f, ok := fileOf[id]
			if !ok {
				t.Fatalf("photo %s of %q is not in photos.json", id, r.Title)
			}
			sum := sha256.Sum256(read(f))
			out.photos[r.Title] = append(out.photos[r.Title], hex.EncodeToString(sum[:]))
		}
	}
	return out
}

// comparable is r without what a round trip changes: ids, the author,
// the update time, counts (likes, saves, comments are not the recipe's
// to carry), the photos' ids and addresses, and two things of a photo
// that the export cannot carry:
//   - its own size, which is the upload's: the export keeps the widest
//     variant (1600 pixels at most), which is all the other instance
//     gets, so a photo uploaded wider comes back the widest variant's
//     size (the variants, and the file, are the same);
//   - its average colour, the placeholder shown while it loads, worked
//     out again from the exported pixels (sameColour checks it is within
//     a shade).
func comparable(r recipe.Recipe) recipe.Recipe {
	r.ID, r.Author, r.UpdatedAt, r.Counts, r.CommentCount = "", recipe.Author{}, time.Time{}, recipe.Counts{}, 0
	photo := func(p recipe.Photo) recipe.Photo {
		p.ID, p.URL, p.Colour = "", "", ""
		p.Variants = slices.Clone(p.Variants)
		for i := range p.Variants {
			p.Variants[i].URL, p.Variants[i].Key = "", ""
		}
		if len(p.Variants) > 0 {
			p.Width, p.Height = p.Variants[0].Width, p.Variants[0].Height
		}
		return p
	}
	if r.Photo != nil {
		p := photo(*r.Photo)
		r.Photo = &p
	}
	r.Photos = slices.Clone(r.Photos)
	for i := range r.Photos {
		r.Photos[i] = photo(r.Photos[i])
	}
	return r
}

// allPhotos are r's main photo, then the others.
func allPhotos(r recipe.Recipe) []recipe.Photo {
	var out []recipe.Photo
	if r.Photo != nil {
		out = append(out, *r.Photo)
	}
	return append(out, r.Photos...)
}

// sameColour reports two "#rrggbb" colours within a shade of each other.
func sameColour(a, b string) bool {
	var ra, ga, ba, rb, gb, bb int
	if _, err := fmt.Sscanf(a, "#%02x%02x%02x", &ra, &ga, &ba); err != nil {
		return false
	}
	if _, err := fmt.Sscanf(b, "#%02x%02x%02x", &rb, &gb, &bb); err != nil {
		return false
	}
	near := func(x, y int) bool { return x-y <= 2 && y-x <= 2 }
	return near(ra, rb) && near(ga, gb) && near(ba, bb)
}

// TestArchiveRoundTrip: user A's recipes, with groups, labels, times,
// visibility, a credited source and photos of every kind, exported,
// imported as user B into a fresh instance and exported again, are the
// same recipes, and every photo file has the same checksum.
func TestArchiveRoundTrip(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		a := newInstance(t, engine, nil)
		cook := a.user(t, "cook")
		var ids []string
		for _, in := range ownRecipes() {
			if errs := in.Normalize(); len(errs) > 0 {
				t.Fatal(errs)
			}
			r, err := a.store.CreateRecipe(ctx, cook, in)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		// Uploads of every kind, through the photo service as the pages
		// and the API send them: a PNG and a WebP become JPEGs, a photo
		// wider than the widest variant is made smaller.
		upload := func(recipeID, role string, step int, data []byte, alt string) {
			t.Helper()
			var err error
			switch role {
			case "main":
				_, err = a.photos.SetMain(ctx, cook, recipeID, bytes.NewReader(data), alt)
			default:
				_, err = a.photos.AddPhoto(ctx, cook, recipeID, step, bytes.NewReader(data), alt)
			}
			if err != nil {
				t.Fatalf("upload %s photo: %v", role, err)
			}
		}
		upload(ids[0], "main", 0, imagetest.Encoded(t, "jpeg", 800, 600), "The cake, sliced")
		upload(ids[0], "gallery", 0, imagetest.Encoded(t, "png", 640, 480), "The crumb")
		upload(ids[0], "gallery", 0, imagetest.Encoded(t, "webp", 300, 200), "")
		upload(ids[0], "gallery", 0, imagetest.Encoded(t, "jpeg", 2000, 1500), "Whole loaf")
		upload(ids[0], "step", 2, imagetest.Encoded(t, "jpeg", 400, 300), "Eggs going in")
		upload(ids[2], "main", 0, imagetest.Encoded(t, "gif", 120, 90), "")

		first := a.export(t, cook)
		before := readExport(t, first)
		if len(before.recipes) != 3 || len(before.photos["Lemon Drizzle Cake"]) != 5 || len(before.photos["Country Bread"]) != 1 {
			t.Fatalf("export of A: %d recipes, photos %v", len(before.recipes), before.photos)
		}

		b := newInstance(t, engine, nil)
		mover := b.user(t, "mover")
		imp := b.importArchive(t, mover, "reccollection-cook.zip", first)
		if imp.Status != "done" || imp.Format != "reccollection" || imp.Total != 3 || imp.Done != 3 || imp.Saved != 3 || imp.Failed != 0 {
			t.Fatalf("import %+v", imp)
		}
		for _, r := range imp.Results {
			if r.Status != "done" || r.RecipeID == "" || r.Error != "" {
				t.Errorf("result %+v", r)
			}
			if r.Title == "Lemon Drizzle Cake" && r.Photos != 5 {
				t.Errorf("photos kept of %q: %d, want 5", r.Title, r.Photos)
			}
		}
		if len(b.photoJobs) != 0 {
			t.Errorf("photos downloaded for an own export: %+v", b.photoJobs)
		}
		// The archive is gone from the blob store with the import done.
		leftover := 0
		if err := b.files.List(ctx, "imports/", func(media.Object) error { leftover++; return nil }); err != nil {
			t.Fatal(err)
		}
		if leftover != 0 {
			t.Errorf("%d archives left in the blob store", leftover)
		}

		after := readExport(t, b.export(t, mover))
		if len(after.recipes) != len(before.recipes) {
			t.Fatalf("export of B has %d recipes, A's %d", len(after.recipes), len(before.recipes))
		}
		for title, ra := range before.recipes {
			rb, ok := after.recipes[title]
			if !ok {
				t.Errorf("%q is missing from B's export", title)
				continue
			}
			ca, cb := comparable(ra), comparable(rb)
			if !reflect.DeepEqual(ca, cb) {
				ja, _ := json.MarshalIndent(ca, "", " ")
				jb, _ := json.MarshalIndent(cb, "", " ")
				t.Errorf("%q differs after the round trip:\nA: %s\nB: %s", title, ja, jb)
			}
			if pa, pb := allPhotos(ra), allPhotos(rb); len(pa) == len(pb) {
				for i := range pa {
					if !sameColour(pa[i].Colour, pb[i].Colour) {
						t.Errorf("%q photo %d: colour %s, was %s", title, i, pb[i].Colour, pa[i].Colour)
					}
				}
			}
			if !slices.Equal(before.photos[title], after.photos[title]) {
				t.Errorf("%q's photo files differ:\nA: %v\nB: %v", title, before.photos[title], after.photos[title])
			}
		}
		if rb := after.recipes["Lemon Drizzle Cake"]; rb.Author.Username != "mover" {
			t.Errorf("author in B %+v", rb.Author)
		}

		// Imported again: every recipe again (an export is brought back
		// as it is, never skipped), and the same files once more.
		again := b.importArchive(t, mover, "reccollection-cook.zip", first)
		if again.Saved != 3 {
			t.Errorf("second import of the export %+v", again)
		}
	})
}

// recipeOf loads a saved recipe.
func (in *instance) recipeOf(t *testing.T, id string) *recipe.Recipe {
	t.Helper()
	r, err := in.store.Recipe(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestArchiveImportPaprikaAndMealie: other apps' archives are imported as
// private recipes with their photos; a recipe imported before from the
// same page is skipped; a damaged recipe fails alone.
func TestArchiveImportPaprikaAndMealie(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		in := newInstance(t, engine, nil)
		cook := in.user(t, "cook")
		jpg, png := imagetest.Encoded(t, "jpeg", 640, 480), imagetest.Encoded(t, "png", 320, 240)

		imp := in.importArchive(t, cook, "My Recipes.paprikarecipes", archivetest.Paprika(t, jpg, png))
		if imp.Status != "done" || imp.Format != "paprika" || imp.FileName != "My Recipes.paprikarecipes" || imp.Total != 3 || imp.Saved != 3 {
			t.Fatalf("paprika import %+v", imp)
		}
		byTitle := map[string]importer.ArchiveResult{}
		for _, r := range imp.Results {
			byTitle[r.Title] = r
		}
		shak := in.recipeOf(t, byTitle["Shakshuka"].RecipeID)
		if shak.Visibility != recipe.Private || len(shak.Ingredients) != 4 || shak.Ingredients[2].Name != "tomatoes" || shak.Ingredients[2].Unit != "g" ||
			len(shak.Steps) != 3 || shak.SourceURL != "https://example.com/shakshuka" || shak.Servings == nil || *shak.Servings != 2 {
			t.Errorf("shakshuka %+v", shak)
		}
		if shak.Photo == nil || shak.Photo.Status != recipe.PhotoReady || shak.Photo.Width != 640 || len(shak.Photos) != 1 || shak.Photos[0].Width != 320 {
			t.Errorf("shakshuka's photos: main %+v, gallery %+v", shak.Photo, shak.Photos)
		}
		if r := byTitle["Shakshuka"]; r.Photos != 2 {
			t.Errorf("photos kept %d, want 2", r.Photos)
		}
		if fb := in.recipeOf(t, byTitle["Flatbread"].RecipeID); fb.Photo == nil || fb.Photo.Status != recipe.PhotoReady {
			t.Errorf("flatbread's photo %+v", fb.Photo)
		}
		if gs := in.recipeOf(t, byTitle["Green Salad"].RecipeID); gs.Photo != nil || byTitle["Green Salad"].Photos != 0 {
			t.Errorf("salad's photo %+v", gs.Photo)
		}

		webp := imagetest.Encoded(t, "webp", 96, 64)
		imp = in.importArchive(t, cook, "mealie.zip", archivetest.Mealie(t, webp,
			[2]string{"recipes/broken/broken.json", `{"name": "Broken", "recipe_ingredient": [`}))
		if imp.Status != "done" || imp.Format != "mealie" || imp.Total != 2 || imp.Saved != 1 || imp.Failed != 1 {
			t.Fatalf("mealie import %+v", imp)
		}
		var saved, failed importer.ArchiveResult
		for _, r := range imp.Results {
			switch r.Status {
			case "done":
				saved = r
			case "failed":
				failed = r
			}
		}
		if !strings.Contains(failed.Error, "broken.json") || failed.RecipeID != "" {
			t.Errorf("the damaged recipe's result %+v", failed)
		}
		p := in.recipeOf(t, saved.RecipeID)
		if p.Title != "Pancakes" || p.Photo == nil || p.Photo.Status != recipe.PhotoReady || p.Photo.Width != 96 ||
			!slices.Equal(p.Tags, []string{"quick"}) || !slices.Equal(p.Categories, []string{"breakfast"}) || len(p.IngredientGroups) != 1 {
			t.Errorf("pancakes %+v, photo %+v", p, p.Photo)
		}

		// The same Mealie export again: the recipe from that page is
		// skipped, pointing at the one saved.
		imp = in.importArchive(t, cook, "mealie.zip", archivetest.Mealie(t, webp))
		if imp.Skipped != 1 || imp.Saved != 0 || imp.Results[0].RecipeID != saved.RecipeID {
			t.Errorf("second mealie import %+v", imp)
		}
		page, err := in.store.ListRecipes(ctx, store.ListQuery{AuthorID: cook, ViewerID: cook, Limit: 50})
		if err != nil || len(page.Items) != 4 {
			t.Errorf("recipes: %d, %v", len(page.Items), err)
		}
	})
}

// TestArchiveImportRefusals: what is not an archive, of no known layout,
// too large, or a second import while one runs is refused at once and
// nothing is kept; another person's import is not found.
func TestArchiveImportRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		in := newInstance(t, engine, func(o *importer.ArchiveOptions) { o.MaxBytes = 64 << 10 })
		cook, other := in.user(t, "cook"), in.user(t, "other")
		stored := func() int {
			n := 0
			in.files.List(ctx, "", func(media.Object) error { n++; return nil })
			return n
		}
		var unknown bytes.Buffer
		zw := zip.NewWriter(&unknown)
		f, _ := zw.Create("notes/shopping.txt")
		f.Write([]byte("milk"))
		zw.Close()
		for _, c := range []struct {
			name string
			data []byte
			size int64
			want error
		}{
			{"not an archive", []byte("%PDF-1.4 a recipe card"), -1, archive.ErrNotArchive},
			{"no known layout", unknown.Bytes(), int64(unknown.Len()), archive.ErrUnknownFormat},
			{"too large, as said", []byte("PK"), 1 << 20, archive.ErrTooLarge},
			{"too large, as sent", bytes.Repeat([]byte("x"), 70<<10), -1, archive.ErrTooLarge},
			{"empty", nil, 0, importer.ErrArchiveMissing},
		} {
			_, err := in.archives.Start(ctx, cook, c.name+".zip", bytes.NewReader(c.data), c.size)
			if !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
				continue
			}
			status, _, detail, _ := importer.ArchiveProblem(err)
			if status < 400 || status >= 500 || detail == "" {
				t.Errorf("%s: problem %d %q", c.name, status, detail)
			}
		}
		if n := stored(); n != 0 {
			t.Errorf("%d blobs kept after refusals", n)
		}
		if list, _ := in.archives.Recent(ctx, cook, 10); len(list) != 0 {
			t.Errorf("imports recorded after refusals: %+v", list)
		}

		data := archivetest.Mealie(t, imagetest.Encoded(t, "webp", 8, 8))
		imp, err := in.archives.Start(ctx, cook, "mealie.zip", bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.archives.Start(ctx, cook, "again.zip", bytes.NewReader(data), int64(len(data))); !errors.Is(err, importer.ErrArchiveUnderWay) {
			t.Errorf("a second import while one is queued: %v", err)
		} else if status, _, _, _ := importer.ArchiveProblem(err); status != 409 {
			t.Errorf("under way: status %d", status)
		}
		if _, err := in.archives.Get(ctx, other, imp.ID); !errors.Is(err, importer.ErrArchiveNotFound) {
			t.Errorf("another person's import: %v", err)
		}
		// Another person may import at the same time.
		if _, err := in.archives.Start(ctx, other, "mealie.zip", bytes.NewReader(data), int64(len(data))); err != nil {
			t.Errorf("another person's import: %v", err)
		}
		in.runJobs(t)
		if _, err := in.archives.Start(ctx, cook, "again.zip", bytes.NewReader(data), int64(len(data))); err != nil {
			t.Errorf("an import after the first finished: %v", err)
		}
	})
}

// TestArchiveImportResumes: a job stopped part way (its deadline, a crash
// after a recipe was saved but before its photos) is run again and
// finishes without saving anything twice.
func TestArchiveImportResumes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		in := newInstance(t, engine, func(o *importer.ArchiveOptions) { o.ItemTime = time.Hour })
		cook := in.user(t, "cook")
		jpg, png := imagetest.Encoded(t, "jpeg", 64, 48), imagetest.Encoded(t, "png", 32, 24)
		data := archivetest.Paprika(t, jpg, png)
		imp, err := in.archives.Start(ctx, cook, "p.paprikarecipes", bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		// Under a deadline shorter than ItemTime, each job does one
		// recipe and hands the rest to the next.
		jobs := 0
		for {
			in.mu.Lock()
			queue := in.jobs
			in.jobs = nil
			in.mu.Unlock()
			if len(queue) == 0 {
				break
			}
			for _, j := range queue {
				jobs++
				dctx, cancel := context.WithTimeout(ctx, time.Minute)
				if err := in.archives.RunArchive(dctx, j); err != nil {
					t.Fatal(err)
				}
				cancel()
				got, _ := in.archives.Get(ctx, cook, imp.ID)
				if got.Done != min(jobs, 3) {
					t.Errorf("after job %d: %d done", jobs, got.Done)
				}
			}
		}
		got, err := in.archives.Get(ctx, cook, imp.ID)
		if err != nil || got.Status != "done" || got.Saved != 3 || jobs != 3 {
			t.Fatalf("after %d jobs: %+v, %v", jobs, got, err)
		}

		// A crash after the first recipe was saved, before its photos:
		// its result is left running and it has no photos yet.
		imp2 := &store.ArchiveImport{UserID: cook, Format: "paprika", FileName: "p.paprikarecipes", BlobKey: "imports/crash.zip", Total: 3}
		if err := in.store.CreateArchiveImport(ctx, imp2, 0); err != nil {
			t.Fatal(err)
		}
		if err := in.files.Put(ctx, imp2.BlobKey, bytes.NewReader(data), int64(len(data)), "application/zip"); err != nil {
			t.Fatal(err)
		}
		in2 := recipe.Input{Title: "Shakshuka", Visibility: recipe.Private, Ingredients: []recipe.Ingredient{recipe.IngredientLine("4 eggs")}}
		in2.Normalize()
		r, err := in.store.SaveArchiveImportRecipe(ctx, imp2.ID, store.ArchiveImportResult{Position: 0, Name: "Shakshuka.paprikarecipe"},
			store.NewRecipe{AuthorID: cook, Input: in2})
		if err != nil {
			t.Fatal(err)
		}
		if err := in.archives.RunArchive(ctx, importer.ArchiveJob{ImportID: imp2.ID, UserID: cook}); err != nil {
			t.Fatal(err)
		}
		done, err := in.archives.Get(ctx, cook, imp2.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The recipe the crashed job saved gets its photos; the others
		// (without a source address to know them by) are saved again.
		if done.Status != "done" || done.Done != 3 || done.Results[0].Status != "done" || done.Results[0].RecipeID != r.ID || done.Results[0].Photos != 2 {
			t.Fatalf("after the resumed job: %+v", done)
		}
		rec := in.recipeOf(t, r.ID)
		if rec.Photo == nil || len(rec.Photos) != 1 {
			t.Errorf("the resumed recipe's photos: %+v, %+v", rec.Photo, rec.Photos)
		}
		// Run again: nothing changes.
		if err := in.archives.RunArchive(ctx, importer.ArchiveJob{ImportID: imp2.ID, UserID: cook}); err != nil {
			t.Fatal(err)
		}
		if rec := in.recipeOf(t, r.ID); len(rec.Photos) != 1 {
			t.Errorf("a second run added photos: %d", len(rec.Photos))
		}
	})
}

// TestArchiveSweep: an import whose job gave up long ago is ended and its
// archive deleted, and so is an archive no import names.
func TestArchiveSweep(t *testing.T) {
	in := newInstance(t, "sqlite", nil)
	ctx := context.Background()
	cook := in.user(t, "cook")
	imp := &store.ArchiveImport{UserID: cook, Format: "paprika", BlobKey: "imports/stale.zip", Total: 3}
	if err := in.store.CreateArchiveImport(ctx, imp, 0); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{imp.BlobKey, "imports/orphan.zip"} {
		if err := in.files.Put(ctx, k, strings.NewReader("PK"), 2, "application/zip"); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := in.archives.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep at once: %d, %v", n, err)
	}
	importer.SetArchivesClock(in.archives, func() time.Time { return time.Now().Add(7 * time.Hour) })
	n, err := in.archives.Sweep(ctx)
	if err != nil || n != 2 {
		t.Fatalf("sweep later: %d deleted, %v", n, err)
	}
	got, err := in.archives.Get(ctx, cook, imp.ID)
	if err != nil || got.Status != "failed" || got.Error == "" {
		t.Errorf("stale import after the sweep: %+v, %v", got, err)
	}
	left := 0
	in.files.List(ctx, "imports/", func(media.Object) error { left++; return nil })
	if left != 0 {
		t.Errorf("%d archives left", left)
	}
}
