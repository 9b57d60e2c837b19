package smoke

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"
)

// maxBody bounds what is read of any answer: the server under test is
// not trusted to be sane.
const maxBody = 1 << 20

// client speaks to the server under test. It keeps no cookies (the
// anonymous checks must be anonymous) and follows no redirects (a
// redirect where an answer was expected is a finding, and following one
// could carry the request to another host).
type client struct {
	base *url.URL
	http *http.Client
	ua   string
}

func newClient(opts Options) *client {
	tr := opts.Transport
	if tr == nil {
		tr = http.DefaultTransport.(*http.Transport).Clone()
	}
	return &client{
		base: opts.BaseURL,
		ua:   opts.UserAgent,
		http: &http.Client{
			Transport:     tr,
			Timeout:       opts.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// response is an answer read in full (up to maxBody).
type response struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
	cookies      []*http.Cookie
}

// do sends a request with an optional JSON body and bearer token.
func (c *client) do(ctx context.Context, method, path string, query url.Values, body any, token string) (*response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := c.request(ctx, method, path, query, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.send(req)
}

// doWithCookies sends a bodiless request with the given cookies only.
func (c *client) doWithCookies(ctx context.Context, method, path string, cookies []*http.Cookie) (*response, error) {
	req, err := c.request(ctx, method, path, nil, nil)
	if err != nil {
		return nil, err
	}
	for _, ck := range cookies {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	return c.send(req)
}

func (c *client) request(ctx context.Context, method, path string, query url.Values, body io.Reader) (*http.Request, error) {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json, text/html;q=0.9")
	req.Header.Set("User-Agent", c.ua)
	return req, nil
}

func (c *client) send(req *http.Request) (*response, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		// Say which request could not be made; the error itself names
		// the URL, which holds nothing secret.
		return nil, fmt.Errorf("%s %s: not reachable: %w", req.Method, req.URL.Path, unwrapURLError(err))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", req.Method, req.URL.Path, err)
	}
	if len(b) > maxBody {
		return nil, fmt.Errorf("%s %s: expected an answer under %d bytes, got more", req.Method, req.URL.Path, maxBody)
	}
	return &response{method: req.Method, path: req.URL.Path, status: resp.StatusCode, header: resp.Header, body: b, cookies: resp.Cookies()}, nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Errorf("timed out: %w", ue.Err)
		}
		return ue.Err
	}
	return err
}

// want checks the status.
func (r *response) want(status int) error {
	if r.status != status {
		return fmt.Errorf("%s %s: expected HTTP %d, got %s", r.method, r.path, status, r.describe())
	}
	return nil
}

// describe is the status with the reason the server gave: a problem's
// detail, a redirect's target or the start of the body.
func (r *response) describe() string {
	s := fmt.Sprintf("%d %s", r.status, http.StatusText(r.status))
	if loc := r.header.Get("Location"); loc != "" {
		return s + " to " + clip(loc, 200)
	}
	if r.status < 300 {
		// A success body is content, not a reason.
		return s
	}
	var p struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Status string `json:"status"`
	}
	if json.Unmarshal(r.body, &p) == nil {
		for _, v := range []string{p.Detail, p.Title, p.Status} {
			if v != "" {
				return s + ": " + clip(v, 200)
			}
		}
	}
	if text := strings.TrimSpace(string(r.body)); text != "" {
		return s + ": " + clip(text, 200)
	}
	return s
}

// decode parses a JSON answer.
func (r *response) decode(v any) error {
	if err := json.Unmarshal(r.body, v); err != nil {
		return fmt.Errorf("%s %s: expected JSON, got %q (%v)", r.method, r.path, clip(string(r.body), 120), err)
	}
	return nil
}

// clip makes server-supplied text safe to print: control characters
// (terminal escapes, newlines that would forge output lines) become
// spaces and it is cut to max runes.
func clip(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, c := range s {
		if n == max {
			b.WriteString("…")
			break
		}
		if c == unicode.ReplacementChar || !unicode.IsPrint(c) {
			c = ' '
		}
		b.WriteRune(c)
		n++
	}
	return b.String()
}
