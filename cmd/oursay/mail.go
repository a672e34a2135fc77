package main

import (
	"context"
	"log/slog"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
)

// startMailer starts the outbox worker when an SMTP server is configured,
// and returns a function that waits for the worker to stop once ctx ends.
// Without a server, mail stays in the outbox for admins to read. A bad
// configuration is an error, so the server does not start and silently
// never send.
func startMailer(ctx context.Context, d *db.DB, cfg web.MailConfig, log *slog.Logger) (wait func(), err error) {
	if cfg.Addr == "" {
		log.Info("no SMTP server (--smtp-addr): mail stays in the outbox at /admin/outbox")
		return func() {}, nil
	}
	m, err := web.NewMailer(db.NewOutbox(d), cfg, log)
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Run(ctx)
	}()
	return func() { <-done }, nil
}
