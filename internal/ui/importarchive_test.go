package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/importer/archive/archivetest"
)

// TestArchiveImportPages: /import leads to the archive upload; the form
// is labelled and says which archives it reads and how to export them; a
// refused file comes back on the form with why; an accepted one leads to
// its progress page, which refreshes itself (a script, or a reload
// without one) while the import runs and then lists each recipe, with a
// link to each saved one and each failure's reason. Another person's
// import is not found, and a second upload while one waits is refused.
func TestArchiveImportPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		b := s.register(t, "mover")
		imp := b.get(t, "/import").want(t, http.StatusOK)
		link := imp.doc(t).first(`a[href="/import/archive"]`)
		if link == nil || !strings.Contains(imp.doc(t).one(t, "#move-heading").textContent(), "Move your recipes in") {
			t.Fatal("/import does not lead to the archive upload")
		}

		form := b.get(t, "/import/archive").want(t, http.StatusOK)
		d := assertDocument(t, form)
		f := d.one(t, `form[action="/import/archive"]`)
		if f.get("method") != "post" || f.get("enctype") != "multipart/form-data" {
			t.Errorf("form %q %q", f.get("method"), f.get("enctype"))
		}
		in := d.one(t, "input#file")
		if in.get("type") != "file" || in.get("name") != "file" || !strings.Contains(in.get("accept"), ".paprikarecipes") ||
			!strings.Contains(in.get("accept"), ".zip") {
			t.Errorf("file input %v", in.attrs)
		}
		if d.one(t, `label[for="file"]`).textContent() == "" {
			t.Error("the file input has no label")
		}
		help := d.one(t, ".archive-formats").textContent()
		for _, want := range []string{"Paprika", "File → Export", "Mealie", "Tandoor", "Import/Export", "RecCollection"} {
			if !strings.Contains(help, want) {
				t.Errorf("the help text does not say %q", want)
			}
		}

		// Not an archive: the form again, saying why, at the field.
		bad := b.postMultipart(t, "/import/archive", nil, upload{"file", "notes.txt", []byte("eggs, milk, flour")}).want(t, http.StatusUnprocessableEntity)
		d = assertDocument(t, bad)
		if sum := d.one(t, "#error-summary").textContent(); !strings.Contains(sum, "not a recipe archive") {
			t.Errorf("error summary %q", sum)
		}
		if d.one(t, "input#file").get("aria-invalid") != "true" || !strings.Contains(d.one(t, "#file-error").textContent(), "archive") {
			t.Error("the field does not carry the error")
		}
		// Sent without a file.
		b.postMultipart(t, "/import/archive", nil).want(t, http.StatusUnprocessableEntity)

		data := archivetest.Mealie(t, imagetest.Encoded(t, "webp", 16, 12), [2]string{"recipes/broken/broken.json", `{"name": [`})
		started := b.postMultipart(t, "/import/archive", nil, upload{"file", "mealie.zip", data}).want(t, http.StatusSeeOther)
		loc := started.location(t)
		id, ok := strings.CutPrefix(loc, "/import/archive/")
		if !ok {
			t.Fatalf("after the upload: %q", loc)
		}
		// One at a time.
		again := b.postMultipart(t, "/import/archive", nil, upload{"file", "mealie.zip", data}).want(t, http.StatusConflict)
		if !strings.Contains(assertDocument(t, again).one(t, "#error-summary").textContent(), "already") {
			t.Error("the second upload's refusal does not say why")
		}

		waiting := b.get(t, loc).want(t, http.StatusOK)
		d = assertDocument(t, waiting)
		sec := d.one(t, "#archive-progress")
		if sec.get("data-refresh") != id {
			t.Errorf("a running import's section refreshes %q", sec.get("data-refresh"))
		}
		if !strings.Contains(string(waiting.body), `<noscript><meta http-equiv="refresh" content="2"></noscript>`) {
			t.Error("no reload without scripts")
		}
		if bar := d.one(t, "progress#archive-bar"); bar.get("max") != "2" || bar.get("value") != "0" {
			t.Errorf("progress %v", bar.attrs)
		}
		if d.one(t, `label[for="archive-bar"]`) == nil || d.one(t, "#archive-status").get("role") != "status" {
			t.Error("the progress is not labelled, or its status is not a live region")
		}
		if got := d.one(t, "#archive-status").textContent(); !strings.Contains(got, "0 of 2") {
			t.Errorf("status %q", got)
		}
		if waiting.header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", waiting.header.Get("Cache-Control"))
		}
		if !strings.Contains(string(waiting.body), "/static/import.") {
			t.Error("no import.js")
		}

		other := s.register(t, "nosy")
		assertNotFoundPage(t, other.get(t, loc))

		// The job, as the queue runs it.
		if err := s.App.Archives().RunArchive(context.Background(), importer.ArchiveJob{ImportID: id, UserID: s.userID(t, "mover")}); err != nil {
			t.Fatal(err)
		}
		done := b.get(t, loc).want(t, http.StatusOK)
		d = assertDocument(t, done)
		if h := d.one(t, "h1").textContent(); h != "Your recipes are in" {
			t.Errorf("heading %q", h)
		}
		if d.one(t, "#archive-progress").has("data-refresh") || strings.Contains(string(done.body), "http-equiv=\"refresh\"") {
			t.Error("a finished import still refreshes")
		}
		if got := d.one(t, "#archive-status").textContent(); !strings.Contains(got, "2 of 2") || !strings.Contains(got, "1 saved") || !strings.Contains(got, "1 failed") {
			t.Errorf("status %q", got)
		}
		rows := d.all("table.bulk-items tbody tr")
		if len(rows) != 2 {
			t.Fatalf("%d rows", len(rows))
		}
		saved := rows[0].first(`a[href^="/recipes/"]`)
		if saved == nil || saved.textContent() != "Pancakes" || !strings.Contains(rows[0].textContent(), "Saved, with 1 photo.") {
			t.Errorf("saved row %q", rows[0].textContent())
		}
		if !strings.Contains(rows[1].textContent(), "Failed:") || !strings.Contains(rows[1].textContent(), "broken.json") {
			t.Errorf("failed row %q", rows[1].textContent())
		}
		b.get(t, saved.get("href")).want(t, http.StatusOK)

		// The form lists the import.
		d = b.get(t, "/import/archive").want(t, http.StatusOK).doc(t)
		if item := d.one(t, ".archive-recent li"); !strings.Contains(item.textContent(), "mealie.zip") || item.first(`a[href="`+loc+`"]`) == nil {
			t.Errorf("recent imports %q", item.textContent())
		}
	})
}
