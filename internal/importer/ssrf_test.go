package importer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// ssrfTargets are addresses that must never be fetched, each given with
// the canary's port so that a fetch that got through would be seen.
func ssrfTargets(port uint16) []string {
	p := fmt.Sprint(port)
	hosts := []string{
		// 127.0.0.1 in the forms inet_aton and browsers accept.
		"127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "0x7F.1",
		"127.1", "127.0.1", "017700000001", "0177.1", "127.000.000.001", "127.0.0.1.",
		"１２７．０．０．１",
		// IPv6 forms of loopback and the unspecified address.
		"[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[64:ff9b::7f00:1]",
		"[::ffff:0:7f00:1]", "[2002:7f00:1::]", "[::127.0.0.1]", "[0:0:0:0:0:0:0:1]",
		"0.0.0.0", "0", "[::]",
		// Private, link-local, metadata and other non-public ranges.
		"169.254.169.254", "[::ffff:169.254.169.254]", "[fd00:ec2::254]", "100.100.100.200",
		"100.64.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "[fe80::1]", "[fe80::1%25lo]",
		"[fc00::1]", "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.0.170", "240.0.0.1",
		// Local names.
		"localhost", "LOCALHOST.", "app.localhost", "printer.local", "metadata.google.internal",
		"metadata", "router.home.arpa",
		// Names the test resolver points inside.
		"loopback.example.com", "private.example.com", "mapped.example.com",
		"mixed.example.com", "nat64.example.com",
	}
	var out []string
	for _, h := range hosts {
		out = append(out, "http://"+h+":"+p+"/recipe")
	}
	return out
}

// insideResolver points names at refused addresses (and, for mixed, at a
// public one too).
func insideResolver() *mapResolver {
	return &mapResolver{names: map[string][]string{
		"loopback.example.com": {"127.0.0.1"},
		"private.example.com":  {"10.1.2.3"},
		"mapped.example.com":   {"::ffff:127.0.0.1"},
		"mixed.example.com":    {"93.184.215.14", "127.0.0.1"},
		"nat64.example.com":    {"64:ff9b::7f00:1"},
	}}
}

func isRefusal(err error) bool {
	return errors.Is(err, ErrHostRefused) || errors.Is(err, ErrInvalidURL)
}

func TestSSRFTargetsAreRefusedWithoutConnecting(t *testing.T) {
	can := newCanary(t)
	f, log := strictFetcher(t, insideResolver(), can.port)
	for _, target := range ssrfTargets(can.port) {
		if _, err := f.Page(context.Background(), target); !isRefusal(err) {
			t.Errorf("Page(%s) = %v, want ErrHostRefused or ErrInvalidURL", target, err)
		}
		if _, _, err := f.Image(context.Background(), target); !isRefusal(err) {
			t.Errorf("Image(%s) = %v, want ErrHostRefused or ErrInvalidURL", target, err)
		}
	}
	if n := can.accepted.Load(); n != 0 {
		t.Errorf("the loopback listener was connected to %d times", n)
	}
	if got := log.list(); len(got) != 0 {
		t.Errorf("connections were made to %v", got)
	}
}

func TestMalformedAndDisallowedURLs(t *testing.T) {
	can := newCanary(t)
	p := fmt.Sprint(can.port)
	for _, raw := range []string{
		"", "example.com/recipe", "/recipe", "//example.com/recipe", "ftp://example.com/r",
		"file:///etc/passwd", "gopher://127.0.0.1:" + p + "/", "javascript:alert(1)",
		"data:text/html,<h1>x</h1>", "http:///recipe", "http://:" + p + "/", "http://example.com:/r",
		"http://user:pw@example.com/r", "http://user@example.com/r", "http://example.com@127.0.0.1:" + p + "/",
		"http://%31%32%37.0.0.1:" + p + "/", "http://127.0.0.1%00.example.com:" + p + "/",
		"http://example.com\\@127.0.0.1:" + p + "/", "http://127.0.0.1:" + p + "\\@example.com/",
		"http://example.com:8080/r", "http://example.com:22/r", "http://example.com:0080/r",
		"http://example.com:99999/r", "http://ex ample.com/r", "http://exa%00mple.com/r",
		"https://" + strings.Repeat("a", MaxURL) + ".com/",
	} {
		f, log := strictFetcher(t, insideResolver(), can.port)
		if _, err := f.Page(context.Background(), raw); !isRefusal(err) {
			t.Errorf("Page(%q) = %v, want ErrInvalidURL or ErrHostRefused", raw, err)
		}
		if got := log.list(); len(got) != 0 {
			t.Errorf("Page(%q) connected to %v", raw, got)
		}
	}
	if n := can.accepted.Load(); n != 0 {
		t.Errorf("the loopback listener was connected to %d times", n)
	}
}

// A redirect is checked like the first address: a public page cannot send
// the fetcher inside. The origin is a local server the test fetcher may
// reach (exactly its address and port), under a public-looking name.
func TestRedirectsToSSRFTargetsAreRefused(t *testing.T) {
	can := newCanary(t)
	origin := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	originAddr := addrPortOf(t, origin)
	res := insideResolver()
	res.names["recipes.example.com"] = []string{originAddr.Addr().String()}
	f, log := strictFetcher(t, res, can.port, originAddr.Port())
	f.allowAddrs = []netip.AddrPort{originAddr}

	targets := append(ssrfTargets(can.port), "ftp://example.com/r", "http://u:p@example.com/r",
		"http://example.com:8080/r", "file:///etc/passwd")
	for _, start := range []string{origin.URL, fmt.Sprintf("http://recipes.example.com:%d", originAddr.Port())} {
		for _, target := range targets {
			raw := start + "/go?to=" + url.QueryEscape(target)
			if _, err := f.Page(context.Background(), raw); !isRefusal(err) {
				t.Errorf("Page(%s) = %v, want ErrHostRefused or ErrInvalidURL", raw, err)
			}
		}
	}
	if n := can.accepted.Load(); n != 0 {
		t.Errorf("the loopback listener was connected to %d times", n)
	}
	for _, ap := range log.list() {
		if ap != originAddr {
			t.Errorf("a connection was made to %s", ap)
		}
	}
	if len(log.list()) == 0 {
		t.Error("the origin was never reached, so the redirects were not tested")
	}
}

// DNS rebinding: the name is public when checked and private when the
// transport connects. The dial's own resolution and check refuse it.
func TestDNSRebindingIsRefusedAtDial(t *testing.T) {
	can := newCanary(t)
	res := &mapResolver{answer: func(host string, calls int) []string {
		if calls == 0 {
			return []string{"93.184.215.14"}
		}
		return []string{"127.0.0.1"}
	}}
	f, log := strictFetcher(t, res, can.port)
	raw := fmt.Sprintf("http://rebind.example.com:%d/recipe", can.port)
	if _, err := f.Page(context.Background(), raw); !errors.Is(err, ErrHostRefused) {
		t.Fatalf("Page = %v, want ErrHostRefused", err)
	}
	if n := res.callsFor("rebind.example.com"); n != 2 {
		t.Errorf("the name was resolved %d times, want 2 (check, then dial)", n)
	}
	if n := can.accepted.Load(); n != 0 {
		t.Errorf("the loopback listener was connected to %d times", n)
	}
	if got := log.list(); len(got) != 0 {
		t.Errorf("connections were made to %v", got)
	}
}

// The dialer's Control hook is the last check, on the numeric address
// about to be connected to, whatever resolved it.
func TestDialControlRefusesInsideAddresses(t *testing.T) {
	can := newCanary(t)
	f, log := strictFetcher(t, &mapResolver{}, can.port)
	loop := fmt.Sprintf("127.0.0.1:%d", can.port)
	if _, err := f.dialer.DialContext(context.Background(), "tcp", loop); !errors.Is(err, ErrHostRefused) {
		t.Errorf("dialling %s: %v, want ErrHostRefused", loop, err)
	}
	if n := can.accepted.Load(); n != 0 {
		t.Errorf("the loopback listener was connected to %d times", n)
	}
	if got := log.list(); len(got) != 0 {
		t.Errorf("connections were let through to %v", got)
	}
	for addr, want := range map[string]error{
		"127.0.0.1:80":          ErrHostRefused,
		"[::ffff:127.0.0.1]:80": ErrHostRefused,
		"[::1]:443":             ErrHostRefused,
		"169.254.169.254:80":    ErrHostRefused,
		"93.184.215.14:22":      ErrInvalidURL,
		"93.184.215.14:443":     nil,
		"[2606:4700::1111]:80":  nil,
		"not an address":        ErrHostRefused,
	} {
		if err := f.control("tcp", addr, nil); !errors.Is(err, want) || (want == nil && err != nil) {
			t.Errorf("control(%s) = %v, want %v", addr, err, want)
		}
	}
}

// With private hosts allowed (development), addresses and ports are open
// but the other rules hold.
func TestAllowPrivateKeepsTheOtherRules(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<title>ok</title>")
	})
	f := privateFetcher(FetcherOptions{})
	if _, err := f.Page(context.Background(), srv.URL); err != nil {
		t.Fatalf("a local server: %v", err)
	}
	port := addrPortOf(t, srv).Port()
	for _, raw := range []string{
		fmt.Sprintf("http://2130706433:%d/", port),
		fmt.Sprintf("http://0x7f.0.0.1:%d/", port),
		fmt.Sprintf("http://127.1:%d/", port),
		fmt.Sprintf("http://u:p@127.0.0.1:%d/", port),
		fmt.Sprintf("ftp://127.0.0.1:%d/", port),
	} {
		if _, err := f.Page(context.Background(), raw); !isRefusal(err) {
			t.Errorf("Page(%s) = %v, want a refusal", raw, err)
		}
	}
}

func TestNoProxyFromTheEnvironment(t *testing.T) {
	tr := NewFetcher(FetcherOptions{}).client.Transport.(*http.Transport)
	if tr.Proxy != nil {
		t.Error("the transport uses a proxy function; a proxy would make the connections the checks are for")
	}
	if tr.DialContext == nil || tr.DialTLSContext != nil {
		t.Error("connections must go through the checking dialer")
	}
}

func TestCheckURL(t *testing.T) {
	f := NewFetcher(FetcherOptions{Resolver: &mapResolver{}})
	for raw, want := range map[string]string{
		"https://example.com/recipe":       "https://example.com/recipe",
		" HTTPS://Example.com:443/r?x=1#a": "https://Example.com:443/r?x=1#a",
		"http://bäckerei.example/brot":     "http://xn--bckerei-5wa.example/brot",
		"http://[2606:4700::1111]/r":       "http://[2606:4700::1111]/r",
	} {
		if got, err := f.CheckURL(raw); err != nil || got != want {
			t.Errorf("CheckURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range append(ssrfTargets(80), "ftp://example.com/", "http://example.com:8080/") {
		if _, err := f.CheckURL(raw); err == nil && !strings.Contains(raw, ".example.com") {
			t.Errorf("CheckURL(%q) passed", raw)
		}
	}
}
