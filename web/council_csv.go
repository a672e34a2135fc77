package web

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oursay/oursay/ballot"
)

// ParsePostcodeCSV reads the council's postcode list: RFC 4180 CSV in
// UTF-8 with a header row naming the columns postcode, ward and ward_code
// (in any order and case; other columns are ignored). A byte-order mark
// and CRLF line ends are fine. Postcodes are normalised. Any bad row fails
// the whole file with a *ballot.ValidationError whose "postcodes" message
// names the line and the problem, so nothing is half-imported.
func ParsePostcodeCSV(r io.Reader) ([]ballot.PostcodeEntry, error) {
	cr := newCSVReader(r)
	cols, err := readHeader(cr, "postcodes", "postcode", "ward", "ward_code")
	if err != nil {
		return nil, err
	}
	var entries []ballot.PostcodeEntry
	seen := map[string]int{}
	for {
		rec, line, err := readRecord(cr, "postcodes")
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		e, msg := postcodeRow(rec, cols)
		if first, dup := seen[e.Postcode]; msg == "" && dup {
			msg = fmt.Sprintf("%s is already on line %d", e.Postcode, first)
		}
		if msg != "" {
			return nil, csvError("postcodes", line, msg)
		}
		seen[e.Postcode] = line
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		return nil, csvError("postcodes", 0, "The file has a header row but no postcodes")
	}
	return entries, nil
}

// postcodeRow turns one record into an entry, or says what is wrong with it.
func postcodeRow(rec []string, cols map[string]int) (ballot.PostcodeEntry, string) {
	raw := strings.TrimSpace(rec[cols["postcode"]])
	e := ballot.PostcodeEntry{
		Postcode: ballot.NormalisePostcode(raw),
		Ward: ballot.Ward{
			Name: strings.TrimSpace(rec[cols["ward"]]),
			Code: strings.ToUpper(strings.TrimSpace(rec[cols["ward_code"]])),
		},
	}
	if e.Postcode == "" {
		return e, fmt.Sprintf("%q is not a UK postcode", raw)
	}
	return e, ballot.CheckPostcodeEntry(e)
}

// ParseElectorateCSV reads a register snapshot: a header row count,as_of
// and one row such as 48210,2026-09-01 (the count may carry thousands
// separators). Errors are a *ballot.ValidationError on "electorate".
func ParseElectorateCSV(r io.Reader) (ballot.Electorate, error) {
	var e ballot.Electorate
	cr := newCSVReader(r)
	cols, err := readHeader(cr, "electorate", "count", "as_of")
	if err != nil {
		return e, err
	}
	rec, line, err := readRecord(cr, "electorate")
	if err == io.EOF {
		return e, csvError("electorate", 0, "The file has a header row but no figures")
	}
	if err != nil {
		return e, err
	}
	count, asOf := strings.TrimSpace(rec[cols["count"]]), strings.TrimSpace(rec[cols["as_of"]])
	if e.Count, err = parseCount(count); err != nil {
		return e, csvError("electorate", line, fmt.Sprintf("%q is not a whole number of electors", count))
	}
	if e.AsOf, err = time.Parse("2006-01-02", asOf); err != nil {
		return e, csvError("electorate", line, fmt.Sprintf("%q is not a date like 2026-09-01", asOf))
	}
	if _, next, err := readRecord(cr, "electorate"); err != io.EOF {
		return e, csvError("electorate", next, "give one figure only")
	}
	return e, nil
}

// parseCount reads a positive whole number, allowing "48,210".
func parseCount(s string) (int, error) {
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil || n < 1 {
		return 0, errors.New("not a count")
	}
	return n, nil
}

// newCSVReader skips a UTF-8 byte-order mark, which spreadsheet programs
// write before the header; csv would otherwise read it into the first
// column's name, or refuse a quoted one.
func newCSVReader(r io.Reader) *csv.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // checked per row, for a clearer message
	cr.ReuseRecord = true
	return cr
}

// readHeader reads the header row and returns the index of each wanted
// column, matched without regard to case or surrounding spaces.
func readHeader(cr *csv.Reader, field string, want ...string) (map[string]int, error) {
	rec, _, err := readRecord(cr, field)
	if err == io.EOF {
		return nil, csvError(field, 0, "The file is empty")
	}
	if err != nil {
		return nil, err
	}
	cols := map[string]int{}
	for i, h := range rec {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := cols[h]; !dup {
			cols[h] = i
		}
	}
	for _, w := range want {
		if _, ok := cols[w]; !ok {
			return nil, csvError(field, 1, fmt.Sprintf("the header row must name the columns %s", strings.Join(want, ",")))
		}
	}
	cr.FieldsPerRecord = len(rec)
	return cols, nil
}

// readRecord reads one record and its line number, turning CSV syntax,
// field-count and encoding errors into messages that name the line.
func readRecord(cr *csv.Reader, field string) ([]string, int, error) {
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, 0, err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return nil, pe.StartLine, csvError(field, pe.StartLine, fmt.Sprintf("expected %d columns, as in the header row, but found %d", cr.FieldsPerRecord, len(rec)))
		}
		return nil, pe.StartLine, csvError(field, pe.StartLine, "this is not valid CSV ("+pe.Err.Error()+")")
	}
	if err != nil {
		return nil, 0, csvError(field, 0, "The file could not be read")
	}
	line, _ := cr.FieldPos(0)
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return nil, line, csvError(field, line, "this line is not UTF-8 text: save the file as CSV UTF-8")
		}
	}
	return rec, line, nil
}

// csvError is a *ballot.ValidationError on field naming line (0: no line).
func csvError(field string, line int, msg string) error {
	if line > 0 {
		msg = fmt.Sprintf("Line %d: %s", line, msg)
	}
	return &ballot.ValidationError{Fields: map[string]string{field: msg}}
}
