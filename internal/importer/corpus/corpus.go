// Package corpus scores a recipe extractor against a corpus of saved
// recipe pages, each beside the values a careful extraction gives (the
// layout of shared/import-corpus: <host>/<name>.html beside
// <host>/<name>.json, in a folder or a .tar.gz). The scoring rules are
// the corpus's own; see Score.
//
// Hosts are split for honest measurement: a stable hash puts about a
// quarter of the sites in a held-out subset that is only ever scored,
// never studied, so the report shows whether rules tuned on the other
// sites carry over to sites nobody looked at.
package corpus

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Page is one saved page and what should be extracted from it.
type Page struct {
	Host string // the folder name: the site
	Name string // the file name without extension
	HTML []byte
	Want Expected

	haveJSON bool
}

// HeldOut reports whether the page's site is in the held-out subset.
func (p *Page) HeldOut() bool { return IsHeldOut(p.Host) }

// IsHeldOut assigns a site to the held-out subset (about one in four) by
// an FNV-1a hash of its host name: stable across runs and machines, and
// independent of which pages the corpus holds.
func IsHeldOut(host string) bool {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(host)))
	return h.Sum32()%4 == 0
}

// Expected holds the scored keys of a page's JSON; a key the JSON lacks
// (or gives as null) is nil and not scored.
type Expected struct {
	Title        *string   `json:"title"`
	Ingredients  []string  `json:"ingredients"`
	Instructions []string  `json:"instructions_list"`
	Yields       *flexText `json:"yields"`
	TotalTime    *flexText `json:"total_time"`
	Image        *string   `json:"image"`
	CanonicalURL string    `json:"canonical_url"`

	hasIngredients, hasInstructions bool
}

// flexText is a JSON value given as a string or a number.
type flexText string

func (f *flexText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexText(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("neither a string nor a number: %s", b)
	}
	*f = flexText(n.String())
	return nil
}

func parseExpected(b []byte) (Expected, error) {
	var e Expected
	if err := json.Unmarshal(b, &e); err != nil {
		return e, err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return e, err
	}
	e.hasIngredients = keys["ingredients"] != nil && string(keys["ingredients"]) != "null"
	e.hasInstructions = keys["instructions_list"] != nil && string(keys["instructions_list"]) != "null"
	return e, nil
}

// maxPageBytes bounds one file read from a corpus.
const maxPageBytes = 32 << 20

// Walk calls fn for each complete page (HTML and JSON both present) of
// the corpus at root, a folder or a .tar.gz, in a stable order within a
// folder and archive order within an archive. Pages are not all held in
// memory at once: a page is handed on as soon as its two files are read.
func Walk(root string, fn func(*Page) error) error {
	info, err := os.Stat(root)
	if err != nil {
		return err
	}
	p := &pairer{pending: map[string]*Page{}, fn: fn}
	if info.IsDir() {
		err = walkDir(root, p)
	} else {
		err = walkTarGz(root, p)
	}
	if err != nil {
		return err
	}
	if p.seen == 0 {
		return fmt.Errorf("%s: no pages (want <host>/<name>.html beside <host>/<name>.json)", root)
	}
	return nil
}

// pairer matches each page's .html with its .json.
type pairer struct {
	pending map[string]*Page
	fn      func(*Page) error
	seen    int
}

func (p *pairer) add(name string, r io.Reader) error {
	name = path.Clean(strings.TrimPrefix(filepath.ToSlash(name), "./"))
	dir, file := path.Split(name)
	host := path.Base(strings.TrimSuffix(dir, "/"))
	ext := path.Ext(file)
	if dir == "" || (ext != ".html" && ext != ".json") {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r, maxPageBytes+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > maxPageBytes {
		return fmt.Errorf("%s: over %d bytes", name, maxPageBytes)
	}
	key := strings.TrimSuffix(name, ext)
	pg := p.pending[key]
	if pg == nil {
		pg = &Page{Host: host, Name: strings.TrimSuffix(file, ext)}
		p.pending[key] = pg
	}
	if ext == ".html" {
		pg.HTML = b
	} else {
		want, err := parseExpected(b)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		pg.Want, pg.haveJSON = want, true
	}
	if pg.HTML != nil && pg.haveJSON {
		delete(p.pending, key)
		p.seen++
		return p.fn(pg)
	}
	return nil
}

func walkDir(root string, p *pairer) error {
	var files []string
	err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, name := range files {
		rel, _ := filepath.Rel(root, name)
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		err = p.add(rel, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func walkTarGz(name string, p *pairer) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: not a folder or a .tar.gz: %w", name, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if err := p.add(h.Name, tr); err != nil {
			return err
		}
	}
}
