package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/cmd/wire"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
	"github.com/oursay/oursay/web/connlimit"
	"github.com/oursay/oursay/web/live"
	"github.com/oursay/oursay/web/mailer"
)

// serveGCPercent is the garbage collector's target while serving, unless
// the GOGC environment variable sets one.
const serveGCPercent = 200

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stdout)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dbPath := fs.String("db", "oursay.db", "SQLite database file")
	baseURL := fs.String("base-url", "", "public URL of the site (default http://ADDR)")
	smtpAddr := fs.String("smtp-addr", "", "SMTP server HOST:PORT (without it, mail goes to the outbox at /admin/outbox)")
	mailFrom := fs.String("mail-from", "oursay@localhost", "From address of the mail OurSay sends")
	smtpTLS := fs.String("smtp-tls", "opportunistic", "STARTTLS for --smtp-addr: opportunistic, mandatory or none")
	smtpUser := fs.String("smtp-user", "", "SMTP user name, if the server wants one (password from OURSAY_SMTP_PASSWORD)")
	liveEvery := fs.Duration("live-interval", 200*time.Millisecond, "how often a changed count is pushed to the pages watching it (50ms to 10s)")
	smtpConns := fs.Int("smtp-conns", 32, "how many connections to the SMTP server mail goes out on at once (1 to 64; lower it for a relay that allows fewer per client)")
	memLimit := fs.Int("memory-limit", serveMemoryLimitMB, "soft limit on the memory the Go runtime uses, in MB: the collector works harder as it nears it (0 for none; GOMEMLIMIT overrides it)")
	liveMax := fs.Int("live-max-conns", defaultLiveMaxConns, "most live-count websocket connections at once, from all clients (each is an open file)")
	perClient := fs.Int("max-conns-per-client", defaultMaxConnsPerClient,
		"most connections one client address (an IPv6 /64) holds open at once, live ones included; "+
			"--trusted-proxies are not capped; 0 turns the cap off")
	demo := fs.Bool("demo", false, "load the demo council into an empty database")
	idle := fs.Duration("session-idle", web.DefaultSessionIdle, "how long a staff session lasts without activity (staff are warned before it ends)")
	uploadMB := fs.Int("upload-limit", ballot.DefaultUploadLimit>>20, "largest contract document staff may upload, in MB (1 to 200)")
	keyFile := fs.String("key-file", "", "voter code key file, kept apart from the database (default: the database path + .key; created if missing)")
	abuse := addAbuseFlags(fs.FlagSet)
	if err := fs.parse(args); err != nil {
		return err
	}
	// Everything the command line can get wrong is found here, before a
	// database, key file or listener exists.
	switch {
	case *liveEvery < 50*time.Millisecond || *liveEvery > 10*time.Second:
		return fs.bad("live-interval", "want 50ms to 10s")
	case *smtpConns < 1 || *smtpConns > 64:
		return fs.bad("smtp-conns", "want 1 to 64")
	case *memLimit < 0 || *memLimit > 1_000_000:
		return fs.bad("memory-limit", "want 0 (no limit) to 1000000 MB")
	case *liveMax < 1 || *liveMax > 1_000_000:
		return fs.bad("live-max-conns", "want 1 to 1000000")
	case *perClient < 0 || *perClient > 1_000_000:
		return fs.bad("max-conns-per-client", "want 0 to 1000000")
	case *uploadMB < 1 || *uploadMB > 200:
		return fs.bad("upload-limit", "want 1 to 200 (MB)")
	}
	if err := checkAddr(*addr); err != nil {
		return fs.bad("addr", err.Error())
	}
	if *baseURL != "" {
		if err := checkBaseURL(*baseURL); err != nil {
			return fs.bad("base-url", err.Error())
		}
	}
	proxies, err := web.ParseTrustedProxies(abuse.proxies)
	if err != nil {
		return fs.bad("trusted-proxies", err.Error())
	}
	switch mailer.TLSPolicy(*smtpTLS) {
	case mailer.TLSOpportunistic, mailer.TLSMandatory, mailer.TLSNone:
	default:
		return fs.bad("smtp-tls", "want opportunistic, mandatory or none")
	}
	// Listen before anything is loaded or printed: with the port taken,
	// serve stops here rather than after loading the demo.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return listenError(*addr, err)
	}
	defer ln.Close()
	log := slog.New(slog.NewTextHandler(stderr, nil))
	raiseFileLimit(log, filesNeeded(*liveMax))
	if os.Getenv("GOGC") == "" {
		// A viral petition makes garbage at thousands of requests a
		// second, and at Go's default target the collector took about a
		// tenth of the server's CPU; at 200 the heap may grow to three
		// times what is live (tens of MB here) and signing went from
		// 0.24 to 0.21 ms of server CPU a signature. GOGC overrides it.
		debug.SetGCPercent(serveGCPercent)
	}

	d, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()

	codeKey, created, err := loadCodeKey(codeKeyPath(*keyFile, *dbPath))
	if err != nil {
		return err
	}
	if created {
		log.Info("created the voter code key: back it up apart from the database", "path", codeKeyPath(*keyFile, *dbPath))
	}
	d.SetAuditKey(db.AuditKey(codeKey)) // before anything is written
	limits, err := abuse.configure(ctx, d)
	if err != nil {
		return err
	}
	if *idle < 10*time.Second {
		return fmt.Errorf("--session-idle must be at least 10s")
	}
	srv, err := newServer(d, *baseURL, *addr, codeKey, log, live.Options{Interval: *liveEvery, MaxConns: *liveMax}, limits,
		func(c *web.Config) { c.SessionIdle, c.UploadLimit = *idle, int64(*uploadMB)<<20 })
	if err != nil {
		return err
	}
	if *demo {
		if err := loadDemo(ctx, d, srv, codeKey, siteBase(*baseURL, *addr), *dbPath, stdout); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	// Stop the mailer, then wait for it, before the deferred d.Close: also
	// when listen fails without ctx ending.
	mctx, stopMail := context.WithCancel(ctx)
	waitMail, err := startMailer(mctx, d, mailer.Config{
		Addr: *smtpAddr, From: *mailFrom, TLS: mailer.TLSPolicy(*smtpTLS),
		Username: *smtpUser, Password: os.Getenv("OURSAY_SMTP_PASSWORD"), Conns: *smtpConns,
	}, log)
	if err != nil {
		stopMail()
		return err
	}
	defer waitMail()
	defer stopMail()
	cctx, stopClosings := context.WithCancel(ctx)
	waitClosings := startClosings(cctx, d, siteBase(*baseURL, *addr), log)
	defer waitClosings()
	defer stopClosings()
	vctx, stopReviews := context.WithCancel(ctx)
	waitReviews := startReviews(vctx, d, time.Now, log)
	defer waitReviews()
	defer stopReviews()
	rctx, stopRetention := context.WithCancel(ctx)
	waitRetention := startRetention(rctx, d, time.Now, log)
	defer waitRetention()
	defer stopRetention()
	if os.Getenv("GOMEMLIMIT") == "" && *memLimit > 0 {
		mlctx, stopLimit := context.WithCancel(ctx)
		limitDone := make(chan struct{})
		go func() {
			defer close(limitDone)
			followMemoryLimit(mlctx, *memLimit, srv.Live().Conns, setMemoryLimit)
		}()
		defer func() { stopLimit(); <-limitDone }()
	}
	conns := connCaps{perClient: *perClient, exempt: proxies}
	return listen(ctx, ln, srv.Handler(), srv.Live().Shutdown, conns, log, stdout)
}

// defaultLiveMaxConns is --live-max-conns unless set: the live hub's own
// default cap on connections.
const defaultLiveMaxConns = live.DefaultMaxConns

// defaultMaxConnsPerClient is --max-conns-per-client unless set: room for
// a few dozen browsers behind one address (six connections each, plus a
// live socket a tab), well short of the open-file limit.
const defaultMaxConnsPerClient = 256

// filesNeeded is the open-file limit serving with liveMax live connections
// wants: one descriptor each, plus room for ordinary requests, keep-alive
// connections, the database's files and the mailer's connections.
func filesNeeded(liveMax int) uint64 { return uint64(liveMax) + 4096 }

// checkAddr checks a listen address without listening: HOST:PORT, the
// host optional, the port a number.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("want HOST:PORT, such as 127.0.0.1:8080 or :8080")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return errors.New("want a port number from 0 to 65535 after the colon")
	}
	return nil
}

// checkBaseURL checks the public address of the site: an http or https
// URL with a host and nothing after it, since every link OurSay writes
// starts at the root of the site.
func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Scheme != "http" && u.Scheme != "https":
		return errors.New("want an http:// or https:// URL, such as https://say.example.gov.uk")
	case u.Host == "" || u.Hostname() == "":
		return errors.New("want a host name after the scheme, such as https://say.example.gov.uk")
	case u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return errors.New("want only scheme://host[:port]: OurSay serves from the root of its site")
	}
	return nil
}

// listenError says why the address could not be taken.
func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("listen on %s: the address is in use by another program (stop it, or give another --addr; make run takes ADDR=127.0.0.1:8081)", addr)
	}
	return fmt.Errorf("listen on %s: %w", addr, err)
}

// newServer assembles OurSay on d (see package wire): the live hub, made
// with liveOpts, then the stores, then the web server, which opts adjust.
// With no base URL, links point at the listening address.
// siteBase is the address links in mail start with: --base-url, or else
// the address serve listens on.
func siteBase(baseURL, addr string) string {
	if baseURL == "" {
		return "http://" + addr
	}
	return baseURL
}

func newServer(d *db.DB, baseURL, addr string, codeKey []byte, log *slog.Logger, liveOpts live.Options, opts ...func(*web.Config)) (*web.Server, error) {
	baseURL = siteBase(baseURL, addr)
	app, err := wire.New(d, wire.Options{BaseURL: baseURL, CodeKey: codeKey, Logger: log, Live: liveOpts, Configure: opts})
	if err != nil {
		return nil, err
	}
	// Parsing the templates at start leaves twice their size in garbage,
	// which the runtime would hand back to the system only slowly: give it
	// back now, so a small machine starts small (see README, Performance).
	debug.FreeOSMemory()
	return app.Web, nil
}

// connCaps caps the connections one client holds open: perClient for each
// address (an IPv6 /64), none for the trusted proxies in exempt, whose
// connections carry many clients.
type connCaps struct {
	perClient int
	exempt    []netip.Prefix
}

// idleTimeout is how long a keep-alive connection may wait for its next
// request: each one is an open file, and a browser opens a new one in a
// moment when it needs it.
const idleTimeout = 30 * time.Second

// listen serves until ctx ends, then drains requests for up to 10 seconds.
// closeLive runs first: http.Server.Shutdown neither closes nor waits for
// hijacked connections, so the live websockets get their close frames there.
func listen(ctx context.Context, ln net.Listener, h http.Handler, closeLive func(context.Context) error, conns connCaps, log *slog.Logger, stdout io.Writer) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
	ln = connlimit.Listen(ln, conns.perClient, conns.exempt)
	fmt.Fprintf(stdout, "OurSay is listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	lctx, cancelLive := context.WithTimeout(sctx, 3*time.Second)
	if err := closeLive(lctx); err != nil {
		log.Warn("live connections hung up on", "err", err)
	}
	cancelLive()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
