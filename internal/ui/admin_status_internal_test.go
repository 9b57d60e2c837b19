package ui

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/admin"
)

// The job queue line renders every count, and its failure, in words;
// the app has no queue to show in the page tests.
func TestAdminStatusQueueLine(t *testing.T) {
	u, err := New(nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		queue *admin.QueueStatus
		want  string
	}{
		{&admin.QueueStatus{Health: "ok", Available: 3, Running: 2, Retrying: 1, FailedLastDay: 7},
			`<dd id="status-queue">3 waiting, 2 running, 1 to retry, 7 failed in the last 24 hours</dd>`},
		{&admin.QueueStatus{Health: "error"}, `<dd id="status-queue">error: could not be counted</dd>`},
		{nil, ""},
	} {
		rec := httptest.NewRecorder()
		st := admin.Status{Storage: "error", StorageDescription: "s3://bucket/files?endpoint=http%3A%2F%2Fminio%3A9000", Queue: c.queue}
		u.render(rec, httptest.NewRequest("GET", "/admin", nil), http.StatusOK, "admin", &page{Title: "Admin console", Data: adminView{Status: st}})
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, body)
		}
		if c.want != "" && !strings.Contains(body, c.want) {
			t.Errorf("queue %+v: no %s in the page", c.queue, c.want)
		}
		if c.queue == nil && (strings.Contains(body, "status-queue") || strings.Contains(body, "Job queue")) {
			t.Error("a queue line without a queue")
		}
		if !strings.Contains(body, `<dd id="status-storage">error <span class="mono">s3://bucket/files?endpoint=http%3A%2F%2Fminio%3A9000</span></dd>`) {
			t.Error("no storage line in the page")
		}
	}
}
