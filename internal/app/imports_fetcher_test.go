package app

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/importer/extract"
)

// netFetcher is a plain HTTP fetcher the app tests import through: their
// recipe sites listen on loopback, and it maps answers to the importer's
// errors as the importer's own fetcher does.
type netFetcher struct{ client *http.Client }

func (f netFetcher) get(ctx context.Context, raw string, limit int64) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", importer.ErrInvalidURL, err)
	}
	c := f.client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", importer.ErrUnreachable, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == 404 || resp.StatusCode == 410:
		return nil, nil, importer.ErrPageNotFound
	case resp.StatusCode == 401 || resp.StatusCode == 403 || resp.StatusCode == 429:
		return nil, nil, importer.ErrBlocked
	case resp.StatusCode >= 300:
		return nil, nil, fmt.Errorf("%w: %s", importer.ErrUpstream, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", importer.ErrUnreachable, err)
	}
	if int64(len(body)) > limit {
		return nil, nil, importer.ErrTooLarge
	}
	return resp, body, nil
}

func (f netFetcher) Page(ctx context.Context, raw string) (*importer.Page, error) {
	resp, body, err := f.get(ctx, raw, extract.MaxHTML)
	if err != nil {
		return nil, err
	}
	ct := resp.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); mt != "text/html" {
		return nil, importer.ErrNotHTML
	}
	return &importer.Page{URL: resp.Request.URL.String(), ContentType: ct, Body: body}, nil
}

func (f netFetcher) Image(ctx context.Context, raw string) ([]byte, string, error) {
	resp, body, err := f.get(ctx, raw, 20<<20)
	if err != nil {
		return nil, "", err
	}
	ct := resp.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "image/") {
		return nil, "", importer.ErrNotHTML
	}
	return body, ct, nil
}

var _ importer.PageFetcher = netFetcher{}

func init() {
	newImportFetcher = func(*config.Config) importer.PageFetcher { return netFetcher{} }
}
