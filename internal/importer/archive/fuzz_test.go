package archive

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzRead reads anything as an archive: it must never panic, must stay
// within the limits, and must give every recipe that Count counts, each
// with exactly one of a draft, an exact recipe or an error.
func FuzzRead(f *testing.F) {
	paprika, _, _, _ := paprikaExport(f)
	tandoor, _ := tandoorExport(f)
	pages, _, _ := schemaOrgZip(f)
	f.Add(paprika)
	f.Add(tandoor)
	f.Add(pages)
	f.Add(ownExport(f, ownRecipes(), map[string][]byte{"m1": jpegOf(f, 1), "g1": pngOf(f, 2)}))
	f.Add(zipOf(f, entry{"recipes/pancakes/pancakes.json", jsonOf(f, mealiePancakes())}, entry{"recipes/pancakes/images/original.webp", webpImage}))
	f.Add(zipOf(f, entry{"database.json", jsonOf(f, map[string]any{"recipes": []map[string]any{{"id": "1", "name": "x"}},
		"recipes_ingredients": []map[string]any{{"recipe_id": "1", "note": "1 egg", "position": 0}}})}))
	f.Add(gzipOf(f, jsonOf(f, map[string]any{"name": "Toast", "ingredients": "1 slice bread"})))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))

	// Small limits keep each run quick and let the fuzzer reach them.
	saved := limits
	limits.unpacked = 8 << 20
	limits.json, limits.paprika, limits.nested, limits.table = 256<<10, 1<<20, 1<<20, 1<<20
	limits.photo, limits.recipePhotoBytes = 256<<10, 1<<20
	f.Cleanup(func() { limits = saved })

	f.Fuzz(func(t *testing.T, data []byte) {
		var items []Item
		format, err := Read(bytes.NewReader(data), int64(len(data)), func(it Item) error {
			items = append(items, it)
			set := 0
			for _, ok := range []bool{it.Err != nil, it.Recipe != nil, it.Exact != nil} {
				if ok {
					set++
				}
			}
			if set != 1 {
				t.Errorf("%q: err %v, recipe %v, exact %v: want exactly one", it.Name, it.Err, it.Recipe != nil, it.Exact != nil)
			}
			var total int64
			for _, p := range it.Photos {
				if int64(len(p.Data)) > limits.photo || p.Role == "" {
					t.Errorf("photo %q: %d bytes, role %q", p.Name, len(p.Data), p.Role)
				}
				total += int64(len(p.Data))
			}
			if int64(len(it.Photos)) > limits.recipePhotos || total > limits.recipePhotoBytes {
				t.Errorf("%d photos of %d bytes kept", len(it.Photos), total)
			}
			return nil
		})
		if err != nil {
			if !errors.Is(err, ErrNotArchive) && !errors.Is(err, ErrUnknownFormat) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrDamaged) {
				t.Errorf("Read = %v: not one of the package's errors", err)
			}
			return
		}
		cf, n, err := Count(bytes.NewReader(data), int64(len(data)))
		if err != nil || cf != format || n != len(items) {
			t.Errorf("Count = %q, %d, %v; Read gave %q with %d recipes", cf, n, err, format, len(items))
		}
	})
}
