package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"sync"
)

// Fragments: parts of list pages drawn once and kept. A recipe card is
// most of a list page and most of its rendering cost: html/template runs
// each of a card's twenty-odd actions through reflection and an escaper,
// about 40 µs a card; the browse page's facets (some forty links with
// counts) cost as much as ten cards. The same ones come back again and
// again (the newest recipes on the home and browse pages, a popular
// search, the facets of the unfiltered list), so a drawn fragment is
// kept, keyed by its template's name and everything it is drawn from:
// its data as JSON. The key is the content itself, so nothing needs
// invalidating: an edited recipe or a new count is a new key, and the
// old entry ages out.
//
// That makes two rules for a fragment's template: it reads only its data
// (no page, no viewer: one entry serves every visitor), and its data is
// plain exported fields, or functions of them (JSON sees nothing else).
// TestFragmentKeySeesEveryCardInput checks the cards against them.

// fragmentCacheSize bounds each of the cache's two generations: at about
// 2.5 kB of markup plus a 1 kB key per card, at most ~3.5 MB in all;
// empty until list pages are shown, so an idle server holds none of it.
const fragmentCacheSize = 512

// fragmentCache keeps drawn fragments in two generations: a lookup
// promotes an entry from the old one into the current one, and when the
// current one is full it becomes the old one, dropping what was not
// asked for during a whole generation (an LRU's effect without its list).
type fragmentCache struct {
	once sync.Once
	t    *template.Template // a clone of the layout set, for fragments only
	err  error

	mu       sync.Mutex
	cur, old map[string]template.HTML
}

// fragment draws the layout template name with data through the cache.
func (u *UI) fragment(name string, data any) (template.HTML, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return "", fmt.Errorf("fragment %s: %w", name, err)
	}
	key := name + "\x00" + string(b)
	fc := &u.fragments
	if html, ok := fc.get(key); ok {
		return html, nil
	}
	fc.once.Do(func() {
		// The base set is only ever cloned (render.go), never executed,
		// and a template set cannot be cloned once it has run; fragments
		// run in a clone of their own.
		fc.t, fc.err = u.pages.base.Clone()
	})
	if fc.err != nil {
		return "", fc.err
	}
	var buf bytes.Buffer
	if err := fc.t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	// Drawn in the same HTML text context as inside the page, so it is
	// escaped exactly as it would be there.
	html := template.HTML(buf.String())
	fc.put(key, html)
	return html, nil
}

func (fc *fragmentCache) get(key string) (template.HTML, bool) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if html, ok := fc.cur[key]; ok {
		return html, true
	}
	html, ok := fc.old[key]
	if ok {
		fc.putLocked(key, html)
	}
	return html, ok
}

func (fc *fragmentCache) put(key string, html template.HTML) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.putLocked(key, html)
}

func (fc *fragmentCache) putLocked(key string, html template.HTML) {
	if len(fc.cur) >= fragmentCacheSize {
		fc.old, fc.cur = fc.cur, nil
	}
	if fc.cur == nil {
		fc.cur = make(map[string]template.HTML, fragmentCacheSize)
	}
	fc.cur[key] = html
}
