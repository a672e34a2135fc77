package main

import (
	"context"
	"regexp"
	"testing"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
)

// TestLoadDemo_OwnPasswords: the demo admin and moderator each get a
// password of their own, both printed, so knowing the moderator's does not
// sign anyone in as the admin.
func TestLoadDemo_OwnPasswords(t *testing.T) {
	d, out := loadTestDemoOutput(t, "http://127.0.0.1:8080")
	ctx := context.Background()
	printed := map[string]string{}
	for _, m := range regexp.MustCompile(`as ([a-z]+@demo\.oursay\.test) with password (\S+)`).FindAllStringSubmatch(out, -1) {
		printed[m[1]] = m[2]
	}
	const admin, mod = "admin@demo.oursay.test", "moderator@demo.oursay.test"
	if printed[admin] == "" || printed[mod] == "" {
		t.Fatalf("want a password printed for each of %s and %s; output:\n%s", admin, mod, out)
	}
	users := db.NewUserStore(d)
	for email, pw := range printed {
		for other := range printed {
			u, err := users.UserByEmail(ctx, other)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := web.CheckPassword(u.PasswordHash, pw), other == email; got != want {
				t.Errorf("%s's printed password signs in %s: got %v, want %v", email, other, got, want)
			}
		}
	}
}
