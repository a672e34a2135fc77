package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
)

// abuseFlags are serve's settings against scripted use: per-client rate
// limits, the sign form's minimum fill time and the trusted proxies.
type abuseFlags struct {
	limits  web.RateLimits
	noLimit bool
	minFill time.Duration
	proxies string
}

func addAbuseFlags(fs *flag.FlagSet) *abuseFlags {
	a := &abuseFlags{limits: web.DefaultRateLimits}
	const how = " per client, as `RATE`: N/s, N/m or N/h; 0 turns it off"
	fs.Var(&a.limits.Sign, "rate-sign", "petition signatures (form and JSON)"+how)
	fs.Var(&a.limits.Confirm, "rate-confirm", "email links followed (confirm, withdraw)"+how)
	fs.Var(&a.limits.Respond, "rate-respond", "consultation responses"+how)
	fs.Var(&a.limits.Create, "rate-create", "new petitions"+how)
	fs.Var(&a.limits.Vote, "rate-vote", "votes and voter code look-ups"+how)
	fs.Var(&a.limits.Signin, "rate-signin", "staff sign-in attempts"+how)
	fs.Var(&a.limits.Print, "rate-print", "QR codes, posters, paper forms, signature sheets and voter letters"+how)
	fs.BoolVar(&a.noLimit, "no-rate-limits", false, "turn every per-client rate limit off (for load tests from one address)")
	fs.DurationVar(&a.minFill, "min-fill-time", 3*time.Second,
		"a sign form sent back sooner than this is held for a moderator; 0 turns the check off")
	fs.StringVar(&a.proxies, "trusted-proxies", "",
		"comma-separated addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For names the client")
	return a
}

// configure returns the option that puts the settings into the server's
// config, with the form-timing key kept in the database.
func (a *abuseFlags) configure(ctx context.Context, d *db.DB) (func(*web.Config), error) {
	proxies, err := web.ParseTrustedProxies(a.proxies)
	if err != nil {
		return nil, fmt.Errorf("--trusted-proxies: %w", err)
	}
	key, err := d.ServerKey(ctx, "form-timing")
	if err != nil {
		return nil, err
	}
	return func(c *web.Config) {
		if !a.noLimit {
			c.RateLimits = a.limits
		}
		c.MinFillTime, c.TrustedProxies, c.FormKey = a.minFill, proxies, key
	}, nil
}
