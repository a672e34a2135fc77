package ballot

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const spendFile = "\ufeffBody Name,Payment Date,Transaction No.,Net Amount,Supplier Name,Companies House Number,Expense Type,Service Area,Contract Ref\n" +
	"Demo Borough Council,05/01/2027,T1001,\"£12,400.00\",CleanCo Ltd.,1234567,Contract payments,Waste,DBC-2023-014\n" +
	"Demo Borough Council,2027-01-19,T1002,(250.50),CLEANCO LIMITED,,Credit note,Waste,\n" +
	"\n" +
	"Demo Borough Council,3 Feb 2027,T1003,980,Parks & Green Spaces CIC,,Grounds maintenance,Parks,\n"

func TestParseSpending(t *testing.T) {
	cols, lines, err := ParseSpending(strings.NewReader(spendFile))
	if err != nil {
		t.Fatal(err)
	}
	for field, heading := range map[string]string{SpendBody: "Body Name", SpendDate: "Payment Date", SpendTransaction: "Transaction No.",
		SpendAmount: "Net Amount", SpendSupplier: "Supplier Name", SpendRegNo: "Companies House Number", SpendExpenseType: "Expense Type",
		SpendExpenseArea: "Service Area", SpendContractRef: "Contract Ref"} {
		if got := cols.Heading(field); got != heading {
			t.Errorf("%s read from %q, want %q", field, got, heading)
		}
	}
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3 (the blank line skipped)", len(lines))
	}
	first := lines[0]
	want := SpendLine{Line: 2, Body: "Demo Borough Council", Date: time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), TransactionNumber: "T1001",
		AmountPence: 1240000, Supplier: "CleanCo Ltd.", SupplierRegNo: "1234567", ExpenseType: "Contract payments", ExpenseArea: "Waste", ContractRef: "DBC-2023-014"}
	if first != want {
		t.Errorf("first line\n got %+v\nwant %+v", first, want)
	}
	if lines[1].AmountPence != -25050 || !lines[1].Date.Equal(time.Date(2027, 1, 19, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("credit note read as %+v", lines[1])
	}
	if lines[2].Line != 5 || lines[2].AmountPence != 98000 {
		t.Errorf("third payment %+v, want line 5 and 98000 pence", lines[2])
	}
}

func TestParseSpending_Refuses(t *testing.T) {
	head := "Date,Transaction Number,Amount,Supplier\n"
	for _, tc := range []struct {
		name, file string
		line       int
		column     string
		msg        string
	}{
		{"empty", "", 0, "", "The file is empty"},
		{"no amount column", "Date,Transaction Number,Supplier\n01/01/2027,T1,CleanCo\n", 1, "", "no amount column"},
		{"headings only", head, 2, "", "no payment lines"},
		{"bad date", head + "01/01/2027,T1,10,CleanCo\n31/02/2027,T2,10,CleanCo\n", 3, "Date", `"31/02/2027" is not a date`},
		{"bad amount", head + "01/01/2027,T1,12.345,CleanCo\n", 2, "Amount", `"12.345" is not an amount`},
		{"blank supplier", head + "01/01/2027,T1,10, \n", 2, "Supplier", "Enter the supplier name"},
		{"bad quoting", head + "01/01/2027,T1,\"10,CleanCo\n", 2, "", "not valid CSV"},
	} {
		_, lines, err := ParseSpending(strings.NewReader(tc.file))
		var se *SpendError
		if !errors.As(err, &se) {
			t.Errorf("%s: %v, want a SpendError", tc.name, err)
			continue
		}
		if lines != nil || se.Line != tc.line || se.Column != tc.column || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %d lines, error at line %d column %q: %v; want line %d column %q containing %q",
				tc.name, len(lines), se.Line, se.Column, err, tc.line, tc.column, tc.msg)
		}
	}
}

func TestSpendLine_Key(t *testing.T) {
	_, a, err := ParseSpending(strings.NewReader(spendFile))
	if err != nil {
		t.Fatal(err)
	}
	_, b, _ := ParseSpending(strings.NewReader(strings.ReplaceAll(spendFile, "CleanCo Ltd.", "CLEANCO LIMITED")))
	if a[0].Key() != b[0].Key() {
		t.Errorf("the same payment with its supplier written differently has two keys")
	}
	other := a[0]
	other.TransactionNumber = "T9999"
	if other.Key() == a[0].Key() {
		t.Errorf("two transactions share a key")
	}
	split := a[0]
	split.ExpenseType = "Fuel"
	if split.Key() == a[0].Key() {
		t.Errorf("one transaction split over two expense types shares a key")
	}
}

func TestMatchSpend(t *testing.T) {
	targets := []SpendTarget{
		{ContractID: 1, Reference: "DBC-2023-014", SupplierRegNo: "01234567", Supplier: "CleanCo Limited"},
		{ContractID: 2, Reference: "DBC-2024-002", SupplierRegNo: "07654321", Supplier: "Parks & Green Spaces CIC"},
		{ContractID: 3, Reference: "DBC-2024-009", SupplierRegNo: "07654321", Supplier: "Parks & Green Spaces CIC"},
	}
	for _, tc := range []struct {
		name string
		l    SpendLine
		id   int64
		how  string
	}{
		{"reference first", SpendLine{ContractRef: "dbc 2023-014", Supplier: "Someone Else"}, 0, ""},
		{"reference", SpendLine{ContractRef: "dbc-2023-014 ", Supplier: "Someone Else"}, 1, MatchReference},
		{"registration number padded", SpendLine{SupplierRegNo: "1234567", Supplier: "Someone Else"}, 1, MatchRegNo},
		{"supplier name", SpendLine{Supplier: "CLEANCO LTD."}, 1, MatchSupplier},
		{"two contracts, one supplier", SpendLine{Supplier: "Parks & Green Spaces"}, 0, ""},
		{"two contracts, the reference decides", SpendLine{ContractRef: "DBC-2024-009", Supplier: "Parks & Green Spaces"}, 3, MatchReference},
		{"nothing", SpendLine{Supplier: "Unknown Supplies"}, 0, ""},
	} {
		id, how := MatchSpend(tc.l, targets)
		if id != tc.id || how != tc.how {
			t.Errorf("%s: matched %d by %q, want %d by %q", tc.name, id, how, tc.id, tc.how)
		}
	}
}

func TestParseSpendAmount(t *testing.T) {
	for in, want := range map[string]int64{"1234.56": 123456, "£1,234.56": 123456, "-1,234.56": -123456, "(250.50)": -25050, "£-5": -500} {
		if got, err := ParseSpendAmount(in); err != nil || got != want {
			t.Errorf("%q = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "--5", "(5", "1.2.3", "five"} {
		if got, err := ParseSpendAmount(in); err == nil {
			t.Errorf("%q = %d, want an error", in, got)
		}
	}
}

// FuzzParseSpending: no file makes the importer panic, and what it accepts
// is whole: every line has a date, a transaction number, a supplier and a
// line number after the heading, in order; and an error comes with no lines.
func FuzzParseSpending(f *testing.F) {
	f.Add(spendFile)
	f.Add("Date,Transaction Number,Amount,Supplier\n01/01/2027,T1,10,CleanCo\n")
	f.Add("Date,Transaction Number,Amount,Supplier\n\"01/01/2027\",\"T1\",\"(1,000)\",\"A \"\"quoted\"\" name\"\n")
	f.Add("Date;Amount\n1;2\n")
	f.Fuzz(func(t *testing.T, file string) {
		_, lines, err := ParseSpending(strings.NewReader(file))
		if err != nil {
			if lines != nil {
				t.Fatalf("an error with %d lines", len(lines))
			}
			return
		}
		prev := 1
		for _, l := range lines {
			if l.Line <= prev || l.Date.IsZero() || l.TransactionNumber == "" || l.Supplier == "" {
				t.Fatalf("accepted an incomplete or misnumbered line %+v after line %d", l, prev)
			}
			prev = l.Line
		}
	})
}

func TestSpendByQuarter(t *testing.T) {
	pay := func(y int, m time.Month, d int, pence int64) SavedSpend {
		return SavedSpend{SpendLine: SpendLine{Date: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), AmountPence: pence}}
	}
	got := SpendByQuarter([]SavedSpend{pay(2027, 5, 2, 300), pay(2026, 12, 31, 100), pay(2026, 10, 1, 50), pay(2027, 6, 30, -25)})
	want := []struct {
		code, label   string
		pence, toDate int64
	}{
		{"2026-Q4", "October to December 2026", 150, 150},
		{"2027-Q1", "January to March 2027", 0, 150},
		{"2027-Q2", "April to June 2027", 275, 425},
	}
	if len(got) != len(want) {
		t.Fatalf("%d quarters, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if g := got[i]; g.Code() != w.code || g.Label() != w.label || g.Pence != w.pence || g.ToDate != w.toDate {
			t.Errorf("quarter %d: %s %q %d %d, want %+v", i, g.Code(), g.Label(), g.Pence, g.ToDate, w)
		}
	}
	if SpendByQuarter(nil) != nil {
		t.Errorf("no payments, some quarters")
	}
}
