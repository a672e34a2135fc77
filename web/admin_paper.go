package web

import (
	"net/http"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web/paper"
)

func (s *Server) adminPaperPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.adminPaperView(r, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_paper", &page{Title: "Enter a paper response: " + c.Title, Data: v})
}

// adminPaperView is the paper entry page's data: the consultation, and how
// many paper forms each staff member has entered so far.
type adminPaperView struct {
	consultView
	PaperEntries []consult.StaffCount
}

func (s *Server) adminPaperView(r *http.Request, c *consult.Consultation) (*adminPaperView, error) {
	entries, err := s.cfg.Stores.Consult.PaperEntries(r.Context(), c.Slug)
	if err != nil {
		return nil, err
	}
	return &adminPaperView{consultView: consultView{C: c, State: c.State(s.cfg.Now())}, PaperEntries: entries}, nil
}

// adminPaperSubmit saves a response typed in from a numbered paper form.
// Each serial number is entered once; a repeat is refused. The response is
// put down to the signed-in staff member, and audited in its transaction.
func (s *Server) adminPaperSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp, fields := decodeResponseForm(c, r.PostForm)
	resp.Channel, resp.EnteredBy = consult.ChannelPaper, s.actor(r)
	// The serial must be one printed for this consultation (paper-forms.pdf),
	// read into one form so "parks-12" cannot count again as "PARKS-000012".
	serial, msg := paper.ParseFormSerial(c.Slug, r.PostForm.Get("paper_serial"))
	resp.PaperSerial = serial
	status := http.StatusUnprocessableEntity
	if msg != "" {
		fields["paper_serial"] = msg
	}
	if !c.AcceptsResponses(s.cfg.Now()) {
		status, fields = http.StatusConflict, map[string]string{"form": "This consultation is not open, so paper responses cannot be entered."}
	} else {
		status, fields = s.saveResponse(r, c, resp, fields)
		if status == http.StatusConflict && fields["form"] != "" {
			fields = map[string]string{"paper_serial": "A paper form with this serial number has already been entered"}
		}
	}
	if fields != nil {
		v, err := s.adminPaperView(r, c)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &page{Title: "Enter a paper response: " + c.Title, Form: r.PostForm, Data: v}
		p.setErrors(fields, append([]string{"paper_serial"}, questionOrder(c)...))
		s.render(w, r, status, "admin_paper", p)
		return
	}
	s.flash(r, "Paper form "+resp.PaperSerial+" saved. Receipt "+resp.Receipt+".")
	http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/paper", http.StatusSeeOther)
}
