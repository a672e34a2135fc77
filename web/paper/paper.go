// Package paper draws what OurSay prints: QR codes (PNG and SVG), posters,
// numbered paper response forms, petition signature sheets, and voter
// letters and the voter-code CSV for a letter printer. It builds bytes and
// knows nothing of HTTP: web serves what it builds, and cmd/oursay writes
// codes and letters to files. It imports the domain (consult, ballot) for
// their types, and never web.
package paper

import (
	"bytes"
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/oursay/oursay/consult"
	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/goregular"
)

// A4 in millimetres, and the margins every OurSay print uses.
const (
	pageW, pageH = 210.0, 297.0
	marginX      = 18.0
	contentW     = pageW - 2*marginX
)

// Font families embedded in every PDF. The Go fonts (BSD licence) cover
// Latin with Welsh's ŵ and ŷ, Greek and Cyrillic, which the PDF core fonts
// (Windows-1252 only) do not; fpdf embeds only the glyphs used.
const (
	fontSans = "go"
	fontMono = "gomono" // voter codes and serials: 0/O and 1/I look different
)

// London is the time zone every date is shown and printed in.
var London = consult.London

// DateTime is t as the site shows it and prints it, in London time:
// "5 March 2026 at 11:59pm". The zero time is "".
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(London).Format("2 January 2006 at 3:04pm")
}

// newPDF starts an A4 document. created fixes its dates so the same content
// gives the same bytes (and ETag).
func newPDF(title string, created time.Time) *fpdf.Fpdf {
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	pdf.AddUTF8FontFromBytes(fontSans, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(fontSans, "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes(fontMono, "B", gomonobold.TTF)
	pdf.SetTitle(title, true)
	pdf.SetCreator("OurSay", true)
	pdf.SetProducer("OurSay", true)
	pdf.SetLang("en-GB")
	if created.IsZero() {
		created = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetMargins(marginX, 16, marginX)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTextColor(11, 12, 12)
	pdf.SetDrawColor(11, 12, 12)
	return pdf
}

// output is the finished document, or the first error of any drawing step
// (fpdf keeps it until the end).
func output(pdf *fpdf.Fpdf, what string) ([]byte, error) {
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("%s pdf: %w", what, err)
	}
	return buf.Bytes(), nil
}

// addQR registers a QR code for payload as a PNG image named name, drawn
// at 8 pixels a module so it stays sharp when a viewer smooths it.
func addQR(pdf *fpdf.Fpdf, name, payload string) error {
	q, err := qrcode.New(payload, qrLevel)
	if err != nil {
		return fmt.Errorf("qr %s: %w", payload, err)
	}
	b, err := q.PNG(-8)
	if err != nil {
		return fmt.Errorf("qr png: %w", err)
	}
	pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(b))
	return pdf.Error()
}

// drawQR places the image name as a size×size square at x, y, linked to
// payload for readers of the PDF on screen.
func drawQR(pdf *fpdf.Fpdf, name, payload string, x, y, size float64) {
	pdf.ImageOptions(name, x, y, size, size, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, payload)
}

// lineHeight is a comfortable line height in mm for a font size in points.
func lineHeight(pt float64) float64 { return pt * 0.3528 * 1.25 }

// text writes s wrapped to w mm at the current position, with the font
// given, and moves below it.
func text(pdf *fpdf.Fpdf, style string, pt float64, w float64, align, s string) {
	pdf.SetFont(fontSans, style, pt)
	pdf.MultiCell(w, lineHeight(pt), s, "", align, false)
}

// fitSize is the largest size from big down to small (in 2 pt steps) at
// which s wraps to at most lines lines of width w.
func fitSize(pdf *fpdf.Fpdf, style, s string, w float64, lines int, big, small float64) float64 {
	for pt := big; pt > small; pt -= 2 {
		pdf.SetFont(fontSans, style, pt)
		if len(pdf.SplitText(s, w)) <= lines {
			return pt
		}
	}
	return small
}

// textHeight is how tall s is once wrapped to w at pt.
func textHeight(pdf *fpdf.Fpdf, style string, pt float64, w float64, s string) float64 {
	pdf.SetFont(fontSans, style, pt)
	return float64(len(pdf.SplitText(s, w))) * lineHeight(pt)
}
