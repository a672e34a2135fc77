package db_test

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// TestBackup_WhileWriting takes a backup while responses are being saved:
// the copy passes integrity_check, holds every response acknowledged
// before the backup began, and its counters equal its rows.
func TestBackup_WhileWriting(t *testing.T) {
	d := MustOpenDB(t)
	s := db.NewConsultStore(d)
	c := mustOpenConsultation(t, s, "backup", consult.AudienceAnyone)
	ctx := context.Background()
	var acked atomic.Int64
	stop := make(chan struct{})
	warm := make(chan struct{}) // closed at the 200th acknowledged response
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := s.AddResponse(ctx, "backup", validResponse(c, w*100000+i)); err != nil {
					t.Error(err)
					return
				}
				if acked.Add(1) == 200 {
					close(warm)
				}
			}
		}()
	}
	select {
	case <-warm:
	case <-time.After(30 * time.Second):
		close(stop)
		wg.Wait()
		t.Fatalf("only %d responses acknowledged in 30s", acked.Load())
	}
	before := acked.Load()
	dest := filepath.Join(t.TempDir(), "copy.db")
	if err := d.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	if err := d.Backup(ctx, dest); err == nil {
		t.Errorf("backup over an existing file: got nil error")
	}
	cp, err := db.Open(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if res, err := cp.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("integrity: %q, %v", res, err)
	}
	var rows, counter int64
	mustScan(t, cp.Reader().QueryRow(`SELECT COUNT(*) FROM responses`), &rows)
	mustScan(t, cp.Reader().QueryRow(`SELECT response_count FROM consultations WHERE slug = 'backup'`), &counter)
	if rows < before || rows != counter {
		t.Errorf("copy has %d rows, counter %d; %d were acknowledged before the backup", rows, counter, before)
	}
}
