package ui

// Photos on the recipe form: the main photo, gallery photos added
// several at a time (or one photo for a step), and for each stored
// gallery or step photo its alt text and removal. The recipe is saved first,
// by the form's usual rules; photos are then applied one by one through
// the photo service, and a photo it refuses is reported next to its field
// on the form shown again, whose text is what was saved.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// PhotoService stores and removes photos (internal/photos). Only the
// recipe's author may change its photos; an empty alt means "use the
// recipe's title".
type PhotoService interface {
	SetMain(ctx context.Context, userID, recipeID string, body io.Reader, alt string) (*recipe.Photo, error)
	DeleteMain(ctx context.Context, userID, recipeID string) error
	AddPhoto(ctx context.Context, userID, recipeID string, step int, body io.Reader, alt string) (*recipe.Photo, error)
	DeletePhoto(ctx context.Context, userID, recipeID, photoID string) error
	SetAlt(ctx context.Context, userID, recipeID, photoID, alt string) error
	SetAvatar(ctx context.Context, userID string, body io.Reader) (*recipe.Photo, error)
	DeleteAvatar(ctx context.Context, userID string) error
	Avatar(ctx context.Context, userID string) (*recipe.Photo, error)
}

// photoField is a stored gallery or step photo as the form shows it.
type photoField struct {
	ID     string
	Thumb  string // a small variant's URL; "" while processing
	Width  int
	Height int
	Alt    string
	Step   int
	Remove bool
	Status recipe.PhotoStatus
}

// photoForm is the photo part of the recipe form as typed.
type photoForm struct {
	// Enabled shows the photo fields: a photo service is configured and
	// the viewer is the recipe's author (a moderating admin edits the
	// text only; the service refuses anyone else).
	Enabled bool
	Main    *photoField
	MainAlt string
	// RemoveMain is the "Remove photo" box.
	RemoveMain bool
	Photos     []photoField
	// StepCount is how many steps "Show with" offers for new photos.
	StepCount int
	// NewStep is the step new photos are for (0: the gallery).
	NewStep int
	// Saved is set when the recipe was saved but a photo was refused.
	Saved bool
	// Unsent is set when files came with a form that had errors: nothing
	// was saved, the files neither.
	Unsent bool
	// MaxPhotoBytes and MaxUploadBody are told to the script, which
	// checks them before sending.
	MaxPhotoBytes int64
	MaxUploadBody int64
}

func photoFieldOf(p *recipe.Photo) photoField {
	f := photoField{ID: p.ID, Width: p.Width, Height: p.Height, Alt: p.Alt, Step: p.Step, Status: p.Status}
	if v := p.Smallest("jpeg", 320); p.Ready() && v != nil {
		f.Thumb = v.URL
	}
	return f
}

// photosOf fills the photo fields from a stored recipe (nil: a new one).
func (u *UI) photosOf(r *http.Request, rec *recipe.Recipe) photoForm {
	pf := photoForm{MaxPhotoBytes: MaxPhotoBytes, MaxUploadBody: MaxUploadBody}
	me := viewerOf(r)
	pf.Enabled = u.photos != nil && me.UserID != "" && (rec == nil || rec.Author.ID == me.UserID)
	if !pf.Enabled {
		return pf
	}
	if rec == nil {
		return pf
	}
	if rec.Photo != nil {
		m := photoFieldOf(rec.Photo)
		pf.Main, pf.MainAlt = &m, m.Alt
	}
	for i := range rec.Photos {
		pf.Photos = append(pf.Photos, photoFieldOf(&rec.Photos[i]))
	}
	pf.StepCount = len(rec.Steps)
	return pf
}

// typed overlays what the post said on the stored photos, so a form shown
// again keeps what was typed for photos still there.
func (pf *photoForm) typed(v map[string][]string) {
	get := func(k string) string {
		if vs := v[k]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	if _, ok := v["photo_alt"]; ok {
		pf.MainAlt = get("photo_alt")
	}
	pf.RemoveMain = get("photo_remove") != ""
	if n, err := strconv.Atoi(get("gallery_step")); err == nil && n > 0 {
		pf.NewStep = n
	}
	for i := range pf.Photos {
		p := &pf.Photos[i]
		if _, ok := v["photo_alt_"+p.ID]; !ok {
			continue // not on the form that was posted
		}
		p.Alt = get("photo_alt_" + p.ID)
		p.Remove = get("photo_remove_"+p.ID) != ""
	}
}

// storageMessage is the refusal of an upload while the blob store fails.
const storageMessage = "Photo storage is briefly unavailable, so the photo was not saved. Try again in a few seconds."

// photoError is a photo the service refused: the form field it belongs to,
// the HTTP status that fits and the message for the person.
type photoError struct {
	Field   string
	Status  int
	Message string
}

// applyPhotos makes the stored photos what the post asks: removals first
// (so a full gallery has room), then descriptions, then the new main photo
// and the new gallery photos (or one photo for a step). It goes on after a refusal, so one bad file
// does not cost the others; refusals come back by field. err is a failure
// of the service itself (for serverError).
func (u *UI) applyPhotos(r *http.Request, userID string, rec *recipe.Recipe, up *uploads) (refused []photoError, err error) {
	ctx, v := r.Context(), r.PostForm
	// refuse records a refusal by its field, or returns err when the
	// service itself failed.
	refuse := func(field string, e error) error {
		if errors.Is(e, store.ErrNotFound) {
			// Removed meanwhile, from another tab or device.
			refused = append(refused, photoError{Field: field, Status: http.StatusConflict,
				Message: "This photo or its recipe was removed meanwhile; nothing was changed."})
			return nil
		}
		if errors.Is(e, photos.ErrStorage) {
			// The recipe is saved; the photo can be sent again shortly.
			refused = append(refused, photoError{Field: field, Status: http.StatusServiceUnavailable,
				Message: photoMessage(e, storageMessage)})
			return nil
		}
		status, msg, ok := photos.Problem(e)
		if !ok {
			return e
		}
		if errors.Is(e, photos.ErrAltTooLong) {
			// About the description, not the file.
			if field == "photo" {
				field = "photo_alt"
			}
		} else {
			msg = photoMessage(e, msg)
		}
		refused = append(refused, photoError{Field: field, Status: status, Message: msg})
		return nil
	}
	// gone is a removal that found the photo already removed: done.
	gone := func(e error) error {
		if errors.Is(e, store.ErrNotFound) {
			return nil
		}
		return e
	}
	alt := func(key string) string { return strings.TrimSpace(v.Get(key)) }

	// budget refuses a file over the upload rate limit.
	budget := func(field string) bool {
		if u.photoBudget == nil {
			return true
		}
		ok, wait := u.photoBudget(r)
		if !ok {
			refused = append(refused, photoError{Field: field, Status: http.StatusTooManyRequests,
				Message: "You have added many photos lately; add more in " + waitText(wait) + "."})
		}
		return ok
	}

	mainFile := up.first("photo")
	if rec.Photo != nil && v.Get("photo_remove") != "" && mainFile == nil {
		if e := gone(u.photos.DeleteMain(ctx, userID, rec.ID)); e != nil {
			if err := refuse("photo", e); err != nil {
				return nil, err
			}
		}
	}
	for _, p := range rec.Photos {
		if _, onForm := v["photo_alt_"+p.ID]; !onForm {
			continue
		}
		field := "photo_alt_" + p.ID
		if v.Get("photo_remove_"+p.ID) != "" {
			if e := gone(u.photos.DeletePhoto(ctx, userID, rec.ID, p.ID)); e != nil {
				if err := refuse(field, e); err != nil {
					return nil, err
				}
			}
			continue
		}
		if a := alt(field); a != p.Alt {
			if e := u.photos.SetAlt(ctx, userID, rec.ID, p.ID, a); e != nil {
				if err := refuse(field, e); err != nil {
					return nil, err
				}
			}
		}
	}

	mainAlt := alt("photo_alt")
	switch {
	case mainFile != nil && !budget("photo"):
	case mainFile != nil:
		if e := u.withFile(mainFile, func(body io.Reader) error {
			_, e := u.photos.SetMain(ctx, userID, rec.ID, body, mainAlt)
			return e
		}); e != nil {
			if err := refuse("photo", named(mainFile, e)); err != nil {
				return nil, err
			}
		}
	case rec.Photo != nil && v.Get("photo_remove") == "" && mainAlt != rec.Photo.Alt:
		if _, onForm := v["photo_alt"]; onForm {
			if e := u.photos.SetAlt(ctx, userID, rec.ID, rec.Photo.ID, mainAlt); e != nil {
				if err := refuse("photo_alt", e); err != nil {
					return nil, err
				}
			}
		}
	}

	step, _ := strconv.Atoi(v.Get("gallery_step"))
	added := up.get("gallery")
	if step > 0 && len(added) > 1 {
		// A step shows one photo; which of several was meant is not ours
		// to guess.
		refused = append(refused, photoError{Field: "gallery", Status: http.StatusUnprocessableEntity,
			Message: fmt.Sprintf("A step shows one photo: choose a single file to show with step %d.", step)})
		added = nil
	}
	for _, f := range added {
		if !budget("gallery") {
			break // one message for the rest
		}
		if e := u.withFile(f, func(body io.Reader) error {
			_, e := u.photos.AddPhoto(ctx, userID, rec.ID, max(step, 0), body, "")
			return e
		}); e != nil {
			if err := refuse("gallery", named(f, e)); err != nil {
				return nil, err
			}
		}
	}
	if n := up.left("gallery"); n > 0 {
		refused = append(refused, photoError{Field: "gallery", Status: http.StatusRequestEntityTooLarge,
			Message: fmt.Sprintf("At most %d files can be sent at once; %d more were left out: add them in another save.", maxUploadFiles, n)})
	}
	return refused, nil
}

// withFile opens a spooled upload for fn.
func (u *UI) withFile(f *uploadedFile, fn func(io.Reader) error) error {
	file, err := f.Open()
	if err != nil {
		return fmt.Errorf("reopen upload: %w", err)
	}
	defer file.Close()
	return fn(file)
}

// namedError puts the file's name before the service's message, so a
// refusal among several gallery photos says which one.
type namedError struct {
	name string
	err  error
}

func (e *namedError) Error() string { return e.name + ": " + e.err.Error() }
func (e *namedError) Unwrap() error { return e.err }

func named(f *uploadedFile, err error) error {
	if f.Filename == "" {
		return err
	}
	return &namedError{name: f.Filename, err: err}
}

// photoMessage is the message for a refusal, naming the file when known.
func photoMessage(err error, msg string) string {
	var ne *namedError
	if errors.As(err, &ne) {
		return ne.name + ": " + msg
	}
	return msg
}

// StepNumbers are the steps new photos can be shown with: every step of
// the form.
func (pf photoForm) StepNumbers() []int {
	out := make([]int, pf.StepCount)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// MaxPhotoMB is the photo limit as people read it.
func (pf photoForm) MaxPhotoMB() int64 { return pf.MaxPhotoBytes >> 20 }

// MaxAlt is the longest description of a photo.
func (pf photoForm) MaxAlt() int { return photos.MaxAltLength }
