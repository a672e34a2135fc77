package main

import (
	"context"
	"log/slog"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web/mailer"
)

// startMailer starts the outbox worker when an SMTP server is configured,
// and returns a function that waits for the worker to stop once ctx ends.
// The outbox wakes the worker after each commit that queues mail, so mail
// goes at once rather than at the next poll. Without a server, mail stays
// in the outbox for admins to read. A bad configuration is an error, so
// the server does not start and silently never send.
func startMailer(ctx context.Context, d *db.DB, cfg mailer.Config, log *slog.Logger) (wait func(), err error) {
	if cfg.Addr == "" {
		log.Info("no SMTP server (--smtp-addr): mail stays in the outbox at /admin/outbox")
		return func() {}, nil
	}
	ob := db.NewOutbox(d)
	m, err := mailer.New(ob, cfg, log)
	if err != nil {
		return nil, err
	}
	ob.OnQueued(m.Notify)
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Run(ctx)
	}()
	return func() { <-done }, nil
}
