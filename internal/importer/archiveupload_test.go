package importer_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/importer/archive"
	"github.com/reccollection/reccollection/internal/importer/archive/archivetest"
	"github.com/reccollection/reccollection/internal/recipe"
)

// TestFolderUpload: the files of a folder of saved pages, sent together,
// import as a zip of that folder would; one file is taken as the archive
// it is.
func TestFolderUpload(t *testing.T) {
	ctx := context.Background()
	in := newInstance(t, "sqlite", nil)
	cook := in.user(t, "cook")
	page := func(title, image string) []byte {
		return []byte(`<!doctype html><html><head><title>` + title + `</title><script type="application/ld+json">{"@context":"https://schema.org","@type":"Recipe",` +
			`"name":"` + title + `","image":"` + image + `","recipeIngredient":["2 eggs","100 g flour"],"recipeInstructions":["Mix.","Bake."]}</script></head><body></body></html>`)
	}
	files := []struct {
		name string
		data []byte
	}{
		{"saved/soup.html", page("Soup", "soup.jpg")},
		{"saved/soup.jpg", imagetest.Encoded(t, "jpeg", 200, 150)},
		{"saved/../cake.html", page("Cake", "")},
		{"saved/soup.html", page("Soup Again", "")}, // the same name twice is kept twice
	}
	up, err := in.archives.NewUpload(ctx, cook)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	for _, f := range files {
		if err := up.Add(f.name, bytes.NewReader(f.data)); err != nil {
			t.Fatal(err)
		}
	}
	imp, err := up.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in.runJobs(t)
	if imp, err = in.archives.Get(ctx, cook, imp.ID); err != nil {
		t.Fatal(err)
	}
	if imp.Format != string(archive.SchemaOrg) || imp.FileName != "4 files" || imp.Total != 3 || imp.Saved != 3 {
		t.Fatalf("folder import %+v", imp)
	}
	byTitle := map[string]*recipe.Recipe{}
	for _, r := range imp.Results {
		byTitle[r.Title] = in.recipeOf(t, r.RecipeID)
	}
	if s := byTitle["Soup"]; s == nil || s.Photo == nil || s.Photo.Width != 200 || len(s.Ingredients) != 2 {
		t.Errorf("soup %+v", s)
	}
	if byTitle["Cake"] == nil || byTitle["Soup Again"] == nil {
		t.Errorf("recipes %v", imp.Results)
	}

	// One file is the archive itself.
	up2, err := in.archives.NewUpload(ctx, cook)
	if err != nil {
		t.Fatal(err)
	}
	defer up2.Close()
	if err := up2.Add("My Recipes.paprikarecipes", bytes.NewReader(archivetest.Paprika(t, imagetest.Encoded(t, "jpeg", 64, 48), imagetest.Encoded(t, "png", 32, 24)))); err != nil {
		t.Fatal(err)
	}
	imp, err = up2.Start(ctx)
	if err != nil || imp.Format != string(archive.Paprika) || imp.FileName != "My Recipes.paprikarecipes" || imp.Total != 3 {
		t.Fatalf("single file: %+v, %v", imp, err)
	}
	in.runJobs(t)

	// Nothing sent; and a second import while one is under way.
	up3, err := in.archives.NewUpload(ctx, cook)
	if err != nil {
		t.Fatal(err)
	}
	defer up3.Close()
	if _, err := up3.Start(ctx); !errors.Is(err, importer.ErrArchiveMissing) {
		t.Errorf("an empty upload: %v", err)
	}
}
