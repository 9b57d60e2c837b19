package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/testutil"
)

type exportAnswer struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Size        int64  `json:"size"`
	DownloadURL string `json:"download_url"`
}

// waitExport polls an export until it is no longer queued or running.
func waitExport(t *testing.T, base, token, id string) exportAnswer {
	t.Helper()
	deadline := time.Now().Add(testutil.Scaled(60 * time.Second))
	for {
		var e exportAnswer
		if err := json.Unmarshal(phWant(t, phDo(t, "GET", base+"/api/v1/me/exports/"+id, token, nil), http.StatusOK, "export").body, &e); err != nil {
			t.Fatal(err)
		}
		if e.Status != "queued" && e.Status != "running" {
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("export %s still %s", id, e.Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDataExport: a cook asks for their data. The zip, made by the job,
// holds their profile, every recipe of theirs (the private one too) in
// the app's form and as schema.org JSON-LD whose images are photo files
// inside the zip, their photos, their likes and saves, their collection
// in order, their comment and their follows — but not another cook's recipe that has since
// gone private, neither as a like nor in the collection. Only
// its owner can download it, a second request while one is waiting is
// refused, the fourth in a day is 429, and once it expires the download
// is gone and the sweep deletes its blob.
func TestDataExport(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServing(t, engine, nil)
			base := srv.URL
			cook := phRegister(t, base, "exporter")
			other := phRegister(t, base, "neighbour")

			soup := phCreateRecipe(t, base, cook, "Tomato soup", "public", 2)
			phCreateRecipe(t, base, cook, "Secret sauce", "private", 1)
			photo := phUpload(t, "PUT", base+"/api/v1/recipes/"+soup+"/photo", cook, imagetest.Encoded(t, "jpeg", 640, 480), map[string]string{"alt": "Soup"}, http.StatusOK)
			phReady(t, base, cook, soup)
			bread := phCreateRecipe(t, base, other, "Neighbour's bread", "public", 1)
			hidden := phCreateRecipe(t, base, other, "Neighbour's pie", "public", 1)
			for _, id := range []string{bread, hidden} {
				phWant(t, phDo(t, "PUT", base+"/api/v1/recipes/"+id+"/like", cook, nil), http.StatusOK, "like")
			}
			phWant(t, phDo(t, "PUT", base+"/api/v1/recipes/"+bread+"/save", cook, nil), http.StatusOK, "save")

			var coll struct{ ID string }
			mustJSON(t, phWant(t, phJSON(t, "POST", base+"/api/v1/collections", cook, map[string]string{"name": "Weeknights", "visibility": "private"}),
				http.StatusCreated, "collection").body, &coll)
			for _, id := range []string{bread, soup, hidden} {
				phWant(t, phJSON(t, "POST", base+"/api/v1/collections/"+coll.ID+"/recipes", cook, map[string]string{"recipe_id": id}), http.StatusCreated, "collect")
			}
			phWant(t, phJSON(t, "PATCH", base+"/api/v1/recipes/"+hidden, other, map[string]string{"visibility": "private"}), http.StatusOK, "hide")

			phWant(t, phJSON(t, "POST", base+"/api/v1/recipes/"+bread+"/comments", cook, map[string]string{"body": "Lovely crust."}), http.StatusCreated, "comment")
			phWant(t, phDo(t, "PUT", base+"/api/v1/users/neighbour/follow", cook, nil), http.StatusOK, "follow")
			phWant(t, phDo(t, "PUT", base+"/api/v1/users/exporter/follow", other, nil), http.StatusOK, "followed")

			a := phWant(t, phDo(t, "POST", base+"/api/v1/me/exports", cook, nil), http.StatusAccepted, "request")
			var e exportAnswer
			if err := json.Unmarshal(a.body, &e); err != nil || e.Status != "queued" || a.header.Get("Location") != "/api/v1/me/exports/"+e.ID {
				t.Fatalf("request answer %s (%v), Location %q", a.body, err, a.header.Get("Location"))
			}
			e = waitExport(t, base, cook, e.ID)
			if e.Status != "ready" || e.DownloadURL == "" {
				t.Fatalf("export finished as %+v", e)
			}
			phWant(t, phDo(t, "GET", base+e.DownloadURL, other, nil), http.StatusNotFound, "another's download")
			phWant(t, phDo(t, "GET", base+"/api/v1/me/exports/"+e.ID, other, nil), http.StatusNotFound, "another's export")
			d := phWant(t, phDo(t, "GET", base+e.DownloadURL, cook, nil), http.StatusOK, "download")
			if d.header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(d.header.Get("Content-Disposition"), `attachment; filename="reccollection-exporter-`) ||
				int64(len(d.body)) != e.Size {
				t.Errorf("download: %d bytes (size %d), headers %v", len(d.body), e.Size, d.header)
			}

			files := unzip(t, d.body)
			var profile struct{ Username, Email string }
			mustJSON(t, files["profile.json"], &profile)
			if profile.Username != "exporter" || profile.Email != "exporter@example.test" {
				t.Errorf("profile.json %s", files["profile.json"])
			}
			var recipes []struct{ ID, Title, Visibility string }
			mustJSON(t, files["recipes.json"], &recipes)
			var titles []string
			for _, r := range recipes {
				titles = append(titles, r.Title+"/"+r.Visibility)
			}
			slices.Sort(titles)
			if want := []string{"Secret sauce/private", "Tomato soup/public"}; !slices.Equal(titles, want) {
				t.Errorf("recipes.json holds %v, want %v", titles, want)
			}
			var ld struct {
				Type  string   `json:"@type"`
				Name  string   `json:"name"`
				Image []string `json:"image"`
				Ings  []string `json:"recipeIngredient"`
			}
			mustJSON(t, files["recipes/tomato-soup.json"], &ld)
			if ld.Type != "Recipe" || ld.Name != "Tomato soup" || len(ld.Ings) != 1 || !slices.Equal(ld.Image, []string{"photos/" + photo.ID + ".jpg"}) {
				t.Errorf("recipes/tomato-soup.json: %+v", ld)
			}
			if _, ok := files["recipes/secret-sauce.json"]; !ok {
				t.Error("no JSON-LD of the private recipe")
			}
			if jpg := files["photos/"+photo.ID+".jpg"]; len(jpg) < 100 || !bytes.HasPrefix(jpg, []byte{0xFF, 0xD8}) {
				t.Errorf("the photo in the zip is %d bytes, not a JPEG", len(jpg))
			}
			var marks []struct{ Kind, Title string }
			mustJSON(t, files["likes-saves-ratings.json"], &marks)
			var got []string
			for _, m := range marks {
				got = append(got, m.Kind+" "+m.Title)
			}
			if want := []string{"like Neighbour's bread", "save Neighbour's bread"}; !slices.Equal(got, want) {
				t.Errorf("marks %v, want %v (a recipe gone private is left out)", got, want)
			}
			var colls []struct {
				Name    string
				Recipes []struct {
					Position int
					Title    string
				}
			}
			mustJSON(t, files["collections.json"], &colls)
			if len(colls) != 1 || colls[0].Name != "Weeknights" || len(colls[0].Recipes) != 2 ||
				colls[0].Recipes[0].Title != "Neighbour's bread" || colls[0].Recipes[1].Title != "Tomato soup" || colls[0].Recipes[1].Position != 2 {
				t.Errorf("collections.json: %s (the pie gone private is left out)", files["collections.json"])
			}
			var comments []struct {
				Body        string
				RecipeTitle string `json:"recipe_title"`
			}
			mustJSON(t, files["comments.json"], &comments)
			if len(comments) != 1 || comments[0].Body != "Lovely crust." || comments[0].RecipeTitle != "Neighbour's bread" {
				t.Errorf("comments.json: %s", files["comments.json"])
			}
			var follows struct{ Following, Followers []struct{ Username string } }
			mustJSON(t, files["follows.json"], &follows)
			if len(follows.Following) != 1 || follows.Following[0].Username != "neighbour" || len(follows.Followers) != 1 || follows.Followers[0].Username != "neighbour" {
				t.Errorf("follows.json: %s", files["follows.json"])
			}
			if !strings.Contains(string(files["README.txt"]), "@exporter") {
				t.Errorf("README.txt: %s", files["README.txt"])
			}

			// Limits: three in a day; a second one waiting is refused.
			phWant(t, phDo(t, "POST", base+"/api/v1/me/exports", cook, nil), http.StatusAccepted, "second")
			phWant(t, phDo(t, "POST", base+"/api/v1/me/exports", cook, nil), http.StatusConflict, "while one waits")
			var list struct{ Items []exportAnswer }
			mustJSON(t, phDo(t, "GET", base+"/api/v1/me/exports", cook, nil).body, &list)
			waitExport(t, base, cook, list.Items[0].ID)
			phWant(t, phDo(t, "POST", base+"/api/v1/me/exports", cook, nil), http.StatusAccepted, "third")
			mustJSON(t, phDo(t, "GET", base+"/api/v1/me/exports", cook, nil).body, &list)
			waitExport(t, base, cook, list.Items[0].ID)
			phWant(t, phDo(t, "POST", base+"/api/v1/me/exports", cook, nil), http.StatusTooManyRequests, "fourth in a day")

			// Eight days on: gone from the list and the download, then
			// from storage.
			srv.App.Exports().SetClock(func() time.Time { return time.Now().Add(8 * 24 * time.Hour) })
			phWant(t, phDo(t, "GET", base+e.DownloadURL, cook, nil), http.StatusNotFound, "expired download")
			mustJSON(t, phDo(t, "GET", base+"/api/v1/me/exports", cook, nil).body, &list)
			if len(list.Items) != 0 {
				t.Errorf("expired exports listed: %+v", list.Items)
			}
			n, err := srv.App.Exports().Sweep(context.Background())
			if err != nil || n != 3 {
				t.Errorf("sweep deleted %d (%v), want the 3 zips", n, err)
			}
			if keys := phBlobs(t, srv.App.Media(), "exports/"); len(keys) != 0 {
				t.Errorf("blobs left after the sweep: %v", keys)
			}
		})
	}
}

// TestExportSweepDeletesStrayZips: zips no export row names (a crash
// between writing one and recording it) are left alone while a job may
// still record them, and deleted once they are hours old.
func TestExportSweepDeletesStrayZips(t *testing.T) {
	srv := testutil.StartServing(t, "sqlite", nil)
	m := srv.App.Media()
	ctx := context.Background()
	for _, k := range []string{"exports/stray.zip", "exports/other.zip"} {
		if err := m.Put(ctx, k, strings.NewReader("PK"), 2, "application/zip"); err != nil {
			t.Fatal(err)
		}
	}
	svc := srv.App.Exports()
	svc.SetClock(func() time.Time { return time.Now().Add(time.Hour) })
	if n, err := svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep an hour on: %d, %v; want nothing deleted", n, err)
	}
	svc.SetClock(func() time.Time { return time.Now().Add(7 * time.Hour) })
	if n, err := svc.Sweep(ctx); err != nil || n != 2 {
		t.Fatalf("sweep seven hours on: %d, %v; want both strays deleted", n, err)
	}
	if _, err := m.Stat(ctx, "exports/stray.zip"); !errors.Is(err, media.ErrNotFound) {
		t.Errorf("stray zip: %v", err)
	}
}

func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v in %.300s", err, b)
	}
}
