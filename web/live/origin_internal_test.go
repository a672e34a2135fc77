package live

import (
	"crypto/tls"
	"net/http/httptest"
	"net/url"
	"testing"
)

// TestSameOrigin: a live connection is for pages of this site only. An
// origin is scheme and host together, so a plain-http page on the https
// site's own host name (a network attacker's injected page) is another
// origin and may not subscribe.
func TestSameOrigin(t *testing.T) {
	base, err := url.Parse("https://say.example")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, origin, host string
		tls                bool
		want               bool
	}{
		{"NotABrowser", "", "say.example", false, true},
		{"PublicAddress", "https://say.example", "say.example", false, true},
		{"PublicAddressBehindProxy", "https://say.example", "127.0.0.1:8080", false, true},
		{"HTTPPageOnPublicHost", "http://say.example", "say.example", false, false},
		{"HTTPPageBehindProxy", "http://say.example", "127.0.0.1:8080", false, false},
		{"DirectPlain", "http://127.0.0.1:8080", "127.0.0.1:8080", false, true},
		{"DirectTLS", "https://127.0.0.1:8443", "127.0.0.1:8443", true, true},
		// What a TLS-terminating proxy that keeps the Host header sends.
		{"HTTPSOriginOnPlainRequest", "https://127.0.0.1:8080", "127.0.0.1:8080", false, true},
		{"HTTPOriginOnTLSRequest", "http://127.0.0.1:8443", "127.0.0.1:8443", true, false},
		{"OtherSite", "https://evil.example", "say.example", false, false},
		{"Lookalike", "https://say.example.evil.example", "say.example", false, false},
		{"Opaque", "null", "say.example", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/live", nil)
			r.Host = tc.host
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if got := sameOrigin(r, base); got != tc.want {
				t.Errorf("Origin %q to Host %q: got %v, want %v", tc.origin, tc.host, got, tc.want)
			}
		})
	}
}
