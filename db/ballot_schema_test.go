package db_test

import (
	"database/sql"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// secretTables are the tables that hold votes, receipts or codes, with the
// only columns each may have. None of them can say which code cast which
// vote, whose vote it was, or when.
var secretTables = map[string][]string{
	"ballot_votes":    {"ballot_id", "option_id", "token"},
	"ballot_receipts": {"ballot_id", "receipt"},
	"voter_codes":     {"ballot_id", "code_hash", "used"},
}

// linkingColumn matches column names that could tie a row to a code, a
// voter or a time.
var linkingColumn = regexp.MustCompile(`(?i)code|voter|user|email|name|postcode|address|ip|session|time|_at$|date|created|seq|order|position|^id$|receipt`)

// TestBallotSchema_Secrecy reads the schema as SQLite reports it, so a
// migration that adds a linking column, a rowid or a new table of votes
// fails here rather than in review.
func TestBallotSchema_Secrecy(t *testing.T) {
	d := MustOpenDB(t)
	tables := map[string]bool{} // name → WITHOUT ROWID
	rows, err := d.Reader().Query(`SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		var wr bool
		if err := rows.Scan(&name, &wr); err != nil {
			t.Fatal(err)
		}
		tables[name] = wr
	}
	rows.Close()

	// Every table that refers to a ballot or its options is a known one.
	for name := range tables {
		refs := strings.Join(query(t, d.Reader(), `SELECT "table" FROM pragma_foreign_key_list(?)`, name), ",")
		if !regexp.MustCompile(`\bballot(s|_options)\b`).MatchString(refs) {
			continue
		}
		if _, ok := secretTables[name]; !ok && name != "ballot_options" {
			t.Errorf("table %s refers to ballots but is not checked here: add it to secretTables with its columns", name)
		}
	}
	for name, want := range secretTables {
		wr, ok := tables[name]
		if !ok {
			t.Errorf("table %s is missing", name)
			continue
		}
		if !wr {
			t.Errorf("table %s has a rowid, which numbers rows in the order they were written: make it WITHOUT ROWID", name)
		}
		cols := query(t, d.Reader(), `SELECT name FROM pragma_table_info(?)`, name)
		sort.Strings(cols)
		if !slices.Equal(cols, want) {
			t.Errorf("table %s has columns %v, want exactly %v", name, cols, want)
		}
		for _, c := range cols {
			if c == "ballot_id" || name == "voter_codes" && c == "code_hash" || name == "ballot_receipts" && c == "receipt" {
				continue // the ballot; the code table's own key; the receipt table's own key
			}
			if linkingColumn.MatchString(c) {
				t.Errorf("table %s column %s could link a vote to a code, a voter or a time", name, c)
			}
		}
		// Triggers on these tables may only refuse; one that wrote
		// elsewhere (a log, a timestamp) would be a link.
		for _, body := range query(t, d.Reader(), `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`, name) {
			_, after, _ := strings.Cut(strings.ToUpper(body), "BEGIN")
			if strings.Contains(after, "INSERT") || strings.Contains(after, "UPDATE") || strings.Contains(after, "DELETE") {
				t.Errorf("trigger on %s writes: %s", name, body)
			}
		}
	}
	// The vote and receipt tables share nothing but the ballot.
	votes, receipts := secretTables["ballot_votes"], secretTables["ballot_receipts"]
	for _, c := range votes {
		if c != "ballot_id" && slices.Contains(receipts, c) {
			t.Errorf("ballot_votes and ballot_receipts share column %s", c)
		}
	}
}

// query returns the first column of every row.
func query(t *testing.T, q *sql.DB, s string, args ...any) []string {
	t.Helper()
	rows, err := q.Query(s, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
