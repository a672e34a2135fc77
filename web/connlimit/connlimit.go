// Package connlimit caps the connections a listener keeps open per client
// address, so that one client holding idle keep-alive connections cannot
// take every file descriptor and starve everyone else.
package connlimit

import (
	"net"
	"net/netip"
	"sync"
)

// Listen wraps ln so that no client address holds more than perAddr
// connections at once: a connection beyond that is closed as soon as it
// is accepted, unanswered, and the next is accepted. A client is its
// address, or for IPv6 its /64, as for the web server's rate limits. Peers
// in exempt are not capped: behind a reverse proxy every connection comes
// from the proxy, so the cap there is the proxy's job. perAddr 0 or less
// returns ln as it is. A connection is counted until it is closed, also
// after a handler has hijacked it (the live websockets).
func Listen(ln net.Listener, perAddr int, exempt []netip.Prefix) net.Listener {
	if perAddr <= 0 {
		return ln
	}
	return &listener{Listener: ln, perAddr: perAddr, exempt: exempt, open: map[string]int{}}
}

type listener struct {
	net.Listener
	perAddr int
	exempt  []netip.Prefix

	mu   sync.Mutex
	open map[string]int // connections open per client
}

// Accept returns the next connection whose client is under its cap.
func (l *listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key, capped := l.client(c.RemoteAddr())
		if !capped {
			return c, nil
		}
		if l.admit(key) {
			return &conn{Conn: c, l: l, key: key}, nil
		}
		c.Close()
	}
}

// client names the client a connection counts against, and whether it is
// capped at all.
func (l *listener) client(a net.Addr) (string, bool) {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return "", false
	}
	ip := ap.Addr().Unmap()
	for _, p := range l.exempt {
		if p.Contains(ip) {
			return "", false
		}
	}
	return Key(ip), true
}

// Key is the client an address counts as: an IPv4 address itself, an IPv6
// address its /64, since one home or phone is usually given a whole /64.
func Key(ip netip.Addr) string {
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

func (l *listener) admit(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key] >= l.perAddr {
		return false
	}
	l.open[key]++
	return true
}

func (l *listener) leave(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key]--; l.open[key] <= 0 {
		delete(l.open, key)
	}
}

// conn gives its place back when it is closed, once however often Close
// is called.
type conn struct {
	net.Conn
	l    *listener
	key  string
	once sync.Once
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.leave(c.key) })
	return err
}
