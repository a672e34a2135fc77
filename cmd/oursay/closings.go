package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/oursay/oursay/db"
)

// closingsEvery is how often serve looks for petitions whose signing has
// closed: a campaigner hears within a minute.
const closingsEvery = time.Minute

// startClosings mails each campaigner the final count once their
// petition's signing closes (db.PetitionStore.MailClosed), at start and
// then every closingsEvery, until ctx ends; the returned function waits for
// it to stop. The mail goes to the outbox like any other, so it is sent
// with or without an SMTP server configured.
func startClosings(ctx context.Context, d *db.DB, baseURL string, log *slog.Logger) (wait func()) {
	ps := db.NewPetitionStore(d)
	ps.BaseURL = baseURL
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(closingsEvery)
		defer t.Stop()
		for {
			if n, err := ps.MailClosed(ctx); err != nil && ctx.Err() == nil {
				log.Error("mail closed petitions", "err", err)
			} else if n > 0 {
				log.Info("mailed campaigners the final count", "petitions", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { <-done }
}
