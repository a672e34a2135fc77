package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/oursay/oursay/consult"
)

// answersPerPage is how many free-text answers one page shows.
const answersPerPage = 50

// answersView is the data of the page where staff read what residents
// wrote to one free-text question and tag it with themes.
type answersView struct {
	C         *consult.Consultation
	Questions []consult.Question // the free-text ones
	Q         *consult.Question  // the one shown; nil when there are none
	Search    string
	Page      *consult.AnswerPage
	Themes    []consult.Theme
	Counts    []consult.ThemeCount // the shown question's, most first
	Pager     pager
	Admin     bool // may create, rename and delete themes
}

// answersURL is the answers page for a question, search and page number.
func answersURL(slug string, qid int64, search string, page int) string {
	v := url.Values{"question": {strconv.FormatInt(qid, 10)}}
	if search != "" {
		v.Set("q", search)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "/admin/consultations/" + slug + "/answers?" + v.Encode()
}

// textQuestions returns c's free-text questions.
func textQuestions(c *consult.Consultation) []consult.Question {
	var qs []consult.Question
	for _, q := range c.Questions {
		if q.Kind == consult.KindText {
			qs = append(qs, q)
		}
	}
	return qs
}

// pickQuestion is the free-text question the query names, or the first.
// A named question that is not one of them is not found.
func pickQuestion(qs []consult.Question, param string) (*consult.Question, error) {
	if len(qs) == 0 {
		return nil, nil
	}
	if param == "" {
		return &qs[0], nil
	}
	id, _ := strconv.ParseInt(param, 10, 64)
	for i := range qs {
		if qs[i].ID == id {
			return &qs[i], nil
		}
	}
	return nil, consult.ErrNotFound
}

// pageNumber reads a page number: anything but a whole number from 1 reads as 1.
func pageNumber(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 1
	}
	return n
}

func (s *Server) adminAnswers(w http.ResponseWriter, r *http.Request) {
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &answersView{C: c, Questions: textQuestions(c), Search: strings.TrimSpace(r.URL.Query().Get("q"))}
	if u := s.currentUser(r); u != nil {
		v.Admin = u.Role == consult.RoleAdmin
	}
	if v.Q, err = pickQuestion(v.Questions, r.URL.Query().Get("question")); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.loadAnswers(r, v, pageNumber(r.URL.Query().Get("page"))); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_answers", &page{Title: "Answers: " + c.Title, Data: v})
}

// loadAnswers fills v with the themes, the shown question's counts and
// the page of its answers. A page beyond the last shows the last.
func (s *Server) loadAnswers(r *http.Request, v *answersView, n int) error {
	ctx, slug := r.Context(), v.C.Slug
	var err error
	if v.Themes, err = s.cfg.Stores.Consult.Themes(ctx, slug); err != nil || v.Q == nil {
		return err
	}
	counts, err := s.cfg.Stores.Consult.ThemeCounts(ctx, slug)
	if err != nil {
		return err
	}
	v.Counts = counts[v.Q.ID]
	q := consult.AnswerQuery{QuestionID: v.Q.ID, Search: v.Search, Limit: answersPerPage, Offset: (n - 1) * answersPerPage}
	if v.Page, err = s.cfg.Stores.Consult.TextAnswers(ctx, slug, q); err != nil {
		return err
	}
	if last := lastPage(v.Page.Total, answersPerPage); n > last {
		n, q.Offset = last, (last-1)*answersPerPage
		if v.Page, err = s.cfg.Stores.Consult.TextAnswers(ctx, slug, q); err != nil {
			return err
		}
	}
	last := lastPage(v.Page.Total, answersPerPage)
	v.Pager = pager{Page: n, Pages: last, Total: v.Page.Total, From: min(v.Page.Total, (n-1)*answersPerPage+1),
		To: min(v.Page.Total, n*answersPerPage), Base: answersURL(slug, v.Q.ID, v.Search, 1), Label: "Pages of answers"}
	return nil
}

// adminTagAnswers saves the themes ticked for each answer on one page of
// the answers form, then goes back to that page.
func (s *Server) adminTagAnswers(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	slug, f := r.PathValue("slug"), r.PostForm
	qid, err := strconv.ParseInt(f.Get("question"), 10, 64)
	if err != nil {
		s.fail(w, r, consult.ErrNotFound)
		return
	}
	tags, err := readTags(f)
	if err != nil {
		s.fail(w, r, consult.ErrNotFound)
		return
	}
	if err := s.cfg.Stores.Consult.TagAnswers(r.Context(), slug, qid, tags, s.actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "Themes saved for the "+num(len(tags))+" answers on this page.")
	http.Redirect(w, r, answersURL(slug, qid, strings.TrimSpace(f.Get("q")), pageNumber(f.Get("page")))+"#answers", http.StatusSeeOther)
}

// readTags reads the answers form: "answer" names each response shown,
// and "theme-{response id}" each theme ticked for it. An answer with no
// box ticked loses its themes.
func readTags(f url.Values) (map[int64][]int64, error) {
	tags := map[int64][]int64{}
	for _, a := range f["answer"] {
		rid, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			return nil, err
		}
		ids := []int64{}
		for _, t := range f["theme-"+a] {
			id, err := strconv.ParseInt(t, 10, 64)
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		tags[rid] = ids
	}
	return tags, nil
}

func lastPage(total, per int) int { return max(1, (total+per-1)/per) }
