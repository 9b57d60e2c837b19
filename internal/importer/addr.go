package importer

import (
	"fmt"
	"net/netip"
)

// The address rule: the importer contacts only addresses on the public
// internet. A person who can submit a URL must not be able to make the
// server reach its own loopback, the cluster network, the cloud metadata
// service or anything else only the server can see.

// refusedV4 are the IPv4 ranges that are not the public internet (RFC 6890
// and its successors), plus single addresses cloud platforms answer on
// from inside a VM.
var refusedV4 = prefixes(
	"0.0.0.0/8",          // "this network"; 0.0.0.0 reaches the local host
	"10.0.0.0/8",         // private
	"100.64.0.0/10",      // carrier-grade NAT (Alibaba's metadata 100.100.100.200 is here)
	"127.0.0.0/8",        // loopback
	"169.254.0.0/16",     // link-local (AWS, GCP, Azure, OpenStack metadata 169.254.169.254)
	"172.16.0.0/12",      // private
	"192.0.0.0/24",       // IETF protocol assignments (Oracle metadata 192.0.0.192)
	"192.0.2.0/24",       // documentation
	"192.88.99.0/24",     // 6to4 relay anycast, deprecated
	"192.168.0.0/16",     // private
	"198.18.0.0/15",      // benchmarking
	"198.51.100.0/24",    // documentation
	"203.0.113.0/24",     // documentation
	"224.0.0.0/4",        // multicast
	"240.0.0.0/4",        // reserved, and 255.255.255.255 broadcast
	"168.63.129.16/32",   // Azure's host endpoint, public-looking but VM-only
	"100.100.100.200/32", // Alibaba metadata (also inside 100.64/10; named for clarity)
)

// refusedV6 are IPv6 ranges inside global unicast (2000::/3, the only part
// of the IPv6 space allowed at all) that are not the public internet.
var refusedV6 = prefixes(
	"2001::/23",     // IETF protocol assignments: Teredo, benchmarking, ORCHID
	"2001:db8::/32", // documentation
	"3fff::/20",     // documentation
)

var (
	// Only global unicast is allowed at all: unique local (fc00::/7, AWS's
	// fd00:ec2::254 metadata), site-local, discard-only and every unassigned
	// range fall outside it.
	globalUnicastV6 = netip.MustParsePrefix("2000::/3")
	// IPv6 forms that carry an IPv4 address a gateway connects to; the
	// IPv4 address decides.
	nat64      = netip.MustParsePrefix("64:ff9b::/96")    // well-known NAT64 (RFC 6052)
	translated = netip.MustParsePrefix("::ffff:0:0:0/96") // IPv4-translated (SIIT)
	sixToFour  = netip.MustParsePrefix("2002::/16")       // 6to4: bits 16-47
	// Local-use NAT64 (RFC 8215) leads into a private network.
	nat64Local = netip.MustParsePrefix("64:ff9b:1::/48")
	// IPv4-compatible addresses (deprecated) include :: and ::1.
	compatible  = netip.MustParsePrefix("::/96")
	linkLocalV6 = netip.MustParsePrefix("fe80::/10")
	multicastV6 = netip.MustParsePrefix("ff00::/8")
	awsMetaV6   = netip.MustParseAddr("fd00:ec2::254")
)

func prefixes(ps ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ps))
	for i, p := range ps {
		out[i] = netip.MustParsePrefix(p)
	}
	return out
}

// checkAddr returns nil when a is on the public internet, else an error
// wrapping ErrHostRefused that names the reason (for the log).
func checkAddr(a netip.Addr) error {
	if !a.IsValid() {
		return fmt.Errorf("%w: no address", ErrHostRefused)
	}
	if a.Zone() != "" {
		// Only link-local addresses need a zone, and those are refused.
		return fmt.Errorf("%w: %s has a zone", ErrHostRefused, a)
	}
	if a.Is4In6() {
		// ::ffff:127.0.0.1 is 127.0.0.1 to the kernel.
		return checkV4(a.Unmap(), a)
	}
	if a.Is4() {
		return checkV4(a, a)
	}
	switch {
	case a == awsMetaV6:
		return fmt.Errorf("%w: %s is a cloud metadata address", ErrHostRefused, a)
	case a.IsLoopback() || a.IsUnspecified():
		return fmt.Errorf("%w: %s is loopback or unspecified", ErrHostRefused, a)
	case linkLocalV6.Contains(a) || multicastV6.Contains(a):
		return fmt.Errorf("%w: %s is link-local or multicast", ErrHostRefused, a)
	case nat64.Contains(a) || translated.Contains(a):
		// A NAT64 or SIIT gateway connects to the IPv4 address in the
		// last 32 bits, so that address decides.
		b := a.As16()
		return checkV4(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), a)
	case nat64Local.Contains(a):
		return fmt.Errorf("%w: %s is a local-use NAT64 address", ErrHostRefused, a)
	case sixToFour.Contains(a):
		// 6to4 relays route to the IPv4 address embedded after the prefix.
		b := a.As16()
		return checkV4(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), a)
	case compatible.Contains(a):
		return fmt.Errorf("%w: %s is an IPv4-compatible address", ErrHostRefused, a)
	case !globalUnicastV6.Contains(a):
		return fmt.Errorf("%w: %s is not a global unicast address", ErrHostRefused, a)
	}
	for _, p := range refusedV6 {
		if p.Contains(a) {
			return fmt.Errorf("%w: %s is in %s", ErrHostRefused, a, p)
		}
	}
	return nil
}

// checkV4 applies the IPv4 rule to v4, naming as the address given.
func checkV4(v4, as netip.Addr) error {
	for _, p := range refusedV4 {
		if p.Contains(v4) {
			if as != v4 {
				return fmt.Errorf("%w: %s embeds %s, in %s", ErrHostRefused, as, v4, p)
			}
			return fmt.Errorf("%w: %s is in %s", ErrHostRefused, v4, p)
		}
	}
	return nil
}
