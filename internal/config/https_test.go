package config

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestTrustedProxies(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  []string
	}{
		{"", nil},
		{"10.0.0.0/8", []string{"10.0.0.0/8"}},
		{" 10.0.0.5 , 192.168.0.0/16,fd00::/8, 2001:db8::1 ,", []string{"10.0.0.5/32", "192.168.0.0/16", "fd00::/8", "2001:db8::1/128"}},
		{"::ffff:10.0.0.1", []string{"10.0.0.1/32"}},
	} {
		c, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_TRUSTED_PROXIES": tc.value}), fakeFiles(nil))
		if err != nil {
			t.Fatalf("RECC_TRUSTED_PROXIES=%q: %v", tc.value, err)
		}
		var got []string
		for _, p := range c.TrustedProxies {
			got = append(got, p.String())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("RECC_TRUSTED_PROXIES=%q: %q, want %q", tc.value, got, tc.want)
		}
	}
	c, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_TRUSTED_PROXIES": "10.0.0.1,172.16.0.0/12"}), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Redacted()["RECC_TRUSTED_PROXIES"]; got != "10.0.0.1,172.16.0.0/12" {
		t.Errorf("redacted as %q", got)
	}
	if !c.TrustedProxies[1].Contains(netip.MustParseAddr("172.20.1.2")) {
		t.Error("172.16.0.0/12 does not contain 172.20.1.2")
	}

	for value, reason := range map[string]string{
		"10.0.0.0/33":        "invalid CIDR",
		"10.0.0.300":         "invalid IP",
		"lb.internal":        "invalid IP",
		"10.0.0.1/8":         "did you mean 10.0.0.0/8",
		"0.0.0.0/0":          "trusts every address",
		"::/0":               "trusts every address",
		",":                  "lists no address",
		"10.0.0.1, nonsense": "invalid IP",
		"fe80::1%eth0":       "invalid IP",
	} {
		_, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_TRUSTED_PROXIES": value}), fakeFiles(nil))
		fes := fieldErrors(t, err)
		if len(fes) != 1 || fes[0].Var != "RECC_TRUSTED_PROXIES" || !strings.Contains(fes[0].Reason, reason) {
			t.Errorf("RECC_TRUSTED_PROXIES=%q: %v, want one error containing %q", value, err, reason)
		}
	}
}

func TestTLSSettings(t *testing.T) {
	dev := func(over map[string]string) map[string]string {
		return with(map[string]string{"RECC_DATA_DIR": t.TempDir()}, over)
	}
	c, err := Load(getenvFrom(dev(nil)), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.TLSEnabled() || c.TLSDomains != nil || c.HTTPSAddr != ":443" {
		t.Errorf("defaults: TLSEnabled=%v TLSDomains=%q HTTPSAddr=%q", c.TLSEnabled(), c.TLSDomains, c.HTTPSAddr)
	}

	c, err = Load(getenvFrom(dev(map[string]string{
		"RECC_TLS_DOMAINS":        "Recipes.Example.com., www.recipes.example.com,recipes.example.com,xn--bcher-kva.example",
		"RECC_HTTPS_ADDR":         "127.0.0.1:8443",
		"RECC_ACME_DIRECTORY_URL": "https://acme-staging-v02.api.letsencrypt.org/directory",
		"RECC_ACME_EMAIL":         "ops@example.com",
	})), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"recipes.example.com", "www.recipes.example.com", "xn--bcher-kva.example"}; !c.TLSEnabled() || !slices.Equal(c.TLSDomains, want) {
		t.Errorf("TLSDomains = %q, want %q", c.TLSDomains, want)
	}
	if c.HTTPSAddr != "127.0.0.1:8443" || c.ACMEEmail != "ops@example.com" || !strings.Contains(c.ACMEDirectoryURL, "staging") {
		t.Errorf("config %+v", c)
	}
	m := c.Redacted()
	if m["RECC_TLS_DOMAINS"] != "recipes.example.com,www.recipes.example.com,xn--bcher-kva.example" ||
		m["RECC_ACME_DIRECTORY_URL"] != "https://acme-staging-v02.api.letsencrypt.org/directory" || m["RECC_HTTPS_ADDR"] != "127.0.0.1:8443" {
		t.Errorf("Redacted = %v", m)
	}

	// Production: the base URL's host must be among the domains.
	prod := with(prodEnv(t), map[string]string{"RECC_TLS_DOMAINS": "recipes.example.com"})
	if _, err := Load(getenvFrom(prod), fakeFiles(nil)); err != nil {
		t.Errorf("production with TLS domains: %v", err)
	}

	for _, tc := range []struct {
		env    map[string]string
		name   string
		reason string
	}{
		{dev(map[string]string{"RECC_TLS_DOMAINS": "*.example.com"}), "RECC_TLS_DOMAINS", "not a host name"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": "https://example.com"}), "RECC_TLS_DOMAINS", "not a host name"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": "example.com:443"}), "RECC_TLS_DOMAINS", "not a host name"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": "192.0.2.1"}), "RECC_TLS_DOMAINS", "not a host name"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": "localhost"}), "RECC_TLS_DOMAINS", "not a host name"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": "-bad.example.com"}), "RECC_TLS_DOMAINS", "not a host name"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": "bücher.example"}), "RECC_TLS_DOMAINS", "xn--"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": " , "}), "RECC_TLS_DOMAINS", "lists no host name"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": "a.example.com", "RECC_HTTPS_ADDR": "443"}), "RECC_HTTPS_ADDR", "invalid address"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": "a.example.com", "RECC_HTTPS_ADDR": ":99999"}), "RECC_HTTPS_ADDR", "invalid port"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": "a.example.com", "RECC_ACME_EMAIL": "Ops <ops@example.com>"}), "RECC_ACME_EMAIL", "plain address"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": "a.example.com", "RECC_ACME_EMAIL": "nobody"}), "RECC_ACME_EMAIL", "invalid email"},
		{dev(map[string]string{"RECC_TLS_DOMAINS": "a.example.com", "RECC_ACME_DIRECTORY_URL": "ftp://acme"}), "RECC_ACME_DIRECTORY_URL", "https:// or http://"},
		{dev(map[string]string{"RECC_HTTPS_ADDR": ":8443"}), "RECC_HTTPS_ADDR", "without RECC_TLS_DOMAINS"},
		{dev(map[string]string{"RECC_ACME_EMAIL": "ops@example.com"}), "RECC_ACME_EMAIL", "without RECC_TLS_DOMAINS"},
		{dev(map[string]string{"RECC_ACME_DIRECTORY_URL": "https://acme.example/dir"}), "RECC_ACME_DIRECTORY_URL", "without RECC_TLS_DOMAINS"},
		{with(prodEnv(t), map[string]string{"RECC_TLS_DOMAINS": "other.example.com"}), "RECC_TLS_DOMAINS", "host of RECC_BASE_URL"},
		{with(prodEnv(t), map[string]string{"RECC_TLS_DOMAINS": "recipes.example.com", "RECC_ACME_DIRECTORY_URL": "http://pebble:14000/dir"}), "RECC_ACME_DIRECTORY_URL", "must be https"},
	} {
		_, err := Load(getenvFrom(tc.env), fakeFiles(nil))
		fes := fieldErrors(t, err)
		if len(fes) != 1 || fes[0].Var != tc.name || !strings.Contains(fes[0].Reason, tc.reason) {
			t.Errorf("%s=%q: %v, want one %s error containing %q", tc.name, tc.env[tc.name]+tc.env["RECC_TLS_DOMAINS"], err, tc.name, tc.reason)
		}
	}
}
