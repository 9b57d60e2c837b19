package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/recipe"
)

// RecCollection's own export (internal/dataexport) keeps, among the
// person's other data:
//
//	recipes.json  every recipe as the API gives it: a JSON list of recipe.Recipe
//	photos/<id>.jpg  every ready photo, the largest JPEG kept
//	photos.json   [{id, recipe_id, role, step, alt, file}]: whose each photo is
//
// Each recipe becomes an Item with Exact, recipe.InputOf the exported
// recipe — ingredients with their parts, groups, difficulty, visibility,
// tags, categories — so that importing an export gives back the same
// recipes; Recipe stays nil. Its photos are the main photo, then the
// gallery in the recipe's order, then the steps' photos, as the recipe
// lists them (photos.json says which file each is), their bytes as they
// are in the archive. The recipes/*.json files beside them are the same
// recipes as schema.org JSON-LD, for other apps, and are not read.

// ownPhoto is an entry of photos.json.
type ownPhoto struct {
	ID       string `json:"id"`
	RecipeID string `json:"recipe_id"`
	Role     string `json:"role"`
	Step     int    `json:"step"`
	Alt      string `json:"alt"`
	File     string `json:"file"`
}

type ownReader struct {
	src             *source
	recipes, photos *file
	root            string // the folder recipes.json is in
}

// ownLayout finds RecCollection's export: recipes.json with photos.json
// beside it, the shallowest such pair when a person zipped the export's
// folder.
func ownLayout(src *source) *ownReader {
	var best *ownReader
	for _, f := range src.files {
		if path.Base(f.path) != "recipes.json" {
			continue
		}
		root := dir(f.path)
		photos := src.byPath[root+"photos.json"]
		if photos != nil && (best == nil || len(root) < len(best.root)) {
			best = &ownReader{src: src, recipes: f, photos: photos, root: root}
		}
	}
	return best
}

func (r *ownReader) count() (int, error) {
	n := 0
	err := r.each(func(json.RawMessage) error { n++; return nil })
	return n, err
}

// each calls fn with each recipe of recipes.json, undecoded, reading the
// list as a stream rather than whole.
func (r *ownReader) each(fn func(json.RawMessage) error) error {
	rc, err := r.src.stream(r.recipes, limits.table)
	if err != nil {
		return r.damaged(err)
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return r.damaged(err)
	}
	for n := 1; dec.More(); n++ {
		if int64(n) > limits.recipes {
			return tooManyRecipes(r.recipes.name)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return r.damaged(fmt.Errorf("after recipe %d: %w", n-1, err))
		}
		if err := fn(raw); err != nil {
			return err
		}
	}
	return nil
}

// damaged is the error for a recipes.json that cannot be read on: it
// ends the read, since the recipes after the fault cannot be found.
func (r *ownReader) damaged(err error) error {
	if isFatal(err) {
		return err
	}
	if errors.Is(err, ErrTooLarge) {
		return refuseAll(ErrTooLarge, "%s is larger than %s: export fewer recipes at a time", r.recipes.name, bytesText(limits.table))
	}
	if err == nil || errors.Is(err, io.EOF) {
		return refuseAll(ErrDamaged, "%s is not a list of recipes: export it again", r.recipes.name)
	}
	return refuseAll(ErrDamaged, "%s is damaged (%v): export it again", r.recipes.name, err)
}

func (r *ownReader) read(each func(Item) error) error {
	photos, err := r.loadPhotos()
	if err != nil {
		return err
	}
	n := 0
	return r.each(func(raw json.RawMessage) error {
		n++
		it := Item{Name: fmt.Sprintf("%s, recipe %d", r.recipes.name, n)}
		var rec recipe.Recipe
		switch {
		case !utf8.Valid(raw):
			it.Err = refuse(ErrBadRecipe, "%s cannot be read: it is not UTF-8 text", it.Name)
		case json.Unmarshal(raw, &rec) != nil:
			it.Err = refuse(ErrBadRecipe, "%s cannot be read: it is not a recipe in RecCollection's form", it.Name)
		default:
			if rec.Title != "" {
				it.Name += " (" + capText(oneLine(rec.Title), 200) + ")"
			}
			in := recipe.InputOf(rec)
			it.Exact, it.Created = &in, rec.CreatedAt
			if err := r.addPhotos(&it, rec, photos); err != nil {
				return err
			}
		}
		return each(it)
	})
}

// ownPhotos are photos.json's entries by photo id, and each recipe's
// photo ids in the file's order.
type ownPhotos struct {
	byID     map[string]ownPhoto
	byRecipe map[string][]string
}

func (r *ownReader) loadPhotos() (*ownPhotos, error) {
	data, err := r.src.read(r.photos, limits.table)
	if isFatal(err) {
		return nil, err
	}
	var list []ownPhoto
	if err == nil {
		err = decodeJSON(data, &list)
	}
	if err != nil {
		return nil, refuseAll(ErrDamaged, "%s cannot be read: export it again", r.photos.name)
	}
	out := &ownPhotos{byID: map[string]ownPhoto{}, byRecipe: map[string][]string{}}
	for _, p := range list {
		if p.ID == "" || p.RecipeID == "" {
			continue // the avatar
		}
		if _, dup := out.byID[p.ID]; !dup {
			out.byID[p.ID] = p
			out.byRecipe[p.RecipeID] = append(out.byRecipe[p.RecipeID], p.ID)
		}
	}
	return out, nil
}

// addPhotos adds rec's photos in the recipe's order, then any photo
// photos.json gives the recipe that the recipe does not list.
func (r *ownReader) addPhotos(it *Item, rec recipe.Recipe, photos *ownPhotos) error {
	ps := newPhotoSet(it, false)
	done := map[string]bool{}
	add := func(id string, role PhotoRole, step int, alt string) error {
		if id == "" || done[id] {
			return nil
		}
		done[id] = true
		p, ok := photos.byID[id]
		if !ok || p.RecipeID != rec.ID {
			ps.drop(refuse(ErrBadPhoto, "photo %s of %q is not in the archive", id, rec.Title))
			return nil
		}
		if p.Alt != "" {
			alt = p.Alt
		}
		f := r.src.byPath[r.root+cleanPath(p.File)]
		if f == nil {
			f = r.src.byPath[r.root+"photos/"+id+".jpg"]
		}
		if f == nil {
			ps.drop(refuse(ErrBadPhoto, "photo %s of %q is not in the archive", id, rec.Title))
			return nil
		}
		return ps.file(r.src, f, Photo{Name: f.name, Role: role, Step: step, Alt: alt})
	}
	if m := rec.Photo; m != nil {
		if err := add(m.ID, RoleMain, 0, m.Alt); err != nil {
			return err
		}
	}
	for _, p := range rec.Photos {
		role, step := RoleGallery, 0
		if p.Step > 0 {
			role, step = RoleStep, p.Step
		}
		if err := add(p.ID, role, step, p.Alt); err != nil {
			return err
		}
	}
	// photos.json lists a recipe's photos by role in alphabetical order
	// ("gallery" before "main"); the main photo still comes first.
	rest := slices.Clone(photos.byRecipe[rec.ID])
	rank := func(id string) int { return map[string]int{"main": 0, "gallery": 1, "step": 2}[photos.byID[id].Role] }
	slices.SortStableFunc(rest, func(a, b string) int { return rank(a) - rank(b) })
	for _, id := range rest {
		p := photos.byID[id]
		role := PhotoRole(p.Role)
		if role != RoleMain && role != RoleStep {
			role = RoleGallery
		}
		if err := add(id, role, p.Step, p.Alt); err != nil {
			return err
		}
	}
	return nil
}
