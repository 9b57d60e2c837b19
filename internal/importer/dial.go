package importer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"syscall"
)

// maxDialAddrs bounds how many of a host's addresses one connection tries,
// so a name with hundreds of unreachable addresses cannot hold a fetch.
const maxDialAddrs = 4

// dial is the transport's DialContext: it resolves the host itself (with
// the configured Resolver), refuses the host if any address is refused,
// and connects to the allowed addresses in turn. control checks each
// connect once more.
func (f *Fetcher) dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	addrs, err := f.resolve(ctx, host, port)
	if err != nil {
		return nil, err
	}
	if len(addrs) > maxDialAddrs {
		addrs = addrs[:maxDialAddrs]
	}
	var errs []error
	for _, ap := range addrs {
		conn, err := f.dialer.DialContext(ctx, "tcp", ap.String())
		if err == nil {
			return conn, nil
		}
		if errors.Is(err, ErrHostRefused) || errors.Is(err, ErrInvalidURL) || ctx.Err() != nil {
			return nil, err
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// control is the dialer's Control hook: it runs after the socket is made
// and before it connects, with the numeric address that will be connected
// to, so neither DNS rebinding, nor a redirect, nor a resolver that
// disagrees with the check can reach a refused address.
func (f *Fetcher) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot read dial address %q", ErrHostRefused, address)
	}
	ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	if err := f.addrAllowed(ap); err != nil {
		return err
	}
	if f.connecting != nil {
		f.connecting(ap)
	}
	return nil
}

// checkResolves resolves a URL's host and applies the address rule to
// every address.
func (f *Fetcher) checkResolves(ctx context.Context, host, port, scheme string) error {
	if port == "" {
		port = "80"
		if scheme == "https" {
			port = "443"
		}
	}
	_, err := f.resolve(ctx, host, port)
	return err
}

// resolve returns host's addresses with port, or ErrHostRefused if any of
// them is refused: a name that also points inside is not trusted for its
// public addresses either.
func (f *Fetcher) resolve(ctx context.Context, host, port string) ([]netip.AddrPort, error) {
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("%w: port %q", ErrInvalidURL, port)
	}
	if a, err := netip.ParseAddr(host); err == nil {
		ap := netip.AddrPortFrom(a.Unmap(), uint16(p))
		if err := f.addrAllowed(netip.AddrPortFrom(a, uint16(p))); err != nil {
			return nil, err
		}
		return []netip.AddrPort{ap}, nil
	}
	ips, err := f.opts.Resolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("%w: %s has no addresses", ErrUnreachable, host)
	}
	out := make([]netip.AddrPort, 0, len(ips))
	for _, ip := range ips {
		raw := ip.IP
		if v4 := raw.To4(); v4 != nil {
			// net.IP keeps IPv4 in 16 bytes; the 4-byte form reads better
			// in the log and is checked the same.
			raw = v4
		}
		a, ok := netip.AddrFromSlice(raw)
		if !ok {
			return nil, fmt.Errorf("%w: %s resolved to an unreadable address", ErrHostRefused, host)
		}
		a = a.WithZone(ip.Zone)
		if err := f.addrAllowed(netip.AddrPortFrom(a, uint16(p))); err != nil {
			return nil, fmt.Errorf("%s resolves to a refused address: %w", host, err)
		}
		out = append(out, netip.AddrPortFrom(a.Unmap(), uint16(p)))
	}
	return out, nil
}
