package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"path"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// posterTemplate is a page of its own, not on the site's layout: a poster
// prints without the header, the navigation and the script. It is parsed
// once at start, and a parse error stops the boot.
var posterTemplate = template.Must(template.New("poster.html").
	Funcs(template.FuncMap{"lower": strings.ToLower}).
	ParseFS(templateFS, "templates/print/poster.html"))

func (s *Server) posterPage(w http.ResponseWriter, r *http.Request, it *printItem) {
	var buf bytes.Buffer
	if err := posterTemplate.Execute(&buf, it); err != nil {
		s.serverError(w, r, fmt.Errorf("render poster: %w", err))
		return
	}
	serveBytes(w, r, "text/html; charset=utf-8", posterCache, "", buf.Bytes())
}

func (s *Server) posterPDF(w http.ResponseWriter, r *http.Request, it *printItem) {
	pdf := newPDF("Poster: "+it.Title, it.Created)
	if err := addQR(pdf, "qr", it.URL); err != nil {
		s.serverError(w, r, err)
		return
	}
	drawPoster(pdf, it)
	s.servePDF(w, r, pdf, "poster-"+path.Base(it.Path)+".pdf", posterCache, weakETag(posterVersion, *it))
}

// posterVersion changes whenever drawPoster draws differently, so caches
// do not keep a poster of the old design.
const posterVersion = 2

// The poster's fixed parts, from the bottom up, so the QR code is always
// the same size in the same place; the title shrinks to fit above it.
const (
	posterQR     = 95.0
	posterQRTop  = 142.0
	posterFooter = 283.0
)

func drawPoster(pdf *fpdf.Fpdf, it *printItem) {
	pdf.AddPage()
	pdf.SetXY(marginX, 16)
	text(pdf, "B", 14, contentW, "C", strings.ToUpper(it.Kind))
	pdf.SetLineWidth(1.2)
	pdf.Line(pageW/2-30, pdf.GetY()+1, pageW/2+30, pdf.GetY()+1)
	top := pdf.GetY() + 7
	room := posterQRTop - 6 - top
	rest := 3.0
	if it.Summary != "" {
		rest += textHeight(pdf, "", 15, contentW, it.Summary) + 3
	}
	rest += textHeight(pdf, "", 13, contentW, it.Explain)
	pt := 40.0
	for ; pt > 20 && textHeight(pdf, "B", pt, contentW, it.Title)+rest > room; pt -= 2 {
	}
	// Centre the words in the room above the code rather than leave a gap.
	top += max(0, (room-textHeight(pdf, "B", pt, contentW, it.Title)-rest)/2)
	pdf.SetXY(marginX, top)
	text(pdf, "B", pt, contentW, "C", it.Title)
	pdf.Ln(3)
	if it.Summary != "" {
		text(pdf, "", 15, contentW, "C", it.Summary)
		pdf.Ln(3)
	}
	text(pdf, "", 13, contentW, "C", it.Explain)

	drawQR(pdf, "qr", it.URL, (pageW-posterQR)/2, posterQRTop, posterQR)
	pdf.SetXY(marginX, posterQRTop+posterQR+4)
	text(pdf, "B", 16, contentW, "C", it.Action+": scan the code with your phone camera, or go to")
	pdf.SetFont(fontSans, "B", fitSize(pdf, "B", it.ShortURL(), contentW, 1, 22, 12))
	pdf.CellFormat(contentW, 10, it.ShortURL(), "", 1, "C", false, 0, it.URL)
	pdf.SetFont(fontSans, "B", fitSize(pdf, "B", it.When, contentW-14, 1, 18, 10))
	w := pdf.GetStringWidth(it.When) + 14
	pdf.SetLineWidth(0.8)
	pdf.SetXY((pageW-w)/2, pdf.GetY()+5)
	pdf.CellFormat(w, 13, it.When, "1", 1, "C", false, 0, "")
	pdf.SetXY(marginX, posterFooter)
	text(pdf, "", 10, contentW, "C", "OurSay: public consultation before any outsourcing, and a right to recall bad providers.")
}
