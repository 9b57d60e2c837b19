package ui

// Reading forms that carry photos (multipart/form-data) without holding
// them in memory: text fields are read into the form as usual, within the
// same 1 MiB as any other form; each file is streamed to a temporary file,
// at most one photo's worth of it, and the whole body is bounded.

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/images"
)

const (
	// MaxPhotoBytes is the largest photo accepted, the image pipeline's
	// own limit (the photo service reads no more).
	MaxPhotoBytes = images.MaxBytes
	// MaxUploadBody bounds a whole form post with photos: a handful of
	// full-size phone photos, or a gallery's worth of ordinary ones. It is
	// spooled to disk, never held in memory.
	MaxUploadBody = 100 << 20
	// maxUploadFiles bounds the files of one post: a main photo and a full
	// gallery (20).
	maxUploadFiles = 21
	// maxFormParts bounds the parts of one post, text fields included (a
	// recipe at its limits has about 250, and each existing photo 3).
	maxFormParts = 1000
)

// errTooManyParts is a form post no page of this site sends.
var errTooManyParts = errors.New("too many form parts")

// uploadedFile is one file of a form post, spooled to a temporary file.
type uploadedFile struct {
	Field    string
	Filename string
	Size     int64
	path     string
}

// Open reads the file back. At most MaxPhotoBytes+1 bytes were kept of a
// larger one, which is enough for the photo service to refuse it as too
// large with its own message.
func (f *uploadedFile) Open() (*os.File, error) { return os.Open(f.path) }

// uploads are a post's files by form field, in the order sent.
type uploads struct {
	dir   string
	files map[string][]*uploadedFile
	// leftOut counts, by field, files beyond maxUploadFiles that were
	// read past and not kept.
	leftOut map[string]int
}

func (up *uploads) get(field string) []*uploadedFile {
	if up == nil {
		return nil
	}
	return up.files[field]
}

func (up *uploads) first(field string) *uploadedFile {
	if fs := up.get(field); len(fs) > 0 {
		return fs[0]
	}
	return nil
}

// left is how many files of field were left out (over maxUploadFiles).
func (up *uploads) left(field string) int {
	if up == nil {
		return 0
	}
	return up.leftOut[field]
}

// any reports whether the post carried a file.
func (up *uploads) any() bool {
	if up == nil {
		return false
	}
	for _, fs := range up.files {
		if len(fs) > 0 {
			return true
		}
	}
	return false
}

// Close removes the temporary files.
func (up *uploads) Close() {
	if up != nil && up.dir != "" {
		_ = os.RemoveAll(up.dir)
	}
}

// parseUploadForm reads a form post that may carry files in fileFields,
// bounded at maxBody in all. A urlencoded post (a form without files, or a
// client that sends one) is read like any other form. On success r.PostForm
// holds the text fields; the caller closes the uploads. An error is for
// badForm: a *http.MaxBytesError for a body over the limit.
func parseUploadForm(w http.ResponseWriter, r *http.Request, maxBody int64, fileFields ...string) (*uploads, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		if err := parseForm(w, r); err != nil {
			return nil, err
		}
		return &uploads{}, nil
	}
	// Refused before reading a byte when the browser says the size.
	if r.ContentLength > maxBody {
		return nil, &http.MaxBytesError{Limit: maxBody}
	}
	// Paced rather than cut off at the server's 30 s (httpx.PaceUpload).
	httpx.PaceUpload(w, r, maxBody)
	boundary := params["boundary"]
	if boundary == "" {
		return nil, errors.New("multipart form without a boundary")
	}
	up := &uploads{files: map[string][]*uploadedFile{}, leftOut: map[string]int{}}
	if err := up.read(r, boundary, fileFields); err != nil {
		up.Close()
		return nil, err
	}
	return up, nil
}

func (up *uploads) read(r *http.Request, boundary string, fileFields []string) error {
	isFile := map[string]bool{}
	for _, f := range fileFields {
		isFile[f] = true
	}
	values := url.Values{}
	textLeft := int64(httpx.MaxBody)
	nfiles := 0
	mr := multipart.NewReader(r.Body, boundary)
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if parts == maxFormParts {
			return errTooManyParts
		}
		name := p.FormName()
		switch {
		case isFile[name]:
			if nfiles == maxUploadFiles {
				// Read past it (the body limit still counts it).
				n, err := io.Copy(io.Discard, p)
				if err != nil {
					return err
				}
				if n > 0 {
					up.leftOut[name]++
				}
				continue
			}
			f, err := up.spool(name, p.FileName(), p)
			if err != nil {
				return err
			}
			if f != nil {
				up.files[name] = append(up.files[name], f)
				nfiles++
			}
		case name == "" || p.FileName() != "":
			// A file where none is expected: read past it.
			if _, err := io.Copy(io.Discard, p); err != nil {
				return err
			}
		default:
			b, err := io.ReadAll(io.LimitReader(p, textLeft+1))
			if err != nil {
				return err
			}
			textLeft -= int64(len(b))
			if textLeft < 0 {
				return &http.MaxBytesError{Limit: httpx.MaxBody}
			}
			values.Add(name, string(b))
		}
	}
	r.PostForm = values
	r.Form = values
	return nil
}

// spool copies one file part to a temporary file, keeping at most
// MaxPhotoBytes+1 bytes and reading past the rest. An empty part (a file
// input left empty sends one) gives nil.
func (up *uploads) spool(field, filename string, body io.Reader) (*uploadedFile, error) {
	if up.dir == "" {
		dir, err := os.MkdirTemp("", "recc-upload-")
		if err != nil {
			return nil, fmt.Errorf("upload directory: %w", err)
		}
		up.dir = dir
	}
	tmp, err := os.CreateTemp(up.dir, "file-")
	if err != nil {
		return nil, fmt.Errorf("upload file: %w", err)
	}
	defer tmp.Close()
	n, err := io.Copy(tmp, io.LimitReader(body, MaxPhotoBytes+1))
	if err != nil {
		return nil, err
	}
	size := n
	if n > MaxPhotoBytes {
		rest, err := io.Copy(io.Discard, body)
		if err != nil {
			return nil, err
		}
		size += rest
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("upload file: %w", err)
	}
	if size == 0 {
		return nil, os.Remove(tmp.Name())
	}
	return &uploadedFile{Field: field, Filename: strings.TrimSpace(filename), Size: size, path: tmp.Name()}, nil
}
