//go:build browser

package browsertest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/oursay/oursay/web/mailer/smtptest"
)

// server is one oursay binary serving a fresh --demo database.
type server struct {
	URL      string // http://127.0.0.1:PORT
	Password string // the demo admin's, read from what serve prints
	// ModeratorPassword is the demo moderator's own, printed beside it.
	ModeratorPassword string
	Mail              *smtptest.Server
	Dir               string // the working directory, holding the database

	mu     sync.Mutex
	stdout []string
	stderr strings.Builder
}

const (
	demoAdmin     = "admin@demo.oursay.test"
	demoModerator = "moderator@demo.oursay.test"
)

// passwordRE reads one demo account's sign-in from serve's output: each
// account has its own password, one line each.
var passwordRE = regexp.MustCompile(`as (\S+@\S+) with password (\S+)`)

// startServer starts the real binary (with any more flags given) on
// 127.0.0.1 with a free port, a new demo database in t.TempDir() and its
// mail going to an in-process SMTP server, and waits until /healthz answers. The server stops when the test
// ends.
func startServer(t *testing.T, flags ...string) *server {
	t.Helper()
	s := &server{Mail: smtptest.Start(t)}
	addr := freeAddr(t)
	s.URL = "http://" + addr
	dir := t.TempDir()
	s.Dir = dir
	cmd := exec.Command(binPath, "serve", "--demo",
		"--db", filepath.Join(dir, "oursay.db"),
		"--addr", addr, "--base-url", s.URL,
		"--smtp-addr", s.Mail.Addr, "--smtp-tls", "none", "--mail-from", "oursay@demo.oursay.test")
	cmd.Args = append(cmd.Args, flags...)
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = &lockedWriter{mu: &s.mu, w: &s.stderr}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start oursay: %v", err)
	}
	exited := make(chan error, 1)
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			s.mu.Lock()
			s.stdout = append(s.stdout, sc.Text())
			s.mu.Unlock()
			select {
			case lines <- sc.Text():
			default:
			}
		}
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("oursay stdout:\n%s\noursay stderr (last 4 KiB):\n%s", s.Stdout(), s.stderrTail(4<<10))
		}
	})

	// Generous: the demo hashes two passwords with argon2id before it listens.
	deadline := time.After(60 * time.Second)
	for s.Password == "" || s.ModeratorPassword == "" {
		select {
		case l := <-lines:
			if m := passwordRE.FindStringSubmatch(l); m != nil && m[1] == demoAdmin {
				s.Password = m[2]
			} else if m != nil && m[1] == demoModerator {
				s.ModeratorPassword = m[2]
			}
		case err := <-exited:
			t.Fatalf("oursay exited before printing the demo sign-in: %v\nstdout:\n%s\nstderr:\n%s", err, s.Stdout(), s.stderrTail(4<<10))
		case <-deadline:
			t.Fatalf("oursay printed no demo password for the admin and the moderator within 60s\nstdout:\n%s\nstderr:\n%s", s.Stdout(), s.stderrTail(4<<10))
		}
	}
	for {
		res, err := http.Get(s.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("oursay exited: %v\nstderr:\n%s", err, s.stderrTail(4<<10))
		case <-deadline:
			t.Fatalf("oursay did not answer /healthz within 60s: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stdout is everything the server has printed so far.
func (s *server) Stdout() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.stdout, "\n")
}

func (s *server) stderrTail(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.stderr.String()
	if len(e) > n {
		e = "…" + e[len(e)-n:]
	}
	return e
}

// get fetches a path without a browser, for checks like "is this asset
// there"; it returns the status code.
func (s *server) get(ctx context.Context, path string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+path, nil)
	if err != nil {
		return 0, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}

// freeAddr finds a free port on 127.0.0.1. The binary needs the port
// up front, because its --base-url (and so every mailed link) carries it.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// cleanEnv is this process's environment without any OURSAY_ variable, so
// a developer's settings cannot change what the binary under test does.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OURSAY_") {
			env = append(env, kv)
		}
	}
	return env
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (s *server) String() string { return fmt.Sprintf("oursay at %s", s.URL) }
