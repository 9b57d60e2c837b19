package media

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Open returns the store rawURL names: file:///absolute/path (the
// directory is created if missing) or s3://bucket/prefix?endpoint=…&region=…
// with credentials read through getenv. It checks the form only; Check
// proves the store works.
func Open(ctx context.Context, rawURL string, getenv func(string) string) (Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error repeats the whole URL; its reason is enough.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("storage URL: %w; want file:///absolute/path or s3://bucket/prefix", err)
	}
	switch u.Scheme {
	case "file":
		if u.Opaque != "" || (u.Host != "" && u.Host != "localhost") || !strings.HasPrefix(u.Path, "/") {
			return nil, errors.New("file storage URL needs an absolute path and three slashes, e.g. file:///var/lib/reccollection/files")
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return nil, errors.New("file storage URL takes no user, query or fragment")
		}
		return NewFile(u.Path)
	case "s3":
		if getenv == nil {
			getenv = func(string) string { return "" }
		}
		return s3FromURL(u, getenv)
	case "":
		return nil, errors.New("storage URL has no scheme; want file:///absolute/path or s3://bucket/prefix")
	default:
		return nil, fmt.Errorf("storage URL scheme %q is not supported; want file or s3", u.Scheme)
	}
}
