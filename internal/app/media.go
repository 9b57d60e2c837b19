package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/reccollection/reccollection/internal/media"
)

// storageCheckTimeout bounds the start-up check of the storage, which on
// S3 is three requests with the client's own retries.
const storageCheckTimeout = 15 * time.Second

// openMedia opens RECC_STORAGE_URL and proves it works. Staging and
// production refuse to start without working storage, so a bad deploy
// fails its rollout instead of losing uploads; development only warns,
// since most work there never touches a file.
func (a *App) openMedia(ctx context.Context) error {
	// Credentials (AWS_ACCESS_KEY_ID, …) come from the environment, like
	// every other AWS tool's.
	m, err := media.Open(ctx, a.cfg.StorageURL, os.Getenv)
	if err != nil {
		return fmt.Errorf("RECC_STORAGE_URL: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, storageCheckTimeout)
	defer cancel()
	if err := m.Check(cctx); err != nil {
		if !a.cfg.IsDevelopment() {
			return fmt.Errorf("RECC_STORAGE_URL: %s is not usable: %w", m.Describe(), err)
		}
		a.log.Warn("file storage is not usable; uploads will fail until it is", "storage", m.Describe(), "err", err)
	}
	a.media = m
	a.status.Storage = m
	return nil
}

// Media is the store for user files.
func (a *App) Media() media.Store { return a.media }
