package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
)

// TestAbuseFlags: rate limits and the fill time come from flags or
// OURSAY_ variables, 0 turns one off, --no-rate-limits turns all off, and
// the form key survives a restart.
func TestAbuseFlags(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	config := func(args ...string) web.Config {
		t.Helper()
		fs := newFlags("serve", io.Discard)
		a := addAbuseFlags(fs.FlagSet)
		if err := fs.parse(args); err != nil {
			t.Fatal(err)
		}
		opt, err := a.configure(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		var c web.Config
		opt(&c)
		return c
	}
	t.Setenv("OURSAY_RATE_SIGN", "5/s")
	c := config("--rate-vote", "0", "--rate-create", "2/h", "--trusted-proxies", "10.0.0.0/8")
	want := web.DefaultRateLimits
	want.Sign, want.Vote, want.Create = web.Rate{N: 5, Per: time.Second}, web.Rate{}, web.Rate{N: 2, Per: time.Hour}
	if c.RateLimits != want || c.MinFillTime != 3*time.Second || len(c.TrustedProxies) != 1 || len(c.FormKey) != 32 {
		t.Errorf("got %+v, fill %v, proxies %v, key %d bytes", c.RateLimits, c.MinFillTime, c.TrustedProxies, len(c.FormKey))
	}
	off := config("--no-rate-limits", "--min-fill-time", "0")
	if off.RateLimits != (web.RateLimits{}) || off.MinFillTime != 0 || string(off.FormKey) != string(c.FormKey) {
		t.Errorf("off: got %+v, fill %v, same key %v", off.RateLimits, off.MinFillTime, string(off.FormKey) == string(c.FormKey))
	}
	for _, bad := range [][]string{{"--rate-sign", "lots"}, {"--trusted-proxies", "10.0.0.0/99"}} {
		fs := newFlags("serve", io.Discard)
		a := addAbuseFlags(fs.FlagSet)
		err := fs.parse(bad)
		if err == nil {
			_, err = a.configure(ctx, d)
		}
		if err == nil {
			t.Errorf("%v: got nil error", bad)
		}
	}
}
