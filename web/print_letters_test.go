package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/web"
)

func TestWriteVoterLetters(t *testing.T) {
	b := &ballot.Ballot{ID: 7, Question: "Should the council end its contract with CleanCo (waste)?", Options: ballot.DefaultOptions(),
		OpensAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), ClosesAt: time.Date(2026, 3, 22, 22, 0, 0, 0, time.UTC)}
	t.Run("OK", func(t *testing.T) {
		// As a CSV or a person gives them: plain, grouped, lower case.
		typed := []string{"ABCDEFGHJKLMNPQR", "2345-6789-STUV-WXYZ", "qrstuvwxyz234567"}
		printed := []string{"(ABCD-EFGH-JKLM-NPQR)", "(2345-6789-STUV-WXYZ)", "(QRST-UVWX-YZ23-4567)"}
		qrURLs := []string{testBase + "/vote?code=ABCDEFGHJKLMNPQR", testBase + "/vote?code=23456789STUVWXYZ",
			testBase + "/vote?code=QRSTUVWXYZ234567"}
		var buf bytes.Buffer
		if err := web.WriteVoterLetters(&buf, b, testBase+"/", typed); err != nil {
			t.Fatal(err)
		}
		pdf := buf.Bytes()
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || pageCount(pdf) != 3 {
			t.Fatalf("got %d pages, want 3", pageCount(pdf))
		}
		checkXref(t, pdf)
		content := pdfContent(t, pdf)
		qrs := qrBlocks(t, content)
		if len(qrs) != 3 {
			t.Fatalf("QR codes: got %d, want 3", len(qrs))
		}
		for i := range typed {
			if !bytes.Contains(content, []byte(printed[i])) {
				t.Errorf("letter %d does not print %s", i+1, printed[i])
			}
			// The letter's QR opens the voting page with that code.
			if got, want := decodeQR(t, qrs[i]), qrURLs[i]; got != want {
				t.Errorf("letter %d QR: got %q, want %q", i+1, got, want)
			}
		}
		if !bytes.Contains(content, []byte(`CleanCo \(waste\)?`)) {
			t.Errorf("the question is not printed")
		}
	})
	for name, codes := range map[string][]string{
		"NoCodes": nil, "Short": {"ABCD"}, "SecondBad": {ballot.NewCode(), "O0O0O0O0O0O0O0O0"},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := web.WriteVoterLetters(&buf, b, testBase, codes); err == nil || buf.Len() != 0 {
				t.Errorf("got %v with %d bytes written, want an error and nothing", err, buf.Len())
			}
		})
	}
}

// checkXref checks that every cross-reference entry points at its object,
// as a PDF reader relies on.
func checkXref(t *testing.T, pdf []byte) {
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

// qrBlocks rasterises each /QRCode marked-content block of the content:
// its rectangles, snapped to modules, 4 pixels a module with a quiet zone.
func qrBlocks(t *testing.T, content []byte) []image.Image {
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
