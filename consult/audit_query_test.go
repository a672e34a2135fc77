package consult

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestAuditActionNames: every action the code writes to the audit log has
// a readable name, so the audit page never shows a bare code. It reads the
// source: a line that mentions the audit log or an Action and holds a
// quoted dotted code is taken to write it.
func TestAuditActionNames(t *testing.T) {
	code := regexp.MustCompile(`"([a-z]+\.[a-z_]+)"`)
	mentions := regexp.MustCompile(`(?i)audit|Action:`)
	found := 0
	for _, dir := range []string{"../db", "../web", "../cmd", "../ballot", "."} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, line := range strings.Split(string(b), "\n") {
				if !mentions.MatchString(line) || strings.Contains(line, "auditActionNames") {
					continue
				}
				for _, m := range code.FindAllStringSubmatch(line, -1) {
					found++
					if !AuditActionKnown(m[1]) {
						t.Errorf("%s:%d writes the audit action %q, which has no readable name in auditActionNames", path, i+1, m[1])
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if found < 30 {
		t.Fatalf("found only %d audit actions in the source: the scan is out of date", found)
	}
	if got := AuditActionName("staff.signin"); got != "Signed in" {
		t.Errorf("staff.signin reads %q", got)
	}
	if got := AuditActionName("made.up"); got != "made.up" {
		t.Errorf("an unknown action reads %q", got)
	}
}

func TestAuditQuery_Validate(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2027, 1, d, 0, 0, 0, 0, time.UTC) }
	if err := (AuditQuery{Action: "staff.signin", Actor: "admin", From: day(1), To: day(1)}).Validate(); err != nil {
		t.Errorf("a good filter: %v", err)
	}
	for _, tc := range []struct {
		q     AuditQuery
		field string
	}{
		{AuditQuery{Action: "drop.table"}, "action"},
		{AuditQuery{From: day(2), To: day(1)}, "to"},
		{AuditQuery{Actor: strings.Repeat("a", 201)}, "actor"},
	} {
		var ve *ValidationError
		if err := tc.q.Validate(); !errors.As(err, &ve) || ve.Fields[tc.field] == "" {
			t.Errorf("%+v: %v, want a message for %s", tc.q, err, tc.field)
		}
	}
}

func TestLike(t *testing.T) {
	if got := Like(`50%_off\`); got != `%50\%\_off\\%` {
		t.Errorf("Like = %q", got)
	}
}
