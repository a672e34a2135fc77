package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

// QR image sizes in pixels. 256 is the smallest a phone reads reliably off
// a screen or a leaflet; 2048 is plenty for an A0 poster and bounds the work
// (a 2048² paletted image is 4 MiB while it is drawn).
const (
	qrMinSize     = 256
	qrMaxSize     = 2048
	qrDefaultSize = 512
)

// qrLevel is medium error correction (~15% of the code may be damaged or
// dirty): the usual choice for printed codes carrying a short URL.
const qrLevel = qrcode.Medium

// registerQrRoutes serves the QR codes and posters of every public page,
// and the staff's print runs: paper forms and signature sheets.
func (s *Server) registerQrRoutes(mux *http.ServeMux) {
	for _, k := range []struct {
		prefix string
		load   func(*http.Request) (*printItem, error)
	}{
		{"/consultations/{slug}", s.consultationItem},
		{"/petitions/{id}", s.petitionItem},
		{"/ballots/{id}", s.ballotItem},
	} {
		mux.HandleFunc("GET "+k.prefix+"/qr.png", s.printHandler(k.load, s.qrPNG))
		mux.HandleFunc("GET "+k.prefix+"/qr.svg", s.printHandler(k.load, s.qrSVG))
		mux.HandleFunc("GET "+k.prefix+"/poster", s.printHandler(k.load, s.posterPage))
		mux.HandleFunc("GET "+k.prefix+"/poster.pdf", s.printHandler(k.load, s.posterPDF))
	}
	staff := s.staffOnly
	mux.HandleFunc("GET /admin/consultations/{slug}/paper-forms.pdf", staff(s.paperFormsPDF))
	mux.HandleFunc("GET /admin/petitions/{id}/sheets.pdf", staff(s.sheetsPDF))
}

// printHandler loads the public item a print route is about (404 for
// anything the public may not see) and hands it to h.
func (s *Server) printHandler(load func(*http.Request) (*printItem, error), h func(http.ResponseWriter, *http.Request, *printItem)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		it, err := load(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r, it)
	}
}

func (s *Server) qrPNG(w http.ResponseWriter, r *http.Request, it *printItem) {
	size, ok := qrSize(w, r)
	if !ok {
		return
	}
	q, err := qrcode.New(it.URL, qrLevel)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("qr %s: %w", it.URL, err))
		return
	}
	b, err := q.PNG(size)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("qr png: %w", err))
		return
	}
	serveBytes(w, r, "image/png", qrCache, "", b)
}

func (s *Server) qrSVG(w http.ResponseWriter, r *http.Request, it *printItem) {
	size, ok := qrSize(w, r)
	if !ok {
		return
	}
	q, err := qrcode.New(it.URL, qrLevel)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("qr %s: %w", it.URL, err))
		return
	}
	serveBytes(w, r, "image/svg+xml", qrCache, "", qrSVGBytes(q.Bitmap(), size, "QR code for "+it.URL))
}

// qrSize reads ?size= (pixels), answering 400 itself when it is out of bounds.
func qrSize(w http.ResponseWriter, r *http.Request) (int, bool) {
	v := r.URL.Query().Get("size")
	if v == "" {
		return qrDefaultSize, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < qrMinSize || n > qrMaxSize {
		badQuery(w, fmt.Sprintf("size must be a whole number of pixels from %d to %d", qrMinSize, qrMaxSize))
		return 0, false
	}
	return n, true
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

// Cache policies. A QR code only changes if the site's address does; a
// poster changes when its page is edited, so caches check back sooner.
// Staff print runs carry serial numbers and stay private.
const (
	qrCache     = "public, max-age=86400"
	posterCache = "public, max-age=300"
	staffCache  = "private, no-store"
)

// serveBytes answers with b, an ETag and cache-control cc, so a cache that
// revalidates gets a 304 instead of the bytes again. The ETag is a hash of
// b unless the caller gives one.
func serveBytes(w http.ResponseWriter, r *http.Request, contentType, cc, etag string, b []byte) {
	if etag == "" {
		sum := sha256.Sum256(b)
		etag = `"` + hex.EncodeToString(sum[:12]) + `"`
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", cc)
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}

// weakETag names a representation by what it was made from: fpdf's font
// subsets are not byte-for-byte the same from one run to the next, so a
// PDF's ETag hashes its inputs, and is weak (the same content, not the same
// bytes).
func weakETag(parts ...any) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%+v", parts))
	return `W/"` + hex.EncodeToString(sum[:12]) + `"`
}

// badQuery refuses a request whose query parameters are out of bounds,
// before any work is done.
func badQuery(w http.ResponseWriter, msg string) {
	http.Error(w, msg, http.StatusBadRequest)
}
