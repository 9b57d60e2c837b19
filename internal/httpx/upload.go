package httpx

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"
)

// The server's ReadTimeout (30 s for the whole request) would cut off a
// 20 MB photo sent from a phone on a slow connection. An upload is
// instead dropped when it stalls: each read may wait UploadIdleTimeout,
// and the whole body may take UploadMaxTime (100 MiB at about 1 Mbit/s).
const (
	UploadIdleTimeout = 30 * time.Second
	UploadMaxTime     = 15 * time.Minute
	// UploadAnswerTime is what storing the upload and answering may take
	// once the body is read.
	UploadAnswerTime = 2 * time.Minute
)

// PaceUpload replaces r.Body with one read at most maxBody bytes (a
// *http.MaxBytesError past it) under upload deadlines rather than the
// server's: a client that keeps sending may go on, one that stops is cut
// off. The answer's write deadline moves to the end of the longest upload
// plus UploadAnswerTime, since the server's ran from the request's start.
func PaceUpload(w http.ResponseWriter, r *http.Request, maxBody int64) {
	rc := http.NewResponseController(w)
	end := time.Now().Add(UploadMaxTime)
	_ = rc.SetWriteDeadline(end.Add(UploadAnswerTime))
	r.Body = http.MaxBytesReader(w, &pacedBody{ReadCloser: r.Body, rc: rc, end: end}, maxBody)
}

// pacedBody moves the connection's read deadline before each read.
// Without a deadline to move (http.ErrNotSupported) the server's own
// timeouts apply.
type pacedBody struct {
	io.ReadCloser
	rc  *http.ResponseController
	end time.Time
}

func (b *pacedBody) Read(p []byte) (int, error) {
	deadline := time.Now().Add(UploadIdleTimeout)
	if deadline.After(b.end) {
		deadline = b.end
	}
	_ = b.rc.SetReadDeadline(deadline)
	return b.ReadCloser.Read(p)
}

// Errors of FileParts besides fn's own and *http.MaxBytesError.
var (
	ErrNotMultipart = errors.New("httpx: the body is not multipart/form-data")
	ErrNoFile       = errors.New("httpx: the form has no file in that field")
	ErrBadMultipart = errors.New("httpx: the multipart body could not be read")
)

// FileParts calls fn with the name and the contents, as they arrive, of
// each file in the multipart form field named field of r's body (a field
// may hold several files: an input with multiple or a folder chosen).
// Nothing is held whole: an upload of hundreds of megabytes streams
// straight to where fn puts it. Other fields are skipped. It returns
// ErrNotMultipart, ErrNoFile when the field holds no file (an input left
// empty sends none),
// ErrBadMultipart, the *http.MaxBytesError of a body past its limit, or
// fn's first error.
func FileParts(r *http.Request, field string, fn func(name string, body io.Reader) error) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return ErrNotMultipart
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadMultipart, err)
	}
	files := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			if files == 0 {
				return ErrNoFile
			}
			return nil
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return tooBig
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrBadMultipart, err)
		}
		if part.FormName() != field {
			part.Close()
			continue
		}
		// A file input left empty still sends its field, with no name
		// and nothing in it: no file.
		body := bufio.NewReader(part)
		if _, perr := body.Peek(1); part.FileName() == "" && errors.Is(perr, io.EOF) {
			part.Close()
			continue
		}
		files++
		err = fn(part.FileName(), body)
		part.Close()
		if err != nil {
			return err
		}
	}
}
