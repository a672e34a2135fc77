package web_test

import (
	"context"
	"fmt"
	"image/png"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
	"github.com/oursay/oursay/web/paper/papertest"
)

// getPNG fetches a QR PNG and decodes it, checking its type and size.
func (e *testEnv) getQRPNG(path string, size int) string {
	e.t.Helper()
	res, body := e.get(e.anon, path)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
		e.t.Fatalf("GET %s: got %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	img, err := png.Decode(strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
		e.t.Errorf("GET %s: got %v, want %d×%d", path, b, size, size)
	}
	return papertest.DecodeQR(e.t, img)
}

// getQRSVG fetches a QR SVG of the default size and decodes it.
func (e *testEnv) getQRSVG(path string) string {
	e.t.Helper()
	res, body := e.get(e.anon, path)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml" {
		e.t.Fatalf("GET %s: got %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	return papertest.DecodeSVG(e.t, body, 512)
}

func TestQR_Consultation(t *testing.T) {
	e := newEnv(t)
	e.openConsultation("parks")
	want := testBase + "/consultations/parks"
	t.Run("PNG", func(t *testing.T) {
		if got := e.getQRPNG("/consultations/parks/qr.png", 512); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		for _, size := range []int{256, 1024} {
			if got := e.getQRPNG("/consultations/parks/qr.png?size="+strconv.Itoa(size), size); got != want {
				t.Errorf("size %d: got %q, want %q", size, got, want)
			}
		}
	})
	t.Run("SVG", func(t *testing.T) {
		if got := e.getQRSVG("/consultations/parks/qr.svg"); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("Cache", func(t *testing.T) {
		res, _ := e.get(e.anon, "/consultations/parks/qr.png")
		etag := res.Header.Get("ETag")
		if etag == "" || !strings.Contains(res.Header.Get("Cache-Control"), "max-age") {
			t.Fatalf("ETag %q, Cache-Control %q", etag, res.Header.Get("Cache-Control"))
		}
		res, body := e.do(e.anon, http.MethodGet, "/consultations/parks/qr.png", "", nil, "If-None-Match", etag)
		if res.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("revalidate: got %d with %d bytes, want 304", res.StatusCode, len(body))
		}
	})
	t.Run("BadSize", func(t *testing.T) {
		// Only the offered sizes are drawn: 2048 took 778 MB under 64
		// concurrent requests, and every other size would be one more
		// rendering to cache.
		for _, q := range []string{"2048", "300", "99999", "255", "2049", "-1", "abc", "1e3"} {
			for _, ext := range []string{"png", "svg"} {
				res, body := e.get(e.anon, "/consultations/parks/qr."+ext+"?size="+q)
				if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "size must be 256, 512 or 1024") {
					t.Errorf("size=%s %s: got %d %q, want 400 naming the sizes", q, ext, res.StatusCode, body)
				}
			}
		}
	})
}

// TestPrint_DraftNotFound: a draft consultation and an unpublished petition
// have no QR code, poster or PDF, just as they have no page.
func TestPrint_DraftNotFound(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.store.CreateConsultation(ctx, draftConsultation("secret"), "test"); err != nil {
		t.Fatal(err)
	}
	p := newUnpublishedPetition(t, e)
	for _, base := range []string{"/consultations/secret", "/consultations/nothing-here", fmt.Sprintf("/petitions/%d", p), "/petitions/999", "/petitions/x"} {
		for _, suffix := range []string{"/qr.png", "/qr.svg", "/poster", "/poster.pdf"} {
			if res, _ := e.get(e.anon, base+suffix); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s%s: got %d, want 404", base, suffix, res.StatusCode)
			}
		}
	}
}

// draftConsultation is a consultation not yet opened, to save as a draft.
func draftConsultation(slug string) *consult.Consultation {
	return &consult.Consultation{Slug: slug, Title: "Secret plan", Summary: "Not yet", Audience: consult.AudienceAnyone,
		Record: consult.Record{Service: "Parks", Proposal: consult.ProposalOutsource, PublicInterestCase: "x", InHouseBid: "y", SocialValueWeight: 10}}
}

// newUnpublishedPetition saves a petition whose campaigner has not even
// confirmed their email.
func newUnpublishedPetition(t *testing.T, e *testEnv) int64 {
	t.Helper()
	ctx := context.Background()
	c := &ballot.Contract{Title: "Waste", Service: "Waste collection", Provider: "CleanCo", ValuePence: 1,
		StartsOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
		BreakClauses: []time.Time{time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)}, NoInHouseBidReason: "No in-house team", Recall: ballot.RecallRule{Kind: ballot.RuleFixed, FixedCount: 10, SigningDays: 42}}
	if err := db.NewContractStore(e.db).CreateContract(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	p := &ballot.Petition{ContractID: c.ID, Title: "Hidden", Reasons: "Not yet public", CampaignerName: "Sam", CampaignerEmail: "sam@example.org"}
	if err := db.NewPetitionStore(e.db).CreatePetition(ctx, p, testBase); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func TestQR_Petition(t *testing.T) {
	e := newPetitionEnv(t, 10)
	id := e.startPetition("sealed")
	want := fmt.Sprintf("%s/petitions/%d", testBase, id)
	if got := e.getQRPNG(fmt.Sprintf("/petitions/%d/qr.png?size=256", id), 256); got != want {
		t.Errorf("PNG: got %q, want %q", got, want)
	}
	if got := e.getQRSVG(fmt.Sprintf("/petitions/%d/qr.svg", id)); got != want {
		t.Errorf("SVG: got %q, want %q", got, want)
	}
	// A sealed petition's poster never prints a count.
	_, body := e.get(e.anon, fmt.Sprintf("/petitions/%d/poster", id))
	if !strings.Contains(body, "Signing closes at ") || regexp.MustCompile(`\d+ (confirmed )?signatures`).MatchString(body) {
		t.Errorf("sealed poster: %s", body)
	}
}
