package paper_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/oursay/oursay/web/paper"
	"github.com/oursay/oursay/web/paper/papertest"
)

// TestQRPNG: the PNG is the size asked for and a phone reads the payload.
func TestQRPNG(t *testing.T) {
	const payload = "https://say.example.gov.uk/consultations/parks"
	for _, size := range []int{256, 300, 2048} {
		b, err := paper.QRPNG(payload, size)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if got := img.Bounds(); got.Dx() != size || got.Dy() != size {
			t.Errorf("size %d: got %v", size, got)
		}
		if got := papertest.DecodeQR(t, img); got != payload {
			t.Errorf("size %d: got %q, want %q", size, got, payload)
		}
	}
}

// TestQRSVG: the SVG is well-formed, as wide as asked, titled for screen
// readers with the payload escaped, and a phone reads the payload.
func TestQRSVG(t *testing.T) {
	const payload = "https://say.example.gov.uk/p/12?a=1&b=<2>"
	b, err := paper.QRSVG(payload, 300)
	if err != nil {
		t.Fatal(err)
	}
	if got := papertest.DecodeSVG(t, string(b), 300); got != payload {
		t.Errorf("got %q, want %q", got, payload)
	}
	if want := "<title id=\"t\">QR code for https://say.example.gov.uk/p/12?a=1&amp;b=&lt;2&gt;</title>"; !strings.Contains(string(b), want) {
		t.Errorf("no %s in\n%.300s", want, b)
	}
}
