package importer

import (
	"errors"
	"net/netip"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	refused := []string{
		"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255",
		"100.100.100.200", "127.0.0.1", "127.255.0.1", "169.254.169.254", "169.254.0.1",
		"172.16.0.1", "172.31.255.255", "192.0.0.1", "192.0.0.192", "192.0.2.1", "192.88.99.1",
		"192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9",
		"224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "168.63.129.16",
		// IPv6 of its own kinds.
		"::", "::1", "fe80::1", "febf::1", "fc00::1", "fd12:3456::1", "fd00:ec2::254",
		"fec0::1", "ff02::1", "ff0e::1", "100::1", "2001:db8::1", "2001::1", "2001:2::1",
		"3fff::1", "4000::1",
		// IPv4 in IPv6 clothes: the IPv4 address decides.
		"::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
		"64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "::ffff:0:7f00:1",
		"::ffff:0:a00:1", "2002:7f00:1::", "2002:a00:1::1", "2002:a9fe:a9fe::",
		"::127.0.0.1", "::8.8.8.8", "64:ff9b:1::8.8.8.8",
	}
	for _, s := range refused {
		if err := checkAddr(netip.MustParseAddr(s)); !errors.Is(err, ErrHostRefused) {
			t.Errorf("checkAddr(%s) = %v, want ErrHostRefused", s, err)
		}
	}
	allowed := []string{
		"1.1.1.1", "8.8.8.8", "93.184.215.14", "172.15.255.255", "172.32.0.1", "100.63.255.255",
		"100.128.0.1", "169.253.255.255", "198.17.255.255", "198.20.0.1", "192.0.1.1",
		"192.169.0.1", "223.255.255.255", "11.0.0.1",
		"2606:4700:4700::1111", "2a00:1450:4001::200e", "2001:4860:4860::8888",
		"::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "::ffff:0:808:808",
	}
	for _, s := range allowed {
		if err := checkAddr(netip.MustParseAddr(s)); err != nil {
			t.Errorf("checkAddr(%s) = %v, want nil", s, err)
		}
	}
	if err := checkAddr(netip.MustParseAddr("fe80::1%eth0")); !errors.Is(err, ErrHostRefused) {
		t.Errorf("a zoned address: %v", err)
	}
	if err := checkAddr(netip.Addr{}); !errors.Is(err, ErrHostRefused) {
		t.Errorf("the zero address: %v", err)
	}
}

func TestLooksNumeric(t *testing.T) {
	for name, want := range map[string]bool{
		"2130706433": true, "0177.0.0.1": true, "0x7f.0.0.1": true, "0x7f000001": true,
		"127.1": true, "1.2.3.4.5": true, "example.0x": true, "foo.123": true,
		"example.com": false, "123.example.com": false, "0xcafe.com": false, "a.b": false,
		"x.0xg": false, "": false,
	} {
		if got := looksNumeric(name); got != want {
			t.Errorf("looksNumeric(%q) = %v, want %v", name, got, want)
		}
	}
}
