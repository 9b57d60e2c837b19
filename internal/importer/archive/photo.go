package archive

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// photoSet gathers one recipe's photos within the limits on them: how
// many, how large each, how large together. A photo over a limit is left
// out with a note in the item's PhotoErrs; the recipe stays.
type photoSet struct {
	it    *Item
	bytes int64
	// dedupe drops a picture the recipe already has: an app may list
	// the main photo again among the others. RecCollection's own export keeps
	// every photo, twins included, for the round trip.
	dedupe bool
	seen   map[[sha256.Size]byte]bool
}

func newPhotoSet(it *Item, dedupe bool) *photoSet {
	return &photoSet{it: it, dedupe: dedupe, seen: map[[sha256.Size]byte]bool{}}
}

// full reports a recipe that has all the photos it may keep.
func (ps *photoSet) full() bool { return int64(len(ps.it.Photos)) >= limits.recipePhotos }

// drop notes a photo left out.
func (ps *photoSet) drop(err error) { ps.it.PhotoErrs = append(ps.it.PhotoErrs, err) }

// add keeps p. A photo without a role is the main photo when it is the
// first, else one of the gallery.
func (ps *photoSet) add(p Photo) {
	if ps.full() {
		ps.drop(tooManyPhotos(p.Name))
		return
	}
	if ps.bytes+int64(len(p.Data)) > limits.recipePhotoBytes {
		ps.drop(photosTooLarge(p.Name))
		return
	}
	if ps.dedupe {
		sum := sha256.Sum256(p.Data)
		if ps.seen[sum] {
			return
		}
		ps.seen[sum] = true
	}
	if p.Role == "" {
		p.Role = RoleGallery
		if len(ps.it.Photos) == 0 {
			p.Role = RoleMain
		}
	}
	ps.bytes += int64(len(p.Data))
	ps.it.Photos = append(ps.it.Photos, p)
}

func tooManyPhotos(name string) error {
	return refuse(ErrTooLarge, "%s was left out: a recipe keeps at most %d photos", name, limits.recipePhotos)
}

func photosTooLarge(name string) error {
	return refuse(ErrTooLarge, "%s was left out: the recipe's photos come to more than %s", name, bytesText(limits.recipePhotoBytes))
}

// file adds the photo in f. Only an error that ends the whole read is
// returned; any other leaves the photo out.
func (ps *photoSet) file(src *source, f *file, p Photo) error {
	if p.Name == "" {
		p.Name = f.name
	}
	// Over a limit already, the photo is not read at all.
	switch {
	case ps.full():
		ps.drop(tooManyPhotos(p.Name))
		return nil
	case ps.bytes >= limits.recipePhotoBytes:
		ps.drop(photosTooLarge(p.Name))
		return nil
	}
	data, err := src.read(f, limits.photo)
	switch {
	case isFatal(err):
		return err
	case errors.Is(err, ErrTooLarge):
		ps.drop(err)
		return nil
	case err != nil:
		ps.drop(refuse(ErrBadPhoto, "%s cannot be read", p.Name))
		return nil
	}
	p.Data = data
	ps.add(p)
	return nil
}

// base64 adds the photo encoded in s (base64, standard or URL alphabet,
// padded or not, line breaks allowed, a data: URL prefix allowed). Its
// size is worked out from the text before anything is decoded, so a
// photo over the limit costs no memory.
func (ps *photoSet) base64(name, s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if strings.HasPrefix(s, "data:") {
		if i := strings.Index(s[:min(len(s), 200)], ";base64,"); i >= 0 {
			s = s[i+len(";base64,"):]
		}
	}
	chars := 0
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			chars++
		}
	}
	if int64(chars)/4*3 > limits.photo {
		ps.drop(refuse(ErrTooLarge, "%s is larger than %s", name, bytesText(limits.photo)))
		return
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x80 && isSpace(byte(r)) {
			return -1
		}
		return r
	}, s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if data, err := enc.DecodeString(s); err == nil && len(data) > 0 {
			if int64(len(data)) > limits.photo {
				ps.drop(refuse(ErrTooLarge, "%s is larger than %s", name, bytesText(limits.photo)))
				return
			}
			ps.add(Photo{Name: name, Data: data})
			return
		}
	}
	ps.drop(refuse(ErrBadPhoto, "%s cannot be read: it is not base64", name))
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }
