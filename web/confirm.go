package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// confirmation is the page shown before an action that cannot be undone:
// what will happen, who will be told, and one button that sends the same
// form again with confirm=yes. It needs no JavaScript.
type confirmation struct {
	Caption string   // what the action is about: "Consultation: Parks"
	Heading string   // the question: "Close this consultation now?"
	Warning string   // the one line that cannot be missed
	Happens []string // what will happen, in order
	Told    string   // who will be told, and how
	Shown   []shownField
	Button  string // "Yes, close it now"
	Danger  bool   // a red button: it ends or removes something
	Back    string // where Cancel goes
	// ChangeLabel, when set, offers to go back to the form with what was
	// typed (confirm=change), handled by change.
	ChangeLabel string
	change      http.HandlerFunc

	Action string // the form's action: the request's own path
	Carry  []carried
}

// shownField is something typed that the page repeats, so the officer
// checks what will be published.
type shownField struct{ Label, Value string }

type carried struct{ Name, Value string }

// describer says what an action would do, from its request. It returns nil
// when the form is refused anyway (a missing field): the handler then
// shows the form's errors without acting.
type describer func(r *http.Request) (*confirmation, error)

// confirmFirst acts only on a form sent from the confirmation page; any
// other post shows that page and changes nothing.
func (s *Server) confirmFirst(describe describer, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			s.badForm(w, r, err)
			return
		}
		if r.PostForm.Get("confirm") == "yes" {
			h(w, r)
			return
		}
		c, err := describe(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if c == nil {
			r.PostForm.Del("confirm")
			h(w, r)
			return
		}
		if r.PostForm.Get("confirm") == "change" && c.change != nil {
			c.change(w, r)
			return
		}
		c.Action = r.URL.Path
		for name, vs := range r.PostForm {
			if name == "confirm" {
				continue
			}
			for _, v := range vs {
				c.Carry = append(c.Carry, carried{name, v})
			}
		}
		sort.Slice(c.Carry, func(i, j int) bool { return c.Carry[i].Name < c.Carry[j].Name })
		s.render(w, r, http.StatusOK, "confirm", &page{Title: c.Heading, Data: c})
	}
}

// confirmSteps names the routes that act only once confirmed, with what
// each page says. mount wraps them; TestConfirm_EveryIrreversibleAction
// checks that each shows the page and changes nothing.
func (s *Server) confirmSteps() map[string]describer {
	return map[string]describer{
		"POST /admin/consultations/{slug}/open":                  s.describeOpen,
		"POST /admin/consultations/{slug}/close":                 s.describeClose,
		"POST /admin/consultations/{slug}/outcome":               s.describeOutcome,
		"POST /admin/consultations/{slug}/decision":              s.describeDecision,
		"POST /admin/consultations/{slug}/outcome/revise":        s.describeReviseOutcome,
		"POST /admin/consultations/{slug}/decision/revise":       s.describeReviseDecision,
		"POST /admin/consultations/{slug}/questions/{id}/delete": s.describeRemoveQuestion,
		"POST /admin/consultations/{slug}/codes":                 s.describeConsultationCodes,
		"POST /admin/consultations/{slug}/themes/{id}/delete":    s.describeDeleteTheme,
		"POST /admin/consultations/{slug}/closing-date":          s.describeChangeClosing,
		"POST /admin/consultations/{slug}/wording":               s.describeCorrectWording,
		"POST /admin/petitions/{id}/publish":                     s.describePublishPetition,
		"POST /admin/petitions/{id}/reject":                      s.describeRejectPetition,
		"POST /admin/petitions/{id}/invalidate":                  s.describeInvalidate,
		"POST /admin/ballots/{id}/codes":                         s.describeBallotCodes,
		"POST /admin/ballots/{id}/open":                          s.describeBallotOpen,
		"POST /admin/ballots/{id}/close":                         s.describeBallotClose,
		"POST /admin/people/erase":                               s.describeErasePerson,
		"POST /admin/contracts/{id}/documents/{doc}/remove":      s.describeRemoveDocument,
		"POST /admin/requests/{id}/publish":                      s.describePublishRequest,
		"POST /admin/requests/{id}/reject":                       s.describeRejectRequest,
		"POST /admin/requests/{id}/answer":                       s.describeAnswerRequest,
		"POST /admin/requests/{id}/refuse":                       s.describeRefuseRequest,
		"POST /admin/ballots/{id}/response":                      s.describeBallotResponse,
		"POST /admin/contracts/{id}/reviews/{rid}/publish":       s.describePublishReview,
	}
}

const noMail = "Nobody is emailed."

func consultCaption(c *consult.Consultation) string { return "Consultation: " + c.Title }

func manageURL(c *consult.Consultation) string { return "/admin/consultations/" + c.Slug }

func (s *Server) describeOpen(r *http.Request) (*confirmation, error) {
	c, err := s.pathConsultation(r, true)
	if err != nil {
		return nil, err
	}
	when := "at once"
	if !c.OpensAt.IsZero() && c.OpensAt.After(s.cfg.Now()) {
		when = "on " + formatDateTime(c.OpensAt)
	}
	return &confirmation{
		Caption: consultCaption(c), Heading: "Publish and open this consultation?",
		Warning: "Once it is open, its questions and options cannot be changed, so that every answer is to the same questions.",
		Happens: []string{
			"The consultation is published at /consultations/" + c.Slug + " and listed on the public site.",
			"People can respond " + when + ".",
		},
		Told:   noMail + " It appears on the public list of consultations, and its QR codes and posters start to work.",
		Button: "Yes, publish and open it", Back: manageURL(c),
	}, nil
}

func (s *Server) describeClose(r *http.Request) (*confirmation, error) {
	c, err := s.pathConsultation(r, true)
	if err != nil {
		return nil, err
	}
	return &confirmation{
		Caption: consultCaption(c), Heading: "Close this consultation now?",
		Warning: "A closed consultation cannot be opened again.",
		Happens: []string{
			"No more responses are accepted, online or on paper.",
			"The results of its " + num(c.ResponseCount) + " responses become public on the consultation page.",
			"You can then publish the outcome.",
		},
		Told:   noMail + " Anyone with the consultation page open sees that it has closed.",
		Button: "Yes, close it now", Danger: true, Back: manageURL(c),
	}, nil
}

func num(n int) string { return groupThousands(int64(n)) }

func (s *Server) describeOutcome(r *http.Request) (*confirmation, error) {
	f := newFormReader(r.PostForm)
	o := consult.Outcome{WeAsked: f.text("we_asked"), YouSaid: f.text("you_said"), WeDid: f.text("we_did")}
	if o.Validate() != nil {
		return nil, nil
	}
	c, err := s.pathConsultation(r, true)
	if err != nil {
		return nil, err
	}
	n, err := s.cfg.Stores.Consult.OutcomeSubscribers(r.Context(), c.Slug)
	if err != nil {
		return nil, err
	}
	told := noMail
	if n > 0 {
		told = plural(n, "respondent who asked to be told is", "respondents who asked to be told are") + " emailed a link to it."
	}
	told += " Anyone reading the consultation page sees the outcome."
	return &confirmation{
		Caption: consultCaption(c), Heading: "Publish this outcome?",
		Warning: "The outcome is published for everyone to read.",
		Happens: []string{"The outcome is shown on the consultation page under ‘What happened next’.", "You can then record the decision."},
		Shown:   []shownField{{"What you asked", o.WeAsked}, {"What people said", o.YouSaid}, {"What the council did", o.WeDid}},
		Told:    told,
		Button:  "Yes, publish the outcome", Back: manageURL(c),
		ChangeLabel: "Go back and change it",
		change: func(w http.ResponseWriter, r *http.Request) {
			s.renderStep(w, r, http.StatusOK, "admin_outcome", "Publish the outcome", r.PostForm, nil)
		},
	}, nil
}

func (s *Server) describeDecision(r *http.Request) (*confirmation, error) {
	f := newFormReader(r.PostForm)
	d := consult.Decision{Proposal: consult.Proposal(f.text("decision")), Summary: f.text("summary"),
		InHouseComparison: f.text("in_house_comparison")}
	if d.Validate() != nil {
		return nil, nil
	}
	c, err := s.pathConsultation(r, true)
	if err != nil {
		return nil, err
	}
	if c.CanRecordDecision(d) != nil {
		return nil, nil // refused by the handler, the at-risk rule included
	}
	return &confirmation{
		Caption: consultCaption(c), Heading: "Record this decision?",
		Warning: "The decision is published for everyone to read and the consultation's record is complete.",
		Happens: []string{"The decision is shown on the consultation page with the in-house comparison."},
		Shown: []shownField{{"What was decided", d.Proposal.Label()}, {"Summary", d.Summary},
			{"The in-house comparison", d.InHouseComparison}},
		Told:   noMail + " Anyone reading the consultation page sees the decision.",
		Button: "Yes, record the decision", Back: manageURL(c),
		ChangeLabel: "Go back and change it",
		change: func(w http.ResponseWriter, r *http.Request) {
			s.renderStep(w, r, http.StatusOK, "admin_decision", "Record the decision", r.PostForm, nil)
		},
	}, nil
}

func (s *Server) describeRemoveQuestion(r *http.Request) (*confirmation, error) {
	c, err := s.pathConsultation(r, true)
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for i, q := range c.Questions {
		if q.ID == id {
			return &confirmation{
				Caption: consultCaption(c), Heading: fmt.Sprintf("Remove question %d?", i+1),
				Warning: "A removed question cannot be brought back: you would have to add it again.",
				Happens: []string{"‘" + q.Prompt + "’ is removed from this draft, with its options."},
				Told:    noMail + " The consultation is a draft, so the public cannot see it.",
				Button:  "Yes, remove the question", Danger: true, Back: manageURL(c) + "#questions-list",
			}, nil
		}
	}
	return nil, consult.ErrNotFound
}

func (s *Server) describeConsultationCodes(r *http.Request) (*confirmation, error) {
	n, ok := codeCount(r)
	if !ok {
		return nil, nil
	}
	c, err := s.pathConsultation(r, true)
	if err != nil {
		return nil, err
	}
	return &confirmation{
		Caption: consultCaption(c), Heading: "Generate " + num(n) + " codes for respondents?",
		Warning: "The codes download once. OurSay keeps only a keyed hash of each, so a lost file cannot be downloaded again.",
		Happens: []string{num(n) + " new codes are added; each answers the consultation once.", "Your browser downloads them as a CSV file for the letter printer."},
		Told:    noMail + " Nobody receives a code until the council sends the letters.",
		Button:  "Yes, generate and download", Back: manageURL(c) + "#codes",
	}, nil
}

// codeCount reads the count field of a codes form, as its handler does.
func codeCount(r *http.Request) (int, bool) {
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(r.PostForm.Get("count")), ",", ""))
	return n, err == nil && n >= 1 && n <= MaxCodesPerRequest
}

func petitionCaption(p *ballot.Petition) string { return "Petition: " + p.Title }

func petitionAdminURL(p *ballot.Petition) string {
	return "/admin/petitions/" + strconv.FormatInt(p.ID, 10)
}

func (s *Server) describePublishPetition(r *http.Request) (*confirmation, error) {
	p, err := s.pathPetition(r)
	if err != nil {
		return nil, err
	}
	return &confirmation{
		Caption: petitionCaption(p), Heading: "Publish this petition?",
		Warning: "A published petition cannot be taken down or rejected.",
		Happens: []string{
			"The petition is published at /petitions/" + strconv.FormatInt(p.ID, 10) + " and opens for signatures.",
			"Its threshold is fixed now from the contract's recall rule and today's electorate figure, and its signing window starts.",
		},
		Told:   noMail + " The petition appears on the public list of petitions.",
		Button: "Yes, publish it", Back: petitionAdminURL(p),
	}, nil
}

func (s *Server) describeRejectPetition(r *http.Request) (*confirmation, error) {
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	if ballot.ValidateRejection(reason) != nil {
		return nil, nil
	}
	p, err := s.pathPetition(r)
	if err != nil {
		return nil, err
	}
	return &confirmation{
		Caption: petitionCaption(p), Heading: "Reject this petition?",
		Warning: "A rejected petition cannot be published later: the campaigner would have to start again.",
		Happens: []string{"The petition is not published and nobody can sign it."},
		Shown:   []shownField{{"Reason", reason}},
		Told:    "The campaigner (" + p.CampaignerEmail + ") is emailed this reason.",
		Button:  "Yes, reject it", Danger: true, Back: petitionAdminURL(p),
	}, nil
}

func (s *Server) describeInvalidate(r *http.Request) (*confirmation, error) {
	inv, f := readInvalidation(r.PostForm)
	if f.result(nil) != nil {
		return nil, nil
	}
	p, err := s.pathPetition(r)
	if err != nil {
		return nil, err
	}
	which := "Every signature from email addresses at " + inv.Domain
	if inv.Domain == "" {
		which = "Every signature made from " + formatDateTime(inv.From) + " to " + formatDateTime(inv.To)
	}
	return &confirmation{
		Caption: petitionCaption(p), Heading: "Invalidate these signatures?",
		Warning: "Invalidated signatures stop counting and cannot be counted again.",
		Happens: []string{which + " is invalidated.", "The petition's count goes down by that many, in public too."},
		Shown:   []shownField{{"Reason", inv.Reason}},
		Told:    noMail + " The reason is kept in the audit log.",
		Button:  "Yes, invalidate them", Danger: true, Back: petitionAdminURL(p),
	}, nil
}

func (s *Server) pathBallot(r *http.Request) (*ballot.Ballot, error) {
	id, err := ballotID(r)
	if err != nil {
		return nil, err
	}
	return s.cfg.Stores.Ballots.Ballot(r.Context(), id)
}

func ballotCaption(b *ballot.Ballot) string { return "Ballot: " + b.Question }

func ballotAdminURL(b *ballot.Ballot) string { return "/admin/ballots/" + strconv.FormatInt(b.ID, 10) }

func (s *Server) describeBallotCodes(r *http.Request) (*confirmation, error) {
	n, ok := codeCount(r)
	letters := r.PostForm.Get("format") == "letters"
	if !ok || letters && n > MaxLettersPerRequest {
		return nil, nil // refused by the handler
	}
	file := "a CSV file"
	if letters {
		file = "letters (PDF), one page per voter"
	}
	b, err := s.pathBallot(r)
	if err != nil {
		return nil, err
	}
	return &confirmation{
		Caption: ballotCaption(b), Heading: "Add " + num(n) + " voter codes?",
		Warning: "Codes cannot be taken back: each one added is a vote that can be cast, and counts in the turnout.",
		Happens: []string{
			num(n) + " voter codes are added, making " + num(b.CodesIssued+n) + " in all.",
			"Your browser downloads them once, as " + file + "; OurSay keeps only a keyed hash of each.",
		},
		Told:   noMail + " Nobody receives a code until the council sends the letters.",
		Button: "Yes, add and download them", Back: ballotAdminURL(b) + "#codes",
	}, nil
}

func (s *Server) describeBallotOpen(r *http.Request) (*confirmation, error) {
	b, err := s.pathBallot(r)
	if err != nil {
		return nil, err
	}
	if b.Status == ballot.BallotDraft && b.CodesIssued == 0 {
		return nil, nil // refused by the handler: there are no codes
	}
	return &confirmation{
		Caption: ballotCaption(b), Heading: "Open this ballot?",
		Warning: "An open ballot cannot be changed or taken back to a draft.",
		Happens: []string{
			"The ballot is published at /ballots/" + strconv.FormatInt(b.ID, 10) + ".",
			"Voting runs from " + formatDateTime(b.OpensAt) + " to " + formatDateTime(b.ClosesAt) + ", with " + num(b.CodesIssued) + " voter codes.",
		},
		Told:   noMail + " Voters learn of it from the letters with their codes.",
		Button: "Yes, open the ballot", Back: ballotAdminURL(b),
	}, nil
}

func (s *Server) describeBallotClose(r *http.Request) (*confirmation, error) {
	b, err := s.pathBallot(r)
	if err != nil {
		return nil, err
	}
	return &confirmation{
		Caption: ballotCaption(b), Heading: "Close this ballot now?",
		Warning: "A closed ballot cannot be opened again, and nobody else can vote.",
		Happens: []string{
			"Voting stops, even if the closing time has not come.",
			"The result, the turnout against the quorum, and the list of receipts become public.",
		},
		Told:   noMail + " Anyone with the ballot page open sees the result.",
		Button: "Yes, close the ballot", Danger: true, Back: ballotAdminURL(b),
	}, nil
}
