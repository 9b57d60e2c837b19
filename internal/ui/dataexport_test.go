package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDataExportPage: Settings links to "Your data"; asking for an export
// lands back there with it waiting and the list marked to poll itself;
// once the job has built it, the page offers the zip, which downloads as
// an attachment to its owner and is not found for anyone else. Asking
// again while one waits is refused with the reason on the page.
func TestDataExportPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		ann := s.register(t, "ann")
		bob := s.register(t, "bob")
		d := assertDocument(t, ann.get(t, "/settings").want(t, http.StatusOK))
		if d.first(`a[href="/settings/export"]`) == nil {
			t.Fatal("no link to Your data on the settings page")
		}
		d = assertDocument(t, ann.get(t, "/settings/export").want(t, http.StatusOK))
		if d.first(`form[action="/settings/export"] button`) == nil || d.first("#export-list[data-poll]") != nil {
			t.Fatal("no export button, or a list polling with nothing to wait for")
		}

		r := ann.post(t, "/settings/export", url.Values{}).want(t, http.StatusSeeOther)
		page := ann.follow(t, r).want(t, http.StatusOK)
		if f := flash(t, page); !strings.HasPrefix(f, "Your export is being made.") {
			t.Errorf("flash %q", f)
		}
		d = assertDocument(t, page)
		list := d.first("#export-list[data-poll]")
		if list == nil || !strings.Contains(list.textContent(), "waiting to be made") {
			t.Fatal("the waiting export is not shown, or the list does not poll")
		}
		again := ann.post(t, "/settings/export", url.Values{}).want(t, http.StatusConflict)
		if !strings.Contains(again.String(), "already being made") {
			t.Error("a second request while one waits does not say why it was refused")
		}

		exports, err := s.App.Exports().List(context.Background(), s.userID(t, "ann"))
		if err != nil || len(exports) != 1 {
			t.Fatalf("exports %v, %v", exports, err)
		}
		if err := s.App.Exports().Build(context.Background(), exports[0].ID); err != nil {
			t.Fatal(err)
		}
		d = assertDocument(t, ann.get(t, "/settings/export").want(t, http.StatusOK))
		link := d.first(`#export-list a[download]`)
		if link == nil || d.first("#export-list[data-poll]") != nil || !strings.Contains(d.first("#export-list").textContent(), "ready") {
			t.Fatal("the finished export offers no download, or the list still polls")
		}
		z := ann.get(t, link.get("href")).want(t, http.StatusOK)
		if z.header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(z.header.Get("Content-Disposition"), "attachment;") ||
			!strings.HasPrefix(z.String(), "PK") {
			t.Errorf("download: %v, %d bytes", z.header, len(z.body))
		}
		bob.get(t, link.get("href")).want(t, http.StatusNotFound)
	})
}
