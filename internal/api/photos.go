package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/images"
	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/validate"
)

// WithPhotos enables the photo routes; without it they answer 503.
func (a *API) WithPhotos(p *photos.Service) *API {
	a.photos = p
	return a
}

// uploadOverhead is what a multipart body may hold besides the photo:
// boundaries, part headers and the small text fields.
const uploadOverhead = 64 << 10

// multipartMemory is how much of a multipart body is kept in memory;
// the photo itself goes to a temporary file, so parallel uploads cost
// disk, not memory.
const multipartMemory = 256 << 10

// upload is a photo sent to the API: either a multipart/form-data body
// with the picture in the field "file" (and "alt", "step" fields), or
// the picture as the raw body (alt and step then in the query).
type upload struct {
	file io.Reader
	alt  string
	step string
	done func()
}

// readUpload reads an upload, answering a problem and returning nil when
// the request holds none. The type of the picture is never taken from
// the request: the pipeline reads it from the content.
func readUpload(w http.ResponseWriter, r *http.Request) *upload {
	// A slow phone connection may take minutes over 20 MiB: paced rather
	// than cut off at the server's 30 s.
	httpx.PaceUpload(w, r, images.MaxBytes+uploadOverhead)
	u := &upload{alt: r.URL.Query().Get("alt"), step: r.URL.Query().Get("step"), done: func() {}}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		u.file = r.Body
		return u
	}
	if err := r.ParseMultipartForm(multipartMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusRequestEntityTooLarge, "The photo is larger than 20 MiB."))
			return nil
		}
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusBadRequest, "The multipart body could not be read: "+err.Error()+"."))
		return nil
	}
	u.done = func() { _ = r.MultipartForm.RemoveAll() }
	f, _, err := r.FormFile("file")
	if err != nil {
		u.done()
		httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "file", Message: "is required: send the photo in the multipart field \"file\""}}))
		return nil
	}
	prev := u.done
	u.done = func() { f.Close(); prev() }
	u.file = f
	if v, ok := r.MultipartForm.Value["alt"]; ok && len(v) > 0 {
		u.alt = v[0]
	}
	if v, ok := r.MultipartForm.Value["step"]; ok && len(v) > 0 {
		u.step = v[0]
	}
	return u
}

// photoFailed answers a refused upload with its own status and message,
// and anything else as every other failure.
func (a *API) photoFailed(w http.ResponseWriter, r *http.Request, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusRequestEntityTooLarge, "The photo is larger than 20 MiB."))
		return
	}
	if status, msg, ok := photos.Problem(err); ok {
		httpx.WriteProblem(w, r, httpx.NewProblem(status, msg))
		return
	}
	if errors.Is(err, photos.ErrStorage) {
		a.log.WarnContext(r.Context(), "photo storage unavailable", "err", err, "request_id", httpx.RequestID(r.Context()))
		httpx.SetRetryAfter(w)
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusServiceUnavailable, "Photo storage is briefly unavailable. Try again in a few seconds."))
		return
	}
	a.fail(w, r, err)
}

func (a *API) photosReady(w http.ResponseWriter, r *http.Request) bool {
	if a.photos == nil {
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusServiceUnavailable, "Photos are not available on this server."))
		return false
	}
	return true
}

// setRecipePhoto is PUT /api/v1/recipes/{id}/photo.
func (a *API) setRecipePhoto(w http.ResponseWriter, r *http.Request) {
	a.uploadRecipePhoto(w, r, false)
}

// addRecipePhoto is POST /api/v1/recipes/{id}/photos: a gallery photo,
// or a step's photo with "step".
func (a *API) addRecipePhoto(w http.ResponseWriter, r *http.Request) {
	a.uploadRecipePhoto(w, r, true)
}

func (a *API) uploadRecipePhoto(w http.ResponseWriter, r *http.Request, gallery bool) {
	if !a.photosReady(w, r) {
		return
	}
	rec, ok := a.loadEditable(w, r)
	if !ok {
		return
	}
	up := readUpload(w, r)
	if up == nil {
		return
	}
	defer up.done()
	// The photo is the recipe author's (their quota), also when an admin
	// adds it.
	user := rec.Author.ID
	var p *recipe.Photo
	var err error
	if gallery {
		step := 0
		if up.step != "" {
			if step, err = strconv.Atoi(strings.TrimSpace(up.step)); err != nil || step < 1 {
				httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "step", Message: "must be a step number from 1"}}))
				return
			}
		}
		p, err = a.photos.AddPhoto(r.Context(), user, rec.ID, step, up.file, up.alt)
	} else {
		p, err = a.photos.SetMain(r.Context(), user, rec.ID, up.file, up.alt)
	}
	if err != nil {
		a.photoFailed(w, r, err)
		return
	}
	status := http.StatusOK
	if gallery {
		status = http.StatusCreated
	}
	httpx.WriteJSON(w, r, status, p)
}

// deleteRecipePhoto is DELETE /api/v1/recipes/{id}/photo.
func (a *API) deleteRecipePhoto(w http.ResponseWriter, r *http.Request) {
	a.deletePhoto(w, r, func(user string, rec *recipe.Recipe) error {
		return a.photos.DeleteMain(r.Context(), user, rec.ID)
	})
}

// deleteGalleryPhoto is DELETE /api/v1/recipes/{id}/photos/{photo}.
func (a *API) deleteGalleryPhoto(w http.ResponseWriter, r *http.Request) {
	a.deletePhoto(w, r, func(user string, rec *recipe.Recipe) error {
		return a.photos.DeletePhoto(r.Context(), user, rec.ID, r.PathValue("photo"))
	})
}

func (a *API) deletePhoto(w http.ResponseWriter, r *http.Request, del func(user string, rec *recipe.Recipe) error) {
	if !a.photosReady(w, r) {
		return
	}
	rec, ok := a.loadEditable(w, r)
	if !ok {
		return
	}
	if err := del(rec.Author.ID, rec); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// photoPatchRequest is the body of PATCH /api/v1/recipes/{id}/photos/{photo}.
type photoPatchRequest struct {
	Alt *string `json:"alt"`
}

// patchPhoto is PATCH /api/v1/recipes/{id}/photos/{photo}: its alt text.
func (a *API) patchPhoto(w http.ResponseWriter, r *http.Request) {
	if !a.photosReady(w, r) {
		return
	}
	rec, ok := a.loadEditable(w, r)
	if !ok {
		return
	}
	var req photoPatchRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	if req.Alt == nil {
		httpx.WriteProblem(w, r, httpx.Invalid(validate.Errors{{Field: "alt", Message: "is required"}}))
		return
	}
	if err := a.photos.SetAlt(r.Context(), rec.Author.ID, rec.ID, r.PathValue("photo"), *req.Alt); err != nil {
		a.photoFailed(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// setAvatar is PUT /api/v1/me/avatar.
func (a *API) setAvatar(w http.ResponseWriter, r *http.Request) {
	if !a.photosReady(w, r) {
		return
	}
	u := requireUser(w, r)
	if u == nil {
		return
	}
	up := readUpload(w, r)
	if up == nil {
		return
	}
	defer up.done()
	p, err := a.photos.SetAvatar(r.Context(), u.ID, up.file)
	if err != nil {
		a.photoFailed(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, p)
}

// deleteAvatar is DELETE /api/v1/me/avatar.
func (a *API) deleteAvatar(w http.ResponseWriter, r *http.Request) {
	if !a.photosReady(w, r) {
		return
	}
	u := requireUser(w, r)
	if u == nil {
		return
	}
	if err := a.photos.DeleteAvatar(r.Context(), u.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
