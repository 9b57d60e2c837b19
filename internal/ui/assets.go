package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/reccollection/reccollection/internal/httpx"
)

//go:embed static
var staticFiles embed.FS

// asset is one static file. Its body is the embedded bytes (part of the
// binary, not copied); its gzip form is made on the first request that
// accepts it and kept: the set is a few dozen kilobytes compressed, but
// compressing it all at start-up cost every process a BestCompression
// writer per file (about 1 MB each, 9 MB in all) of garbage that stayed
// in the idle server's memory, whether or not a CDN ever asked.
type asset struct {
	name        string // as templates ask for it: "app.css"
	hashedName  string // as URLs carry it: "app.3f2a91c0d4e5b6a7.css"
	contentType string
	body        []byte

	gzOnce sync.Once
	gz     []byte // nil when not text or when gzip would not be smaller
}

// gzipped is the gzip form of the asset's body, or nil when it has none.
func (as *asset) gzipped() []byte {
	if !isText(as.contentType) {
		return nil
	}
	as.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(as.body)
		_ = zw.Close()
		if buf.Len() < len(as.body) {
			as.gz = buf.Bytes()
		}
	})
	return as.gz
}

// Assets serves the embedded static files under content-hashed names, so
// that they can be cached for a year: a changed file gets a new URL.
type Assets struct {
	base     string // CDN prefix, or "" for this server
	byName   map[string]*asset
	byHashed map[string]*asset
}

// NewAssets loads and fingerprints every embedded static file. base is
// RECC_ASSET_BASE_URL: a CDN that fetches /static/ from this server.
func NewAssets(base string) (*Assets, error) {
	a := &Assets{base: strings.TrimRight(base, "/"), byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:8]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		as := &asset{name: name, hashedName: hashed, contentType: ct, body: body}
		a.byName[name] = as
		a.byHashed[hashed] = as
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	return a, nil
}

func isText(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") || strings.Contains(ct, "svg") || strings.Contains(ct, "json")
}

// URL is the public, fingerprinted URL of a static file. A name that does
// not exist is a programming error, caught when templates render in tests.
func (a *Assets) URL(name string) (string, error) {
	as, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no static asset %q", name)
	}
	return a.base + "/static/" + as.hashedName, nil
}

// ServeHTTP answers GET /static/{hashed name} with a year-long immutable
// cache lifetime, gzip when the client accepts it.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	as, ok := a.byHashed[r.PathValue("file")]
	if !ok {
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusNotFound, "No such file."))
		return
	}
	h := w.Header()
	h.Set("Content-Type", as.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Access-Control-Allow-Origin", "*") // a CDN on another origin serves fonts and scripts too
	body := as.body
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		if gz := as.gzipped(); gz != nil {
			h.Set("Content-Encoding", "gzip")
			body = gz
		}
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}
