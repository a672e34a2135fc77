package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/oursay/oursay/consult"
)

// themesView is the page where admins create, rename and delete a
// consultation's themes.
type themesView struct {
	C      *consult.Consultation
	Themes []themeRow
}

// themeRow is one theme with how many answers carry it, over every question.
type themeRow struct {
	consult.Theme
	Count int
}

// renameField is the rename form's field for theme id.
func renameField(id int64) string { return "theme_name-" + strconv.FormatInt(id, 10) }

func (s *Server) adminThemes(w http.ResponseWriter, r *http.Request) {
	s.renderThemes(w, r, http.StatusOK, url.Values{}, nil)
}

// renderThemes shows the themes page with what was typed and the errors
// of a refused form, keyed by field.
func (s *Server) renderThemes(w http.ResponseWriter, r *http.Request, status int, form url.Values, fields map[string]string) {
	ctx := r.Context()
	c, err := s.cfg.Stores.Consult.Consultation(ctx, r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	themes, err := s.cfg.Stores.Consult.Themes(ctx, c.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.cfg.Stores.Consult.ThemeCounts(ctx, c.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &themesView{C: c}
	order := []string{"theme_name"}
	for _, t := range themes {
		row := themeRow{Theme: t}
		for _, qc := range counts {
			for _, tc := range qc {
				if tc.Theme.ID == t.ID {
					row.Count += tc.Count
				}
			}
		}
		v.Themes = append(v.Themes, row)
		if form.Get(renameField(t.ID)) == "" {
			form.Set(renameField(t.ID), t.Name)
		}
		order = append(order, renameField(t.ID))
	}
	p := &page{Title: "Themes: " + c.Title, Data: v, Form: form}
	if fields != nil {
		p.setErrors(fields, order)
	}
	s.render(w, r, status, "admin_themes", p)
}

func (s *Server) adminCreateTheme(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	t := &consult.Theme{Name: r.PostForm.Get("theme_name")}
	err := s.cfg.Stores.Consult.CreateTheme(r.Context(), r.PathValue("slug"), t, s.actor(r))
	if fields := s.storeFields(err, "theme_name", ""); fields != nil {
		s.renderThemes(w, r, http.StatusUnprocessableEntity, r.PostForm, fields)
		return
	}
	s.flash(r, "Theme ‘"+t.Name+"’ added. Tag answers with it on the answers page.")
	http.Redirect(w, r, "/admin/consultations/"+r.PathValue("slug")+"/themes", http.StatusSeeOther)
}

func (s *Server) adminRenameTheme(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badForm(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, consult.ErrNotFound)
		return
	}
	field := renameField(id)
	name := r.PostForm.Get(field)
	err = s.cfg.Stores.Consult.RenameTheme(r.Context(), r.PathValue("slug"), id, name, s.actor(r))
	if fields := s.storeFields(err, field, ""); fields != nil {
		if msg, ok := fields["theme_name"]; ok { // the rule names the create field
			fields = map[string]string{field: msg}
		}
		s.renderThemes(w, r, http.StatusUnprocessableEntity, r.PostForm, fields)
		return
	}
	s.flash(r, "Theme renamed to ‘"+consult.NormaliseThemeName(name)+"’.")
	http.Redirect(w, r, "/admin/consultations/"+r.PathValue("slug")+"/themes", http.StatusSeeOther)
}

func (s *Server) adminDeleteTheme(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, consult.ErrNotFound)
		return
	}
	if err := s.cfg.Stores.Consult.DeleteTheme(r.Context(), r.PathValue("slug"), id, s.actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "Theme deleted.")
	http.Redirect(w, r, "/admin/consultations/"+r.PathValue("slug")+"/themes", http.StatusSeeOther)
}

// describeDeleteTheme is the confirmation before a theme goes, with its tags.
func (s *Server) describeDeleteTheme(r *http.Request) (*confirmation, error) {
	c, err := s.pathConsultation(r, true)
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	themes, err := s.cfg.Stores.Consult.Themes(r.Context(), c.Slug)
	if err != nil {
		return nil, err
	}
	counts, err := s.cfg.Stores.Consult.ThemeCounts(r.Context(), c.Slug)
	if err != nil {
		return nil, err
	}
	for _, t := range themes {
		if t.ID != id {
			continue
		}
		n := 0
		for _, qc := range counts {
			for _, tc := range qc {
				if tc.Theme.ID == id {
					n += tc.Count
				}
			}
		}
		told := noMail
		if c.Outcome != nil {
			told += " The theme counts on the published outcome change at once."
		}
		return &confirmation{
			Caption: consultCaption(c), Heading: "Delete the theme ‘" + t.Name + "’?",
			Warning: "A deleted theme cannot be brought back: the answers would have to be tagged again.",
			Happens: []string{"The theme is removed from the " + num(n) + " answers tagged with it.", "The answers themselves are kept."},
			Told:    told,
			Button:  "Yes, delete the theme", Danger: true, Back: "/admin/consultations/" + c.Slug + "/themes",
		}, nil
	}
	return nil, consult.ErrNotFound
}
