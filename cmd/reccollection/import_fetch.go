package main

import (
	"context"

	"github.com/reccollection/reccollection/internal/importer"
)

// fetchPage fetches a page for `import extract URL` through the importer's
// SSRF-safe fetcher, the one the server uses, and returns its body and the
// address it was finally read from. RECC_IMPORT_ALLOW_PRIVATE_HOSTS lets
// it reach a local test server, as it lets the server.
func fetchPage(ctx context.Context, env *environment, rawURL string) ([]byte, string, error) {
	cfg, err := env.config()
	if err != nil {
		return nil, "", err
	}
	p, err := importer.NewFetcher(importer.FetcherOptions{AllowPrivate: cfg.ImportAllowPrivateHosts}).Page(ctx, rawURL)
	if err != nil {
		return nil, "", err
	}
	return p.Body, p.URL, nil
}
