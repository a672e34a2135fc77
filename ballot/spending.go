package ballot

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/oursay/oursay/consult"
)

// Spending: the council's payments over GBP 500, as it already publishes
// them each month under the Local Government Transparency Code 2015. The
// files differ between councils in their headings, so ParseSpending maps
// the usual names of each column onto one set of fields, and says which
// heading it used for each so that an officer can check before saving.

// SpendLine is one payment line of a spending file.
type SpendLine struct {
	// Line is the line of the file (the heading is line 1).
	Line              int       `json:"line"`
	Body              string    `json:"body,omitempty"`
	Date              time.Time `json:"date"`
	TransactionNumber string    `json:"transaction_number"`
	// AmountPence is negative for a credit note or refund.
	AmountPence   int64  `json:"amount_pence"`
	Supplier      string `json:"supplier"`
	SupplierRegNo string `json:"supplier_registration_number,omitempty"`
	ExpenseType   string `json:"expense_type,omitempty"`
	ExpenseArea   string `json:"expense_area,omitempty"`
	ContractRef   string `json:"contract_reference,omitempty"`
}

// Spending fields, in the order an officer checks them.
const (
	SpendBody        = "body"
	SpendDate        = "date"
	SpendTransaction = "transaction_number"
	SpendAmount      = "amount"
	SpendSupplier    = "supplier"
	SpendRegNo       = "supplier_registration_number"
	SpendExpenseType = "expense_type"
	SpendExpenseArea = "expense_area"
	SpendContractRef = "contract_reference"
)

// SpendFields lists every field with its label and whether a file must
// have it.
var SpendFields = []struct {
	Field, Label string
	Required     bool
}{
	{SpendBody, "Body name", false},
	{SpendDate, "Date", true},
	{SpendTransaction, "Transaction number", true},
	{SpendAmount, "Amount", true},
	{SpendSupplier, "Supplier name", true},
	{SpendRegNo, "Supplier registration number", false},
	{SpendExpenseType, "Expense type", false},
	{SpendExpenseArea, "Expense area", false},
	{SpendContractRef, "Contract reference", false},
}

// spendHeadings are the headings councils use for each field, compared
// after lower-casing and dropping everything but letters and digits.
var spendHeadings = map[string][]string{
	SpendBody:        {"body", "bodyname", "organisationname", "organisation", "council"},
	SpendDate:        {"date", "paymentdate", "transactiondate", "datepaid", "invoicedate", "dateofpayment"},
	SpendTransaction: {"transactionnumber", "transactionno", "transactionid", "transactionref", "transactionreference", "paymentreference", "reference", "documentnumber"},
	SpendAmount:      {"amount", "netamount", "amountexcludingvat", "amountexvat", "value", "netvalue", "amountgbp"},
	SpendSupplier:    {"suppliername", "supplier", "vendorname", "vendor", "beneficiary", "payee"},
	SpendRegNo:       {"supplierregistrationnumber", "companiesregistrationnumber", "companieshousenumber", "companynumber", "companyregistrationnumber", "supplierregistrationno", "registrationnumber"},
	SpendExpenseType: {"expensetype", "expendituretype", "expensedescription", "expenditurecategory", "purpose"},
	SpendExpenseArea: {"expensearea", "servicearea", "service", "department", "directorate", "servicelabel"},
	SpendContractRef: {"contractreference", "contractref", "contractnumber", "contractid"},
}

// SpendColumns is how a file's headings were read: for each field, the
// heading used and its column (from 0), or -1 when the file has none.
type SpendColumns struct {
	Headings []string       `json:"headings"`
	Column   map[string]int `json:"columns"`
}

// Heading is the file's heading used for field, or "".
func (c SpendColumns) Heading(field string) string {
	if i, ok := c.Column[field]; ok && i >= 0 {
		return c.Headings[i]
	}
	return ""
}

// SpendError names the line and column at fault in a spending file.
type SpendError struct {
	Line   int
	Column string
	Msg    string
}

func (e *SpendError) Error() string {
	switch {
	case e.Line == 0:
		return e.Msg
	case e.Column == "":
		return fmt.Sprintf("Line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("Line %d, column %q: %s", e.Line, e.Column, e.Msg)
}

// Limits on a spending file: a large council publishes some 5,000 lines a
// month, so a year in one file fits with room to spare.
const (
	MaxSpendLines = 200_000
	maxSpendField = 500
)

// headingKey lower-cases a heading and keeps only its letters and digits.
func headingKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// MapSpendColumns finds each field's column among headings. A heading
// matched to one field is not used for another; a required field with no
// heading is an error naming the headings that would do.
func MapSpendColumns(headings []string) (SpendColumns, error) {
	cols := SpendColumns{Headings: headings, Column: map[string]int{}}
	used := map[int]bool{}
	for _, f := range SpendFields {
		cols.Column[f.Field] = -1
		for _, want := range spendHeadings[f.Field] {
			for i, h := range headings {
				if !used[i] && headingKey(h) == want {
					cols.Column[f.Field], used[i] = i, true
					break
				}
			}
			if cols.Column[f.Field] >= 0 {
				break
			}
		}
		if f.Required && cols.Column[f.Field] < 0 {
			return cols, &SpendError{Line: 1, Msg: fmt.Sprintf("The file has no %s column. Name its heading %q", strings.ToLower(f.Label), f.Label)}
		}
	}
	return cols, nil
}

// spendDateLayouts are the date forms seen in councils' files.
var spendDateLayouts = []string{"02/01/2006", "2/1/2006", "2006-01-02", "02-Jan-2006", "2-Jan-2006", "02 Jan 2006", "2 Jan 2006", "2 January 2006", "02/01/06", "02-Jan-06"}

// ParseSpendDate reads a payment date as councils write them, day first.
func ParseSpendDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	// A spreadsheet often adds a time of midnight.
	s = strings.TrimSuffix(strings.TrimSuffix(s, " 00:00:00"), " 00:00")
	for _, l := range spendDateLayouts {
		if d, err := time.Parse(l, s); err == nil {
			return d, nil
		}
	}
	return time.Time{}, errors.New("not a date")
}

// ParseSpendAmount reads an amount as councils write them: "1234.56",
// "£1,234.56", "-1,234.56" or "(1,234.56)" for a credit, returned in pence.
func ParseSpendAmount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	neg := false
	switch {
	case strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")"):
		neg, s = true, s[1:len(s)-1]
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "£-"):
		neg, s = true, strings.TrimPrefix(s, "£-")
	}
	p, err := consult.ParsePence(s)
	if err != nil {
		return 0, err
	}
	if neg {
		p = -p
	}
	return p, nil
}

var spaces = regexp.MustCompile(`\s+`)

// ParseSpending reads a Transparency Code spending file: a heading line,
// then one line per payment. It returns how the headings were mapped and
// every line, or the first fault, naming its line and column. Nothing is
// returned with an error: a bad file saves nothing. A byte-order mark is
// allowed; blank lines are skipped.
func ParseSpending(r io.Reader) (SpendColumns, []SpendLine, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err == io.EOF {
		return SpendColumns{}, nil, &SpendError{Msg: "The file is empty. Choose the spending CSV file to import"}
	}
	if err != nil {
		return SpendColumns{}, nil, csvFault(err)
	}
	for i := range head {
		head[i] = strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff"))
	}
	cols, err := MapSpendColumns(head)
	if err != nil {
		return cols, nil, err
	}
	var lines []SpendLine
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return cols, nil, csvFault(err)
		}
		line, _ := cr.FieldPos(0)
		if blankRecord(rec) {
			continue
		}
		if len(lines) == MaxSpendLines {
			return cols, nil, &SpendError{Line: line, Msg: fmt.Sprintf("The file has more than %d payment lines. Split it into smaller files", MaxSpendLines)}
		}
		l, err := spendLine(cols, rec, line)
		if err != nil {
			return cols, nil, err
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		return cols, nil, &SpendError{Line: 2, Msg: "The file has headings but no payment lines"}
	}
	return cols, lines, nil
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvFault turns a CSV syntax error into a SpendError naming its line.
func csvFault(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &SpendError{Line: pe.Line, Msg: "The line is not valid CSV (" + pe.Err.Error() + "). Save the file from the spreadsheet as CSV again"}
	}
	return &SpendError{Msg: "The file could not be read: " + err.Error()}
}

// spendLine reads one record through the column mapping.
func spendLine(cols SpendColumns, rec []string, line int) (SpendLine, error) {
	get := func(field string) (string, error) {
		i := cols.Column[field]
		if i < 0 || i >= len(rec) {
			return "", nil
		}
		v := strings.TrimSpace(spaces.ReplaceAllString(rec[i], " "))
		if !utf8.ValidString(v) {
			return "", &SpendError{Line: line, Column: cols.Headings[i], Msg: "The text is not UTF-8. Save the file as CSV UTF-8"}
		}
		if utf8.RuneCountInString(v) > maxSpendField {
			return "", &SpendError{Line: line, Column: cols.Headings[i], Msg: fmt.Sprintf("The text is longer than %d characters", maxSpendField)}
		}
		return v, nil
	}
	l := SpendLine{Line: line}
	var err error
	text := map[string]*string{SpendBody: &l.Body, SpendTransaction: &l.TransactionNumber, SpendSupplier: &l.Supplier,
		SpendRegNo: &l.SupplierRegNo, SpendExpenseType: &l.ExpenseType, SpendExpenseArea: &l.ExpenseArea, SpendContractRef: &l.ContractRef}
	for _, f := range SpendFields {
		v, gerr := get(f.Field)
		if gerr != nil {
			return l, gerr
		}
		if f.Required && v == "" {
			return l, &SpendError{Line: line, Column: cols.Headings[cols.Column[f.Field]], Msg: "Enter the " + strings.ToLower(f.Label) + ": it is blank"}
		}
		switch f.Field {
		case SpendDate:
			if l.Date, err = ParseSpendDate(v); err != nil {
				return l, &SpendError{Line: line, Column: cols.Heading(SpendDate), Msg: fmt.Sprintf("%q is not a date. Write dates like 31/01/2027", v)}
			}
		case SpendAmount:
			if l.AmountPence, err = ParseSpendAmount(v); err != nil {
				return l, &SpendError{Line: line, Column: cols.Heading(SpendAmount), Msg: fmt.Sprintf("%q is not an amount of money. Write amounts like 1234.56 or £1,234.56", v)}
			}
		default:
			*text[f.Field] = v
		}
	}
	return l, nil
}

// Key identifies a payment line for de-duplication: importing the same
// file twice, or two months' files that overlap, adds each payment once.
func (l SpendLine) Key() string {
	return strings.Join([]string{strings.ToLower(l.Body), l.TransactionNumber, l.Date.Format(time.DateOnly),
		fmt.Sprint(l.AmountPence), SupplierKey(l.Supplier), strings.ToLower(l.ExpenseType), strings.ToLower(l.ExpenseArea)}, "\x1f")
}

// SpendTarget is what a payment line can be matched against: a contract's
// reference, its supplier's registration number and its supplier's name.
type SpendTarget struct {
	ContractID    int64
	Reference     string
	SupplierRegNo string
	Supplier      string
}

// How a line was matched to a contract.
const (
	MatchReference = "contract reference"
	MatchRegNo     = "supplier registration number"
	MatchSupplier  = "supplier name"
)

// MatchSpend finds the contract a line pays for: by contract reference,
// else by the supplier's registration number, else by the supplier's name.
// A step that matches more than one contract matches none (a supplier with
// two contracts cannot be told apart by its name), and the line is left
// for staff to assign. It returns 0 and "" when nothing matches.
func MatchSpend(l SpendLine, targets []SpendTarget) (int64, string) {
	steps := []struct {
		how string
		key func(SpendTarget) string
		val string
	}{
		{MatchReference, func(t SpendTarget) string { return refKey(t.Reference) }, refKey(l.ContractRef)},
		{MatchRegNo, func(t SpendTarget) string { return RegNoKey(t.SupplierRegNo) }, RegNoKey(l.SupplierRegNo)},
		{MatchSupplier, func(t SpendTarget) string { return SupplierKey(t.Supplier) }, SupplierKey(l.Supplier)},
	}
	for _, s := range steps {
		if s.val == "" {
			continue
		}
		var found int64
		n := 0
		for _, t := range targets {
			if s.key(t) == s.val {
				found, n = t.ContractID, n+1
			}
		}
		if n == 1 {
			return found, s.how
		}
	}
	return 0, ""
}

func refKey(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }

// RegNoKey normalises a Companies House number: capitals, no spaces, and
// an all-digit number padded to eight digits ("1234567" is "01234567").
func RegNoKey(s string) string {
	k := refKey(s)
	if k != "" && len(k) < 8 && consult.AllDigits(k) {
		k = strings.Repeat("0", 8-len(k)) + k
	}
	return k
}

// supplierSuffixes are the words a supplier's name carries or drops from
// one file to another.
var supplierSuffixes = map[string]bool{"ltd": true, "limited": true, "plc": true, "llp": true, "the": true, "co": true, "uk": true, "cic": true}

// SupplierKey normalises a supplier's name for matching: lower case, no
// punctuation, and without "Ltd", "Limited", "plc" and the like, so that
// "CleanCo Ltd." and "CLEANCO LIMITED" match.
func SupplierKey(s string) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '&' }) {
		if !supplierSuffixes[w] {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// Import states.
const (
	ImportPending   = "pending"
	ImportSaved     = "saved"
	ImportCancelled = "cancelled"
)

// SpendImport is one uploaded spending file: staged until an officer has
// checked how it was read, then saved or cancelled.
type SpendImport struct {
	ID        int64
	Filename  string
	CSV       []byte
	Status    string
	CreatedBy string
	CreatedAt time.Time
	SavedAt   time.Time
	// Lines, Added and Duplicates are counted when the file is saved:
	// Added + Duplicates = Lines.
	Lines, Added, Duplicates int
}

// SavedSpend is a payment line as kept, with the contract it pays for (0
// when unmatched) and how it was matched ("assigned" when staff chose).
type SavedSpend struct {
	ID int64
	SpendLine
	ContractID int64
	MatchedBy  string
}

// MatchAssigned says staff chose a line's contract by hand.
const MatchAssigned = "assigned by staff"

// SpendTotals sums the saved payments.
type SpendTotals struct {
	Payments   int
	TotalPence int64
	Unmatched  int
}

// MaxSpendFile bounds an uploaded spending file.
const MaxSpendFile = 20 << 20

// SpendingStore keeps imported spending.
type SpendingStore interface {
	// StageSpending keeps a file that ParseSpending accepted, pending, and
	// returns its id.
	StageSpending(ctx context.Context, filename string, csv []byte, actor string) (int64, error)
	// SpendImport returns one import, or ErrNotFound.
	SpendImport(ctx context.Context, id int64) (*SpendImport, error)
	// SpendImports lists the imports, newest first, without their files.
	SpendImports(ctx context.Context) ([]*SpendImport, error)
	// SaveSpending adds a pending import's payments, each once, matched to
	// contracts by MatchSpend, and marks it saved. It returns
	// ErrBadTransition when the import is not pending.
	SaveSpending(ctx context.Context, id int64, actor string) (*SpendImport, error)
	// CancelSpending drops a pending import's file and marks it cancelled.
	CancelSpending(ctx context.Context, id int64, actor string) error
	// SavedSpendKeys counts how many of keys are saved already.
	SavedSpendKeys(ctx context.Context, keys []string) (int, error)
	// SpendTargets is every contract as MatchSpend sees it.
	SpendTargets(ctx context.Context) ([]SpendTarget, error)
	// SpendTotals sums every saved payment.
	SpendTotals(ctx context.Context) (SpendTotals, error)
	// UnmatchedSpend lists unmatched payments, oldest first, a page at a
	// time, with how many there are in all.
	UnmatchedSpend(ctx context.Context, offset, limit int) ([]SavedSpend, int, error)
	// AssignSpend sets an unmatched or wrongly matched payment's contract.
	// It returns ErrNotFound for an unknown payment or contract.
	AssignSpend(ctx context.Context, lineID, contractID int64, actor string) error
	// ContractSpend lists the payments matched to a contract, by date.
	ContractSpend(ctx context.Context, contractID int64) ([]SavedSpend, error)
}

// QuarterSpend is what was paid in one calendar quarter.
type QuarterSpend struct {
	// Start is the quarter's first day.
	Start time.Time
	Pence int64
	// ToDate is everything paid up to the quarter's end.
	ToDate int64
}

// Label names the quarter as people say it: "January to March 2027".
func (q QuarterSpend) Label() string {
	end := q.Start.AddDate(0, 2, 0)
	return q.Start.Format("January") + " to " + end.Format("January 2006")
}

// Code names the quarter for open data: "2027-Q1".
func (q QuarterSpend) Code() string {
	return fmt.Sprintf("%d-Q%d", q.Start.Year(), (int(q.Start.Month())-1)/3+1)
}

// SpendByQuarter sums payments by calendar quarter, oldest first, with
// every quarter between the first payment and the last listed (a quarter
// with nothing paid is a zero, not a gap), and the running total.
func SpendByQuarter(lines []SavedSpend) []QuarterSpend {
	if len(lines) == 0 {
		return nil
	}
	quarter := func(d time.Time) time.Time {
		return time.Date(d.Year(), time.Month((int(d.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	}
	first, last := quarter(lines[0].Date), quarter(lines[0].Date)
	sums := map[time.Time]int64{}
	for _, l := range lines {
		q := quarter(l.Date)
		sums[q] += l.AmountPence
		if q.Before(first) {
			first = q
		}
		if q.After(last) {
			last = q
		}
	}
	var out []QuarterSpend
	var total int64
	for q := first; !q.After(last); q = q.AddDate(0, 3, 0) {
		total += sums[q]
		out = append(out, QuarterSpend{Start: q, Pence: sums[q], ToDate: total})
	}
	return out
}
