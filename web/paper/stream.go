package paper

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf16"

	"codeberg.org/go-pdf/fpdf"
)

// pdfStream writes a PDF object by object straight to w, keeping only each
// object's offset, so a run of 100,000 voter letters needs no more memory
// than one. fpdf (used for posters and forms) keeps the whole document until
// Output, which for letters grew by ~30 KB a page. Only what letters need is
// here: the standard fonts, text, rectangles, one shared form XObject.
type pdfStream struct {
	w    *bufio.Writer
	n    int64   // bytes written so far
	off  []int64 // off[i] is where object i starts; objects 1 and 2 are the catalog and page tree
	kids []int   // page objects, in order
	z    *zlib.Writer
	zbuf bytes.Buffer
	err  error
}

func newPDFStream(w io.Writer) *pdfStream {
	p := &pdfStream{w: bufio.NewWriterSize(w, 64<<10), off: make([]int64, 3)}
	p.z, _ = zlib.NewWriterLevel(&p.zbuf, zlib.BestSpeed)
	p.printf("%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n")
	return p
}

func (p *pdfStream) printf(format string, a ...any) {
	if p.err != nil {
		return
	}
	n, err := fmt.Fprintf(p.w, format, a...)
	p.n += int64(n)
	p.err = err
}

// alloc reserves the next object number.
func (p *pdfStream) alloc() int {
	p.off = append(p.off, 0)
	return len(p.off) - 1
}

// object writes object num: dict, then content compressed as its stream
// when content is not nil.
func (p *pdfStream) object(num int, dict string, content []byte) {
	p.off[num] = p.n
	if content == nil {
		p.printf("%d 0 obj\n%s\nendobj\n", num, dict)
		return
	}
	p.zbuf.Reset()
	p.z.Reset(&p.zbuf)
	p.z.Write(content)
	p.z.Close()
	dict = strings.TrimSuffix(dict, ">>") + fmt.Sprintf(" /Filter /FlateDecode /Length %d>>", p.zbuf.Len())
	p.printf("%d 0 obj\n%s\nstream\n", num, dict)
	if p.err == nil {
		n, err := p.w.Write(p.zbuf.Bytes())
		p.n, p.err = p.n+int64(n), err
	}
	p.printf("\nendstream\nendobj\n")
}

// page writes an A4 page with its content stream and resources.
func (p *pdfStream) page(resources string, content []byte) {
	c, pg := p.alloc(), p.alloc()
	p.object(c, "<<>>", content)
	p.object(pg, fmt.Sprintf("<</Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources %s /Contents %d 0 R>>",
		pageW*ptPerMM, pageH*ptPerMM, resources, c), nil)
	p.kids = append(p.kids, pg)
}

// close writes the page tree, catalog, info and cross-reference table.
func (p *pdfStream) close(title string, created time.Time) error {
	p.off[2] = p.n
	p.printf("2 0 obj\n<</Type /Pages /Count %d /Kids [", len(p.kids))
	for i, k := range p.kids {
		if i%16 == 15 {
			p.printf("\n")
		}
		p.printf("%d 0 R ", k)
	}
	p.printf("]>>\nendobj\n")
	p.object(1, "<</Type /Catalog /Pages 2 0 R /Lang (en-GB)>>", nil)
	if created.IsZero() {
		created = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	info := p.alloc()
	p.object(info, fmt.Sprintf("<</Title %s /Producer (OurSay) /Creator (OurSay) /CreationDate (D:%s)>>",
		pdfUTF16(title), created.UTC().Format("20060102150405Z")), nil)
	xref := p.n
	p.printf("xref\n0 %d\n0000000000 65535 f \n", len(p.off))
	for _, o := range p.off[1:] {
		p.printf("%010d 00000 n \n", o)
	}
	p.printf("trailer\n<</Size %d /Root 1 0 R /Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(p.off), info, xref)
	if p.err != nil {
		return p.err
	}
	return p.w.Flush()
}

// pdfUTF16 is s as a PDF text string in UTF-16BE, for document metadata.
func pdfUTF16(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	return b.String() + ">"
}

const ptPerMM = 72 / 25.4

// canvas builds one content stream in millimetres from the top-left of an
// A4 page, with the three standard fonts. Text goes through Windows-1252
// (the fonts' encoding); fpdf's metrics of the same fonts lay it out.
type canvas struct {
	b  bytes.Buffer
	m  *fpdf.Fpdf
	tr func(string) string
}

// Standard fonts: regular and bold sans for text, bold Courier for codes.
const (
	fontR = "F1"
	fontB = "F2"
	fontM = "F3"
)

var standardFonts = []struct{ res, base, family, style string }{
	{fontR, "Helvetica", "Helvetica", ""}, {fontB, "Helvetica-Bold", "Helvetica", "B"}, {fontM, "Courier-Bold", "Courier", "B"},
}

func newCanvas() *canvas {
	m := fpdf.New("P", "mm", "A4", "")
	return &canvas{m: m, tr: m.UnicodeTranslatorFromDescriptor("")}
}

func (c *canvas) font(res string, pt float64) {
	for _, f := range standardFonts {
		if f.res == res {
			c.m.SetFont(f.family, f.style, pt)
		}
	}
}

// width of s (already in Windows-1252) in mm.
func (c *canvas) width(res string, pt float64, s string) float64 {
	c.font(res, pt)
	return c.m.GetStringWidth(s)
}

// wrap splits s into lines no wider than w mm.
func (c *canvas) wrap(res string, pt, w float64, s string) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(c.tr(s)) {
		if try := strings.TrimSpace(line + " " + word); line == "" || c.width(res, pt, try) <= w {
			line = try
			continue
		}
		lines = append(lines, line)
		line = word
	}
	return append(lines, line)
}

// para writes s wrapped to w mm from x, with its first line's top at y,
// aligned 'L' or 'C', and returns the y below it.
func (c *canvas) para(res string, pt, x, y, w float64, align byte, s string) float64 {
	lh := pt * 0.3528 * 1.25
	for _, l := range c.wrap(res, pt, w, s) {
		lx := x
		if align == 'C' {
			lx = x + (w-c.width(res, pt, l))/2
		}
		fmt.Fprintf(&c.b, "BT /%s %.1f Tf %.2f %.2f Td %s Tj ET\n", res, pt, lx*ptPerMM, (pageH-y-pt*0.3528*0.95)*ptPerMM, pdfString(l))
		y += lh
	}
	return y
}

// box strokes a rectangle lw mm thick.
func (c *canvas) box(x, y, w, h, lw float64) {
	fmt.Fprintf(&c.b, "%.2f w %.2f %.2f %.2f %.2f re S\n", lw*ptPerMM, x*ptPerMM, (pageH-y-h)*ptPerMM, w*ptPerMM, h*ptPerMM)
}

// qr fills the dark modules of bitmap as a size mm square at x, y: vector,
// so it is sharp at any print resolution. It is marked as /QRCode content.
func (c *canvas) qr(bitmap [][]bool, x, y, size float64) {
	mod := size / float64(len(bitmap))
	c.b.WriteString("/QRCode BMC\n")
	for r, row := range bitmap {
		for col := 0; col < len(row); {
			if !row[col] {
				col++
				continue
			}
			run := 1
			for col+run < len(row) && row[col+run] {
				run++
			}
			fmt.Fprintf(&c.b, "%.3f %.3f %.3f %.3f re\n", (x+float64(col)*mod)*ptPerMM, (pageH-y-float64(r+1)*mod)*ptPerMM,
				float64(run)*mod*ptPerMM, mod*ptPerMM)
			col += run
		}
	}
	c.b.WriteString("f\nEMC\n")
}

// pdfString is s (Windows-1252 bytes) as a PDF literal string.
func pdfString(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == '(' || ch == ')' || ch == '\\':
			b.WriteByte('\\')
			b.WriteByte(ch)
		case ch < 0x20 || ch >= 0x7f:
			fmt.Fprintf(&b, "\\%03o", ch)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String() + ")"
}
