package admin_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/reccollection/reccollection/internal/admin"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/testutil"
)

type queueStub struct {
	st  admin.QueueStatus
	err error
}

func (q queueStub) QueueStatus(context.Context) (admin.QueueStatus, error) { return q.st, q.err }

// hungStore is storage whose every check hangs until it is given up on.
type hungStore struct{ media.Store }

func (hungStore) Check(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
func (hungStore) Describe() string                { return "s3://hung" }

func newService(t *testing.T, engine string, src *admin.StatusSources) *admin.Service {
	t.Helper()
	return admin.New(testutil.OpenStore(t, engine), nil, "test", slog.New(slog.NewTextHandler(io.Discard, nil))).WithStatusSources(src)
}

func TestSystemStatusStorageAndQueue(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			files, err := media.NewFile(filepath.Join(t.TempDir(), "files"))
			if err != nil {
				t.Fatal(err)
			}

			st := newService(t, engine, nil).SystemStatus(ctx)
			if st.Database != "ok" || st.Storage != "none" || st.StorageDescription != "" || st.Queue != nil {
				t.Errorf("without sources: %+v", st)
			}

			counts := admin.QueueStatus{Available: 4, Running: 1, Retrying: 2, FailedLastDay: 3}
			st = newService(t, engine, &admin.StatusSources{Storage: files, Queue: queueStub{st: counts}}).SystemStatus(ctx)
			counts.Health = "ok"
			if st.Storage != "ok" || st.StorageDescription != files.Describe() || st.Queue == nil || *st.Queue != counts {
				t.Errorf("with working sources: %+v, queue %+v", st, st.Queue)
			}

			st = newService(t, engine, &admin.StatusSources{Storage: files, Queue: queueStub{st: counts, err: errors.New("no river tables")}}).SystemStatus(ctx)
			if st.Queue == nil || *st.Queue != (admin.QueueStatus{Health: "error"}) {
				t.Errorf("with a failing queue: %+v", st.Queue)
			}

			root := filepath.Join(t.TempDir(), "gone")
			broken, err := media.NewFile(root)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.RemoveAll(root); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(root, []byte("a file"), 0o600); err != nil {
				t.Fatal(err)
			}
			st = newService(t, engine, &admin.StatusSources{Storage: broken}).SystemStatus(ctx)
			if st.Storage != "error" || st.Database != "ok" {
				t.Errorf("with broken storage: %+v", st)
			}
		})
	}
}

// Storage that never answers costs the status its time budget, not the
// database line, and the status still comes back.
func TestSystemStatusHungStorage(t *testing.T) {
	t.Parallel()
	st := newService(t, "sqlite", &admin.StatusSources{Storage: hungStore{}}).SystemStatus(context.Background())
	if st.Storage != "error" || st.StorageDescription != "s3://hung" || st.Database != "ok" || st.SchemaTarget == 0 {
		t.Errorf("with hung storage: %+v", st)
	}
}
