package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
	"github.com/oursay/oursay/web/live"
)

// TestLoadDemo_OwnPasswords: the demo admin and moderator each get a
// password of their own, both printed, so knowing the moderator's does not
// sign anyone in as the admin.
func TestLoadDemo_OwnPasswords(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	d, err := db.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	key, _, err := loadCodeKey(dbPath + ".key")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(d, "", "127.0.0.1:8080", key, slog.New(slog.DiscardHandler), live.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := loadDemo(ctx, d, srv, key, "http://127.0.0.1:8080", dbPath, &out); err != nil {
		t.Fatal(err)
	}
	printed := map[string]string{}
	for _, m := range regexp.MustCompile(`as ([a-z]+@demo\.oursay\.test) with password (\S+)`).FindAllStringSubmatch(out.String(), -1) {
		printed[m[1]] = m[2]
	}
	const admin, mod = "admin@demo.oursay.test", "moderator@demo.oursay.test"
	if printed[admin] == "" || printed[mod] == "" {
		t.Fatalf("want a password printed for each of %s and %s; output:\n%s", admin, mod, out.String())
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
