package importer

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"time"

	"github.com/reccollection/reccollection/internal/images"
	"github.com/reccollection/reccollection/internal/importer/extract"
)

// Limits and defaults of the fetcher.
const (
	// MaxRedirects is how many redirects one fetch follows.
	MaxRedirects = 5
	// MaxPageBytes bounds a page after decompression: what extraction
	// parses, no more.
	MaxPageBytes = extract.MaxHTML
	// MaxImageBytes bounds a photo: the same limit as an upload.
	MaxImageBytes = images.MaxBytes

	DefaultConnectTimeout = 5 * time.Second
	DefaultTLSTimeout     = 5 * time.Second
	DefaultHeaderTimeout  = 10 * time.Second
	DefaultTimeout        = 20 * time.Second

	// DefaultUserAgent is a current desktop Chrome's. Many recipe sites
	// answer anything else with a challenge page or a 403; the importer
	// fetches one page a person asked for, as their browser would.
	DefaultUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36"

	acceptPage     = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	acceptImage    = "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"
	acceptLanguage = "en-GB,en;q=0.9"
)

// Resolver looks up a host's addresses; *net.Resolver is one.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// FetcherOptions configure a Fetcher; the zero value is the production
// setting.
type FetcherOptions struct {
	// AllowPrivate lets the fetcher contact any address on any port
	// (RECC_IMPORT_ALLOW_PRIVATE_HOSTS; development and tests only). The
	// scheme, user-information and numeric-host rules still apply.
	AllowPrivate bool
	// UserAgent defaults to DefaultUserAgent.
	UserAgent string
	// Resolver defaults to net.DefaultResolver.
	Resolver Resolver
	// ConnectTimeout bounds each TCP connect, TLSTimeout the TLS
	// handshake, HeaderTimeout the wait for the response's headers once
	// the request is sent, and Timeout the whole fetch, body included.
	// Zero means the Default* value.
	ConnectTimeout time.Duration
	TLSTimeout     time.Duration
	HeaderTimeout  time.Duration
	Timeout        time.Duration
}

// Fetcher downloads pages and photos for the importer from the public
// internet only. It is safe for concurrent use.
type Fetcher struct {
	opts   FetcherOptions
	client *http.Client
	dialer *net.Dialer

	// Tests only: ports allowed besides 80 and 443, addresses allowed
	// despite the address rule (exactly these address and port pairs),
	// and a function told of every connection the dial check let through.
	extraPorts []uint16
	allowAddrs []netip.AddrPort
	connecting func(netip.AddrPort)
}

// NewFetcher returns a Fetcher with opts, defaults filled in.
func NewFetcher(opts FetcherOptions) *Fetcher {
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.Resolver == nil {
		opts.Resolver = net.DefaultResolver
	}
	opts.ConnectTimeout = orDefault(opts.ConnectTimeout, DefaultConnectTimeout)
	opts.TLSTimeout = orDefault(opts.TLSTimeout, DefaultTLSTimeout)
	opts.HeaderTimeout = orDefault(opts.HeaderTimeout, DefaultHeaderTimeout)
	opts.Timeout = orDefault(opts.Timeout, DefaultTimeout)

	f := &Fetcher{opts: opts}
	// Control runs on the socket about to connect, with the address the
	// kernel will connect to: the last word, whatever DNS said before.
	f.dialer = &net.Dialer{Timeout: opts.ConnectTimeout, Control: f.control}
	f.client = &http.Client{
		Transport: &http.Transport{
			// Never a proxy from the environment: a proxy would make the
			// connection, and the address checks would check the proxy.
			Proxy:                  nil,
			DialContext:            f.dial,
			ForceAttemptHTTP2:      true,
			TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:    opts.TLSTimeout,
			ResponseHeaderTimeout:  opts.HeaderTimeout,
			MaxResponseHeaderBytes: 64 << 10,
			MaxIdleConns:           32,
			IdleConnTimeout:        30 * time.Second,
		},
		CheckRedirect: f.checkRedirect,
	}
	return f
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Page is a fetched web page.
type Page struct {
	// URL is where the page was found, after redirects.
	URL string
	// ContentType is the page's media type without parameters
	// ("text/html"); the body is UTF-8 whatever charset it was sent in.
	ContentType string
	Body        []byte
}

// Page fetches a web page (HTML, or JSON-LD) at rawURL. Failures are the
// Err* values of this package, wrapped with detail.
func (f *Fetcher) Page(ctx context.Context, rawURL string) (*Page, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	resp, err := f.get(ctx, rawURL, acceptPage)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()

	declared := resp.Header.Get("Content-Type")
	mt := mediaType(declared)
	if mt != "" && !pageTypes[mt] {
		return nil, fmt.Errorf("%w: %s sent %s", ErrNotHTML, resp.Request.URL.Host, mt)
	}
	body, err := readLimited(resp, MaxPageBytes)
	if err != nil {
		return nil, err
	}
	if mt == "" {
		if mt = mediaType(http.DetectContentType(body)); !pageTypes[mt] {
			return nil, fmt.Errorf("%w: %s sent no type and the body reads as %s", ErrNotHTML, resp.Request.URL.Host, mt)
		}
	}
	if body, err = toUTF8(body, declared, MaxPageBytes); err != nil {
		return nil, err
	}
	return &Page{URL: resp.Request.URL.String(), ContentType: mt, Body: body}, nil
}

// Image fetches a photo (image/*, at most MaxImageBytes) at rawURL and
// returns it with its media type (as declared, or sniffed when none is).
// Whether it is an image the
// photo pipeline accepts is for the pipeline to decide, from the bytes.
func (f *Fetcher) Image(ctx context.Context, rawURL string) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	resp, err := f.get(ctx, rawURL, acceptImage)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()

	mt := mediaType(resp.Header.Get("Content-Type"))
	if mt != "" && !isImageType(mt) {
		return nil, "", fmt.Errorf("%w: %s sent %s, not an image", ErrNotHTML, resp.Request.URL.Host, mt)
	}
	body, err := readLimited(resp, MaxImageBytes)
	if err != nil {
		return nil, "", err
	}
	if mt == "" {
		if mt = mediaType(http.DetectContentType(body)); !isImageType(mt) {
			return nil, "", fmt.Errorf("%w: %s sent no type and the body reads as %s", ErrNotHTML, resp.Request.URL.Host, mt)
		}
	}
	return body, mt, nil
}

// get checks rawURL, sends the request and returns a successful response;
// every error is one of the Err* values.
func (f *Fetcher) get(ctx context.Context, rawURL, accept string) (*http.Response, error) {
	u, err := f.checkURL(rawURL)
	if err != nil {
		return nil, err
	}
	// Resolving before the request gives a refused host its own clear
	// error; the dial checks again whatever DNS says by then.
	if err := f.checkResolves(ctx, u.Hostname(), u.Port(), u.Scheme); err != nil {
		return nil, classify(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Language", acceptLanguage)
	// No Accept-Encoding: the transport then asks for gzip itself and
	// decompresses transparently, and the body limit counts what it gives.
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, classify(err)
	}
	if err := checkStatus(resp); err != nil {
		resp.Body.Close()
		return nil, err
	}
	return resp, nil
}

// checkRedirect applies the URL rules to every hop and bounds their number.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, MaxRedirects)
	}
	if err := f.checkParsed(req.URL); err != nil {
		return err
	}
	return f.checkResolves(req.Context(), req.URL.Hostname(), req.URL.Port(), req.URL.Scheme)
}

// portAllowed is the port rule: 80 and 443, the ports of the web.
func (f *Fetcher) portAllowed(p uint16) bool {
	return f.opts.AllowPrivate || p == 80 || p == 443 || slices.Contains(f.extraPorts, p)
}

// addrAllowed is the address rule and the port rule for one destination.
func (f *Fetcher) addrAllowed(ap netip.AddrPort) error {
	if f.opts.AllowPrivate || slices.Contains(f.allowAddrs, ap) {
		return nil
	}
	if err := checkAddr(ap.Addr()); err != nil {
		return err
	}
	if ap.Port() != 0 && !f.portAllowed(ap.Port()) {
		return fmt.Errorf("%w: port %d", ErrInvalidURL, ap.Port())
	}
	return nil
}

// readLimited reads resp's body, failing with ErrTooLarge past max bytes.
func readLimited(resp *http.Response, max int64) ([]byte, error) {
	if resp.ContentLength > max {
		return nil, fmt.Errorf("%w: %s declared %d bytes, over %d", ErrTooLarge, resp.Request.URL.Host, resp.ContentLength, max)
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		// A declared length (at most max, checked above) saves growing the
		// buffer; it is a hint only, the limit still counts what arrives.
		buf.Grow(int(resp.ContentLength) + 1)
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, max+1)); err != nil {
		return nil, classify(err)
	}
	body := buf.Bytes()
	if int64(len(body)) > max {
		return nil, fmt.Errorf("%w: %s sent over %d bytes", ErrTooLarge, resp.Request.URL.Host, max)
	}
	return body, nil
}
