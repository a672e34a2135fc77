package paper

import (
	"fmt"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/oursay/oursay/consult"
)

// MaxSerial is the highest number a form's serial carries: six digits.
const MaxSerial = 999999

// FormSerial is the serial printed on paper form n of a consultation:
// the slug names the consultation, so a form entered against the wrong one
// is refused.
func FormSerial(slug string, n int) string {
	return fmt.Sprintf("%s-%06d", strings.ToUpper(slug), n)
}

// ParseFormSerial reads a serial as staff type it off a form, in any case,
// with or without the leading zeros, into the printed form, so that
// "parks-12" and "PARKS-000012" are the same form and counted once. It
// returns the serial, or a message for the staff member. Blank is left to
// the response's own validation.
func ParseFormSerial(slug, typed string) (string, string) {
	s := strings.ToUpper(strings.Join(strings.Fields(typed), ""))
	if s == "" {
		return "", ""
	}
	prefix := strings.ToUpper(slug) + "-"
	example := FormSerial(slug, 123)
	i := strings.LastIndexByte(s, '-')
	if i < 0 {
		return s, "Enter the serial number as printed on the form, such as " + example
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || len(s[i+1:]) > 6 || n < 1 || s[i+1] == '+' {
		return s, "Enter the serial number as printed on the form, such as " + example
	}
	if s[:i+1] != prefix {
		return s, "This serial number is from another consultation's form: serial numbers for this one start " + prefix
	}
	return FormSerial(slug, n), ""
}

// Forms prints paper response forms from to from+count-1 for consultation
// c, one A4 page each (more if the questions need it), each with its serial
// and a QR code that opens url to answer online instead. Each names
// council and where to return it.
func Forms(c *consult.Consultation, url string, from, count int, council Council) ([]byte, error) {
	pdf := newPDF("Paper response forms: "+c.Title, c.CreatedAt)
	if err := addQR(pdf, "qr", url); err != nil {
		return nil, err
	}
	f := &paperForm{pdf: pdf, c: c, url: url, council: council}
	pdf.SetFooterFunc(f.footer)
	for n := from; n < from+count; n++ {
		f.draw(FormSerial(c.Slug, n))
	}
	return output(pdf, "paper forms")
}

// paperForm draws the forms of one consultation.
type paperForm struct {
	pdf     *fpdf.Fpdf
	c       *consult.Consultation
	url     string
	council Council
	serial  string
	page    int    // page within the current form
	next    string // serial of the form the next page starts
}

const formBottom = pageH - 18

func (f *paperForm) footer() {
	pdf := f.pdf
	pdf.SetXY(marginX, pageH-13)
	pdf.SetFont(fontSans, "", 9)
	issuer := "OurSay"
	if f.council.Name != "" {
		issuer = f.council.Name
	}
	pdf.CellFormat(contentW/2, 5, issuer+" paper response form, page "+strconv.Itoa(f.page), "", 0, "L", false, 0, "")
	pdf.SetFont(fontMono, "B", 10)
	pdf.CellFormat(contentW/2, 5, "Serial "+f.serial, "", 0, "R", false, 0, "")
}

func (f *paperForm) draw(serial string) {
	f.next = serial
	f.newPage()
	pdf := f.pdf
	intro := "Answer in pen, with a cross (X) in the boxes. Each form is counted once, by its serial number: please do not photocopy it."
	if !f.c.ClosesAt.IsZero() {
		intro += " Return it to the council by " + consult.ClosingTime(f.c.ClosesAt) + "."
	}
	if f.council.Address != "" {
		intro += " Post it to " + f.council.Address + "."
	}
	if f.council.Phone != "" {
		intro += " For help, or more forms, phone " + f.council.Phone + "."
	}
	text(pdf, "", 10, contentW, "L", intro)
	pdf.Ln(3)
	for i := range f.c.Questions {
		f.question(i+1, &f.c.Questions[i])
	}
	if f.c.Audience == consult.AudienceResidents {
		f.writeIn("Your postcode", "This consultation is for people who live in the council's area.", 1)
	}
	f.writeIn("Email address (optional)", "Only to make sure one response is counted from you. We do not publish it.", 1)
}

// newPage starts a page of the current form: the full header on its first
// page, the title and serial on the others.
func (f *paperForm) newPage() {
	pdf := f.pdf
	pdf.AddPage() // the footer of the page before is drawn here, as its form's
	if f.next != "" {
		f.serial, f.page, f.next = f.next, 0, ""
	}
	f.page++
	const qr = 30.0
	pdf.SetXY(marginX, 14)
	w := contentW - qr - 6
	if f.page > 1 {
		text(pdf, "B", 11, contentW, "L", f.c.Title+" (continued)")
		pdf.Ln(4)
		return
	}
	drawQR(pdf, "qr", f.url, pageW-marginX-qr, 12, qr)
	pdf.SetXY(pageW-marginX-qr-2, 12+qr)
	pdf.SetFont(fontSans, "", 8)
	pdf.CellFormat(qr+4, 4, "Or answer online", "", 0, "C", false, 0, "")
	pdf.SetXY(marginX, 14)
	text(pdf, "B", 10, w, "L", "CONSULTATION: PAPER RESPONSE FORM")
	pdf.SetX(marginX)
	text(pdf, "B", fitSize(pdf, "B", f.c.Title, w, 3, 18, 12), w, "L", f.c.Title)
	pdf.Ln(2)
	pdf.SetX(marginX)
	pdf.SetFont(fontMono, "B", 13)
	pdf.SetLineWidth(0.4)
	label := "Serial " + f.serial
	pdf.CellFormat(pdf.GetStringWidth(label)+8, 9, label, "1", 1, "L", false, 0, "")
	pdf.SetY(max(pdf.GetY()+4, 12+qr+8))
}

// need starts a new page of the form unless h mm fit on this one.
func (f *paperForm) need(h float64) {
	if f.pdf.GetY()+h > formBottom {
		f.newPage()
	}
}

func (f *paperForm) question(n int, q *consult.Question) {
	pdf := f.pdf
	prompt := strconv.Itoa(n) + ". " + q.Prompt
	if !q.Required {
		prompt += " (optional)"
	}
	how := map[consult.Kind]string{consult.KindSingle: "Tick one box.", consult.KindMultiple: "Tick all that apply.",
		consult.KindScale: "Tick one box.", consult.KindText: "Write your answer on the lines."}[q.Kind]
	hint := strings.TrimSpace(q.Hint + " " + how)
	body := map[consult.Kind]float64{consult.KindSingle: 7 * float64(len(q.Options)), consult.KindMultiple: 7 * float64(len(q.Options)),
		consult.KindScale: 18, consult.KindText: 42}[q.Kind]
	f.need(textHeight(pdf, "B", 12, contentW, prompt) + textHeight(pdf, "", 10, contentW, hint) + body + 2)
	pdf.SetX(marginX)
	text(pdf, "B", 12, contentW, "L", prompt)
	pdf.SetX(marginX)
	pdf.SetTextColor(80, 90, 95)
	text(pdf, "", 10, contentW, "L", hint)
	pdf.SetTextColor(11, 12, 12)
	pdf.Ln(1)
	switch q.Kind {
	case consult.KindSingle, consult.KindMultiple:
		for _, o := range q.Options {
			f.need(7)
			f.tickBox(marginX+2, o.Label, contentW-12)
		}
	case consult.KindScale:
		f.scale()
	case consult.KindText:
		f.lines(5)
	}
	pdf.Ln(4)
}

// tickBox draws a 5 mm box at x with label beside it, and moves down a row.
func (f *paperForm) tickBox(x float64, label string, w float64) {
	pdf := f.pdf
	y := pdf.GetY()
	pdf.SetLineWidth(0.35)
	pdf.Rect(x, y+0.5, 5, 5, "D")
	pdf.SetXY(x+8, y)
	text(pdf, "", 11, w, "L", label)
	pdf.SetY(max(pdf.GetY(), y+7))
}

// scale draws the five agree/disagree points side by side.
func (f *paperForm) scale() {
	pdf := f.pdf
	y, colW := pdf.GetY(), contentW/5
	pdf.SetLineWidth(0.35)
	for i, l := range consult.ScaleLabels {
		x := marginX + float64(i)*colW
		pdf.Rect(x+colW/2-2.5, y, 5, 5, "D")
		pdf.SetXY(x, y+6)
		text(pdf, "", 9, colW, "C", l)
	}
	pdf.SetY(y + 17)
}

// lines rules n lines to write on.
func (f *paperForm) lines(n int) {
	pdf := f.pdf
	pdf.SetDrawColor(150, 150, 150)
	pdf.SetLineWidth(0.2)
	for i := range n {
		y := pdf.GetY() + 8*float64(i+1)
		pdf.Line(marginX, y, pageW-marginX, y)
	}
	pdf.SetDrawColor(11, 12, 12)
	pdf.SetY(pdf.GetY() + 8*float64(n) + 2)
}

// writeIn is a labelled field written by hand on n lines.
func (f *paperForm) writeIn(label, hint string, n int) {
	pdf := f.pdf
	f.need(12 + 8*float64(n))
	pdf.SetX(marginX)
	text(pdf, "B", 12, contentW, "L", label)
	pdf.SetX(marginX)
	pdf.SetTextColor(80, 90, 95)
	text(pdf, "", 10, contentW, "L", hint)
	pdf.SetTextColor(11, 12, 12)
	f.lines(n)
	pdf.Ln(2)
}
