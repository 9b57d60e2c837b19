package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Staging and production refuse to start on storage they cannot use, with
// a message naming the variable; development starts and says why uploads
// will fail.
func TestStartRefusesUnusableStorage(t *testing.T) {
	// Not parallel: S3 credentials are read from the process environment.
	s3 := testutil.S3(t)
	s3.Setenv(t)
	s3.Close() // unreachable from the start

	fileInTheWay := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(fileInTheWay, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, url, want string
	}{
		{"unreachable S3", s3.URL, "is not usable"},
		{"root is a file", "file://" + filepath.ToSlash(fileInTheWay), "RECC_STORAGE_URL"},
		{"unknown scheme", "gs://bucket/files", `scheme "gs"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := testutil.ProductionConfig(t, "sqlite")
			cfg.StorageURL = c.url
			a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err == nil {
				a.Close()
				t.Fatal("production started on unusable storage")
			}
			if !strings.Contains(err.Error(), "RECC_STORAGE_URL") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not name RECC_STORAGE_URL and %q", err, c.want)
			}
			if strings.Contains(err.Error(), s3.Getenv("AWS_SECRET_ACCESS_KEY")) {
				t.Errorf("error %q contains the secret key", err)
			}
		})
	}

	t.Run("development warns", func(t *testing.T) {
		cfg := testutil.Config(t, "sqlite")
		cfg.Env = config.Development
		cfg.StorageURL = s3.URL
		var log bytes.Buffer
		a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(&log, nil)))
		if err != nil {
			t.Fatalf("development refused to start: %v", err)
		}
		defer a.Close()
		if !strings.Contains(log.String(), "file storage is not usable") {
			t.Errorf("no warning in the log: %s", log.String())
		}
	})
}

// Without RECC_STORAGE_URL the files live under the data directory.
func TestDefaultStorageIsUnderDataDir(t *testing.T) {
	t.Parallel()
	cfg := testutil.Config(t, "sqlite")
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	want := "file://" + filepath.ToSlash(filepath.Join(cfg.DataDir, "files"))
	if got := a.Media().Describe(); got != want {
		t.Errorf("storage %q, want %q", got, want)
	}
	if st, err := os.Stat(filepath.Join(cfg.DataDir, "files")); err != nil || !st.IsDir() {
		t.Errorf("files directory: %v", err)
	}
}
