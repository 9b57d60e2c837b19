package recipe

// Photo is a stored picture of a recipe (its main photo, a gallery photo or
// a step's photo) or a user's avatar. The upload is accepted at once and
// its variants are rendered by a background job, so a photo exists before
// it can be shown: until then Ready is false, Variants is empty and pages
// reserve its space (Width × Height) in its average colour.
type Photo struct {
	ID string `json:"id"`
	// URL is the widest JPEG variant: the one picture every client can show.
	URL string `json:"url,omitempty"`
	// Width and Height are the upright picture's own size, known from the
	// upload's header before any variant exists.
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Alt    string `json:"alt"`
	// Colour is the picture's average colour ("#rrggbb"), a placeholder
	// while it loads; empty until the variants exist.
	Colour string `json:"colour,omitempty"`
	// Status is "processing" until the variants exist, then "ready";
	// "failed" when the upload turned out not to be a usable picture.
	Status   PhotoStatus    `json:"status"`
	Variants []PhotoVariant `json:"variants"`
	// Step is the 1-based step a step photo belongs to; 0 otherwise.
	Step int `json:"step,omitempty"`
}

// PhotoStatus is where a photo is in its processing.
type PhotoStatus string

const (
	PhotoProcessing PhotoStatus = "processing"
	PhotoReady      PhotoStatus = "ready"
	PhotoFailed     PhotoStatus = "failed"
)

// Ready reports whether the photo's variants can be shown.
func (p *Photo) Ready() bool { return p != nil && p.Status == PhotoReady && len(p.Variants) > 0 }

// PhotoVariant is one rendition of a photo: a width in one format.
// Key is the storage key; URL is where a browser fetches it.
type PhotoVariant struct {
	Key    string `json:"-"`
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Format string `json:"format"` // "webp" or "jpeg"
}

// Smallest returns the narrowest variant of format at least minWidth wide
// (the widest one when none is), or nil.
func (p *Photo) Smallest(format string, minWidth int) *PhotoVariant {
	if p == nil {
		return nil
	}
	var best *PhotoVariant
	for i := range p.Variants {
		v := &p.Variants[i]
		if v.Format != format {
			continue
		}
		switch {
		case best == nil:
			best = v
		case v.Width >= minWidth && (best.Width < minWidth || v.Width < best.Width):
			best = v
		case best.Width < minWidth && v.Width > best.Width:
			best = v
		}
	}
	return best
}

// Widest returns the widest variant of format, or nil.
func (p *Photo) Widest(format string) *PhotoVariant {
	if p == nil {
		return nil
	}
	var best *PhotoVariant
	for i := range p.Variants {
		if v := &p.Variants[i]; v.Format == format && (best == nil || v.Width > best.Width) {
			best = v
		}
	}
	return best
}
