package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// retentionPeriods is the retention in force for a database: the periods
// in the council's settings (/admin/council/settings), which are the
// defaults until an admin changes them.
func retentionPeriods(ctx context.Context, d *db.DB) (consult.Retention, error) {
	st, err := db.NewSettingsStore(d).Settings(ctx)
	if err != nil {
		return consult.Retention{}, err
	}
	return st.Retention, nil
}

// retention runs the retention periods once, or counts what a run would
// remove (--dry-run), and prints the counts by kind.
func retention(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("retention", stdout)
	dbPath := fs.String("db", "oursay.db", "SQLite database file (must exist)")
	asOf := fs.String("as-of", "", "run as of this date, YYYY-MM-DD, at midnight UTC (default: now)")
	dry := fs.Bool("dry-run", false, "print what would be removed, and change nothing")
	keyFile := fs.String("key-file", "", "key file, kept apart from the database, that seals the audit log (default: the database path + .key; created if missing)")
	if err := fs.parse(args); err != nil {
		return err
	}
	now := time.Now().UTC()
	if *asOf != "" {
		t, err := time.Parse(time.DateOnly, *asOf)
		if err != nil {
			return fs.bad("as-of", "want a date as YYYY-MM-DD, such as 2027-06-30")
		}
		now = t
	}
	d, err := openKeyed(ctx, *dbPath, *keyFile, openExisting)
	if err != nil {
		return err
	}
	defer d.Close()
	r, err := retentionPeriods(ctx, d)
	if err != nil {
		return err
	}
	rep, err := d.Retain(ctx, r.Cutoffs(now), "cli", *dry)
	if err != nil {
		return err
	}
	when := now.Format(time.DateOnly)
	if *dry {
		fmt.Fprintf(stdout, "Retention as of %s (dry run: nothing was changed). It would remove:\n", when)
	} else {
		fmt.Fprintf(stdout, "Retention as of %s. Removed:\n", when)
	}
	for _, k := range rep.Kinds() {
		fmt.Fprintf(stdout, "  %-40s %d\n", k.Kind, k.Count)
	}
	fmt.Fprintf(stdout, "Periods: signers %s after a petition ends, respondents %s after the outcome, mail %s after sending.\n",
		count(r.SignerMonths, "month"), count(r.RespondentMonths, "month"), count(r.MailDays, "day"))
	return nil
}

// count writes n things: "1 month", "6 months".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// retentionEvery is how often serve runs the retention periods.
const retentionEvery = 24 * time.Hour

// startRetention runs the retention periods at start and then every
// retentionEvery, as of now(), until ctx ends; the returned function waits
// for it to stop. Each run is audited with its counts (actor "system").
func startRetention(ctx context.Context, d *db.DB, now func() time.Time, log *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(retentionEvery)
		defer t.Stop()
		for {
			r, err := retentionPeriods(ctx, d)
			if err == nil {
				var rep consult.RetentionReport
				rep, err = d.Retain(ctx, r.Cutoffs(now().UTC()), "system", false)
				if err == nil && rep.Total() > 0 {
					log.Info("retention removed personal data past its period", "removed", rep.String())
				}
			}
			if err != nil && ctx.Err() == nil {
				log.Error("retention", "err", err)
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
