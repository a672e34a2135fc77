package web

import "github.com/oursay/oursay/consult"

// choice is one radio button.
type choice struct{ Value, Label string }

// radioArgs is what the radios partial needs.
type radioArgs struct {
	fieldArgs
	Choices []choice
}

func newRadioArgs(p *page, name, label, hint string, choices []choice) radioArgs {
	return radioArgs{fieldArgs: newFieldArgs(p, name, label, hint), Choices: choices}
}

func proposalChoices() []choice {
	var cs []choice
	for _, p := range consult.Proposals {
		cs = append(cs, choice{string(p), p.Label()})
	}
	return cs
}

func exemptionChoices() []choice {
	cs := []choice{{"", consult.ExemptionNone.Label()}}
	for _, e := range consult.Exemptions {
		cs = append(cs, choice{string(e), e.Label()})
	}
	return cs
}

func kindChoices() []choice {
	var cs []choice
	for _, k := range consult.Kinds {
		cs = append(cs, choice{string(k), k.Label()})
	}
	return cs
}

var (
	yesNo     = []choice{{"yes", "Yes"}, {"no", "No"}}
	audiences = []choice{{"anyone", "Anyone"}, {"residents", "Residents only (postcode in the council's area)"},
		{"code", "Holders of a code (sent by letter; one response per code)"}}
)
