package paper

import (
	"bytes"
	"fmt"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// QR image sizes in pixels. 256 is the smallest a phone reads reliably off
// a screen or a leaflet; 2048 is plenty for an A0 poster and bounds the work
// (a 2048² paletted image is 4 MiB while it is drawn).
const (
	MinQRSize     = 256
	MaxQRSize     = 2048
	DefaultQRSize = 512
)

// qrLevel is medium error correction (~15% of the code may be damaged or
// dirty): the usual choice for printed codes carrying a short URL.
const qrLevel = qrcode.Medium

// QRPNG is a QR code for payload as a size×size PNG. The caller keeps size
// within MinQRSize and MaxQRSize.
func QRPNG(payload string, size int) ([]byte, error) {
	q, err := qrcode.New(payload, qrLevel)
	if err != nil {
		return nil, fmt.Errorf("qr %s: %w", payload, err)
	}
	b, err := q.PNG(size)
	if err != nil {
		return nil, fmt.Errorf("qr png: %w", err)
	}
	return b, nil
}

// QRSVG is a QR code for payload as an SVG that a browser shows size
// pixels square, titled for screen readers.
func QRSVG(payload string, size int) ([]byte, error) {
	q, err := qrcode.New(payload, qrLevel)
	if err != nil {
		return nil, fmt.Errorf("qr %s: %w", payload, err)
	}
	return qrSVGBytes(q.Bitmap(), size, "QR code for "+payload), nil
}

// qrSVGBytes draws bitmap (quiet zone included) as one path, a rectangle
// per horizontal run of dark modules, in a viewBox of one unit per module:
// print shops scale it to any size without blur. size sets the width and
// height a browser gives it.
func qrSVGBytes(bitmap [][]bool, size int, title string) []byte {
	n := len(bitmap)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%d" height="%d" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-labelledby="t">`+"\n"+
		`<title id="t">%s</title>`+"\n"+`<rect width="%d" height="%d" fill="#fff"/>`+"\n"+`<path fill="#000" d="`,
		size, size, n, n, xmlEscape(title), n, n)
	for y, row := range bitmap {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run
		}
	}
	b.WriteString("\"/>\n</svg>\n")
	return b.Bytes()
}

func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
