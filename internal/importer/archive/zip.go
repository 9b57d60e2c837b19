package archive

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Limits on what one archive may cost. An archive is an upload from
// anyone with an account, so none of them trusts what the archive says
// of itself: sizes are counted while reading.
const (
	// MaxArchiveBytes is the largest archive (or set of files) read.
	MaxArchiveBytes = 512 << 20
	// MaxEntries is the most files an archive may list.
	MaxEntries = 10_000
	// MaxJSONBytes bounds one recipe's JSON or one page, unpacked (the
	// same as extract.MaxHTML, which would cut a longer page anyway).
	MaxJSONBytes = 5 << 20
	// MaxPaprikaBytes bounds one Paprika recipe unpacked: its photos
	// travel inside its JSON, base64-encoded.
	MaxPaprikaBytes = 64 << 20
	// MaxNestedBytes bounds one zip inside the archive (a Tandoor
	// recipe's). Zips inside those are not opened.
	MaxNestedBytes = 64 << 20
	// MaxRecipes is the most recipes one archive may hold, for the
	// formats that list them in one file rather than a file each.
	MaxRecipes = MaxEntries
	// MaxNestedEntries is the most files a nested zip may list.
	MaxNestedEntries = 100
	// MaxTableBytes bounds a file that lists every recipe of an archive:
	// RecCollection's recipes.json and photos.json, Mealie's database.json.
	MaxTableBytes = 128 << 20
	// MaxUnpackedBytes bounds everything unpacked from one archive, all
	// files and nested files together: a zip bomb stops here.
	MaxUnpackedBytes = 2 << 30
	// MaxPhotoBytes bounds one photo: what the photo pipeline accepts
	// (images.MaxBytes, which internal/importer's tests hold it to; the
	// image package is not imported here, as its WebP decoder would weigh
	// on every fuzz build of this one).
	MaxPhotoBytes = 20 << 20
	// MaxRecipePhotos and MaxRecipePhotoBytes bound the photos kept for
	// one recipe: a main photo, a full gallery and a photo for each of
	// the most steps a recipe has, and what they may weigh together.
	MaxRecipePhotos     = 1 + 20 + 100
	MaxRecipePhotoBytes = 128 << 20
	// maxDirectoryBytes bounds the zip's central directory, the list of
	// its files that archive/zip reads whole before anything else: far
	// more than MaxEntries files need, far less than millions of tiny
	// entries would cost in memory.
	maxDirectoryBytes = 16 << 20
)

// limitSet holds the limits in force: the constants above, which tests
// lower to reach them with small fixtures.
type limitSet struct {
	archive, entries, recipes, json, paprika, nested, nestedEntries, table, unpacked, photo, recipePhotos, recipePhotoBytes, directory int64
}

var limits = limitSet{
	archive:          MaxArchiveBytes,
	entries:          MaxEntries,
	recipes:          MaxRecipes,
	json:             MaxJSONBytes,
	paprika:          MaxPaprikaBytes,
	nested:           MaxNestedBytes,
	nestedEntries:    MaxNestedEntries,
	table:            MaxTableBytes,
	unpacked:         MaxUnpackedBytes,
	photo:            MaxPhotoBytes,
	recipePhotos:     MaxRecipePhotos,
	recipePhotoBytes: MaxRecipePhotoBytes,
	directory:        maxDirectoryBytes,
}

// source is an archive's files and the count of what reading them has
// unpacked, shared with the zips nested in it.
type source struct {
	files  []*file
	byPath map[string]*file
	spent  *int64
}

// file is one file of an archive.
type file struct {
	name string // as the archive names it, for messages and Item.Name
	path string // for matching: forward slashes, no leading "/" or "./"
	open func() (io.ReadCloser, error)
}

// gzipMagic starts a gzip stream: a lone .paprikarecipe file.
var gzipMagic = []byte{0x1f, 0x8b}

// openArchive opens a zip, or a gzipped Paprika recipe as an archive of
// one file.
func openArchive(r io.ReaderAt, size int64) (*source, error) {
	if size > limits.archive {
		return nil, refuseAll(ErrTooLarge, "the archive is larger than %s: export fewer recipes at a time", bytesText(limits.archive))
	}
	if size < 0 {
		return nil, ErrNotArchive
	}
	head := make([]byte, 2)
	if n, _ := r.ReadAt(head, 0); n == 2 && bytes.Equal(head, gzipMagic) {
		spent := int64(0)
		f := &file{name: "recipe.paprikarecipe", path: "recipe.paprikarecipe", open: func() (io.ReadCloser, error) {
			return io.NopCloser(io.NewSectionReader(r, 0, size)), nil
		}}
		return newSource([]*file{f}, &spent), nil
	}
	spent := int64(0)
	return openZip(r, size, &spent, limits.entries)
}

// openZip opens a zip of size bytes listing at most maxEntries files.
func openZip(r io.ReaderAt, size int64, spent *int64, maxEntries int64) (*source, error) {
	if err := checkDirectory(r, size, maxEntries); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return nil, fmt.Errorf("%w (%v)", ErrNotArchive, err)
	}
	if int64(len(zr.File)) > maxEntries {
		return nil, tooManyFiles(maxEntries)
	}
	var files []*file
	for _, zf := range zr.File {
		p := cleanPath(zf.Name)
		if zf.FileInfo().IsDir() || isJunk(p) {
			continue
		}
		files = append(files, &file{name: zf.Name, path: p, open: zf.Open})
	}
	return newSource(files, spent), nil
}

// openFiles makes a source of loose files.
func openFiles(list []File) (*source, error) {
	if int64(len(list)) > limits.entries {
		return nil, tooManyFiles(limits.entries)
	}
	var total int64
	var files []*file
	for _, f := range list {
		if f.Size < 0 || f.R == nil {
			continue
		}
		if total += f.Size; total > limits.archive {
			return nil, refuseAll(ErrTooLarge, "the files are larger than %s together: send fewer at a time", bytesText(limits.archive))
		}
		p := cleanPath(f.Name)
		if isJunk(p) {
			continue
		}
		r, size := f.R, f.Size
		files = append(files, &file{name: f.Name, path: p, open: func() (io.ReadCloser, error) {
			return io.NopCloser(io.NewSectionReader(r, 0, size)), nil
		}})
	}
	spent := int64(0)
	return newSource(files, &spent), nil
}

func newSource(files []*file, spent *int64) *source {
	s := &source{files: files, byPath: map[string]*file{}, spent: spent}
	for _, f := range files {
		if _, dup := s.byPath[f.path]; !dup {
			s.byPath[f.path] = f
		}
	}
	return s
}

func tooManyRecipes(name string) error {
	return refuseAll(ErrTooLarge, "%s holds more than %d recipes: export fewer at a time", name, limits.recipes)
}

func tooManyFiles(n int64) error {
	return refuseAll(ErrTooLarge, "the archive holds more than %d files: export fewer recipes at a time", n)
}

// cleanPath is a file's name for matching: forward slashes (zips made on
// Windows use back slashes), without a leading "/" or "./".
func cleanPath(name string) string {
	p := strings.ReplaceAll(name, `\`, "/")
	for {
		switch {
		case strings.HasPrefix(p, "/"):
			p = p[1:]
		case strings.HasPrefix(p, "./"):
			p = p[2:]
		default:
			return p
		}
	}
}

// isJunk reports the files an operating system adds when a person zips a
// folder themselves (macOS's "__MACOSX/" and "._" twins, Finder's and
// Explorer's folder settings): never a recipe.
func isJunk(p string) bool {
	base := path.Base(p)
	return p == "" || strings.HasSuffix(p, "/") || strings.HasPrefix(p, "__MACOSX/") ||
		strings.HasPrefix(base, "._") || base == ".DS_Store" || base == "Thumbs.db" || base == "desktop.ini"
}

// ext is a path's extension in lower case, without the dot.
func ext(p string) string {
	return strings.ToLower(strings.TrimPrefix(path.Ext(p), "."))
}

// stem is a path's base name without its extension.
func stem(p string) string {
	b := path.Base(p)
	return strings.TrimSuffix(b, path.Ext(b))
}

// dir is a path's folder with a trailing slash, or "" at the top.
func dir(p string) string {
	i := strings.LastIndexByte(p, '/')
	return p[:i+1]
}

// filter lists the files whose path keep accepts, in the archive's order.
func (s *source) filter(keep func(p string) bool) []*file {
	var out []*file
	for _, f := range s.files {
		if keep(f.path) {
			out = append(out, f)
		}
	}
	return out
}

// stream opens f for reading at most limit bytes, counted as they are
// read: more is an error (a reason) from Read, never a truncated file.
func (s *source) stream(f *file, limit int64) (io.ReadCloser, error) {
	rc, err := f.open()
	if err != nil {
		return nil, refuse(ErrBadRecipe, "%s cannot be read: %v", f.name, err)
	}
	return &limited{r: rc, c: rc, name: f.name, limit: limit, left: limit, spent: s.spent}, nil
}

// read reads all of f, at most limit bytes.
func (s *source) read(f *file, limit int64) ([]byte, error) {
	rc, err := s.stream(f, limit)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readAll(f.name, rc)
}

// readPrefix reads the first limit bytes of f, all of it when shorter:
// for a page, whose recipe is at its start, and which extract would cut
// at the same length anyway.
func (s *source) readPrefix(f *file, limit int64) ([]byte, error) {
	rc, err := s.stream(f, limit+1)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readAll(f.name, io.LimitReader(rc, limit))
}

// readFrom reads all of r (a stream inside f, say a gzip), at most limit
// bytes, counted with the rest of the archive.
func (s *source) readFrom(name string, r io.Reader, limit int64) ([]byte, error) {
	return readAll(name, &limited{r: r, name: name, limit: limit, left: limit, spent: s.spent})
}

// readAll reads r to its end; an error that is not a limit's says the
// file is damaged.
func readAll(name string, r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, badRecipe(name, err)
	}
	return b, nil
}

// limited reads at most limit bytes from r and adds what it reads to the
// archive's spent count; past either limit its Read fails with a reason.
type limited struct {
	r     io.Reader
	c     io.Closer
	name  string
	limit int64
	left  int64
	spent *int64
}

func (l *limited) Read(p []byte) (int, error) {
	if *l.spent > limits.unpacked {
		return 0, unpackedTooMuch()
	}
	// One byte more than allowed is asked for, to tell a file of exactly
	// the limit from a longer one.
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	*l.spent += int64(n)
	switch {
	case l.left < 0:
		return n, refuse(ErrTooLarge, "%s is larger than %s", l.name, bytesText(l.limit))
	case *l.spent > limits.unpacked:
		return n, unpackedTooMuch()
	}
	return n, err
}

func (l *limited) Close() error {
	if l.c == nil {
		return nil
	}
	return l.c.Close()
}

func unpackedTooMuch() error {
	return refuseAll(ErrTooLarge, "the archive unpacks to more than %s: export fewer recipes at a time", bytesText(limits.unpacked))
}

// bytesText writes a size for a person: "5 MiB", "512 KiB", "300 bytes".
func bytesText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// The zip records checkDirectory reads.
const (
	endSig        = 0x06054b50 // end of central directory
	end64LocSig   = 0x07064b50 // zip64 end of central directory locator
	end64Sig      = 0x06064b50 // zip64 end of central directory
	endLen        = 22
	end64LocLen   = 20
	end64Len      = 56
	maxCommentLen = 0xffff
)

// checkDirectory refuses a zip whose central directory is larger than
// limits.directory or declares more than maxEntries files, before
// archive/zip reads it: archive/zip reads every record from the
// directory's start to the end of the file, whatever count the zip
// declares, and allocates for each, so a few hundred MiB of tiny records
// would cost gigabytes before the file count could be checked. It finds
// the directory as archive/zip does (the last end record whose comment
// fits, its zip64 record when there is one) and measures from the
// earliest place archive/zip could start reading. A zip it cannot make
// sense of is left for archive/zip to refuse.
func checkDirectory(r io.ReaderAt, size int64, maxEntries int64) error {
	n := min(size, endLen+maxCommentLen)
	if n < endLen {
		return nil
	}
	tail := make([]byte, n)
	if _, err := r.ReadAt(tail, size-n); err != nil && !errors.Is(err, io.EOF) {
		return nil
	}
	at := -1
	for i := len(tail) - endLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) == endSig &&
			i+endLen+int(binary.LittleEndian.Uint16(tail[i+20:])) <= len(tail) {
			at = i
			break
		}
	}
	if at < 0 {
		return nil
	}
	end := tail[at:]
	endOffset := size - n + int64(at)
	records := uint64(binary.LittleEndian.Uint16(end[10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(end[12:]))
	dirOffset := uint64(binary.LittleEndian.Uint32(end[16:]))
	if records == 0xffff || dirSize == 0xffffffff || dirOffset == 0xffffffff {
		if off, rec, ok := zip64End(r, endOffset); ok {
			endOffset = off
			records = binary.LittleEndian.Uint64(rec[32:])
			dirSize = binary.LittleEndian.Uint64(rec[40:])
			dirOffset = binary.LittleEndian.Uint64(rec[48:])
		}
	}
	if records > uint64(maxEntries) {
		return tooManyFiles(maxEntries)
	}
	start := int64(-1)
	for _, s := range []uint64{dirOffset, uint64(endOffset) - dirSize} {
		if s < uint64(size) && (start < 0 || int64(s) < start) {
			start = int64(s)
		}
	}
	if start >= 0 && size-start > limits.directory {
		return tooManyFiles(maxEntries)
	}
	return nil
}

// zip64End reads the zip64 end record the locator before endOffset
// points to: its offset and its bytes.
func zip64End(r io.ReaderAt, endOffset int64) (int64, []byte, bool) {
	if endOffset < end64LocLen {
		return 0, nil, false
	}
	loc := make([]byte, end64LocLen)
	if _, err := r.ReadAt(loc, endOffset-end64LocLen); err != nil || binary.LittleEndian.Uint32(loc) != end64LocSig {
		return 0, nil, false
	}
	off := binary.LittleEndian.Uint64(loc[8:])
	if off > uint64(endOffset) {
		return 0, nil, false
	}
	rec := make([]byte, end64Len)
	if _, err := r.ReadAt(rec, int64(off)); err != nil || binary.LittleEndian.Uint32(rec) != end64Sig {
		return 0, nil, false
	}
	return int64(off), rec, true
}
