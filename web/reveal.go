package web

import (
	"fmt"

	"github.com/oursay/oursay/consult"
)

// Conditional reveal and character counts for staff forms (GOV.UK radios
// with conditional content; GOV.UK character count). Both work without
// JavaScript; govuk-frontend's Radios and CharacterCount enhance them.

// revealArgs is what the radios-reveal partial needs: radios whose
// choices may each reveal fields beneath them, by choice value.
type revealArgs struct {
	radioArgs
	Reveals map[string][]revealField
}

// revealField is one field revealed under a choice: an input or textarea
// (fieldArgs, Type "textarea" for a textarea), or a select.
type revealField struct {
	fieldArgs
	Select selectArgs
}

// revealRadios pairs choice values with what each reveals, as the
// templates call it: (revealRadios (radioArgs …) "share" (field …) "fixed"
// (field …)). A value may be followed by several fields.
func revealRadios(ra radioArgs, pairs ...any) (revealArgs, error) {
	a := revealArgs{radioArgs: ra, Reveals: map[string][]revealField{}}
	value, started := "", false
	for _, x := range pairs {
		switch v := x.(type) {
		case string:
			value, started = v, true
		case fieldArgs:
			if !started {
				return a, fmt.Errorf("revealRadios: field %s before any choice", v.Name)
			}
			a.Reveals[value] = append(a.Reveals[value], revealField{fieldArgs: v})
		case selectArgs:
			if !started {
				return a, fmt.Errorf("revealRadios: select %s before any choice", v.Name)
			}
			a.Reveals[value] = append(a.Reveals[value], revealField{fieldArgs: fieldArgs{Name: v.Name, inputPurpose: inputPurpose{Type: "select"}}, Select: v})
		default:
			return a, fmt.Errorf("revealRadios: cannot reveal a %T", x)
		}
	}
	return a, nil
}

// asTextarea makes a field a textarea when revealed.
func asTextarea(f fieldArgs) fieldArgs { f.Type = "textarea"; return f }

// limit gives a textarea the GOV.UK character count for at most max
// characters: the domain's own maximum for that field.
func limit(max int, f fieldArgs) fieldArgs { f.Max = max; return f }

// charLimits are the domain's maxima for the long texts staff write, by
// form field, for the character count (counted).
var charLimits = map[string]int{
	"summary": consult.MaxLongText, "we_asked": consult.MaxLongText, "you_said": consult.MaxLongText,
	"we_did": consult.MaxLongText, "in_house_comparison": consult.MaxLongText, "revision_note": consult.MaxRevisionNote,
	"public_interest_case": consult.MaxRecordText, "in_house_bid": consult.MaxRecordText,
	"no_in_house_reason": consult.MaxRecordText, "exemption_reason": consult.MaxRecordText,
}

// counted gives a textarea the character count at the domain's maximum
// for its field (charLimits); a field without one is left as it is.
func counted(f fieldArgs) fieldArgs { f.Max = charLimits[f.Name]; return f }
