package live

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// newUpgrader returns the websocket upgrader: small buffers, and pages of
// base or of the host the request was sent to only.
func newUpgrader(base *url.URL) websocket.Upgrader {
	return websocket.Upgrader{
		HandshakeTimeout: 10 * time.Second,
		// Small buffers, and a write buffer only while writing: an idle
		// connection then holds little more than its goroutines' stacks.
		ReadBufferSize:  256,
		WriteBufferSize: 1024,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     func(r *http.Request) bool { return sameOrigin(r, base) },
		Error: func(w http.ResponseWriter, r *http.Request, status int, reason error) {
			http.Error(w, http.StatusText(status), status)
		},
	}
}

// sameOrigin refuses a browser page on another site (cross-site websocket
// hijacking). A browser always sends Origin on a websocket; a request
// without one is not from a page. The Origin must be the configured public
// address, scheme included (an http: page on the https site's host name is
// another origin), or name the host the request was sent to.
func sameOrigin(r *http.Request, base *url.URL) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if base != nil && base.Host != "" && strings.EqualFold(u.Host, base.Host) {
		return strings.EqualFold(u.Scheme, base.Scheme)
	}
	// Behind a TLS-terminating proxy the request is plain while the page
	// is https; a plain-http page is never let in over TLS.
	return strings.EqualFold(u.Host, r.Host) && (strings.EqualFold(u.Scheme, "https") || r.TLS == nil && strings.EqualFold(u.Scheme, "http"))
}
