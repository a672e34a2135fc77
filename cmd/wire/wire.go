// Package wire assembles OurSay from its parts on one open database: the
// live hub first, then the stores that tell it of their commits, then the
// web server that reads the stores and serves the hub. `oursay serve` and
// the web tests both call it, so the parts are put together in one place
// and the tests run as production does (signed links included).
//
// It is the one package besides cmd/oursay that knows every other; it
// wires and decides nothing.
package wire

import (
	"log/slog"

	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
	"github.com/oursay/oursay/web/live"
)

// Options are the choices serve makes from its flags.
type Options struct {
	// BaseURL is the public address; links in mail and the live origin
	// check use it.
	BaseURL string
	// CodeKey is the secret key kept beside the database; the voter code
	// hashes and the signers' link key derive from it.
	CodeKey []byte
	Logger  *slog.Logger
	// Live sets the hub's limits and interval; its BaseURL and Logger are
	// filled in from these Options.
	Live live.Options
	// Sessions keeps sign-in sessions; nil means an scs sqlite3store on
	// the same database file.
	Sessions scs.Store
	// Configure adjusts the web config last (rate limits, bot checks, the
	// clock).
	Configure []func(*web.Config)
}

// App is OurSay assembled.
type App struct {
	Web    *web.Server
	Stores *db.Stores
	Live   *live.Hub
}

// New assembles OurSay on d.
func New(d *db.DB, o Options) (*App, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Sessions == nil {
		o.Sessions = sqlite3store.New(d.Writer())
	}
	o.Live.BaseURL, o.Live.Logger = o.BaseURL, o.Logger
	hub := live.New(o.Live)
	st := db.NewStores(d, db.Options{BaseURL: o.BaseURL, LinkKey: db.LinkKey(o.CodeKey), Pub: hub})
	// Every store announces its commits, so read API bodies can be kept
	// until the next one (a viral petition is read far more than signed).
	hub.CacheBodies()
	cfg := web.Config{
		Stores: web.Stores{
			Consult: st.Consult, Users: st.Users, Audit: st.Audit, Outbox: st.Outbox,
			Contracts: st.Contracts, Council: st.Council, Petitions: st.Petitions, Ballots: st.Ballots,
			Spending: st.Spending, Documents: st.Documents,
			Settings: st.Settings,
			People:   st.People,
			Requests: st.Requests,
			Reviews:  st.Reviews,
		},
		CodeKey:      o.CodeKey,
		SessionStore: o.Sessions,
		BaseURL:      o.BaseURL,
		Logger:       o.Logger,
		Ping:         d.Ping,
		AppendAudit:  d.AppendAudit,
		Live:         hub,
	}
	for _, f := range o.Configure {
		f(&cfg)
	}
	srv, err := web.New(cfg)
	if err != nil {
		return nil, err
	}
	return &App{Web: srv, Stores: st, Live: hub}, nil
}
