package testutil

import (
	"context"
	"net/url"
	"strings"

	"github.com/reccollection/reccollection/internal/importer"
)

// FetchVia is an importer fetcher that reaches every host on one test
// server: https://host/path is asked of base as /host/path, and the
// address an answer came from is mapped back. Tests of the social post
// importer use it to answer as Instagram or YouTube would, at their real
// addresses, while the fetcher (f) itself stays the real one.
func FetchVia(f *importer.Fetcher, base string) importer.PageFetcher {
	return fetchVia{f: f, base: strings.TrimSuffix(base, "/")}
}

type fetchVia struct {
	f    *importer.Fetcher
	base string
}

func (v fetchVia) to(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return v.base + "/" + u.Host + u.RequestURI()
}

func (v fetchVia) back(got string) string {
	rest, ok := strings.CutPrefix(got, v.base+"/")
	if !ok {
		return got
	}
	host, path, _ := strings.Cut(rest, "/")
	return "https://" + host + "/" + path
}

func (v fetchVia) Page(ctx context.Context, raw string) (*importer.Page, error) {
	p, err := v.f.Page(ctx, v.to(raw))
	if p != nil {
		p.URL = v.back(p.URL)
	}
	return p, err
}

func (v fetchVia) Image(ctx context.Context, raw string) ([]byte, string, error) {
	return v.f.Image(ctx, v.to(raw))
}
