// Package papertest reads back what package paper draws, for tests: it
// counts a PDF's pages, inflates its content, finds the text and the vector
// QR codes drawn, and decodes a QR code with a decoder that is not the
// encoder paper uses, as a phone camera would. Tests of paper's builders
// and of web's print routes share it.
package papertest

import (
	"bytes"
	"compress/zlib"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

var pageRE = regexp.MustCompile(`/Type /Page\b`)

// PageCount is the number of pages in pdf.
func PageCount(pdf []byte) int { return len(pageRE.FindAll(pdf, -1)) }

var streamRE = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)

// Content inflates every stream of a PDF and joins them, so a test can
// look for text the pages draw.
func Content(t testing.TB, pdf []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	for _, m := range streamRE.FindAllSubmatch(pdf, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // not compressed, or not content
		}
		io.Copy(&out, r)
	}
	return out.Bytes()
}

// Drawn counts how often s is drawn as text: fpdf writes text in the
// embedded Unicode fonts as UTF-16BE.
func Drawn(content []byte, s string) int {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return bytes.Count(content, b)
}

// CheckXref checks that every cross-reference entry points at its object,
// as a PDF reader relies on.
func CheckXref(t testing.TB, pdf []byte) {
	t.Helper()
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref at the end")
	}
	at, _ := strconv.Atoi(string(m[1]))
	lines := strings.Split(string(pdf[at:]), "\n")
	var n int
	if _, err := fmt.Sscanf(lines[1], "0 %d", &n); err != nil || lines[0] != "xref" {
		t.Fatalf("no xref table at %d", at)
	}
	for i := 1; i < n; i++ {
		off, _ := strconv.Atoi(lines[2+i][:10])
		if !bytes.HasPrefix(pdf[off:], []byte(strconv.Itoa(i)+" 0 obj")) {
			t.Errorf("xref entry %d points at %.20q", i, pdf[off:])
		}
	}
}

var reRE = regexp.MustCompile(`([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re`)

// QRBlocks rasterises each /QRCode marked-content block of the content:
// its rectangles, snapped to modules, 4 pixels a module with a quiet zone.
func QRBlocks(t testing.TB, content []byte) []image.Image {
	t.Helper()
	var out []image.Image
	for _, blk := range regexp.MustCompile(`(?s)/QRCode BMC\n(.*?)EMC`).FindAllSubmatch(content, -1) {
		var rects [][4]float64
		minX, minY, maxTop, mod := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(1)
		for _, m := range reRE.FindAllSubmatch(blk[1], -1) {
			var r [4]float64
			for i := range r {
				r[i], _ = strconv.ParseFloat(string(m[i+1]), 64)
			}
			rects = append(rects, r)
			minX, minY, maxTop, mod = min(minX, r[0]), min(minY, r[1]), max(maxTop, r[1]+r[3]), min(mod, r[3])
		}
		const px, quiet = 4, 4
		size := int(math.Round((maxTop-minY)/mod)) + 2*quiet
		img := image.NewGray(image.Rect(0, 0, size*px, size*px))
		for i := range img.Pix {
			img.Pix[i] = 0xff
		}
		for _, r := range rects {
			col, row := int(math.Round((r[0]-minX)/mod))+quiet, int(math.Round((maxTop-r[1]-r[3])/mod))+quiet
			w := int(math.Round(r[2] / mod))
			for y := row * px; y < (row+1)*px; y++ {
				for x := col * px; x < (col+w)*px; x++ {
					img.SetGray(x, y, color.Gray{})
				}
			}
		}
		out = append(out, img)
	}
	return out
}

// DecodeQR reads a QR code from img with a decoder that is not the encoder
// paper uses, as a phone camera would.
func DecodeQR(t testing.TB, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	// The images are clean renders, so read them as pure barcodes first:
	// the general finder search occasionally misses on some random codes
	// (about 1 in 100 letters), which would make the test flaky.
	pure := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, pure)
	if err != nil {
		hard := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
		if res, err = zxqr.NewQRCodeReader().Decode(bmp, hard); err != nil {
			t.Fatalf("decode QR: %v", err)
		}
	}
	return res.GetText()
}

var pathRE = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// DecodeSVG checks that svg is well-formed XML with a square viewBox and
// the width a browser gives it, then rasterises its path (4 pixels a
// module) and decodes that.
func DecodeSVG(t testing.TB, svg string, width int) string {
	t.Helper()
	var doc struct {
		XMLName xml.Name `xml:"svg"`
		ViewBox string   `xml:"viewBox,attr"`
		Width   string   `xml:"width,attr"`
		Title   string   `xml:"title"`
		Path    struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatalf("SVG is not well-formed XML: %v", err)
	}
	var n int
	if _, err := fmt.Sscanf(doc.ViewBox, "0 0 %d %d", &n, &n); err != nil || n < 21+8 {
		t.Fatalf("viewBox %q", doc.ViewBox)
	}
	if doc.Width != strconv.Itoa(width) {
		t.Errorf("SVG width: got %q, want %d", doc.Width, width)
	}
	const px = 4
	img := image.NewGray(image.Rect(0, 0, n*px, n*px))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for _, m := range pathRE.FindAllStringSubmatch(doc.Path.D, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for yy := y * px; yy < (y+1)*px; yy++ {
			for xx := x * px; xx < (x+w)*px; xx++ {
				img.SetGray(xx, yy, color.Gray{})
			}
		}
	}
	return DecodeQR(t, img)
}
