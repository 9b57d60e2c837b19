package importer

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// canary is a listener on 127.0.0.1 (and ::1 on the same port where the
// machine has IPv6) that counts the connections it is sent: a refused
// fetch must leave it at zero.
type canary struct {
	port     uint16
	accepted atomic.Int64
}

func newCanary(t *testing.T) *canary {
	t.Helper()
	c := &canary{}
	l4, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = uint16(l4.Addr().(*net.TCPAddr).Port)
	ls := []net.Listener{l4}
	if l6, err := net.Listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(int(c.port)))); err == nil {
		ls = append(ls, l6)
	}
	for _, l := range ls {
		go func() {
			for {
				conn, err := l.Accept()
				if err != nil {
					return
				}
				c.accepted.Add(1)
				conn.Close()
			}
		}()
		t.Cleanup(func() { l.Close() })
	}
	return c
}

// dialLog records the connections the dial check let through.
type dialLog struct {
	mu    sync.Mutex
	addrs []netip.AddrPort
}

func (d *dialLog) add(ap netip.AddrPort) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.addrs = append(d.addrs, ap)
}

func (d *dialLog) list() []netip.AddrPort {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]netip.AddrPort(nil), d.addrs...)
}

// mapResolver answers from a table and says "no such host" to any other
// name, so no test asks real DNS.
type mapResolver struct {
	mu    sync.Mutex
	names map[string][]string
	// answer, when set, decides instead, given how many times the name
	// was asked before.
	answer func(host string, calls int) []string
	calls  map[string]int
}

func (r *mapResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.calls == nil {
		r.calls = map[string]int{}
	}
	n := r.calls[host]
	r.calls[host]++
	addrs := r.names[host]
	if r.answer != nil {
		addrs = r.answer(host, n)
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	out := make([]net.IPAddr, len(addrs))
	for i, a := range addrs {
		out[i] = net.IPAddr{IP: net.ParseIP(a)}
	}
	return out, nil
}

func (r *mapResolver) callsFor(host string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[host]
}

// strictFetcher is a production fetcher (private hosts refused) except
// that the given ports are allowed besides 80 and 443, so the address
// checks, not the port rule, are what a test of a local address meets.
func strictFetcher(t *testing.T, res Resolver, ports ...uint16) (*Fetcher, *dialLog) {
	t.Helper()
	f := NewFetcher(FetcherOptions{Resolver: res})
	f.extraPorts = ports
	log := &dialLog{}
	f.connecting = log.add
	return f, log
}

// privateFetcher is the development setting tests use for behaviour that
// has nothing to do with addresses.
func privateFetcher(opts FetcherOptions) *Fetcher {
	opts.AllowPrivate = true
	if opts.Resolver == nil {
		opts.Resolver = &mapResolver{}
	}
	return NewFetcher(opts)
}

// serve starts a real HTTP server for h and returns its URL.
func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func addrPortOf(t *testing.T, srv *httptest.Server) netip.AddrPort {
	t.Helper()
	ap, err := netip.ParseAddrPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return ap
}
