package archive

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"runtime"
	"strings"
	"testing"
)

// noReads is a ReaderAt that fails the test when it is read.
type noReads struct{ t *testing.T }

func (r noReads) ReadAt(p []byte, off int64) (int, error) {
	r.t.Errorf("the archive was read at %d", off)
	return 0, errors.New("no reads")
}

func TestArchiveTooLarge(t *testing.T) {
	_, err := Read(noReads{t}, MaxArchiveBytes+1, func(Item) error { t.Error("a recipe was read"); return nil })
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "512 MiB") {
		t.Errorf("Read = %v, want ErrTooLarge naming the limit", err)
	}
	if _, _, err := Count(noReads{t}, MaxArchiveBytes+1); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Count = %v", err)
	}
	big := []File{{Name: "a.json", R: noReads{t}, Size: MaxArchiveBytes}, {Name: "b.json", R: noReads{t}, Size: 1}}
	if _, err := ReadFiles(big, func(Item) error { return nil }); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadFiles = %v", err)
	}
}

func TestNotArchive(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":  {},
		"text":   []byte("Pancakes\n200 g flour\n"),
		"png":    pngOf(t, 1),
		"pk":     []byte("PK\x03\x04 and then nothing a zip needs"),
		"gzipbz": {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, // a gzip header, no recipe
	} {
		t.Run(name, func(t *testing.T) {
			_, items, err := readZip(t, data)
			if name == "gzipbz" {
				// Taken for a lone Paprika recipe: that recipe cannot be read.
				if err != nil || len(items) != 1 || !errors.Is(items[0].Err, ErrBadRecipe) {
					t.Errorf("err %v, items %+v", err, items)
				}
				return
			}
			if !errors.Is(err, ErrNotArchive) {
				t.Errorf("Read = %v, want ErrNotArchive", err)
			}
		})
	}
}

func TestUnknownFormat(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty zip":  zipOf(t),
		"text files": zipOf(t, entry{"notes.txt", []byte("hello")}, entry{"photo.jpg", jpegOf(t, 1)}),
		"only junk":  zipOf(t, entry{"__MACOSX/._a.paprikarecipe", []byte("x")}, entry{".DS_Store", []byte("x")}),
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := readZip(t, data)
			if !errors.Is(err, ErrUnknownFormat) {
				t.Errorf("Read = %v, want ErrUnknownFormat", err)
			}
		})
	}
}

func TestTooManyEntries(t *testing.T) {
	build := func(n int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := range n {
			if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("%05d.paprikarecipe", i), Method: zip.Store}); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	ok := build(MaxEntries)
	if f, n, err := Count(bytes.NewReader(ok), int64(len(ok))); f != Paprika || n != MaxEntries || err != nil {
		t.Errorf("Count of %d files = %q, %d, %v", MaxEntries, f, n, err)
	}
	over := build(MaxEntries + 1)
	_, err := Read(bytes.NewReader(over), int64(len(over)), func(Item) error { t.Error("a recipe was read"); return nil })
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "10000 files") {
		t.Errorf("Read = %v, want ErrTooLarge", err)
	}
}

func TestDirectoryTooLarge(t *testing.T) {
	// A central directory larger than any list of the allowed number of
	// files is refused before archive/zip reads it.
	withLimits(t, func(l *limitSet) { l.directory = 4096 })
	var entries []entry
	for i := range 60 {
		entries = append(entries, entry{fmt.Sprintf("%s-%03d.paprikarecipe", strings.Repeat("long name ", 5), i), nil})
	}
	data := zipOf(t, entries...)
	if _, _, err := Count(bytes.NewReader(data), int64(len(data))); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Count = %v, want ErrTooLarge", err)
	}
	withLimits(t, func(l *limitSet) { l.directory = 1 << 20 })
	if _, n, err := Count(bytes.NewReader(data), int64(len(data))); n != 60 || err != nil {
		t.Errorf("under the limit: Count = %d, %v", n, err)
	}
}

func TestJSONTooLarge(t *testing.T) {
	// One page over MaxJSONBytes costs that page only.
	big := append([]byte(`{"@type": "Recipe", "name": "Big", "recipeIngredient": ["1 egg"], "description": "`),
		bytes.Repeat([]byte("a"), MaxJSONBytes)...)
	big = append(big, `"}`...)
	data := zipOf(t, entry{"big.json", big}, entry{"small.json", jsonOf(t, map[string]any{"@type": "Recipe", "name": "Small", "recipeIngredient": []string{"1 egg"}})})
	items := mustRead(t, data, SchemaOrg, 2)
	if !errors.Is(items[0].Err, ErrTooLarge) || !strings.Contains(items[0].Err.Error(), "big.json is larger than 5 MiB") {
		t.Errorf("big: %v", items[0].Err)
	}
	if items[1].Err != nil || items[1].Recipe.Title != "Small" {
		t.Errorf("small: %v", items[1].Err)
	}
}

// rawZip builds a zip of one deflated file whose header declares
// declared bytes unpacked, whatever data holds.
func rawZip(t *testing.T, name string, data []byte, declared uint64) []byte {
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestSpeed)
	fw.Write(data)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(packed.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(packed.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeclaredSizeNotTrusted(t *testing.T) {
	withLimits(t, func(l *limitSet) { l.json = 64 << 10 })
	body := append([]byte(`{"@type": "Recipe", "name": "Liar", "recipeIngredient": ["1 egg"], "description": "`), bytes.Repeat([]byte("x"), 256<<10)...)
	body = append(body, `"}`...)
	for name, declared := range map[string]uint64{"declared huge": 1 << 40, "declared tiny": 10, "declared right": uint64(len(body))} {
		t.Run(name, func(t *testing.T) {
			data := rawZip(t, "liar.json", body, declared)
			_, items, err := readZip(t, data)
			if err != nil || len(items) != 1 {
				t.Fatalf("Read = %v, %d items", err, len(items))
			}
			// Whatever the header says, the page unpacks to more than the
			// limit and is refused: by the limit, or as damaged where the
			// header's size is too small for what follows.
			want := ErrTooLarge
			if declared == 10 {
				want = ErrBadRecipe
			}
			if items[0].Recipe != nil || !errors.Is(items[0].Err, want) {
				t.Errorf("err = %v, recipe %+v; want %v", items[0].Err, items[0].Recipe, want)
			}
		})
	}
}

func TestZipBomb(t *testing.T) {
	withLimits(t, func(l *limitSet) { l.unpacked = 1 << 20 })
	var entries []entry
	for i := range 6 {
		js := append([]byte(`{"name": "Bomb", "ingredients": "1 egg", "notes": "`), bytes.Repeat([]byte("0"), 300<<10)...)
		js = append(js, `"}`...)
		entries = append(entries, entry{fmt.Sprintf("bomb%d.paprikarecipe", i), gzipOf(t, js)})
	}
	data := zipOf(t, entries...)
	if len(data) > 64<<10 {
		t.Fatalf("the bomb is %d bytes packed: not a bomb", len(data))
	}
	n := 0
	_, err := Read(bytes.NewReader(data), int64(len(data)), func(it Item) error { n++; return nil })
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "unpacks to more than 1 MiB") {
		t.Errorf("Read = %v, want ErrTooLarge for the whole archive", err)
	}
	if n != 3 {
		t.Errorf("%d recipes were read before the limit, want 3 (300 KiB each of 1 MiB)", n)
	}
}

func TestNestedZipBomb(t *testing.T) {
	withLimits(t, func(l *limitSet) { l.unpacked = 1 << 20 })
	zeros := bytes.Repeat([]byte{0}, 2<<20)
	inner := zipOf(t, entry{"recipe.json", jsonOf(t, map[string]any{"name": "x"})}, entry{"image.jpg", zeros})
	data := zipOf(t, entry{"bomb.zip", inner})
	_, err := Read(bytes.NewReader(data), int64(len(data)), func(Item) error { return nil })
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("Read = %v, want ErrTooLarge", err)
	}
}

func TestPhotoLimits(t *testing.T) {
	withLimits(t, func(l *limitSet) { l.photo = 4 << 10; l.recipePhotos = 3; l.recipePhotoBytes = 6 << 10 })
	page := jsonOf(t, map[string]any{"@type": "Recipe", "name": "Stew", "recipeIngredient": []string{"1 carrot"},
		"image": []string{"a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"}})
	photo := func(c byte, n int) []byte { return append([]byte{0xff, 0xd8, c}, bytes.Repeat([]byte{c}, n)...) }
	data := zipOf(t,
		entry{"stew.json", page},
		entry{"a.jpg", photo(1, 5<<10)}, // over 4 KiB: left out
		entry{"b.jpg", photo(2, 3<<10)},
		entry{"c.jpg", photo(3, 3<<10)}, // b and c come to over 6 KiB together
		entry{"d.jpg", photo(4, 1<<10)},
		entry{"e.jpg", photo(5, 1<<10)},
		entry{"stew.png", photo(6, 100)}, // beside the page: over three photos
	)
	items := mustRead(t, data, SchemaOrg, 1)
	it := items[0]
	if it.Err != nil || it.Recipe.Title != "Stew" {
		t.Fatalf("the photos cost the recipe: %v", it.Err)
	}
	var names []string
	for _, p := range it.Photos {
		names = append(names, p.Name)
	}
	eqStrings(t, "photos kept", names, []string{"b.jpg", "d.jpg", "e.jpg"})
	if len(it.PhotoErrs) != 3 {
		t.Fatalf("photo errors = %v", it.PhotoErrs)
	}
	for i, want := range []string{"a.jpg is larger than 4 KiB", "c.jpg was left out: the recipe's photos come to more than 6 KiB", "stew.png was left out: a recipe keeps at most 3 photos"} {
		if !errors.Is(it.PhotoErrs[i], ErrTooLarge) || it.PhotoErrs[i].Error() != want {
			t.Errorf("photo error %d = %v, want %q", i, it.PhotoErrs[i], want)
		}
	}
}

func TestPaprikaBase64Bounded(t *testing.T) {
	withLimits(t, func(l *limitSet) { l.photo = 1 << 10 })
	// 1 MiB of base64 text is refused from its length, not decoded.
	huge := strings.Repeat("QUJD", 1<<18)
	data := zipOf(t, entry{"a.paprikarecipe", gzipOf(t, jsonOf(t, map[string]any{"name": "Pie", "ingredients": "1 apple", "photo_data": huge}))})
	items := mustRead(t, data, Paprika, 1)
	if items[0].Err != nil || len(items[0].Photos) != 0 || len(items[0].PhotoErrs) != 1 || !errors.Is(items[0].PhotoErrs[0], ErrTooLarge) {
		t.Errorf("err %v, photos %d, photo errors %v", items[0].Err, len(items[0].Photos), items[0].PhotoErrs)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	newPhotoSet(&Item{}, true).base64("p", huge)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
		t.Errorf("refusing a 1 MiB photo allocated %d bytes", n)
	}
}

func TestInvalidUTF8AndGarbage(t *testing.T) {
	latin1 := []byte("{\"name\": \"Cr\xe8me br\xfbl\xe9e\", \"ingredients\": \"4 eggs\"}")
	data := zipOf(t,
		entry{"latin1.paprikarecipe", gzipOf(t, latin1)},
		entry{"garbage.paprikarecipe", gzipOf(t, []byte("\x00\x01not json at all"))},
		entry{"truncated.paprikarecipe", gzipOf(t, jsonOf(t, map[string]any{"name": "x"}))[:12]},
		entry{"array.paprikarecipe", gzipOf(t, []byte(`[1, 2, 3]`))},
		entry{"fine.paprikarecipe", gzipOf(t, []byte("\uFEFF{\"name\": \"Fine\", \"ingredients\": \"1 egg\"}"))},
	)
	items := mustRead(t, data, Paprika, 5)
	for _, it := range items[:4] {
		if !errors.Is(it.Err, ErrBadRecipe) || it.Recipe != nil || !strings.Contains(it.Err.Error(), it.Name) {
			t.Errorf("%s: err %v, recipe %+v", it.Name, it.Err, it.Recipe)
		}
	}
	if items[4].Err != nil || items[4].Recipe.Title != "Fine" {
		t.Errorf("a byte order mark cost the recipe: %v", items[4].Err)
	}
}

func TestPathsAreOnlyNames(t *testing.T) {
	rec := func(name string) []byte {
		return gzipOf(t, jsonOf(t, map[string]any{"name": name, "ingredients": "1 egg"}))
	}
	data := zipOf(t,
		entry{"../../escape.paprikarecipe", rec("Up")},
		entry{"/etc/absolute.paprikarecipe", rec("Root")},
		entry{`C:\temp\windows.paprikarecipe`, rec("Windows")},
		entry{"__MACOSX/._escape.paprikarecipe", []byte("resource fork")},
	)
	items := mustRead(t, data, Paprika, 3)
	for i, want := range []string{"../../escape.paprikarecipe", "/etc/absolute.paprikarecipe", `C:\temp\windows.paprikarecipe`} {
		if items[i].Name != want || items[i].Err != nil {
			t.Errorf("item %d = %q, %v; want %q read", i, items[i].Name, items[i].Err, want)
		}
	}
}

func TestEachErrorStops(t *testing.T) {
	data, _, _, _ := paprikaExport(t)
	stop := errors.New("stop")
	n := 0
	_, err := Read(bytes.NewReader(data), int64(len(data)), func(Item) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Errorf("Read = %v after %d recipes, want the callback's error after 2", err, n)
	}
}

func TestTooManyRecipesInOneFile(t *testing.T) {
	withLimits(t, func(l *limitSet) { l.recipes = 2 })
	recs := []map[string]any{{"id": "a", "title": "A"}, {"id": "b", "title": "B"}, {"id": "c", "title": "C"}}
	own := zipOf(t, entry{"recipes.json", jsonOf(t, recs)}, entry{"photos.json", []byte("[]")})
	backup := zipOf(t, entry{"database.json", jsonOf(t, map[string]any{"recipes": recs})})
	for name, data := range map[string][]byte{"own export": own, "Mealie backup": backup} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := Count(bytes.NewReader(data), int64(len(data))); !errors.Is(err, ErrTooLarge) {
				t.Errorf("Count = %v, want ErrTooLarge", err)
			}
			n := 0
			_, err := Read(bytes.NewReader(data), int64(len(data)), func(Item) error { n++; return nil })
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than 2 recipes") || n > 2 {
				t.Errorf("Read = %v after %d recipes", err, n)
			}
		})
	}
}

func TestLargeHTMLPageReadByItsStart(t *testing.T) {
	withLimits(t, func(l *limitSet) { l.json = 8 << 10 })
	// A page saved whole, a picture inline after the recipe.
	page := soupPage + "<img src=\"data:image/png;base64," + strings.Repeat("A", 64<<10) + "\">"
	data := zipOf(t, entry{"soup.html", []byte(page)}, entry{"other.zip", zipOf(t)})
	items := mustRead(t, data, SchemaOrg, 1)
	if items[0].Err != nil || items[0].Recipe.Title != "Carrot soup" || len(items[0].Recipe.Ingredients) != 2 {
		t.Errorf("soup: %v %+v", items[0].Err, items[0].Recipe)
	}
}

func TestDeclaredFileCountTooLarge(t *testing.T) {
	// A zip whose end record declares more files than allowed is refused
	// from that record, before archive/zip reads its directory.
	data := zipOf(t, entry{"a.paprikarecipe", gzipOf(t, []byte(`{"name": "A"}`))})
	end := bytes.LastIndex(data, []byte("PK\x05\x06"))
	binary.LittleEndian.PutUint16(data[end+8:], 20000)
	binary.LittleEndian.PutUint16(data[end+10:], 20000)
	_, _, err := readZip(t, data)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than 10000 files") {
		t.Errorf("Read = %v, want ErrTooLarge", err)
	}
}
