package paper

import (
	"strconv"

	"codeberg.org/go-pdf/fpdf"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// sheetLines is the number of signature lines on a sheet. Staff enter each
// by sheet and line number (the paper path on /admin/petitions/{id}).
const sheetLines = 20

// Sheets prints signature sheets from to from+count-1 for petition p, one
// A4 page each, with the same sheet and line numbers and columns as the
// staff's entry form. url is the petition's public page, for its QR code;
// about, if not empty, is a line under the title saying what it recalls.
func Sheets(p *ballot.Petition, url, about string, from, count int, council Council) ([]byte, error) {
	sh := &sheet{p: p, url: url, about: about, council: council}
	pdf := newPDF("Signature sheets: "+p.Title, p.CreatedAt)
	if err := addQR(pdf, "qr", sh.url); err != nil {
		return nil, err
	}
	for n := from; n < from+count; n++ {
		sh.draw(pdf, n)
	}
	return output(pdf, "signature sheets")
}

type sheet struct {
	p       *ballot.Petition
	url     string
	about   string
	council Council
}

// The columns of a sheet, matching the staff entry form's fields.
var sheetCols = []struct {
	head string
	w    float64
}{{"Line", 13}, {"Full name", 79}, {"Postcode", 34}, {"I live in the council's area: tick", 48}}

func (sh *sheet) draw(pdf *fpdf.Fpdf, n int) {
	pdf.AddPage()
	const qr = 28.0
	w := contentW - qr - 6
	drawQR(pdf, "qr", sh.url, pageW-marginX-qr, 12, qr)
	pdf.SetXY(pageW-marginX-qr-2, 12+qr)
	pdf.SetFont(fontSans, "", 8)
	pdf.CellFormat(qr+4, 4, "Or sign online", "", 0, "C", false, 0, "")
	pdf.SetXY(marginX, 14)
	text(pdf, "B", 10, w, "L", "RECALL PETITION: SIGNATURE SHEET")
	pdf.SetX(marginX)
	text(pdf, "B", fitSize(pdf, "B", sh.p.Title, w, 3, 18, 12), w, "L", sh.p.Title)
	if sh.about != "" {
		pdf.SetX(marginX)
		text(pdf, "", 10, w, "L", sh.about)
	}
	pdf.Ln(2)
	pdf.SetX(marginX)
	pdf.SetFont(fontSans, "B", 16)
	pdf.SetLineWidth(0.5)
	label := "Sheet " + strconv.Itoa(n)
	pdf.CellFormat(pdf.GetStringWidth(label)+10, 10, label, "1", 1, "L", false, 0, "")
	pdf.SetY(max(pdf.GetY()+3, 12+qr+7))
	note := "By signing you support this petition to recall the contract. Write clearly in capitals, one person a line. " +
		"Tick the last box only if you live in the council's area. Sign once only: on paper or online, not both."
	if !sh.p.ClosesAt.IsZero() {
		note += " Signing closes at " + consult.ClosingTime(sh.p.ClosesAt) + "."
	}
	text(pdf, "", 10, contentW, "L", note)
	pdf.Ln(3)
	sh.table(pdf)
	pdf.SetXY(marginX, pageH-26)
	who := "The council"
	if sh.council.Name != "" {
		who = sh.council.Name
	}
	small := who + " uses your name and postcode only to count this petition and to check that nobody signs twice. It does not publish them."
	if sh.council.Address != "" {
		small += " Return completed sheets to " + sh.council.Address + "."
	}
	if sh.council.Phone != "" {
		small += " For more sheets, phone " + sh.council.Phone + "."
	}
	text(pdf, "", 8, contentW, "L", small)
	pdf.SetFont(fontSans, "B", 9)
	pdf.CellFormat(contentW, 5, "Petition "+strconv.FormatInt(sh.p.ID, 10)+", sheet "+strconv.Itoa(n), "", 0, "R", false, 0, "")
}

// table draws the header row and the numbered signature lines, fitted to
// the room left above the footer.
func (sh *sheet) table(pdf *fpdf.Fpdf) {
	pdf.SetLineWidth(0.3)
	pdf.SetFillColor(243, 242, 241)
	x, y := marginX, pdf.GetY()
	for _, c := range sheetCols {
		pdf.Rect(x, y, c.w, 12, "FD")
		pdf.SetXY(x+1, y+(12-textHeight(pdf, "B", 9, c.w-2, c.head))/2)
		text(pdf, "B", 9, c.w-2, "C", c.head)
		x += c.w
	}
	pdf.SetXY(marginX, y+12)
	rowH := min(10, (pageH-26-pdf.GetY())/sheetLines)
	pdf.SetFont(fontSans, "B", 11)
	for line := 1; line <= sheetLines; line++ {
		for i, c := range sheetCols {
			txt := ""
			if i == 0 {
				txt = strconv.Itoa(line)
			}
			pdf.CellFormat(c.w, rowH, txt, "1", 0, "C", false, 0, "")
		}
		x := marginX + sheetCols[0].w + sheetCols[1].w + sheetCols[2].w + sheetCols[3].w/2 - 2.5
		pdf.Rect(x, pdf.GetY()+rowH/2-2.5, 5, 5, "D")
		pdf.Ln(-1)
	}
}
