package db_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

func TestSettingsStore(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	ss, audit, ob := db.NewSettingsStore(d), db.NewAuditLog(d), db.NewOutbox(d)

	t.Run("DefaultsUntilSaved", func(t *testing.T) {
		got, err := ss.Settings(ctx)
		if err != nil || !reflect.DeepEqual(got, consult.DefaultSettings()) {
			t.Fatalf("got %+v, %v; want the defaults", got, err)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		bad := consult.DefaultSettings()
		bad.CouncilName = "Elsewhere Council"
		bad.OCIDPrefix = "oursay"
		var ve *consult.ValidationError
		if err := ss.SaveSettings(ctx, bad, "admin@council.gov.uk"); !errors.As(err, &ve) || ve.Fields["ocid_prefix"] == "" {
			t.Fatalf("got %v, want a message for ocid_prefix", err)
		}
		if got, _ := ss.Settings(ctx); got.CouncilName != consult.DefaultSettings().CouncilName {
			t.Errorf("council name %q saved from a refused form", got.CouncilName)
		}
		if es, _ := audit.AuditEntries(ctx, 10); len(es) != 0 {
			t.Errorf("audit entries %+v after a refused save, want none", es)
		}
	})
	t.Run("OK", func(t *testing.T) {
		want := consult.DefaultSettings()
		want.CouncilName, want.ContactPhone = "Elsewhere District Council", "020 7946 0000"
		want.Retention.SignerMonths = 12
		if err := ss.SaveSettings(ctx, want, "admin@council.gov.uk"); err != nil {
			t.Fatal(err)
		}
		got, err := ss.Settings(ctx)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v, %v; want %+v", got, err, want)
		}
		es, err := audit.AuditEntries(ctx, 10)
		if err != nil || len(es) != 1 {
			t.Fatalf("audit entries %+v, %v; want one", es, err)
		}
		e := es[0]
		if e.Actor != "admin@council.gov.uk" || e.Action != "council.settings_change" ||
			e.Detail != "Changed the council settings: council name, contact phone, retention periods" {
			t.Errorf("audit entry %+v", e)
		}
	})
	t.Run("MailFooterFollows", func(t *testing.T) {
		if err := d.EnqueueMail(ctx, consult.Mail{To: "ann@example.org", Subject: "Hello", Body: "Body\n"}); err != nil {
			t.Fatal(err)
		}
		m := mustRecent(t, ob)[0]
		if !strings.HasPrefix(m.Body, "Body\n") || !strings.Contains(m.Body, "Elsewhere District Council") ||
			!strings.Contains(m.Body, "020 7946 0000") {
			t.Errorf("body %q, want the saved council and phone at its end", m.Body)
		}
	})
}
