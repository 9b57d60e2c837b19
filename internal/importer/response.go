package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// pageTypes are the media types a page may have: HTML, XHTML, and JSON
// (a recipe's JSON-LD served on its own).
var pageTypes = map[string]bool{
	"text/html":             true,
	"application/xhtml+xml": true,
	"application/ld+json":   true,
	"application/json":      true,
}

// isImageType accepts image/* except SVG, which is a document that can
// carry script, and which the photo pipeline does not decode.
func isImageType(mt string) bool {
	return strings.HasPrefix(mt, "image/") && mt != "image/svg+xml"
}

// mediaType returns the lower-case media type of a Content-Type header
// without its parameters, or "".
func mediaType(header string) string {
	if mt, _, err := mime.ParseMediaType(header); err == nil {
		return mt
	}
	mt, _, _ := strings.Cut(header, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// challengePeek is how much of a 503 is read to recognise a challenge page.
const challengePeek = 64 << 10

// checkStatus maps an unsuccessful answer to the error a person can act
// on. Sites that refuse automated clients answer 401, 403, 429 or 451, or
// a challenge page (Cloudflare's marks itself with cf-mitigated, or is a
// 503 titled "Just a moment..."): the way round is to paste the page.
func checkStatus(resp *http.Response) error {
	host := resp.Request.URL.Host
	if resp.Header.Get("Cf-Mitigated") != "" {
		return fmt.Errorf("%w: %s answered %d with a challenge", ErrBlocked, host, resp.StatusCode)
	}
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusUnauthorized, code == http.StatusForbidden,
		code == http.StatusTooManyRequests, code == http.StatusUnavailableForLegalReasons:
		return fmt.Errorf("%w: %s answered %d", ErrBlocked, host, code)
	case code == http.StatusNotFound, code == http.StatusGone:
		return fmt.Errorf("%w: %s answered %d", ErrPageNotFound, host, code)
	case code == http.StatusServiceUnavailable && isChallenge(resp.Body):
		return fmt.Errorf("%w: %s answered %d with a challenge", ErrBlocked, host, code)
	default:
		return fmt.Errorf("%w: %s answered %d", ErrUpstream, host, code)
	}
}

func isChallenge(body io.Reader) bool {
	head, _ := io.ReadAll(io.LimitReader(body, challengePeek))
	return bytes.Contains(bytes.ToLower(head), []byte("<title>just a moment...</title>"))
}

// toUTF8 decodes body to UTF-8 when its charset is another. A charset sent
// in the header or as a byte-order mark is obeyed; one from a <meta> tag,
// or none, only when the body is not valid UTF-8 already, because many
// pages declare ISO-8859-1 in a template and are UTF-8 in fact, and a UTF-8
// page with no declaration would otherwise be read as Windows-1252.
func toUTF8(body []byte, contentType string, max int64) ([]byte, error) {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" || enc == encoding.Nop || (!certain && utf8.Valid(body)) {
		return bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), nil
	}
	r := transform.NewReader(bytes.NewReader(body), enc.NewDecoder())
	out, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("%w: decoding %s: %v", ErrUpstream, name, err)
	}
	if int64(len(out)) > max {
		return nil, fmt.Errorf("%w: over %d bytes once decoded from %s", ErrTooLarge, max, name)
	}
	return out, nil
}

// classify turns a transport error into one of the package's errors.
func classify(err error) error {
	var ne net.Error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrHostRefused), errors.Is(err, ErrInvalidURL),
		errors.Is(err, ErrTooManyRedirects), errors.Is(err, ErrUnreachable):
		return err
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("%w: %v", ErrTimeout, err)
	case errors.Is(err, context.Canceled):
		return err
	default:
		return fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
}
