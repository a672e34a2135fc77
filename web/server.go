// Package web is OurSay's HTTP side: routes, handlers, server-rendered
// pages, embedded static assets and the JSON API. It uses the domain
// packages' store interfaces and never imports db.
package web

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-playground/validator/v10"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web/live"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// faviconSVG is also served at /favicon.ico, which browsers ask for
// whatever the page links.
//
//go:embed static/favicon.svg
var faviconSVG []byte

// Stores are the domain's store interfaces that the pages and API read
// and write.
type Stores struct {
	Consult consult.Store
	Users   consult.UserStore
	Audit   consult.AuditLog
	// Outbox is the mail queue shown at /admin/outbox.
	Outbox consult.Outbox
	// Contracts, Council, Petitions and Ballots are the recall side.
	Contracts ballot.ContractStore
	Council   ballot.CouncilData
	Petitions ballot.PetitionStore
	Ballots   ballot.BallotStore
	// Spending is the council's imported payments over GBP 500.
	Spending ballot.SpendingStore
	// Documents are the files attached to contracts.
	Documents ballot.DocumentStore
	// Settings keeps the council's settings; nil serves the defaults
	// and saves nothing.
	Settings consult.SettingsStore
	// People finds, exports and erases a person's data (/admin/people).
	People consult.PeopleStore
	// Requests are the information requests about contracts.
	Requests ballot.RequestStore
	// Reviews are the contract reviews held at each end point.
	Reviews ballot.ReviewStore
}

// Config is everything the web layer needs from the outside.
type Config struct {
	Stores Stores
	// UploadLimit bounds a contract document, in bytes; 0 is
	// ballot.DefaultUploadLimit (20 MB).
	UploadLimit int64
	// CodeKey keys the voter and consultation code hashes; it lives
	// outside the database file.
	CodeKey []byte
	// RateLimits cap, per client, the requests a script could repeat (see
	// DefaultRateLimits); the zero value limits nothing.
	RateLimits RateLimits
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; from any other peer the header is ignored.
	TrustedProxies []netip.Prefix
	// MinFillTime is the least time a person takes over the sign form: a
	// signature sent sooner, or without a genuine form stamp, is held for
	// review. 0 turns the timing check off; the honeypot is always checked.
	MinFillTime time.Duration
	// FormKey signs the time a form was shown. cmd keeps one in the
	// database, so a restart does not void forms open in browsers; nil
	// means a random key per process.
	FormKey []byte
	// SessionStore keeps sessions; cmd passes an scs sqlite3store on the
	// same database file.
	SessionStore scs.Store
	// BaseURL is the public address, e.g. https://say.example.gov.uk. An
	// https URL makes cookies Secure with a __Host- name.
	BaseURL string
	Logger  *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Ping reports whether the database answers, for /healthz.
	Ping func(context.Context) error
	// AppendAudit records a council action that no store records itself
	// (sign-in, sign-out).
	AppendAudit func(ctx context.Context, actor, action, subject, detail string) error
	// SessionIdle is how long a staff session lasts without a request;
	// 0 means DefaultSessionIdle.
	SessionIdle time.Duration
	// Live is the hub that serves /live and keeps read API bodies. cmd
	// makes it first and hands it to the stores as their Publisher too;
	// nil means a hub of live's defaults that no store tells of changes.
	Live *live.Hub
}

// Server serves every OurSay page and API route.
type Server struct {
	cfg      Config
	limits   *rateLimiter // requests per client
	forms    *formClock   // bot signals on the sign form
	prints   *printCache  // QR codes and poster PDFs, drawn once each
	log      *slog.Logger
	pages    map[string]*template.Template
	validate *validator.Validate
	sessions *scs.SessionManager
	cookies  *cookieSealer // a vote in progress and receipts, on the browser
	signin   *signinLimiter
	codes    *codeLimiter  // wrong voter codes per client
	hashes   chan struct{} // caps concurrent argon2id hashes (~19 MiB each)
	live     *live.Hub
	// keptConsultations and keptBallots are what responses and votes
	// are sent to, kept for a second (see respondingTo and votingOn).
	keptConsultations kept[*consult.Consultation]
	keptBallots       kept[*ballot.Ballot]
	handler           http.Handler
	council           atomic.Pointer[consult.Settings] // see settings

	savingSettings sync.Mutex // see adminSettingsSave
}

// maxBody bounds every request body: 5,000-character answers to a few
// dozen questions fit with room to spare.
const maxBody = 1 << 20

// New parses the templates (a parse error stops the boot) and wires routes.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Now().UTC() }
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		limits:   newRateLimiter(cfg.RateLimits, cfg.Now),
		prints:   newPrintCache(printCacheBytes),
		forms:    newFormClock(cfg.FormKey, cfg.Now, cfg.MinFillTime),
		log:      cfg.Logger,
		pages:    pages,
		validate: newValidator(),
		sessions: newSessions(cfg),
		cookies:  newCookieSealer(cfg.CodeKey, cfg.BaseURL, cfg.Now),
		signin:   newSigninLimiter(cfg.Now),
		codes:    newCodeLimiter(cfg.Now),
		hashes:   make(chan struct{}, 2),
	}
	if err := s.loadSettings(context.Background()); err != nil {
		return nil, fmt.Errorf("load council settings: %w", err)
	}
	hub := cfg.Live
	if hub == nil {
		hub = live.New(live.Options{BaseURL: cfg.BaseURL, Logger: cfg.Logger})
	}
	s.attachLive(hub)
	mux := http.NewServeMux()
	s.mount(mux)
	s.handler = s.middleware(mux)
	return s, nil
}

// Handler returns the root handler.
func (s *Server) Handler() http.Handler { return s.handler }

// HashPassword hashes pw with argon2id under the server's concurrency cap.
func (s *Server) HashPassword(pw string) string {
	s.hashes <- struct{}{}
	defer func() { <-s.hashes }()
	return HashPassword(pw)
}

// DefaultSessionIdle is how long a staff session lasts without a request.
const DefaultSessionIdle = 2 * time.Hour

func newSessions(cfg Config) *scs.SessionManager {
	sm := scs.New()
	if cfg.SessionStore != nil {
		sm.Store = cfg.SessionStore
	}
	sm.IdleTimeout = cfg.SessionIdle
	if sm.IdleTimeout <= 0 {
		sm.IdleTimeout = DefaultSessionIdle
	}
	sm.Lifetime = 12 * time.Hour
	sm.Cookie.Name = "oursay_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	if strings.HasPrefix(cfg.BaseURL, "https://") {
		sm.Cookie.Name = "__Host-oursay_session"
		sm.Cookie.Secure = true
	}
	return sm
}

// serveFavicon serves the embedded favicon at the path browsers ask for.
func serveFavicon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(faviconSVG)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ping != nil {
		if err := s.cfg.Ping(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	v, err := s.homeView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", &page{Title: "Have your say on council services", Data: v})
}
