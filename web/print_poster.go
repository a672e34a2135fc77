package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"path"
	"strings"

	"github.com/oursay/oursay/web/paper"
)

// posterTemplate is a page of its own, not on the site's layout: a poster
// prints without the header, the navigation and the script. It is parsed
// once at start, and a parse error stops the boot.
var posterTemplate = template.Must(template.New("poster.html").
	Funcs(template.FuncMap{"lower": strings.ToLower}).
	ParseFS(templateFS, "templates/print/poster.html"))

func (s *Server) posterPage(w http.ResponseWriter, r *http.Request, it *paper.Item) {
	var buf bytes.Buffer
	if err := posterTemplate.Execute(&buf, it); err != nil {
		s.serverError(w, r, fmt.Errorf("render poster: %w", err))
		return
	}
	serveBytes(w, r, "text/html; charset=utf-8", posterCache, "", buf.Bytes())
}

func (s *Server) posterPDF(w http.ResponseWriter, r *http.Request, it *paper.Item) {
	etag := weakETag(paper.PosterVersion, *it) // names the poster's content: a change makes a new entry
	b, _, err := s.prints.get("poster.pdf "+etag, func() ([]byte, error) { return paper.Poster(it) })
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.servePDF(w, r, b, "poster-"+path.Base(it.Path)+".pdf", posterCache, etag)
}
