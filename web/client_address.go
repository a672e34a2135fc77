package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/oursay/oursay/web/connlimit"
)

// clientKey names the client a rate limit counts against: its address, or
// for IPv6 its /64, since one home or phone is usually given a whole /64
// and could otherwise step round a limit by changing address.
func clientKey(r *http.Request) string {
	a, err := netip.ParseAddr(clientIP(r))
	if err != nil {
		return clientIP(r)
	}
	return connlimit.Key(a)
}

// ParseTrustedProxies reads a comma-separated list of addresses or CIDR
// prefixes ("10.0.0.0/8, ::1"); "" is none.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// realClient replaces RemoteAddr with the client a trusted proxy names in
// X-Forwarded-For: the rightmost address that is not itself a trusted
// proxy (anything to its left could be made up by the client). From any
// other peer the header is ignored. Everything downstream that keys on the
// client (rate limits, sign-in lockouts, live connection caps) then sees
// the real one.
func (s *Server) realClient(next http.Handler) http.Handler {
	if len(s.cfg.TrustedProxies) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ip, ok := s.forwardedFor(r); ok {
			r = r.WithContext(r.Context()) // a shallow copy, not the caller's request
			r.RemoteAddr = net.JoinHostPort(ip.String(), "0")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) forwardedFor(r *http.Request) (netip.Addr, bool) {
	peer, err := netip.ParseAddr(clientIP(r))
	if err != nil || !s.trusted(peer) {
		return netip.Addr{}, false
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return netip.Addr{}, false
		}
		if !s.trusted(a) {
			return a.Unmap(), true
		}
	}
	return netip.Addr{}, false
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
