package ballot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ValidWardCode reports whether s is shaped like a GSS code: a capital
// letter and eight digits, such as E05000001 (wards in England start E05).
func ValidWardCode(s string) bool {
	if len(s) != 9 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < 9; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// CheckPostcodeEntry returns what is wrong with one row of a postcode list,
// or "" when it is fine. The postcode must already be normalised.
func CheckPostcodeEntry(e PostcodeEntry) string {
	switch {
	case e.Postcode == "" || NormalisePostcode(e.Postcode) != e.Postcode:
		return fmt.Sprintf("%q is not a UK postcode", e.Postcode)
	case strings.TrimSpace(e.Ward.Name) == "":
		return "the ward name is missing"
	case utf8.RuneCountInString(e.Ward.Name) > 100:
		return "the ward name is longer than 100 characters"
	case !ValidWardCode(e.Ward.Code):
		return fmt.Sprintf("%q is not a ward code: it should be a GSS code such as E05000001", e.Ward.Code)
	}
	return ""
}

// ValidatePostcodes checks a whole postcode list before it replaces the old
// one: it must not be empty, every row must pass CheckPostcodeEntry, and no
// postcode may appear twice. The *ValidationError's "postcodes" message
// names the first bad row, counting from 1.
func ValidatePostcodes(entries []PostcodeEntry) error {
	ve := &ValidationError{}
	if len(entries) == 0 {
		ve.Add("postcodes", "The list has no postcodes")
		return ve
	}
	seen := make(map[string]int, len(entries))
	for i, e := range entries {
		msg := CheckPostcodeEntry(e)
		if first, dup := seen[e.Postcode]; msg == "" && dup {
			msg = fmt.Sprintf("%s is already listed in row %d", e.Postcode, first)
		}
		if msg != "" {
			ve.Add("postcodes", fmt.Sprintf("Row %d: %s", i+1, msg))
			return ve
		}
		seen[e.Postcode] = i + 1
	}
	return nil
}

// Validate checks a register snapshot as an officer enters it: a count of
// at least 1, and a date that is set and not after today.
func (e Electorate) Validate(now time.Time) error {
	ve := &ValidationError{}
	if e.Count < 1 {
		ve.Add("count", "Enter the number of electors, 1 or more")
	}
	if e.AsOf.IsZero() {
		ve.Add("as_of", "Enter the date of the register count")
	} else if e.AsOf.After(now) {
		ve.Add("as_of", "The date of the register count cannot be in the future")
	}
	return ve.Err()
}
