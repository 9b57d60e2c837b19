package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/importer/archive/archivetest"
)

// TestImportArchiveProgress moves a Paprika collection in at a phone's
// size: from /import to the upload form, a file chosen and sent, and the
// progress page following the job queue in place (import.js) until every
// recipe is listed with a link to it.
func TestImportArchiveProgress(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := startImportServer(t)
	file := filepath.Join(t.TempDir(), "My Recipes.paprikarecipes")
	data := archivetest.Paprika(t, imagetest.Encoded(t, "jpeg", 640, 480), imagetest.Encoded(t, "png", 320, 240))
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	b := newTab(t, srv.URL, phone)
	b.open("/register", 200)
	register(b, newAccount("Mo", phone))
	b.open("/import", 200)
	b.follow(link("upload the archive"), 200)
	b.checkPage("archive upload")
	b.noSidewaysScroll("archive upload")
	b.shot("archive-form")
	b.chooseFiles("#file", file)
	b.follow(button("Upload and import"), 200)
	if !strings.HasPrefix(b.path(), "/import/archive/") {
		b.fatalf("after the upload, at %s", b.path())
	}
	b.checkPage("archive progress")
	b.mark()
	b.waitJS("the import to finish", `document.querySelector('h1')?.textContent.trim() === 'Your recipes are in'`)
	if !evalJS[bool](b, `window.__reccMark === true`) {
		b.errorf("the page reloaded instead of updating in place")
	}
	rows := b.texts("table.bulk-items tbody tr")
	if len(rows) != 3 || !strings.Contains(rows[0], "Saved, with 2 photos") {
		b.errorf("rows %q", rows)
	}
	if v := evalJS[string](b, `String(document.getElementById('archive-bar').value)`); v != "3" {
		b.errorf("progress value %s, want 3", v)
	}
	b.noSidewaysScroll("archive progress")
	b.shot("archive-done")
	b.follow(link("Shakshuka"), 200)
	if h := b.text(css("h1")); h != "Shakshuka" {
		b.errorf("the saved recipe's heading %q", h)
	}
}
