package connlimit_test

import (
	"net/netip"
	"testing"

	"github.com/oursay/oursay/web/connlimit"
)

// TestKey: an IPv6 client is its /64, so changing the low 64 bits opens no
// more connections; an IPv4 client, mapped or not, is its address.
func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1":            "192.0.2.1",
		"::ffff:192.0.2.1":     "192.0.2.1",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":      "2001:db8:1:3::/64",
	} {
		if got := connlimit.Key(netip.MustParseAddr(in)); got != want {
			t.Errorf("Key(%s) = %q, want %q", in, got, want)
		}
	}
}
