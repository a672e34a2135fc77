package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
)

// minPassword is the shortest staff password the command line accepts:
// the same as the browser forms.
const minPassword = consult.MinPassword

// adminCreate makes a staff account; the password is read from the first
// line of standard input so it never appears in the process list.
func adminCreate(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlags("admin create", stdout)
	dbPath := fs.String("db", "oursay.db", "SQLite database file (created if missing)")
	email := fs.String("email", "", "the staff member's email address")
	role := fs.String("role", "admin", "admin or moderator")
	keyFile := fs.String("key-file", "", "key file, kept apart from the database, that seals the audit log (default: the database path + .key; created if missing)")
	if err := fs.parse(args); err != nil {
		return err
	}
	u := &consult.User{Email: consult.NormaliseEmail(*email), Role: consult.Role(*role)}
	if !strings.Contains(u.Email, "@") {
		return fs.bad("email", "give the staff member's email address")
	}
	if !u.Role.Valid() {
		return fs.bad("role", "want admin or moderator")
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(pw) < minPassword {
		return fmt.Errorf("the password (on standard input) must be at least %d characters", minPassword)
	}
	u.PasswordHash = web.HashPassword(pw)
	d, err := openKeyed(ctx, *dbPath, *keyFile, openDB)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := db.NewUserStore(d).CreateUser(ctx, u, "cli"); err != nil {
		if errors.Is(err, consult.ErrDuplicate) {
			return fmt.Errorf("an account for %s already exists", u.Email)
		}
		return err
	}
	fmt.Fprintf(stdout, "created %s account for %s\n", u.Role, u.Email)
	return nil
}

// adminResetPassword sets a staff account's password: the first line of
// standard input, or, with --random, with nothing on standard input or when
// it is a terminal, a random one that is printed once. It is the way back
// into the demo once its printed password is lost. The change is in the
// audit log.
func adminResetPassword(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlags("admin reset-password", stdout)
	dbPath := fs.String("db", "oursay.db", "SQLite database file (must exist)")
	email := fs.String("email", "", "the staff member's email address")
	random := fs.Bool("random", false, "make a random password and print it, rather than read one from standard input")
	keyFile := fs.String("key-file", "", "key file, kept apart from the database, that seals the audit log (default: the database path + .key; created if missing)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if !strings.Contains(*email, "@") {
		return fs.bad("email", "give the staff member's email address")
	}
	pw := ""
	if !*random && !isTerminal(stdin) {
		var err error
		if pw, err = readPassword(stdin); err != nil {
			return err
		}
		if pw != "" && utf8.RuneCountInString(pw) < minPassword {
			return fmt.Errorf("the password (on standard input) must be at least %d characters", minPassword)
		}
	}
	printed := pw == ""
	if printed {
		pw = rand.Text() // 26 characters, 130 random bits
	}
	d, err := openKeyed(ctx, *dbPath, *keyFile, openExisting)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := db.NewUserStore(d).SetPassword(ctx, *email, web.HashPassword(pw), "cli"); err != nil {
		if errors.Is(err, consult.ErrNotFound) {
			return fmt.Errorf("no account for %s in %s", consult.NormaliseEmail(*email), *dbPath)
		}
		return err
	}
	if printed {
		fmt.Fprintf(stdout, "password of %s reset to %s\n", consult.NormaliseEmail(*email), pw)
	} else {
		fmt.Fprintf(stdout, "password of %s reset\n", consult.NormaliseEmail(*email))
	}
	return nil
}

// readPassword reads the first line of r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// isTerminal reports whether r is a terminal (or another character device,
// such as /dev/null), where waiting for a password line would only hang or
// echo it.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// openKeyed opens the database with open and gives it the audit key from
// the key file (created if missing, as serve does), so that what the
// command writes to the audit log is sealed.
func openKeyed(ctx context.Context, dbPath, keyFile string, open func(context.Context, string) (*db.DB, error)) (*db.DB, error) {
	d, err := open(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	key, _, err := loadCodeKey(codeKeyPath(keyFile, dbPath))
	if err != nil {
		d.Close()
		return nil, err
	}
	d.SetAuditKey(db.AuditKey(key))
	return d, nil
}
