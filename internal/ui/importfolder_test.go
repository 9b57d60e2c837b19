package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/importer"
)

// TestArchiveFolderUpload: the archive page takes a folder of saved pages
// (several files in the one field) and imports it as one archive.
func TestArchiveFolderUpload(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	b := s.register(t, "mover")
	d := assertDocument(t, b.get(t, "/import/archive").want(t, http.StatusOK))
	if f := d.one(t, "input#folder"); f.get("name") != "file" || !f.has("webkitdirectory") || d.one(t, `label[for="folder"]`).textContent() == "" {
		t.Error("no labelled folder input in the form")
	}
	page := func(title string) []byte {
		return []byte(`<html><head><script type="application/ld+json">{"@type":"Recipe","name":"` + title +
			`","recipeIngredient":["1 egg"],"recipeInstructions":["Cook."]}</script></head></html>`)
	}
	// The folder input's two files, and the file input left empty (a
	// field with no name and nothing in it), as a browser sends them.
	res := b.postMultipart(t, "/import/archive", nil, upload{"file", "", nil}, upload{"file", "pages/omelette.html", page("Omelette")},
		upload{"file", "pages/frittata.html", page("Frittata")}).want(t, http.StatusSeeOther)
	id, ok := strings.CutPrefix(res.location(t), "/import/archive/")
	if !ok {
		t.Fatalf("after the upload: %q", res.location(t))
	}
	if err := s.App.Archives().RunArchive(context.Background(), importer.ArchiveJob{ImportID: id, UserID: s.userID(t, "mover")}); err != nil {
		t.Fatal(err)
	}
	d = assertDocument(t, b.get(t, "/import/archive/"+id).want(t, http.StatusOK))
	text := d.one(t, "main").textContent()
	if !strings.Contains(text, "2 files") || !strings.Contains(text, "Omelette") || !strings.Contains(text, "Frittata") || !strings.Contains(text, "2 saved") {
		t.Errorf("the folder's import reads %q", text)
	}
}
