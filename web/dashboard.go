package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// The dashboard is a task list: what needs doing now, each linked to the
// page where it is done. Moderators see what they may act on (the
// petition queue and held signatures); admins see everything.

// dueWithin is how far ahead the dashboard looks for closing dates.
const dueWithin = 7 * 24 * time.Hour

// task is one line of the task list.
type task struct {
	Name, Hint, Href string
	Status           string // the tag: "To do", "Due soon"
	Urgent           bool   // a red tag rather than blue
}

// taskGroup is a heading with its tasks; None says so when there are none.
type taskGroup struct {
	ID, Heading, None string
	Tasks             []task
}

type dashboard struct {
	Groups []taskGroup
	Admin  bool
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := s.cfg.Now()
	admin := s.currentUser(r).Role == consult.RoleAdmin
	petitions, err := s.cfg.Stores.Petitions.Petitions(ctx, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	held, err := s.cfg.Stores.Petitions.HeldCounts(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &dashboard{Admin: admin}
	moderation := taskGroup{ID: "moderation", Heading: "Petitions to moderate", None: "No petition is waiting for moderation."}
	review := taskGroup{ID: "held", Heading: "Signatures held for review", None: "No signature is held for review."}
	for _, p := range petitions {
		href := "/admin/petitions/" + strconv.FormatInt(p.ID, 10)
		if p.Status == ballot.StatusModeration {
			moderation.Tasks = append(moderation.Tasks, task{Name: "Moderate ‘" + p.Title + "’", Href: href,
				Hint: "Publish it or reject it with a reason", Status: "To do"})
		}
		if n := held[p.ID]; n > 0 {
			review.Tasks = append(review.Tasks, task{Name: "Review held signatures on ‘" + p.Title + "’", Href: href + "#review",
				Hint: plural(n, "signature is", "signatures are") + " held, not yet counted", Status: "To do"})
		}
	}
	d.Groups = append(d.Groups, moderation, review)
	requests, err := s.requestTasks(r, now)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Groups = append(d.Groups, requests...)
	if admin {
		groups, err := s.adminTasks(r, petitions, now)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Groups = append(d.Groups, groups...)
	}
	s.render(w, r, http.StatusOK, "admin_home", &page{Title: "Council dashboard", Data: d})
}

// adminConsultations lists every consultation, drafts too, searched,
// filtered by status and paged: the dashboard says what needs doing, this
// finds the rest.
func (s *Server) adminConsultations(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Stores.Consult.Consultations(r.Context(), consult.Filter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.cfg.Now()
	views := make([]consultView, len(list))
	for i, c := range list {
		views[i] = consultView{C: c, State: c.State(now)}
	}
	statuses := []choice{{string(consult.StatusDraft), "Draft"}, {string(consult.StatusScheduled), "Opens soon"},
		{string(consult.StatusOpen), "Open"}, {string(consult.StatusClosed), "Closed"}, {string(consult.StatusOutcome), "Outcome published"}}
	v, form, fields := filterList(r, "/admin/consultations", "consultations", views,
		func(c consultView) string { return c.C.Title }, func(c consultView) string { return string(c.State) }, statuses, consultClosing)
	s.renderList(w, r, "admin_consultations", &page{Title: "Consultations", Data: v, Form: form}, fields)
}

// adminTasks are the tasks only admins may do: the recall ballots,
// consultations' closing, outcomes and decisions, and failing mail.
func (s *Server) adminTasks(r *http.Request, petitions []*ballot.Petition, now time.Time) ([]taskGroup, error) {
	ctx := r.Context()
	ballots, err := s.cfg.Stores.Ballots.Ballots(ctx, false)
	if err != nil {
		return nil, err
	}
	hasBallot := map[int64]bool{}
	bg := taskGroup{ID: "ballots", Heading: "Recall ballots", None: "No recall ballot needs setting up, opening, closing or a response."}
	for _, p := range ballots {
		hasBallot[p.PetitionID] = true
	}
	for _, p := range petitions {
		if !p.ThresholdMetAt.IsZero() && !hasBallot[p.ID] {
			bg.Tasks = append(bg.Tasks, task{Name: "Set up a recall ballot for ‘" + p.Title + "’", Href: "/admin/ballots/new",
				Hint: "The petition met its threshold on " + formatDate(p.ThresholdMetAt) + " and has no ballot yet", Status: "To do"})
		}
	}
	for _, b := range ballots {
		href := "/admin/ballots/" + strconv.FormatInt(b.ID, 10)
		switch st := b.State(now); {
		case st == ballot.BallotDraft:
			bg.Tasks = append(bg.Tasks, task{Name: "Open the ballot ‘" + b.Question + "’", Href: href,
				Hint: "A draft, with " + plural(b.CodesIssued, "voter code", "voter codes") + "; voting is set to start " + formatDateTime(b.OpensAt), Status: "To do",
				Urgent: !b.OpensAt.After(now.Add(dueWithin))})
		case st == ballot.BallotEnded:
			bg.Tasks = append(bg.Tasks, task{Name: "Close the ballot ‘" + b.Question + "’ and publish the result", Href: href,
				Hint: "Voting ended " + formatDateTime(b.ClosesAt), Status: "Overdue", Urgent: true})
		case (st == ballot.BallotOpen || st == ballot.BallotScheduled) && b.ClosesAt.Before(now.Add(dueWithin)):
			bg.Tasks = append(bg.Tasks, task{Name: "The ballot ‘" + b.Question + "’ closes soon", Href: href,
				Hint: "Voting ends " + formatDateTime(b.ClosesAt) + "; then close it and publish the result", Status: "Due soon"})
		case st == ballot.BallotClosed && b.Response == nil:
			res, err := s.cfg.Stores.Ballots.Result(ctx, b.ID)
			if err != nil {
				return nil, err
			}
			if !res.Recall {
				break
			}
			t := task{Name: "Record the council's response to the recall ballot ‘" + b.Question + "’", Href: href + "#record-response",
				Hint: "The result on " + formatDate(b.ClosedAt) + " was recall; say whether the break clause was exercised, by " +
					formatDate(b.ClosedAt.Add(ballot.RecallResponseDue)), Status: "To do"}
			if b.ResponseOverdue(*res, now) {
				t.Status, t.Urgent = "Overdue", true
				t.Hint = "The result on " + formatDate(b.ClosedAt) + " was recall, and nothing has been recorded for " +
					plural(int(now.Sub(b.ClosedAt)/(24*time.Hour)), "day", "days")
			}
			bg.Tasks = append(bg.Tasks, t)
		}
	}
	list, err := s.cfg.Stores.Consult.Consultations(ctx, consult.Filter{})
	if err != nil {
		return nil, err
	}
	closing := taskGroup{ID: "closing", Heading: "Consultations closing within 7 days", None: "No consultation closes in the next 7 days."}
	records := taskGroup{ID: "outcomes", Heading: "Outcomes and decisions to publish", None: "Every closed consultation has its outcome and decision."}
	for _, c := range list {
		href := "/admin/consultations/" + c.Slug
		switch c.State(now) {
		case consult.StatusOpen:
			if !c.ClosesAt.IsZero() && c.ClosesAt.Before(now.Add(dueWithin)) {
				closing.Tasks = append(closing.Tasks, task{Name: c.Title, Href: href,
					Hint: "Closes " + formatDateTime(c.ClosesAt) + ", with " + plural(c.ResponseCount, "response", "responses") + " so far", Status: "Due soon"})
			}
		case consult.StatusClosed:
			records.Tasks = append(records.Tasks, task{Name: "Publish the outcome of ‘" + c.Title + "’", Href: href + "/outcome",
				Hint: "Closed with " + plural(c.ResponseCount, "response", "responses") + "; residents are waiting to hear what happened", Status: "To do"})
		case consult.StatusOutcome:
			if c.Decision == nil {
				records.Tasks = append(records.Tasks, task{Name: "Record the decision on ‘" + c.Title + "’", Href: href + "/decision",
					Hint: "The outcome is published; the decision is not", Status: "To do"})
			}
		}
	}
	mail := taskGroup{ID: "mail", Heading: "Mail", None: "No mail is failing to send."}
	failing, err := s.cfg.Stores.Outbox.FailingMail(ctx)
	if err != nil {
		return nil, err
	}
	if failing > 0 {
		mail.Tasks = append(mail.Tasks, task{Name: "Mail is failing to send", Href: "/admin/outbox",
			Hint: plural(failing, "email has", "emails have") + " not been sent after trying; check the mail server settings", Status: "Failing", Urgent: true})
	}
	reviews, err := s.reviewTasks(r, now)
	if err != nil {
		return nil, err
	}
	return []taskGroup{bg, closing, records, reviews, mail}, nil
}

// reviewTasks are the draft contract reviews, soonest end point first.
func (s *Server) reviewTasks(r *http.Request, now time.Time) (taskGroup, error) {
	g := taskGroup{ID: "reviews", Heading: "Contract reviews to complete", None: "No contract review is waiting to be completed."}
	if s.cfg.Stores.Reviews == nil {
		return g, nil
	}
	list, err := s.cfg.Stores.Reviews.Reviews(r.Context())
	if err != nil {
		return g, err
	}
	contracts, err := s.cfg.Stores.Contracts.Contracts(r.Context())
	if err != nil {
		return g, err
	}
	titles := map[int64]string{}
	for _, c := range contracts {
		titles[c.ID] = c.Title
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Point.On.Before(list[j].Point.On) })
	for _, rv := range list {
		if rv.Status != ballot.ReviewDraft {
			continue
		}
		g.Tasks = append(g.Tasks, task{Name: "Review ‘" + titles[rv.ContractID] + "’: " + lowerFirst(rv.Point.Kind.Label()) + " " + formatDate(rv.Point.On),
			Href: reviewAdminURL(rv), Hint: "Record the at-risk test, any exemption, the public interest case and the in-house option, then publish it",
			Status: "To do", Urgent: rv.Point.On.Before(now.AddDate(0, 3, 0))})
	}
	return g, nil
}

// plural is "1 response" or "3 responses".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%s %s", num(n), many)
}
