package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
)

func runCLI(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	out, errOut, err := runSplit(t, stdin, args...)
	return out + errOut, err
}

// runSplit runs the command line and returns its stdout and stderr apart.
func runSplit(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx := context.Background()
	if len(args) > 0 && args[0] == "serve" {
		// serve is run here only to fail. A cancelled context makes one
		// that wrongly starts return at once rather than serve forever.
		c, cancel := context.WithCancel(ctx)
		cancel()
		ctx = c
	}
	err = run(ctx, args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestAdminCreate(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "o.db")
	t.Run("OK", func(t *testing.T) {
		out, err := runCLI(t, "a long enough password\n", "admin", "create", "--db", dbPath, "--email", "Officer@Council.gov.uk", "--role", "moderator")
		if err != nil || !strings.Contains(out, "created moderator account for officer@council.gov.uk") {
			t.Fatalf("got %q, %v", out, err)
		}
	})
	t.Run("Duplicate", func(t *testing.T) {
		if out, err := runCLI(t, "a long enough password\n", "admin", "create", "--db", dbPath, "--email", "officer@council.gov.uk"); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Errorf("got %q, %v; want already exists", out, err)
		}
	})
	for _, c := range []struct {
		name, stdin string
		args        []string
		want        string
		code        int
	}{
		{"ShortPassword", "short\n", []string{"--email", "b@council.gov.uk"}, "the password (on standard input) must be at least 12 characters", 1},
		{"BadRole", "a long enough password\n", []string{"--email", "c@council.gov.uk", "--role", "boss"},
			`admin create: --role boss: want admin or moderator (see "oursay admin create -h")`, 2},
		{"NoEmail", "a long enough password\n", nil, `admin create: --email: give the staff member's email address (see "oursay admin create -h")`, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := runCLI(t, c.stdin, append([]string{"admin", "create", "--db", dbPath}, c.args...)...)
			if err == nil || err.Error() != c.want || exitCode(err) != c.code {
				t.Errorf("got %v (exit %d), want %q (exit %d)", err, exitCode(err), c.want, c.code)
			}
		})
	}
}

func TestAuditVerify(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "o.db")
	for _, email := range []string{"a@council.gov.uk", "b@council.gov.uk", "c@council.gov.uk"} {
		if _, err := runCLI(t, "a long enough password\n", "admin", "create", "--db", dbPath, "--email", email); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runCLI(t, "", "audit", "verify", "--db", dbPath)
	if err != nil || !strings.Contains(out, "intact: 3 entries") {
		t.Fatalf("got %q, %v", out, err)
	}
	// Someone edits the file directly, getting past the triggers.
	raw, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET actor = 'someone else' WHERE id = 2`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	out, err = runCLI(t, "", "audit", "verify", "--db", dbPath)
	if !errors.Is(err, errFailed) || exitCode(err) != 1 || !strings.Contains(out, "BROKEN at entry 2") {
		t.Errorf("tampered: got %q, %v", out, err)
	}
}

// TestHelp: -h, --help and help print the usage on stdout, nothing on
// stderr, and succeed, for the top level and every command.
func TestHelp(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-h"}, "usage: oursay <command> [flags]\n"},
		{[]string{"--help"}, "usage: oursay <command> [flags]\n"},
		{[]string{"help"}, "usage: oursay <command> [flags]\n"},
		{[]string{"help", "serve"}, "usage: oursay serve [flags]\n"},
		{[]string{"serve", "-h"}, "usage: oursay serve [flags]\n"},
		{[]string{"serve", "--help"}, "usage: oursay serve [flags]\n"},
		{[]string{"admin", "create", "-h"}, "usage: oursay admin create [flags]\n"},
		{[]string{"admin", "reset-password", "--help"}, "usage: oursay admin reset-password [flags]\n"},
		{[]string{"audit", "verify", "-h"}, "usage: oursay audit verify [flags]\n"},
		{[]string{"codes", "generate", "-h"}, "usage: oursay codes generate [flags]\n"},
		{[]string{"backup", "--help"}, "usage: oursay backup [flags]\n"},
	} {
		out, errOut, err := runSplit(t, "", c.args...)
		if err != nil || !strings.HasPrefix(out, c.want) || errOut != "" {
			t.Errorf("%v: got stdout %.60q, stderr %q, err %v; want stdout starting %q", c.args, out, errOut, err, c.want)
		}
		if strings.Count(out, "usage:") != 1 {
			t.Errorf("%v: the usage is printed %d times", c.args, strings.Count(out, "usage:"))
		}
	}
	// Each command's help lists its flags.
	if out, _, _ := runSplit(t, "", "serve", "-h"); !strings.Contains(out, "-base-url") || !strings.Contains(out, "-live-max-conns") {
		t.Errorf("serve -h lists no flags: %q", out)
	}
	if out, err := runCLI(t, "", "version"); err != nil || out != "oursay dev\n" {
		t.Errorf("version: got %q, %v", out, err)
	}
}

// TestUsageErrors: a wrong command line is one line naming what was wrong
// and the help to read, with exit status 2 and no usage dumped.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "o.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, `no command given (see "oursay -h")`},
		{[]string{"bogus"}, `unknown command "bogus" (see "oursay -h")`},
		{[]string{"--db", "x"}, `give a command before any flag, not "--db" (see "oursay -h")`},
		{[]string{"admin"}, `admin: give a subcommand: create or reset-password (see "oursay -h")`},
		{[]string{"audit", "--db", "x"}, `audit: give a subcommand: verify (see "oursay -h")`},
		{[]string{"admin", "frob"}, `unknown command "admin frob" (see "oursay -h")`},
		{[]string{"version", "2"}, `version: unexpected argument "2" (see "oursay -h")`},
		{[]string{"serve", "--bogus"}, `serve: flag provided but not defined: -bogus (see "oursay serve -h")`},
		{[]string{"serve", "extra"}, `serve: unexpected argument "extra" (see "oursay serve -h")`},
		{[]string{"backup", "--out"}, `backup: flag needs an argument: -out (see "oursay backup -h")`},
		{[]string{"backup", "--db", db}, `backup: --out: give the file to write the copy to (see "oursay backup -h")`},
		{[]string{"audit", "verify", "--db", db, "extra"}, `audit verify: unexpected argument "extra" (see "oursay audit verify -h")`},
		{[]string{"admin", "reset-password", "--db", db}, `admin reset-password: --email: give the staff member's email address (see "oursay admin reset-password -h")`},
		{[]string{"codes", "generate", "--count", "x"}, `codes generate: invalid value "x" for flag -count: parse error (see "oursay codes generate -h")`},
		{[]string{"codes", "generate", "--db", db, "--ballot", "1", "--count", "0", "--out", "c.csv"}, `codes generate: --count 0: from 1 to 10,000,000 (see "oursay codes generate -h")`},
		{[]string{"codes", "generate", "--db", db, "--count", "5", "--out", "c.csv"}, `codes generate: --ballot 0: give the ballot's id (see "oursay codes generate -h")`},
		{[]string{"codes", "generate", "--db", db, "--ballot", "1", "--count", "5", "--out", "c.csv", "--base-url", "oursay.test"},
			`codes generate: --base-url oursay.test: want an http:// or https:// URL, such as https://say.example.gov.uk (see "oursay codes generate -h")`},
	} {
		out, errOut, err := runSplit(t, "", c.args...)
		if err == nil || err.Error() != c.want || exitCode(err) != 2 {
			t.Errorf("%v: got %v (exit %d), want %q (exit 2)", c.args, err, exitCode(err), c.want)
		}
		if out != "" || errOut != "" {
			t.Errorf("%v: printed %q %q; the error is all it should say", c.args, out, errOut)
		}
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("files were made (%v, %v): a wrong command line must stop before anything is opened", entries, err)
	}
}

// TestServeRefusesBadFlags: a bad tuning value, listen address, base URL,
// proxy list or STARTTLS mode stops serve before it opens anything, naming
// the flag, its value and what it takes.
func TestServeRefusesBadFlags(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "never.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--live-interval", "1ms"}, "--live-interval 1ms: want 50ms to 10s"},
		{[]string{"--live-interval", "1m"}, "--live-interval 1m0s: want 50ms to 10s"},
		{[]string{"--smtp-conns", "0"}, "--smtp-conns 0: want 1 to 64"},
		{[]string{"--smtp-conns", "65"}, "--smtp-conns 65: want 1 to 64"},
		{[]string{"--live-max-conns", "0"}, "--live-max-conns 0: want 1 to 1000000"},
		{[]string{"--memory-limit", "-1"}, "--memory-limit -1: want 0 (no limit) to 1000000 MB"},
		{[]string{"--addr", "localhost"}, "--addr localhost: want HOST:PORT, such as 127.0.0.1:8080 or :8080"},
		{[]string{"--addr", "127.0.0.1:99999"}, "--addr 127.0.0.1:99999: want a port number from 0 to 65535 after the colon"},
		{[]string{"--addr", "127.0.0.1:http"}, "--addr 127.0.0.1:http: want a port number from 0 to 65535 after the colon"},
		{[]string{"--base-url", "say.example.gov.uk"}, "--base-url say.example.gov.uk: want an http:// or https:// URL, such as https://say.example.gov.uk"},
		{[]string{"--base-url", "ftp://say.example.gov.uk"}, "--base-url ftp://say.example.gov.uk: want an http:// or https:// URL, such as https://say.example.gov.uk"},
		{[]string{"--base-url", "https://"}, "--base-url https://: want a host name after the scheme, such as https://say.example.gov.uk"},
		{[]string{"--base-url", "https://:443"}, "--base-url https://:443: want a host name after the scheme, such as https://say.example.gov.uk"},
		{[]string{"--base-url", "https://say.example.gov.uk/oursay"}, "--base-url https://say.example.gov.uk/oursay: want only scheme://host[:port]: OurSay serves from the root of its site"},
		{[]string{"--trusted-proxies", "10.0.0.0/99"}, "--trusted-proxies 10.0.0.0/99: "},
		{[]string{"--smtp-tls", "sometimes"}, "--smtp-tls sometimes: want opportunistic, mandatory or none"},
	} {
		_, err := runCLI(t, "", append([]string{"serve", "--db", dbPath, "--addr", "127.0.0.1:0"}, c.args...)...)
		want := "serve: " + c.want
		if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), ` (see "oursay serve -h")`) || exitCode(err) != 2 {
			t.Errorf("%v: got %v (exit %d), want %q… (exit 2)", c.args, err, exitCode(err), want)
		}
	}
	// Accepted: a trailing slash, a port, http.
	for _, u := range []string{"https://say.example.gov.uk/", "http://127.0.0.1:8080"} {
		if err := checkBaseURL(u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("files were made (%v, %v); a bad flag must stop serve first", entries, err)
	}
}

// TestEnvErrors: a bad OURSAY_ value names the variable, its value and
// what was expected, whether the flag's parser or serve's checks refuse it.
func TestEnvErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		env, val string
		args     []string
		want     string
	}{
		{"OURSAY_LIVE_INTERVAL", "abc", []string{"serve"}, `serve: OURSAY_LIVE_INTERVAL="abc": want a duration such as 200ms, 3s or 1m (see "oursay serve -h")`},
		{"OURSAY_SMTP_CONNS", "lots", []string{"serve"}, `serve: OURSAY_SMTP_CONNS="lots": want a whole number (see "oursay serve -h")`},
		{"OURSAY_DEMO", "maybe", []string{"serve"}, `serve: OURSAY_DEMO="maybe": want true or false (see "oursay serve -h")`},
		{"OURSAY_SMTP_CONNS", "99", []string{"serve"}, `serve: OURSAY_SMTP_CONNS="99": want 1 to 64 (see "oursay serve -h")`},
		{"OURSAY_ADDR", "8080", []string{"serve"}, `serve: OURSAY_ADDR="8080": want HOST:PORT, such as 127.0.0.1:8080 or :8080 (see "oursay serve -h")`},
		{"OURSAY_BASE_URL", "say.example.gov.uk", []string{"serve"}, `serve: OURSAY_BASE_URL="say.example.gov.uk": want an http:// or https:// URL, such as https://say.example.gov.uk (see "oursay serve -h")`},
		{"OURSAY_RATE_SIGN", "lots", []string{"serve"}, `serve: OURSAY_RATE_SIGN="lots": rate "lots": give a count such as 30/m, 5/s or 600/h, or off (see "oursay serve -h")`},
		{"OURSAY_COUNT", "0", []string{"codes", "generate", "--ballot", "1", "--out", "c.csv"}, `codes generate: OURSAY_COUNT="0": from 1 to 10,000,000 (see "oursay codes generate -h")`},
	} {
		t.Run(c.env+"="+c.val, func(t *testing.T) {
			t.Setenv(c.env, c.val)
			t.Setenv("OURSAY_DB", filepath.Join(dir, "never.db"))
			_, err := runCLI(t, "", c.args...)
			if err == nil || err.Error() != c.want || exitCode(err) != 2 {
				t.Errorf("got %v (exit %d), want %q (exit 2)", err, exitCode(err), c.want)
			}
		})
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("files were made (%v, %v)", entries, err)
	}
	// A good value is used.
	t.Setenv("OURSAY_DB", filepath.Join(dir, "env.db"))
	if out, err := runCLI(t, "a long enough password\n", "admin", "create", "--email", "env@council.gov.uk"); err != nil || !strings.Contains(out, "created admin") {
		t.Errorf("db from OURSAY_DB: got %q, %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "env.db")); err != nil {
		t.Errorf("OURSAY_DB was not used: %v", err)
	}
}

// TestReadCommandsRefuseMissingDB: the commands that read a database never
// create one at a mistyped path; they say which path does not exist.
func TestReadCommandsRefuseMissingDB(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.db")
	for _, args := range [][]string{
		{"audit", "verify", "--db", typo},
		{"backup", "--db", typo, "--out", filepath.Join(dir, "copy.db")},
		{"codes", "generate", "--db", typo, "--ballot", "1", "--count", "3", "--out", filepath.Join(dir, "codes.csv")},
		{"admin", "reset-password", "--db", typo, "--email", "a@council.gov.uk"},
	} {
		_, err := runCLI(t, "", args...)
		want := "database " + typo + " does not exist (check --db; nothing was created)"
		if err == nil || err.Error() != want || exitCode(err) != 1 {
			t.Errorf("%v: got %v (exit %d), want %q (exit 1)", args[:2], err, exitCode(err), want)
		}
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("files were made: %v, %v", entries, err)
	}
	_, err := runCLI(t, "", "audit", "verify", "--db", dir)
	if want := "database " + dir + " is a folder, not a database file"; err == nil || err.Error() != want {
		t.Errorf("a folder: got %v, want %q", err, want)
	}
}

// TestAdminResetPassword: the new password is the one on standard input,
// or a printed random one; either signs in, the old one no longer does,
// and the change is in the audit log.
func TestAdminResetPassword(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "o.db")
	const email = "officer@council.gov.uk"
	if _, err := runCLI(t, "the first password\n", "admin", "create", "--db", dbPath, "--email", email); err != nil {
		t.Fatal(err)
	}
	hash := func() string {
		t.Helper()
		d, err := db.Open(context.Background(), dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		u, err := db.NewUserStore(d).UserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		return u.PasswordHash
	}
	out, err := runCLI(t, "the second password\n", "admin", "reset-password", "--db", dbPath, "--email", "Officer@Council.gov.uk")
	if err != nil || out != "password of officer@council.gov.uk reset\n" {
		t.Fatalf("from stdin: got %q, %v", out, err)
	}
	if h := hash(); !web.CheckPassword(h, "the second password") || web.CheckPassword(h, "the first password") {
		t.Errorf("after the reset from stdin the stored hash does not match the new password only")
	}
	for _, c := range []struct{ name, stdin string }{{"NoStdin", ""}, {"Flag", "ignored password\n"}} {
		args := []string{"admin", "reset-password", "--db", dbPath, "--email", email}
		if c.name == "Flag" {
			args = append(args, "--random")
		}
		out, err := runCLI(t, c.stdin, args...)
		m := regexp.MustCompile(`^password of officer@council\.gov\.uk reset to ([A-Z2-7]{26})\n$`).FindStringSubmatch(out)
		if err != nil || m == nil {
			t.Fatalf("%s: got %q, %v", c.name, out, err)
		}
		if h := hash(); !web.CheckPassword(h, m[1]) || web.CheckPassword(h, "the second password") || web.CheckPassword(h, "ignored password") {
			t.Errorf("%s: the stored hash does not match the printed password %s only", c.name, m[1])
		}
	}
	if _, err := runCLI(t, "short\n", "admin", "reset-password", "--db", dbPath, "--email", email); err == nil ||
		err.Error() != "the password (on standard input) must be at least 12 characters" {
		t.Errorf("short password: got %v", err)
	}
	if _, err := runCLI(t, "", "admin", "reset-password", "--db", dbPath, "--email", "nobody@council.gov.uk"); err == nil ||
		err.Error() != "no account for nobody@council.gov.uk in "+dbPath || exitCode(err) != 1 {
		t.Errorf("unknown account: got %v", err)
	}
	// One entry for the create and one for each of the three resets.
	if out, err := runCLI(t, "", "audit", "verify", "--db", dbPath); err != nil || !strings.HasPrefix(out, "audit log intact: 4 entries checked, all sealed;") {
		t.Errorf("audit: got %q, %v", out, err)
	}
	raw, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'user.password_reset' AND actor = 'cli' AND detail = ?`, email).Scan(&n); err != nil || n != 3 {
		t.Errorf("password resets in the audit log: %d, %v; want 3", n, err)
	}
}

// TestDemoAgainSaysHowBackIn: on a database that already has accounts the
// demo says how to sign in again, since its password was printed once.
func TestDemoAgainSaysHowBackIn(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	if _, err := runCLI(t, "a long enough password\n", "admin", "create", "--db", dbPath, "--email", "a@council.gov.uk"); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var out bytes.Buffer
	if err := loadDemo(context.Background(), d, nil, nil, "http://127.0.0.1:8080", dbPath, &out); err != nil {
		t.Fatal(err)
	}
	want := "oursay admin reset-password --db " + dbPath + " --email admin@demo.oursay.test"
	if !strings.Contains(out.String(), "no demo data was added") || !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "make demo-reset") {
		t.Errorf("got %q, want it to name %q and make demo-reset", out.String(), want)
	}
}

// TestServe_PortBusy: with the address taken, serve fails saying so before
// it creates the database, loads the demo or prints a password.
func TestServe_PortBusy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	addr := ln.Addr().String()
	out, errOut, err := runSplit(t, "", "serve", "--demo", "--db", filepath.Join(dir, "demo.db"), "--addr", addr)
	want := "listen on " + addr + ": the address is in use by another program (stop it, or give another --addr; make run takes ADDR=127.0.0.1:8081)"
	if err == nil || err.Error() != want || exitCode(err) != 1 {
		t.Errorf("got %v, want %q", err, want)
	}
	if out != "" || errOut != "" {
		t.Errorf("printed %q %q before failing", out, errOut)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("files were made: %v, %v", entries, err)
	}
}

// TestFileLimitWarning: the open-file limit is a warning only when it is
// below what --live-max-conns needs (one descriptor each plus 4096).
func TestFileLimitWarning(t *testing.T) {
	if got := filesNeeded(20_000); got != 24_096 {
		t.Errorf("filesNeeded(20000) = %d, want 24096", got)
	}
	for _, c := range []struct {
		limit, need uint64
		warn        bool
	}{{1024, 24_096, true}, {24_095, 24_096, true}, {24_096, 24_096, false}, {1 << 20, 24_096, false}, {1024, 1000, false}} {
		var buf bytes.Buffer
		logFileLimit(slog.New(slog.NewTextHandler(&buf, nil)), c.limit, c.need)
		warned, logged := strings.Contains(buf.String(), "level=WARN"), strings.Contains(buf.String(), fmt.Sprintf("limit=%d", c.limit))
		if warned != c.warn || !logged {
			t.Errorf("limit %d, need %d: got %q, want a warning %v", c.limit, c.need, buf.String(), c.warn)
		}
	}
}
