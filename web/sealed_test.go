package web_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// TestSealed_PublicViewsDoNotMove: while a sealed petition is open, nothing
// the public can fetch changes when people sign it. Every public view of
// it is captured before and after signatures that cross its threshold and
// must be identical byte for byte, after 20 confirmations and one paper
// signature: its page, the /petitions list, the JSON
// for it and for the list, the poster and its PDF, the QR code, and the
// live messages. A leak of any kind (a number, "threshold met", a width, a
// message sent because something changed) makes a difference.
//
// Normalised, because they vary per request and say nothing of the count:
// the sign form's "started" stamp (the render time, signed); and of the
// poster PDF only the pages' content (text and drawing operators) is
// compared, inflated, because the PDF library writes the embedded font's
// subset tables, and so every byte offset after them, in a varying order.
func TestSealed_PublicViewsDoNotMove(t *testing.T) {
	e := newLiveEnv(t)
	sealed := e.openPetition(ballot.CountSealed, 8) // five sponsors already signed
	marker := e.openPetition(ballot.CountLive, 100)
	sTopic, mTopic := ballot.PetitionTopic(sealed.ID), ballot.PetitionTopic(marker.ID)
	lc := e.dial(sTopic, mTopic)
	greetings := map[string]liveMsg{}
	for len(greetings) < 2 {
		m := lc.next(5 * time.Second)
		greetings[m.topic()] = m
	}
	greeting := greetings[sTopic]

	id := itoa(sealed.ID)
	paths := []string{"/petitions/" + id, "/petitions", "/api/petitions/" + id, "/api/petitions",
		"/petitions/" + id + "/poster", "/petitions/" + id + "/poster.pdf", "/petitions/" + id + "/qr.svg"}
	before := map[string][]byte{}
	for _, p := range paths {
		before[p] = e.publicView(p)
	}

	ctx := context.Background()
	for i := range 20 { // 5 + 20 online + 1 on paper = 26, over the threshold of 8
		addr := fmt.Sprintf("signer%d@example.org", i)
		s := &ballot.Signature{Name: fmt.Sprintf("Signer %c", 'A'+i), Email: addr, Postcode: "AB1 2CD", Resident: true}
		if err := e.ps.Sign(ctx, sealed.ID, s, "", liveBase); err != nil {
			t.Fatal(err)
		}
		if _, err := e.ps.Confirm(ctx, e.token(addr)); err != nil {
			t.Fatal(err)
		}
	}
	e.paper(sealed.ID, 1)
	got, err := e.ps.Petition(ctx, sealed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SignatureCount != 26 || got.ThresholdMetAt.IsZero() {
		t.Fatalf("the store has %d signatures, threshold met at %v; want 26 and met", got.SignatureCount, got.ThresholdMetAt)
	}

	// Before the marker below changes, which the list shows.
	for _, p := range paths {
		if after := e.publicView(p); !bytes.Equal(after, before[p]) {
			t.Errorf("%s changed after signatures:\nbefore: %s\nafter:  %s", p, before[p], after)
		}
	}

	// The hub has passed over the sealed petition's changes once it has
	// sent a change made after them, and then one more (a tick may queue
	// the topics it flushes in any order). No sealed message may come
	// meanwhile: even an unchanged one says when people signed.
	for n := 1; n <= 2; n++ {
		e.paper(marker.ID, n)
		want := float64(5 + n)
		for m := lc.next(5 * time.Second); m.topic() != mTopic || m.num("signature_count") != want; m = lc.next(5 * time.Second) {
			if m.topic() == sTopic {
				t.Errorf("the sealed petition sent %s after signatures (greeting %s)", m.raw, greeting.raw)
			}
		}
	}
	fresh := e.dial(sTopic).until(sTopic, 5*time.Second, func(liveMsg) bool { return true })
	if fresh.seq() != greeting.seq() && fresh.seq() != greeting.seq()+1 || !sameButSeq(fresh, greeting) {
		t.Errorf("a new live connection got %s after signatures, %s before", fresh.raw, greeting.raw)
	}
}

// sameButSeq reports whether two live messages are the same apart from
// seq, which numbers the snapshots built for the topic.
func sameButSeq(a, b liveMsg) bool {
	strip := func(m liveMsg) string {
		f := map[string]any{}
		for k, v := range m.fields {
			if k != "seq" {
				f[k] = v
			}
		}
		out, _ := json.Marshal(f)
		return string(out)
	}
	return strip(a) == strip(b)
}

var startedStampRE = regexp.MustCompile(`name="started" value="[^"]*"`)

// publicView fetches path as anyone would, normalised as
// TestSealed_PublicViewsDoNotMove says.
func (e *liveEnv) publicView(path string) []byte {
	e.t.Helper()
	res, err := http.Get(e.url + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("%s: got %d", path, res.StatusCode)
	}
	if res.Header.Get("Content-Type") == "application/pdf" {
		return pdfText(e.t, body)
	}
	return startedStampRE.ReplaceAll(body, []byte(`name="started" value="STAMP"`))
}

var pdfStreamRE = regexp.MustCompile(`(?s)<<([^>]*?)>>\nstream\n(.*?)\nendstream`)

// pdfText is a PDF's page content streams (its text and drawing), inflated.
func pdfText(t *testing.T, pdf []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	streams := pdfStreamRE.FindAllSubmatch(pdf, -1)
	if len(streams) == 0 {
		t.Fatal("no streams in the PDF")
	}
	for _, s := range streams {
		dict, data := s[1], s[2]
		if bytes.Contains(dict, []byte("/FlateDecode")) {
			r, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if data, err = io.ReadAll(r); err != nil {
				t.Fatal(err)
			}
		}
		if bytes.Contains(data, []byte("\nBT ")) { // a page's content
			out.Write(data)
		}
	}
	return out.Bytes()
}
