package images

// Error is a refusal of an uploaded image. Its message is written for the person who uploaded
// the file, so the HTTP layer can show it as a problem's detail; its Kind says which status fits.
type Error struct {
	Kind Kind
	msg  string
}

func (e *Error) Error() string { return e.msg }

// Kind groups refusals by what the HTTP layer answers.
type Kind int

const (
	// KindTooLarge: the upload itself is too big (413).
	KindTooLarge Kind = iota + 1
	// KindUnsupportedType: not an image, or an image format this pipeline cannot read (415).
	KindUnsupportedType
	// KindInvalid: an image of a known type that cannot be used as it is (422).
	KindInvalid
)

// The refusals. Compare with errors.Is; the pipeline may wrap them with detail for logs.
var (
	ErrTooLarge      = &Error{KindTooLarge, "the photo is larger than 20 MiB"}
	ErrNotImage      = &Error{KindUnsupportedType, "the file is not a JPEG, PNG, WebP or GIF image"}
	ErrUnsupported   = &Error{KindUnsupportedType, "HEIC photos are not supported yet; export as JPEG"}
	ErrTooManyPixels = &Error{KindInvalid, "the photo is larger than 50 megapixels or 20,000 pixels on a side"}
	ErrCorrupt       = &Error{KindInvalid, "the photo is damaged or incomplete"}
)
