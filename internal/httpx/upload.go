package httpx

import (
	"io"
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
