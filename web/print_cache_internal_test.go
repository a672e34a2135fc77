package web

import (
	"bytes"
	"errors"
	"sync"
	"testing"
)

// TestPrintCache_RendersOncePerKey: 50 requests at once for one QR code
// draw it once, and all get the same bytes and ETag.
func TestPrintCache_RendersOncePerKey(t *testing.T) {
	c := newPrintCache(1 << 20)
	release := make(chan struct{})
	var wg sync.WaitGroup
	got := make([][]byte, 50)
	tags := make([]string, 50)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, etag, err := c.get("png 512 https://x/p/1", func() ([]byte, error) {
				<-release // every caller has arrived, or is about to, while this one renders
				return []byte("PNG bytes"), nil
			})
			if err != nil {
				t.Error(err)
			}
			got[i], tags[i] = b, etag
		}()
	}
	close(release)
	wg.Wait()
	if _, _, renders := c.stats(); renders != 1 {
		t.Errorf("renders = %d, want 1", renders)
	}
	for i := range got {
		if !bytes.Equal(got[i], []byte("PNG bytes")) || tags[i] != tags[0] || tags[0] == "" {
			t.Fatalf("caller %d: got %q, ETag %q (first %q)", i, got[i], tags[i], tags[0])
		}
	}
}

// TestPrintCache_Bounded: the cache never holds more than its byte bound,
// dropping the least recently used first, and does not keep a failure.
func TestPrintCache_Bounded(t *testing.T) {
	c := newPrintCache(100)
	put := func(key string) {
		t.Helper()
		if _, _, err := c.get(key, func() ([]byte, error) { return make([]byte, 40), nil }); err != nil {
			t.Fatal(err)
		}
	}
	put("a")
	put("b")
	put("a") // a is now the most recently used
	put("c") // 120 bytes: b goes
	entries, size, renders := c.stats()
	if entries != 2 || size != 80 || renders != 3 {
		t.Errorf("got %d entries, %d bytes, %d renders; want 2, 80, 3", entries, size, renders)
	}
	put("a") // still there
	if _, _, renders := c.stats(); renders != 3 {
		t.Errorf("a was evicted: renders = %d, want 3", renders)
	}
	put("b") // gone, drawn again
	if _, _, renders := c.stats(); renders != 4 {
		t.Errorf("b was kept: renders = %d, want 4", renders)
	}
	boom := errors.New("boom")
	for range 2 {
		if _, _, err := c.get("bad", func() ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
			t.Errorf("got %v, want boom", err)
		}
	}
	if entries, size, renders := c.stats(); renders != 6 || entries != 2 || size != 80 {
		t.Errorf("after failures: %d entries, %d bytes, %d renders; want 2, 80, 6", entries, size, renders)
	}
}

// TestPrintRoutes_AllLimited: every print route (QR codes, posters, paper
// forms, signature sheets, voter letters) is under the print limit. The
// list is written out here, not taken from the code, so a new print route
// must be added to both.
func TestPrintRoutes_AllLimited(t *testing.T) {
	var want []string
	for _, p := range []string{"/consultations/{slug}", "/petitions/{id}", "/ballots/{id}"} {
		for _, s := range []string{"/qr.png", "/qr.svg", "/poster", "/poster.pdf"} {
			want = append(want, "GET "+p+s)
		}
	}
	want = append(want, "GET /admin/consultations/{slug}/paper-forms.pdf", "GET /admin/petitions/{id}/sheets.pdf",
		"POST /admin/ballots/{id}/codes")
	for _, p := range want {
		if c := limitedRoutes[p]; c == nil || c.name != "print" {
			t.Errorf("%s: limit %v, want print", p, c)
		}
	}
}
