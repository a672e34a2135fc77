package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web"
)

// adminCreate makes a staff account; the password is read from the first
// line of standard input so it never appears in the process list.
func adminCreate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("admin create", stderr)
	dbPath := fs.String("db", "oursay.db", "SQLite database file")
	email := fs.String("email", "", "the staff member's email address")
	role := fs.String("role", "admin", "admin or moderator")
	if err := parse(fs, args); err != nil {
		return err
	}
	u := &consult.User{Email: consult.NormaliseEmail(*email), Role: consult.Role(*role)}
	if !strings.Contains(u.Email, "@") {
		return errors.New("--email: give the staff member's email address")
	}
	if !u.Role.Valid() {
		return errors.New("--role: must be admin or moderator")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if utf8.RuneCountInString(pw) < 12 {
		return errors.New("the password (on standard input) must be at least 12 characters")
	}
	u.PasswordHash = web.HashPassword(pw)
	d, err := db.Open(ctx, *dbPath)
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

// auditVerify checks the audit log's hash chain and names the first broken entry.
func auditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit verify", stderr)
	dbPath := fs.String("db", "oursay.db", "SQLite database file")
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := db.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	broken, checked, err := db.NewAuditLog(d).VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if broken != 0 {
		fmt.Fprintf(stdout, "audit log BROKEN at entry %d (checked %d entries)\n", broken, checked)
		return errFailed
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries checked\n", checked)
	return nil
}
