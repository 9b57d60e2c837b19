package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

	"github.com/klauspost/compress/gzip"

	"github.com/reccollection/reccollection/internal/httpx"
)

// Pages for visitors without an account, drawn once per content and kept.
//
// A public page seen by nobody in particular (no account, no flash
// message) is a function of its page data alone: the same data always
// draws the same bytes. So the drawn page is kept, keyed by its
// template's name and a hash of its data as JSON (fragments.go keys by
// the JSON itself), with its ETag and its gzip encoding. The data is
// still read from the database for every request, so nothing is ever
// stale: a changed recipe, count or photo is a new key. What is saved is the
// drawing (html/template), the hashing for the ETag and the compression,
// about half of a browse page's CPU and a third of a recipe page's.
//
// The key's JSON must see everything the page is drawn from, so a kept
// page's data is plain exported fields (TestPageMemoDataIsPlain).

// The memo's two generations (see fragmentCache) each hold at most
// pageMemoEntries pages or pageMemoBytes of keys, pages and their gzip
// encodings, whichever comes first: 16 MiB in all, nothing at idle. A
// recipe page with its key is about 20 kB, so a thousand fit: more than
// a site's popular pages, and a working set smaller than the memo is
// what keeps it useful (cycling through more pages than it holds would
// only ever miss). Pages over pageMemoMaxBody are not kept.
const (
	pageMemoEntries = 1024
	pageMemoBytes   = 8 << 20
	pageMemoMaxBody = 128 << 10
)

type drawnPage struct {
	etag string
	body []byte
	gz   []byte // body gzipped once, at the middleware's level
}

func (d *drawnPage) size(key string) int { return len(key) + len(d.body) + len(d.gz) }

type pageMemo struct {
	mu       sync.Mutex
	cur, old map[string]*drawnPage
	curBytes int
}

var memoGzip = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// memoKey is the key of page p drawn from template name, or "" when the
// page is not one to keep.
func memoKey(name string, status int, p *page) string {
	if status != http.StatusOK || !p.Public || p.User != nil || p.Flash != "" {
		return ""
	}
	// The JSON is hashed as it is written rather than kept: a browse
	// page's data is 30 kB of it, which as the key itself was as much
	// garbage per request and as much memory per kept page.
	h := sha256.New()
	if err := json.NewEncoder(h).Encode(p); err != nil {
		return ""
	}
	return name + "\x00" + string(h.Sum(nil))
}

func (m *pageMemo) get(key string) *drawnPage {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d, ok := m.cur[key]; ok {
		return d
	}
	d, ok := m.old[key]
	if ok {
		m.putLocked(key, d)
	}
	return d
}

// keep stores a copy of a freshly drawn page under key.
func (m *pageMemo) keep(key, etag string, body []byte) {
	if key == "" || len(body) > pageMemoMaxBody {
		return
	}
	var gz bytes.Buffer
	zw := memoGzip.Get().(*gzip.Writer)
	defer memoGzip.Put(zw)
	zw.Reset(&gz)
	_, _ = zw.Write(body)
	if zw.Close() != nil {
		return
	}
	d := &drawnPage{etag: etag, body: bytes.Clone(body), gz: gz.Bytes()}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.putLocked(key, d)
}

func (m *pageMemo) putLocked(key string, d *drawnPage) {
	if len(m.cur) >= pageMemoEntries || m.curBytes+d.size(key) > pageMemoBytes {
		m.old, m.cur, m.curBytes = m.cur, nil, 0
	}
	if m.cur == nil {
		m.cur = map[string]*drawnPage{}
	}
	if _, ok := m.cur[key]; !ok {
		m.curBytes += d.size(key)
	}
	m.cur[key] = d
}

// send answers with a kept page, already compressed for a client that
// takes gzip (the Gzip middleware passes an encoded answer through).
func (d *drawnPage) send(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	body, etag := d.body, d.etag
	if httpx.AcceptsGzip(r) && r.Method != http.MethodHead {
		body, etag = d.gz, httpx.GzipETag(d.etag)
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	if httpx.ETagMatches(r.Header.Get("If-None-Match"), d.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
