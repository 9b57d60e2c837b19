// Package archive reads the recipe archives people bring from other
// recipe apps — Paprika, Mealie, Tandoor, a folder of schema.org JSON-LD
// or HTML pages — and RecCollection's own data export, turning each
// recipe into a draft with its photos (or, for RecCollection's own
// export, into the recipe exactly as it was exported). It does no I/O
// besides reading the archive it is given and writes nothing anywhere: a
// name inside an archive ("../x") is only a name.
//
// Archives are uploads, so every read is bounded (zip.go): the archive's
// size, the number of files it lists, each file's unpacked size (counted
// as it is read, never taken from the zip header), the total unpacked
// from one archive, a photo's size and a recipe's photos. A file that
// breaks a limit or cannot be read costs its recipe alone (Item.Err); a
// photo that cannot be used costs that photo alone (Item.PhotoErrs).
// Only the archive itself — not a zip, too big, of no known layout,
// unpacking to more than the total — ends a read early.
//
// What each format maps where is told in its file: paprika.go,
// mealie.go (and mealie_backup.go), tandoor.go, schemaorg.go, own.go.
// Ingredient lines of the structured formats are written as a person
// would write them ("200 g flour, sifted"), so that the importer's own
// parser reads them as it reads every other line.
package archive

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/recipe"
)

// Format names an archive's layout.
type Format string

// The formats Read knows.
const (
	Paprika       Format = "paprika"       // a .paprikarecipes export, or one .paprikarecipe
	Mealie        Format = "mealie"        // a Mealie recipe export or a full Mealie backup
	Tandoor       Format = "tandoor"       // a Tandoor export: one zip per recipe
	SchemaOrg     Format = "schema.org"    // JSON-LD (.json, .jsonld) and HTML pages
	RecCollection Format = "reccollection" // RecCollection's own data export
)

// PhotoRole says what a photo is to its recipe.
type PhotoRole string

const (
	RoleMain    PhotoRole = "main"
	RoleGallery PhotoRole = "gallery"
	RoleStep    PhotoRole = "step" // Photo.Step says which
)

// Photo is a picture of a recipe as the archive holds it.
type Photo struct {
	// Name is where it came from in the archive (a file, or the field of
	// a recipe's JSON it was decoded from).
	Name string
	// Data is the image's bytes exactly as found, never re-encoded: a
	// round trip of RecCollection's export compares their checksums. It
	// is not checked to be an image; the photo pipeline does that.
	Data []byte
	Role PhotoRole
	// Step is the 1-based step a step photo belongs to.
	Step int
	// Alt is the photo's description, where the format keeps one.
	Alt string
}

// Item is one recipe of an archive.
type Item struct {
	// Name says where in the archive the recipe came from
	// ("Pancakes.paprikarecipe", "recipes/pancakes/pancakes.json",
	// "recipes.json, recipe 3"), for a per-recipe result line.
	Name string
	// Recipe is the draft read from another app's format; nil for
	// RecCollection's own export and when Err is set. Its Via names the
	// format ("paprika", "mealie", "tandoor"), or for a schema.org page
	// how extract read it ("json-ld", "microdata"…). Its ImageURL, where
	// the format gives one, is the recipe's picture on the web: worth
	// fetching only when Photos is empty.
	Recipe *extract.Recipe
	// Exact is set for RecCollection's own export only: the recipe as
	// exported, with its ingredients' parts, groups, difficulty,
	// visibility, tags and categories, so that a round trip is
	// identical.
	Exact *recipe.Input
	// Created is when the recipe was first saved, for RecCollection's
	// own export (its created_at); zero for the other formats.
	Created time.Time
	// Photos are the main photo first, then the gallery and step photos
	// in the order the format keeps them. Photos that could not be used
	// are left out and listed in PhotoErrs; the recipe stays.
	Photos []Photo
	// PhotoErrs says which photos were left out and why (errors.Is
	// ErrTooLarge, ErrBadPhoto). A photo that is too large drops that
	// photo, never the recipe.
	PhotoErrs []error
	// Err is why the recipe could not be read (errors.Is ErrBadRecipe or
	// ErrTooLarge); the rest of the archive is read on.
	Err error
}

// The reasons an archive or a recipe in it is refused. Errors returned
// are these or wrap them with details (which file, which limit): compare
// with errors.Is and show Error() to the person who uploaded the file.
var (
	ErrNotArchive    = errors.New("the file is not a recipe archive: upload the .zip or .paprikarecipes file your recipe app exported")
	ErrUnknownFormat = errors.New("the archive holds no recipes in a format this importer reads (Paprika, Mealie, Tandoor, schema.org JSON-LD or HTML pages, or a RecCollection export)")
	ErrTooLarge      = errors.New("the archive is too large: export fewer recipes at a time")
	ErrDamaged       = errors.New("the archive is damaged: export it again")
	ErrBadRecipe     = errors.New("the recipe cannot be read")
	ErrBadPhoto      = errors.New("the photo cannot be read")
)

// Read reads the archive of size bytes in r — a zip, or a single gzipped
// Paprika recipe — and calls each with every recipe, in the archive's
// order. It returns the archive's format, and an error when the archive
// cannot be read at all, when reading it had to stop (a limit on the
// whole archive, a damaged list of recipes), or when each returned one:
// an error from each stops the read and is returned as it is.
//
// Every recipe that Count counts is given to each exactly once, with
// Err set when it could not be read.
func Read(r io.ReaderAt, size int64, each func(Item) error) (Format, error) {
	src, err := openArchive(r, size)
	if err != nil {
		return "", err
	}
	return readSource(src, each)
}

// Count reports the archive's format and how many recipes Read will give,
// for a progress display ("12 of 240"). For most formats it reads only
// the zip's directory; for RecCollection's export and Mealie backups it
// reads the one file that lists the recipes, and for a folder of JSON
// files the first of them, to tell Mealie's from schema.org's.
func Count(r io.ReaderAt, size int64) (Format, int, error) {
	src, err := openArchive(r, size)
	if err != nil {
		return "", 0, err
	}
	return countSource(src)
}

// File is one file of a several-file upload, a folder's contents sent
// without zipping them: JSON-LD or HTML pages with their pictures, or
// .paprikarecipe files.
type File struct {
	Name string
	R    io.ReaderAt
	Size int64
}

// ReadFiles reads files as if they were an archive's contents, with the
// same limits: their sizes together count as the archive's.
func ReadFiles(files []File, each func(Item) error) (Format, error) {
	src, err := openFiles(files)
	if err != nil {
		return "", err
	}
	return readSource(src, each)
}

// CountFiles is Count for ReadFiles.
func CountFiles(files []File) (Format, int, error) {
	src, err := openFiles(files)
	if err != nil {
		return "", 0, err
	}
	return countSource(src)
}

// layout is an archive's format and the reader for it.
type layout interface {
	count() (int, error)
	read(each func(Item) error) error
}

func readSource(src *source, each func(Item) error) (Format, error) {
	f, l, err := detect(src)
	if err != nil {
		return "", err
	}
	return f, l.read(each)
}

func countSource(src *source) (Format, int, error) {
	f, l, err := detect(src)
	if err != nil {
		return "", 0, err
	}
	n, err := l.count()
	return f, n, err
}

// eachFile gives each the item read from each of files, in order. item
// returns an error only when the whole read must end.
func eachFile(files []*file, item func(*file) (Item, error), each func(Item) error) error {
	for _, f := range files {
		it, err := item(f)
		if err != nil {
			return err
		}
		if err := each(it); err != nil {
			return err
		}
	}
	return nil
}

// reason is an error with a message for a person, that matches one of
// the sentinel errors with errors.Is. fatal marks one that ends the whole
// read (the archive, not a recipe, is at fault).
type reason struct {
	kind  error
	msg   string
	fatal bool
}

func (e *reason) Error() string        { return e.msg }
func (e *reason) Is(target error) bool { return target == e.kind }

// refuse is an error of kind with a message made of format and args.
func refuse(kind error, format string, args ...any) error {
	return &reason{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// refuseAll is refuse for an error that ends the read.
func refuseAll(kind error, format string, args ...any) error {
	return &reason{kind: kind, msg: fmt.Sprintf(format, args...), fatal: true}
}

// isFatal reports an error that must end the read rather than a recipe.
func isFatal(err error) bool {
	var r *reason
	return errors.As(err, &r) && r.fatal
}

// checkDraft sets it.Err when the draft read for it holds nothing of a
// recipe: no title, no ingredients, no steps (a JSON list or number
// where a recipe object belongs decodes to that). A draft with a title
// alone stays, for the person to fill in.
func checkDraft(it *Item) {
	if r := it.Recipe; r != nil && r.Title == "" && len(r.Ingredients) == 0 && len(r.Steps) == 0 {
		it.Recipe = nil
		it.Err = refuse(ErrBadRecipe, "%s holds no recipe: it has no name, ingredients or steps", it.Name)
	}
}

// badRecipe is a recipe's file that cannot be read, with why, unless err
// is already a reason of its own (a limit) that says it better.
func badRecipe(name string, err error) error {
	var r *reason
	if errors.As(err, &r) {
		return err
	}
	return refuse(ErrBadRecipe, "%s cannot be read: %v", name, err)
}
