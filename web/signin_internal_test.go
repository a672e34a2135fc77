package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
)

// oneUser is a UserStore holding a single staff account; it manages no
// others (the embedded StaffStore is nil).
type oneUser struct {
	consult.StaffStore
	u *consult.User
}

func (s oneUser) CreateUser(context.Context, *consult.User, string) error { return nil }
func (s oneUser) CountUsers(context.Context) (int, error)                 { return 1, nil }
func (s oneUser) User(_ context.Context, id int64) (*consult.User, error) {
	if id == s.u.ID {
		return s.u, nil
	}
	return nil, consult.ErrNotFound
}
func (s oneUser) UserByEmail(_ context.Context, email string) (*consult.User, error) {
	if email == s.u.Email {
		return s.u, nil
	}
	return nil, consult.ErrNotFound
}

const raceEmail, racePassword = "officer@council.test", "the right password"

func newSigninServer(t *testing.T) *Server {
	t.Helper()
	u := &consult.User{ID: 1, Email: raceEmail, Role: consult.RoleAdmin, PasswordHash: HashPassword(racePassword)}
	s, err := New(Config{Stores: Stores{Users: oneUser{u: u}}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// signinFrom posts a sign-in from remote (host:port) and returns the status.
func signinFrom(s *Server, remote, email, pw string) int {
	form := url.Values{"email": {email}, "password": {pw}}.Encode()
	r := httptest.NewRequest("POST", "/admin/signin", strings.NewReader(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = remote
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w.Code
}

// TestSignin_BurstChecksAtMostFive: 99 wrong passwords sent at once from 10
// addresses, with the hashing queue held so that every one of them is
// waiting at the same moment, and then the right password in the same
// burst. An attempt is counted before it queues for the hash, so 5 are
// checked (401), the other 94 are refused at once (429), and so is the
// right password: the account is locked by the 5 still in the queue.
func TestSignin_BurstChecksAtMostFive(t *testing.T) {
	s := newSigninServer(t)
	s.hashes <- struct{}{} // hold both hashing slots
	s.hashes <- struct{}{}
	released := false
	release := func() {
		if !released {
			released = true
			<-s.hashes
			<-s.hashes
		}
	}
	defer release()

	results := make(chan int, 99)
	var wg sync.WaitGroup
	for i := range 99 {
		wg.Go(func() {
			results <- signinFrom(s, fmt.Sprintf("198.51.100.%d:4000", i%10+1), raceEmail, fmt.Sprintf("wrong %d", i))
		})
	}
	counts := map[int]int{}
	deadline := time.After(10 * time.Second)
wait:
	for counts[http.StatusTooManyRequests] < 94 {
		select {
		case code := <-results:
			counts[code]++
		case <-deadline:
			t.Errorf("with the hash queue held, %d of 99 wrong passwords were refused at once, want 94: the rest wait to be checked", counts[http.StatusTooManyRequests])
			break wait
		}
	}
	right := make(chan int, 1)
	go func() { right <- signinFrom(s, "203.0.113.50:4000", raceEmail, racePassword) }()
	rightCode := 0
	select {
	case rightCode = <-right:
		if rightCode != http.StatusTooManyRequests {
			t.Errorf("right password in the burst: got %d, want 429", rightCode)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("right password in the burst: no answer while 5 wrong ones wait, want 429 at once")
	}
	release()
	wg.Wait()
	close(results)
	for code := range results {
		counts[code]++
	}
	if rightCode == 0 {
		rightCode = <-right
	}
	if rightCode == http.StatusSeeOther {
		t.Errorf("right password in the burst signed in")
	}
	if counts[http.StatusUnauthorized] != 5 || counts[http.StatusTooManyRequests] != 94 {
		t.Errorf("got %d checked (401) and %d refused (429), want 5 and 94", counts[http.StatusUnauthorized], counts[http.StatusTooManyRequests])
	}
}

// TestSignin_ClientLockIsIPv6Slash64: 20 failures from one address of an
// IPv6 /64 lock every address of that /64, as the rate limits do, but not
// the next /64.
func TestSignin_ClientLockIsIPv6Slash64(t *testing.T) {
	s := newSigninServer(t)
	for i := range 20 { // 4 to each of 5 unknown accounts: none is locked itself
		if got := signinFrom(s, "[2001:db8:1:2::1]:4000", fmt.Sprintf("nobody%d@council.test", i%5), "wrong"); got != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d, want 401", i+1, got)
		}
	}
	if got := signinFrom(s, "[2001:db8:1:2:ffff::9]:4000", raceEmail, racePassword); got != http.StatusTooManyRequests {
		t.Errorf("same /64, other address, right password: got %d, want 429", got)
	}
	if got := signinFrom(s, "[2001:db8:1:3::1]:4000", raceEmail, racePassword); got != http.StatusSeeOther {
		t.Errorf("the next /64, right password: got %d, want 303", got)
	}
}
