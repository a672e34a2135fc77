package web

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"codeberg.org/go-pdf/fpdf"
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

// servePDF writes the document out, or a 500 if any drawing step failed.
// etag may be empty (see serveBytes).
func (s *Server) servePDF(w http.ResponseWriter, r *http.Request, pdf *fpdf.Fpdf, filename, cache, etag string) {
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		s.serverError(w, r, fmt.Errorf("pdf %s: %w", filename, err))
		return
	}
	disp := "inline"
	if cache == staffCache {
		disp = "attachment"
	}
	w.Header().Set("Content-Disposition", disp+`; filename="`+filename+`"`)
	serveBytes(w, r, "application/pdf", cache, etag, buf.Bytes())
}
