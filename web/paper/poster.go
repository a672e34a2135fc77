package paper

import (
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Item is what a QR code, a poster and its PDF say about one public page.
// Build one only for a page the public may see.
type Item struct {
	Kind    string // "Consultation", "Recall petition", "Recall ballot"
	Title   string
	Summary string // one line
	Explain string // what the reader can do, in a sentence or two
	Action  string // the call above the QR code: "Have your say"
	When    string // "Closes at 11:59pm on 5 March 2026", or the state
	Path    string // "/consultations/parks"
	URL     string // Path on the public base URL: the QR payload
	// Short is the short link printed for people who cannot scan, such as
	// "say.example.gov.uk/p/12"; empty means print the full address.
	Short string
	// Created fixes the PDF's creation date, so the same poster is the
	// same bytes (and ETag) every time.
	Created time.Time
	// Council issues the poster; its footer names the council and the
	// non-digital route.
	Council Council
}

// ShortURL is the URL as typed from a poster: the short link, or else the
// page's address without its scheme.
func (it *Item) ShortURL() string {
	if it.Short != "" {
		return it.Short
	}
	return strings.TrimPrefix(strings.TrimPrefix(it.URL, "https://"), "http://")
}

// PosterVersion changes whenever Poster draws differently, so that an ETag
// made from it and the Item keeps no cache on the old design.
const PosterVersion = 3

// Poster is an A4 PDF poster of it: its title, what it is about, and a large
// QR code that opens its URL.
func Poster(it *Item) ([]byte, error) {
	pdf := newPDF("Poster: "+it.Title, it.Created)
	if err := addQR(pdf, "qr", it.URL); err != nil {
		return nil, err
	}
	drawPoster(pdf, it)
	return output(pdf, "poster")
}

// The poster's fixed parts, from the bottom up, so the QR code is always
// the same size in the same place; the title shrinks to fit above it.
const (
	posterQR     = 95.0
	posterQRTop  = 142.0
	posterFooter = 283.0
)

func drawPoster(pdf *fpdf.Fpdf, it *Item) {
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
	text(pdf, "", 10, contentW, "C", it.Council.Footer())
}
