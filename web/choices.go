package web

import (
	"net/http"
	"strconv"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// choice is one radio button or select option.
type choice struct{ Value, Label string }

// radioArgs is what the radios partial needs.
type radioArgs struct {
	fieldArgs
	Choices []choice
}

func newRadioArgs(p *page, name, label, hint string, choices []choice) radioArgs {
	return radioArgs{fieldArgs: newFieldArgs(p, name, label, hint), Choices: choices}
}

// selectArgs is what the select partial needs: the choices and the label
// of the empty first option.
type selectArgs struct {
	radioArgs
	Empty string
}

func newSelectArgs(p *page, name, label, hint, empty string, choices []choice) selectArgs {
	return selectArgs{radioArgs: newRadioArgs(p, name, label, hint, choices), Empty: empty}
}

// contractChoices are the register's contracts for a select, each named
// by provider and service.
func (s *Server) contractChoices(r *http.Request) ([]choice, error) {
	list, err := s.cfg.Stores.Contracts.Contracts(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]choice, 0, len(list))
	for _, c := range list {
		out = append(out, choice{strconv.FormatInt(c.ID, 10), c.Provider + ": " + c.Service})
	}
	return out, nil
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

// claimedExemptions are the exemptions, without "none", for the select
// revealed when an exemption is claimed.
func claimedExemptions() []choice { return exemptionChoices()[1:] }

func kindChoices() []choice {
	var cs []choice
	for _, k := range consult.Kinds {
		cs = append(cs, choice{string(k), k.Label()})
	}
	return cs
}

var (
	yesNo = []choice{{"yes", "Yes"}, {"no", "No"}}
	// yesNoBlank is an answer that may be left unrecorded.
	yesNoBlank = []choice{{"yes", "Yes"}, {"no", "No"}, {"", "Not recorded yet"}}
	audiences  = []choice{{"anyone", "Anyone"}, {"residents", "Residents only (postcode in the council's area)"},
		{"code", "Holders of a code (sent by letter; one response per code)"}}
)

func routeChoices() []choice {
	var cs []choice
	for _, r := range ballot.Routes {
		cs = append(cs, choice{string(r), r.Label()})
	}
	return cs
}

func schemeChoices() []choice {
	var cs []choice
	for _, sc := range ballot.Schemes {
		cs = append(cs, choice{sc, ballot.SchemeLabel(sc) + " (" + sc + ")"})
	}
	return cs
}
