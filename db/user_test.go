package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

func TestUserStore(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	s := db.NewUserStore(d)
	u := &consult.User{Email: " Admin@Council.gov.uk", Role: consult.RoleAdmin, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"}

	t.Run("Create", func(t *testing.T) {
		if err := s.CreateUser(ctx, u, "cli"); err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Email != "admin@council.gov.uk" || !u.CreatedAt.Equal(t0) {
			t.Errorf("created = %+v, want an id, the normalised email and CreatedAt %v", u, t0)
		}
		for _, lookup := range []func() (*consult.User, error){
			func() (*consult.User, error) { return s.UserByEmail(ctx, "ADMIN@council.gov.uk") },
			func() (*consult.User, error) { return s.User(ctx, u.ID) },
		} {
			got, err := lookup()
			if err != nil || *got != *u {
				t.Errorf("lookup = %+v, %v; want %+v", got, err, u)
			}
		}
		if n, err := s.CountUsers(ctx); err != nil || n != 1 {
			t.Errorf("CountUsers = %d, %v; want 1", n, err)
		}
	})

	t.Run("ErrDuplicate", func(t *testing.T) {
		again := &consult.User{Email: "admin@COUNCIL.gov.uk", Role: consult.RoleModerator, PasswordHash: "x"}
		if err := s.CreateUser(ctx, again, "cli"); !errors.Is(err, consult.ErrDuplicate) {
			t.Errorf("got %v, want ErrDuplicate", err)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		var ve *consult.ValidationError
		bad := &consult.User{Email: "someone@council.gov.uk", Role: "boss", PasswordHash: "x"}
		if err := s.CreateUser(ctx, bad, "cli"); !errors.As(err, &ve) || ve.Fields["role"] == "" {
			t.Errorf("got %v, want a *ValidationError on role", err)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.UserByEmail(ctx, "nobody@council.gov.uk"); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("UserByEmail: got %v, want ErrNotFound", err)
		}
		if _, err := s.User(ctx, 999); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("User: got %v, want ErrNotFound", err)
		}
	})
}
