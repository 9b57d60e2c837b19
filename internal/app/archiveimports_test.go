package app_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/importer/archive/archivetest"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Archive imports through the API on the whole application: the upload,
// the job queue that works it, the photos' variants jobs, and the data
// export of another instance brought back whole.

// arImport is the JSON of an archive import.
type arImport struct {
	ID       string     `json:"id"`
	Status   string     `json:"status"`
	Format   string     `json:"format"`
	FileName string     `json:"file_name"`
	Total    int        `json:"total"`
	Done     int        `json:"done"`
	Saved    int        `json:"saved"`
	Skipped  int        `json:"skipped"`
	Failed   int        `json:"failed"`
	Error    string     `json:"error"`
	Results  []arResult `json:"results"`
}

// arResult is the JSON of one recipe's result.
type arResult struct {
	Position int    `json:"position"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	RecipeID string `json:"recipe_id"`
	Title    string `json:"title"`
	Error    string `json:"error"`
	Photos   int    `json:"photos"`
}

// arUpload sends data as the multipart field "file" named name.
func arUpload(t *testing.T, base, token, name string, data []byte) phAnswer {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return phDo(t, "POST", base+"/api/v1/imports/archives", token, b.Bytes(), "Content-Type", mw.FormDataContentType())
}

// arStart uploads an archive that must be accepted.
func arStart(t *testing.T, base, token, name string, data []byte) arImport {
	t.Helper()
	a := phWant(t, arUpload(t, base, token, name, data), http.StatusAccepted, "upload "+name)
	imp := imDecode[arImport](t, a)
	if a.header.Get("Location") != "/api/v1/imports/archives/"+imp.ID || imp.Status != "queued" || imp.Total == 0 || imp.FileName != name {
		t.Fatalf("upload answer %s, Location %q", a.body, a.header.Get("Location"))
	}
	return imp
}

// arFinished polls an archive import until it is done or failed.
func arFinished(t *testing.T, base, token, id string) arImport {
	t.Helper()
	deadline := time.Now().Add(testutil.Scaled(90 * time.Second))
	for {
		a := phWant(t, phDo(t, "GET", base+"/api/v1/imports/archives/"+id, token, nil), http.StatusOK, "archive import")
		imp := imDecode[arImport](t, a)
		if imp.Status == "done" || imp.Status == "failed" {
			if a.header.Get("Cache-Control") != "private, no-store" {
				t.Errorf("Cache-Control %q", a.header.Get("Cache-Control"))
			}
			return imp
		}
		if time.Now().After(deadline) {
			t.Fatalf("archive import %s still %s: %s", id, imp.Status, a.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestArchiveImportAPI: a Paprika export and a Mealie export are imported
// by the job queue, each recipe with its photos, rendered by their own
// jobs; another person cannot see the import.
func TestArchiveImportAPI(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServing(t, engine, nil)
			cook, other := phRegister(t, srv.URL, "mover"), phRegister(t, srv.URL, "nosy")

			imp := arStart(t, srv.URL, cook, "My Recipes.paprikarecipes",
				archivetest.Paprika(t, imagetest.Encoded(t, "jpeg", 640, 480), imagetest.Encoded(t, "png", 320, 240)))
			if imp.Format != "paprika" || imp.Total != 3 {
				t.Errorf("paprika import %+v", imp)
			}
			phWant(t, phDo(t, "GET", srv.URL+"/api/v1/imports/archives/"+imp.ID, other, nil), http.StatusNotFound, "another's import")
			phWant(t, phDo(t, "GET", srv.URL+"/api/v1/imports/archives/"+imp.ID, "", nil), http.StatusUnauthorized, "signed out")
			imp = arFinished(t, srv.URL, cook, imp.ID)
			if imp.Status != "done" || imp.Saved != 3 || imp.Done != 3 || len(imp.Results) != 3 {
				t.Fatalf("paprika import finished as %+v", imp)
			}
			photos := map[string]int{}
			for _, r := range imp.Results {
				photos[r.Title] = r.Photos
				if r.Status != "done" || r.RecipeID == "" {
					t.Errorf("result %+v", r)
				}
			}
			if photos["Shakshuka"] != 2 || photos["Flatbread"] != 1 || photos["Green Salad"] != 0 {
				t.Errorf("photos kept %v", photos)
			}
			shak := imp.Results[slices.IndexFunc(imp.Results, func(r arResult) bool { return r.Title == "Shakshuka" })]
			r := phReady(t, srv.URL, cook, shak.RecipeID)
			if r.Photo == nil || r.Photo.Width != 640 || len(r.Photos) != 1 || r.Photos[0].Width != 320 {
				t.Errorf("shakshuka's photos %+v %+v", r.Photo, r.Photos)
			}
			phFetch(t, srv.URL, cook, r)
			// Imported private: nobody else sees it.
			phWant(t, phDo(t, "GET", srv.URL+"/api/v1/recipes/"+shak.RecipeID, other, nil), http.StatusNotFound, "another reads the recipe")

			imp = arFinished(t, srv.URL, cook, arStart(t, srv.URL, cook, "mealie.zip", archivetest.Mealie(t, imagetest.Encoded(t, "webp", 96, 64))).ID)
			if imp.Status != "done" || imp.Format != "mealie" || imp.Saved != 1 || imp.Results[0].Photos != 1 {
				t.Fatalf("mealie import %+v", imp)
			}
			p := phReady(t, srv.URL, cook, imp.Results[0].RecipeID)
			if p.Photo == nil || p.Photo.Width != 96 || p.Photo.Height != 64 {
				t.Errorf("pancakes' photo %+v", p.Photo)
			}
			if keys := phBlobs(t, srv.App.Media(), "imports/"); len(keys) != 0 {
				t.Errorf("archives left in the blob store: %q", keys)
			}
		})
	}
}

// TestArchiveImportRefusedAPI: every refusal is a 4xx problem saying
// what to do, and nothing of it is kept; a second upload while one waits
// is 409. The queue does not run here, so the first import waits.
func TestArchiveImportRefusedAPI(t *testing.T) {
	srv := testutil.StartServer(t, "sqlite")
	cook, other := phRegister(t, srv.URL, "mover"), phRegister(t, srv.URL, "nosy")
	problem := func(a phAnswer) (string, string) {
		p := imDecode[struct {
			Detail string `json:"detail"`
			Errors []struct {
				Field string `json:"field"`
			} `json:"errors"`
		}](t, a)
		field := ""
		if len(p.Errors) > 0 {
			field = p.Errors[0].Field
		}
		if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("Content-Type %q", ct)
		}
		return p.Detail, field
	}
	for _, c := range []struct {
		name, file string
		data       []byte
		status     int
		detail     string
	}{
		{"not an archive", "recipes.pdf", []byte("%PDF-1.4 my recipes"), 422, "not a recipe archive"},
		{"no recipes in it", "photos.zip", zipOf(t, map[string]string{"holiday/beach.txt": "sand"}), 422, "no recipes"},
		{"empty", "empty.zip", nil, 422, "Choose the archive"},
	} {
		a := arUpload(t, srv.URL, cook, c.file, c.data)
		if a.status != c.status {
			t.Errorf("%s: %d %s", c.name, a.status, a.body)
			continue
		}
		detail, field := problem(a)
		if !strings.Contains(detail, c.detail) || field != "file" {
			t.Errorf("%s: detail %q, field %q", c.name, detail, field)
		}
	}
	// Not multipart, and no file field.
	a := phDo(t, "POST", srv.URL+"/api/v1/imports/archives", cook, []byte("PK"), "Content-Type", "application/zip")
	phWant(t, a, http.StatusUnsupportedMediaType, "a raw body")
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("name", "x")
	mw.Close()
	phWant(t, phDo(t, "POST", srv.URL+"/api/v1/imports/archives", cook, b.Bytes(), "Content-Type", mw.FormDataContentType()),
		http.StatusUnprocessableEntity, "no file")
	phWant(t, arUpload(t, srv.URL, "", "x.zip", []byte("PK")), http.StatusUnauthorized, "signed out")

	// Too large, as the request says: answered before the body is read.
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/imports/archives HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n--x\r\n", strings.TrimPrefix(srv.URL, "http://"), cook, 600<<20)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("600 MB upload: %d", res.StatusCode)
	}

	var n int
	if err := srv.Store.DB().QueryRow("SELECT count(*) FROM archive_imports").Scan(&n); err != nil || n != 0 {
		t.Fatalf("imports recorded after the refusals: %d, %v", n, err)
	}
	if keys := phBlobs(t, srv.App.Media(), ""); len(keys) != 0 {
		t.Errorf("blobs kept after the refusals: %q", keys)
	}

	data := archivetest.Mealie(t, imagetest.Encoded(t, "webp", 8, 8))
	first := arStart(t, srv.URL, cook, "mealie.zip", data)
	a = phWant(t, arUpload(t, srv.URL, cook, "again.zip", data), http.StatusConflict, "a second import while one waits")
	if detail, _ := problem(a); !strings.Contains(detail, "already") {
		t.Errorf("409 says %q", detail)
	}
	phWant(t, phDo(t, "GET", srv.URL+"/api/v1/imports/archives/"+first.ID, other, nil), http.StatusNotFound, "another's import")
	phWant(t, phDo(t, "GET", srv.URL+"/api/v1/imports/archives/not-an-id", cook, nil), http.StatusNotFound, "no such import")
	// Another person may import meanwhile.
	arStart(t, srv.URL, other, "mealie.zip", data)
	if keys := phBlobs(t, srv.App.Media(), "imports/"); len(keys) != 2 {
		t.Errorf("archives kept: %q", keys)
	}
}

// zipOf is a zip of the files.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var names []string
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[n]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestArchiveRoundTripAPI: a cook's recipes, with photos of every kind,
// exported from one instance and imported into another through the API
// come out of the second's export the same, photo files byte for byte.
func TestArchiveRoundTripAPI(t *testing.T) {
	a, b := testutil.StartServing(t, "sqlite", nil), testutil.StartServing(t, "sqlite", nil)
	cook := phRegister(t, a.URL, "cook")
	body := map[string]any{
		"title": "Lemon Drizzle Cake", "description": "A sharp, sticky loaf.", "visibility": "public", "difficulty": "medium",
		"prep_minutes": 20, "cook_minutes": 45, "servings": 8, "source_url": "https://example.com/lemon", "source_author": "Ana Cooks",
		"ingredients":       []string{"225 g butter", "225 g sugar", "4 eggs", "2 lemons, juiced", "85 g icing sugar"},
		"ingredient_groups": []map[string]any{{"title": "For the cake", "start": 0}, {"title": "For the drizzle", "start": 3}},
		"steps":             []string{"Beat.", "Add the eggs.", "Bake.", "Drizzle."},
		"step_groups":       []map[string]any{{"title": "Batter", "start": 0}, {"title": "Finish", "start": 3}},
		"tags":              []string{"baking", "lemon"}, "categories": []string{"dessert"},
	}
	var created struct{ ID string }
	mustJSON(t, phWant(t, phJSON(t, "POST", a.URL+"/api/v1/recipes", cook, body), http.StatusCreated, "create").body, &created)
	id := created.ID
	phUpload(t, "PUT", a.URL+"/api/v1/recipes/"+id+"/photo", cook, imagetest.Encoded(t, "jpeg", 800, 600), map[string]string{"alt": "Sliced"}, http.StatusOK)
	phUpload(t, "POST", a.URL+"/api/v1/recipes/"+id+"/photos", cook, imagetest.Encoded(t, "png", 640, 480), map[string]string{"alt": "Crumb"}, http.StatusCreated)
	phUpload(t, "POST", a.URL+"/api/v1/recipes/"+id+"/photos", cook, imagetest.Encoded(t, "jpeg", 1800, 1200), nil, http.StatusCreated)
	phUpload(t, "POST", a.URL+"/api/v1/recipes/"+id+"/photos", cook, imagetest.Encoded(t, "jpeg", 300, 200), map[string]string{"step": "2", "alt": "Eggs"}, http.StatusCreated)
	phReady(t, a.URL, cook, id)
	phCreateRecipe(t, a.URL, cook, "Plain Soup", "private", 2)

	export := func(base, token string) map[string][]byte {
		t.Helper()
		var e exportAnswer
		mustJSON(t, phWant(t, phDo(t, "POST", base+"/api/v1/me/exports", token, nil), http.StatusAccepted, "export").body, &e)
		e = waitExport(t, base, token, e.ID)
		return unzip(t, phWant(t, phDo(t, "GET", base+e.DownloadURL, token, nil), http.StatusOK, "download").body)
	}
	first := export(a.URL, cook)
	zipped := zipOf(t, func() map[string]string {
		m := map[string]string{}
		for k, v := range first {
			m[k] = string(v)
		}
		return m
	}())

	mover := phRegister(t, b.URL, "mover")
	imp := arFinished(t, b.URL, mover, arStart(t, b.URL, mover, "reccollection-cook.zip", zipped).ID)
	if imp.Status != "done" || imp.Format != "reccollection" || imp.Saved != 2 {
		t.Fatalf("import %+v", imp)
	}
	for _, r := range imp.Results {
		phReady(t, b.URL, mover, r.RecipeID)
	}
	second := export(b.URL, mover)

	type photoFile struct {
		ID   string `json:"id"`
		File string `json:"file"`
	}
	// Each recipe's fields (ids, author, times and counts aside) and the
	// checksums of its photo files in the recipe's order.
	summary := func(files map[string][]byte) map[string]string {
		var recipes []map[string]any
		mustJSON(t, files["recipes.json"], &recipes)
		var list []photoFile
		mustJSON(t, files["photos.json"], &list)
		fileOf := map[string]string{}
		for _, p := range list {
			fileOf[p.ID] = p.File
		}
		out := map[string]string{}
		for _, r := range recipes {
			var sums []string
			var ps []any
			if m, ok := r["photo"].(map[string]any); ok {
				ps = append(ps, m)
			}
			ps = append(ps, r["photos"].([]any)...)
			var shapes []string
			for _, p := range ps {
				m := p.(map[string]any)
				sums = append(sums, fmt.Sprintf("%x", sha256.Sum256(files[fileOf[m["id"].(string)]])))
				shapes = append(shapes, fmt.Sprintf("%v/%v/%v", m["alt"], m["step"], len(m["variants"].([]any))))
			}
			for _, k := range []string{"id", "author", "updated_at", "likes", "saves", "rating", "comment_count", "photo", "photos"} {
				delete(r, k)
			}
			j, _ := json.Marshal(r)
			out[r["title"].(string)] = string(j) + "\nphotos " + strings.Join(shapes, " ") + "\nfiles " + strings.Join(sums, " ")
		}
		return out
	}
	before, after := summary(first), summary(second)
	if len(before) != 2 || !strings.Contains(before["Lemon Drizzle Cake"], "files ") || strings.Count(before["Lemon Drizzle Cake"], " ") < 4 {
		t.Fatalf("export of A %v", before)
	}
	if !reflect.DeepEqual(before, after) {
		for title := range before {
			if before[title] != after[title] {
				t.Errorf("%q after the round trip:\nA: %s\nB: %s", title, before[title], after[title])
			}
		}
	}
}
