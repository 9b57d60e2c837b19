package archive

import (
	"bytes"
	"encoding/json"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/importer/extract"
)

// A folder of pages — JSON-LD files (.json, .jsonld: a schema.org Recipe,
// a @graph holding one, or a list) and HTML pages (.html, .htm) with
// their JSON-LD, microdata or RDFa — is read page by page with
// extract.FromHTML, exactly as the importer reads a page fetched from
// its address: one recipe per page, the page's first when it lists
// several. A JSON file in Mealie's form among them is read as Mealie's
// (mealie.go).
//
// Photos: the images the JSON-LD names by a path inside the archive
// (RecCollection's own recipes/<slug>.json name photos/<id>.jpg), then
// an image beside the page with the same name ("pancakes.json" and
// "pancakes.jpg"). Recipe.ImageURL keeps the address the page gives, for
// the caller to fetch when no photo came with it.

// viaSchemaOrg reads a schema.org Recipe node as the importer reads a
// page's: extract understands durations ("PT1H20M", "1 hr 20 min"),
// yields and their servings, keywords, categories and nutrition, and
// the same words come to the same draft whatever their source. The
// formats that keep such fields as text build a node of them and come
// through here.
func viaSchemaOrg(node map[string]any, sourceURL string) *extract.Recipe {
	node["@context"] = "https://schema.org"
	node["@type"] = "Recipe"
	b, err := json.Marshal(node)
	if err != nil {
		return &extract.Recipe{SourceURL: sourceURL}
	}
	return extract.FromHTML(b, sourceURL)
}

func isPage(p string) bool {
	switch ext(p) {
	case "json", "jsonld", "html", "htm":
		return true
	}
	return false
}

func isJSONPage(p string) bool { e := ext(p); return e == "json" || e == "jsonld" }

func isImage(p string) bool {
	switch ext(p) {
	case "jpg", "jpeg", "png", "webp", "gif":
		return true
	}
	return false
}

// pageReader reads a folder of pages, or of Mealie recipe JSON files.
type pageReader struct {
	src   *source
	files []*file
	// jsonIn counts the JSON pages of each folder: a Mealie recipe's
	// images/ folder is its own only when it is alone in its folder.
	jsonIn map[string]int
	// images are the archive's pictures by folder and lower-case name
	// without extension, for the picture beside a page.
	images map[string][]*file
}

func newPageReader(src *source, files []*file) *pageReader {
	r := &pageReader{src: src, files: files, jsonIn: map[string]int{}, images: map[string][]*file{}}
	for _, f := range files {
		if isJSONPage(f.path) {
			r.jsonIn[dir(f.path)]++
		}
	}
	for _, f := range src.files {
		if isImage(f.path) {
			k := dir(f.path) + strings.ToLower(stem(f.path))
			r.images[k] = append(r.images[k], f)
		}
	}
	return r
}

func (r *pageReader) count() (int, error) { return len(r.files), nil }

func (r *pageReader) read(each func(Item) error) error { return eachFile(r.files, r.item, each) }

// sniffPages tells a folder of Mealie recipe files from one of
// schema.org pages by its first JSON file.
func sniffPages(src *source, files []*file) (Format, error) {
	for _, f := range files {
		if !isJSONPage(f.path) {
			continue
		}
		data, err := src.read(f, limits.json)
		if isFatal(err) {
			return "", err
		}
		if err == nil && mealieShaped(data) {
			return Mealie, nil
		}
		break
	}
	return SchemaOrg, nil
}

func (r *pageReader) item(f *file) (Item, error) {
	it := Item{Name: f.name}
	isJSON := isJSONPage(f.path)
	var data []byte
	var err error
	if isJSON {
		// JSON is read whole or not at all: cut short it would not parse.
		data, err = r.src.read(f, limits.json)
	} else {
		// A page saved whole, its pictures inline, can be far larger than
		// the part with the recipe.
		data, err = r.src.readPrefix(f, limits.json)
	}
	if isFatal(err) {
		return it, err
	}
	if err != nil {
		it.Err = err
		return it, nil
	}
	if isJSON {
		if mealieShaped(data) {
			return mealieItem(r.src, f, data, r.jsonIn[dir(f.path)] == 1)
		}
		data = bytes.TrimPrefix(data, []byte("\uFEFF"))
		if !utf8.Valid(data) || !json.Valid(data) {
			it.Err = refuse(ErrBadRecipe, "%s cannot be read: it is not valid JSON", f.name)
			return it, nil
		}
	}
	rec := extract.FromHTML(data, "")
	if !rec.Found() {
		it.Err = refuse(ErrBadRecipe, "%s holds no recipe: a recipe needs a name and ingredients or steps", f.name)
		return it, nil
	}
	it.Recipe = rec
	ps := newPhotoSet(&it, true)
	var pics []*file
	if isJSON {
		pics = referencedImages(r.src, f, data)
	}
	pics = append(pics, r.images[dir(f.path)+strings.ToLower(stem(f.path))]...)
	seen := map[*file]bool{}
	for _, p := range pics {
		if seen[p] {
			continue
		}
		seen[p] = true
		if err := ps.file(r.src, p, Photo{}); err != nil {
			return it, err
		}
	}
	return it, nil
}

// referencedImages are the archive's images that strings of a JSON-LD
// file name, relative to the file's folder or to the archive's top, in
// the order they appear.
func referencedImages(src *source, f *file, data []byte) []*file {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return nil
	}
	var out []*file
	budget := 10000 // strings looked at: a page names its images early
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 32 || budget <= 0 {
			return
		}
		switch t := v.(type) {
		case string:
			budget--
			for _, p := range archivePaths(dir(f.path), t) {
				if img := src.byPath[p]; img != nil && isImage(p) {
					out = append(out, img)
					break
				}
			}
		case []any:
			for _, e := range t {
				walk(e, depth+1)
			}
		case map[string]any:
			for _, k := range sortedKeys(t) {
				walk(t[k], depth+1)
			}
		}
	}
	walk(v, 0)
	return out
}

// archivePaths are the paths in the archive a reference in a file of
// folder may name: relative to the folder, then to the archive's top
// (RecCollection's own JSON-LD files in recipes/ name photos/<id>.jpg);
// none for an address on the web.
func archivePaths(folder, ref string) []string {
	ref = strings.TrimSpace(ref)
	if ref == "" || len(ref) > 1024 || strings.Contains(ref, "://") || strings.HasPrefix(ref, "data:") {
		return nil
	}
	top := cleanPath(path.Clean("/" + cleanPath(ref)))
	if strings.HasPrefix(ref, "/") {
		return []string{top}
	}
	return []string{path.Clean(folder + cleanPath(ref)), top}
}

// sortedKeys lists an object's keys in a fixed order, so photos come in
// the same order on every read: "image" first, where schema.org keeps a
// recipe's pictures.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if (a == "image") != (b == "image") {
			if a == "image" {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return keys
}
